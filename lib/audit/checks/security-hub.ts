import type { GetEnabledStandardsCommandOutput } from '@aws-sdk/client-securityhub';
import { call, errorName, listAll } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { securityHubSdk } from '../sdk';

/** DET-02's standards, by a fragment of their standards ARN. */
export const REQUIRED_STANDARDS: [string, string][] = [
  ['AWS Foundational Security Best Practices', 'standards/aws-foundational-security-best-practices/'],
  ['CIS AWS Foundations Benchmark v3.0.0', 'standards/cis-aws-foundations-benchmark/v/3.0.0'],
];

/**
 * DET-02 (opt): when Security Hub is enabled, FSBP and CIS v3.0 are enabled standards. Not enabled
 * is not applicable, unless the config turns Security Hub on (then a finding).
 */
export const securityHubCheck: AuditCheck = {
  name: 'security-hub',
  controls: ['DET-02'],
  description: 'when Security Hub is on, the FSBP and CIS v3.0 standards are enabled',
  permissions: CHECK_PERMISSIONS['security-hub'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetEnabledStandardsCommand, SecurityHubClient } = securityHubSdk();
    const client = new SecurityHubClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('security-hub', 'DET-02', context.region, 'AWS::SecurityHub::Hub');
    const resource = `Security Hub in ${context.region}`;
    try {
      const subscriptions = await listAll(context, 'GetEnabledStandards', async (NextToken) => {
        const page = await call<GetEnabledStandardsCommandOutput>(
          context,
          client,
          new GetEnabledStandardsCommand({ NextToken }),
        );
        return { items: page.StandardsSubscriptions, next: page.NextToken };
      });
      const ready = subscriptions.filter(
        (s) => s.StandardsStatus === 'READY' || s.StandardsStatus === 'PENDING',
      );
      const missing = REQUIRED_STANDARDS.filter(
        ([, arn]) => !ready.some((s) => s.StandardsArn?.includes(arn)),
      ).map(([n]) => n);
      return [
        r.verdict(
          resource,
          missing.length ? [`standards not enabled: ${missing.join(', ')}`] : [],
          'FSBP and CIS v3.0 enabled',
        ),
      ];
    } catch (e) {
      const notEnabled =
        errorName(e) === 'InvalidAccessException' && /not subscribed/i.test((e as Error).message);
      if (!notEnabled) return [r.notChecked(resource, e)];
      return [
        context.expect.securityHub === true
          ? r.nonCompliant(
              resource,
              'Security Hub is not enabled, but the config turns it on (threatDetection.securityHub)',
            )
          : r.notApplicable(resource, 'Security Hub is not enabled (DET-02 is optional)'),
      ];
    }
  },
};
