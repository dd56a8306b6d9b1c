import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsCheck } from '../../lib/audit/checks';
import { EXIT_NOT_CHECKED, runCli } from '../../lib/audit/cli';
import { AuditCheck } from '../../lib/audit/context';
import { runAudit, runCheck } from '../../lib/audit/run';
import { Fault, startFakeKms } from './fake-kms-server';
import { context, memoryIo, TEST_CREDENTIALS } from './helpers';

// Issue 13, defects 2-4, against a loopback KMS endpoint that misbehaves (the real SDK client stack:
// retries, timeouts, parsing). Each failed before the fix.

const rows = (results: { control: string; resource: string; status: string; reason: string }[]) =>
  results.map((r) => [r.control, r.resource, r.status, r.reason]);
const ec2 = mockClient(EC2Client);
afterAll(() => ec2.restore());

describe('defect 2: a failing KMS call degrades to NOT_CHECKED, the other checks still run', () => {
  // Concurrently (the throttled case waits on retry backoff); each has its own endpoint, and the
  // mocked EC2 answer is the same for all.
  test.concurrent.each<Fault>(['throttle', 'deny', '5xx', 'malformed', 'expired'])(
    'ListKeys %s -> NOT_CHECKED row, exit 2',
    async (fault) => {
      ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
      const server = await startFakeKms({ keys: [{ id: 'a' }], faults: { ListKeys: fault } });
      try {
        const { io, out, err } = memoryIo(
          { AWS_REGION: 'eu-west-1' },
          { credentials: TEST_CREDENTIALS, maxAttempts: 2, endpoint: server.url },
        );
        const code = await runCli(['--checks', 'kms,ebs', '--json', '--call-timeout', '5'], io);
        expect(err()).toBe('');
        const output = JSON.parse(out());
        expect(output.results.map((r: { check: string; status: string }) => [r.check, r.status])).toEqual([
          ['kms', 'NOT_CHECKED'],
          ['ebs', 'COMPLIANT'],
        ]);
        expect(output.results[0].reason).toMatch(/\S/);
        expect(code).toBe(EXIT_NOT_CHECKED);
      } finally {
        await server.close();
      }
    },
    30_000,
  );
});

describe('defect 3: a call that never answers ends in bounded time', () => {
  // Concurrently: each waits on its own endpoint's deadlines (in-process CLI runs share no state).
  // Short deadlines (fractions of a second): without the call deadline, ten attempts of 0.25 s with
  // adaptive retry's backoff between them would take well over the bound.
  test.concurrent.each(['ListKeys', 'DescribeKey', 'GetKeyRotationStatus'])(
    '%s hangs -> NOT_CHECKED within the timeouts',
    async (op) => {
      const server = await startFakeKms({
        keys: [{ id: 'a', rotationEnabled: true, rotationPeriodInDays: 90 }],
        faults: { [op]: 'hang' },
      });
      const started = Date.now();
      try {
        const { io, out } = memoryIo(
          { AWS_REGION: 'eu-west-1' },
          { credentials: TEST_CREDENTIALS, endpoint: server.url },
        );
        const code = await runCli(
          ['--checks', 'kms', '--json', '--request-timeout', '0.25', '--call-timeout', '0.5'],
          io,
        );
        const elapsed = Date.now() - started;
        expect(code).toBe(EXIT_NOT_CHECKED);
        const notChecked = JSON.parse(out()).results.filter(
          (r: { status: string }) => r.status === 'NOT_CHECKED',
        );
        expect(notChecked.length).toBeGreaterThan(0);
        expect(notChecked[0].reason).toMatch(/CallTimeout: \w+ got no answer within 0\.5 s|TimeoutError/);
        expect(elapsed).toBeLessThan(3_000);
      } finally {
        await server.close();
      }
    },
    30_000,
  );

  test('a check that never returns is cut off by the check timeout', async () => {
    const stuck: AuditCheck = {
      name: 'stuck',
      controls: ['CMP-05'],
      description: 'never ends',
      permissions: [],
      run: () => new Promise(() => undefined),
    };
    const started = Date.now();
    const results = await runCheck(stuck, context(), 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(rows(results)).toEqual([
      ['CMP-05', 'stuck in eu-west-1', 'NOT_CHECKED', 'Error: the check did not finish within 0.3 s'],
    ]);
  });
});

describe('defect 4: pagination is bounded and a repeated token is detected', () => {
  test('a repeated NextMarker stops after two calls', async () => {
    const server = await startFakeKms({ keys: [], loopMarker: true });
    try {
      const results = await kmsCheck.run(
        context('eu-west-1', { clientConfig: { credentials: TEST_CREDENTIALS, endpoint: server.url } }),
      );
      expect(rows(results)).toEqual([
        [
          'ENC-02',
          'KMS keys in eu-west-1',
          'NOT_CHECKED',
          'PaginationError: ListKeys: the endpoint repeated page token "1" after 2 pages',
        ],
      ]);
      expect(server.stats.byOperation.ListKeys).toBe(2);
    } finally {
      await server.close();
    }
  });

  test('endless new tokens stop at --max-pages', async () => {
    const server = await startFakeKms({ keys: [], endlessPages: true });
    try {
      const results = await kmsCheck.run(
        context('eu-west-1', {
          maxPages: 7,
          clientConfig: { credentials: TEST_CREDENTIALS, endpoint: server.url },
        }),
      );
      expect(results[0].reason).toBe('PaginationError: ListKeys: more than 7 pages (--max-pages); stopped');
      expect(server.stats.byOperation.ListKeys).toBe(7);
    } finally {
      await server.close();
    }
  });
});

describe('defect 3 in continuous mode: the whole run has a deadline', () => {
  test('checks that would end after the run deadline are NOT_CHECKED, and the run ends on time', async () => {
    const stuck = (name: string): AuditCheck => ({
      name,
      controls: ['CMP-05'],
      description: 'never ends',
      permissions: [],
      run: () => new Promise(() => undefined),
    });
    const started = Date.now();
    const output = await runAudit({
      regions: ['eu-west-1'],
      checks: [stuck('a'), stuck('b'), stuck('c')],
      checkTimeoutMs: 10_000,
      deadlineMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(output.results.map((r) => [r.check, r.status])).toEqual([
      ['a', 'NOT_CHECKED'],
      ['b', 'NOT_CHECKED'],
      ['c', 'NOT_CHECKED'],
    ]);
  });
});
