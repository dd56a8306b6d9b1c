import {
  asList,
  CfnView,
  isObject,
  NagMessageLevel,
  NagRuleCompliance,
  PolicyRule,
  PolicyRuleOptions,
} from '../rule';

/**
 * Every WAFv2 web ACL has a blocking rate-based rule whose limit is within the policy's (NET-03: rate
 * limiting on every public endpoint). The limit is compared per 5 minutes (a 60-second window's limit
 * counts five times); a limit known only at deploy time fails closed.
 */
export const WafWebAclRateBasedRule: PolicyRule = {
  id: 'WAFWebACLRateBasedRule',
  controls: ['NET-03'],
  level: NagMessageLevel.ERROR,
  info: 'The WAFv2 web ACL has no rate-based rule that blocks.',
  explanation:
    'Policy 003 promises rate limiting to prevent abuse. Add a rule with a RateBasedStatement (per client IP) and ' +
    'a Block action to every web ACL.',
  check: (cfn: CfnView, options: PolicyRuleOptions) => {
    if (cfn.type !== 'AWS::WAFv2::WebACL') return NagRuleCompliance.NOT_APPLICABLE;
    const limited = blockingLimits(cfn).some(
      (l) => l !== undefined && l <= options.maxRequestsPerFiveMinutes,
    );
    return limited ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView, options: PolicyRuleOptions) => {
    const limits = blockingLimits(cfn);
    const max = `${options.maxRequestsPerFiveMinutes} requests per client IP per 5 minutes`;
    return limits.length === 0
      ? `no rule with a RateBasedStatement and a Block action; add one with a limit of at most ${max} (RateLimitedWebAcl does)`
      : `blocking rate-based limits (per 5 minutes): ${limits.map((l) => l ?? 'known only at deploy time').join(', ')}; the policy allows at most ${max}`;
  },
};

/** The limit of every blocking rate-based rule, scaled to 5 minutes (`undefined` when not a literal). */
function blockingLimits(cfn: CfnView): (number | undefined)[] {
  return asList(cfn.properties.Rules).flatMap((rule) => {
    if (
      !isObject(rule) ||
      !isObject(rule.Statement) ||
      !isObject(rule.Action) ||
      rule.Action.Block === undefined
    )
      return [];
    const rate = rule.Statement.RateBasedStatement;
    if (!isObject(rate)) return [];
    const window = rate.EvaluationWindowSec ?? 300;
    if (typeof rate.Limit !== 'number' || typeof window !== 'number' || window <= 0) return [undefined];
    return [Math.ceil((rate.Limit * 300) / window)];
  });
}
