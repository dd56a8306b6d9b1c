import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, runCli } from '../../lib/audit/cli';
import { auditJsonSchema, auditOutputSchema } from '../../lib/audit/result';
import * as fs from 'node:fs';
import { startFakeKms } from './fake-kms-server';
import { memoryIo } from './helpers';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
afterAll(() => kms.restore());

function serveKeys(periods: Record<string, number | undefined>) {
  kms.on(ListKeysCommand).resolves({
    Keys: Object.keys(periods).map((id) => ({
      KeyId: id,
      KeyArn: `arn:aws:kms:eu-west-1:111122223333:key/${id}`,
    })),
    Truncated: false,
  });
  kms.on(DescribeKeyCommand).callsFake((i: { KeyId: string }) => ({
    KeyMetadata: { KeyId: i.KeyId, Arn: i.KeyId, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  }));
  kms.on(GetKeyRotationStatusCommand).callsFake((i: { KeyId: string }) => {
    const days = periods[i.KeyId.split('/').pop()!];
    return days === undefined
      ? { KeyRotationEnabled: false }
      : { KeyRotationEnabled: true, RotationPeriodInDays: days };
  });
}

describe('baseline-audit (in process)', () => {
  test('--json prints output in the documented schema; exit 1 when a key is non-compliant', async () => {
    serveKeys({ good: 90, yearly: 365 });
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms', '--json'], io)).toBe(EXIT_FINDINGS);
    const parsed = auditOutputSchema.safeParse(JSON.parse(out()));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const output = parsed.data!;
    expect(output).toMatchObject({
      schemaVersion: '1.0',
      regions: ['eu-west-1'],
      checks: ['kms'],
      summary: { COMPLIANT: 1, NON_COMPLIANT: 1 },
    });
  });

  test('the published JSON Schema is current (regenerate with `npm run report-schema`)', () => {
    const published = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'audit-output.schema.json'), 'utf8'),
    );
    expect(published).toEqual(auditJsonSchema());
  });

  test('exit 0 when every key is compliant; the table lists problems first and a summary', async () => {
    serveKeys({ a: 90, b: 90 });
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_OK);
    expect(out()).toMatch(
      /^STATUS +CHECK +REGION +RESOURCE +REASON\nCOMPLIANT +kms \(ENC-02\) +eu-west-1 +arn:aws:kms:eu-west-1:111122223333:key\/a +rotates every 90 days/,
    );
    expect(out()).toContain(
      '2 resources in eu-west-1: 2 compliant, 0 non-compliant, 0 errors, 0 not applicable',
    );
  });

  test('an unverifiable key (access denied) makes the exit code 1, not 0', async () => {
    serveKeys({ a: 90 });
    kms.on(DescribeKeyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { io } = memoryIo();
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_FINDINGS);
  });

  test('--regions scans each region and --max-rotation-days changes the policy', async () => {
    serveKeys({ a: 180 });
    const { io, out } = memoryIo({});
    expect(
      await runCli(
        ['--checks', 'kms', '--regions', 'eu-west-1,us-east-1', '--max-rotation-days', '180', '--json'],
        io,
      ),
    ).toBe(EXIT_OK);
    expect(JSON.parse(out()).results.map((r: { region: string }) => r.region)).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });

  test.each([
    [['--checks', 'kms,ec2'], /--checks: unknown "ec2"; known: kms, cloudtrail, guardduty, s3, waf/],
    [['--regions', 'Europe'], /--regions: not a region name: "Europe"/],
    [['--max-rotation-days', '30'], /expected a whole number 90..2560, got "30"/],
    [['--concurrency', '0'], /expected a whole number 1..64, got "0"/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('bad arguments %j exit 2 with a clear message', async (argv, message) => {
    const { io, err } = memoryIo();
    expect(await runCli(argv, io)).toBe(EXIT_CANNOT_RUN);
    expect(err()).toMatch(message);
  });

  test('no region anywhere exits 2', async () => {
    const { io, err } = memoryIo({});
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_CANNOT_RUN);
    expect(err()).toContain(
      'no region: pass --regions, set AWS_REGION, or give --config with environment regions',
    );
  });

  test('regions can come from the baseline config', async () => {
    serveKeys({ a: 90 });
    const { io, out } = memoryIo({});
    const config = path.join(__dirname, '..', '..', 'config', 'example.json');
    expect(await runCli(['--checks', 'kms', '--config', config, '--json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(out()).regions).toEqual(['eu-west-1']);
  });

  test('--help exits 0 and lists the permissions it needs', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['--help'], io)).toBe(EXIT_OK);
    expect(out()).toContain('kms:GetKeyRotationStatus');
  });
});

/** Run the real CLI entry point (`bin/baseline-audit.js`, as `npx baseline-audit` does). */
function runBin(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, '..', '..', 'bin', 'baseline-audit.js'), ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          // Keep the machine's own AWS configuration and instance metadata out of the test.
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          // The SDK warns that releases after January 2027 need Node 22; not what these tests are about.
          NODE_NO_WARNINGS: '1',
          ...env,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npx baseline-audit against a KMS endpoint (AWS_ENDPOINT_URL)', () => {
  const creds = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'eu-west-1' };

  test('classifies every key and exits 1 when one is non-compliant', async () => {
    const server = await startFakeKms({
      keys: [
        { id: 'ok', rotationEnabled: true, rotationPeriodInDays: 90 },
        { id: 'yearly', rotationEnabled: true, rotationPeriodInDays: 365 },
        { id: 'off' },
        { id: 'aws', keyManager: 'AWS' },
        { id: 'rsa', keySpec: 'RSA_4096' },
        { id: 'gone', keyState: 'PendingDeletion' },
        { id: 'secret', denied: true },
      ],
      pageSize: 3,
    });
    try {
      const result = await runBin(['--checks', 'kms', '--json'], { ...creds, AWS_ENDPOINT_URL: server.url });
      expect(result.code).toBe(1);
      const output = JSON.parse(result.stdout);
      expect(
        Object.fromEntries(
          output.results.map((r: { resource: string; status: string }) => [
            r.resource.split('/').pop(),
            r.status,
          ]),
        ),
      ).toEqual({
        ok: 'COMPLIANT',
        yearly: 'NON_COMPLIANT',
        off: 'NON_COMPLIANT',
        aws: 'NOT_APPLICABLE',
        rsa: 'NOT_APPLICABLE',
        gone: 'NOT_APPLICABLE',
        secret: 'ERROR',
      });
    } finally {
      await server.close();
    }
  }, 60_000);

  test('exits 0 when every key is compliant (per-service AWS_ENDPOINT_URL_KMS)', async () => {
    const server = await startFakeKms({
      keys: [{ id: 'a', rotationEnabled: true, rotationPeriodInDays: 90 }],
    });
    try {
      const result = await runBin(['--checks', 'kms'], { ...creds, AWS_ENDPOINT_URL_KMS: server.url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('1 resources in eu-west-1: 1 compliant');
    } finally {
      await server.close();
    }
  }, 60_000);

  test('exits 2 without credentials', async () => {
    const result = await runBin(['--checks', 'kms'], { AWS_REGION: 'eu-west-1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^baseline-audit: no AWS credentials: /);
  }, 60_000);
});
