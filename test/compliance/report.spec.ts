import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { CONTROL_CATALOGUE } from '../../lib/compliance/catalogue';
import {
  buildControlsReport,
  ControlsReport,
  REPORT_JSON,
  REPORT_MARKDOWN,
} from '../../lib/compliance/report';
import { reportJsonSchema, reportSchema } from '../../lib/compliance/report-schema';
import { POLICY_RULES } from '../../lib/compliance/rules';
import { testApp } from '../helpers';

/** Synthesize the default app (optionally one environment) and read the report it wrote. */
function synthReport(env?: string): { report: ControlsReport; markdown: string; stderr: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
  const app = testApp({ outdir, context: env ? { env } : {} });
  buildBaselineApp(app);
  const lines: string[] = [];
  const spy = jest
    .spyOn(console, 'error')
    .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    app.synth();
  } finally {
    spy.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf8')) as ControlsReport;
  const markdown = fs.readFileSync(path.join(outdir, REPORT_MARKDOWN), 'utf8');
  fs.rmSync(outdir, { recursive: true, force: true });
  return { report, markdown, stderr: lines.join('\n') };
}

const STATUSES = ['implemented', 'acknowledged', 'failing', 'not-applicable', 'not-implemented'];

describe('the controls report of the default configuration, prod environment (CMP-04)', () => {
  // One environment keeps the suite fast; the report covers the baseline and the workload stack.
  const { report, markdown, stderr } = synthReport('prod');
  const control = (id: string) => report.controls.find((c) => c.id === id)!;

  test('validates against its published schema, and the published JSON Schema is current', () => {
    const parsed = reportSchema.safeParse(report);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const published = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'compliance-report.schema.json'), 'utf8'),
    );
    expect(published).toEqual(reportJsonSchema()); // regenerate with `npm run report-schema`
  });

  test('has the documented schema version and lists the stacks', () => {
    expect(report.schemaVersion).toBe('1.2');
    expect(report.generatedBy).toMatch(/^cdk-security-baseline \d+\.\d+\.\d+$/);
    expect(report.stacks).toEqual(['SecurityBaseline-prod', 'SecurityBaseline-prod-Workload']);
  });

  test('lists every control ID of the catalogue once, in order, each with a known status and its policy sources', () => {
    expect(report.controls.map((c) => c.id)).toEqual(CONTROL_CATALOGUE.map((c) => c.id));
    for (const c of report.controls) {
      expect([c.id, STATUSES.includes(c.status)]).toEqual([c.id, true]);
      expect(c.policySources.length).toBeGreaterThan(0);
      expect(c.policySources[0]).toEqual({
        seed: expect.stringMatching(/^00\d$/),
        file: expect.stringMatching(/\.md$/),
        heading: expect.any(String),
        statement: expect.any(String),
      });
    }
    const total = Object.values(report.summary).reduce((a, b) => a + b, 0);
    expect(total).toBe(CONTROL_CATALOGUE.length);
  });

  test('derives implementations from the constructs: ENC-02 is kept by every BaselineKey, per environment', () => {
    expect(control('ENC-02').status).toBe('implemented');
    const keys = [
      'AuditLogKey', // also the access-log bucket's key in the home region
      'BackupVault/Key',
      'AccountHardening/EbsKey',
      'SecurityAlerts/Key',
      'ThreatDetection/Key',
      '-Workload/DataKey',
      '-Workload/Network/FlowLogKey',
      '-Workload/WebAcl/LogKey',
    ];
    expect([...control('ENC-02').implementedBy].sort()).toEqual(
      keys
        .map((k) =>
          k.startsWith('-') ? `ReferenceWorkload/SecurityBaseline-prod${k}` : `SecurityBaseline-prod/${k}`,
        )
        .sort(),
    );
  });

  test('shows the checks behind a control with their results', () => {
    const keys = control('ENC-02').implementedBy.length;
    const checks = Object.fromEntries(control('ENC-02').checks.map((k) => [k.ruleId, k]));
    expect(checks['SecurityPolicy-KMSKeyRotationPeriod']).toMatchObject({
      pack: 'SecurityPolicy',
      pass: keys,
      fail: 0,
      acknowledged: [],
    });
    expect(checks['AwsSolutions-KMS5']).toMatchObject({ pass: keys, fail: 0 });
  });

  test('an acknowledged finding appears with its reason under the control it concerns', () => {
    const iam03 = control('IAM-03');
    expect(iam03.status).toBe('acknowledged');
    const iam4 = iam03.checks.find((k) => k.ruleId === 'AwsSolutions-IAM4')!;
    expect(iam4.acknowledged).toContainEqual({
      finding: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]',
      path: expect.stringMatching(/^SecurityBaseline-prod\/AccessRoles\/BreakGlass\//),
      reason: expect.stringMatching(/.{40}/),
    });
  });

  test('prod implements backups, restore tests and data events; an opt-in control that is off says which setting', () => {
    for (const id of ['DATA-03', 'DATA-04', 'LOG-03'])
      expect([id, control(id).status]).toEqual([id, expect.stringMatching(/^(implemented|acknowledged)$/)]);
    expect(control('DATA-06')).toMatchObject({
      status: 'not-applicable',
      statusReason: expect.stringContaining('workload.piiDiscovery'),
    });
  });

  test('records the compliance machinery itself: CMP-01..04', () => {
    for (const id of ['CMP-01', 'CMP-02', 'CMP-03', 'CMP-04'])
      expect([id, control(id).status]).toEqual([id, 'implemented']);
  });

  test('counts every pack: cdk-nag packs with passes, the guard with violations only', () => {
    expect(report.packs.map((p) => p.name)).toEqual([
      'AwsSolutions',
      'NIST.800.53.R5',
      'HIPAA.Security',
      'PCI.DSS.321',
      'SecurityPolicy',
      'cdk-validator-cfnguard',
    ]);
    for (const p of report.packs) expect([p.name, p.fail]).toEqual([p.name, 0]);
    expect(report.packs.find((p) => p.name === 'SecurityPolicy')).toMatchObject({
      rules: POLICY_RULES.length,
      acknowledged: 0,
    });
    expect(report.packs.find((p) => p.name === 'cdk-validator-cfnguard')).toMatchObject({
      pass: null,
      rules: 237,
    });
  });

  test('the Markdown names every control and the synth summary prints one line per pack and the report path', () => {
    for (const c of CONTROL_CATALOGUE) expect(markdown).toContain(`### ${c.id}: `);
    expect(stderr).toMatch(
      /Compliance checks:\n {2}AwsSolutions +\d+ rules +\d+ pass +0 fail +\d+ acknowledged/,
    );
    for (const name of [
      'NIST.800.53.R5',
      'HIPAA.Security',
      'PCI.DSS.321',
      'SecurityPolicy',
      'cdk-validator-cfnguard',
    ])
      expect(stderr).toContain(`  ${name} `);
    expect(stderr).toMatch(/Controls report: .*compliance-report\.md \(44 controls: /);
  });
});

describe('the report follows the configuration', () => {
  test('OPS-03 is implemented with prod and not applicable to a dev-only app', () => {
    // Statuses follow the construct tree; no synth (and no checks) needed for this one.
    const app = testApp({ context: { env: 'dev' } });
    buildBaselineApp(app);
    const dev = buildControlsReport(app, [], 'test').controls.find((c) => c.id === 'OPS-03')!;
    expect(dev.status).toBe('not-applicable');
    expect(dev.statusReason).toContain('terminationProtection');
  });
});
