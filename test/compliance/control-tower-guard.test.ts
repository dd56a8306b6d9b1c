// The Control Tower rules through cfn-guard (CMP-03), run on template slices (issue 18): every rule
// still runs, and finds exactly what one cfn-guard run of every rule over the whole templates finds.
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackgroundCheck } from '../../lib/compliance/background';
import { ControlTowerGuard, LANE_WORK } from '../../lib/compliance/control-tower-guard';
import { planGuardRuns, ruleTypes, sliceTemplate } from '../../lib/compliance/guard-slices';

const RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);
const ruleFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? ruleFiles(p) : p.endsWith('.guard') ? [p] : [];
  });
const RULES = ruleFiles(RULES_DIR).map((file) => ({ file, types: ruleTypes(fs.readFileSync(file, 'utf8')) }));
const ALL_TYPES = [...new Set(RULES.flatMap((r) => r.types))].sort();

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Write `template` as CDK does (JSON, one-space indent) and return its path. */
function writeTemplate(name: string, template: unknown): string {
  const file = path.join(dir, `${name}.template.json`);
  fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
  return file;
}

/** Every finding of a report, one line each, in a stable order. */
function findings(report: PolicyValidationPluginReport): string[] {
  return report.violations
    .flatMap((v) =>
      v.violatingResources.map((r) =>
        JSON.stringify([v.ruleName, v.description, v.fix, r.templatePath, r.resourceLogicalId, r.locations]),
      ),
    )
    .sort();
}

/**
 * The reference: cfn-guard's findings in one run over the whole templates, of every bundled rule that
 * names a type the templates hold (a rule whose types are absent finds nothing: tested below).
 */
function wholeTemplateFindings(templates: string[]): string[] {
  const types = new Set(
    templates.flatMap((t) =>
      Object.values(
        (JSON.parse(fs.readFileSync(t, 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources,
      ).map((r) => r.Type),
    ),
  );
  const rules = RULES.filter((r) => r.types.length === 0 || r.types.some((t) => types.has(t))).map(
    (r) => r.file,
  );
  return findings(
    new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate({
      templatePaths: templates,
    } as never),
  );
}

describe('sliceTemplate', () => {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { P: { Type: 'String' } },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'b' }, DeletionPolicy: 'Retain' },
      Key: {
        Properties: { Description: 'first: before Type' },
        Type: 'AWS::KMS::Key',
        DependsOn: ['Bucket'],
      },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { Ref: 'Key' }, Note: 'x, "y" }' } },
      Odd: { Properties: { NoType: true } },
    },
    Outputs: { O: { Value: { Ref: 'Bucket' } } },
  };
  const text = JSON.stringify(template, undefined, 1);

  test('keeps the chosen types whole, the others as logical ID and Type, everything else as it was', () => {
    const slice = sliceTemplate(text, (t) => t === 'AWS::SNS::Topic')!;
    expect(JSON.parse(slice)).toEqual({
      ...template,
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket' },
        Key: { Type: 'AWS::KMS::Key' },
        Topic: template.Resources.Topic,
        Odd: template.Resources.Odd,
      },
    });
  });

  test('every kept character stays at its line and column', () => {
    const slice = sliceTemplate(text, (t) => t === 'AWS::KMS::Key')!;
    expect(slice.length).toBe(text.length);
    expect(slice.split('\n').length).toBe(text.split('\n').length);
    for (let i = 0; i < text.length; i++) if (slice[i] !== ' ') expect(slice[i]).toBe(text[i]);
    // The kept resource is untouched.
    const key = text.indexOf('"Key"');
    expect(slice.slice(key, text.indexOf('"Topic"'))).toBe(text.slice(key, text.indexOf('"Topic"')));
  });

  test('a minified template and one whose only resources are elsewhere', () => {
    const min = JSON.stringify(template);
    expect(JSON.parse(sliceTemplate(min, (t) => t === 'AWS::S3::Bucket')!).Resources.Key).toEqual({
      Type: 'AWS::KMS::Key',
    });
    const typed = JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } } });
    expect(sliceTemplate(typed, (t) => t === 'AWS::SNS::Topic')).toBeUndefined();
    expect(sliceTemplate(JSON.stringify({ Resources: {} }), () => true)).toBeUndefined();
  });

  test('text that is not a JSON object is an error, not a silent pass', () => {
    expect(() => sliceTemplate('[1]', () => true)).toThrow(/JSON object/);
    expect(() => sliceTemplate('{"Resources": {"A": {"Type": "AWS::S3::Bucket"', () => true)).toThrow();
  });
});

