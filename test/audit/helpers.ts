import { CliIo } from '../../lib/audit/cli';
import { CheckContext } from '../../lib/audit/context';

/** Credentials that satisfy the SDK's chain without touching the machine's AWS configuration. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export function context(region = 'eu-west-1', extra: Partial<CheckContext> = {}): CheckContext {
  return {
    region,
    maxRotationDays: 90,
    concurrency: 4,
    clientConfig: { credentials: TEST_CREDENTIALS, maxAttempts: 1 },
    ...extra,
  };
}

/** An in-memory CLI environment; `out`/`err` collect what the CLI printed. */
export function memoryIo(
  env: Record<string, string | undefined> = { AWS_REGION: 'eu-west-1' },
  clientConfig: Record<string, unknown> = { credentials: TEST_CREDENTIALS, maxAttempts: 1 },
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdoutIsTty: false,
    stderrIsTty: false,
    env,
    clientConfig,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
