import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { BaselineCompliance } from '../../../lib/compliance/baseline-compliance';
import { recordControls } from '../../../lib/compliance/controls';
import {
  CostEstimate,
  costSummary,
  estimateCost,
  StackTemplate,
  summaryLine,
  TemplateResource,
} from '../../../lib/compliance/cost/estimate';
import { stackTemplatesOf } from '../../../lib/compliance/cost/from-app';
import { renderCostMarkdown } from '../../../lib/compliance/cost/markdown';
import { HOURS_PER_MONTH, PRICE_TABLE } from '../../../lib/compliance/cost/prices';
import { costSchema } from '../../../lib/compliance/cost/schema';
import { buildControlsReport, renderMarkdown } from '../../../lib/compliance/report';
import { reportSchema } from '../../../lib/compliance/report-schema';
import { testApp } from '../../helpers';

/** A one-stack estimate of the given resources. */
function estimate(resources: Record<string, TemplateResource>, extra: Partial<StackTemplate> = {}) {
  return estimateCost([{ stack: 'S', resources, ...extra }]);
}
const one = (type: string, Properties: Record<string, unknown> = {}) =>
  estimate({ R: { Type: type, Properties } }).stacks[0];

const ROTATING_KEY = {
  Type: 'AWS::KMS::Key',
  Properties: { EnableKeyRotation: true, RotationPeriodInDays: 90 },
};

// Compile-time: the estimator's output is what the report schema accepts.
const _typesAgree: z.infer<typeof costSchema> = {} as CostEstimate;
void _typesAgree;

