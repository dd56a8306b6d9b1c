import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';
import { scopesPrincipal, statements, text } from '../core/policy-document';

/**
 * No key policy allows everyone (`Principal: "*"` or `{"AWS": "*"}`) without a condition that limits
 * the caller to named accounts, an organization or a source resource (ENC-03: service principals and
 * wildcards are scoped by source account or ARN). A policy known only at deploy time fails closed.
 */
export const KmsKeyPolicyNoPublicPrincipal: PolicyRule = {
  id: 'KMSKeyPolicyNoPublicPrincipal',
  controls: ['ENC-03'],
  level: NagMessageLevel.ERROR,
  info: 'The KMS key policy allows any principal ("*") without a condition that scopes it.',
  explanation:
    'ENC-03: key policies are least privilege. A "*" principal must be limited by aws:PrincipalAccount, ' +
    'aws:PrincipalOrgID, aws:PrincipalArn, kms:CallerAccount, aws:SourceAccount or aws:SourceArn; otherwise name ' +
    'the principals.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  const all = statements(cfn.properties.KeyPolicy);
  if (all === undefined) return 'KeyPolicy is known only at deploy time';
  const open = all.find(
    (s) => s.effect === 'Allow' && s.principals.some((p) => p.value === '*') && !scopesPrincipal(s.condition),
  );
  return open
    ? `an Allow of ${open.actions.map(text).join(', ')} to "*" with ${open.condition ? 'a condition that does not scope the caller' : 'no condition'}`
    : undefined;
}
