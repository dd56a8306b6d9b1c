import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * Backup vaults encrypt recovery points with a customer-managed KMS key of this stack (ENC-01,
 * DATA-03). Without `EncryptionKeyArn` AWS Backup uses the AWS-managed `aws/backup` key, whose policy
 * nobody can restrict or audit like ours. The rule fails closed: a key that is not an
 * `AWS::KMS::Key` of the same stack (an alias, a literal ARN, a parameter, an import) cannot be proven
 * customer-managed at synthesis and is a finding to fix or acknowledge with the key's owner.
 */
export const BackupVaultCustomerManagedKey: PolicyRule = {
  id: 'BackupVaultCustomerManagedKey',
  controls: ['ENC-01', 'DATA-03'],
  level: NagMessageLevel.ERROR,
  info: 'The backup vault is not encrypted with a customer-managed KMS key of this stack.',
  explanation:
    'ENC-01/DATA-03: backups are encrypted with a customer-managed key. Set EncryptionKeyArn to a KMS key defined ' +
    'in the same stack (SecureBackupVault does, with a BaselineKey); without it AWS Backup uses the AWS-managed aws/backup key.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  const key = cfn.properties.EncryptionKeyArn;
  if (key === undefined)
    return 'EncryptionKeyArn is not set (AWS Backup would use the AWS-managed aws/backup key)';
  if (cfn.referenced(key, 'AWS::KMS::Key') !== undefined) return undefined;
  return `EncryptionKeyArn is ${JSON.stringify(key)}, not a KMS key of this stack; use SecureBackupVault or a key defined beside the vault`;
}
