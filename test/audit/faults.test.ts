import { CHECKS } from '../../lib/audit/checks';
import { Fault } from './fake-kms-server';
import { startFaultServer } from './fault-server';
import { runBin } from './helpers';

// Every check against an endpoint where EVERY call misbehaves, through the real CLI (bin shim, a
// child process): each check must answer with NOT_CHECKED (and the reason), never a crash, a
// silent pass or a hang, and the exit code must be 2, within a bounded time.

// Two attempts per call with standard retry (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, honoured by the CLI)
// keep the file fast and show each fault's own reason. With the default adaptive retry, persistent
// throttling ends at the call deadline instead (CallTimeout), the bound the "hang" case measures.
const env = {
  AWS_ACCESS_KEY_ID: 'AKIDTEST',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'eu-west-1',
  AWS_MAX_ATTEMPTS: '2',
  AWS_RETRY_MODE: 'standard',
};
const FAULTS: [Fault, RegExp][] = [
  ['throttle', /Throttl/],
  ['deny', /AccessDenied/],
  ['5xx', /Internal|HTTP 500|Unknown/],
  ['hang', /CallTimeout: \w+ got no answer within 1 s/],
  ['malformed', /\S/],
  ['expired', /ExpiredToken/],
];

// The six faults run concurrently (each is a child process mostly waiting on its fault), which
// keeps the file's wall time near that of the slowest case, the hang.
describe('every check under every fault', () => {
  test.concurrent.each(FAULTS)(
    '%s: NOT_CHECKED with a reason, exit 2, within bounded time',
    async (fault, reason) => {
      // A hang is cut by the 1-second call deadline; the others answer within their two attempts.
      const callTimeout = fault === 'hang' ? 1 : 5;
      const server = await startFaultServer(fault);
      const started = Date.now();
      try {
        const result = await runBin(
          [
            '--json',
            '--request-timeout',
            '1',
            '--call-timeout',
            String(callTimeout),
            '--check-timeout',
            '20',
          ],
          { ...env, AWS_ENDPOINT_URL: server.url },
        );
        const elapsed = Date.now() - started;
        expect(result.stderr).toBe('');
        const output = JSON.parse(result.stdout);
        // Every check is present ...
        expect([...new Set(output.results.map((r: { check: string }) => r.check))].sort()).toEqual(
          CHECKS.map((c) => c.name).sort(),
        );
        // ... and nothing could be verified, so nothing may pass or fail.
        const verdicts = output.results.filter((r: { status: string }) => r.status !== 'NOT_CHECKED');
        expect(verdicts).toEqual([]);
        for (const r of output.results) expect(r.reason).toMatch(fault === 'malformed' ? /\S/ : reason);
        expect(result.code).toBe(2);
        // Bounded: a hang costs one call deadline (1 s) per check, plus start-up.
        if (fault === 'hang') expect(elapsed).toBeLessThan(CHECKS.length * 1_000 + 8_000);
        else expect(elapsed).toBeLessThan(20_000);
        console.log(`fault ${fault}: ${CHECKS.length} checks NOT_CHECKED, exit 2, in ${elapsed} ms`);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});
