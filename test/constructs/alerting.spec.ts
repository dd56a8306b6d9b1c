import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordedControls } from '../../lib/compliance/controls';
import { AuditTrail } from '../../lib/constructs/audit-trail';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { ContinuousAudit } from '../../lib/constructs/continuous-audit';
import { CIS_METRICS, CisMonitoring } from '../../lib/constructs/cis-monitoring';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { SecurityHub } from '../../lib/constructs/security-hub';
import { GUARDDUTY_SEVERITY_RANGES, IncidentClass } from '../../lib/constructs/severity';
import { ThreatDetection } from '../../lib/constructs/threat-detection';
import { testApp, testStack } from '../helpers';
import { matches } from './event-pattern';

const classOf = (severity: number) =>
  GUARDDUTY_SEVERITY_RANGES.filter(
    (r) => severity >= r.min && (r.maxInclusive ? severity <= r.max : severity < r.max),
  ).map((r) => r.incidentClass);

describe('severity classification (ALR-01)', () => {
  test('the ranges are contiguous, do not overlap and cover 1.0..10.0', () => {
    for (let tenths = 10; tenths <= 100; tenths++) {
      const severity = tenths / 10;
      expect([severity, classOf(severity).length]).toEqual([severity, 1]);
    }
    for (const s of [8.95, 6.99, 3.99]) expect(classOf(s)).toHaveLength(1); // no gaps between the documented one-decimal bounds
    expect(classOf(0.9)).toEqual([]);
    expect([9, 8.9, 7, 6.9, 4, 3.9, 1].map((s) => classOf(s)[0])).toEqual([
      'CRITICAL',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
    ]);
  });

  describe('rendered rules against sample GuardDuty findings', () => {
    const stack = testStack();
    new SecurityAlerts(stack, 'Alerts', { securityHubFindings: true });
    const template = Template.fromStack(stack);
    const rules = Object.entries(template.findResources('AWS::Events::Rule'));
    const fixtures = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'guardduty-findings.json'), 'utf8'),
    );

    test('each sample finding matches exactly the rule of its class', () => {
      fixtures.events.forEach((event: any, i: number) => {
        const matched = rules.filter(([, r]) => matches(r.Properties.EventPattern, event)).map(([id]) => id);
        expect([event.detail.type, matched]).toEqual([
          event.detail.type,
          [expect.stringMatching(new RegExp(`^AlertsGuardDuty${title(fixtures.expected[i])}`))],
        ]);
      });
    });

    test('each rule delivers a readable message: class, finding type, account, region, resource, console link', () => {
      const [, critical] = rules.find(([id]) => id.startsWith('AlertsGuardDutyCritical'))!;
      const transformer = critical.Properties.Targets[0].InputTransformer;
      expect(transformer.InputPathsMap).toMatchObject({
        'detail-type': '$.detail.type',
        account: '$.account',
        region: '$.region',
        'detail-id': '$.detail.id',
      });
      const text = JSON.stringify(transformer.InputTemplate);
      for (const part of [
        '[CRITICAL] GuardDuty finding: <detail-type>',
        'Account <account>, region <region>',
        'Resource: <detail-resource-resourceType>',
        'https://console.aws.amazon.com/guardduty/home?region=<region>#/findings?fId=<detail-id>',
      ]) {
        expect(text).toContain(part);
      }
    });

    test('Security Hub findings are classified by label when asked', () => {
      const hub = rules.filter(([id]) => id.startsWith('AlertsSecurityHub'));
      expect(hub).toHaveLength(4);
      const event = {
        source: 'aws.securityhub',
        'detail-type': 'Security Hub Findings - Imported',
        detail: {
          findings: [{ Severity: { Label: 'HIGH' }, RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } }],
        },
      };
      expect(hub.filter(([, r]) => matches(r.Properties.EventPattern, event)).map(([id]) => id)).toEqual([
        expect.stringMatching(/^AlertsSecurityHubHigh/),
      ]);
    });
  });
});

function title(c: string): string {
  return c.charAt(0) + c.slice(1).toLowerCase();
}

