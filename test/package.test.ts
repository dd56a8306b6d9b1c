import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The library as a stranger gets it: `npm pack` (which builds through `prepack`), a fresh
// `cdk init app --language typescript` project, the tarball installed beside a DIFFERENT
// aws-cdk-lib 2.x than this repository pins, type-checked, then synthesized with the real CDK CLI,
// once with no feature flags at all and once with the flags `cdk init` writes.
//
// It needs the npm registry (or npm's cache) for aws-cdk-lib@CONSUMER_CDK_LIB; it is the slow test
// of the suite (about a minute and a half on the 2-core development machine when npm's cache is
// warm). The scratch app's node_modules are cached under the OS temp directory, keyed by the
// lockfile and the consumer's manifest, so later runs only reinstall the tarball.

const ROOT = path.join(__dirname, '..');
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The release before this repository's pin: a consumer on another 2.x. */
const CONSUMER_CDK_LIB = '2.275.0';
const PINNED_CDK_LIB: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  .devDependencies['aws-cdk-lib'];

// The CLI's version check, notices and telemetry are off for every test (test/setup-env.ts).
const ENV = {
  ...process.env,
  // The consumer's synth runs CDK's CloudFormation validation, as a consumer's would.
  CDK_VALIDATION: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
delete (ENV as Record<string, string | undefined>).NODE_PATH;

// A typical service, the README's own example (examples/own-stacks.ts, which `npm run typecheck`
// compiles against the source): a Lambda function behind a REST API, a bucket it reads and a log
// group, not one acknowledgement in it. Here it is installed from the tarball and synthesized by the
// CDK CLI (the App synthesizes when the CLI runs it).
const COMPLIANT_APP = fs.readFileSync(path.join(ROOT, 'examples', 'own-stacks.ts'), 'utf8');

const PLAIN_BUCKET_APP = `import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BaselineCompliance } from 'cdk-security-baseline';

const app = new App();
new s3.Bucket(new Stack(app, 'PlainStack'), 'Plain');
BaselineCompliance.enable(app);
app.synth();
`;

// Issue 12, defect 1, from outside the repository: two buckets whose access logging an escape hatch
// removed (only the Control Tower rule and nothing else sees that), the Control Tower finding
// acknowledged on one (or, with BOTH=1, on both).
const CONTROL_TOWER_APP = `import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BaselineCompliance, SecureBucket } from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'LoggingStack');
for (const id of ['Acked', 'NotAcked']) {
  const bucket = new SecureBucket(stack, id);
  (bucket.bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('LoggingConfiguration');
  if (id === 'Acked' || process.env.BOTH === '1')
    Validations.of(bucket).acknowledge({
      id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
      reason: 'test: this bucket logs through a central trail',
    });
}
BaselineCompliance.enable(app);
app.synth();
`;

// The TypeScript-only entry point must resolve too (config loader and app builder).
const APP_SUBPATH = `import { App } from 'aws-cdk-lib';
import { buildBaselineApp, Finding, Acknowledgements } from 'cdk-security-baseline/app';

const stacks = buildBaselineApp(new App());
const names: string[] = stacks.map((s) => s.stackName);
const ids: string[] = Finding.S3_REPLICATION.ids;
export { names, ids, Acknowledgements };
`;

// The whole baseline from the package, as `cdk-security-baseline/app` builds it: every stack, the
// audit Lambda bundled from the package's compiled code (dist/), every check on.
const BASELINE_APP = `import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from 'cdk-security-baseline/app';

const app = new App();
buildBaselineApp(app);
app.synth();
`;

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) {
    throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`.slice(-6000));
  }
  return result.stdout;
}

const timings: Record<string, number> = {};
function timed<T>(label: string, f: () => T): T {
  const start = Date.now();
  try {
    return f();
  } finally {
    timings[label] = (Date.now() - start) / 1000;
  }
}

describe('the packed library in a fresh cdk init app on another aws-cdk-lib 2.x', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'package-test-'));
  const app = path.join(work, 'consumer');
  let tarball = '';
  let initContext: Record<string, unknown> = {};

  beforeAll(() => {
    expect(CONSUMER_CDK_LIB).not.toBe(PINNED_CDK_LIB);
    tarball = timed('npm pack (prepack builds)', () => {
      const out = ok(run(NPM, ['pack', '--silent', '--pack-destination', work], ROOT), 'npm pack');
      return path.join(work, out.trim().split('\n').pop()!.trim());
    });

    fs.mkdirSync(app);
    ok(
      run(process.execPath, [CDK, 'init', 'app', '--language', 'typescript', '--generate-only'], app),
      'cdk init',
    );
    initContext = JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).context;

    // cdk init's manifest, trimmed to what the check needs (no test runner), on CONSUMER_CDK_LIB.
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
    manifest.private = true;
    manifest.dependencies['aws-cdk-lib'] = CONSUMER_CDK_LIB;
    manifest.devDependencies = { '@types/node': '20.19.43' };
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf8'));
    tsconfig.compilerOptions.types = ['node'];
    tsconfig.include = ['bin/**/*.ts'];
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    fs.rmSync(path.join(app, 'test'), { recursive: true, force: true });
    fs.rmSync(path.join(app, 'lib'), { recursive: true, force: true });
    fs.rmSync(path.join(app, 'bin'), { recursive: true, force: true });
    fs.mkdirSync(path.join(app, 'bin'));
    fs.writeFileSync(path.join(app, 'bin', 'compliant.ts'), COMPLIANT_APP);
    fs.writeFileSync(path.join(app, 'bin', 'plain.ts'), PLAIN_BUCKET_APP);
    fs.writeFileSync(path.join(app, 'bin', 'subpath.ts'), APP_SUBPATH);
    fs.writeFileSync(path.join(app, 'bin', 'control-tower.ts'), CONTROL_TOWER_APP);
    fs.writeFileSync(path.join(app, 'bin', 'baseline.ts'), BASELINE_APP);

    // node_modules cached by what determines them (our lockfile and the consumer manifest).
    const key = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(ROOT, 'package-lock.json')))
      .update(JSON.stringify(manifest))
      .digest('hex')
      .slice(0, 16);
    const cache = path.join(os.tmpdir(), 'cdk-security-baseline-consumer-cache', key);
    if (fs.existsSync(path.join(cache, 'done'))) {
      timed('restore cached node_modules', () => {
        execFileSync('cp', ['-R', path.join(cache, 'node_modules'), app]);
        fs.copyFileSync(path.join(cache, 'package-lock.json'), path.join(app, 'package-lock.json'));
      });
    }
    timed('npm install (tarball + consumer deps)', () =>
      ok(run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app), 'npm install'),
    );
    if (!fs.existsSync(path.join(cache, 'done'))) {
      fs.rmSync(cache, { recursive: true, force: true });
      fs.mkdirSync(cache, { recursive: true });
      execFileSync('cp', ['-R', path.join(app, 'node_modules'), cache]);
      if (fs.existsSync(path.join(app, 'package-lock.json')))
        fs.copyFileSync(path.join(app, 'package-lock.json'), path.join(cache, 'package-lock.json'));
      fs.writeFileSync(path.join(cache, 'done'), new Date().toISOString());
    }
  }, 600_000);

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    // Jest hides console output of passing tests: the timings also go to a file.
    const line = `package test timings (s): ${Object.entries(timings)
      .map(([k, v]) => `${k}: ${v.toFixed(1)}`)
      .join('; ')}`;
    fs.writeFileSync(path.join(os.tmpdir(), 'cdk-security-baseline-package-test-timings.txt'), `${line}\n`);
    console.log(line);
  });

  test('the tarball ships compiled JS, .d.ts and the audit CLI, and no TypeScript sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/lib/index.js');
    expect(files).toContain('package/dist/lib/index.d.ts');
    expect(files).toContain('package/dist/lib/app.js');
    expect(files).toContain('package/dist/bin/baseline-audit.js');
    expect(files).toContain('package/bin/baseline-audit.js');
    expect(files).toContain('package/docs/CONTROLS.md');
    expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)test\//.test(f))).toEqual([]);
  });

  test('declares aws-cdk-lib and constructs as peer dependencies, so the app keeps exactly one aws-cdk-lib', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(app, 'node_modules', 'cdk-security-baseline', 'package.json'), 'utf8'),
    );
    expect(manifest.peerDependencies).toEqual({
      'aws-cdk-lib': expect.any(String),
      constructs: expect.any(String),
    });
    expect(manifest.dependencies['aws-cdk-lib']).toBeUndefined();
    const copies = ok(run(NPM, ['ls', 'aws-cdk-lib', '--all', '--parseable'], app), 'npm ls')
      .split('\n')
      .filter((l) => /node_modules[\\/]aws-cdk-lib$/.test(l.trim()));
    expect([...new Set(copies)]).toEqual([path.join(app, 'node_modules', 'aws-cdk-lib')]);
    const installed = JSON.parse(
      fs.readFileSync(path.join(app, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8'),
    );
    expect(installed.version).toBe(CONSUMER_CDK_LIB);
    // The installed package is this build (not a cached older tarball).
    const built = fs.readFileSync(path.join(ROOT, 'dist', 'lib', 'index.d.ts'), 'utf8');
    const inApp = fs.readFileSync(
      path.join(app, 'node_modules', 'cdk-security-baseline', 'dist', 'lib', 'index.d.ts'),
      'utf8',
    );
    expect(inApp).toBe(built);
  });

  test('type-checks with the cdk init tsconfig (both entry points)', () => {
    timed('tsc', () => ok(run(process.execPath, [TSC, '-p', 'tsconfig.json'], app), 'tsc'));
  }, 300_000);

  function synth(
    entry: string,
    context: Record<string, unknown> | undefined,
    extraEnv: Record<string, string> = {},
  ): SpawnSyncReturns<string> {
    fs.writeFileSync(
      path.join(app, 'cdk.json'),
      JSON.stringify({ app: `${JSON.stringify(process.execPath)} ${JSON.stringify(TSX)} ${entry}`, context }),
    );
    fs.rmSync(path.join(app, 'cdk.out'), { recursive: true, force: true });
    return spawnSync(process.execPath, [CDK, 'synth', '--quiet'], {
      cwd: app,
      // CloudFormation validation (~3 s) only where the stack must pass; the gate alone fails the plain bucket.
      env: {
        ...ENV,
        CDK_VALIDATION: entry === 'bin/compliant.ts' || entry === 'bin/baseline.ts' ? 'true' : 'false',
        ...extraEnv,
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  test('the whole baseline from the package synthesizes and passes the gate, the audit Lambda bundled from dist/', () => {
    const result = timed('synth the baseline app', () => synth('bin/baseline.ts', undefined));
    if (result.status !== 0) throw new Error((result.stdout + result.stderr).slice(-6000));
    expect(result.stderr).toContain('Compliance gate: passed (0 unacknowledged findings)');
    const out = path.join(app, 'cdk.out');
    expect(fs.existsSync(path.join(out, 'SecurityBaseline-prod.template.json'))).toBe(true);
    // The audit Lambda's asset: one bundle of the package's compiled handler, the AWS SDK left out.
    const template = JSON.parse(
      fs.readFileSync(path.join(out, 'SecurityBaseline-prod.template.json'), 'utf8'),
    ) as {
      Resources: Record<
        string,
        { Type: string; Properties?: { Handler?: string }; Metadata?: Record<string, string> }
      >;
    };
    const fn = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Metadata?.['aws:cdk:path']?.includes('/ContinuousAudit/Function/'),
    );
    expect(fn?.Properties?.Handler).toBe('index.handler');
    const bundle = fs.readFileSync(path.join(out, fn!.Metadata!['aws:asset:path'], 'index.js'), 'utf8');
    expect(bundle).toMatch(/handler/);
    expect(bundle).toMatch(/require\("@aws-sdk\/client-kms"\)/);
  }, 300_000);

  describe.each([
    ['no feature flags at all', () => undefined],
    ["cdk init's feature flags", () => initContext],
  ])('with %s', (label, context) => {
    test('a compliant stack synthesizes with no acknowledgements (exit 0) and writes the controls report', () => {
      expect(label === 'no feature flags at all' || Object.keys(context() ?? {}).length > 20).toBe(true);
      const result = timed(`synth compliant (${label})`, () => synth('bin/compliant.ts', context()));
      if (result.status !== 0) throw new Error(result.stdout + result.stderr);
      // The app acknowledges nothing itself (see COMPLIANT_APP); every pack ran and nothing failed.
      for (const pack of [
        'AwsSolutions',
        'NIST.800.53.R5',
        'HIPAA.Security',
        'PCI.DSS.321',
        'SecurityPolicy',
      ])
        expect(result.stderr).toMatch(
          new RegExp(`${pack.replace(/\./g, '\\.')} +\\d+ rules +\\d+ pass +0 fail`),
        );
      expect(fs.existsSync(path.join(app, 'cdk.out', 'Orders.template.json'))).toBe(true);
      expect(fs.existsSync(path.join(app, 'cdk.out', 'compliance-report.json'))).toBe(true);
    }, 300_000);

    test('a plain s3.Bucket fails the gate (exit 1), naming the findings', () => {
      const result = timed(`synth plain bucket (${label})`, () => synth('bin/plain.ts', context()));
      expect(result.status).toBe(1);
      const output = result.stdout + result.stderr;
      expect(output).toContain('PlainStack/Plain/Resource');
      expect(output).toMatch(/AwsSolutions-S1|S3BucketLoggingEnabled/);
    }, 300_000);
  });

  test('one Control Tower finding acknowledged and one not: cdk synth exits 1 on the other; both acknowledged: exit 0', () => {
    const one = timed('synth control tower, one acknowledged', () =>
      synth('bin/control-tower.ts', initContext),
    );
    expect(one.status).toBe(1);
    const output = one.stdout + one.stderr;
    expect(output).toMatch(/synth failed: 1 unacknowledged finding/);
    expect(output).toContain('s3_bucket_logging_enabled_check on LoggingStack/NotAcked/');
    expect(output).not.toContain('s3_bucket_logging_enabled_check on LoggingStack/Acked/');
    const both = timed('synth control tower, both acknowledged', () =>
      synth('bin/control-tower.ts', initContext, { BOTH: '1' }),
    );
    if (both.status !== 0) throw new Error(both.stdout + both.stderr);
  }, 300_000);
});
