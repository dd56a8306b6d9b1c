import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CliIo } from '../../lib/audit/cli';
import { CheckContext } from '../../lib/audit/context';

/** Credentials that satisfy the SDK's chain without touching the machine's AWS configuration. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

export function context(region = 'eu-west-1', extra: Partial<CheckContext> = {}): CheckContext {
  return {
    region,
    maxRotationDays: 90,
    concurrency: 4,
    callTimeoutMs: 5_000,
    maxPages: 50,
    expect: {},
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

/** Run the real CLI entry point (`bin/baseline-audit.js`, as `npx baseline-audit` does). */
export function runBin(
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
