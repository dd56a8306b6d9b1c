import type { GetRoleCommandOutput, ListEntitiesForPolicyCommandOutput } from '@aws-sdk/client-iam';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { iamSdk } from '../sdk';

type Statement = {
  Effect?: string;
  Principal?: unknown;
  Action?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/**
 * IAM-02 for one trust policy: every statement that lets AWS principals (users, roles, accounts)
 * assume the role requires MFA (`aws:MultiFactorAuthPresent` true). Returns the problem, undefined
 * when compliant, or `null` when no AWS principal may assume it (services, federation only).
 */
export function trustPolicyMfaProblem(documentText: string | undefined): string | undefined | null {
  if (!documentText) return 'the role has no trust policy';
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(decodeURIComponent(documentText));
  } catch {
    return 'the trust policy is not valid JSON';
  }
  const statements = ([] as unknown[]).concat(doc.Statement ?? []) as Statement[];
  const human = statements.filter((s) => {
    if (s.Effect !== 'Allow') return false;
    const p = s.Principal;
    return p === '*' || (typeof p === 'object' && p !== null && 'AWS' in p);
  });
  if (human.length === 0) return null;
  const withoutMfa = human.filter((s) => {
    const c = s.Condition ?? {};
    const present = c.Bool?.['aws:MultiFactorAuthPresent'] ?? c.BoolIfExists?.['aws:MultiFactorAuthPresent'];
    return String(present) !== 'true';
  });
  return withoutMfa.length === 0
    ? undefined
    : 'AWS principals may assume it without MFA (no aws:MultiFactorAuthPresent condition)';
}

/** IAM-02 (account-wide): every role with AdministratorAccess can be assumed only with MFA. */
export const iamAdminMfaCheck: AuditCheck = {
  name: 'iam-admin-mfa',
  controls: ['IAM-02'],
  global: true,
  description: 'roles with AdministratorAccess can be assumed only with MFA',
  permissions: CHECK_PERMISSIONS['iam-admin-mfa'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetRoleCommand, IAMClient, ListEntitiesForPolicyCommand } = iamSdk();
    const iam = new IAMClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('iam-admin-mfa', 'IAM-02', 'global', 'AWS::IAM::Role');
    const where = 'roles with AdministratorAccess';
    let roles: string[];
    try {
      roles = await listAll(context, 'ListEntitiesForPolicy', async (Marker) => {
        const page = await call<ListEntitiesForPolicyCommandOutput>(
          context,
          iam,
          new ListEntitiesForPolicyCommand({
            PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
            EntityFilter: 'Role',
            Marker,
          }),
        );
        return {
          items: (page.PolicyRoles ?? []).flatMap((x) => (x.RoleName ? [x.RoleName] : [])),
          next: page.IsTruncated ? page.Marker : undefined,
        };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    if (roles.length === 0) return [r.notApplicable(where, 'no role has AdministratorAccess attached')];
    return mapBounded(roles, context.concurrency, async (name) => {
      try {
        const role = (await call<GetRoleCommandOutput>(context, iam, new GetRoleCommand({ RoleName: name })))
          .Role;
        const resource = role?.Arn ?? name;
        const problem = trustPolicyMfaProblem(role?.AssumeRolePolicyDocument);
        if (problem === null)
          return r.notApplicable(resource, 'only AWS services or federated principals may assume it');
        return r.verdict(resource, problem ? [problem] : [], 'assumable only with MFA');
      } catch (e) {
        return r.notChecked(name, e);
      }
    });
  },
};
