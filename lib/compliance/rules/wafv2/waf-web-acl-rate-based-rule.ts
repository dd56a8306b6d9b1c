import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** Every WAFv2 web ACL has a blocking rate-based rule (NET-03: rate limiting on every public endpoint). */
export const WafWebAclRateBasedRule: PolicyRule = {
  id: 'WAFWebACLRateBasedRule',
  controls: ['NET-03'],
  level: NagMessageLevel.ERROR,
  info: 'The WAFv2 web ACL has no rate-based rule that blocks.',
  explanation:
    'Policy 003 promises rate limiting to prevent abuse. Add a rule with a RateBasedStatement (per client IP) and ' +
    'a Block action to every web ACL.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::WAFv2::WebACL') return NagRuleCompliance.NOT_APPLICABLE;
    const limited = asList(cfn.properties.Rules).some(
      (rule) =>
        isObject(rule) &&
        isObject(rule.Statement) &&
        isObject(rule.Statement.RateBasedStatement) &&
        isObject(rule.Action) &&
        rule.Action.Block !== undefined,
    );
    return limited ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