describe('price table entries, as pure functions of the rendered properties', () => {
  test('a rotating KMS key costs $1 at first and $3 once its first two rotations are billed; a key that does not rotate, $1', () => {
    expect([
      one('AWS::KMS::Key', ROTATING_KEY.Properties).fixedMonthly,
      one('AWS::KMS::Key', ROTATING_KEY.Properties).steadyMonthly,
    ]).toEqual([1, 3]);
    const plain = one('AWS::KMS::Key', { EnableKeyRotation: false });
    expect([plain.fixedMonthly, plain.steadyMonthly]).toEqual([1, 1]);
  });

  test('RDS: the instance class by the hour (730 h), doubled with Multi-AZ, plus allocated storage', () => {
    const props = {
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.medium',
      AllocatedStorage: '20',
      StorageType: 'gp2',
    };
    const single = one('AWS::RDS::DBInstance', { ...props, MultiAZ: false });
    expect(single.items.map((i) => [i.charge, i.monthly])).toEqual([
      ['db.t4g.medium postgres, single-AZ', 47.45],
      ['20 GB gp2 storage', 2.3],
    ]);
    const multi = one('AWS::RDS::DBInstance', { ...props, MultiAZ: true });
    expect(multi.fixedMonthly).toBe(99.5); // 94.90 + 4.60
    expect(one('AWS::RDS::DBInstance', { ...props, DBInstanceClass: 'db.t4g.micro' }).fixedMonthly).toBe(
      Math.round((0.016 * HOURS_PER_MONTH + 2.3) * 100) / 100,
    );
  });

  test('RDS values the table cannot price are reported with the value found, not priced at zero', () => {
    const base = { Engine: 'postgres', DBInstanceClass: 'db.t4g.medium', AllocatedStorage: 20 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { ...base, DBInstanceClass: 'db.x2iedn.32xlarge' },
        /DBInstanceClass db\.x2iedn\.32xlarge is not in the price table/,
      ],
      [{ ...base, DBInstanceClass: { Ref: 'InstanceClass' } }, /DBInstanceClass is not a literal/],
      [{ ...base, Engine: 'oracle-ee' }, /Engine oracle-ee: licensed engines/],
      [{ ...base, Engine: 'aurora-postgresql' }, /Aurora/],
      [{ ...base, AllocatedStorage: { Ref: 'Size' } }, /AllocatedStorage is not a literal/],
      [{ ...base, StorageType: 'sc9' }, /StorageType sc9/],
    ];
    for (const [props, reason] of cases) {
      const s = one('AWS::RDS::DBInstance', props);
      expect(s.items).toEqual([]);
      expect(s.fixedMonthly).toBe(0);
      expect(s.unpriced).toEqual([
        expect.objectContaining({
          logicalId: 'R',
          type: 'AWS::RDS::DBInstance',
          reason: expect.stringMatching(reason),
        }),
      ]);
    }
  });

  test('VPC endpoints: an interface endpoint is charged per AZ-hour; a gateway endpoint is free; an unknown subnet list is not priced', () => {
    expect(
      one('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b'] }).fixedMonthly,
    ).toBe(14.6);
    expect(
      one('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b', 'c'] }).fixedMonthly,
    ).toBe(21.9);
    const gateway = one('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    expect([gateway.fixedMonthly, gateway.freeResources, gateway.unpriced]).toEqual([0, 1, []]);
    expect(
      one('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: { Ref: 'Subnets' } }).unpriced,
    ).toHaveLength(1);
  });

  test('NAT gateway and a public IPv4 address are fixed hourly charges', () => {
    expect(one('AWS::EC2::NatGateway').fixedMonthly).toBe(32.85);
    expect(one('AWS::EC2::EIP').fixedMonthly).toBe(3.65);
  });

  test('WAF: $5 per web ACL, $1 per rule (a managed group counts as one), paid managed groups add their subscription, Marketplace groups are not priced', () => {
    const group = (Name: string, VendorName = 'AWS') => ({
      Name: Name,
      Statement: { ManagedRuleGroupStatement: { VendorName, Name } },
    });
    const rules = [
      { Name: 'rate', Statement: { RateBasedStatement: {} } },
      group('AWSManagedRulesCommonRuleSet'),
    ];
    expect(one('AWS::WAFv2::WebACL', { Rules: rules }).fixedMonthly).toBe(7);
    expect(one('AWS::WAFv2::WebACL', {}).fixedMonthly).toBe(5);
    const bot = one('AWS::WAFv2::WebACL', { Rules: [...rules, group('AWSManagedRulesBotControlRuleSet')] });
    expect(bot.fixedMonthly).toBe(18);
    expect(bot.usage.map((u) => u.item)).toContain('WAF Bot Control requests');
    const vendor = one('AWS::WAFv2::WebACL', { Rules: [group('SomeRules', 'Acme')] });
    expect(vendor.unpriced[0].reason).toMatch(/Acme\/SomeRules: Marketplace/);
  });

  test('CloudWatch alarms: $0.10 per standard metric, $0.30 high resolution, metric math per metric', () => {
    expect(one('AWS::CloudWatch::Alarm', { Period: 300 }).fixedMonthly).toBe(0.1);
    expect(one('AWS::CloudWatch::Alarm', { Period: 10 }).fixedMonthly).toBe(0.3);
    const math = {
      Metrics: [
        { Id: 'a', MetricStat: { Period: 300 } },
        { Id: 'b', MetricStat: { Period: 300 } },
        { Id: 'e', Expression: 'a+b' },
      ],
    };
    expect(one('AWS::CloudWatch::Alarm', math).fixedMonthly).toBe(0.2);
  });

  test('an anomaly detection alarm counts three metrics (the metric and its two bounds)', () => {
    const band = {
      Metrics: [
        { Id: 'm', MetricStat: { Period: 300 } },
        { Id: 'ad', Expression: 'ANOMALY_DETECTION_BAND(m, 2)' },
      ],
      ThresholdMetricId: 'ad',
    };
    expect(one('AWS::CloudWatch::Alarm', band).fixedMonthly).toBe(0.3);
  });

  test('a conditional resource is counted, its charge naming the condition', () => {
    const s = estimate({ Key: { ...ROTATING_KEY, Condition: 'IsHomeRegion' } }).stacks[0];
    expect(s.items.map((i) => [i.charge, i.monthly])).toEqual([
      ['KMS key (rotating) (only where IsHomeRegion)', 1],
    ]);
  });

  test('Secrets Manager: $0.40 per secret and per replica', () => {
    expect(one('AWS::SecretsManager::Secret').fixedMonthly).toBe(0.4);
    expect(
      one('AWS::SecretsManager::Secret', { ReplicaRegions: [{ Region: 'eu-west-1' }] }).fixedMonthly,
    ).toBe(0.8);
  });

  test('Access Analyzer: external access free, unused access named as usage, an unknown analyzer type not priced', () => {
    const external = one('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    expect([external.fixedMonthly, external.usage, external.freeResources]).toEqual([0, [], 1]);
    const unused = one('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT_UNUSED_ACCESS' });
    expect([unused.fixedMonthly, unused.usage.map((u) => u.service)]).toEqual([0, ['IAM Access Analyzer']]);
    expect(one('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT_SOMETHING_NEW' }).unpriced).toHaveLength(1);
  });

  test('Shield protection: no fixed charge of its own; the $3,000/month subscription it requires is named, never summed', () => {
    const s = one('AWS::Shield::Protection', { ResourceArn: 'arn' });
    expect(s.fixedMonthly).toBe(0);
    expect(s.usage.map((u) => u.item).join('\n')).toMatch(
      /Shield Advanced subscription: .*\$3,000\/month.*never created by this product/,
    );
  });

  test('usage-priced types are named without a number in the total: CloudTrail, GuardDuty, log groups, buckets, Backup vaults, the Config recorder', () => {
    const s = estimate({
      T: { Type: 'AWS::CloudTrail::Trail' },
      G: { Type: 'AWS::GuardDuty::Detector' },
      L1: { Type: 'AWS::Logs::LogGroup' },
      L2: { Type: 'AWS::Logs::LogGroup' },
      B: { Type: 'AWS::S3::Bucket' },
      V: { Type: 'AWS::Backup::BackupVault' },
      C: { Type: 'AWS::Config::ConfigurationRecorder' },
    }).stacks[0];
    expect(s.fixedMonthly).toBe(0);
    expect(s.items).toEqual([]);
    expect(s.unpriced).toEqual([]);
    const items = s.usage.map((u) => u.item).join('\n');
    for (const word of [
      'CloudTrail data events',
      'GuardDuty volume',
      'CloudWatch Logs ingestion',
      'S3 storage',
      'AWS Backup storage',
      'AWS Config configuration items',
    ])
      expect(items).toContain(word);
    expect(s.usage.find((u) => u.service === 'CloudWatch Logs')?.resources).toBe(2);
  });

  test('free types are counted as free, not as unpriced', () => {
    const s = estimate({
      Role: { Type: 'AWS::IAM::Role' },
      Policy: { Type: 'AWS::IAM::ManagedPolicy' },
      BucketPolicy: { Type: 'AWS::S3::BucketPolicy' },
      Rule: { Type: 'AWS::Events::Rule' },
      Alias: { Type: 'AWS::KMS::Alias' },
    }).stacks[0];
    expect([s.fixedMonthly, s.freeResources, s.unpriced, s.usage]).toEqual([0, 5, [], []]);
  });

  test('every entry of the table prices a resource without properties, or says why it cannot, without throwing', () => {
    for (const type of Object.keys(PRICE_TABLE)) {
      const s = one(type);
      expect([type, s.items.length + s.usage.length + s.unpriced.length + s.freeResources > 0]).toEqual([
        type,
        true,
      ]);
    }
  });
});

