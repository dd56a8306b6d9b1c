import { CfnResource, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecurityPolicyChecks } from '../../lib/compliance/security-policy-checks';
import { POLICY_RULES } from '../../lib/compliance/rules';
import { CONTROL_CATALOGUE } from '../../lib/compliance/catalogue';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { testApp } from '../helpers';

/** Violations of the pack on a fresh app built by `build`, as "ruleName path" strings. */
function violations(build: (stack: Stack) => void, pack = new SecurityPolicyChecks()): string[] {
  const app = testApp();
  build(new Stack(app, 'S'));
  const report = pack.validateScope(app);
  return report.violations
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
    .sort();
}

describe('SecurityPolicyChecks', () => {
  test('every rule names controls from the catalogue, and rule IDs are unique', () => {
    const known = new Set(CONTROL_CATALOGUE.map((c) => c.id));
    for (const rule of POLICY_RULES) {
      expect(rule.controls.length).toBeGreaterThan(0);
      for (const id of rule.controls) expect([rule.id, known.has(id)]).toEqual([rule.id, true]);
    }
    expect(new Set(POLICY_RULES.map((r) => r.id)).size).toBe(POLICY_RULES.length);
  });

  test('every rule says, for a failing resource, what it found and how to fix it', () => {
    expect(POLICY_RULES.filter((r) => r.found === undefined).map((r) => r.id)).toEqual([]);
  });

  test('reports a 365-day key under SecurityPolicy-KMSKeyRotationPeriod with its construct path', () => {
    const found = violations(
      (s) =>
        new kms.Key(s, 'Yearly', {
          enableKeyRotation: true,
          rotationPeriod: Duration.days(365),
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );
    expect(found).toContain('SecurityPolicy-KMSKeyRotationPeriod S/Yearly/Resource');
  });

  test('passes the baseline constructs', () => {
    expect(violations((s) => new SecureBucket(s, 'Data'))).toEqual([]);
  });

  test('multi-part findings are reported and acknowledged one part at a time', () => {
    const found = violations((s) => {
      const bucket = new s3.Bucket(s, 'B', {
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(bucket).acknowledge({
        id: 'SecurityPolicy-StatefulResourceRetained[UpdateReplacePolicy]',
        reason: 'test',
      });
    });
    expect(found.filter((f) => f.includes('StatefulResourceRetained'))).toEqual([
      'SecurityPolicy-StatefulResourceRetained[DeletionPolicy] S/B/Resource',
    ]);
  });

  test('honours a policy maximum above 90 days', () => {
    const build = (s: Stack) =>
      new kms.Key(s, 'K', { enableKeyRotation: true, rotationPeriod: Duration.days(180) }).applyRemovalPolicy(
        RemovalPolicy.RETAIN,
      );
    expect(violations(build, new SecurityPolicyChecks(undefined, { maxKeyRotationDays: 180 }))).toEqual([]);
    expect(violations(build)).toEqual(['SecurityPolicy-KMSKeyRotationPeriod S/K/Resource']);
  });

  test('rejects a policy maximum KMS cannot honour', () => {
    expect(() => new SecurityPolicyChecks(undefined, { maxKeyRotationDays: 30 })).toThrow(
      'SecurityPolicyChecks: maxKeyRotationDays: got 30; expected a whole number of days, 90..2560',
    );
  });

  test('never crashes on unusual templates: intrinsics everywhere, unknown types, raw resources', () => {
    const found = violations((s) => {
      const cond = Fn.conditionEquals('a', 'b');
      new CfnResource(s, 'Key', {
        type: 'AWS::KMS::Key',
        properties: { EnableKeyRotation: Fn.conditionIf('C', true, false), KeySpec: Fn.ref('AWS::NoValue') },
      });
      new CfnResource(s, 'Trail', {
        type: 'AWS::CloudTrail::Trail',
        properties: { S3BucketName: Fn.join('', ['a', Fn.ref('AWS::Region')]), IsLogging: true },
      });
      new CfnResource(s, 'Acl', { type: 'AWS::WAFv2::WebACL', properties: { Rules: Fn.ref('RulesParam') } });
      new CfnResource(s, 'Policy', {
        type: 'AWS::S3::BucketPolicy',
        properties: { Bucket: cond, PolicyDocument: 'not-an-object' },
      });
      new CfnResource(s, 'Db', {
        type: 'AWS::RDS::DBInstance',
        properties: { Engine: Fn.ref('EngineParam') },
      });
      new CfnResource(s, 'Custom', { type: 'Custom::Thing', properties: { Anything: [1, { Ref: 'x' }] } });
    });
    // Real findings only: a rule that threw would appear as a violation of its bare rule ID on every
    // resource (cdk-nag reports exceptions that way), e.g. 'SecurityPolicy-S3BucketDeniesOldTls S/Policy'.
    expect(found).toEqual([
      'SecurityPolicy-CloudTrailAuditTrail[CloudWatchLogsLogGroupArn] S/Trail',
      'SecurityPolicy-CloudTrailAuditTrail[EnableLogFileValidation] S/Trail',
      'SecurityPolicy-CloudTrailAuditTrail[IsMultiRegionTrail] S/Trail',
      'SecurityPolicy-CloudTrailAuditTrail[KMSKeyId] S/Trail',
      'SecurityPolicy-KMSKeyRotationPeriod S/Key',
      'SecurityPolicy-RdsEncryptedAndPrivate[KmsKeyId] S/Db',
      'SecurityPolicy-RdsEncryptedAndPrivate[StorageEncrypted] S/Db',
      'SecurityPolicy-StatefulResourceRetained[DeletionPolicy] S/Db',
      'SecurityPolicy-StatefulResourceRetained[DeletionPolicy] S/Key',
      'SecurityPolicy-StatefulResourceRetained[UpdateReplacePolicy] S/Db',
      'SecurityPolicy-StatefulResourceRetained[UpdateReplacePolicy] S/Key',
      'SecurityPolicy-WAFWebACLRateBasedRule S/Acl',
    ]);
  });
});
