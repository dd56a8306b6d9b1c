import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../lib/constructs/access-log-bucket';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { resourcesOf, testStack } from '../helpers';

// Issue 13, defect 1: the access-log buckets were SSE-S3, so a correct deployment could never pass
// baseline-audit (DATA-01/ENC-01). aws-cdk-lib 2.276 supports a customer-managed key on a server
// access log destination: it grants logging.s3.amazonaws.com on the key (bucket.js,
// parseServerAccessLogs -> grantEncryptDecrypt).
describe('AccessLogBucket encryption (ENC-01, DATA-01)', () => {
  const stack = testStack();
  const logs = new AccessLogBucket(stack, 'Logs', { retention: Duration.days(90) });
  new SecureBucket(stack, 'Data', { serverAccessLogsBucket: logs.bucket });
  const template = Template.fromStack(stack);
  const logBucketId = stack.getLogicalId(logs.bucket.node.defaultChild as s3.CfnBucket);
  const keyId = stack.getLogicalId(logs.encryptionKey.node.defaultChild as never);

  test('is SSE-KMS with bucket keys under its own 90-day BaselineKey, not SSE-S3', () => {
    expect(logs.encryptionKey).toBeInstanceOf(BaselineKey);
    const [, bucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id === logBucketId)!;
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
      },
    ]);
    template.hasResourceProperties('AWS::KMS::Key', { RotationPeriodInDays: 90, EnableKeyRotation: true });
  });

  test('the S3 logging service may use the key (so log delivery works)', () => {
    const [, key] = resourcesOf(template, 'AWS::KMS::Key').find(([id]) => id === keyId)!;
    expect(key.Properties.KeyPolicy.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: expect.arrayContaining(['kms:GenerateDataKey*', 'kms:Encrypt']),
        }),
      ]),
    );
  });

  test('a key can be shared and passed in', () => {
    const s = testStack();
    const key = new BaselineKey(s, 'K', { alias: 'security-baseline/logs' });
    const l = new AccessLogBucket(s, 'L', { encryptionKey: key });
    expect(l.encryptionKey).toBe(key);
    Template.fromStack(s).resourceCountIs('AWS::KMS::Key', 1);
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
  });

  test('no acknowledgement claims that SSE-S3 is the only option', () => {
    const acks = logs.bucket.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .map((m) => JSON.stringify(m.data));
    // The acknowledgements are readable here (the ones that stay are found) ...
    expect(acks.some((a) => a.includes('s3_bucket_logging_enabled_check'))).toBe(true);
    // ... and none is about encryption any more.
    expect(acks.filter((a) => /SSE-S3|S3DefaultEncryptionKMS|default_encryption_kms/.test(a))).toEqual([]);
  });
});
