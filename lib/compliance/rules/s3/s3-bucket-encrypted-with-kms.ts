import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * Every bucket encrypts by default with a customer-managed KMS key and S3 Bucket Keys (ENC-01,
 * DATA-01), as rendered, so an escape hatch that removes the encryption or switches to SSE-S3 is caught.
 */
export const S3BucketEncryptedWithKms: PolicyRule = {
  id: 'S3BucketEncryptedWithKms',
  controls: ['ENC-01', 'DATA-01'],
  level: NagMessageLevel.ERROR,
  info: 'The S3 bucket is not encrypted by default with a customer-managed KMS key.',
  explanation:
    'ENC-01: data at rest is encrypted with customer-managed keys. Set BucketEncryption with SSEAlgorithm aws:kms ' +
    '(or aws:kms:dsse), a KMSMasterKeyID and BucketKeyEnabled (encryption: s3.BucketEncryption.KMS with an ' +
    'encryptionKey; SecureBucket does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  const encryption = cfn.properties.BucketEncryption;
  const rules = isObject(encryption) ? asList(encryption.ServerSideEncryptionConfiguration) : [];
  if (rules.length === 0) return 'BucketEncryption is not set (S3 then uses SSE-S3, an AWS-owned key)';
  for (const rule of rules) {
    const byDefault = isObject(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    const algorithm = isObject(byDefault) ? byDefault.SSEAlgorithm : undefined;
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse')
      return `SSEAlgorithm is ${JSON.stringify(algorithm)}`;
    if (isObject(byDefault) && byDefault.KMSMasterKeyID === undefined)
      return 'SSEAlgorithm is aws:kms without a KMSMasterKeyID (the AWS managed aws/s3 key)';
  }
  return undefined;
}
