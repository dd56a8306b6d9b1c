// Benchmark of baseline-audit's KMS scan (not a test): a simulated account with thousands of keys
// behind a local KMS endpoint with per-request latency and a request-rate limit answered with
// ThrottlingException. Prints keys per second for each concurrency, the ratio against a sequential
// scan measured in the same run, and how many requests were throttled and how many keys ended in
// ERROR (which must be 0: throttling is absorbed by the SDK's adaptive retry).
//
//   npm run bench:audit -- [keys=3000] [latencyMs=20] [requestsPerSecond=600]
import { kmsCheck } from '../lib/audit/checks';
import { runAudit } from '../lib/audit/run';
import { startFakeKms } from '../test/audit/fake-kms-server';

const [keys = 3000, latencyMs = 20, requestsPerSecond = 600] = process.argv.slice(2).map(Number);
const SEQUENTIAL_SAMPLE = Math.min(keys, 200);

async function scan(keyCount: number, concurrency: number) {
  const server = await startFakeKms({
    keys: Array.from({ length: keyCount }, (_, i) => ({
      id: `key-${i}`,
      // A realistic mix: mostly compliant, some yearly, some off, some AWS-managed.
      ...(i % 10 === 0
        ? { keyManager: 'AWS' as const }
        : { rotationEnabled: i % 7 !== 0, rotationPeriodInDays: i % 5 === 0 ? 365 : 90 }),
    })),
    latencyMs,
    requestsPerSecond,
  });
  const start = process.hrtime.bigint();
  const output = await runAudit({
    regions: ['eu-west-1'],
    checks: [kmsCheck],
    concurrency,
    clientConfig: {
      endpoint: server.url,
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
    },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await server.close();
  return {
    keyCount,
    concurrency,
    seconds,
    keysPerSecond: keyCount / seconds,
    throttled: server.stats.throttled,
    requests: server.stats.requests,
    errors: output.summary.NOT_CHECKED,
  };
}

async function main() {
  console.log(
    `baseline-audit KMS scan: ${keys} keys, ${latencyMs} ms latency, ${requestsPerSecond} requests/s limit (node ${process.version})`,
  );
  const baseline = await scan(SEQUENTIAL_SAMPLE, 1);
  const rows = [baseline];
  for (const concurrency of [8, 32]) rows.push(await scan(keys, concurrency));
  console.log('concurrency  keys   seconds  keys/s   x sequential  requests  throttled  errors');
  for (const r of rows) {
    console.log(
      `${String(r.concurrency).padStart(11)}  ${String(r.keyCount).padStart(5)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.keysPerSecond.toFixed(0).padStart(6)}  ` +
        `${(r.keysPerSecond / baseline.keysPerSecond).toFixed(1).padStart(12)}  ${String(r.requests).padStart(8)}  ${String(r.throttled).padStart(9)}  ${String(r.errors).padStart(6)}`,
    );
  }
  const failed = rows.filter((r) => r.errors > 0);
  if (failed.length > 0) {
    console.error(
      `FAIL: ${failed.map((r) => `${r.errors} keys in ERROR at concurrency ${r.concurrency}`).join('; ')}`,
    );
    process.exitCode = 1;
  }
}

void main();
