// Synth benchmark (not a test): prints figures, ratios against a baseline measured in the same run.
//
//   npm run bench -- [pairs=3] [--main-only]    (--main-only: part 1 only)
//
// 1. The main job (`cdk synth` of the default app, every check on) against an empty CDK app's
//    synth: same CLI, same aws-cdk-lib, paired alternating runs, median ratios. Cold: a fresh output
//    folder and an empty findings cache (target <= 2.0x). Warm: the same synth again with unchanged
//    templates, as `cdk diff` / `cdk deploy` after a synth (target <= 1.3x). Both must find the same.
// 2. Synth time and peak memory for 1, 10 and 50 targets (accounts x regions of one environment:
//    1x1, 5x2, 25x2; the account-wide resources in each account's home region, every check on,
//    the reference workload off), through generated configs. Targets: 50 <= 10x one, <= 2 GB.
// 3. `npm test` wall time. Target: <= 60 s on a 2-core machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.join(__dirname, '..');
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const args = parseArgs({ allowPositionals: true, options: { 'main-only': { type: 'boolean' } } });
const pairs = Number(args.positionals[0] ?? 3);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: 'true',
  CDK_CLI_NOTICES: 'false',
  CDK_DISABLE_CLI_TELEMETRY: 'true', // no detached telemetry sender competing for the CPU
  NODE_NO_WARNINGS: '1',
};

/** Run a command; wall seconds and (with GNU time) the peak resident memory of the process tree's largest process, in MB. */
function run(
  cmd: string[],
  extraEnv: Record<string, string> = {},
): { seconds: number; peakMb?: number; status: number | null } {
  const argv = TIME ? [TIME, '-f', '%M', ...cmd] : cmd;
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const kb = TIME ? Number((r.stderr.trim().split('\n').pop() ?? '').trim()) : NaN;
  if (r.status !== 0)
    process.stderr.write(`! ${cmd.join(' ')} exited ${r.status}\n${r.stderr.slice(-2000)}\n`);
  return { seconds, peakMb: Number.isFinite(kb) ? kb / 1024 : undefined, status: r.status };
}

/** The checks' results in a synth's controls report (everything but its timestamp). */
function reportFindings(outdir: string): string {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf8'));
  return JSON.stringify({ ...report, generatedAt: undefined });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number | undefined, d = 1) => (n === undefined ? 'n/a' : n.toFixed(d));

function main(): void {
  console.log(`cdk-security-baseline synth benchmark (node ${process.version}, ${os.cpus().length} CPUs)`);

  // 1. Main job vs empty app.
  const emptyApp = path.join(work, 'empty-app.ts');
  fs.writeFileSync(
    emptyApp,
    `import { App, Stack } from ${JSON.stringify(path.join(ROOT, 'node_modules', 'aws-cdk-lib'))};\nconst app = new App();\nnew Stack(app, 'Empty');\napp.synth();\n`,
  );
  const cold: number[] = [];
  const warm: number[] = [];
  const empties: number[] = [];
  const findings = new Set<string>();
  for (let i = 0; i < pairs; i++) {
    const e = run([
      process.execPath,
      CDK,
      'synth',
      '-q',
      '-o',
      path.join(work, 'empty.out'),
      '--app',
      `${process.execPath} ${TSX} ${emptyApp}`,
    ]);
    const cache = path.join(work, `cache-${i}`);
    const out = path.join(work, `main-${i}.out`);
    const c = run([process.execPath, CDK, 'synth', '-q', '-o', out], { CDK_SECURITY_BASELINE_CACHE: cache });
    findings.add(reportFindings(out));
    const w = run([process.execPath, CDK, 'synth', '-q', '-o', out], { CDK_SECURITY_BASELINE_CACHE: cache });
    findings.add(reportFindings(out));
    empties.push(e.seconds);
    cold.push(c.seconds);
    warm.push(w.seconds);
  }
  const e = median(empties);
  console.log(`\nmain job vs empty app (${pairs} rounds: empty, cold, warm)`);
  console.log(`  empty app   median ${fmt(e, 2)} s`);
  console.log(
    `  cold        median ${fmt(median(cold), 2)} s   ratio ${fmt(median(cold) / e, 2)}x   (target <= 2.0x)`,
  );
  console.log(
    `  warm        median ${fmt(median(warm), 2)} s   ratio ${fmt(median(warm) / e, 2)}x   (target <= 1.3x)`,
  );
  console.log(`  findings identical in every cold and warm run: ${findings.size === 1 ? 'yes' : 'NO'}`);

  if (args.values['main-only']) {
    fs.rmSync(work, { recursive: true, force: true });
    return;
  }

  // 2. Scaling with targets.
  console.log(
    '\ntargets  accounts x regions  seconds  peak MB   x one   (targets: 50 <= 10x one, <= 2048 MB)',
  );
  let one: number | undefined;
  for (const [n, accounts, regions] of [
    [1, 1, ['eu-west-1']],
    [10, 5, ['eu-west-1', 'us-east-1']],
    [50, 25, ['eu-west-1', 'us-east-1']],
  ] as const) {
    const config = path.join(work, `targets-${n}.json`);
    const environments = {
      prod: {
        profile: 'prod',
        workload: { enabled: false },
        targets: {
          accounts: Array.from({ length: accounts }, (_, i) => String(100000000000 + i)),
          regions,
        },
      },
    };
    fs.writeFileSync(config, JSON.stringify({ environments }));
    const r = run([
      process.execPath,
      CDK,
      'synth',
      '-q',
      '-o',
      path.join(work, `targets-${n}.out`),
      '-c',
      `config=${config}`,
    ]);
    one ??= r.seconds;
    console.log(
      `${String(n).padStart(7)}  ${`${accounts} x ${regions.length}`.padStart(17)}  ${fmt(r.seconds).padStart(7)}  ${fmt(r.peakMb, 0).padStart(7)}   ${fmt(r.seconds / one, 1).padStart(5)}x`,
    );
  }

  // 3. npm test.
  const t = run(['npm', 'test', '--silent', '--', '--silent']);
  console.log(`\nnpm test wall time: ${fmt(t.seconds)} s (target <= 60 s on 2 cores)`);
  fs.rmSync(work, { recursive: true, force: true });
}

main();
