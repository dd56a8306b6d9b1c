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
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  const lock = cfn.properties.LockConfiguration;
  if (!isObject(lock)) return 'LockConfiguration is not set (no Vault Lock)';
  const min = lock.MinRetentionDays;
  if (typeof min === 'number' && Number.isInteger(min) && min >= 1) return undefined;
  return `LockConfiguration.MinRetentionDays is ${JSON.stringify(min ?? 'unset')}; set a whole number of days, at least 1`;
}
