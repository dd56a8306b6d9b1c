import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  ListTagsForResourceCommand as LogsTagsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client, GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { BatchGetAccountStatusCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import {
  DescribePatchBaselinesCommand,
  GetPatchBaselineCommand,
  ListResourceComplianceSummariesCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  ListRestoreTestingPlansCommand,
} from '@aws-sdk/client-backup';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  GetAccountPasswordPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand as GetBucketPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetEnabledStandardsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand as SnsTagsCommand,
  ListTopicsCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  GetLoggingConfigurationCommand,
  GetWebACLCommand,
  ListResourcesForWebACLCommand,
  ListWebACLsCommand,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { CIS_METRIC_NAMES } from '../../lib/audit/checks/cis-alarms';
import { REQUIRED_RULE_GROUPS } from '../../lib/audit/checks/waf';

// One mocked account, compliant with every check, for the unit tests of the checks: each test
// overrides what it breaks. Also maps every SDK command to the IAM action it needs.

export const ACCOUNT = '111122223333';
const TAG = { Key: 'security-baseline:environment', Value: 'prod' };
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k1`;
const ALL_BLOCKED = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
export const TLS_POLICY = JSON.stringify({
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});
export const ACL_ARN = `arn:aws:wafv2:eu-west-1:${ACCOUNT}:regional/webacl/api/1`;
export const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/t`;
const visibility = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'm' };

/** IAM action prefix of each client, and the commands whose action is not `<prefix>:<Command>`. */
const PREFIX: Record<string, string> = {
  KMSClient: 'kms',
  CloudTrailClient: 'cloudtrail',
  GuardDutyClient: 'guardduty',
  S3Client: 's3',
  S3ControlClient: 's3',
  STSClient: 'sts',
  WAFV2Client: 'wafv2',
  EC2Client: 'ec2',
  IAMClient: 'iam',
  AccessAnalyzerClient: 'access-analyzer',
  SNSClient: 'sns',
  CloudWatchLogsClient: 'logs',
  CloudWatchClient: 'cloudwatch',
  RDSClient: 'rds',
  SecurityHubClient: 'securityhub',
  ConfigServiceClient: 'config',
  Inspector2Client: 'inspector2',
  SSMClient: 'ssm',
  BackupClient: 'backup',
};
const SPECIAL: Record<string, string> = {
  'S3Client.ListBuckets': 's3:ListAllMyBuckets',
  'S3Client.GetBucketEncryption': 's3:GetEncryptionConfiguration',
  'S3Client.GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'S3Client.GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  'S3ControlClient.GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
};
export function iamActionFor(client: string, command: string): string {
  const op = command.replace(/Command$/, '');
  return SPECIAL[`${client}.${op}`] ?? `${PREFIX[client]}:${op}`;
}

type Stub = AwsClientStub<any>;

export interface MockedAccount {
  readonly mocks: Record<string, Stub>;
  /** IAM actions of every command sent so far. */
  actionsCalled(): string[];
  reset(): void;
  restore(): void;
}

/** Mock every client the checks use (call once per test file) and serve a compliant account. */
export function mockAccount(): MockedAccount {
  const mocks: Record<string, Stub> = {
    KMSClient: mockClient(KMSClient),
    CloudTrailClient: mockClient(CloudTrailClient),
    GuardDutyClient: mockClient(GuardDutyClient),
    S3Client: mockClient(S3Client),
    S3ControlClient: mockClient(S3ControlClient),
    STSClient: mockClient(STSClient),
    WAFV2Client: mockClient(WAFV2Client),
    EC2Client: mockClient(EC2Client),
    IAMClient: mockClient(IAMClient),
    AccessAnalyzerClient: mockClient(AccessAnalyzerClient),
    SNSClient: mockClient(SNSClient),
    CloudWatchLogsClient: mockClient(CloudWatchLogsClient),
    CloudWatchClient: mockClient(CloudWatchClient),
    RDSClient: mockClient(RDSClient),
    SecurityHubClient: mockClient(SecurityHubClient),
    ConfigServiceClient: mockClient(ConfigServiceClient),
    Inspector2Client: mockClient(Inspector2Client),
    SSMClient: mockClient(SSMClient),
    BackupClient: mockClient(BackupClient),
  };
  const account: MockedAccount = {
    mocks,
    actionsCalled: () =>
      Object.entries(mocks).flatMap(([client, m]) =>
        m.calls().map((c) => iamActionFor(client, (c.args[0] as object).constructor.name)),
      ),
    reset: () => {
      Object.values(mocks).forEach((m) => m.reset());
      serveCompliant(mocks);
    },
    restore: () => Object.values(mocks).forEach((m) => m.restore()),
  };
  serveCompliant(mocks);
  return account;
}

