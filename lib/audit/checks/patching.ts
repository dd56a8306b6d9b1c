import type {
  DescribePatchBaselinesCommandOutput,
  GetPatchBaselineCommandOutput,
  ListResourceComplianceSummariesCommandOutput,
} from '@aws-sdk/client-ssm';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { ssmSdk } from '../sdk';

/** Policy 003: security patches within 24 hours of release. */
const MAX_APPROVAL_DAYS = 1;
const SECURITY_CLASSIFICATIONS = ['Security', 'SecurityUpdates', 'CriticalUpdates'];

/**
 * OPS-01 (per region, opt-in): every patch baseline of this account that is registered for a patch
 * group approves security patches within a day of release, and every managed instance that reports
 * patch compliance is COMPLIANT (no missing approved patch). With no baseline of its own and no
 * instance reporting, the region is NOT_APPLICABLE (the control is opt-in).
 */
export const patchingCheck: AuditCheck = {
  name: 'patching',
  controls: ['OPS-01'],
  description: 'Patch baselines approve security patches within a day; managed instances are patch-compliant',
  permissions: CHECK_PERMISSIONS.patching,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const {
      DescribePatchBaselinesCommand,
      GetPatchBaselineCommand,
      ListResourceComplianceSummariesCommand,
      SSMClient,
    } = ssmSdk();
    const client = new SSMClient({ ...context.clientConfig, region: context.region });
    const baselines = resultsFor('patching', 'OPS-01', context.region, 'AWS::SSM::PatchBaseline');
    const instances = resultsFor('patching', 'OPS-01', context.region, 'AWS::SSM::ManagedInstance');
    const results: AuditResult[] = [];

    try {
      const ids = await listAll(context, 'DescribePatchBaselines', async (NextToken) => {
        const page = await call<DescribePatchBaselinesCommandOutput>(
          context,
          client,
          new DescribePatchBaselinesCommand({ Filters: [{ Key: 'OWNER', Values: ['Self'] }], NextToken }),
        );
        return {
          items: (page.BaselineIdentities ?? []).map((b) => String(b.BaselineId)),
          next: page.NextToken,
        };
      });
      const checked = await mapBounded(ids, context.concurrency, async (id) => {
        try {
          const b = await call<GetPatchBaselineCommandOutput>(
            context,
            client,
            new GetPatchBaselineCommand({ BaselineId: id }),
          );
          if ((b.PatchGroups ?? []).length === 0) return undefined; // not in use by any patch group
          const rules = b.ApprovalRules?.PatchRules ?? [];
          const security = rules.filter((rule) =>
            (rule.PatchFilterGroup?.PatchFilters ?? []).some(
              (f) =>
                f.Key === 'CLASSIFICATION' &&
                (f.Values ?? []).some((v) => SECURITY_CLASSIFICATIONS.includes(v)),
            ),
          );
          const problems: string[] = [];
          if (security.length === 0) problems.push('no approval rule for security patches');
          for (const rule of security) {
            if (rule.ApproveUntilDate)
              problems.push(`approves security patches released until ${rule.ApproveUntilDate} only`);
            else if ((rule.ApproveAfterDays ?? Infinity) > MAX_APPROVAL_DAYS)
              problems.push(`approves security patches ${rule.ApproveAfterDays ?? '?'} days after release`);
          }
          return baselines.verdict(
            `${b.Name ?? id} (${id})`,
            problems,
            `approves security patches within ${MAX_APPROVAL_DAYS} day for ${(b.PatchGroups ?? []).join(', ')}`,
          );
        } catch (e) {
          return baselines.notChecked(id, e);
        }
      });
      results.push(...checked.filter((x): x is AuditResult => x !== undefined));
    } catch (e) {
      results.push(baselines.notChecked(`patch baselines in ${context.region}`, e));
    }

    try {
      const summaries = await listAll(context, 'ListResourceComplianceSummaries', async (NextToken) => {
        const page = await call<ListResourceComplianceSummariesCommandOutput>(
          context,
          client,
          new ListResourceComplianceSummariesCommand({
            Filters: [{ Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' }],
            NextToken,
          }),
        );
        return { items: page.ResourceComplianceSummaryItems, next: page.NextToken };
      });
      for (const s of summaries) {
        const id = s.ResourceId ?? 'unknown instance';
        if (s.Status === 'COMPLIANT') results.push(instances.compliant(id, 'every approved patch installed'));
        else
          results.push(
            instances.nonCompliant(
              id,
              `${s.NonCompliantSummary?.NonCompliantCount ?? 'some'} approved patch(es) missing (severity ${s.OverallSeverity ?? 'unknown'})`,
            ),
          );
      }
    } catch (e) {
      results.push(instances.notChecked(`patch compliance in ${context.region}`, e));
    }

    return results.length > 0
      ? results
      : [
          baselines.notApplicable(
            `patching in ${context.region}`,
            'no patch baseline of this account in use and no instance reporting patch compliance; OPS-01 is opt-in',
          ),
        ];
  },
};