describe('planGuardRuns', () => {
  test('runs every rule whose types a template holds exactly once, on slices mapped to their template', () => {
    const a = writeTemplate('PlanA', { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: {} } } });
    const b = writeTemplate('PlanB', { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: {} } } });
    const runs = planGuardRuns(RULES, [a, b], fs.mkdtempSync(path.join(dir, 'plan-')));
    const planned = runs.flatMap((r) => r.rules);
    expect(new Set(planned).size).toBe(planned.length);
    const expected = RULES.filter(
      (r) =>
        r.types.length === 0 || r.types.includes('AWS::S3::Bucket') || r.types.includes('AWS::SNS::Topic'),
    ).map((r) => r.file);
    expect(planned.sort()).toEqual(expected.sort());
    for (const run of runs) for (const d of run.data) expect([a, b]).toContain(d.template);
    const s3 = runs.find((r) => r.rules.some((f) => f.endsWith('ct-s3-pr-2.guard')))!;
    expect(s3.data.map((d) => d.template)).toEqual([a]);
  });
});

test('small groups are merged into fewer runs, each keeping every type its rules name', () => {
  const files = ['A', 'B', 'C'].map((n) =>
    writeTemplate(`Merge${n}`, {
      Resources: Object.fromEntries(
        ALL_TYPES.slice(0, 40).map((type, i) => [`R${i}`, { Type: type, Properties: {} }]),
      ),
    }),
  );
  const plan = (runCost?: number) =>
    planGuardRuns(RULES, files, fs.mkdtempSync(path.join(dir, 'merge-')), runCost);
  const separate = plan(0);
  const merged = plan();
  expect(merged.length).toBeLessThan(separate.length);
  for (const runs of [separate, merged]) {
    const planned = runs.flatMap((r) => r.rules).sort();
    expect(new Set(planned).size).toBe(planned.length);
    expect(planned).toEqual(separate.flatMap((r) => r.rules).sort());
    for (const run of runs)
      for (const d of run.data) {
        const kept = Object.values(
          (
            JSON.parse(fs.readFileSync(d.file, 'utf8')) as {
              Resources: Record<string, { Properties?: unknown }>;
            }
          ).Resources,
        ).filter((r) => r.Properties !== undefined).length;
        const types = new Set(run.rules.flatMap((f) => RULES.find((r) => r.file === f)!.types));
        expect(kept).toBe(ALL_TYPES.slice(0, 40).filter((t) => types.has(t)).length);
      }
  }
  expect(plan(1e12)).toHaveLength(1);
});

