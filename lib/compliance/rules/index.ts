import { BackupVaultCustomerManagedKey } from './backup/backup-vault-customer-managed-key';
import { BackupVaultDeniesRecoveryPointDeletion } from './backup/backup-vault-denies-recovery-point-deletion';
import { BackupVaultLocked } from './backup/backup-vault-locked';
import { CloudTrailBucketObjectLock } from './cloudtrail/cloudtrail-bucket-object-lock';
import { StatefulResourceRetained } from './core/stateful-resource-retained';
import { KmsKeyRotationPeriod } from './kms/kms-key-rotation-period';
import { LogGroupEncryptedWithRetention } from './logs/log-group-encrypted-with-retention';
import { RdsForceSsl } from './rds/rds-force-ssl';
import { PolicyRule } from './rule';
import { S3BucketDeniesOldTls } from './s3/s3-bucket-denies-old-tls';
import { SnsTopicCustomerManagedKey } from './sns/sns-topic-customer-managed-key';
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
  BackupVaultCustomerManagedKey,
  BackupVaultLocked,
  BackupVaultDeniesRecoveryPointDeletion,
];

export * from './rule';
export {
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
};
