import {
  asList,
  CfnView,
  isObject,
  NagMessageLevel,
  NagRuleCompliance,
  PolicyRule,
  refTarget,
} from '../rule';
import { Statement, statements, text } from '../core/policy-document';

/**
 * A role with administrator permissions (the AdministratorAccess managed policy, or an Allow of `*`
 * on `*` in its own, attached or in-stack managed policies) can be assumed only by IAM principals
 * that signed in with MFA (IAM-02): every Allow of its trust policy names AWS principals only and
 * has `Bool aws:MultiFactorAuthPresent "true"` (`BoolIfExists` lets long-term access keys in without
 * MFA). A service (a Lambda function, say) with administrator permissions fails. A trust or
 * permission policy known only at deploy time fails closed.
 */
export const IamAdminRequiresMfa: PolicyRule = {
  id: 'IAMAdminRequiresMfa',
  controls: ['IAM-02', 'IAM-03'],
  level: NagMessageLevel.ERROR,
  info: 'A role with administrator permissions can be assumed without MFA, or by a service.',
  explanation:
    'IAM-02: MFA for administrative access; IAM-03: least privilege. Give administrator permissions only to roles ' +
    'people assume with MFA (AccessRoles does); give services only the actions they need.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
    if (!isAdmin(cfn)) return NagRuleCompliance.COMPLIANT;
    return trustProblem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) =>
    `administrator permissions, and ${trustProblem(cfn) ?? 'a trust policy without MFA'}; ` +
    'require Bool aws:MultiFactorAuthPresent "true" in the trust policy, or grant only the actions needed',
};

function isAdmin(role: CfnView): boolean {
  const managed = asList(role.properties.ManagedPolicyArns);
  if (managed.some((arn) => /:policy\/AdministratorAccess$/.test(text(arn)))) return true;
  const documents: unknown[] = asList(role.properties.Policies).map((p) =>
    isObject(p) ? p.PolicyDocument : undefined,
  );
  for (const arn of managed) {
    const policy = role.referenced(arn, 'AWS::IAM::ManagedPolicy');
    if (policy) documents.push(policy.properties.PolicyDocument);
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const policy of role.siblings(type)) {
      if (
        asList(policy.properties.Roles).some(
          (r) => refTarget(r) === role.logicalId || r === role.properties.RoleName,
        )
      )
        documents.push(policy.properties.PolicyDocument);
    }
  }
  return documents.some((d) => {
    const all = statements(d);
    return all === undefined || all.some(allowsEverything);
  });
}

function allowsEverything(s: Statement): boolean {
  return s.effect === 'Allow' && !s.notAction && s.actions.includes('*') && s.resources.includes('*');
}

function trustProblem(role: CfnView): string | undefined {
  const all = statements(role.properties.AssumeRolePolicyDocument);
  if (all === undefined) return 'a trust policy known only at deploy time';
  for (const s of all.filter((x) => x.effect === 'Allow')) {
    const other = s.principals.find((p) => p.kind !== 'AWS');
    if (other) return `a trust policy that lets ${other.kind} ${text(other.value)} assume it`;
    const bool = s.condition && isObject(s.condition.Bool) ? s.condition.Bool : undefined;
    const mfa = bool ? bool['aws:MultiFactorAuthPresent'] : undefined;
    if (mfa !== 'true' && mfa !== true)
      return `a trust statement for ${s.principals.map((p) => text(p.value)).join(', ')} without Bool aws:MultiFactorAuthPresent "true"`;
  }
  return undefined;
}
