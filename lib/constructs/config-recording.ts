import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { BaselineKey } from './baseline-key';
import { MIN_PASSWORD_LENGTH } from './account-hardening';
import { childPath, PropErrors } from './errors';
import { SecureBucket } from './secure-bucket';
import { CLASS_MEANING, IncidentClass } from './severity';

/** One AWS Config managed rule the baseline deploys, and the control whose drift it detects. */
export interface BaselineConfigRule {
  /** Suffix of the rule name (`<prefix>-<name>`). */
  readonly name: string;
  /** The AWS managed rule identifier. */
  readonly identifier: string;
  /** The control of CONTROLS.md it watches. */
  readonly control: string;
  /** Evaluates account-wide (IAM, CloudTrail, S3 account settings): deploy once per account. */
  readonly accountWide: boolean;
}

/**
 * The managed rules for the controls this baseline deploys, so drift after deploy shows up. S3
 * access logging is not among them on purpose: access-log buckets do not log to themselves and
 * would be reported non-compliant forever.
 */
export const BASELINE_CONFIG_RULES: readonly BaselineConfigRule[] = [
  {
    name: 'kms-rotation',
    identifier: 'CMK_BACKING_KEY_ROTATION_ENABLED',
    control: 'ENC-02',
    accountWide: false,
  },
  {
    name: 'kms-not-pending-deletion',
    identifier: 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
    control: 'ENC-04',
    accountWide: false,
  },
  { name: 's3-tls-only', identifier: 'S3_BUCKET_SSL_REQUESTS_ONLY', control: 'ENC-05', accountWide: false },
  {
    name: 's3-kms-encryption',
    identifier: 'S3_DEFAULT_ENCRYPTION_KMS',
    control: 'DATA-01',
    accountWide: false,
  },
  {
    name: 's3-no-public-access',
    identifier: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED',
    control: 'DATA-01',
    accountWide: false,
  },
  {
    name: 's3-versioning',
    identifier: 'S3_BUCKET_VERSIONING_ENABLED',
    control: 'DATA-01',
    accountWide: false,
  },
  { name: 'rds-encrypted', identifier: 'RDS_STORAGE_ENCRYPTED', control: 'DATA-02', accountWide: false },
  { name: 'sns-kms-encryption', identifier: 'SNS_ENCRYPTED_KMS', control: 'ENC-01', accountWide: false },
  {
    name: 'ebs-encryption-by-default',
    identifier: 'EC2_EBS_ENCRYPTION_BY_DEFAULT',
    control: 'DATA-07',
    accountWide: false,
  },
  {
    name: 'log-groups-encrypted',
    identifier: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED',
    control: 'LOG-04',
    accountWide: false,
  },
  {
    name: 'log-groups-retention',
    identifier: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
    control: 'LOG-04',
    accountWide: false,
  },
  { name: 'vpc-flow-logs', identifier: 'VPC_FLOW_LOGS_ENABLED', control: 'NET-02', accountWide: false },
  {
    name: 'vpc-default-sg-closed',
    identifier: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
    control: 'NET-01',
    accountWide: false,
  },
  { name: 'waf-logging', identifier: 'WAFV2_LOGGING_ENABLED', control: 'NET-05', accountWide: false },
  {
    name: 'guardduty-enabled',
    identifier: 'GUARDDUTY_ENABLED_CENTRALIZED',
    control: 'DET-01',
    accountWide: false,
  },
  {
    name: 'cloudtrail-multi-region',
    identifier: 'MULTI_REGION_CLOUD_TRAIL_ENABLED',
    control: 'LOG-01',
    accountWide: true,
  },
  {
    name: 'cloudtrail-encrypted',
    identifier: 'CLOUD_TRAIL_ENCRYPTION_ENABLED',
    control: 'LOG-01',
    accountWide: true,
  },
  {
    name: 'cloudtrail-log-validation',
    identifier: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
    control: 'LOG-01',
    accountWide: true,
  },
  {
    name: 'cloudtrail-cloudwatch-logs',
    identifier: 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED',
    control: 'LOG-01',
    accountWide: true,
  },
  { name: 'iam-password-policy', identifier: 'IAM_PASSWORD_POLICY', control: 'IAM-01', accountWide: true },
  { name: 'root-mfa', identifier: 'ROOT_ACCOUNT_MFA_ENABLED', control: 'IAM-02', accountWide: true },
  {
    name: 'console-mfa',
    identifier: 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS',
    control: 'IAM-02',
    accountWide: true,
  },
  {
    name: 's3-account-public-access-block',
    identifier: 'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
    control: 'DATA-07',
    accountWide: true,
  },
];

export interface ConfigRecordingProps {
  /**
   * Topic that non-compliance is announced on: the Medium class of `SecurityAlerts` (policy 003:
   * "minor security policy violations"). Its policy and key must let EventBridge of this account
   * publish (SecurityAlerts topics do).
   */
  readonly alertTopic: sns.ITopic;

  /**
   * This stack speaks for the account (its home region): record global resource types (IAM) and
   * deploy the account-wide rules (IAM, CloudTrail, S3 account settings). In the account's other
   * regions set false, so global resources are recorded and evaluated once.
   * @default true
   */
  readonly accountWide?: boolean;