describe('a resource type the table does not know', () => {
  test('is reported as NOT PRICED with its logical ID and path, never counted as zero', () => {
    const e = estimate(
      {
        Key: ROTATING_KEY,
        Thing: { Type: 'AWS::Fake::Thing', Properties: {} },
        Custom: { Type: 'Custom::Whatever' },
      },
      { paths: new Map([['Thing', 'S/Thing/Resource']]) },
    );
    const s = e.stacks[0];
    expect(s.unpriced).toEqual([
      {
        logicalId: 'Thing',
        type: 'AWS::Fake::Thing',
        path: 'S/Thing/Resource',
        reason: 'AWS::Fake::Thing is not in the price table',
      },
      { logicalId: 'Custom', type: 'Custom::Whatever', reason: 'Custom::Whatever is not in the price table' },
    ]);
    expect(s.fixedMonthly).toBe(1);
    expect(s.freeResources).toBe(0);
    expect(summaryLine(s)).toMatch(/NOT PRICED: AWS::Fake::Thing, Custom::Whatever \(2 resource\(s\)\)/);
    expect(renderCostMarkdown(e).join('\n')).toContain(
      '- `S/Thing/Resource` (AWS::Fake::Thing): AWS::Fake::Thing is not in the price table',
    );
  });

  test('a name of Object.prototype (constructor, toString) is not mistaken for a table entry', () => {
    expect(one('constructor').unpriced).toHaveLength(1);
    expect(one('toString').unpriced).toHaveLength(1);
  });

  test('a table entry that throws on odd properties reports the resource as not priced', () => {
    const e = estimateCost([{ stack: 'S', resources: { R: { Type: 'X::Y::Z' } } }], {
      table: {
        'X::Y::Z': {
          service: 'X',
          fixed: () => {
            throw new Error('boom');
          },
        },
      },
    });
    expect(e.stacks[0].unpriced).toEqual([
      { logicalId: 'R', type: 'X::Y::Z', reason: 'pricing failed: boom' },
    ]);
  });
});

