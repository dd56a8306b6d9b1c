// Gate integrity (issue 12): every unacknowledged finding of every plugin fails synth, whatever else
// is acknowledged; a gate that sees nothing does not pass; CloudFormation validation warnings count.
import { App, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { ControlsReport, REPORT_JSON } from '../../lib/compliance/report';
import { GatedPlugin, gateProblems } from '../../lib/compliance/gate';
import { PackResults } from '../../lib/compliance/results';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { testApp } from '../helpers';
import { synthGate } from './gate-helpers';

const CT_LOGGING = 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check';

/** A SecureBucket whose access logging an escape hatch removed: only the Control Tower rule sees it. */
function unloggedBucket(stack: Stack, id: string): SecureBucket {
  const b = new SecureBucket(stack, id);
  (b.bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('LoggingConfiguration');
  return b;
}

describe('defect 1: one acknowledged Control Tower finding no longer lets the others through', () => {
  const run = synthGate((app) => {
    const s = new Stack(app, 'Consumer');
    const acked = unloggedBucket(s, 'Acked');
    unloggedBucket(s, 'NotAcked');
    Validations.of(acked).acknowledge({ id: CT_LOGGING, reason: 'test: logs go to a SIEM bucket elsewhere' });
  });

  test('synth fails, on the unacknowledged bucket only', () => {
    expect(run.threw).toBe(true);
    expect(run.problems.map((p) => `${p.ruleId} ${p.path}`)).toEqual([
      's3_bucket_logging_enabled_check Consumer/NotAcked/Resource/Resource',
    ]);
  });

  test("aws-cdk-lib's own recount would also fail now: the guard's violations carry a severity", () => {
    const guard = run.pluginReports.find((r) => r.pluginName === 'cdk-validator-cfnguard')!;
    expect(guard.violations.map((v) => [v.ruleName, (v as { severity?: string }).severity])).toEqual([
      ['s3_bucket_logging_enabled_check', 'error'],
    ]);
  });

  test('the controls report shows the control failing, and the gate verdict with the finding', () => {
    const data01 = run.report!.controls.find((c) => c.id === 'DATA-01')!;
    expect(data01.status).toBe('failing');
    expect(run.report!.gate).toMatchObject({ passed: false, unacknowledged: 1 });
  });

  test('with both acknowledged, synth passes', () => {
    const both = synthGate((app) => {
      const s = new Stack(app, 'Consumer');
      for (const id of ['A', 'B'])
        Validations.of(unloggedBucket(s, id)).acknowledge({ id: CT_LOGGING, reason: 'test' });
    });
    expect([both.threw, both.problems]).toEqual([false, []]);
  });

  test.each([
    ['without the plugin namespace', 's3_bucket_logging_enabled_check'],
    ['under another plugin namespace', 'SomeOtherPlugin::s3_bucket_logging_enabled_check'],
  ])('an acknowledgement %s does not cover it (synth would not remove it)', (_how, id) => {
    const r = synthGate((app) => {
      Validations.of(unloggedBucket(new Stack(app, 'Consumer'), 'B')).acknowledge({ id, reason: 'test' });
    });
    expect(r.problems.map((p) => p.ruleId)).toEqual(['s3_bucket_logging_enabled_check']);
  });
});

describe('defect 1: the prod baseline with log file validation forced off by an override', () => {
  // The app as `cdk synth -c env=prod` builds it (buildBaselineApp enables the gate), plus one override.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-override-'));
  const app = testApp({ outdir, context: { env: 'prod' } });
  const baseline = buildBaselineApp(app).find((s) => s.stackName === 'SecurityBaseline-prod')!;
  baseline.node
    .findAll()
    .find(
      (c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::CloudTrail::Trail',
    )!
    .addPropertyOverride('EnableLogFileValidation', false);
  let message = '';
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    message = String(e);
  } finally {
    spy.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf8')) as ControlsReport;
  fs.rmSync(outdir, { recursive: true, force: true });

  test('fails synth under our pack and the Control Tower rule, and says how many findings', () => {
    expect(message).toMatch(/synth failed: \d+ unacknowledged findings?/);
    expect(report.gate.problems.map((p) => p.ruleId)).toEqual(
      expect.arrayContaining([
        'SecurityPolicy-CloudTrailAuditTrail[EnableLogFileValidation]',
        'cloud_trail_log_file_validation_enabled_check',
      ]),
    );
  });

  test('its controls report shows LOG-01 failing', () => {
    expect(report.controls.find((c) => c.id === 'LOG-01')!.status).toBe('failing');
  });
});

describe('one finding acknowledged and one not, for each plugin family', () => {
  test('cdk-nag packs', () => {
    const r = synthGate((app) => {
      const s = new Stack(app, 'S');
      const acked = new kms.Key(s, 'Acked', { enableKeyRotation: false });
      new kms.Key(s, 'NotAcked', { enableKeyRotation: false });
      Validations.of(acked).acknowledge({ id: 'AwsSolutions-KMS5', reason: 'test' });
    });
    const kms5 = r.problems.filter((p) => p.ruleId === 'AwsSolutions-KMS5').map((p) => p.path);
    expect([r.threw, kms5]).toEqual([true, ['S/NotAcked/Resource']]);
  });

  test('SecurityPolicy', () => {
    const yearly = { enableKeyRotation: true, rotationPeriod: Duration.days(365) };
    const r = synthGate((app) => {
      const s = new Stack(app, 'S');
      Validations.of(new kms.Key(s, 'Acked', yearly)).acknowledge({
        id: 'SecurityPolicy-KMSKeyRotationPeriod',
        reason: 'test',
      });
      new kms.Key(s, 'NotAcked', yearly);
    });
    const found = r.problems.filter((p) => p.ruleId === 'SecurityPolicy-KMSKeyRotationPeriod');
    expect([r.threw, found.map((p) => p.path)]).toEqual([true, ['S/NotAcked/Resource']]);
    expect(found[0].message).toContain(
      'RotationPeriodInDays is 365; use BaselineKey or set rotationPeriod to at most 90 days',
    );
  });

  describe('CloudFormation validation (defect 5: its warnings fail too)', () => {
    const previous = process.env.CDK_VALIDATION;
    const openSsh = (s: Stack, id: string) =>
      new ec2.CfnSecurityGroup(s, id, {
        groupDescription: 'test',
        securityGroupIngress: [{ cidrIp: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 22, toPort: 22 }],
      });
    /** Every other pack's finding on an open SSH group, acknowledged: only CloudFormation's W2508 is left. */
    const otherPacks = [
      'AwsSolutions-EC23',
      'NIST.800.53.R5-EC2RestrictedSSH',
      'HIPAA.Security-EC2RestrictedSSH',
      'PCI.DSS.321-EC2RestrictedSSH',
      'SecurityPolicy-SecurityGroupNoOpenAdminPorts[Port22]',
    ];
    // One synth for both cases (CloudFormation validation's engine costs about 1.5 s of CPU to start
    // in each synth): stack S holds the open SSH groups, stack P the schema error.
    let run: ReturnType<typeof synthGate>;
    beforeAll(() => {
      process.env.CDK_VALIDATION = 'true';
      try {
        run = synthGate(
          (app) => {
            const s = new Stack(app, 'S');
            for (const id of ['Acked', 'NotAcked']) {
              const sg = openSsh(s, id);
              for (const rule of otherPacks) Validations.of(sg).acknowledge({ id: rule, reason: 'test' });
            }
            Validations.of(s.node.findChild('Acked')).acknowledge({
              id: 'CloudFormation-Validate::W2508',
              reason: 'test',
            });
            const p = new Stack(app, 'P');
            new CfnResource(p, 'P', {
              type: 'AWS::SSM::Parameter',
              properties: { Type: 'String', Value: 'x', Bogus: 1 },
            });
            Validations.of(p).acknowledge({
              id: 'SecurityBaselineGate-PackCheckedNothing[all]',
              reason: 'test',
            });
          },
          { controlTowerRules: false },
        );
      } finally {
        process.env.CDK_VALIDATION = previous;
      }
    });
    const problemsIn = (stack: string) =>
      run.problems
        .filter((p) => p.path.startsWith(`${stack}/`))
        .map((p) => `${p.pack} ${p.ruleId} ${p.path}`);

    test('synth fails with exactly the two findings below, nothing else', () => {
      expect(run.threw).toBe(true);
      expect(run.problems.length).toBe(2);
    });

    test('W2508 (port 22 open to the world) fails synth where it is not acknowledged', () => {
      expect(problemsIn('S')).toEqual(['CloudFormation Validate W2508 S/NotAcked']);
    });

    test('a schema error found by CloudFormation validation fails synth', () => {
      expect(problemsIn('P')).toEqual(['CloudFormation Validate F3002 P/P']);
    });
  });
});

describe('defect 4: a gate that sees nothing does not pass', () => {
  test('a stack no public pack recognises anything in fails, until acknowledged with a reason', () => {
    const build = (ack: boolean) => (app: App) => {
      const s = new Stack(app, 'Params');
      new CfnResource(s, 'P', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x' } });
      if (ack)
        Validations.of(s).acknowledge({
          id: 'SecurityBaselineGate-PackCheckedNothing[all]',
          reason: 'test: only SSM parameters, which no pack has rules for',
        });
    };
    const r = synthGate(build(false));
    expect(r.threw).toBe(true);
    expect(r.problems.map((p) => `${p.ruleId} ${p.path}`)).toEqual([
      'SecurityBaselineGate-PackCheckedNothing[all] Params',
    ]);
    expect(synthGate(build(true)).problems).toEqual([]);
  });

  test('resources made with another copy of aws-cdk-lib fail synth with the reason', () => {
    // A second copy of aws-cdk-lib, as a consumer gets when a library brings its own: the same files
    // under another path (hard links, so nothing is copied), which Node loads as separate modules.
    const root = path.join(
      __dirname,
      '..',
      '..',
      'node_modules',
      '.cache',
      'second-aws-cdk-lib',
      'node_modules',
    );
    const copy = path.join(root, 'aws-cdk-lib');
    if (!fs.existsSync(path.join(copy, 'package.json'))) {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.mkdirSync(root, { recursive: true });
      execFileSync('cp', ['-al', path.dirname(require.resolve('aws-cdk-lib/package.json')), copy]);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module by path, loaded at run time
    const other = require(copy) as typeof import('aws-cdk-lib');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const otherS3 = require(path.join(copy, 'aws-s3')) as typeof import('aws-cdk-lib/aws-s3');
    expect(other.Stack).not.toBe(Stack); // really a second copy
    const app = new other.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'foreign-')) });
    const run = synthGate(
      (a) => new otherS3.Bucket(new other.Stack(a, 'Foreign'), 'Plain'),
      {},
      app as unknown as App,
    );
    expect(run.threw).toBe(true);
    const rules = run.problems.map((p) => p.ruleId);
    expect(rules).toContain('cdk-security-baseline-gate::ForeignAwsCdkLib');
    expect(rules).toContain('SecurityBaselineGate-PackCheckedNothing[all]');
    expect(run.problems.find((p) => p.ruleId.endsWith('ForeignAwsCdkLib'))!.message).toMatch(
      /npm ls aws-cdk-lib/,
    );
  });
});

describe('the verdict', () => {
  test('cannot be acknowledged away', () => {
    const r = synthGate((app) => {
      const s = new Stack(app, 'S');
      new kms.Key(s, 'K', { enableKeyRotation: false });
      Validations.of(app).acknowledge({
        id: 'cdk-security-baseline-gate::UnacknowledgedFindings',
        reason: 'x',
      });
      Validations.of(s).acknowledge({ id: 'UnacknowledgedFindings', reason: 'x' });
    });
    expect(r.threw).toBe(true);
    // The verdict itself is still in the report: neither acknowledgement removed it.
    const gate = r.pluginReports.find((p) => p.pluginName === 'cdk-security-baseline-gate');
    expect(gate?.violations.map((v) => v.ruleName)).toEqual(['UnacknowledgedFindings']);
  });

  test('a plugin that fails to validate fails synth', () => {
    const results = new PackResults('Broken', false);
    const broken = new GatedPlugin(
      {
        name: 'Broken',
        validate: () => {
          throw new Error('cannot read rules');
        },
      },
      results,
    );
    expect(() => broken.validate({ templatePaths: [] } as never)).toThrow('cannot read rules');
    const problems = gateProblems(testApp(), [results], new Set());
    expect(problems).toEqual([
      {
        pack: 'Broken',
        ruleId: 'Broken',
        path: '',
        message: 'the plugin failed to validate: cannot read rules',
      },
    ]);
  });
});
