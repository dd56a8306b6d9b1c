import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';
import { coversAction, isAccountRoot, Statement, statements, text } from '../core/policy-document';

/**
 * A key policy never locks the account out (ENC-03): an unconditioned Allow gives the account (root)
 * or a named IAM role `kms:PutKeyPolicy` on the key, and no unconditioned Deny takes it away. Without
 * it nobody can change the policy again, and AWS Support must be asked to recover the key. A policy
 * known only at deploy time fails closed. A key with no KeyPolicy gets KMS's default (root) policy.
 */
export const KmsKeyPolicyKeepsAdmin: PolicyRule = {
  id: 'KMSKeyPolicyKeepsAdmin',
  controls: ['ENC-03'],
  level: NagMessageLevel.ERROR,
  info: 'The KMS key policy does not keep administrative access for the account (key lock-out).',
  explanation:
    'ENC-03: the account keeps administrative access to every key. Keep a statement that allows the account root ' +
    '(arn:<partition>:iam::<account>:root) or a named admin role kms:* (or at least kms:PutKeyPolicy) on "*", ' +
    'without conditions, and no Deny that removes it. BaselineKey keeps one.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  if (cfn.properties.KeyPolicy === undefined) return undefined;
  const all = statements(cfn.properties.KeyPolicy);
  if (all === undefined)
    return 'KeyPolicy is known only at deploy time, so it cannot be shown to keep an administrator';
  const admin = all.find((s) => s.effect === 'Allow' && !s.condition && grantsPutKeyPolicy(s, cfn));
  if (!admin) {
    return (
      'no unconditioned Allow gives the account root or a named role kms:PutKeyPolicy; principals allowed: ' +
      (all.flatMap((s) => s.principals.map((p) => text(p.value))).join(', ') || 'none') +
      '. Add the account root with kms:* (BaselineKey does)'
    );
  }
  const deny = all.find(
    (s) =>
      s.effect === 'Deny' &&
      !s.condition &&
      !s.notAction &&
      coversAction(s.actions, 'kms:PutKeyPolicy', true) &&
      s.principals.some((p) => p.value === '*' || isAccountRoot(p.value)),
  );
  return deny ? `an unconditioned Deny of ${deny.actions.map(text).join(', ')} removes it` : undefined;
}

function grantsPutKeyPolicy(s: Statement, cfn: CfnView): boolean {
  if (s.notAction || !coversAction(s.actions, 'kms:PutKeyPolicy', false)) return false;
  if (!s.resources.includes('*')) return false;
  return s.principals.some((p) => p.kind === 'AWS' && (isAccountRoot(p.value) || isRole(p.value, cfn)));
}

/** An IAM role ARN (literal or a role of the same stack by `Fn::GetAtt`). */
function isRole(value: unknown, cfn: CfnView): boolean {
  if (/^arn:[^:]+:iam::[^:]+:role\//.test(text(value))) return true;
  return cfn.referenced(value, 'AWS::IAM::Role') !== undefined;
}