describe('SecurityAlerts (ALR-02)', () => {
  const stack = testStack();
  const alerts = new SecurityAlerts(stack, 'Alerts', {
    minimumClass: IncidentClass.HIGH,
    critical: { emails: ['oncall@example.com'], httpsUrls: ['https://pager.example.com/hook'] },
    high: { emails: ['security@example.com'] },
    low: { emails: ['muted@example.com'] },
  });
  const template = Template.fromStack(stack);

  test('one KMS-encrypted, TLS-only topic per incident class', () => {
    template.resourceCountIs('AWS::SNS::Topic', 4);
    for (const [, topic] of Object.entries(template.findResources('AWS::SNS::Topic')))
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
  });

  test('the key and the topics let EventBridge and CloudWatch of this account publish', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  test('no statement lets a service use the key or publish without the account condition', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    for (const st of key.Properties.KeyPolicy.Statement.filter((x: any) => x.Principal?.Service))
      expect(st.Condition).toBeDefined();
    for (const policy of Object.values(template.findResources('AWS::SNS::TopicPolicy'))) {
      for (const st of policy.Properties.PolicyDocument.Statement.filter((x: any) => x.Effect === 'Allow'))
        expect(st.Condition).toBeDefined();
    }
  });

  test('subscribers of classes below the minimum are not subscribed', () => {
    const subs = Object.values(template.findResources('AWS::SNS::Subscription'))
      .map((s) => s.Properties.Endpoint)
      .sort();
    expect(subs).toEqual(['https://pager.example.com/hook', 'oncall@example.com', 'security@example.com']);
    expect(alerts.topic(IncidentClass.LOW)).toBeDefined();
  });

  test('records ALR-01/02; rejects bad subscribers, all at once', () => {
    expect(recordedControls(stack).get(alerts.node.path)).toEqual(['ALR-01', 'ALR-02', 'ENC-01']);
    expect(
      () =>
        new SecurityAlerts(testStack(), 'A', {
          high: { emails: ['x'] },
          critical: { httpsUrls: ['http://a'] },
        }),
    ).toThrow(
      /SecurityAlerts at 'Test\/A': 2 invalid prop\(s\):\n {2}- critical.httpsUrls\[0\]: got "http:\/\/a"; an https:\/\/ URL\n {2}- high.emails\[0\]: got "x"; an e-mail address/,
    );
  });
});

describe('ThreatDetection (DET-01)', () => {
  test('a detector with the plans, 15-minute publication and encrypted export', () => {
    const stack = testStack();
    new ThreatDetection(stack, 'Detection', { features: ['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: [
        { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
        { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
      ],
      DataSources: Match.absent(),
    });
    template.hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DestinationType: 'S3',
      DestinationProperties: { DestinationArn: Match.anyValue(), KmsKeyArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowGuardDutyPutObject',
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': Match.anyValue(),
              },
            },
          }),
        ]),
      },
    });
  });

  test('adopts an existing detector: no detector created, findings still exported', () => {
    const stack = testStack();
    new ThreatDetection(stack, 'Detection', {
      existingDetectorId: '12abc34d567e8fa901bc2d34eexample'.replace('example', '0000000'),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DetectorId: '12abc34d567e8fa901bc2d34e0000000',
    });
  });

  test('rejects unknown plans, the runtime-monitoring pair and malformed detector ids, all at once', () => {
    expect(
      () =>
        new ThreatDetection(testStack(), 'D', {
          features: ['S3_DATA_EVENTS', 'MALWARE', 'RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING'],
          existingDetectorId: 'nope',
        }),
    ).toThrow(
      /3 invalid prop\(s\):\n {2}- features\[1\]: got "MALWARE"; one of .*\n {2}- features: got .*; RUNTIME_MONITORING or EKS_RUNTIME_MONITORING, not both.*\n {2}- existingDetectorId: got "nope"/,
    );
  });
});

