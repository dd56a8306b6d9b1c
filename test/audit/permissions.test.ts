import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AUDIT_PERMISSIONS as FROM_CHECKS, CHECKS } from '../../lib/audit/checks';
import { AUDIT_PERMISSIONS, CHECK_PERMISSIONS } from '../../lib/audit/permissions';

const ROOT = path.join(__dirname, '..', '..');
const SDK = /[\\/]node_modules[\\/]@(aws-sdk|smithy)[\\/]/;

// The permission list itself (49 actions) is pinned elsewhere: test/audit/readme-audit.test.ts
// compares it with the README's literal list, test/audit/checks.test.ts with the API calls the
// checks make against a mocked account, test/constructs/auditor-role.spec.ts with the role's policy.
describe('one source of truth for the audit permissions (lib/audit/permissions.ts)', () => {
  test('every check has an entry and every entry a check', () => {
    expect(CHECKS.map((c) => c.name).sort()).toEqual(Object.keys(CHECK_PERMISSIONS).sort());
  });

  test.each(CHECKS.map((c) => [c.name, c] as const))(
    "check %s's permissions are its entry",
    (name, check) => {
      const entry: readonly string[] = CHECK_PERMISSIONS[name as keyof typeof CHECK_PERMISSIONS];
      // The same array, not an equal copy: the check and the auditor role cannot drift apart.
      expect(check.permissions).toBe(entry);
      expect(entry.length).toBeGreaterThan(0);
      expect(new Set(entry).size).toBe(entry.length);
    },
  );

  test('AUDIT_PERMISSIONS is the sorted union of what the checks declare, the same from both modules', () => {
    expect([...AUDIT_PERMISSIONS]).toEqual([...new Set(CHECKS.flatMap((c) => c.permissions))].sort());
    expect(FROM_CHECKS).toBe(AUDIT_PERMISSIONS);
  });
});

/**
 * Loads `script` (CommonJS, run with tsx like `cdk synth` runs bin/app.ts) in a fresh Node.js
 * process and returns every module file it loaded: CommonJS ones from require.cache, and anything
 * resolved through the ES module loader, recorded by a resolve hook registered first.
 */
function modulesLoadedBy(script: string): { loaded: string[]; output: unknown } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-permissions-'));
  try {
    const esmLog = path.join(dir, 'esm.txt');
    const hook =
      "import { appendFileSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const r = await next(specifier, context);\n' +
      `  appendFileSync(${JSON.stringify(esmLog)}, r.url + '\\n');\n` +
      '  return r;\n' +
      '}\n';
    const code =
      `require('node:module').register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));\n` +
      `const output = (() => { ${script} })();\n` +
      `require('node:fs').writeFileSync(${JSON.stringify(path.join(dir, 'out.json'))}, JSON.stringify({\n` +
      '  output, loaded: Object.keys(require.cache) }));\n';
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
      cwd: ROOT,
      env: { ...process.env, CDK_VALIDATION: 'false', PROBE_DIR: dir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (child.status !== 0) throw new Error(`child exited ${child.status}: ${child.stderr}`);
    const { output, loaded } = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
    const esm = fs.existsSync(esmLog) ? fs.readFileSync(esmLog, 'utf8').split('\n').filter(Boolean) : [];
    return { loaded: [...loaded, ...esm], output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the CDK app path loads no AWS SDK module', () => {
  test('building the default app (every environment, bundling on) loads nothing from @aws-sdk or @smithy', () => {
    const { loaded, output } = modulesLoadedBy(`
      const { App } = require('aws-cdk-lib');
      const { buildBaselineApp } = require('./lib/baseline-app');
      const context = JSON.parse(require('node:fs').readFileSync('cdk.json', 'utf8')).context;
      const app = new App({ outdir: process.env.PROBE_DIR + '/cdk.out', context, autoSynth: false });
      const stacks = buildBaselineApp(app);
      const { AuditorRole } = require('./lib/constructs/auditor-role');
      const auditors = app.node.findAll().filter((c) => c instanceof AuditorRole);
      return { stacks: stacks.map((s) => s.stackName), auditors: auditors.length };
    `);
    // The build really ran, with an AuditorRole per environment, and the probe saw its modules.
    expect(output).toEqual({
      stacks: expect.arrayContaining([
        'SecurityBaseline-dev',
        'SecurityBaseline-test',
        'SecurityBaseline-prod',
      ]),
      auditors: 3,
    });
    expect(loaded).toContainEqual(expect.stringMatching(/lib[\\/]constructs[\\/]auditor-role\.ts$/));
    expect(loaded).toContainEqual(expect.stringMatching(/lib[\\/]audit[\\/]permissions\.ts$/));
    expect(loaded.filter((m) => SDK.test(m))).toEqual([]);
    // Nor the checks themselves (they are what loads the clients, when they run).
    expect(loaded.filter((m) => /lib[\\/]audit[\\/]checks[\\/]/.test(m))).toEqual([]);
  }, 120_000);

  test('the probe sees SDK modules where they are loaded: importing the checks loads none, a check its own client when it runs', () => {
    const { loaded, output } = modulesLoadedBy(`
      const { CHECKS } = require('./lib/audit/checks');
      const sdkModules = () => Object.keys(require.cache).filter((m) => ${SDK}.test(m));
      const afterImport = sdkModules();
      // What the kms check calls first when it runs (lib/audit/sdk.ts).
      require('./lib/audit/sdk').kmsSdk();
      return { checks: CHECKS.length, afterImport, afterKms: sdkModules().length };
    `);
    // The checks were imported, and that alone loaded no client (lib/audit/sdk.ts loads each on first use) ...
    expect(output).toMatchObject({ checks: CHECKS.length, afterImport: [] });
    expect(loaded).toContainEqual(expect.stringMatching(/lib[\\/]audit[\\/]checks[\\/]kms\.ts$/));
    // ... and the probe sees the client once the check's loader runs.
    expect((output as { afterKms: number }).afterKms).toBeGreaterThan(0);
    expect(loaded.filter((m) => SDK.test(m)).length).toBeGreaterThan(0);
    expect(loaded).toContainEqual(expect.stringMatching(/node_modules[\\/]@aws-sdk[\\/]client-kms[\\/]/));
    expect(loaded).not.toContainEqual(expect.stringMatching(/node_modules[\\/]@aws-sdk[\\/]client-ec2[\\/]/));
  }, 120_000);
});
