import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import {
  CreatePatchBaselineCommand,
  RegisterPatchBaselineForPatchGroupCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  DisableEbsEncryptionByDefaultCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand as PutBucketPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import {
  AssociateWebACLCommand,
  CreateWebACLCommand,
  PutLoggingConfigurationCommand,
  Rule,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { AccessAnalyzerClient, CreateAnalyzerCommand } from '@aws-sdk/client-accessanalyzer';
import { CloudWatchClient, DeleteAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  BatchEnableStandardsCommand,
  EnableSecurityHubCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CIS_METRIC_NAMES } from '../../lib/audit/checks/cis-alarms';
import { sendToLoopback } from '../../lib/audit/checks/s3-account';

// Builds, with the AWS SDK v3 against moto, an account in eu-west-1 configured as the baseline
// deploys it (`createCompliantAccount`), then one known-bad resource per check (`addKnownBad`).

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
const TAG = { Key: 'security-baseline:environment', Value: 'prod' };
const ALL_BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const visibility = (MetricName: string) => ({
  SampledRequestsEnabled: true,
  CloudWatchMetricsEnabled: true,
  MetricName,
});

function clients(endpoint: string) {
  const config = {
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const control = new S3ControlClient({ ...config, endpoint: endpoint.replace('127.0.0.1', 'localhost') });
  sendToLoopback(control, '127.0.0.1');
  return {
    kms: new KMSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    control,
    ct: new CloudTrailClient(config),
    gd: new GuardDutyClient(config),
    waf: new WAFV2Client(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    analyzer: new AccessAnalyzerClient(config),
    hub: new SecurityHubClient(config),
    rds: new RDSClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    config: new ConfigServiceClient(config),
    inspector: new Inspector2Client(config),
    ssm: new SSMClient(config),
  };
}

async function key(c: ReturnType<typeof clients>, days?: number): Promise<string> {
  const arn = (await c.kms.send(new CreateKeyCommand({ Description: 'baseline key' }))).KeyMetadata!.Arn!;
  if (days) await c.kms.send(new EnableKeyRotationCommand({ KeyId: arn, RotationPeriodInDays: days }));
  return arn;
}

/** A bucket as SecureBucket / AccessLogBucket make it; `logTo` undefined for the access-log destination. */
async function bucket(
  c: ReturnType<typeof clients>,
  name: string,
  keyArn: string,
  options: { logTo?: string; objectLock?: boolean; logDestination?: boolean } = {},
) {
  await c.s3.send(
    new CreateBucketCommand({
      Bucket: name,
      CreateBucketConfiguration: { LocationConstraint: REGION },
      ObjectLockEnabledForBucket: options.objectLock,
    }),
  );
  await c.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [TAG] } }));
  await c.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: name,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  await c.s3.send(
    new PutBucketPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: ALL_BLOCKED }),
  );
  await c.s3.send(
    new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const statements: unknown[] = [
    {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];
  if (options.logDestination)
    statements.push({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${name}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
  await c.s3.send(
    new PutBucketPolicyCommand({
      Bucket: name,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  if (options.objectLock)
    await c.s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: name,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } },
        },
      }),
    );
  if (options.logTo)
    await c.s3.send(
      new PutBucketLoggingCommand({
        Bucket: name,
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: options.logTo, TargetPrefix: `${name}/` } },
      }),
    );
}

const MANAGED = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

