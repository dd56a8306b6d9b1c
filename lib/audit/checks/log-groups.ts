import type {
  DescribeLogGroupsCommandOutput,
  ListTagsForResourceCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { BASELINE_TAG } from './s3-buckets';
import { CHECK_PERMISSIONS } from '../permissions';
import { cloudWatchLogsSdk } from '../sdk';

/**
 * LOG-04: every baseline log group (tagged `security-baseline:environment`) is encrypted with a KMS
 * key and has an explicit retention. Log groups AWS services create on their own (untagged) are
 * outside the baseline's reach and not reported.
 */
export const logGroupsCheck: AuditCheck = {
  name: 'log-groups',
  controls: ['LOG-04'],
  description: 'baseline log groups are KMS-encrypted and have an explicit retention',
  permissions: CHECK_PERMISSIONS['log-groups'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { CloudWatchLogsClient, DescribeLogGroupsCommand, ListTagsForResourceCommand } =
      cloudWatchLogsSdk();
    const logs = new CloudWatchLogsClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('log-groups', 'LOG-04', context.region, 'AWS::Logs::LogGroup');
    const where = `log groups in ${context.region}`;
    let groups: NonNullable<DescribeLogGroupsCommandOutput['logGroups']>;
    try {
      groups = await listAll(context, 'DescribeLogGroups', async (nextToken) => {
        const page = await call<DescribeLogGroupsCommandOutput>(
          context,
          logs,
          new DescribeLogGroupsCommand({ nextToken }),
        );
        return { items: page.logGroups, next: page.nextToken };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    const results = await mapBounded(
      groups,
      context.concurrency,
      async (g): Promise<AuditResult | undefined> => {
        const arn = (g.arn ?? '').replace(/:\*$/, '');
        const resource = arn || g.logGroupName || 'log group';
        try {
          const tags = await call<ListTagsForResourceCommandOutput>(
            context,
            logs,
            new ListTagsForResourceCommand({ resourceArn: arn }),
          );
          if (!(BASELINE_TAG in (tags.tags ?? {}))) return undefined;
          const problems: string[] = [];
          if (!g.kmsKeyId) problems.push('not encrypted with a KMS key');
          if (!g.retentionInDays) problems.push('no retention (kept forever)');
          return r.verdict(resource, problems, `KMS-encrypted, kept ${g.retentionInDays} days`);
        } catch (e) {
          return r.notChecked(resource, e);
        }
      },
    );
    const found = results.filter((x): x is AuditResult => x !== undefined);
    return found.length > 0
      ? found
      : [r.notApplicable(where, `no log group tagged ${BASELINE_TAG} in this region`)];
  },
};
