import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

const SSM = 'ssm.amazonaws.com';
/** Condition keys that tie a service's use of a role to one account or resource (confused deputy). */
const SCOPING_KEYS = ['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid'];

/** Whether a trust-policy principal names the SSM service. */
function trustsSsm(principal: unknown): boolean {
  if (!isObject(principal)) return false;
  return asList(principal.Service).some((s) => s === SSM);
}

/** The condition keys of a statement, lower case (IAM condition keys are case-insensitive). */
function conditionKeys(condition: unknown): string[] {
  if (!isObject(condition)) return [];
  return Object.values(condition)
    .flatMap((block) => (isObject(block) ? Object.keys(block) : []))
    .map((k) => k.toLowerCase());
}

/**
 * A role that Systems Manager may assume (an Automation runbook's execution role, ALR-03) is
 * scoped to this account or a source ARN: every trust statement that allows `ssm.amazonaws.com`
 * has an `aws:SourceAccount`, `aws:SourceArn` or `aws:SourceOrgID` condition, so SSM acting for
 * another account cannot be made to use it (the confused-deputy problem). No public pack checks
 * trust policies for this. One finding per unscoped statement: `[Statement<n>]`.
 */
export const SsmAutomationRoleScoped: PolicyRule = {
  id: 'SsmAutomationRoleScoped',
  controls: ['ALR-03'],
  level: NagMessageLevel.ERROR,
  info: 'The role trusts ssm.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
  explanation:
    'Containment runbooks run with powerful execution roles. Condition the trust on aws:SourceAccount (and ' +
    'aws:SourceArn arn:<partition>:ssm:<region>:<account>:automation-execution/*) so only SSM acting for this ' +
    'account can assume them (ContainmentRunbooks does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
    const doc = cfn.properties.AssumeRolePolicyDocument;
    const statements = isObject(doc) ? asList(doc.Statement) : [];
    const findings: string[] = [];
    let relevant = 0;
    statements.forEach((s, i) => {
      if (!isObject(s) || s.Effect !== 'Allow' || !trustsSsm(s.Principal)) return;
      relevant++;
      if (!conditionKeys(s.Condition).some((k) => SCOPING_KEYS.includes(k))) findings.push(`Statement${i}`);
    });
    if (relevant === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  found: () =>
    'a trust statement allows ssm.amazonaws.com with no aws:SourceAccount/aws:SourceArn condition; add ' +
    'conditions: { StringEquals: { "aws:SourceAccount": <account> } } to the ServicePrincipal',
};
