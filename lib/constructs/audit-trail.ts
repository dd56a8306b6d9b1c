import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { recordControls, warnWeakened } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors, show } from './errors';
import { nagResource } from '../compliance/nag-ids';
import { encryptedLogGroup, logGroupArnOf } from './encrypted-log-group';
import { SecureBucket } from './secure-bucket';

/** LOG-02: audit logs are kept at least one year, at most seven. */
export const MIN_AUDIT_RETENTION_DAYS = 365;
export const MAX_AUDIT_RETENTION_DAYS = 2557;

/** How the audit bucket's Object Lock protects log files. */
export enum AuditLogLockMode {
  /** Users with `s3:BypassGovernanceRetention` can still delete locked objects (dev/test). */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, not even the root user, can delete a locked object before its retention ends (prod). */
  COMPLIANCE = 'COMPLIANCE',
}

export interface AuditTrailProps {
  /**
   * Name of the trail. Key and bucket policies are scoped to exactly this trail.
   * @default - `<stack name>-audit-trail`
   */
  readonly trailName?: string;

  /**
   * The key that encrypts log files, the audit bucket and the log group (one key per purpose, ENC-03).
   * A BaselineKey is required so the trail's key policy can be scoped to the trail.
   * @default - a new BaselineKey, alias `security-baseline/<trail name>`
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * How long log files are locked and kept in the audit bucket (LOG-02), 365..2557 days.
   * @default Duration.days(365)
   */
  readonly retention?: Duration;

  /**
   * Object Lock mode of the audit bucket.
   * @default AuditLogLockMode.COMPLIANCE
   */
  readonly lockMode?: AuditLogLockMode;

  /**
   * Move log files to S3 Glacier Flexible Retrieval after this long (LOG-02). Objects under 128 KB
   * stay in S3 Standard (S3's default minimum transition size), where they are cheaper.
   * @default Duration.days(90)
   */
  readonly transitionToColdStorageAfter?: Duration;

  /**
   * Retention of the CloudWatch Logs copy of the trail (LOG-04): at least one year, never `INFINITE`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logGroupRetention?: logs.RetentionDays;

  /**
   * Turn on CloudWatch Logs deletion protection for the trail's log group.
   * @default true
   */
  readonly logGroupDeletionProtection?: boolean;

  /**
   * Bucket for the audit bucket's S3 server access logs.
   * @default - a new AccessLogBucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * Buckets marked sensitive whose object-level activity (S3 data events: reads and writes of
   * objects) the trail records (LOG-03), e.g. the workload's data bucket. The trail then uses
   * advanced event selectors: all management events, plus S3 data events for objects in exactly these
   * buckets. The trail's own audit bucket and the bucket its access logs go to are refused: every
   * log-file delivery would be logged as a data event, in a loop. CloudTrail selects by ARN, not by
   * tag, so buckets tagged sensitive are passed here too.
   * @default - no data events (management events only)
   */
  readonly dataEventBuckets?: s3.IBucket[];

  /**
   * Record S3 data events of every bucket in the account (LOG-03; policy 002: "all access will be
   * logged"), except the trail's own audit bucket and its access-log bucket (a loop). Covers the
   * buckets of other stacks and of people outside this app, which `dataEventBuckets` cannot name.
   * Billed per event ($0.10 per 100,000): every object read and write of every bucket.
   * @default false
   */
  readonly allBucketDataEvents?: boolean;
}

/**
 * The account's audit trail (LOG-01, LOG-02, LOG-04): a multi-region CloudTrail trail with
 * management events and log file validation, encrypted with its own BaselineKey, delivered to an
 * Object-Lock-enabled SecureBucket and to a KMS-encrypted CloudWatch log group with explicit retention.
 * The key policy, the bucket policy and the delivery role allow CloudTrail and CloudWatch Logs
 * exactly what they need, for this trail only.
 */
export class AuditTrail extends Construct {
  public readonly trail: cloudtrail.CfnTrail;
  public readonly trailArn: string;
  public readonly trailName: string;
  public readonly encryptionKey: BaselineKey;
  public readonly bucket: SecureBucket;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const retention = props.retention ?? Duration.days(MIN_AUDIT_RETENTION_DAYS);
    const coldAfter = props.transitionToColdStorageAfter ?? Duration.days(90);
    const logRetention = props.logGroupRetention ?? logs.RetentionDays.ONE_YEAR;
    const lockMode = props.lockMode ?? AuditLogLockMode.COMPLIANCE;

