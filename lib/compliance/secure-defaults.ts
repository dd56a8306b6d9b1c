import { Annotations, AspectPriority, Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

export interface SecureDefaultsProps {
  /**
   * Rotation period given to keys that rotate less often or not at all (ENC-02).
   * @default 90
   */
  readonly keyRotationDays?: number;

  /**
   * Retention given to log groups that keep logs forever (LOG-04), a CloudWatch Logs value.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An opt-in aspect that upgrades a consumer's existing resources in place to the baseline's
 * defaults, and says so: every change is an info annotation naming the control ID.
 *
 * - KMS keys (symmetric, KMS-generated): rotation on, every 90 days (ENC-02).
 * - S3 buckets: all public access blocked (DATA-01); default encryption with SSE-KMS and bucket keys
 *   where none was set (ENC-01; with the AWS-managed key, so use SecureBucket for a customer-managed
 *   one); a bucket policy denying non-TLS and TLS < 1.2 requests (ENC-05).
 * - Log groups without retention: one year (LOG-04).
 *
 * It never weakens a setting and leaves values it cannot read (tokens) alone.
 * `SecureDefaults.applyTo(app)` adds it with mutating priority, before the compliance checks run.
 */
export class SecureDefaults implements IAspect {
  public static applyTo(scope: IConstruct, props: SecureDefaultsProps = {}): SecureDefaults {
    const aspect = new SecureDefaults(props);
    Aspects.of(scope).add(aspect, { priority: AspectPriority.MUTATING });
    return aspect;
  }

  private readonly rotationDays: number;
  private readonly retention: logs.RetentionDays;

  constructor(props: SecureDefaultsProps = {}) {
    this.rotationDays = props.keyRotationDays ?? 90;
    this.retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const problems: string[] = [];
    if (!Number.isInteger(this.rotationDays) || this.rotationDays < 90 || this.rotationDays > 2560) {
      problems.push(
        `keyRotationDays: got ${JSON.stringify(props.keyRotationDays)}; expected a whole number of days, 90..2560`,
      );
    }
    if (this.retention === logs.RetentionDays.INFINITE) {
      problems.push('logRetention: got INFINITE; expected an explicit retention (LOG-04)');
    }
    if (problems.length > 0)
      throw new Error(`SecureDefaults: ${problems.length} invalid prop(s):\n  - ${problems.join('\n  - ')}`);
  }

  public visit(node: IConstruct): void {
    if (node instanceof kms.CfnKey) this.upgradeKey(node);
    else if (node instanceof s3.CfnBucket) this.upgradeBucket(node);
    else if (node instanceof logs.CfnLogGroup) this.upgradeLogGroup(node);
  }

  private upgradeKey(key: kms.CfnKey): void {
    const symmetric = [key.keySpec, key.keyUsage, key.origin].every(
      (v, i) => v === undefined || v === ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS'][i],
    );
    if (
      !symmetric ||
      Token.isUnresolved(key.enableKeyRotation) ||
      Token.isUnresolved(key.rotationPeriodInDays)
    )
      return;
    const period = key.rotationPeriodInDays ?? 365;
    if (key.enableKeyRotation === true && period <= this.rotationDays) return;
    const was = key.enableKeyRotation === true ? `every ${period} days` : 'off';
    key.enableKeyRotation = true;
    key.rotationPeriodInDays = this.rotationDays;
    info(key, 'ENC-02', `key rotation set to every ${this.rotationDays} days (was ${was})`);
  }

  private upgradeBucket(bucket: s3.CfnBucket): void {
    const block = bucket.publicAccessBlockConfiguration as
      s3.CfnBucket.PublicAccessBlockConfigurationProperty | undefined;
    const flags = [
      'blockPublicAcls',
      'blockPublicPolicy',
      'ignorePublicAcls',
      'restrictPublicBuckets',
    ] as const;
    if (!Token.isUnresolved(block) && !flags.every((f) => block?.[f] === true)) {
      bucket.publicAccessBlockConfiguration = {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      };
      info(bucket, 'DATA-01', 'all public access blocked');
    }
    if (bucket.bucketEncryption === undefined) {
      bucket.bucketEncryption = {
        serverSideEncryptionConfiguration: [
          { bucketKeyEnabled: true, serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } },
        ],
      };
      info(
        bucket,
        'ENC-01',
        'default encryption set to SSE-KMS with the AWS-managed key (use SecureBucket for a customer-managed key)',
      );
    }
    // TLS-only: through the L2 bucket's policy when there is one (CDK's own statements).
    const l2 = bucket.node.scope;
    if (l2 instanceof s3.Bucket && !hasTlsDeny(l2)) {
      const everyone = new iam.AnyPrincipal();
      const resources = [l2.bucketArn, l2.arnForObjects('*')];
      l2.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [everyone],
          actions: ['s3:*'],
          resources,
          conditions: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      l2.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [everyone],
          actions: ['s3:*'],
          resources,
          conditions: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      );
      info(bucket, 'ENC-05', 'bucket policy denies requests without TLS and with TLS below 1.2');
    }
  }

  private upgradeLogGroup(group: logs.CfnLogGroup): void {
    if (group.retentionInDays !== undefined) return;
    group.retentionInDays = this.retention;
    info(group, 'LOG-04', `retention set to ${this.retention} days (was: never expire)`);
  }
}

/** Whether the bucket's policy already denies TLS < 1.2 to everyone. */
function hasTlsDeny(bucket: s3.Bucket): boolean {
  const doc = bucket.policy?.document;
  if (!doc) return false;
  const json = Stack.of(bucket).resolve(doc.toJSON()) as {
    Statement?: { Effect?: string; Condition?: Record<string, Record<string, unknown>> }[];
  };
  return (json.Statement ?? []).some(
    (s) => s.Effect === 'Deny' && Number(s.Condition?.NumericLessThan?.['s3:TlsVersion']) >= 1.2,
  );
}

function info(node: IConstruct, controlId: string, change: string): void {
  Annotations.of(node).addInfo(`[${controlId}] SecureDefaults: ${change}`);
}
