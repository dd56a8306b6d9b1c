import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { recordedControls } from '../../lib/compliance/controls';
import { BASELINE_CONFIG_RULES, ConfigRecording } from '../../lib/constructs/config-recording';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { IncidentClass } from '../../lib/constructs/severity';
import { matches } from './event-pattern';
import { synthWithGate, testApp, testStack } from './response-helpers';

describe('ConfigRecording (DET-03), home region', () => {
  const stack = new Stack(testApp(), 'Det');
  const alerts = new SecurityAlerts(stack, 'Alerts');
  const recording = new ConfigRecording(stack, 'Config', { alertTopic: alerts.topic(IncidentClass.MEDIUM) });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, any>;

  test('records every supported resource type, global ones included, continuously', () => {
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
    });
  });

  test('the recorder role is assumable only by AWS Config for this account, with AWS_ConfigRole', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'config.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWS_ConfigRole'],
          ],
        },
        { Ref: Match.stringLikeRegexp('^ConfigDeliveryPolicy') },
      ],
    });
  });

  test('delivers daily to a KMS-encrypted bucket that is retained and expires after a year', () => {
    const bucketId = stack.getLogicalId(recording.deliveryBucket!.bucket.node.defaultChild as any);
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucketId },
      S3KmsKeyArn: Match.anyValue(),
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    const bucket = resources[bucketId];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('aws:kms');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Id: 'retention', ExpirationInDays: 365, Status: 'Enabled' }),
    );
  });

  test('only AWS Config of this account may deliver, and only under AWSLogs/<account>/Config/', () => {
    const bucketId = stack.getLogicalId(recording.deliveryBucket!.bucket.node.defaultChild as any);
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId,
    )!;
    const configStatements = policy.Properties.PolicyDocument.Statement.filter(
      (s: any) => s.Principal?.Service === 'config.amazonaws.com',
    );
    expect(configStatements).toHaveLength(2);
    for (const s of configStatements)
      expect(s.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    const put = configStatements.find((s: any) => s.Action === 's3:PutObject');
    expect(JSON.stringify(put.Resource)).toContain('/AWSLogs/');
    expect(JSON.stringify(put.Resource)).toContain('/Config/*');
  });

  test('one managed rule per baseline control check, named with the prefix', () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Config::ConfigRule');
    expect(rules.map((r) => r.Properties.Source.SourceIdentifier).sort()).toEqual(
      BASELINE_CONFIG_RULES.map((r) => r.identifier).sort(),
    );
    for (const r of rules) {
      expect(r.Properties.ConfigRuleName).toMatch(/^security-baseline-Det-/);
      expect(r.Properties.Source.Owner).toBe('AWS');
      expect(r.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ConfigRecorder/)]));
    }
  });

  test('the password-policy rule checks IAM-01 exactly', () => {
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'IAM_PASSWORD_POLICY' },
      InputParameters: {
        RequireUppercaseCharacters: 'true',
        RequireLowercaseCharacters: 'true',
        RequireSymbols: 'true',
        RequireNumbers: 'true',
        MinimumPasswordLength: '14',
        PasswordReusePrevention: '24',
        MaxPasswordAge: '90',
      },
    });
  });

  test('a rule turning NON_COMPLIANT is announced on the Medium topic; compliant and other rules are not', () => {
    const rule = Object.values(resources).find(
      (r) => r.Type === 'AWS::Events::Rule' && r.Properties.EventPattern.source?.[0] === 'aws.config',
    )!;
    const event = (name: string, complianceType: string) => ({
      source: 'aws.config',
      'detail-type': 'Config Rules Compliance Change',
      detail: { configRuleName: name, newEvaluationResult: { complianceType } },
    });
    const pattern = rule.Properties.EventPattern;
    expect(pattern.detail.configRuleName).toEqual([{ prefix: 'security-baseline-Det-' }]);
    // event-pattern.ts has no prefix matching: check the name by its prefix, the rest by the evaluator.
    const rest = { ...pattern.detail };
    delete rest.configRuleName;
    const fires = (name: string, complianceType: string) =>
      name.startsWith('security-baseline-Det-') &&
      matches({ ...pattern, detail: rest }, event(name, complianceType));
    expect(fires('security-baseline-Det-kms-rotation', 'NON_COMPLIANT')).toBe(true);
    expect(fires('security-baseline-Det-kms-rotation', 'COMPLIANT')).toBe(false);
    expect(fires('security-baseline-Det-kms-rotation', 'NOT_APPLICABLE')).toBe(false);
    expect(fires('someone-elses-rule', 'NON_COMPLIANT')).toBe(false);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual({
      Ref: stack.getLogicalId(alerts.topic(IncidentClass.MEDIUM).node.defaultChild as any),
    });
    expect(JSON.stringify(rule.Properties.Targets[0].InputTransformer)).toContain('[MEDIUM] AWS Config rule');
  });

  test('records DET-03 and ALR-01', () => {
    expect(recordedControls(stack).get('Det/Config')).toEqual(['DET-03', 'ALR-01']);
  });
});