  /**
   * Adopt the recorder and delivery channel that already exist in this account and region (AWS
   * Config allows one of each, e.g. set up by AWS Control Tower): only the rules and the alerting
   * are deployed.
   * @default false - create the recorder, delivery channel and bucket
   */
  readonly adoptExistingRecorder?: boolean;

  /**
   * Prefix of the rule names (`<prefix>-kms-rotation`, ...); non-compliance of rules with this
   * prefix is alerted.
   * @default - `security-baseline-<stack name>`
   */
  readonly ruleNamePrefix?: string;

  /**
   * Minimum IAM password length the IAM_PASSWORD_POLICY rule expects (IAM-01), 12..128: use the
   * same value as AccountHardening.
   * @default 14
   */
  readonly minimumPasswordLength?: number;

  /**
   * Shortest log-group retention, in days, the CW_LOGGROUP_RETENTION_PERIOD_CHECK rule accepts
   * (LOG-04): log groups kept for less are non-compliant. Use the shortest retention your config
   * gives any log group.
   * @default 365
   */
  readonly minimumLogRetentionDays?: number;

  /**
   * Key for the delivery bucket.
   * @default - a new BaselineKey, alias `security-baseline/<stack>/config`
   */
  readonly encryptionKey?: BaselineKey;

  /** Bucket for the delivery bucket's access logs. @default - a new AccessLogBucket */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * How long configuration snapshots and history are kept in the bucket.
   * @default Duration.days(365)
   */
  readonly retention?: Duration;
}

/**
 * AWS Config (DET-03, opt-in): a configuration recorder for all supported resource types (global
 * ones in the home region only), continuous recording, delivery every 24 hours to a KMS-encrypted,
 * versioned, access-logged SecureBucket that is retained with its stack; AWS managed rules for the
 * controls this baseline deploys (BASELINE_CONFIG_RULES), so drift after deploy is detected; and
 * every change of one of these rules to NON_COMPLIANT announced, readably, on the Medium alert
 * topic (ALR-01: a minor security policy violation).
 *
 * The recorder uses a role with the AWS managed policy `AWS_ConfigRole`, which AWS keeps current as
 * Config supports new resource types; a hand-written policy could not record "all supported types".
 */
export class ConfigRecording extends Construct {
  /** The delivery bucket (undefined when adopting an existing recorder). */
  public readonly deliveryBucket?: SecureBucket;
  private readonly rules = new Map<string, config.ManagedRule>();

