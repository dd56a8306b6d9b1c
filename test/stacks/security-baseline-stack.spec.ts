import { Match, Template } from 'aws-cdk-lib/assertions';
import { recordedControls } from '../../lib/compliance/controls';
import { resolveConfig } from '../../lib/config/loader';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { SecurityBaselineStack } from '../../lib/stacks/security-baseline-stack';
import { resourcesOf, testApp, warningsMentioning, ALL_PUBLIC_ACCESS_BLOCKED } from '../helpers';

const [devConfig, , prodConfig] = resolveConfig(DEFAULT_CONFIG, 'default');
const app = testApp();
const dev = new SecurityBaselineStack(app, 'Dev', {
  config: { ...devConfig, securityContact: 'security@example.com', tags: { team: 'platform' } },
});
const prod = new SecurityBaselineStack(app, 'Prod', { config: prodConfig });
const devTemplate = Template.fromStack(dev);
const prodTemplate = Template.fromStack(prod);

describe.each([
  ['dev', devTemplate],
  ['prod', prodTemplate],
])('%s baseline', (_name, template) => {
  test('every KMS key rotates every 90 days and is retained', () => {
    const keys = resourcesOf(template, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const [, key] of keys) {
      expect(key).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { EnableKeyRotation: true, RotationPeriodInDays: 90, PendingWindowInDays: 30 },
      });
    }
  });

  test('every bucket is encrypted, public-access-blocked, TLS-only and retained', () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    const policies = resourcesOf(template, 'AWS::S3::BucketPolicy').map(([, p]) => p.Properties);
    expect(buckets).toHaveLength(3); // audit logs, access logs, GuardDuty findings
    for (const [id, bucket] of buckets) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
      ).toMatch(/^(aws:kms|AES256)$/);
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual(ALL_PUBLIC_ACCESS_BLOCKED);
      const statements = policies.find((p) => p.Bucket.Ref === id)!.PolicyDocument.Statement;
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      );
    }
  });

  test('every bucket, the access-log destination too, is encrypted with a customer-managed key', () => {
    const sseS3 = resourcesOf(template, 'AWS::S3::Bucket').filter(
      ([, b]) =>
        b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm !== 'aws:kms',
    );
    expect(sseS3.map(([id]) => id)).toEqual([]);
  });

  test('one multi-region, validated, KMS-encrypted trail delivered to CloudWatch Logs', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    const [, trail] = resourcesOf(template, 'AWS::CloudTrail::Trail')[0];
    expect(trail.Properties).toMatchObject({
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      IncludeGlobalServiceEvents: true,
    });
    expect(trail.Properties.KMSKeyId).toBeDefined();
    expect(trail.Properties.CloudWatchLogsLogGroupArn).toBeDefined();
  });
});

describe('profiles reach the template', () => {
  test('dev: governance-mode lock with its LOG-02 warning, one-year log group, no protection', () => {
    devTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
      },
    });
    devTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      DeletionProtectionEnabled: false,
    });
    expect(dev.terminationProtection).toBe(false);
    expect(warningsMentioning(dev, '[LOG-02 weakened]')).toHaveLength(1);
  });

  test('prod: compliance-mode lock, two-year log group, deletion and termination protection', () => {
    prodTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
    });
    prodTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 731,
      DeletionProtectionEnabled: true,
    });
    expect(prod.terminationProtection).toBe(true);
    expect(warningsMentioning(prod, 'weakened')).toHaveLength(0);
  });

  test('names and aliases carry the environment, so environments can share an account', () => {
    devTemplate.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/security-baseline/dev/audit-logs',
    });
    devTemplate.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'SecurityBaseline-dev-audit-trail',
    });
    prodTemplate.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/security-baseline/prod/audit-logs',
    });
  });

  test('tags every resource with the environment, the contact and custom tags', () => {
    const [, trail] = resourcesOf(devTemplate, 'AWS::CloudTrail::Trail')[0];
    expect(trail.Properties.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'security-baseline:environment', Value: 'dev' },
        { Key: 'security-baseline:contact', Value: 'security@example.com' },
        { Key: 'team', Value: 'platform' },
      ]),
    );
  });

  test('stacks record the environment controls: OPS-02 everywhere, OPS-03 where termination protection is on', () => {
    expect(recordedControls(dev).get('Dev')).toEqual(['OPS-02']);
    expect(recordedControls(prod).get('Prod')).toEqual(['OPS-03', 'OPS-02']);
  });
});

describe('baseline-audit in the account (CMP-05)', () => {
  test('every environment gets the auditor role (ARN as an output) and the daily continuous audit', () => {
    for (const t of [devTemplate, prodTemplate]) {
      t.hasOutput('AuditorRoleArn', {});
      t.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('baseline-audit checks'),
      });
      t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    }
  });

  test('continuous mode can be turned off; its findings go to the Medium alert topic and its subscribers', () => {
    const off = new SecurityBaselineStack(testApp(), 'Off', {
      config: { ...devConfig, audit: { ...devConfig.audit, continuous: false, regions: [] } },
    });
    expect(
      Object.keys(
        Template.fromStack(off).findResources('AWS::Lambda::Function', {
          Properties: { Description: Match.stringLikeRegexp('baseline-audit') },
        }),
      ),
    ).toEqual([]);
    const on = new SecurityBaselineStack(testApp(), 'On', {
      config: {
        ...devConfig,
        audit: { ...devConfig.audit, continuous: true, regions: ['eu-west-1'] },
        alerts: {
          ...devConfig.alerts,
          minimumClass: 'MEDIUM',
          medium: { emails: ['soc@example.com'], httpsUrls: [] },
        },
      },
    });
    const t = Template.fromStack(on);
    const mediumTopic = Object.keys(t.findResources('AWS::SNS::Topic')).find((id) =>
      id.startsWith('SecurityAlertsMediumTopic'),
    )!;
    t.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'soc@example.com',
      TopicArn: { Ref: mediumTopic },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('baseline-audit'),
      Environment: { Variables: Match.objectLike({ ALERT_TOPIC_ARN: { Ref: mediumTopic } }) },
    });
  });
});

describe('identity and account hardening', () => {
  test('the default synth has the password policy, MFA-gated roles with the guardrail, both analyzers, S3 and EBS account settings', () => {
    for (const t of [devTemplate, prodTemplate]) {
      expect(Object.keys(t.findResources('Custom::AWS'))).toHaveLength(4);
      t.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
      expect(
        Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('AccessRoles')),
      ).toHaveLength(5);
      t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        ManagedPolicyName: Match.stringLikeRegexp('-guardrail$'),
      });
    }
  });

  test("the guardrail protects this environment's trail, keys and audit bucket", () => {
    const [guardrail] = Object.values(
      prodTemplate.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { ManagedPolicyName: Match.stringLikeRegexp('-guardrail$') },
      }),
    );
    const keys = guardrail.Properties.PolicyDocument.Statement.find(
      (s: any) => s.Sid === 'ProtectKeys',
    ).Resource;
    expect(keys).toHaveLength(4); // audit logs, EBS, alerts, findings
  });

  test('identity.accountWide: false leaves the account-wide settings to another environment', () => {
    const stack = new SecurityBaselineStack(testApp(), 'Second', {
      config: { ...devConfig, identity: { ...devConfig.identity, accountWide: false } },
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWS', 0);
    t.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 0);
    expect(
      Object.keys(t.findResources('AWS::IAM::Role')).filter((id) => id.startsWith('AccessRoles')),
    ).toHaveLength(5);
  });
});