    const errors = new PropErrors('AuditTrail', childPath(scope.node.path, id));
    if (!retention.isUnresolved()) {
      const days = retention.toDays({ integral: false });
      if (!Number.isInteger(days) || days < MIN_AUDIT_RETENTION_DAYS || days > MAX_AUDIT_RETENTION_DAYS) {
        errors.add(
          'retention',
          retention,
          `audit logs are kept ${MIN_AUDIT_RETENTION_DAYS}..${MAX_AUDIT_RETENTION_DAYS} whole days (LOG-02: at least one year, up to seven)`,
        );
      } else if (!coldAfter.isUnresolved() && coldAfter.toDays({ integral: false }) >= days) {
        errors.add(
          'transitionToColdStorageAfter',
          coldAfter,
          `must be shorter than retention (${days} days)`,
        );
      }
    }
    if (!coldAfter.isUnresolved() && coldAfter.toDays({ integral: false }) < 30) {
      errors.add(
        'transitionToColdStorageAfter',
        coldAfter,
        'S3 transitions to Glacier after 30 days at the earliest',
      );
    }
    if (logRetention === logs.RetentionDays.INFINITE) {
      errors.add('logGroupRetention', 'INFINITE', 'LOG-04 requires an explicit retention');
    } else if (logRetention < logs.RetentionDays.ONE_YEAR) {
      errors.add(
        'logGroupRetention',
        logRetention,
        'keep the trail log group at least one year (RetentionDays.ONE_YEAR; AWS Control Tower CT.CLOUDWATCH.PR.2)',
      );
    }
    if (props.trailName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(props.trailName)) {
      errors.add(
        'trailName',
        props.trailName,
        'CloudTrail names are 3..128 letters, digits, ".", "_" or "-"',
      );
    }
    if (!Object.values(AuditLogLockMode).includes(lockMode)) {
      errors.add(
        'lockMode',
        lockMode,
        `one of ${Object.values(AuditLogLockMode)
          .map((m) => show(m))
          .join(', ')}`,
      );
    }
    const dataEventBuckets = props.dataEventBuckets ?? [];
    errors.throwIfAny();

