import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { CloudTrailBucketObjectLock, S3BucketDeniesOldTls } from '../../../lib/compliance/rules';
import { AuditTrail } from '../../../lib/constructs/audit-trail';
import { SecureBucket } from '../../../lib/constructs/secure-bucket';
import { check } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;
const cfnBucket = (b: s3.Bucket) => b.node.defaultChild as s3.CfnBucket;

describe('SecurityPolicy-CloudTrailBucketObjectLock', () => {
  test('compliant: an AuditTrail delivers to an Object-Locked bucket', () => {
    expect(check(CloudTrailBucketObjectLock, (s) => new AuditTrail(s, 'T').trail)).toBe(COMPLIANT);
  });

  test('non-compliant: a trail delivering to a bucket without Object Lock', () => {
    const result = check(CloudTrailBucketObjectLock, (s) => {
      const bucket = new s3.Bucket(s, 'B');
      return new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: bucket.bucketName });
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant: Object Lock enabled but without a default retention', () => {
    const result = check(CloudTrailBucketObjectLock, (s) => {
      const bucket = new s3.Bucket(s, 'B', { objectLockEnabled: true });
      return new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: bucket.bucketName });
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('compliant: a bucket found by literal name in the same stack', () => {
    const result = check(CloudTrailBucketObjectLock, (s) => {
      new s3.Bucket(s, 'B', {
        bucketName: 'audit-logs-1',
        objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(365)),
      });
      return new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'audit-logs-1' });
    });
    expect(result).toBe(COMPLIANT);
  });

  test('not applicable: a bucket outside the stack, and non-trail resources', () => {
    expect(
      check(
        CloudTrailBucketObjectLock,
        (s) => new cloudtrail.CfnTrail(s, 'T', { isLogging: true, s3BucketName: 'central-audit-bucket' }),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(check(CloudTrailBucketObjectLock, (s) => cfnBucket(new s3.Bucket(s, 'B')))).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-S3BucketDeniesOldTls', () => {
  test('compliant: SecureBucket, and a CDK bucket with enforceSSL and minimumTLSVersion 1.2', () => {
    expect(check(S3BucketDeniesOldTls, (s) => cfnBucket(new SecureBucket(s, 'B').bucket))).toBe(COMPLIANT);
    expect(
      check(S3BucketDeniesOldTls, (s) =>
        cfnBucket(new s3.Bucket(s, 'B', { enforceSSL: true, minimumTLSVersion: 1.2 })),
      ),
    ).toBe(COMPLIANT);
  });

  test('non-compliant: no bucket policy at all', () => {
    expect(check(S3BucketDeniesOldTls, (s) => cfnBucket(new s3.Bucket(s, 'B')))).toBe(NON_COMPLIANT);
  });

  test('non-compliant: only aws:SecureTransport is enforced', () => {
    expect(check(S3BucketDeniesOldTls, (s) => cfnBucket(new s3.Bucket(s, 'B', { enforceSSL: true })))).toBe(
      NON_COMPLIANT,
    );
  });

  test('non-compliant: the deny allows TLS 1.0 and 1.1', () => {
    expect(
      check(S3BucketDeniesOldTls, (s) =>
        cfnBucket(new s3.Bucket(s, 'B', { enforceSSL: true, minimumTLSVersion: 1.0 })),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a TLS deny that covers only some actions or principals', () => {
    const result = check(S3BucketDeniesOldTls, (s) => {
      const bucket = new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.RETAIN });
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects('*')],
          conditions: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      );
      return cfnBucket(bucket);
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(check(S3BucketDeniesOldTls, (s) => new s3.CfnAccessPoint(s, 'AP', { bucket: 'x' }))).toBe(
      NOT_APPLICABLE,
    );
  });
});
