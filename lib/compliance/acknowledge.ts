import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nagResource } from './nag-ids';

const FRAMEWORK_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const NIST_HIPAA = ['NIST.800.53.R5', 'HIPAA.Security'];
const NIST_PCI = ['NIST.800.53.R5', 'PCI.DSS.321'];
const GUARD = 'cdk-validator-cfnguard::';

/**
 * The rule IDs under which NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 report the same check
 * (they share rule names), e.g. `inFrameworkPacks('S3BucketReplicationEnabled')`.
 * Pass `packs` for a rule only some of them have.
 */
export function inFrameworkPacks(rule: string, packs: readonly string[] = FRAMEWORK_PACKS): string[] {
  return packs.map((pack) => `${pack}-${rule}`);
}

/**
 * Acknowledge each finding in `ids` on `scope` (one acknowledgement per finding), for one reason
 * a reviewer can check. Call it next to the code that causes the findings.
 */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  const problems: string[] = [];
  if (ids.length === 0) problems.push('ids: got []; expected at least one finding ID');
  if (reason.trim().length < 20)
    problems.push(
      `reason: got ${JSON.stringify(reason)}; expected a reason a reviewer can check (20+ characters)`,
    );
  if (problems.length > 0)
    throw new Error(
      `acknowledge at '${scope.node.path}': ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`,
    );
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * One compliance finding as every pack of the gate names it: the same check appears as
 * `AwsSolutions-S1`, `NIST.800.53.R5-S3BucketLoggingEnabled`, `HIPAA.Security-...`,
 * `PCI.DSS.321-...` and the AWS Control Tower rule `cdk-validator-cfnguard::s3_bucket_logging_enabled_check`.
 * Acknowledge it in every pack at once with `Acknowledgements.acknowledgeFinding(scope, finding, reason)`.
 *
 * The IDs are taken from the packs' own rule names (cdk-nag's framework packs reuse one rule
 * function under one name; the Control Tower rule is the cfn-guard rule of the same check);
 * test/finding.test.ts checks that every ID exists in its pack, that no pack running
 * the same rule is missing, and that each one fires on a resource that breaks it.
 */
export class Finding {
  /** S3 server access logging off (DATA-01). */
  public static readonly S3_SERVER_ACCESS_LOGS = new Finding('S3_SERVER_ACCESS_LOGS', [
    'AwsSolutions-S1',
    ...inFrameworkPacks('S3BucketLoggingEnabled'),
    `${GUARD}s3_bucket_logging_enabled_check`,
  ]);
  /** No S3 cross-region replication (DATA-03 covers copies through AWS Backup instead). */
  public static readonly S3_REPLICATION = new Finding(
    'S3_REPLICATION',
    inFrameworkPacks('S3BucketReplicationEnabled'),
  );
  /** S3 default encryption is not SSE-KMS (ENC-01). */
  public static readonly S3_DEFAULT_ENCRYPTION_KMS = new Finding('S3_DEFAULT_ENCRYPTION_KMS', [
    ...inFrameworkPacks('S3DefaultEncryptionKMS'),
    `${GUARD}s3_bucket_default_encryption_kms_check`,
  ]);
  /** S3 versioning off (DATA-01). */
  public static readonly S3_VERSIONING = new Finding('S3_VERSIONING', [
    ...inFrameworkPacks('S3BucketVersioningEnabled'),
    `${GUARD}s3_bucket_versioning_enabled_check`,
  ]);
  /** S3 bucket policy does not deny non-TLS requests (ENC-05). */
  public static readonly S3_SSL_REQUESTS_ONLY = new Finding('S3_SSL_REQUESTS_ONLY', [
    'AwsSolutions-S10',
    ...inFrameworkPacks('S3BucketSSLRequestsOnly'),
  ]);
  /** S3 Object Lock off (AWS Control Tower CT.S3.PR.9; LOG-02 for audit logs). */
  public static readonly S3_OBJECT_LOCK = new Finding('S3_OBJECT_LOCK', [
    `${GUARD}s3_bucket_object_lock_enabled_check`,
  ]);
  /** A Lambda function outside a VPC. */
  public static readonly LAMBDA_INSIDE_VPC = new Finding('LAMBDA_INSIDE_VPC', [
    ...inFrameworkPacks('LambdaInsideVPC'),
    `${GUARD}lambda_inside_vpc_check`,
  ]);
  /** A Lambda function without a dead-letter queue. */
  public static readonly LAMBDA_DLQ = new Finding('LAMBDA_DLQ', inFrameworkPacks('LambdaDLQ', NIST_HIPAA));
  /** A Lambda function without reserved concurrency. */
  public static readonly LAMBDA_CONCURRENCY = new Finding(
    'LAMBDA_CONCURRENCY',
    inFrameworkPacks('LambdaConcurrency', NIST_HIPAA),
  );
  /** A log group not encrypted with a customer-managed key (LOG-04). */
  public static readonly LOG_GROUP_ENCRYPTED = new Finding(
    'LOG_GROUP_ENCRYPTED',
    inFrameworkPacks('CloudWatchLogGroupEncrypted'),
  );
  /** A log group without retention, or too short (LOG-04). */
  public static readonly LOG_GROUP_RETENTION = new Finding('LOG_GROUP_RETENTION', [
    ...inFrameworkPacks('CloudWatchLogGroupRetentionPeriod'),
    `${GUARD}cloudwatch_log_group_retention_period_check`,
  ]);
  /** An inline IAM policy (e.g. a role's DefaultPolicy from a grant). */
  public static readonly IAM_NO_INLINE_POLICY = new Finding(
    'IAM_NO_INLINE_POLICY',
    inFrameworkPacks('IAMNoInlinePolicy'),
  );
  /** A REST API stage without execution logging. */
  public static readonly API_GW_EXECUTION_LOGGING = new Finding('API_GW_EXECUTION_LOGGING', [
    'AwsSolutions-APIG6',
    ...inFrameworkPacks('APIGWExecutionLoggingEnabled'),
    `${GUARD}api_gw_v1_execution_logging_enabled_check`,
  ]);
  /**
   * A REST API stage without an encrypted cache. (The Control Tower rule
   * `api_gw_cache_encrypted_check` only judges stages that do cache; a stage that caches
   * unencrypted should be fixed, not acknowledged.)
   */
  public static readonly API_GW_CACHE_ENCRYPTED = new Finding(
    'API_GW_CACHE_ENCRYPTED',
    inFrameworkPacks('APIGWCacheEnabledAndEncrypted'),
  );
  /** A REST API stage without a client certificate for the backend. */
  public static readonly API_GW_CLIENT_CERTIFICATE = new Finding(
    'API_GW_CLIENT_CERTIFICATE',
    inFrameworkPacks('APIGWSSLEnabled'),
  );
  /** A REST API stage not associated with a WAF web ACL (NET-03). */
  public static readonly API_GW_WAF = new Finding('API_GW_WAF', [
    'AwsSolutions-APIG3',
    ...inFrameworkPacks('APIGWAssociatedWithWAF', NIST_PCI),
  ]);
  /** A REST API stage without X-Ray tracing. */
  public static readonly API_GW_XRAY = new Finding('API_GW_XRAY', [
    ...inFrameworkPacks('APIGWXrayEnabled', ['HIPAA.Security']),
    `${GUARD}api_gw_xray_enabled_check`,
  ]);
  /** A database instance without Multi-AZ (DATA-02 asks for it in prod). */
  public static readonly RDS_MULTI_AZ = new Finding('RDS_MULTI_AZ', [
    'AwsSolutions-RDS3',
    ...inFrameworkPacks('RDSMultiAZSupport', NIST_HIPAA),
    `${GUARD}rds_instance_multi_az_support_check`,
  ]);
  /** A database not in an AWS Backup plan (DATA-03). */
  public static readonly RDS_IN_BACKUP_PLAN = new Finding(
    'RDS_IN_BACKUP_PLAN',
    inFrameworkPacks('RDSInBackupPlan', NIST_HIPAA),
  );
  /** A VPC route table with a default route to an internet gateway (public subnets). */
  public static readonly VPC_ROUTE_TO_IGW = new Finding(
    'VPC_ROUTE_TO_IGW',
    inFrameworkPacks('VPCNoUnrestrictedRouteToIGW'),
  );

