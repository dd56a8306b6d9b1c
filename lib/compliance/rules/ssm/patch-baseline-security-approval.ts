import {
  asList,
  CfnView,
  isIntrinsic,
  isObject,
  NagMessageLevel,
  NagRuleCompliance,
  PolicyRule,
} from '../rule';

/** Policy 003: "Security patches: within 24 hours of release". */
const MAX_APPROVAL_DAYS = 1;

/** Patch-filter values that mean "security patches", per filter key. */
const SECURITY_CLASSIFICATIONS = ['Security', 'SecurityUpdates', 'CriticalUpdates'];

/**
 * An SSM patch baseline approves security patches within a day of release (OPS-01): it has at
 * least one approval rule whose CLASSIFICATION filter selects security patches, and every such
 * rule approves after at most 1 day (`ApproveAfterDays` 0 or 1, no `ApproveUntilDate` cut-off).
 * No public pack checks patch baselines. A value known only at deploy time fails closed.
 * Findings: `[NoSecurityRule]` and `[ApprovalRule<n>]` for each late rule.
 */
export const PatchBaselineSecurityApproval: PolicyRule = {
  id: 'PatchBaselineSecurityApproval',
  controls: ['OPS-01'],
  level: NagMessageLevel.ERROR,
  info: 'The patch baseline does not approve security patches within a day of release.',
  explanation:
    'Policy 003 installs security patches within 24 hours of release. Give the baseline an approval rule with a ' +
    'CLASSIFICATION filter for security patches and ApproveAfterDays 0 or 1 (PatchManagement does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::SSM::PatchBaseline') return NagRuleCompliance.NOT_APPLICABLE;
    const rules = cfn.properties.ApprovalRules;
    if (!isObject(rules)) return ['NoSecurityRule'];
    const findings: string[] = [];
    let security = 0;
    asList(rules.PatchRules).forEach((rule, i) => {
      if (!isObject(rule)) {
        findings.push(`ApprovalRule${i}`);
        return;
      }
      const group = rule.PatchFilterGroup;
      const filters = isObject(group) ? asList(group.PatchFilters) : [];
      const selectsSecurity = filters.some(
        (f) =>
          isObject(f) &&
          f.Key === 'CLASSIFICATION' &&
          asList(f.Values).some((v) => typeof v === 'string' && SECURITY_CLASSIFICATIONS.includes(v)),
      );
      if (!selectsSecurity) return;
      security++;
      const days = rule.ApproveAfterDays;
      const timely =
        rule.ApproveUntilDate === undefined &&
        typeof days === 'number' &&
        !isIntrinsic(days) &&
        days >= 0 &&
        days <= MAX_APPROVAL_DAYS;
      if (!timely) findings.push(`ApprovalRule${i}`);
    });
    if (security === 0) findings.unshift('NoSecurityRule');
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  found: (cfn: CfnView) => {
    const rules = cfn.properties.ApprovalRules;
    const days = isObject(rules)
      ? asList(rules.PatchRules).map((r) =>
          isObject(r) ? JSON.stringify(r.ApproveAfterDays ?? 'unset') : '?',
        )
      : [];
    return (
      `approval rules approve after ${days.length ? days.join(', ') : 'no rule'} day(s); ` +
      'use PatchManagement or give a CLASSIFICATION=Security rule ApproveAfterDays 0 or 1'
    );
  },
};
