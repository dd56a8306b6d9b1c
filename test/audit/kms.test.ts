import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KeyMetadata,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsCheck } from '../../lib/audit/checks/kms';
import { runAudit } from '../../lib/audit/run';
import { context, TEST_CREDENTIALS } from './helpers';
import { startFakeKms } from './fake-kms-server';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
afterAll(() => kms.restore());

const arn = (id: string, region = 'eu-west-1') => `arn:aws:kms:${region}:111122223333:key/${id}`;

/** Serve `keys` (id → metadata and rotation) through the mocked client, on two ListKeys pages. */
function serve(
  keys: Record<
    string,
    {
      meta?: Partial<KeyMetadata>;
      rotation?: { KeyRotationEnabled: boolean; RotationPeriodInDays?: number };
      deny?: boolean;
      policy?: unknown;
    }
  >,
) {
  const ids = Object.keys(keys);
  const half = Math.ceil(ids.length / 2);
  kms.on(ListKeysCommand).callsFake((input: { Marker?: string }) =>
    input.Marker === 'page-2'
      ? { Keys: ids.slice(half).map((id) => ({ KeyId: id, KeyArn: arn(id) })), Truncated: false }
      : {
          Keys: ids.slice(0, half).map((id) => ({ KeyId: id, KeyArn: arn(id) })),
          Truncated: true,
          NextMarker: 'page-2',
        },
  );
  kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => {
    const id = input.KeyId.split('/').pop()!;
    if (keys[id].deny)
      throw Object.assign(new Error(`not authorized to perform kms:DescribeKey on ${input.KeyId}`), {
        name: 'AccessDeniedException',
      });
    return {
      KeyMetadata: {
        KeyId: id,
        Arn: arn(id),
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Origin: 'AWS_KMS',
        KeyState: 'Enabled',
        ...keys[id].meta,
      },
    };
  });
  kms
    .on(GetKeyRotationStatusCommand)
    .callsFake(
      (input: { KeyId: string }) =>
        keys[input.KeyId.split('/').pop()!].rotation ?? { KeyRotationEnabled: false },
    );
  kms.on(GetKeyPolicyCommand).callsFake((input: { KeyId: string }) => ({
    Policy: JSON.stringify(
      keys[input.KeyId.split('/').pop()!].policy ?? {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    ),
  }));
}

