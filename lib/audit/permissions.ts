/**
 * The IAM actions each audit check needs, by check name: the one source of truth for both the
 * checks (each check's `permissions` is its entry here) and the AuditorRole (AUDIT_PERMISSIONS).
 *
 * This module imports nothing, on purpose: the CDK app reaches it through AuditorRole on every
 * synth, and must not load the AWS SDK clients the checks themselves use (lib/audit/checks).
 * test/audit/permissions.test.ts holds both promises: every check's `permissions` is its entry, and
 * building the default app loads no `@aws-sdk/*` or `@smithy/*` module.
 */
export const CHECK_PERMISSIONS = {
  kms: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus', 'kms:GetKeyPolicy'],
  cloudtrail: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  'audit-bucket': ['cloudtrail:DescribeTrails', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketLogging'],
  guardduty: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  's3-account': ['sts:GetCallerIdentity', 's3:GetAccountPublicAccessBlock'],
  's3-buckets': [
    's3:ListAllMyBuckets',
    's3:GetBucketTagging',
    's3:GetEncryptionConfiguration',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketVersioning',
    's3:GetBucketLogging',
    's3:GetBucketPolicy',
  ],
  ebs: ['ec2:GetEbsEncryptionByDefault'],
  'iam-password-policy': ['iam:GetAccountPasswordPolicy'],
  'iam-admin-mfa': ['iam:ListEntitiesForPolicy', 'iam:GetRole'],
  'access-analyzer': ['access-analyzer:ListAnalyzers'],
  waf: [
    'wafv2:ListWebACLs',
    'wafv2:GetWebACL',
    'wafv2:GetLoggingConfiguration',
    'wafv2:ListResourcesForWebACL',
  ],
  sns: ['sns:ListTopics', 'sns:ListTagsForResource', 'sns:GetTopicAttributes'],
  'log-groups': ['logs:DescribeLogGroups', 'logs:ListTagsForResource'],
  'cis-alarms': ['cloudtrail:DescribeTrails', 'logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms'],
  rds: ['rds:DescribeDBInstances', 'rds:DescribeDBParameters'],
  'security-hub': ['securityhub:GetEnabledStandards'],
  config: [
    'config:DescribeConfigurationRecorders',
    'config:DescribeConfigurationRecorderStatus',
    'config:DescribeDeliveryChannels',
  ],
  inspector: ['inspector2:BatchGetAccountStatus'],
  patching: ['ssm:DescribePatchBaselines', 'ssm:GetPatchBaseline', 'ssm:ListResourceComplianceSummaries'],
  backup: [
    'backup:ListBackupVaults',
    'backup:ListRecoveryPointsByBackupVault',
    'backup:ListRestoreTestingPlans',
    'backup:ListRestoreJobs',
  ],
} as const satisfies Record<string, readonly string[]>;

/** A check's name, as `--checks` takes it. */
export type AuditCheckName = keyof typeof CHECK_PERMISSIONS;

/** The IAM actions the whole audit needs, sorted and without duplicates: exactly what the auditor role gets. */
export const AUDIT_PERMISSIONS: readonly string[] = [
  ...new Set(Object.values(CHECK_PERMISSIONS).flatMap((actions): readonly string[] => actions)),
].sort();
