import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** The actions that remove a recovery point early, both of which the vault policy must deny. */
const DELETING_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'];

/** Conditions that exempt named principals (a break-glass role) and nothing else. */
const EXEMPTION_OPERATORS = ['ArnNotEquals', 'ArnNotLike', 'StringNotEquals', 'StringNotLike'];

/**
 * The vault's access policy denies deleting recovery points and shortening their lifecycle to every
 * principal (DATA-03), except at most principals named by `aws:PrincipalArn` (a break-glass role).
 * A policy known only at deploy time, a deny for some principals only, or a deny narrowed by any
 * other condition does not count.
 */
export const BackupVaultDeniesRecoveryPointDeletion: PolicyRule = {
  id: 'BackupVaultDeniesRecoveryPointDeletion',
  controls: ['DATA-03'],
  level: NagMessageLevel.ERROR,
  info: "The backup vault's access policy does not deny deleting recovery points to everyone but a break-glass role.",
  explanation:
    'DATA-03: recovery points leave the vault when their retention ends, not when someone deletes them. Add a Deny ' +
    'statement for Principal "*" and Resource "*" on backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle, ' +
    'optionally exempting one role by aws:PrincipalArn (SecureBackupVault does, breakGlassRole).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Backup::BackupVault') return NagRuleCompliance.NOT_APPLICABLE;
    return problem(cfn) === undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => problem(cfn) ?? '',
};

function problem(cfn: CfnView): string | undefined {
  let policy = cfn.properties.AccessPolicy;
  if (policy === undefined) return 'AccessPolicy is not set';
  if (typeof policy === 'string') {
    try {
      policy = JSON.parse(policy);
    } catch {
      return 'AccessPolicy is not valid JSON';
    }
  }
  if (!isObject(policy)) return 'AccessPolicy is known only at deploy time';
  const denied = new Set<string>();
  for (const s of asList(policy.Statement)) {
    if (!isObject(s) || s.Effect !== 'Deny' || !everyone(s.Principal)) continue;
    if (!asList(s.Resource).includes('*') || !onlyExemptsPrincipals(s.Condition)) continue;
    for (const a of asList(s.Action)) if (typeof a === 'string') denied.add(a);
  }
  const missing = DELETING_ACTIONS.filter((a) => !denied.has(a));
  return missing.length === 0
    ? undefined
    : `no Deny for every principal (except at most named aws:PrincipalArn) on ${missing.join(', ')}`;
}

function everyone(principal: unknown): boolean {
  return principal === '*' || (isObject(principal) && asList(principal.AWS).includes('*'));
}

function onlyExemptsPrincipals(condition: unknown): boolean {
  if (condition === undefined) return true;
  if (!isObject(condition)) return false;
  return Object.entries(condition).every(
    ([operator, keys]) =>
      EXEMPTION_OPERATORS.includes(operator) &&
      isObject(keys) &&
      Object.keys(keys).every((k) => k.toLowerCase() === 'aws:principalarn'),
  );
}