describe('ControlTowerGuard (CMP-03)', () => {
  const guard = new ControlTowerGuard();

  test('knows all the bundled Control Tower rules', () => {
    expect(guard.ruleIds.length).toBe(RULES.length);
    expect(RULES.length).toBeGreaterThan(200);
  });

  test('no bundled rule fails on a template without the types it names (so such templates are left out)', () => {
    // One run of every rule over one template holding a single resource of a type no rule names.
    const lonely = writeTemplate('Lonely', {
      Resources: { Thing: { Type: 'AWS::Fake::Thing', Properties: { Anything: 1 } } },
    });
    expect(ALL_TYPES).not.toContain('AWS::Fake::Thing');
    expect(findings(new CfnGuardValidator({}).validate({ templatePaths: [lonely] } as never))).toEqual([]);
  });

  test('finds exactly what every rule over whole templates finds: one non-compliant resource of every type', () => {
    // Each type any rule names, with empty properties (most rules then fail), plus references that
    // rules resolve within the template (Ref / GetAtt to resources of other types).
    const resources: Record<string, unknown> = {};
    ALL_TYPES.forEach((type, i) => {
      resources[`R${i}`] = { Type: type, Properties: {} };
    });
    const ref = (type: string) => `R${ALL_TYPES.indexOf(type)}`;
    resources.Perm = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: ref('AWS::Lambda::Function') },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [ref('AWS::S3::Bucket'), 'Arn'] },
      },
    };
    resources.Logged = {
      Type: 'AWS::S3::Bucket',
      Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: ref('AWS::S3::Bucket') } } },
    };
    const sink = writeTemplate('KitchenSink', { Resources: resources });
    const reference = wholeTemplateFindings([sink]);
    // Most rules fire (the rest need a property present to object to).
    const firing = new Set(reference.map((f) => (JSON.parse(f) as string[])[0]));
    expect(firing.size).toBeGreaterThan(RULES.length / 2);
    expect(findings(guard.validate({ templatePaths: [sink] } as never))).toEqual(reference);
  });

  test('a reference to a missing resource crashes the plugin with slices as without (a crash fails the gate)', () => {
    const broken = writeTemplate('Broken', {
      Resources: {
        Perm: {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            Principal: 's3.amazonaws.com',
            SourceArn: { Ref: 'Nowhere' },
          },
        },
      },
    });
    expect(() => wholeTemplateFindings([broken])).toThrow(/failed processing cfn-guard results/);
    expect(() => guard.validate({ templatePaths: [broken] } as never)).toThrow(
      /failed processing cfn-guard results/,
    );
  });

  /**
   * A fresh plugin's findings for `templatePaths`, started in the background as the gate does
   * (prefetch, then validate), and how many child processes it started.
   */
  function inBackground(templatePaths: string[], mode?: string) {
    const saved = process.env.CDK_SECURITY_BASELINE_BACKGROUND;
    const started = jest.spyOn(BackgroundCheck, 'start');
    if (mode !== undefined) process.env.CDK_SECURITY_BASELINE_BACKGROUND = mode;
    try {
      const plugin = new ControlTowerGuard();
      plugin.prefetch({ templatePaths } as never);
      const children = started.mock.calls.length;
      return { children, findings: findings(plugin.validate({ templatePaths } as never)) };
    } finally {
      started.mockRestore();
      if (saved === undefined) delete process.env.CDK_SECURITY_BASELINE_BACKGROUND;
      else process.env.CDK_SECURITY_BASELINE_BACKGROUND = saved;
    }
  }

  test("finds exactly what every rule over whole templates finds in the default app's templates, in one child per LANE_WORK up to one per core", () => {
    const fixtures = path.join(__dirname, '..', 'fixtures', 'guard');
    const templates = fs.readdirSync(fixtures).map((f) => path.join(fixtures, f));
    expect(templates.length).toBeGreaterThanOrEqual(2);
    const reference = wholeTemplateFindings(templates);
    expect(reference.length).toBeGreaterThan(0);
    const work = planGuardRuns(RULES, templates, fs.mkdtempSync(path.join(dir, 'plan-'))).reduce(
      (sum, r) => sum + r.cost,
      0,
    );
    const lanes = Math.max(1, Math.min(4, os.cpus().length));
    expect(work).toBeGreaterThanOrEqual(2 * LANE_WORK); // worth two children where there are two cores
    expect(inBackground(templates)).toEqual({
      children: Math.min(lanes, Math.floor(work / LANE_WORK)),
      findings: reference,
    });
  });

  test('a small app is checked in this process (less than LANE_WORK), or in one child when asked; the findings are the same', () => {
    const small = writeTemplate('Small', {
      Resources: {
        Bare: { Type: 'AWS::S3::Bucket', Properties: {} },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    });
    const inProcess = inBackground([small]);
    expect(inProcess.children).toBe(0);
    expect(inProcess.findings).toEqual(wholeTemplateFindings([small]));
    expect(inProcess.findings.length).toBeGreaterThan(0);
    expect(inBackground([small], 'always')).toEqual({ children: 1, findings: inProcess.findings });
  });
});