describe('CisMonitoring (DET-05)', () => {
  const stack = new Stack(testApp(), 'Cis');
  const trail = new AuditTrail(stack, 'Trail');
  const alerts = new SecurityAlerts(stack, 'Alerts');
  new CisMonitoring(stack, 'Cis', { logGroup: trail.logGroup, alerts });
  const template = Template.fromStack(stack);

  test('a metric filter with the exact pattern for every CIS metric, on the trail log group', () => {
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(CIS_METRICS.length);
    for (const m of CIS_METRICS) {
      const f = filters.find((x) => x.Properties.MetricTransformations[0].MetricName === m.id)!;
      expect([m.id, f.Properties.FilterPattern]).toEqual([m.id, m.pattern]);
      expect(f.Properties.LogGroupName).toEqual({
        Ref: stack.getLogicalId(trail.logGroup.node.defaultChild as any),
      });
    }
    expect(CIS_METRICS.map((m) => m.cis)).toEqual([
      '4.1',
      '4.2',
      '4.3',
      '4.4',
      '4.5',
      '4.6',
      '4.7',
      '4.8',
      '4.9',
      '4.10',
      '4.11',
      '4.12',
      '4.13',
      '4.14',
      '4.15',
    ]);
  });

  test('the documented exclusions are in the unauthorized-calls and root-usage patterns', () => {
    const byId = Object.fromEntries(CIS_METRICS.map((m) => [m.id, m.pattern]));
    expect(byId.UnauthorizedApiCalls).toContain('($.eventName != "HeadBucket")');
    expect(byId.UnauthorizedApiCalls).toContain('($.sourceIPAddress != "delivery.logs.amazonaws.com")');
    expect(byId.UnauthorizedApiCalls).toContain('($.userIdentity.type != "AWSService")');
    expect(byId.RootAccountUsage).toContain('$.userIdentity.invokedBy NOT EXISTS');
  });

  test('each alarm fires on the first event and goes to the topic of its class', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(CIS_METRICS.length);
    for (const m of CIS_METRICS) {
      const a = alarms.find((x) => x.Properties.MetricName === m.id)!;
      expect(a.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Statistic: 'Sum',
        Period: 300,
      });
      expect(a.Properties.AlarmActions).toEqual([
        { Ref: stack.getLogicalId(alerts.topic(m.incidentClass).node.defaultChild as any) },
      ]);
      expect(a.Properties.AlarmDescription).toMatch(
        new RegExp(`^\\[${m.incidentClass}\\] CIS ${m.cis.replace('.', '\\.')}: `),
      );
    }
  });
});

describe('SecurityHub (DET-02)', () => {
  test('the hub with FSBP and CIS v3.0, or only the standards when adopting a hub', () => {
    const stack = testStack();
    new SecurityHub(stack, 'Hub');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SecurityHub::Hub', 1);
    const arns = Object.values(t.findResources('AWS::SecurityHub::Standard')).map((s) =>
      JSON.stringify(s.Properties.StandardsArn),
    );
    expect(arns.some((a) => a.includes('standards/aws-foundational-security-best-practices/v/1.0.0'))).toBe(
      true,
    );
    expect(arns.some((a) => a.includes('standards/cis-aws-foundations-benchmark/v/3.0.0'))).toBe(true);
    const adopted = testStack();
    new SecurityHub(adopted, 'Hub', { adoptExistingHub: true });
    Template.fromStack(adopted).resourceCountIs('AWS::SecurityHub::Hub', 0);
    Template.fromStack(adopted).resourceCountIs('AWS::SecurityHub::Standard', 2);
  });
});