  constructor(scope: Construct, id: string, props: ConfigRecordingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const accountWide = props.accountWide ?? true;
    const prefix = props.ruleNamePrefix ?? `security-baseline-${stack.stackName}`;
    const passwordLength = props.minimumPasswordLength ?? 14;
    const retention = props.retention ?? Duration.days(365);
    const minLogDays = props.minimumLogRetentionDays ?? 365;
    const errors = new PropErrors('ConfigRecording', childPath(scope.node.path, id));
    if (!Token.isUnresolved(prefix) && !/^[A-Za-z0-9_-]{1,90}$/.test(prefix))
      errors.add('ruleNamePrefix', prefix, "1..90 letters, digits, '_' or '-'");
    if (!Number.isInteger(passwordLength) || passwordLength < MIN_PASSWORD_LENGTH || passwordLength > 128)
      errors.add(
        'minimumPasswordLength',
        passwordLength,
        `a whole number ${MIN_PASSWORD_LENGTH}..128 (IAM-01, policies 001 and 003)`,
      );
    if (!Number.isInteger(minLogDays) || minLogDays < 1 || minLogDays > 3653)
      errors.add('minimumLogRetentionDays', minLogDays, 'a whole number of days, 1..3653');
    if (!retention.isUnresolved() && retention.toDays({ integral: false }) < 1)
      errors.add('retention', retention, 'at least one day');
    errors.throwIfAny();

    let recorder: config.CfnConfigurationRecorder | undefined;
    if (!props.adoptExistingRecorder) {
      const key =
        props.encryptionKey ??
        new BaselineKey(this, 'Key', {
          alias: `security-baseline/${stack.stackName}/config`,
          description: 'cdk-security-baseline: encrypts AWS Config snapshots and history',
        });
      const configPrincipal = new iam.ServicePrincipal('config.amazonaws.com');
      const fromThisAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowConfigToEncryptDeliveries',
          principals: [configPrincipal],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: fromThisAccount,
        }),
      );
      this.deliveryBucket = new SecureBucket(this, 'Delivery', {
        encryptionKey: key,
        serverAccessLogsBucket: props.serverAccessLogsBucket,
        lifecycleRules: [{ id: 'retention', expiration: retention }],
      });
      const bucket = this.deliveryBucket.bucket;
      // The delivery-channel bucket policy AWS Config documents, scoped to this account.
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowConfigBucketChecks',
          principals: [configPrincipal],
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: fromThisAccount,
        }),
      );
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowConfigDelivery',
          principals: [configPrincipal],
          actions: ['s3:PutObject'],
          resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`)],
          conditions: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account },
          },
        }),
      );

      // With a role of its own (not the service-linked one), AWS Config delivers to the bucket as
      // that role: exactly the delivery calls, on this bucket's prefix and this key.
      const configObjects = bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`);
      const delivery = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
        description:
          'DET-03: AWS Config delivers snapshots and history to its bucket, encrypted with its key',
        statements: [
          new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn] }),
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            resources: [configObjects],
            conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
          }),
          new iam.PolicyStatement({
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: [key.keyArn],
          }),
        ],
      });
      acknowledge(
        delivery,
        [`AwsSolutions-IAM5[Resource::${nagResource(delivery, configObjects)}]`],
        'AWS Config names its objects by date and delivery under AWSLogs/<account>/Config/; the role may only put ' +
          'objects there, with bucket-owner-full-control.',
      );
      const role = new iam.Role(this, 'RecorderRole', {
        assumedBy: new iam.ServicePrincipal('config.amazonaws.com', { conditions: fromThisAccount }),
        description:
          'DET-03: lets AWS Config read resource configurations (AWS managed AWS_ConfigRole) and deliver them',
        managedPolicies: [
          iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole'),
          delivery,
        ],
      });
      acknowledge(
        role,
        ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]'],
        'AWS_ConfigRole is the AWS-maintained read policy for recording "all supported resource types"; AWS adds new ' +
          'types to it as Config supports them, which a hand-written policy cannot (AWS Config Developer Guide).',
      );
      recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
        roleArn: role.roleArn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: accountWide },
        recordingMode: { recordingFrequency: 'CONTINUOUS' },
      });
      const channel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
        s3BucketName: bucket.bucketName,
        s3KmsKeyArn: key.keyArn,
        configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
      });
      channel.node.addDependency(recorder, bucket.policy!, key);
    }

    for (const spec of BASELINE_CONFIG_RULES) {
      if (spec.accountWide && !accountWide) continue;
      const rule = new config.ManagedRule(this, `Rule-${spec.name}`, {
        configRuleName: `${prefix}-${spec.name}`,
        identifier: spec.identifier,
        description: `cdk-security-baseline ${spec.control}: ${spec.identifier}`,
        inputParameters: ruleParameters(spec.identifier, passwordLength, minLogDays),
      });
      if (recorder) rule.node.addDependency(recorder);
      this.rules.set(spec.name, rule);
    }

    // Non-compliance of these rules is a minor policy violation: the Medium class (ALR-01/02).
    const e = events.EventField;
    new events.Rule(this, 'NonCompliant', {
      description: 'DET-03: a baseline Config rule turned NON_COMPLIANT (MEDIUM)',
      eventPattern: {
        source: ['aws.config'],
        detailType: ['Config Rules Compliance Change'],
        detail: {
          configRuleName: [{ prefix: `${prefix}-` }],
          newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
        },
      },
      targets: [
        new TopicTarget(
          props.alertTopic,
          events.RuleTargetInput.fromMultilineText(
            [
              `[${IncidentClass.MEDIUM}] AWS Config rule ${e.fromPath('$.detail.configRuleName')} is NON_COMPLIANT`,
              `Resource: ${e.fromPath('$.detail.resourceType')} ${e.fromPath('$.detail.resourceId')}`,
              `(${CLASS_MEANING[IncidentClass.MEDIUM]})`,
              `Account ${e.account}, region ${e.region}`,
              `Console: https://console.aws.amazon.com/config/home?region=${e.region}#/rules/details?configRuleName=${e.fromPath('$.detail.configRuleName')}`,
            ].join('\n'),
          ),
        ),
      ],
    });
    recordControls(this, 'DET-03', 'ALR-01');
  }

  /** The managed rule named `<prefix>-<name>` (a `BASELINE_CONFIG_RULES` name deployed here). */
  public rule(name: string): config.ManagedRule {
    const rule = this.rules.get(name);
    if (!rule)
      throw new Error(
        `ConfigRecording at '${this.node.path}': no rule ${JSON.stringify(name)} here; deployed: ${[...this.rules.keys()].join(', ')}`,
      );
    return rule;
  }
}

/** The parameters a rule needs to check the baseline's own values. */
function ruleParameters(
  identifier: string,
  passwordLength: number,
  minLogDays: number,
): Record<string, unknown> | undefined {
  switch (identifier) {
    case 'IAM_PASSWORD_POLICY':
      return {
        RequireUppercaseCharacters: 'true',
        RequireLowercaseCharacters: 'true',
        RequireSymbols: 'true',
        RequireNumbers: 'true',
        MinimumPasswordLength: String(passwordLength),
        PasswordReusePrevention: '24',
        MaxPasswordAge: '90',
      };
    case 'CW_LOGGROUP_RETENTION_PERIOD_CHECK':
      // An explicit retention of at least the configured days (LOG-04 / DATA-05).
      return { MinRetentionTime: String(minLogDays) };
    default:
      return undefined;
  }
}

/** EventBridge → an alert topic, adding no permission (the alert topics already allow EventBridge). */
class TopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly message: events.RuleTargetInput,
  ) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.message, targetResource: this.topic };
  }
}
