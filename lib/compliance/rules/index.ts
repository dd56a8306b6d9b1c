import { BackupPlanCoversDatabases } from './backup/backup-plan-covers-databases';
import { BackupVaultCustomerManagedKey } from './backup/backup-vault-customer-managed-key';
import { BackupVaultDeniesRecoveryPointDeletion } from './backup/backup-vault-denies-recovery-point-deletion';
import { BackupVaultLocked } from './backup/backup-vault-locked';
import { CloudTrailAuditTrail } from './cloudtrail/cloudtrail-audit-trail';
import { CloudTrailBucketObjectLock } from './cloudtrail/cloudtrail-bucket-object-lock';
import { CognitoClientShortSessions } from './cognito/cognito-client-short-sessions';
import { CognitoPasswordPolicy } from './cognito/cognito-password-policy';
import { ConfigRecorderAllSupported } from './config/config-recorder-all-supported';
import { StatefulResourceRetained } from './core/stateful-resource-retained';
import { SecurityGroupNoOpenAdminPorts } from './ec2/security-group-no-open-admin-ports';
import { GuardDutyDetectorEnabled } from './guardduty/guardduty-detector-enabled';
import { IamAdminRequiresMfa } from './iam/iam-admin-requires-mfa';
import { KmsKeyPolicyKeepsAdmin } from './kms/kms-key-policy-keeps-admin';
import { KmsKeyPolicyNoPublicPrincipal } from './kms/kms-key-policy-no-public-principal';
import { KmsKeyRotationPeriod } from './kms/kms-key-rotation-period';
import { LogGroupEncryptedWithRetention } from './logs/log-group-encrypted-with-retention';
import { RdsEncryptedAndPrivate } from './rds/rds-encrypted-and-private';
import { RdsForceSsl } from './rds/rds-force-ssl';
import { PolicyRule } from './rule';
import { S3BucketDeniesOldTls } from './s3/s3-bucket-denies-old-tls';
import { S3BucketEncryptedWithKms } from './s3/s3-bucket-encrypted-with-kms';
import { S3BucketPublicAccessBlocked } from './s3/s3-bucket-public-access-blocked';
import { S3BucketVersioned } from './s3/s3-bucket-versioned';
import { SnsTopicCustomerManagedKey } from './sns/sns-topic-customer-managed-key';
import { PatchBaselineSecurityApproval } from './ssm/patch-baseline-security-approval';
import { SsmAutomationRoleScoped } from './ssm/ssm-automation-role-scoped';
import { WafWebAclRateBasedRule } from './wafv2/waf-web-acl-rate-based-rule';

/** Every rule of the SecurityPolicy pack, in the order they run. */
export const POLICY_RULES: readonly PolicyRule[] = [
  KmsKeyRotationPeriod,
  CloudTrailBucketObjectLock,
  S3BucketDeniesOldTls,
  WafWebAclRateBasedRule,
  LogGroupEncryptedWithRetention,
  SnsTopicCustomerManagedKey,
  RdsForceSsl,
  StatefulResourceRetained,
  KmsKeyPolicyKeepsAdmin,
  KmsKeyPolicyNoPublicPrincipal,
  S3BucketPublicAccessBlocked,
  S3BucketEncryptedWithKms,
  S3BucketVersioned,
  RdsEncryptedAndPrivate,
  CloudTrailAuditTrail,
  GuardDutyDetectorEnabled,
  SecurityGroupNoOpenAdminPorts,
  IamAdminRequiresMfa,
  BackupVaultCustomerManagedKey,
  BackupVaultLocked,
  BackupVaultDeniesRecoveryPointDeletion,
  BackupPlanCoversDatabases,
  PatchBaselineSecurityApproval,
  CognitoPasswordPolicy,
  CognitoClientShortSessions,
  SsmAutomationRoleScoped,
  ConfigRecorderAllSupported,
];

export * from './rule';
export { RenderedTemplates } from './rendered';
export type { RenderedResource } from './rendered';
export {
  KmsKeyPolicyKeepsAdmin,
  KmsKeyPolicyNoPublicPrincipal,
  S3BucketPublicAccessBlocked,
  S3BucketEncryptedWithKms,
  S3BucketVersioned,
  RdsEncryptedAndPrivate,
  CloudTrailAuditTrail,
  GuardDutyDetectorEnabled,
  SecurityGroupNoOpenAdminPorts,
  IamAdminRequiresMfa,
  BackupPlanCoversDatabases,
  BackupVaultCustomerManagedKey,
  BackupVaultDeniesRecoveryPointDeletion,
  BackupVaultLocked,
  CloudTrailBucketObjectLock,
  KmsKeyRotationPeriod,
  LogGroupEncryptedWithRetention,
  RdsForceSsl,
  S3BucketDeniesOldTls,
  SnsTopicCustomerManagedKey,
  StatefulResourceRetained,
  WafWebAclRateBasedRule,
  PatchBaselineSecurityApproval,
  CognitoPasswordPolicy,
  CognitoClientShortSessions,
  SsmAutomationRoleScoped,
  ConfigRecorderAllSupported,
};