function serveCompliant(m: Record<string, Stub>) {
  m.STSClient.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT });
  m.KMSClient.on(ListKeysCommand).resolves({ Keys: [{ KeyId: 'k1', KeyArn: KEY }], Truncated: false });
  m.KMSClient.on(DescribeKeyCommand).resolves({
    KeyMetadata: {
      KeyId: 'k1',
      Arn: KEY,
      AWSAccountId: ACCOUNT,
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
    },
  });
  m.KMSClient.on(GetKeyRotationStatusCommand).resolves({
    KeyRotationEnabled: true,
    RotationPeriodInDays: 90,
  });
  m.KMSClient.on(GetKeyPolicyCommand).resolves({
    Policy: JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*' }],
    }),
  });
  m.CloudTrailClient.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 't',
        TrailARN: TRAIL_ARN,
        S3BucketName: 'audit',
        IsMultiRegionTrail: true,
        LogFileValidationEnabled: true,
        KmsKeyId: KEY,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail-logs:*`,
      },
    ],
  });
  m.CloudTrailClient.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  m.CloudTrailClient.on(GetEventSelectorsCommand).resolves({
    EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
  });
  m.GuardDutyClient.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
  m.GuardDutyClient.on(GetDetectorCommand).resolves({
    Status: 'ENABLED',
    ServiceRole: 'r',
    FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    Features: ['S3_DATA_EVENTS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS'].map(
      (Name) => ({
        Name: Name as never,
        Status: 'ENABLED',
      }),
    ),
  });
  m.S3ControlClient.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_BLOCKED });
  m.S3Client.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'audit' }, { Name: 'logs' }] });
  m.S3Client.on(GetBucketTaggingCommand).resolves({ TagSet: [TAG] });
  m.S3Client.on(GetBucketLoggingCommand).resolves({
    LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'x/' },
  });
  m.S3Client.on(GetBucketLoggingCommand, { Bucket: 'logs' }).resolves({});
  m.S3Client.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  m.S3Client.on(GetBucketPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_BLOCKED });
  m.S3Client.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  m.S3Client.on(GetBucketPolicyCommand).resolves({ Policy: TLS_POLICY });
  m.S3Client.on(GetObjectLockConfigurationCommand).resolves({
    ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
    },
  });
  m.EC2Client.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
  m.IAMClient.on(GetAccountPasswordPolicyCommand).resolves({
    PasswordPolicy: {
      MinimumPasswordLength: 14,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      RequireNumbers: true,
      RequireSymbols: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
    },
  });
  m.IAMClient.on(ListEntitiesForPolicyCommand).resolves({
    PolicyRoles: [{ RoleName: 'admin' }],
    IsTruncated: false,
  });
  m.IAMClient.on(GetRoleCommand).resolves(
    adminRoleWithTrust({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
  );
  m.AccessAnalyzerClient.on(ListAnalyzersCommand).resolves({
    analyzers: [{ arn: 'arn:analyzer', name: 'a', type: 'ACCOUNT', status: 'ACTIVE', createdAt: new Date() }],
  });
  m.WAFV2Client.on(ListWebACLsCommand).resolves({ WebACLs: [{ Name: 'api', Id: '1', ARN: ACL_ARN }] });
  m.WAFV2Client.on(GetWebACLCommand).resolves({
    WebACL: {
      Name: 'api',
      Id: '1',
      ARN: ACL_ARN,
      DefaultAction: { Allow: {} },
      VisibilityConfig: visibility,
      Rules: [
        {
          Name: 'rate',
          Priority: 0,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
          VisibilityConfig: visibility,
        },
        ...REQUIRED_RULE_GROUPS.map((Name, i) => ({
          Name,
          Priority: i + 1,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name } },
          VisibilityConfig: visibility,
        })),
      ],
    },
  });
  m.WAFV2Client.on(ListResourcesForWebACLCommand).resolves({
    ResourceArns: ['arn:aws:apigateway:eu-west-1::/restapis/a/stages/p'],
  });
  m.WAFV2Client.on(GetLoggingConfigurationCommand).resolves({
    LoggingConfiguration: {
      ResourceArn: ACL_ARN,
      LogDestinationConfigs: ['arn:logs'],
      RedactedFields: [{ SingleHeader: { Name: 'Authorization' } }],
    },
  });
  m.SNSClient.on(ListTopicsCommand).resolves({
    Topics: [{ TopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts' }],
  });
  m.SNSClient.on(SnsTagsCommand).resolves({ Tags: [TAG] });
  m.SNSClient.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: KEY } });
  m.CloudWatchLogsClient.on(DescribeLogGroupsCommand).resolves({
    logGroups: [
      {
        logGroupName: 'trail-logs',
        arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:trail-logs:*`,
        kmsKeyId: KEY,
        retentionInDays: 365,
      },
    ],
  });
  m.CloudWatchLogsClient.on(LogsTagsCommand).resolves({ tags: { [TAG.Key]: TAG.Value } });
  m.CloudWatchLogsClient.on(DescribeMetricFiltersCommand).resolves({
    metricFilters: CIS_METRIC_NAMES.map((metricName) => ({
      filterName: metricName,
      metricTransformations: [{ metricName, metricNamespace: 'SecurityBaseline/CIS', metricValue: '1' }],
    })),
  });
  m.CloudWatchClient.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: CIS_METRIC_NAMES.map((MetricName) => ({
      AlarmName: MetricName,
      MetricName,
      Namespace: 'SecurityBaseline/CIS',
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:alerts'],
    })),
  });
  m.RDSClient.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'db',
        DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db`,
        Engine: 'postgres',
        StorageEncrypted: true,
        KmsKeyId: KEY,
        IAMDatabaseAuthenticationEnabled: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        PubliclyAccessible: false,
        DBParameterGroups: [{ DBParameterGroupName: 'pg' }],
        TagList: [TAG],
      },
      // Not the baseline's (untagged): ignored.
      {
        DBInstanceIdentifier: 'other',
        DBInstanceArn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:other`,
        Engine: 'postgres',
      },
    ],
  });
  m.RDSClient.on(DescribeDBParametersCommand).resolves({
    Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1' }],
  });
  m.SecurityHubClient.on(GetEnabledStandardsCommand).resolves({
    StandardsSubscriptions: [
      {
        StandardsSubscriptionArn: 's1',
        StandardsArn:
          'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
        StandardsInput: {},
        StandardsStatus: 'READY',
      },
      {
        StandardsSubscriptionArn: 's2',
        StandardsArn: 'arn:aws:securityhub:::standards/cis-aws-foundations-benchmark/v/3.0.0',
        StandardsInput: {},
        StandardsStatus: 'READY',
      },
    ],
  });
  m.ConfigServiceClient.on(DescribeConfigurationRecordersCommand).resolves({
    ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }],
  });
  m.ConfigServiceClient.on(DescribeConfigurationRecorderStatusCommand).resolves({
    ConfigurationRecordersStatus: [{ name: 'default', recording: true }],
  });
  m.ConfigServiceClient.on(DescribeDeliveryChannelsCommand).resolves({
    DeliveryChannels: [{ name: 'default', s3BucketName: 'config', s3KmsKeyArn: KEY }],
  });
  m.Inspector2Client.on(BatchGetAccountStatusCommand).resolves({
    accounts: [
      {
        accountId: ACCOUNT,
        state: { status: 'ENABLED' },
        resourceState: {
          ec2: { status: 'ENABLED' },
          ecr: { status: 'ENABLED' },
          lambda: { status: 'ENABLED' },
        },
      },
    ] as never,
  });
  m.SSMClient.on(DescribePatchBaselinesCommand).resolves({ BaselineIdentities: [{ BaselineId: 'pb-1' }] });
  m.SSMClient.on(GetPatchBaselineCommand).resolves(securityPatchBaseline(0));
  m.SSMClient.on(ListResourceComplianceSummariesCommand).resolves({
    ResourceComplianceSummaryItems: [{ ResourceId: 'i-1', Status: 'COMPLIANT', ComplianceType: 'Patch' }],
  });
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
  m.BackupClient.on(ListBackupVaultsCommand).resolves({
    BackupVaultList: [
      {
        BackupVaultName: 'security-baseline-prod',
        BackupVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:security-baseline-prod`,
        EncryptionKeyArn: KEY,
        EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
        Locked: true,
        MinRetentionDays: 7,
        LockDate: new Date('2026-01-04T00:00:00Z'),
      },
    ],
  });
  m.BackupClient.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: hoursAgo(20) }],
  });
  m.BackupClient.on(ListRestoreTestingPlansCommand).resolves({
    RestoreTestingPlans: [
      {
        RestoreTestingPlanArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:restore-testing-plan:weekly`,
        RestoreTestingPlanName: 'weekly',
      } as never,
    ],
  });
  m.BackupClient.on(ListRestoreJobsCommand).resolves({
    RestoreJobs: [
      {
        RestoreJobId: 'r1',
        Status: 'COMPLETED',
        ValidationStatus: 'SUCCESSFUL',
        DeletionStatus: 'SUCCESSFUL',
        CreationDate: hoursAgo(30),
        ResourceType: 'RDS',
      },
    ],
  });
}

/** A patch baseline in use by a patch group that approves security patches after `days` days. */
export function securityPatchBaseline(days: number) {
  return {
    BaselineId: 'pb-1',
    Name: 'baseline',
    PatchGroups: ['servers'],
    ApprovalRules: {
      PatchRules: [
        {
          PatchFilterGroup: { PatchFilters: [{ Key: 'CLASSIFICATION' as const, Values: ['Security'] }] },
          ApproveAfterDays: days,
        },
      ],
    },
  };
}

/** GetRole's answer for an administrator role with the given trust statement. */
export function adminRoleWithTrust(statement: Record<string, unknown>) {
  return {
    Role: {
      RoleName: 'admin',
      Arn: `arn:aws:iam::${ACCOUNT}:role/admin`,
      Path: '/',
      RoleId: 'r',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [statement] })),
    },
  };
}
