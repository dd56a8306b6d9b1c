import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildBaselineApp } from '../lib/baseline-app';
import { CONTROL_CATALOGUE } from '../lib/compliance/catalogue';
import { buildControlsReport } from '../lib/compliance/report';
import { ConfigError } from '../lib/config/loader';
import { testApp } from './helpers';
import { missingStatefulIds, statefulIds } from './stacks/stateful-ids';

const ROOT = path.join(__dirname, '..');

describe('the default app, synthesized with CDK validation on', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-app-'));
  let report: {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
  };
  let templates: Record<string, any>;
  let assembly: CloudAssembly;
  let topLevel: string[];

  beforeAll(() => {
    // The one synth in the suite with CDK's built-in CloudFormation validation (test/setup-env.ts turns it off).
    const saved = process.env.CDK_VALIDATION;
    delete process.env.CDK_VALIDATION;
    try {
      const app = testApp({ outdir });
      buildBaselineApp(app);
      assembly = app.synth();
      topLevel = assembly.stacks.map((st) => st.stackName);
    } finally {
      process.env.CDK_VALIDATION = saved;
    }
    report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    // By stack name: the workload stacks' templates are in the ReferenceWorkload stage's assembly.
    templates = Object.fromEntries(
      assembly.stacksRecursively.map((st) => [`${st.stackName}.template.json`, st.template]),
    );
  }, 60_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  // The default configuration's case of test/stacks/stateful-logical-ids.test.ts, read from this
  // synth (templates do not depend on CDK validation) rather than from a second synth of the same app.
  test('keeps the logical IDs of its stateful resources (none recorded may go or be renamed)', () => {
    expect(missingStatefulIds('default', statefulIds(assembly, outdir))).toEqual([]);
  });

  test('writes a baseline and a reference-workload template per environment, the workloads where `cdk deploy --all` does not deploy them', () => {
    expect(topLevel.sort()).toEqual([
      'SecurityBaseline-dev',
      'SecurityBaseline-prod',
      'SecurityBaseline-test',
    ]);
    expect(Object.keys(templates).sort()).toEqual(
      ['dev', 'prod', 'test'].flatMap((e) => [
        `SecurityBaseline-${e}-Workload.template.json`,
        `SecurityBaseline-${e}.template.json`,
      ]),
    );
  });

  test('has no unacknowledged finding from any plugin (the four cdk-nag packs, CloudFormation validation)', () => {
    const findings = report.pluginReports
      .filter((r) => r.pluginName !== 'Construct Annotations')
      .flatMap((r) => r.violations);
    expect(findings).toEqual([]);
  });

  test("its only warnings are the deliberate, named weakenings of dev and test, and prod's irreversible vault lock", () => {
    const warnings = report.pluginReports
      .flatMap((r) => r.violations)
      .map((v) => `${v.severity} ${v.ruleName}`);
    expect(warnings).toEqual([
      'warning Annotation::cdk-security-baseline:weakened:LOG-02',
      'warning Annotation::cdk-security-baseline:irreversible:DATA-03',
    ]);
  });

  test('every KMS key rotates every 90 days and is retained; each baseline has its trail and Object-Locked bucket', () => {
    for (const [file, template] of Object.entries(templates)) {
      const resources = Object.values(template.Resources) as any[];
      const keys = resources.filter((r) => r.Type === 'AWS::KMS::Key');
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys)
        expect([k.DeletionPolicy, k.Properties.EnableKeyRotation, k.Properties.RotationPeriodInDays]).toEqual(
          ['Retain', true, 90],
        );
      if (file.includes('-Workload')) {
        // The workload: encrypted, SSL-forcing, deletion-protected database; WAF on the API.
        const db = resources.find((r) => r.Type === 'AWS::RDS::DBInstance');
        expect([db.DeletionPolicy, db.Properties.StorageEncrypted, db.Properties.DeletionProtection]).toEqual(
          ['Snapshot', true, true],
        );
        expect(
          resources.some(
            (r) =>
              r.Type === 'AWS::RDS::DBParameterGroup' && r.Properties.Parameters['rds.force_ssl'] === '1',
          ),
        ).toBe(true);
        expect(resources.some((r) => r.Type === 'AWS::WAFv2::WebACLAssociation')).toBe(true);
        expect(
          resources.some(
            (r) => r.Type === 'AWS::WAFv2::LoggingConfiguration' && r.Properties.RedactedFields.length === 2,
          ),
        ).toBe(true);
        expect(resources.some((r) => r.Type === 'AWS::EC2::FlowLog')).toBe(true);
        continue;
      }
      const trail = resources.find((r) => r.Type === 'AWS::CloudTrail::Trail');
      expect(trail.Properties).toMatchObject({ IsMultiRegionTrail: true, EnableLogFileValidation: true });
      expect(
        resources.some((r) => r.Type === 'AWS::S3::Bucket' && r.Properties.ObjectLockEnabled === true),
      ).toBe(true);
    }
  });
});

