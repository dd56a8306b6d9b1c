import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * Backup vaults have AWS Backup Vault Lock with a minimum retention (DATA-03), so no backup or copy
 * job can store a recovery point that expires sooner and, in compliance mode, nobody can remove the
 * lock. A retention known only at deploy time cannot be proven and fails (closed).
 */
export const BackupVaultLocked: PolicyRule = {
  id: 'BackupVaultLocked',
  controls: ['DATA-03'],
  level: NagMessageLevel.ERROR,
  info: 'The backup vault has no Vault Lock with a minimum retention (LockConfiguration.MinRetentionDays).',
  explanation:
    'DATA-03: recovery points are protected by AWS Backup Vault Lock. Set LockConfiguration with MinRetentionDays ' +
    '(SecureBackupVault does: governance mode by default, compliance mode with lockMode: COMPLIANCE).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
    const lock = cfn.properties.LockConfiguration;
    if (!isObject(lock)) return NagRuleCompliance.NON_COMPLIANT;
    const min = lock.MinRetentionDays;
    return typeof min === 'number' && Number.isInteger(min) && min >= 1
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