describe('kms check (ENC-02)', () => {
  test('classifies every kind of key across ListKeys pages', async () => {
    serve({
      rotates90: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 } },
      rotates365: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 365 } },
      rotationOff: { rotation: { KeyRotationEnabled: false } },
      noPeriod: { rotation: { KeyRotationEnabled: true } },
      awsManaged: { meta: { KeyManager: 'AWS' } },
      asymmetric: { meta: { KeySpec: 'RSA_2048' } },
      hmac: { meta: { KeySpec: 'HMAC_256' } },
      imported: { meta: { Origin: 'EXTERNAL' } },
      cloudHsm: { meta: { Origin: 'AWS_CLOUDHSM' } },
      replica: { meta: { MultiRegion: true, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } } },
      disabled: { meta: { KeyState: 'Disabled' } },
      pendingDeletion: { meta: { KeyState: 'PendingDeletion' } },
      denied: { deny: true },
    });
    const results = await kmsCheck.run(context());
    const byKey = Object.fromEntries(
      results
        .filter((r) => r.control === 'ENC-02')
        .map((r) => [r.resource.split('/').pop(), [r.status, r.reason]]),
    );
    expect(byKey).toEqual({
      rotates90: ['COMPLIANT', 'enabled; rotates every 90 days (policy: at most 90)'],
      rotates365: ['NON_COMPLIANT', 'rotates every 365 days; the policy allows at most 90'],
      rotationOff: ['NON_COMPLIANT', 'automatic rotation is off'],
      noPeriod: ['NON_COMPLIANT', 'rotation is on but KMS reported no period (the default is 365 days)'],
      awsManaged: [
        'NOT_APPLICABLE',
        'AWS-managed key: AWS rotates it every year and the period cannot be set',
      ],
      asymmetric: ['NOT_APPLICABLE', 'asymmetric key (RSA_2048): KMS cannot rotate it automatically'],
      hmac: ['NOT_APPLICABLE', 'HMAC key (HMAC_256): KMS cannot rotate it automatically'],
      imported: ['NOT_APPLICABLE', 'imported key material: KMS cannot rotate it automatically'],
      cloudHsm: [
        'NOT_APPLICABLE',
        'key in a custom key store (AWS_CLOUDHSM): KMS cannot rotate it automatically',
      ],
      replica: ['NOT_APPLICABLE', 'multi-Region replica: it rotates with its primary key'],
      disabled: ['NOT_APPLICABLE', 'the key is disabled'],
      pendingDeletion: ['NOT_APPLICABLE', 'the key is pending deletion'],
      denied: [
        'NOT_CHECKED',
        expect.stringMatching(/^AccessDeniedException: not authorized to perform kms:DescribeKey/),
      ],
    });
    expect(kms.commandCalls(ListKeysCommand)).toHaveLength(2);
    // Not-applicable keys cost no rotation lookup.
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(4);
    // Keys in use also get their key policy checked (ENC-03); not-applicable keys do not.
    expect(
      results.filter((r) => r.control === 'ENC-03').map((r) => [r.resource.split('/').pop(), r.status]),
    ).toEqual(['rotates90', 'rotates365', 'rotationOff', 'noPeriod'].map((k) => [k, 'COMPLIANT']));
    expect(
      results.every(
        (r) => r.check === 'kms' && r.region === 'eu-west-1' && r.resourceType === 'AWS::KMS::Key',
      ),
    ).toBe(true);
  });

  test('follows the policy maximum it is given', async () => {
    serve({ k: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 180 } } });
    expect((await kmsCheck.run(context('eu-west-1', { maxRotationDays: 180 })))[0].status).toBe('COMPLIANT');
    expect((await kmsCheck.run(context('eu-west-1', { maxRotationDays: 179 })))[0].status).toBe(
      'NON_COMPLIANT',
    );
    expect((await kmsCheck.run(context('eu-west-1', { maxRotationDays: 90 })))[0].status).toBe(
      'NON_COMPLIANT',
    );
  });

  test('an error on one key does not stop the scan', async () => {
    serve({
      a: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 } },
      b: { deny: true },
      c: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 } },
    });
    expect((await kmsCheck.run(context())).map((r) => [r.control, r.status])).toEqual([
      ['ENC-02', 'COMPLIANT'],
      ['ENC-03', 'COMPLIANT'],
      ['ENC-02', 'NOT_CHECKED'],
      ['ENC-02', 'COMPLIANT'],
      ['ENC-03', 'COMPLIANT'],
    ]);
  });

  test.each([
    [
      'no statement for the account',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/admin' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    ],
    [
      'another account is root',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::999999999999:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    ],
    [
      'root only under a condition',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:*',
            Resource: '*',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ],
      },
    ],
    [
      'root may only decrypt',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: ['kms:Decrypt'],
            Resource: '*',
          },
        ],
      },
    ],
    [
      'a Deny',
      {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:*',
            Resource: '*',
          },
        ],
      },
    ],
  ])('ENC-03: a key policy without account admin access is a finding (%s)', async (_name, policy) => {
    serve({ k: { rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 }, policy } });
    const [, enc03] = await kmsCheck.run(context());
    expect([enc03.control, enc03.status, enc03.reason]).toEqual([
      'ENC-03',
      'NON_COMPLIANT',
      'no unconditional Allow of kms:* to the account root (arn:aws:iam::111122223333:root): risk of lock-out',
    ]);
  });

  test('ENC-03: a bare account ID principal keeps admin access too', async () => {
    serve({
      k: {
        rotation: { KeyRotationEnabled: true, RotationPeriodInDays: 90 },
        policy: {
          Statement: { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: '*', Resource: '*' },
        },
      },
    });
    expect((await kmsCheck.run(context()))[1]).toMatchObject({ control: 'ENC-03', status: 'COMPLIANT' });
  });

  test('scans every region asked, each with its own client', async () => {
    kms.on(ListKeysCommand).callsFake(async (_input: unknown, getClient: () => KMSClient) => {
      const region = await getClient().config.region();
      return {
        Keys: [{ KeyId: `key-in-${region}`, KeyArn: arn(`key-in-${region}`, region) }],
        Truncated: false,
      };
    });
    kms.on(DescribeKeyCommand).callsFake((input: { KeyId: string }) => ({
      KeyMetadata: { KeyId: input.KeyId, Arn: input.KeyId, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
    }));
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    kms.on(GetKeyPolicyCommand).resolves({
      Policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*' }],
      }),
    });
    const output = await runAudit({
      regions: ['eu-west-1', 'us-east-1'],
      checks: [kmsCheck],
      clientConfig: { credentials: TEST_CREDENTIALS },
    });
    expect(
      output.results.filter((r) => r.control === 'ENC-02').map((r) => [r.region, r.resource, r.status]),
    ).toEqual([
      ['eu-west-1', arn('key-in-eu-west-1'), 'COMPLIANT'],
      ['us-east-1', arn('key-in-us-east-1', 'us-east-1'), 'COMPLIANT'],
    ]);
    expect(output.summary).toEqual({ COMPLIANT: 4, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, NOT_CHECKED: 0 });
  });
});

describe('kms check against a throttling endpoint (the real SDK retry path)', () => {
  test('throttled requests are retried with adaptive retry until they succeed', async () => {
    kms.restore(); // talk to the fake endpoint through the real client stack
    const server = await startFakeKms({
      keys: Array.from({ length: 8 }, (_, i) => ({
        id: `k${i}`,
        rotationEnabled: true,
        rotationPeriodInDays: 90,
      })),
      // One throttle is enough to prove the path. It is the last request of the scan (3 ListKeys
      // pages, then 3 calls per key): after a throttle, adaptive retry's rate limiter restarts low
      // and slows every later request down for seconds (the benchmark measures that at scale), so a
      // throttle on the first request cost this test 5 s of waiting.
      throttleRequests: [3 + 8 * 3],
      pageSize: 3,
    });
    try {
      const output = await runAudit({
        regions: ['eu-west-1'],
        checks: [kmsCheck],
        clientConfig: { endpoint: server.url, credentials: TEST_CREDENTIALS },
      });
      expect(output.summary).toEqual({ COMPLIANT: 16, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, NOT_CHECKED: 0 });
      expect(server.stats.throttled).toBe(1);
      expect(server.stats.byOperation.ListKeys).toBeGreaterThanOrEqual(3);
    } finally {
      await server.close();
      mockClient(KMSClient);
    }
  }, 30_000);
});
