import type { ListAnalyzersCommandOutput } from '@aws-sdk/client-accessanalyzer';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { accessAnalyzerSdk } from '../sdk';

/** IAM-04 (per region): an active IAM Access Analyzer for external access (account or organization). */
export const accessAnalyzerCheck: AuditCheck = {
  name: 'access-analyzer',
  controls: ['IAM-04'],
  description: 'an active IAM Access Analyzer watches for external access in the region',
  permissions: CHECK_PERMISSIONS['access-analyzer'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { AccessAnalyzerClient, ListAnalyzersCommand } = accessAnalyzerSdk();
    const client = new AccessAnalyzerClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('access-analyzer', 'IAM-04', context.region, 'AWS::AccessAnalyzer::Analyzer');
    try {
      const analyzers = await listAll(context, 'ListAnalyzers', async (nextToken) => {
        const page = await call<ListAnalyzersCommandOutput>(
          context,
          client,
          new ListAnalyzersCommand({ nextToken }),
        );
        return { items: page.analyzers, next: page.nextToken };
      });
      const external = analyzers.filter((a) => a.type === 'ACCOUNT' || a.type === 'ORGANIZATION');
      const active = external.find((a) => a.status === 'ACTIVE');
      if (active)
        return [r.compliant(active.arn ?? active.name ?? 'analyzer', `${active.type} analyzer is active`)];
      return [
        r.nonCompliant(
          `analyzers in ${context.region}`,
          external.length === 0
            ? 'no external-access analyzer'
            : `external-access analyzer not active (${external.map((a) => a.status).join(', ')})`,
        ),
      ];
    } catch (e) {
      return [r.notChecked(`analyzers in ${context.region}`, e)];
    }
  },
};
