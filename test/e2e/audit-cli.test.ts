import { startFakeKms } from '../audit/fake-kms-server';
import { runBin } from '../audit/helpers';

// `npx baseline-audit` as users run it (the bin shim, a child process) against a loopback KMS
// endpoint: exit codes and output. test/audit/cli.test.ts runs the same CLI in process.
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
          output.results
            .filter((r: { control: string }) => r.control === 'ENC-02')
            .map((r: { resource: string; status: string }) => [r.resource.split('/').pop(), r.status]),
        ),
      ).toEqual({
        ok: 'COMPLIANT',
        yearly: 'NON_COMPLIANT',
        off: 'NON_COMPLIANT',
        aws: 'NOT_APPLICABLE',
        rsa: 'NOT_APPLICABLE',
        gone: 'NOT_APPLICABLE',
        secret: 'NOT_CHECKED',
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
      expect(result.stdout).toContain('2 results for 2 controls in eu-west-1: 2 compliant');
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
