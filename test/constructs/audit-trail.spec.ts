import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recordedControls } from '../../lib/compliance/controls';
import { AuditLogLockMode, AuditTrail } from '../../lib/constructs/audit-trail';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { resourcesOf, testApp, testStack, warningsMentioning, regionalArn } from '../helpers';

const TRAIL_ARN = regionalArn('cloudtrail', 'trail/Audit-audit-trail');

describe('AuditTrail with defaults', () => {
  const stack = new Stack(testApp(), 'Audit');
  const audit = new AuditTrail(stack, 'Trail');
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(audit.encryptionKey.node.defaultChild as any);
  const bucketId = stack.getLogicalId(audit.bucket.bucket.node.defaultChild as s3.CfnBucket);

  test('is multi-region with global service events, management events, log file validation and KMS (LOG-01)', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'Audit-audit-trail',
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      S3BucketName: { Ref: bucketId },
    });
  });

  test('delivers to an encrypted CloudWatch log group with explicit retention (LOG-01, LOG-04)', () => {
    const logGroupId = stack.getLogicalId(audit.logGroup.node.defaultChild as logs.CfnLogGroup);
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      CloudWatchLogsRoleArn: Match.anyValue(),
    });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        LogGroupName: '/security-baseline/cloudtrail/Audit-audit-trail',
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        RetentionInDays: 365,
        DeletionProtectionEnabled: true,
      },
    });
  });

  test('has its own 90-day BaselineKey, which CloudTrail and CloudWatch Logs may use only for this trail (ENC-03)', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      RotationPeriodInDays: 90,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:GenerateDataKey*',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceArn': TRAIL_ARN } }),
          }),
          Match.objectLike({
            Condition: {
              ArnEquals: {
                'kms:EncryptionContext:aws:logs:arn': regionalArn(
                  'logs',
                  'log-group:/security-baseline/cloudtrail/Audit-audit-trail',
                ),
              },
            },
          }),
        ]),
      },
    });
  });

  test('writes to an Object-Locked, KMS-encrypted bucket in COMPLIANCE mode for one year (LOG-02)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          }),
        ],
      },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
  });

  test('moves log files to cold storage and expires them when retention ends (LOG-02)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'audit-log-retention',
            ExpirationInDays: 365,
            Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
          }),
        ]),
      },
    });
  });

  test('bucket policy lets CloudTrail check the ACL and write only for this trail, into this account prefix', () => {
    const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(
      ([, p]) => p.Properties.Bucket.Ref === bucketId,
    )!;
    const cloudTrailStatements = policy.Properties.PolicyDocument.Statement.filter(
      (s: any) => s.Principal?.Service === 'cloudtrail.amazonaws.com',
    );
    expect(cloudTrailStatements).toEqual([
      expect.objectContaining({
        Sid: 'AWSCloudTrailAclCheck',
        Action: 's3:GetBucketAcl',
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
      }),
      expect.objectContaining({
        Sid: 'AWSCloudTrailWrite',
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': [
            '',
            [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/AWSLogs/', { Ref: 'AWS::AccountId' }, '/*'],
          ],
        },
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN },
        },
      }),
    ]);
  });

  test("delivery role may only create and write CloudTrail's streams in this log group", () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':logs:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':log-group:/security-baseline/cloudtrail/Audit-audit-trail:log-stream:',
                  { Ref: 'AWS::AccountId' },
                  '_CloudTrail_',
                  { Ref: 'AWS::Region' },
                  '*',
                ],
              ],
            },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'cloudtrail.amazonaws.com' } })],
      },
    });
  });

  test('every stateful resource is retained', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
      for (const [, r] of resourcesOf(template, type)) {
        expect([type, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([type, 'Retain', 'Retain']);
      }
    }
  });

  test('the trail waits for the bucket policy, key and delivery role it needs', () => {
    const [, trail] = resourcesOf(template, 'AWS::CloudTrail::Trail')[0];
    const policyId = stack.getLogicalId(audit.bucket.bucket.policy!.node.defaultChild as any);
    const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith('TrailLogsDeliveryRole'),
    )!;
    const deliveryPolicyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy')).find((id) =>
      id.startsWith('TrailLogsDeliveryPolicy'),
    )!;
    expect(roleId).toBeDefined();
    expect(deliveryPolicyId).toBeDefined();
    expect(trail.DependsOn).toEqual(expect.arrayContaining([policyId, keyId, roleId, deliveryPolicyId]));
  });

  test('records LOG-01, LOG-02, LOG-04 and ENC-01 and raises no weakening warning', () => {
    expect(recordedControls(stack).get(audit.node.path)).toEqual(['LOG-01', 'LOG-02', 'LOG-04', 'ENC-01']);
    expect(warningsMentioning(stack, 'weakened')).toHaveLength(0);
  });
});

describe('AuditTrail with props', () => {
  const stack = testStack();
  const key = new BaselineKey(stack, 'Key', { alias: 'audit' });
  new AuditTrail(stack, 'Trail', {
    trailName: 'org-audit',
    encryptionKey: key,
    retention: Duration.days(2557),
    lockMode: AuditLogLockMode.GOVERNANCE,
    transitionToColdStorageAfter: Duration.days(30),
    logGroupRetention: logs.RetentionDays.TWO_YEARS,
    logGroupDeletionProtection: false,
  });
  const template = Template.fromStack(stack);

  test('uses the key, names, retention and lock mode given', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'org-audit' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2557 } },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 731,
      DeletionProtectionEnabled: false,
    });
  });

  test('GOVERNANCE mode leaves a LOG-02 warning', () => {
    expect(warningsMentioning(stack, '[LOG-02 weakened]')).toHaveLength(1);
  });
});

describe('AuditTrail rejects bad props', () => {
  const make = (props: ConstructorParameters<typeof AuditTrail>[2]) => () =>
    new AuditTrail(testStack(), 'Trail', props);

  test('audit-log retention under one year', () => {
    expect(make({ retention: Duration.days(90) })).toThrow(
      /AuditTrail at 'Test\/Trail': 1 invalid prop\(s\):\n {2}- retention: got 90 days; audit logs are kept 365..2557 whole days \(LOG-02/,
    );
  });

  test('a log group kept less than a year', () => {
    expect(make({ logGroupRetention: logs.RetentionDays.THREE_MONTHS })).toThrow(
      /logGroupRetention: got 90; keep the trail log group at least one year \(RetentionDays.ONE_YEAR; AWS Control Tower CT.CLOUDWATCH.PR.2\)/,
    );
  });

  test('a log group without retention', () => {
    expect(make({ logGroupRetention: logs.RetentionDays.INFINITE })).toThrow(
      /logGroupRetention: got "INFINITE"; LOG-04 requires an explicit retention/,
    );
  });

  test('cold storage after retention ends, or before S3 allows', () => {
    expect(make({ transitionToColdStorageAfter: Duration.days(400) })).toThrow(
      /transitionToColdStorageAfter: got 400 days; must be shorter than retention \(365 days\)/,
    );
    expect(make({ transitionToColdStorageAfter: Duration.days(10) })).toThrow(
      /transitionToColdStorageAfter: got 10 days; S3 transitions to Glacier after 30 days at the earliest/,
    );
  });

  test('a malformed trail name, reported with the other problems', () => {
    expect(make({ trailName: 'x', retention: Duration.days(10000) })).toThrow(
      /2 invalid prop\(s\):\n {2}- retention: got 10000 days.*\n {2}- trailName: got "x"; CloudTrail names are 3..128/,
    );
  });
});
