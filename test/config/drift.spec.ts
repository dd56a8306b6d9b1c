import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildControlsReport } from '../../lib/compliance/report';
import { ConfigError, loadConfig, resolveConfig } from '../../lib/config/loader';
import { buildFromConfig, withTempFile } from '../helpers';

// Regression tests for the three places where one setting had drifted between the schema, the
// resolved types, the composition and the report, and for duplicate keys (issue 15).

const ROOT = path.join(__dirname, '..', '..');

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('audit.alertEmails is never accepted and ignored', () => {
  test('it is rejected, pointing at the alert routing that delivers the audit findings', () => {
    const err = configError(() =>
      resolveConfig(
        { environments: { prod: { audit: { alertEmails: ['security@example.com'] } } } },
        'baseline.json',
      ),
    );
    expect(err.problems).toEqual([
      {
        path: 'environments.prod.audit.alertEmails',
        received: ['security@example.com'],
        message: expect.stringContaining('alerts.medium.emails'),
      },
    ]);
  });
});

describe('the report knows every switch that turns a control off', () => {
  test('with workload.enabled false, NET-01..05 and DATA-02 are not applicable (targets.example.json)', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'targets.example.json'), 'utf8'));
    const { app } = buildFromConfig(config);
    const report = buildControlsReport(app, [], 'test');
    const status = (id: string) => report.controls.find((c) => c.id === id)!;
    for (const id of ['NET-01', 'NET-02', 'NET-03', 'NET-04', 'NET-05', 'DATA-02']) {
      expect([id, status(id).status]).toEqual([id, 'not-applicable']);
      expect(status(id).statusReason).toContain('workload.enabled');
    }
    // Still implemented: nothing else is reported off.
    expect(status('DATA-01').status).toBe('implemented');
    // An opt-in control that is off names the setting that turns it on.
    expect(status('NET-06')).toMatchObject({
      status: 'not-applicable',
      statusReason: expect.stringContaining('ddos.shieldAdvanced'),
    });
  });

  test('with the workload on, the same controls are implemented', () => {
    const { app } = buildFromConfig({ environments: { dev: {} } });
    const report = buildControlsReport(app, [], 'test');
    for (const id of ['NET-01', 'NET-03', 'DATA-02']) {
      expect(report.controls.find((c) => c.id === id)!.status).toBe('implemented');
    }
  });
});

describe('policy.maxKeyRotationDays is one value, held once', () => {
  const raw = {
    policy: { maxKeyRotationDays: 180 },
    environments: { dev: { keys: { rotationPeriodDays: 180 } }, prod: {} },
  };

  test('the loaded configuration carries the policy once, not a copy per environment', () => {
    const loaded = withTempFile('c.json', JSON.stringify(raw), (file) => loadConfig({ configFile: file }));
    expect(loaded.policy).toEqual({ maxKeyRotationDays: 180 });
    for (const e of loaded.environments) expect(e.keys).toEqual({ rotationPeriodDays: expect.any(Number) });
  });

  test('it reaches every stack, whichever environment is built first', () => {
    const { stacks } = buildFromConfig(
      { ...raw, environments: { prod: {}, dev: raw.environments.dev } },
      { gate: false }, // a template fact; the gate's own maximum is tested in test/compliance
    );
    const dev = stacks.find((s) => s.stackName === 'SecurityBaseline-dev')!;
    Template.fromStack(dev).hasResourceProperties('AWS::KMS::Key', { RotationPeriodInDays: 180 });
  });
});

describe('duplicate keys', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dup-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('two "prod" environments are rejected with both locations', () => {
    const file = path.join(dir, 'two-prods.json');
    fs.writeFileSync(
      file,
      '{\n  "environments": {\n    "prod": { "profile": "prod" },\n    "prod": { "profile": "dev" }\n  }\n}\n',
    );
    const err = configError(() => loadConfig({ configFile: file }));
    expect(err.problems).toEqual([
      {
        path: 'environments.prod',
        received: { profile: 'dev' },
        message: 'a key given once: "prod" appears at line 3, column 5 and again at line 4, column 5',
      },
    ]);
  });
});
