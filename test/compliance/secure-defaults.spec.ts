import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureDefaults } from '../../lib/compliance/secure-defaults';
import { SecurityPolicyChecks } from '../../lib/compliance/security-policy-checks';
import { ALL_PUBLIC_ACCESS_BLOCKED, testApp } from '../helpers';

describe('SecureDefaults upgrades a consumer stack in place', () => {
  const app = testApp();
  const stack = new Stack(app, 'Consumer');
  new kms.Key(stack, 'Yearly', { enableKeyRotation: true, rotationPeriod: Duration.days(365) });
  new kms.Key(stack, 'NoRotation', { enableKeyRotation: false });
  new kms.Key(stack, 'Signing', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
  new s3.Bucket(stack, 'Plain', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
  new s3.Bucket(stack, 'Tls', {
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  new logs.LogGroup(stack, 'Forever', {
    retention: logs.RetentionDays.INFINITE,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new logs.LogGroup(stack, 'Week', { retention: logs.RetentionDays.ONE_WEEK });
  SecureDefaults.applyTo(app);
  const template = Template.fromStack(stack);
  const infos = Annotations.fromStack(stack)
    .findInfo('*', Match.stringLikeRegexp('SecureDefaults'))
    .map((m) => `${m.id} ${m.entry.data}`);

  test('keys rotate every 90 days, each change noted with ENC-02', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key')).map((k) => k.Properties);
    expect(
      keys.filter((k) => k.KeySpec === undefined).map((k) => [k.EnableKeyRotation, k.RotationPeriodInDays]),
    ).toEqual([
      [true, 90],
      [true, 90],
    ]);
    expect(infos).toContain(
      '/Consumer/Yearly/Resource [ENC-02] SecureDefaults: key rotation set to every 90 days (was every 365 days)',
    );
    expect(infos).toContain(
      '/Consumer/NoRotation/Resource [ENC-02] SecureDefaults: key rotation set to every 90 days (was off)',
    );
  });

  test('asymmetric keys are left alone', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'ECC_NIST_P256',
      EnableKeyRotation: Match.absent(),
      RotationPeriodInDays: Match.absent(),
    });
  });

  test('buckets get public access blocked, encryption and a TLS 1.2 deny, once', () => {
    const plainId = stack.getLogicalId(stack.node.findChild('Plain').node.defaultChild as s3.CfnBucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: ALL_PUBLIC_ACCESS_BLOCKED,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: plainId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
    expect(infos.filter((i) => i.startsWith('/Consumer/Plain/Resource'))).toEqual([
      '/Consumer/Plain/Resource [DATA-01] SecureDefaults: all public access blocked',
      '/Consumer/Plain/Resource [ENC-01] SecureDefaults: default encryption set to SSE-KMS with the AWS-managed key (use SecureBucket for a customer-managed key)',
      '/Consumer/Plain/Resource [ENC-05] SecureDefaults: bucket policy denies requests without TLS and with TLS below 1.2',
    ]);
    // Already TLS-only and encrypted: nothing to change but nothing weakened either.
    expect(infos.filter((i) => i.startsWith('/Consumer/Tls/Resource'))).toEqual([]);
  });

  test('log groups without retention keep logs a year; explicit retention is kept', () => {
    const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map(
      (g) => g.Properties.RetentionInDays,
    );
    expect(retentions.sort()).toEqual([365, 7]);
    expect(infos).toContain(
      '/Consumer/Forever/Resource [LOG-04] SecureDefaults: retention set to 365 days (was: never expire)',
    );
  });

  test('the upgraded keys pass the SecurityPolicy rotation rule', () => {
    const violations = new SecurityPolicyChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(violations).not.toContain('SecurityPolicy-KMSKeyRotationPeriod');
    expect(violations).not.toContain('SecurityPolicy-S3BucketDeniesOldTls');
  });
});

test('SecureDefaults rejects settings that would not be an upgrade', () => {
  expect(
    () => new SecureDefaults({ keyRotationDays: 30, logRetention: logs.RetentionDays.INFINITE }),
  ).toThrow(
    'SecureDefaults: 2 invalid prop(s):\n  - keyRotationDays: got 30; expected a whole number of days, 90..2560\n  - logRetention: got INFINITE; expected an explicit retention (LOG-04)',
  );
});
