import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordedControls } from '../../lib/compliance/controls';
import { AuditorRole } from '../../lib/constructs/auditor-role';
import { ContinuousAudit } from '../../lib/constructs/continuous-audit';
import { testApp, testStack } from '../helpers';

describe('ContinuousAudit', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuous-'));
  const app = testApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const stack = new Stack(app, 'Audit');
  const auditor = new AuditorRole(stack, 'Auditor');
  const audit = new ContinuousAudit(stack, 'Continuous', {
    auditPolicy: auditor.policy,
    alertEmails: ['security@example.com'],
    regions: ['eu-west-1', 'us-east-1'],
  });
  const template = Template.fromStack(stack);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('runs the audit code, bundled locally with esbuild, on the latest Node.js runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: {
          AUDIT_REGIONS: 'eu-west-1,us-east-1',
          AUDIT_MAX_ROTATION_DAYS: '90',
          ALERT_TOPIC_ARN: Match.anyValue(),
        },
      },
      KmsKeyArn: Match.anyValue(),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const assetDir = fs.readdirSync(outdir).find((d) => d.startsWith('asset.'))!;
    const bundle = fs.readFileSync(path.join(outdir, assetDir, 'index.js'), 'utf8');
    expect(bundle).toContain('baseline-audit found problems');
    expect(bundle).not.toMatch(/node_modules\/@aws-sdk\/client-kms/); // the runtime provides SDK v3
  });

  test('runs daily and alarms when a run fails', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
    });
  });

  test('alerts go to a KMS-encrypted, TLS-only topic with the e-mail subscribers', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
    });
  });

  test('uses the auditor permissions plus its own, all in managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role')).find(
      (r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'lambda.amazonaws.com',
    )!;
    expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish' }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
  });

  test('its log group is encrypted, kept a year and retained; its key rotates every 90 days', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: '/security-baseline/continuous-audit/Audit',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 365,
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/security-baseline/Audit/alerts' });
    expect(audit.encryptionKey).toBeDefined();
  });

  test('records CMP-05', () => {
    expect(recordedControls(stack).get(audit.node.path)).toEqual(['CMP-05', 'ENC-01', 'LOG-04']);
  });

  test('rejects bad props, all at once', () => {
    const policy = new iam.ManagedPolicy(testStack(), 'P', {
      statements: [new iam.PolicyStatement({ actions: ['kms:ListKeys'], resources: ['*'] })],
    });
    expect(
      () =>
        new ContinuousAudit(testStack(), 'C', {
          auditPolicy: policy,
          maxRotationDays: 30,
          alertEmails: ['nope'],
          regions: ['Mars'],
        }),
    ).toThrow(
      /ContinuousAudit at 'Test\/C': 3 invalid prop\(s\):\n {2}- maxRotationDays: got 30; .*\n {2}- alertEmails\[0\]: got "nope"; an e-mail address\n {2}- regions\[0\]: got "Mars"; an AWS region name/,
    );
  });
});
