import type { GetAccountPasswordPolicyCommandOutput, PasswordPolicy } from '@aws-sdk/client-iam';
import { call, errorName } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { iamSdk } from '../sdk';

/** What IAM-01 requires of the account password policy, as problems. */
export function passwordPolicyProblems(p: PasswordPolicy): string[] {
  const problems: string[] = [];
  if ((p.MinimumPasswordLength ?? 0) < 12)
    problems.push(`minimum length ${p.MinimumPasswordLength ?? 'unset'} (want 12+)`);
  if (!p.RequireUppercaseCharacters) problems.push('upper case not required');
  if (!p.RequireLowercaseCharacters) problems.push('lower case not required');
  if (!p.RequireNumbers) problems.push('digits not required');
  if (!p.RequireSymbols) problems.push('symbols not required');
  if (!p.MaxPasswordAge || p.MaxPasswordAge > 90)
    problems.push(`maximum age ${p.MaxPasswordAge ?? 'unlimited'} (want 90 days or less)`);
  if ((p.PasswordReusePrevention ?? 0) < 24)
    problems.push(`reuse prevention ${p.PasswordReusePrevention ?? 'off'} (want 24)`);
  return problems;
}

/** IAM-01 (account-wide): the account password policy. */
export const iamPasswordPolicyCheck: AuditCheck = {
  name: 'iam-password-policy',
  controls: ['IAM-01'],
  global: true,
  description: 'the account password policy: 12+ characters, all classes, 90-day age, 24 remembered',
  permissions: CHECK_PERMISSIONS['iam-password-policy'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetAccountPasswordPolicyCommand, IAMClient } = iamSdk();
    const r = resultsFor('iam-password-policy', 'IAM-01', 'global', 'AWS::IAM::AccountPasswordPolicy');
    const resource = 'account password policy';
    try {
      const out = await call<GetAccountPasswordPolicyCommandOutput>(
        context,
        new IAMClient({ ...context.clientConfig, region: context.region }),
        new GetAccountPasswordPolicyCommand({}),
      );
      return [r.verdict(resource, passwordPolicyProblems(out.PasswordPolicy ?? {}), 'meets IAM-01')];
    } catch (e) {
      return [
        errorName(e) === 'NoSuchEntityException' || errorName(e) === 'NoSuchEntity'
          ? r.nonCompliant(resource, 'the account has no password policy')
          : r.notChecked(resource, e),
      ];
    }
  },
};