describe('an environment-specific configuration (config/example.json, prod)', () => {
  test('synthesizes offline: no context lookups, no unacknowledged findings', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-example-'));
    const app = testApp({
      outdir,
      context: { config: path.join(ROOT, 'config', 'example.json'), env: 'prod' },
    });
    buildBaselineApp(app);
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    fs.rmSync(outdir, { recursive: true, force: true });
    expect(assembly.manifest.missing ?? []).toEqual([]);
    expect(
      assembly.stacksRecursively.map((s) => [s.stackName, s.environment.account, s.environment.region]),
    ).toEqual([
      ['SecurityBaseline-prod', '333333333333', 'eu-west-1'],
      ['SecurityBaseline-prod-Workload', '333333333333', 'eu-west-1'],
    ]);
    const findings = report.pluginReports
      .filter((r: { pluginName: string }) => r.pluginName !== 'Construct Annotations')
      .flatMap((r: { violations: unknown[] }) => r.violations);
    expect(findings).toEqual([]);
  }, 60_000);
});

describe('a configuration mistake', () => {
  test('stops the app before any stack is created', () => {
    const app = testApp({ context: { env: 'staging' } });
    expect(() => buildBaselineApp(app)).toThrow(ConfigError);
    expect(app.node.children).toHaveLength(0);
  });
});

describe('the reference workload stage', () => {
  test('building it registers no second app that would synthesize over the real one at exit', () => {
    // Under the CDK CLI (CDK_OUTDIR set) every App synthesizes when the process exits: a stray one
    // once overwrote the cloud assembly with an empty manifest ("This app contains no stacks").
    const saved = process.env.CDK_OUTDIR;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-exit-'));
    process.env.CDK_OUTDIR = outdir;
    const before = process.listenerCount('beforeExit');
    try {
      const app = testApp({ outdir, context: { env: 'prod' } });
      const stacks = buildBaselineApp(app);
      expect(stacks.map((s) => s.stackName)).toEqual(['SecurityBaseline-prod']);
      expect(process.listenerCount('beforeExit') - before).toBe(1); // the app itself
      process.removeAllListeners('beforeExit');
    } finally {
      if (saved === undefined) delete process.env.CDK_OUTDIR;
      else process.env.CDK_OUTDIR = saved;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the shipped configurations', () => {
  test('together implement every control of the catalogue (opt-in ones in config/all-controls.example.json)', () => {
    const implemented = new Set<string>();
    for (const config of [undefined, 'all-controls.example.json']) {
      const app = testApp({ context: config ? { config: path.join(ROOT, 'config', config) } : {} });
      buildBaselineApp(app);
      for (const c of buildControlsReport(app, [], 'test').controls)
        if (c.status === 'implemented') implemented.add(c.id);
    }
    // SUP-01 is a property of this repository (test/supply-chain.test.ts), not of a synthesized app.
    const missing = CONTROL_CATALOGUE.map((c) => c.id).filter(
      (id) => !implemented.has(id) && id !== 'SUP-01',
    );
    expect(missing).toEqual([]);
  });
});