describe('per control', () => {
  test('a resource is charged to the controls recorded on its construct and every ancestor below the stack, not the stack-level ones', () => {
    const e = estimate(
      {
        Key: ROTATING_KEY,
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 300 } },
        Loose: ROTATING_KEY,
      },
      {
        stackPath: 'App/S',
        paths: new Map([
          ['Key', 'App/S/Trail/Key/Resource'],
          ['Alarm', 'App/S/Cis/Alarm/Resource'],
          ['Loose', 'App/S/LooseKey/Resource'],
        ]),
      },
    );
    const withControls = estimateCost(
      [
        {
          stack: 'S',
          stackPath: 'App/S',
          resources: {
            Key: ROTATING_KEY,
            Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 300 } },
            Loose: ROTATING_KEY,
          },
          paths: new Map([
            ['Key', 'App/S/Trail/Key/Resource'],
            ['Alarm', 'App/S/Cis/Alarm/Resource'],
            ['Loose', 'App/S/LooseKey/Resource'],
          ]),
        },
      ],
      {
        controls: new Map([
          ['App', ['CMP-04']],
          ['App/S', ['OPS-02']],
          ['App/S/Trail', ['LOG-01']],
          ['App/S/Trail/Key', ['ENC-02']],
          ['App/S/Cis', ['DET-05']],
          ['App/S/Cist', ['DET-04']], // a sibling whose name starts the same is not an ancestor
        ]),
      },
    );
    expect(e.controls).toEqual([]);
    expect(withControls.stacks[0].items.map((i) => [i.logicalId, i.controls])).toEqual([
      ['Key', ['ENC-02', 'LOG-01']],
      ['Alarm', ['DET-05']],
      ['Loose', []],
    ]);
    expect(withControls.controls).toEqual([
      {
        id: 'ENC-02',
        fixedMonthly: 1,
        steadyMonthly: 3,
        usage: [expect.stringContaining('KMS requests')],
        unpriced: 0,
      },
      {
        id: 'LOG-01',
        fixedMonthly: 1,
        steadyMonthly: 3,
        usage: [expect.stringContaining('KMS requests')],
        unpriced: 0,
      },
      { id: 'DET-05', fixedMonthly: 0.1, steadyMonthly: 0.1, usage: [], unpriced: 0 },
    ]);
    expect(withControls.stacks[0].fixedMonthly).toBe(2.1);
  });
});

