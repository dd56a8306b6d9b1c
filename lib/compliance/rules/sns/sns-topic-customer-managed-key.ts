import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * SNS topics are encrypted with a customer-managed KMS key (ENC-01). The AWS-managed `alias/aws/sns`
 * key does not count: its policy cannot be edited, so EventBridge and CloudWatch alarms cannot publish.
 */
export const SnsTopicCustomerManagedKey: PolicyRule = {
  id: 'SNSTopicCustomerManagedKey',
  controls: ['ENC-01'],
  level: NagMessageLevel.ERROR,
  info: 'The SNS topic is not encrypted with a customer-managed KMS key.',
  explanation:
    'ENC-01: alerts are data at rest too. Set KmsMasterKeyId to a customer-managed key (not alias/aws/sns).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::SNS::Topic') return NagRuleCompliance.NOT_APPLICABLE;
    const key = cfn.properties.KmsMasterKeyId;
    if (key === undefined || (typeof key === 'string' && /(^|:)alias\/aws\/sns$/.test(key))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.COMPLIANT;
  },
  found: (cfn: CfnView) =>
    `KmsMasterKeyId is ${JSON.stringify(cfn.properties.KmsMasterKeyId ?? 'unset')}; set masterKey to a customer-managed key (BaselineKey)`,
};
