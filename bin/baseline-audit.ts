import { runCli } from '../lib/audit/cli';

// `baseline-audit --json | head`: a reader that stops early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    // Exit once the output is flushed: a request abandoned at its deadline (a hung endpoint) must
    // not keep the process alive.
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  },
  (e: unknown) => {
    process.stderr.write(`baseline-audit: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
    process.stdout.write('', () => process.exit(2));
  },
);
