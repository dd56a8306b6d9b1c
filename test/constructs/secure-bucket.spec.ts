import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
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
    // Keys: the shared one plus whatever the AccessLogBucket owns; none created by the SecureBuckets.
    const ownKeys = resourcesOf(template, 'AWS::KMS::Key').filter(([id]) => /^(A|B)[A-Z0-9]/.test(id));
    expect(ownKeys.map(([id]) => id)).toEqual([]);
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

  // Its encryption is tested with its owner's tests (AccessLogBucket belongs to the verifier work).
  test('is encrypted, private, versioned, retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: Match.anyValue() }),
            }),
          ],
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

describe('SecureBucket in a bare App (no feature flags, as a consumer starts)', () => {
  // Without @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy, s3.Bucket grants log delivery with the
  // LogDeliveryWrite ACL, which a bucket with ACLs disabled rejects at construction.
  const app = new App();
  const stack = new Stack(app, 'Bare');
  const secure = new SecureBucket(stack, 'Data');
  const template = Template.fromStack(stack);
  const bucketId = stack.getLogicalId(secure.bucket.node.defaultChild as s3.CfnBucket);
  const logBucketId = stack.getLogicalId(secure.serverAccessLogsBucket.node.defaultChild as s3.CfnBucket);

  test('builds, logs to the access-log bucket and grants delivery by bucket policy, never by ACL', () => {
    const [, bucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id === bucketId)!;
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logBucketId },
      LogFilePrefix: expect.stringMatching(/\/$/),
    });
    for (const [, b] of resourcesOf(template, 'AWS::S3::Bucket')) {
      expect(b.Properties.AccessControl).toBeUndefined();
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    expect(policyStatements(template, logBucketId)).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    );
  });

  test('renders the same bucket as an app with the project flags (same logical IDs, same logging)', () => {
    const flagged = testStack('Bare');
    const other = new SecureBucket(flagged, 'Data');
    const flaggedTemplate = Template.fromStack(flagged);
    expect(flagged.getLogicalId(other.bucket.node.defaultChild as s3.CfnBucket)).toBe(bucketId);
    const [, a] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id === bucketId)!;
    const [, b] = resourcesOf(flaggedTemplate, 'AWS::S3::Bucket').find(([id]) => id === bucketId)!;
    expect(a.Properties.LoggingConfiguration).toEqual(b.Properties.LoggingConfiguration);
    expect(policyStatements(template, logBucketId)).toEqual(policyStatements(flaggedTemplate, logBucketId));
  });
});

describe('SecureBucket grants', () => {
  const stack = testStack();
  const secure = new SecureBucket(stack, 'Data');
  const reader = new iam.Role(stack, 'Reader', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const writer = new iam.Role(stack, 'Writer', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  secure.grantRead(reader);
  secure.grantWrite(writer, 'uploads/*');
  secure.grantRead(writer);
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(secure.encryptionKey.node.defaultChild as any);
  const policyOf = (role: iam.Role) =>
    resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(role.node.defaultChild as iam.CfnRole)),
    );

  test('land in one managed policy per role, never an inline policy (IAMNoInlinePolicy)', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(policyOf(reader)).toHaveLength(1);
    expect(policyOf(writer)).toHaveLength(1);
  });

  test('read grants object reads and decrypt with the bucket key; write is scoped to the pattern', () => {
    const [[, read]] = policyOf(reader);
    const readDoc = JSON.stringify(read.Properties.PolicyDocument);
    expect(read.Properties.PolicyDocument.Statement[0].Action).toEqual([
      's3:GetObject',
      's3:GetObjectVersion',
    ]);
    expect(readDoc).not.toMatch(/"s3:[A-Za-z]*\*"/); // explicit actions, no AwsSolutions-IAM5 action wildcard
    expect(readDoc).toContain('kms:Decrypt');
    expect(readDoc).toContain(keyId);
    expect(readDoc).not.toContain('s3:PutObject');
    const [[, write]] = policyOf(writer);
    const statements = write.Properties.PolicyDocument.Statement as any[];
    const put = statements.find((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(put.Resource)).toContain('/uploads/*');
    expect(JSON.stringify(statements)).toContain('"kms:GenerateDataKey"');
    expect(JSON.stringify(statements)).not.toContain('s3:DeleteObject');
  });
});
