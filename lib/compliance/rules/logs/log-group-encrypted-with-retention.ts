import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * Every log group is encrypted with a customer-managed key and has an explicit retention (LOG-04).
 * Each missing part is its own finding (`[KmsKeyId]`, `[RetentionInDays]`), acknowledged separately.
 */
export const LogGroupEncryptedWithRetention: PolicyRule = {
  id: 'LogGroupEncryptedWithRetention',
  controls: ['LOG-04', 'ENC-01'],
  level: NagMessageLevel.ERROR,
  info: 'The CloudWatch log group is not KMS-encrypted or has no explicit retention.',
  explanation:
    'LOG-04: every log group is encrypted with a CMK (KmsKeyId) and keeps logs for an explicit period (RetentionInDays); ' +
    'without RetentionInDays logs are kept forever.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
    const missing = ['KmsKeyId', 'RetentionInDays'].filter((k) => cfn.properties[k] === undefined);
    return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
  },
  found: (cfn: CfnView) =>
    `${['KmsKeyId', 'RetentionInDays'].filter((k) => cfn.properties[k] === undefined).join(' and ')} not set; ` +
    'use EncryptedLogGroup, or set encryptionKey and retention',
};
