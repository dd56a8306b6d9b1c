import type { DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import type { DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { describeTrails } from './trails';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { cloudWatchLogsSdk, cloudWatchSdk } from '../sdk';

/** The metric names CisMonitoring creates (kept equal to CIS_METRICS by a test). */
export const CIS_METRIC_NAMES = [
  'UnauthorizedApiCalls',
  'ConsoleSignInWithoutMfa',
  'RootAccountUsage',
  'IamPolicyChanges',
  'CloudTrailChanges',
  'ConsoleAuthenticationFailures',
  'CmkDisabledOrScheduledForDeletion',
  'S3BucketPolicyChanges',
  'ConfigChanges',
  'SecurityGroupChanges',
  'NaclChanges',
  'NetworkGatewayChanges',
  'RouteTableChanges',
  'VpcChanges',
  'OrganizationsChanges',
];

/**
 * DET-05: on the log group of each trail homed in this region, a metric filter for every CIS
 * metric, each with a CloudWatch alarm that has an action.
 */
export const cisAlarmsCheck: AuditCheck = {
  name: 'cis-alarms',
  controls: ['DET-05'],
  description: "CIS metric filters and alarms on each trail's log group",
  permissions: CHECK_PERMISSIONS['cis-alarms'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { CloudWatchLogsClient, DescribeMetricFiltersCommand } = cloudWatchLogsSdk();
    const { CloudWatchClient, DescribeAlarmsCommand } = cloudWatchSdk();
    const config = { ...context.clientConfig, region: context.region };
    const r = resultsFor('cis-alarms', 'DET-05', context.region, 'AWS::Logs::LogGroup');
    const where = `trail log groups in ${context.region}`;
    let groups: string[];
    try {
      const trails = await describeTrails(context, false);
      groups = [
        ...new Set(
          trails.flatMap((t) => {
            const name = t.CloudWatchLogsLogGroupArn?.split(':log-group:')[1]?.replace(/:\*$/, '');
            return name ? [name] : [];
          }),
        ),
      ];
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    if (groups.length === 0)
      return [
        r.notApplicable(
          where,
          'no trail homed in this region delivers to CloudWatch Logs (LOG-01 reports it)',
        ),
      ];
    const logs = new CloudWatchLogsClient(config);
    const cloudwatch = new CloudWatchClient(config);
    return mapBounded(groups, context.concurrency, async (group) => {
      try {
        const filters = await listAll(context, 'DescribeMetricFilters', async (nextToken) => {
          const page = await call<DescribeMetricFiltersCommandOutput>(
            context,
            logs,
            new DescribeMetricFiltersCommand({ logGroupName: group, nextToken }),
          );
          return { items: page.metricFilters, next: page.nextToken };
        });
        const metrics = new Map<string, string>(); // metric name -> namespace
        for (const f of filters)
          for (const t of f.metricTransformations ?? [])
            if (t.metricName) metrics.set(t.metricName, t.metricNamespace ?? '');
        const problems: string[] = [];
        const noFilter = CIS_METRIC_NAMES.filter((m) => !metrics.has(m));
        if (noFilter.length > 0) problems.push(`no metric filter for ${noFilter.join(', ')}`);
        const alarms = await listAll(context, 'DescribeAlarms', async (NextToken) => {
          const page = await call<DescribeAlarmsCommandOutput>(
            context,
            cloudwatch,
            new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken }),
          );
          return { items: page.MetricAlarms, next: page.NextToken };
        });
        const noAlarm = CIS_METRIC_NAMES.filter(
          (m) =>
            metrics.has(m) &&
            !alarms.some(
              (a) =>
                a.MetricName === m && a.Namespace === metrics.get(m) && (a.AlarmActions ?? []).length > 0,
            ),
        );
        if (noAlarm.length > 0) problems.push(`no alarm with an action for ${noAlarm.join(', ')}`);
        return r.verdict(
          group,
          problems,
          `all ${CIS_METRIC_NAMES.length} CIS metric filters have alarms with actions`,
        );
      } catch (e) {
        return r.notChecked(group, e);
      }
    });
  },
};