  /** Every finding above, in declaration order. */
  public static all(): Finding[] {
    return Object.values(Finding).filter((v): v is Finding => v instanceof Finding);
  }

  /**
   * A finding this class does not list: its IDs in each pack, e.g.
   * `Finding.of('MY_FINDING', ['AwsSolutions-SQS3', 'cdk-validator-cfnguard::...'])`.
   */
  public static of(name: string, ids: string[]): Finding {
    return new Finding(name, ids);
  }

  private constructor(
    /** A name for messages and reports, e.g. `S3_SERVER_ACCESS_LOGS`. */
    public readonly name: string,
    /** The finding's ID in every pack that reports it. */
    public readonly ids: string[],
  ) {
    if (ids.length === 0 || new Set(ids).size !== ids.length)
      throw new Error(`Finding ${name}: got ids ${JSON.stringify(ids)}; expected one or more distinct IDs`);
  }
}

/**
 * Acknowledging compliance findings, next to the code that causes them, with a reason a reviewer
 * can check. Every acknowledgement names one finding; the gate lists it, with its reason, in the
 * controls report.
 */
export class Acknowledgements {
  /**
   * Acknowledge one finding in every pack that reports it (AwsSolutions, NIST 800-53 R5, HIPAA
   * Security, PCI DSS 3.2.1, AWS Control Tower), for one reason, on `scope` and its children.
   */
  public static acknowledgeFinding(scope: IConstruct, finding: Finding, reason: string): void {
    acknowledge(scope, finding.ids, reason);
  }

  /** Acknowledge findings by their exact IDs (e.g. `AwsSolutions-IAM5[Resource::...]`), for one reason. */
  public static acknowledge(scope: IConstruct, ids: string[], reason: string): void {
    acknowledge(scope, ids, reason);
  }

  /**
   * A resource as cdk-nag writes it in a finding ID (`AwsSolutions-IAM5[Resource::<here>]`),
   * resolved in `scope`'s stack, so an acknowledgement matches in environment-agnostic and
   * environment-specific stacks alike.
   */
  public static nagResource(scope: IConstruct, value: string): string {
    return nagResource(scope, value);
  }

  private constructor() {}
}

/**
 * The findings every CloudFormation custom-resource handler raises by being one: no dead-letter
 * queue or concurrency limit (CloudFormation invokes it synchronously and reports its failures on
 * the stack, so there are no asynchronous events to dead-letter or throttle), and no VPC, for the
 * `outsideVpcReason` given (what it calls and why it needs no network access). Call it on the
 * function's construct.
 */
export function acknowledgeCustomResourceHandler(fn: IConstruct, outsideVpcReason: string): void {
  acknowledge(
    fn,
    [...Finding.LAMBDA_DLQ.ids, ...Finding.LAMBDA_CONCURRENCY.ids],
    'CloudFormation invokes this custom-resource handler synchronously and reports failures on the stack; ' +
      'there are no asynchronous events to dead-letter or throttle.',
  );
  acknowledge(fn, Finding.LAMBDA_INSIDE_VPC.ids, outsideVpcReason);
}