    this.trailName = props.trailName ?? `${stack.stackName}-audit-trail`;
    this.trailArn = stack.formatArn({
      service: 'cloudtrail',
      resource: 'trail',
      resourceName: this.trailName,
    });

    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${this.trailName}`,
        description: `cdk-security-baseline: encrypts the audit logs of trail ${this.trailName}`,
      });
    this.encryptionKey.allowCloudTrail(this.trailArn);

    // LOG-02: log files are WORM. Governance mode can be bypassed by privileged users (dev/test);
    // compliance mode cannot be shortened or removed by anyone, the root user included.
    const lock =
      lockMode === AuditLogLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(retention)
        : s3.ObjectLockRetention.governance(retention);
    if (lockMode === AuditLogLockMode.GOVERNANCE) {
      warnWeakened(
        this,
        'LOG-02',
        'audit bucket Object Lock is in GOVERNANCE mode: privileged users can delete log files',
      );
    }
    this.bucket = new SecureBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      objectLockRetention: lock,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      lifecycleRules: [
        {
          id: 'audit-log-retention',
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: coldAfter }],
          expiration: retention,
        },
      ],
      // Locked versions cannot be removed before their retention ends whatever this says.
      noncurrentVersionRetention: Duration.days(1),
    });
    const bucket = this.bucket.bucket;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailAclCheck',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [bucket.bucketArn],
        conditions: { StringEquals: { 'aws:SourceArn': this.trailArn } },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AWSCloudTrailWrite',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': this.trailArn },
        },
      }),
    );

    const logGroupName = `/security-baseline/cloudtrail/${this.trailName}`;
    const logGroupArn = logGroupArnOf(this, logGroupName);
    this.logGroup = encryptedLogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: logRetention,
      deletionProtection: props.logGroupDeletionProtection ?? true,
    });

    // CloudTrail writes to streams it names <account>_CloudTrail_<region>[_n], in this log group only
    // (CloudTrail User Guide, "Role policy document for CloudTrail to use CloudWatch Logs").
    const streamArn = `${logGroupArn}:log-stream:${stack.account}_CloudTrail_${stack.region}*`;
    const deliveryPolicy = new iam.ManagedPolicy(this, 'LogsDeliveryPolicy', {
      description: `CloudTrail trail ${this.trailName} writes to log group ${logGroupName}`,
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streamArn],
        }),
      ],
    });
    Validations.of(deliveryPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, streamArn)}]`,
      reason:
        'The only wildcard is the suffix of the log stream names CloudTrail creates (<account>_CloudTrail_<region>_<n>), ' +
        'inside this one log group, as the CloudTrail User Guide prescribes for CloudWatch Logs delivery.',
    });
    const deliveryRole = new iam.Role(this, 'LogsDeliveryRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: `CloudTrail delivers trail ${this.trailName} to CloudWatch Logs group ${logGroupName}`,
      managedPolicies: [deliveryPolicy],
    });

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: this.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: this.encryptionKey.keyArn,
      s3BucketName: bucket.bucketName,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: deliveryRole.roleArn,
      // CloudTrail accepts basic or advanced selectors, not both; data events need advanced ones.
      ...(props.allBucketDataEvents
        ? { advancedEventSelectors: this.allBucketSelectors() }
        : dataEventBuckets.length === 0
          ? { eventSelectors: [{ includeManagementEvents: true, readWriteType: 'All' }] }
          : {
              advancedEventSelectors: this.dataEventSelectors(
                dataEventBuckets,
                childPath(scope.node.path, id),
              ),
            }),
    });
    // CloudTrail checks bucket and key permissions when the trail is created or updated.
    this.trail.node.addDependency(bucket.policy!, this.encryptionKey, deliveryRole, deliveryPolicy);
    recordControls(this, 'LOG-01', 'LOG-02', 'LOG-04', 'ENC-01');
    if (dataEventBuckets.length > 0 || props.allBucketDataEvents) recordControls(this, 'LOG-03');
  }

  /** All management events, and S3 data events of every bucket but the audit bucket and its access logs. */
  private allBucketSelectors(): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
    return [
      {
        name: 'Management events (LOG-01)',
        fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
      },
      {
        name: 'S3 data events of every bucket but the audit records (LOG-03)',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          {
            field: 'resources.ARN',
            notStartsWith: [
              `${this.bucket.bucket.bucketArn}/`,
              `${this.bucket.serverAccessLogsBucket.bucketArn}/`,
            ],
          },
        ],
      },
    ];
  }

  /** All management events, and S3 data events for objects in `buckets` (LOG-03). */
  private dataEventSelectors(
    buckets: s3.IBucket[],
    path: string,
  ): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
    const stack = Stack.of(this);
    const name = (b: s3.IBucket) => JSON.stringify(stack.resolve(b.bucketName));
    // Data events on the audit bucket, or on the bucket its access logs go to, would make every
    // log-file delivery produce another data event to deliver: a loop.
    const forbidden = [
      { bucket: this.bucket.bucket as s3.IBucket, why: "the trail's own audit bucket" },
      { bucket: this.bucket.serverAccessLogsBucket, why: "the audit bucket's access-log bucket" },
    ];
    const errors = new PropErrors('AuditTrail', path);
    const seen = new Set<string>();
    buckets.forEach((b, i) => {
      const loop = forbidden.find((f) => f.bucket === b || name(f.bucket) === name(b));
      if (loop) {
        errors.add(
          `dataEventBuckets[${i}]`,
          b.node.path,
          `${loop.why}: each log-file delivery would be logged as a data event, in a loop (LOG-03)`,
        );
      }
      if (seen.has(name(b))) errors.add(`dataEventBuckets[${i}]`, b.node.path, 'each bucket once');
      seen.add(name(b));
    });
    errors.throwIfAny();
    return [
      {
        name: 'Management events (LOG-01)',
        fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
      },
      {
        name: 'S3 data events of sensitive buckets (LOG-03)',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: buckets.map((b) => `${b.bucketArn}/`) },
        ],
      },
    ];
  }
}