describe('SecurityAlerts for other stacks: grants, alarm actions, importing the topics by ARN', () => {
  const app = new App();
  const baseline = new Stack(app, 'Baseline', { env: { account: '111111111111', region: 'eu-west-1' } });
  const alerts = new SecurityAlerts(baseline, 'Alerts');
  const publisher = new iam.Role(baseline, 'Publisher', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  alerts.grantPublish(IncidentClass.HIGH, publisher);

  const workload = new Stack(app, 'Workload', { env: { account: '111111111111', region: 'eu-west-1' } });
  const arn = (c: string) => `arn:aws:sns:eu-west-1:111111111111:alerts-${c}`;
  const imported = SecurityAlerts.fromTopicArns(workload, 'BaselineAlerts', {
    criticalTopicArn: arn('critical'),
    highTopicArn: arn('high'),
    mediumTopicArn: arn('medium'),
    lowTopicArn: arn('low'),
    encryptionKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  });
  const alarm = new cloudwatch.Alarm(workload, 'Errors', {
    metric: new cloudwatch.Metric({ namespace: 'App', metricName: 'Errors' }),
    threshold: 1,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(imported.alarmAction(IncidentClass.CRITICAL));
  const fn = new iam.Role(workload, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  imported.grantPublish(IncidentClass.LOW, fn);
  const baselineTemplate = Template.fromStack(baseline);
  const workloadTemplate = Template.fromStack(workload);

  test('grantPublish allows sns:Publish on one class topic and the key actions, in a managed policy', () => {
    baselineTemplate.resourceCountIs('AWS::IAM::Policy', 0);
    const doc = JSON.stringify(
      Object.values(baselineTemplate.findResources('AWS::IAM::ManagedPolicy')).map(
        (p) => p.Properties.PolicyDocument,
      ),
    );
    expect(doc).toContain('sns:Publish');
    expect(doc).toContain(
      baseline.getLogicalId(alerts.topic(IncidentClass.HIGH).node.defaultChild as sns.CfnTopic),
    );
    expect(doc).not.toContain(
      baseline.getLogicalId(alerts.topic(IncidentClass.LOW).node.defaultChild as sns.CfnTopic),
    );
    expect(doc).toContain('"kms:GenerateDataKey"');
  });

  test('an imported class routes a workload alarm to the baseline topic of that class', () => {
    workloadTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [arn('critical')] });
    const doc = JSON.stringify(workloadTemplate.findResources('AWS::IAM::ManagedPolicy'));
    expect(doc).toContain(arn('low'));
    expect(doc).not.toContain(arn('high'));
    expect(doc).toContain('key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  test('rejects ARNs that are not topic or key ARNs, all at once', () => {
    expect(() =>
      SecurityAlerts.fromTopicArns(new Stack(new App(), 'W'), 'Bad', {
        criticalTopicArn: 'alerts-critical',
        highTopicArn: arn('high'),
        mediumTopicArn: arn('medium'),
        lowTopicArn: 'arn:aws:sqs:eu-west-1:111111111111:q',
        encryptionKeyArn: 'alias/alerts',
      }),
    ).toThrow(
      /SecurityAlerts.fromTopicArns at 'W\/Bad': 3 invalid prop\(s\):\n {2}- criticalTopicArn: got "alerts-critical"; an SNS topic ARN\n {2}- lowTopicArn: got "arn:aws:sqs:[^"]+"; an SNS topic ARN\n {2}- encryptionKeyArn: got "alias\/alerts"/,
    );
  });
});

describe('KMS aliases cannot collide', () => {
  test('two SecurityAlerts in one stack get distinct key aliases', () => {
    const stack = new Stack(new App(), 'S');
    new SecurityAlerts(stack, 'A');
    new SecurityAlerts(stack, 'B');
    const aliases = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Alias')).map(
      (a) => a.Properties.AliasName,
    );
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(aliases).toHaveLength(2);
  });

  test('SecurityAlerts and ContinuousAudit on their defaults in one stack: distinct aliases, synth passes', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Baseline');
    new SecurityAlerts(stack, 'Alerts');
    new ContinuousAudit(stack, 'Audit', {
      auditPolicy: new iam.ManagedPolicy(stack, 'AuditPolicy', {
        statements: [new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: ['*'] })],
      }),
    });
    expect(() => app.synth()).not.toThrow();
    const aliases = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Alias')).map(
      (a) => a.Properties.AliasName,
    );
    expect(aliases.length).toBeGreaterThanOrEqual(2);
    expect(new Set(aliases).size).toBe(aliases.length);
  });

  test('two BaselineKeys with one alias in one stack, or in two stacks of one account and region, fail synth', () => {
    const app = new App();
    const one = new Stack(app, 'One', { env: { account: '111111111111', region: 'eu-west-1' } });
    const two = new Stack(app, 'Two', { env: { account: '111111111111', region: 'eu-west-1' } });
    new BaselineKey(one, 'K1', { alias: 'team/data' });
    new BaselineKey(two, 'K2', { alias: 'team/data' });
    expect(() => app.synth()).toThrow(/alias "alias\/team\/data" is also the alias of 'Two\/K2'/);
  });

  test('the same alias in other accounts, or in environment-agnostic stacks, is allowed', () => {
    const app = new App();
    new BaselineKey(new Stack(app, 'A', { env: { account: '111111111111', region: 'eu-west-1' } }), 'K', {
      alias: 'team/data',
    });
    new BaselineKey(new Stack(app, 'B', { env: { account: '222222222222', region: 'eu-west-1' } }), 'K', {
      alias: 'team/data',
    });
    new BaselineKey(new Stack(app, 'C'), 'K', { alias: 'team/data' });
    expect(() => app.synth()).not.toThrow();
  });
});