describe('from a synthesized app, through the controls report', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
  const app = testApp({ outdir });
  const stack = new Stack(app, 'Costed');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  recordControls(key, 'ENC-02');
  new cloudwatch.Alarm(stack, 'Alarm', {
    metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  new CfnResource(stack, 'Thing', { type: 'AWS::Fake::Thing', properties: { Size: 1 } });
  app.synth();
  const report = buildControlsReport(app, [], '0.0.0');
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('reads the written templates and the construct paths, and the report carries the estimate under its schema', () => {
    expect(stackTemplatesOf(app).map((s) => [s.stack, s.paths?.get('Thing')])).toEqual([
      ['Costed', 'Costed/Thing'],
    ]);
    expect(reportSchema.safeParse(report).error?.issues ?? []).toEqual([]);
    const s = report.cost!.stacks[0];
    expect([s.stack, s.fixedMonthly, s.steadyMonthly]).toEqual(['Costed', 1.1, 3.1]);
    expect(s.items.find((i) => i.type === 'AWS::KMS::Key')?.controls).toEqual(['ENC-02']);
    expect(report.cost!.controls.map((c) => [c.id, c.fixedMonthly])).toEqual([['ENC-02', 1]]);
  });

  test('the added unknown type is reported in the JSON, the Markdown and the summary line', () => {
    expect(report.cost!.stacks[0].unpriced).toEqual([
      {
        logicalId: expect.stringMatching(/^Thing/),
        type: 'AWS::Fake::Thing',
        path: 'Costed/Thing',
        reason: 'AWS::Fake::Thing is not in the price table',
      },
    ]);
    expect(renderMarkdown(report)).toContain('**NOT PRICED**');
    expect(costSummary(report.cost!)).toBe(
      'Estimated cost before traffic (list prices, us-east-1, read mid-2025; details in the controls report):\n' +
        '  Costed: ~$1.10/month fixed (~$3.10 from month 7, once each rotating KMS key has rotated twice), + usage: KMS; NOT PRICED: AWS::Fake::Thing (1 resource(s))',
    );
  });

  test('outside a synth (no templates written) the report has no cost section', () => {
    const other = testApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cost-none-')) });
    new kms.Key(new Stack(other, 'Unsynthesized'), 'Key');
    expect(buildControlsReport(other, [], '0.0.0').cost).toBeUndefined();
    fs.rmSync(other.outdir, { recursive: true, force: true });
  });
});

describe('the synth summary', () => {
  test('prints one cost line per stack, after the controls line, whether or not the gate passes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-summary-'));
    const app = testApp({ outdir });
    const a = new Stack(app, 'First');
    new kms.Key(a, 'Key', { enableKeyRotation: true });
    const b = new Stack(app, 'Second');
    new CfnResource(b, 'Thing', { type: 'AWS::Fake::Thing' });
    BaselineCompliance.enable(app, { summary: true, report: false, controlTowerRules: false });
    const lines: string[] = [];
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      app.synth();
    } catch {
      // the gate may fail on these bare stacks: the summary is printed before it does
    } finally {
      spy.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const out = lines.join('\n');
    expect(out).toMatch(
      /\nEstimated cost before traffic \(list prices, us-east-1, read mid-2025; details in the controls report\):\n {2}First: ~\$1\.00\/month fixed \(~\$3\.00 from month 7, once each rotating KMS key has rotated twice\), \+ usage: KMS\n {2}Second: ~\$0\.00\/month fixed; NOT PRICED: AWS::Fake::Thing \(1 resource\(s\)\)\n/,
    );
  });
});
