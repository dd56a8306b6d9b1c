import { CHECKS } from '../../lib/audit/checks';
import { Fault } from '../audit/fake-kms-server';
import { startFaultServer } from '../audit/fault-server';
import { runBin } from '../audit/helpers';

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
// A hung call is cut by the call deadline (--call-timeout, fractions allowed): HANG_CALL_TIMEOUT_S
// per check, so the checks of a region, which run one after another, take a few seconds in all.
// Each HTTP attempt of the hang run ends later than that (--request-timeout), so the deadline, not
// the attempt's timeout, is what ends each call; the account lookup waits one request timeout.
const HANG_CALL_TIMEOUT_S = 0.25;
const HANG_REQUEST_TIMEOUT_S = 0.5;
// [fault, reason, CLI runs]: the checks of a region run one after another, so a fault that costs
// time per call (a retry backoff of up to 1 s per throttled call) is run as several concurrent CLI
// runs, each with its share of the checks (--checks); together they cover every check. The other
// faults answer at once (or, a hang, at the short call deadline): one run with every check.
const FAULTS: [Fault, RegExp, number][] = [
  ['throttle', /Throttl/, 2],
  ['deny', /AccessDenied/, 1],
  ['5xx', /Internal|HTTP 500|Unknown/, 1],
  [
    'hang',
    new RegExp(`CallTimeout: \\w+ got no answer within ${String(HANG_CALL_TIMEOUT_S).replace('.', '\\.')} s`),
    1,
  ],
  ['malformed', /\S/, 1],
  ['expired', /ExpiredToken/, 1],
];

/**
 * CHECKS dealt into `n` groups: the regional checks (which a run does one after another) round-robin
 * first, then the global ones (which run beside them), so the groups take about as long.
 */
function groupsOf(n: number): string[][] {
  const groups: string[][] = Array.from({ length: n }, () => []);
  [...CHECKS.filter((c) => !c.global), ...CHECKS.filter((c) => c.global)].forEach((c, i) =>
    groups[i % n].push(c.name),
  );
  return groups;
}

// Starting a CLI run costs about a second of CPU (loading it), and the runs start together: the
// split faults' runs (the ones that then wait longest) start first, the other faults' once those
// have made their first AWS call (or after 10 s at most), so that their start-ups overlap the
// waiting instead of delaying it.
const SPLIT_RUNS = FAULTS.reduce((n, [, , runs]) => n + (runs > 1 ? runs : 0), 0);
let splitRunsStarted = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function splitRunsUnderWay(): Promise<void> {
  for (const until = Date.now() + 10_000; splitRunsStarted < SPLIT_RUNS && Date.now() < until;)
    await sleep(50);
}

// The six faults run concurrently (each is a child process mostly waiting on its fault), which
// keeps the file's wall time near that of the slowest case.
describe('every check under every fault', () => {
  test('the runs of a fault together cover every check, each once', () => {
    for (const [, , runs] of FAULTS) {
      const names = groupsOf(runs).flat();
      expect(names.sort()).toEqual(CHECKS.map((c) => c.name).sort());
      expect(groupsOf(runs).every((g) => g.length > 0)).toBe(true);
    }
  });

  test.concurrent.each(FAULTS)(
    '%s: NOT_CHECKED with a reason, exit 2, within bounded time',
    async (fault, reason, runs) => {
      // A hang is cut by the short call deadline; the others answer within their two attempts.
      const callTimeout = fault === 'hang' ? HANG_CALL_TIMEOUT_S : 5;
      const requestTimeout = fault === 'hang' ? HANG_REQUEST_TIMEOUT_S : 1;
      const reported = await Promise.all(
        groupsOf(runs).map(async (group) => {
          // A fault server per run: it also tells when the run's first AWS call arrived.
          const server = await startFaultServer(fault);
          try {
            if (runs === 1) await splitRunsUnderWay();
            const started = Date.now();
            let finished = false;
            const running = runBin(
              [
                '--json',
                ...(runs > 1 ? ['--checks', group.join(',')] : []),
                '--request-timeout',
                String(requestTimeout),
                '--call-timeout',
                String(callTimeout),
                '--check-timeout',
                '20',
              ],
              { ...env, AWS_ENDPOINT_URL: server.url },
            ).finally(() => (finished = true));
            if (runs > 1)
              void (async () => {
                while (server.firstRequestAt() === undefined && !finished) await sleep(50);
                splitRunsStarted++;
              })();
            const result = await running;
            const ended = Date.now();
            expect(result.stderr).toBe('');
            const output = JSON.parse(result.stdout);
            // Every check of the run is present ...
            const checks = [...new Set(output.results.map((r: { check: string }) => r.check))];
            expect(checks.sort()).toEqual([...group].sort());
            // ... and nothing could be verified, so nothing may pass or fail.
            const verdicts = output.results.filter((r: { status: string }) => r.status !== 'NOT_CHECKED');
            expect(verdicts).toEqual([]);
            for (const r of output.results) expect(r.reason).toMatch(fault === 'malformed' ? /\S/ : reason);
            expect(result.code).toBe(2);
            // Bounded: a hang costs one call deadline per check, plus start-up ...
            const deadlineMs = HANG_CALL_TIMEOUT_S * 1_000;
            if (fault === 'hang') expect(ended - started).toBeLessThan(CHECKS.length * deadlineMs + 8_000);
            else expect(ended - started).toBeLessThan(20_000);
            // ... and, counted from the run's first AWS call (so that the start-up of the
            // concurrent runs, loading the CLI, does not count), one deadline per check of the
            // run and one request timeout for the account lookup.
            if (fault === 'hang')
              expect(ended - (server.firstRequestAt() ?? started)).toBeLessThan(
                group.length * deadlineMs + HANG_REQUEST_TIMEOUT_S * 1_000 + 3_000,
              );
            return checks;
          } finally {
            await server.close();
          }
        }),
      );
      // Every check answered under this fault.
      expect(reported.flat().sort()).toEqual(CHECKS.map((c) => c.name).sort());
      console.log(`fault ${fault}: ${CHECKS.length} checks NOT_CHECKED, exit 2, in ${runs} run(s)`);
    },
    60_000,
  );
});
