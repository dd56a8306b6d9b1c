import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recordedControls } from '../../lib/compliance/controls';
import { AccessLogBucket } from '../../lib/constructs/access-log-bucket';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { resourcesOf, testStack, ALL_PUBLIC_ACCESS_BLOCKED } from '../helpers';

/** The bucket policy statements of the bucket with logical id `bucketId`. */
function policyStatements(template: Template, bucketId: string): any[] {
  const [, policy] = resourcesOf(template, 'AWS::S3::BucketPolicy').find(
    ([, p]) => p.Properties.Bucket.Ref === bucketId,
  )!;
  return policy.Properties.PolicyDocument.Statement;
}

describe('SecureBucket with defaults', () => {
  const stack = testStack();
  const secure = new SecureBucket(stack, 'Data');
  const template = Template.fromStack(stack);
  const bucketId = stack.getLogicalId(secure.bucket.node.defaultChild as s3.CfnBucket);
  const logBucketId = stack.getLogicalId(secure.serverAccessLogsBucket.node.defaultChild as s3.CfnBucket);
  const [, bucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id === bucketId)!;

  test('encrypts with SSE-KMS under its own 90-day BaselineKey, with bucket keys (ENC-01)', () => {
    expect(secure.encryptionKey).toBeInstanceOf(BaselineKey);
    const keyId = stack.getLogicalId(secure.encryptionKey.node.defaultChild as any);
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
      },
    ]);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 90 });
  });

  test('blocks all public access, enforces object ownership and versioning (DATA-01)', () => {
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: ALL_PUBLIC_ACCESS_BLOCKED,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('denies requests without TLS and with TLS below 1.2 (ENC-05)', () => {
    const statements = policyStatements(template, bucketId);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
  });

  test('logs server access to a separate access-log bucket (DATA-01)', () => {
    expect(logBucketId).not.toEqual(bucketId);
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: expect.stringMatching(/^test-data-[0-9a-f]{8}\/$/),
    });
  });

  test('has explicit retention of old versions and aborts stale uploads (DATA-05)', () => {
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({
        NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    );
  });

  test('is retained on stack deletion and resource replacement (DATA-05)', () => {
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  test('sends object events to EventBridge natively, without a custom resource (CT.S3.PR.4)', () => {
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(Object.keys(template.findResources('Custom::S3BucketNotifications'))).toEqual([]);
  });

  test('has no Object Lock unless asked', () => {
    expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
  });

  test('records its controls', () => {
    expect(recordedControls(stack).get(secure.node.path)).toEqual(['ENC-01', 'DATA-01', 'ENC-05', 'DATA-05']);
  });
});

describe('SecureBucket with props', () => {
  const stack = testStack();
  const key = new BaselineKey(stack, 'SharedKey', { alias: 'shared' });
  const logs = new AccessLogBucket(stack, 'Logs');
  const a = new SecureBucket(stack, 'A', {
    encryptionKey: key,
    serverAccessLogsBucket: logs.bucket,
    serverAccessLogsPrefix: 'a/',
    objectLockRetention: s3.ObjectLockRetention.governance(Duration.days(30)),
    lifecycleRules: [{ id: 'expire', expiration: Duration.days(400) }],
  });
  new SecureBucket(stack, 'B', { encryptionKey: key, serverAccessLogsBucket: logs.bucket });
  const template = Template.fromStack(stack);

  test('share one key and one access-log bucket: no extra keys or buckets', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::S3::Bucket', 3);
    expect(a.encryptionKey).toBe(key);
  });

  test('turns on Object Lock with the default retention given', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'a/' }),
    });
  });

  test('adds the lifecycle rules given after its housekeeping rule', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ Id: 'baseline-housekeeping' }),
          Match.objectLike({ Id: 'expire', ExpirationInDays: 400 }),
        ],
      },
    });
  });
});

describe('SecureBucket rejects bad props', () => {
  test('objects expiring before their Object Lock retention ends, and retention under a day, all at once', () => {
    expect(
      () =>
        new SecureBucket(testStack(), 'Data', {
          noncurrentVersionRetention: Duration.hours(2),
          objectLockRetention: s3.ObjectLockRetention.compliance(Duration.days(365)),
          lifecycleRules: [{ expiration: Duration.days(30) }],
        }),
    ).toThrow(
      /SecureBucket at 'Test\/Data': 2 invalid prop\(s\):\n {2}- noncurrentVersionRetention: got 2 hours; .*\n {2}- lifecycleRules\[0\]\.expiration: got 30 days; objects are locked for 365 days; expire them no earlier/,
    );
  });
});

describe('AccessLogBucket', () => {
  const stack = testStack();
  const logs = new AccessLogBucket(stack, 'Logs', { retention: Duration.days(90) });
  const template = Template.fromStack(stack);

  test('is SSE-S3 encrypted (the only default encryption S3 access logging delivers to), private, versioned, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: ALL_PUBLIC_ACCESS_BLOCKED,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
      }),
    });
  });

  test('denies non-TLS and TLS < 1.2 requests', () => {
    const statements = policyStatements(
      template,
      stack.getLogicalId(logs.bucket.node.defaultChild as s3.CfnBucket),
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]),
    );
  });

  test('rejects a retention under one day', () => {
    expect(() => new AccessLogBucket(testStack(), 'L', { retention: Duration.hours(1) })).toThrow(
      /AccessLogBucket at 'Test\/L': 1 invalid prop\(s\):\n {2}- retention: got 1 hour; access logs must be kept for at least one day/,
    );
  });
});