async function webAcl(
  c: ReturnType<typeof clients>,
  name: string,
  rules: Rule[],
  options: { log: boolean; associate: boolean },
) {
  const arn = (
    await c.waf.send(
      new CreateWebACLCommand({
        Name: name,
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility(name),
        Rules: rules,
      }),
    )
  ).Summary!.ARN!;
  if (options.log)
    await c.waf.send(
      new PutLoggingConfigurationCommand({
        LoggingConfiguration: {
          ResourceArn: arn,
          LogDestinationConfigs: [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:aws-waf-logs-${name}`],
          RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
        },
      }),
    );
  if (options.associate)
    await c.waf.send(
      new AssociateWebACLCommand({
        WebACLArn: arn,
        ResourceArn: `arn:aws:apigateway:${REGION}::/restapis/${name}/stages/prod`,
      }),
    );
  return arn;
}

const rateRule = (limit: number, block = true): Rule => ({
  Name: 'rate',
  Priority: 0,
  Action: block ? { Block: {} } : { Count: {} },
  Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP' } },
  VisibilityConfig: visibility('rate'),
});
const managedRules: Rule[] = MANAGED.map((Name, i) => ({
  Name,
  Priority: i + 1,
  OverrideAction: { None: {} },
  Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name } },
  VisibilityConfig: visibility(Name),
}));

async function adminRole(c: ReturnType<typeof clients>, name: string, mfa: boolean) {
  await c.iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
            ...(mfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } } : {}),
          },
        ],
      }),
    }),
  );
  await c.iam.send(
    new AttachRolePolicyCommand({ RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  );
  return `arn:aws:iam::${ACCOUNT}:role/${name}`;
}

async function database(c: ReturnType<typeof clients>, name: string, keyArn: string, good: boolean) {
  await c.rds.send(
    new CreateDBParameterGroupCommand({
      DBParameterGroupName: `${name}-pg`,
      DBParameterGroupFamily: 'postgres16',
      Description: name,
    }),
  );
  await c.rds.send(
    new ModifyDBParameterGroupCommand({
      DBParameterGroupName: `${name}-pg`,
      Parameters: [
        { ParameterName: 'rds.force_ssl', ParameterValue: good ? '1' : '0', ApplyMethod: 'immediate' },
      ],
    }),
  );
  await c.rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: name,
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: 20,
      MasterUsername: 'dbadmin',
      MasterUserPassword: 'not-a-real-password-1',
      StorageEncrypted: true,
      KmsKeyId: keyArn,
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: good,
      BackupRetentionPeriod: 7,
      DBParameterGroupName: `${name}-pg`,
      Tags: [TAG],
    }),
  );
  return `arn:aws:rds:${REGION}:${ACCOUNT}:db:${name}`;
}

/** What the baseline deploys in one account and region, all correct. */
export async function createCompliantAccount(endpoint: string): Promise<void> {
  const c = clients(endpoint);
  const auditKey = await key(c, 90);
  const dataKey = await key(c, 90);
  await bucket(c, 'baseline-access-logs', dataKey, { logDestination: true });
  await bucket(c, 'baseline-audit-logs', auditKey, { objectLock: true, logTo: 'baseline-access-logs' });
  await bucket(c, 'baseline-data', dataKey, { logTo: 'baseline-access-logs' });
  // Not the baseline's (no tag): ignored by the bucket checks.
  await c.s3.send(
    new CreateBucketCommand({
      Bucket: 'someone-elses',
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );

  await c.ct.send(
    new CreateTrailCommand({
      Name: 'baseline-trail',
      S3BucketName: 'baseline-audit-logs',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KmsKeyId: auditKey,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:baseline-trail:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/baseline-trail-delivery`,
    }),
  );
  await c.ct.send(
    new PutEventSelectorsCommand({
      TrailName: 'baseline-trail',
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    }),
  );
  await c.ct.send(new StartLoggingCommand({ Name: 'baseline-trail' }));
  // The trail's log group: encrypted, kept a year, with the CIS metric filters and their alarms.
  await c.logs.send(
    new CreateLogGroupCommand({
      logGroupName: 'baseline-trail',
      kmsKeyId: auditKey,
      tags: { [TAG.Key]: TAG.Value },
    }),
  );
  await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: 'baseline-trail', retentionInDays: 365 }));
  for (const metric of CIS_METRIC_NAMES) {
    await c.logs.send(
      new PutMetricFilterCommand({
        logGroupName: 'baseline-trail',
        filterName: metric,
        filterPattern: '{ $.eventName = "x" }',
        metricTransformations: [
          { metricName: metric, metricNamespace: 'SecurityBaseline/CIS', metricValue: '1' },
        ],
      }),
    );
    await c.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: `cis-${metric}`,
        MetricName: metric,
        Namespace: 'SecurityBaseline/CIS',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:baseline-alerts-high`],
      }),
    );
  }
  await c.sns.send(
    new CreateTopicCommand({
      Name: 'baseline-alerts-high',
      Attributes: { KmsMasterKeyId: auditKey },
      Tags: [TAG],
    }),
  );
  await c.analyzer.send(
    new CreateAnalyzerCommand({ analyzerName: 'baseline-external-access', type: 'ACCOUNT' }),
  );
  await c.hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  await c.hub.send(
    new BatchEnableStandardsCommand({
      StandardsSubscriptionRequests: [
        {
          StandardsArn: `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`,
        },
        { StandardsArn: 'arn:aws:securityhub:::standards/cis-aws-foundations-benchmark/v/3.0.0' },
      ],
    }),
  );
  await adminRole(c, 'baseline-admin', true);
  await database(c, 'baseline-db', dataKey, true);
  // The opt-in controls, turned on: AWS Config, Inspector, a patch baseline.
  await bucket(c, 'baseline-config', dataKey, { logTo: 'baseline-access-logs' });
  await c.config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: `arn:aws:iam::${ACCOUNT}:role/config`,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }),
  );
  await c.config.send(
    new PutDeliveryChannelCommand({
      DeliveryChannel: { name: 'default', s3BucketName: 'baseline-config', s3KmsKeyArn: dataKey },
    }),
  );
  await c.config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  await c.inspector.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
  const baseline = await c.ssm.send(
    new CreatePatchBaselineCommand({
      Name: 'baseline-security-patches',
      OperatingSystem: 'AMAZON_LINUX_2023',
      ApprovalRules: {
        PatchRules: [
          {
            PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }] },
            ApproveAfterDays: 0,
          },
        ],
      },
    }),
  );
  await c.ssm.send(
    new RegisterPatchBaselineForPatchGroupCommand({ BaselineId: baseline.BaselineId, PatchGroup: 'servers' }),
  );

  await c.gd.send(
    new CreateDetectorCommand({
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: ['S3_DATA_EVENTS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS'].map(
        (Name) => ({
          Name: Name as never,
          Status: 'ENABLED',
        }),
      ),
    }),
  );
  await webAcl(c, 'baseline-api', [rateRule(1000), ...managedRules], { log: true, associate: true });
  await c.control.send(
    new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_BLOCKED }),
  );
  await c.ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
  await c.iam.send(
    new UpdateAccountPasswordPolicyCommand({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    }),
  );
}

/** One known-bad resource or setting per check; returns the ARNs the test looks for. */
export async function addKnownBad(endpoint: string) {
  const c = clients(endpoint);
  const yearlyKey = await key(c, 365);
  const unrotatedKey = await key(c);
  const dataKey = await key(c, 90);
  // A baseline bucket without any default encryption, versioning or logging.
  await c.s3.send(
    new CreateBucketCommand({
      Bucket: 'baseline-plain',
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  await c.s3.send(new PutBucketTaggingCommand({ Bucket: 'baseline-plain', Tagging: { TagSet: [TAG] } }));
  // A trail that records data events only, and whose bucket has no Object Lock.
  await bucket(c, 'baseline-data-trail-logs', dataKey, { logTo: 'baseline-access-logs' });
  await c.ct.send(
    new CreateTrailCommand({
      Name: 'data-only',
      S3BucketName: 'baseline-data-trail-logs',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KmsKeyId: dataKey,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:data-only:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/data-only`,
    }),
  );
  await c.ct.send(
    new PutEventSelectorsCommand({
      TrailName: 'data-only',
      EventSelectors: [
        {
          IncludeManagementEvents: false,
          ReadWriteType: 'All',
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }],
        },
      ],
    }),
  );
  await c.ct.send(new StartLoggingCommand({ Name: 'data-only' }));
  // GuardDuty publishing every six hours.
  const [detector] = (await c.gd.send(new ListDetectorsCommand({}))).DetectorIds!;
  await c.gd.send(
    new UpdateDetectorCommand({ DetectorId: detector, FindingPublishingFrequency: 'SIX_HOURS' }),
  );
  // A web ACL that only counts, without managed groups, logging or association.
  const countingAcl = await webAcl(c, 'counting', [rateRule(1000, false)], { log: false, associate: false });
  await c.ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
  await c.iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8 }));
  await c.control.send(
    new PutPublicAccessBlockCommand({
      AccountId: ACCOUNT,
      PublicAccessBlockConfiguration: { ...ALL_BLOCKED, RestrictPublicBuckets: false },
    }),
  );
  const adminWithoutMfa = await adminRole(c, 'legacy-admin', false);
  const weakDb = await database(c, 'weak-db', dataKey, false);
  await c.sns.send(new CreateTopicCommand({ Name: 'baseline-plain-topic', Tags: [TAG] }));
  await c.logs.send(
    new CreateLogGroupCommand({ logGroupName: 'baseline-forever', tags: { [TAG.Key]: TAG.Value } }),
  );
  await c.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ['cis-RootAccountUsage'] }));
  await c.config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
  const slowPatches = await c.ssm.send(
    new CreatePatchBaselineCommand({
      Name: 'slow-patches',
      OperatingSystem: 'AMAZON_LINUX_2023',
      ApprovalRules: {
        PatchRules: [
          {
            PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION', Values: ['Security'] }] },
            ApproveAfterDays: 14,
          },
        ],
      },
    }),
  );
  await c.ssm.send(
    new RegisterPatchBaselineForPatchGroupCommand({
      BaselineId: slowPatches.BaselineId,
      PatchGroup: 'legacy',
    }),
  );
  return {
    yearlyKey,
    unrotatedKey,
    countingAcl,
    detector,
    adminWithoutMfa,
    weakDb,
    slowPatches: slowPatches.BaselineId!,
  };
}