describe('ConfigRecording in other regions and adopting a recorder', () => {
  test('accountWide false: no global resource types, no account-wide rules', () => {
    const stack = testStack();
    new ConfigRecording(stack, 'Config', { alertTopic: new sns.Topic(stack, 'T'), accountWide: false });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
    });
    const ids = Object.values(t.findResources('AWS::Config::ConfigRule')).map(
      (r) => r.Properties.Source.SourceIdentifier,
    );
    expect(ids).toHaveLength(BASELINE_CONFIG_RULES.filter((r) => !r.accountWide).length);
    expect(ids).not.toContain('IAM_PASSWORD_POLICY');
    expect(ids).toContain('CMK_BACKING_KEY_ROTATION_ENABLED');
  });

  test('adoptExistingRecorder: rules and alerting only, no recorder, channel or bucket', () => {
    const stack = testStack();
    const r = new ConfigRecording(stack, 'Config', {
      alertTopic: new sns.Topic(stack, 'T'),
      adoptExistingRecorder: true,
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    t.resourceCountIs('AWS::Config::DeliveryChannel', 0);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::Config::ConfigRule', BASELINE_CONFIG_RULES.length);
    expect(r.deliveryBucket).toBeUndefined();
  });

  test('rejects bad props, all at once, with the value received', () => {
    const stack = testStack();
    expect(
      () =>
        new ConfigRecording(stack, 'Bad', {
          alertTopic: new sns.Topic(stack, 'T'),
          ruleNamePrefix: 'has spaces',
          minimumPasswordLength: 8,
          minimumLogRetentionDays: 0,
        }),
    ).toThrow(
      /ConfigRecording at 'Test\/Bad': 3 invalid prop\(s\):\n {2}- ruleNamePrefix: got "has spaces"[\s\S]*minimumPasswordLength: got 8; a whole number 12..128[\s\S]*minimumLogRetentionDays: got 0/,
    );
  });
});

test('the compliance gate passes an app with ConfigRecording and the alert topics', () => {
  expect(
    synthWithGate((app) => {
      const stack = new Stack(app, 'Det');
      const alerts = new SecurityAlerts(stack, 'Alerts');
      new ConfigRecording(stack, 'Config', { alertTopic: alerts.topic(IncidentClass.MEDIUM) });
    }),
  ).toEqual({ threw: false, violations: [], problems: [] });
});

test('rule(name) returns a deployed rule and names the deployed ones otherwise', () => {
  const stack = testStack();
  const r = new ConfigRecording(stack, 'Config', {
    alertTopic: new sns.Topic(stack, 'T'),
    accountWide: false,
  });
  expect(r.rule('kms-rotation').configRuleName).toBeDefined();
  expect(() => r.rule('iam-password-policy')).toThrow(
    /no rule "iam-password-policy" here; deployed: kms-rotation, /,
  );
});

test('the recorder role may deliver only under AWSLogs/<account>/Config/ of its bucket, with its key', () => {
  const stack = testStack();
  const r = new ConfigRecording(stack, 'Config', { alertTopic: new sns.Topic(stack, 'T') });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::ManagedPolicy')!;
  const st = policy.Properties.PolicyDocument.Statement;
  expect(st.map((s: any) => s.Action)).toEqual([
    's3:GetBucketAcl',
    's3:PutObject',
    ['kms:Decrypt', 'kms:GenerateDataKey'],
  ]);
  expect(JSON.stringify(st[1].Resource)).toContain('/AWSLogs/');
  expect(st[1].Condition).toEqual({ StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } });
  expect(st[2].Resource).toEqual({
    'Fn::GetAtt': [stack.getLogicalId(r.deliveryBucket!.encryptionKey.node.defaultChild as any), 'Arn'],
  });
  const role = Object.entries(resources).find(([id]) => id.startsWith('ConfigRecorderRole'))![1];
  expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
});
