import type {
  GetEventSelectorsCommandOutput,
  GetTrailStatusCommandOutput,
  Trail,
} from '@aws-sdk/client-cloudtrail';
import { describeTrails } from './trails';
import { call } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { cloudTrailSdk } from '../sdk';

/**
 * Whether the trail's event selectors record all management events (read and write). Basic
 * selectors: one with IncludeManagementEvents and ReadWriteType All (or both Read and Write).
 * Advanced selectors: one whose only field conditions are eventCategory = Management.
 * Returns the problem, or undefined when management events are recorded.
 */
export function managementEventsProblem(selectors: GetEventSelectorsCommandOutput): string | undefined {
  const advanced = selectors.AdvancedEventSelectors ?? [];
  if (advanced.length > 0) {
    const all = advanced.some((s) => {
      const fields = s.FieldSelectors ?? [];
      const category = fields.find((f) => f.Field === 'eventCategory');
      if (!category || !(category.Equals ?? []).includes('Management')) return false;
      // Any other condition (readOnly, eventSource, ...) narrows what is recorded.
      return fields.every((f) => f.Field === 'eventCategory');
    });
    return all ? undefined : 'advanced event selectors do not record all management events';
  }
  const basic = (selectors.EventSelectors ?? []).filter((s) => s.IncludeManagementEvents !== false);
  if (basic.length === 0) return 'event selectors exclude management events';
  const rw = new Set(basic.map((s) => s.ReadWriteType ?? 'All'));
  if (rw.has('All') || (rw.has('ReadOnly') && rw.has('WriteOnly'))) return undefined;
  return `management events recorded only ${[...rw].join(', ')}`;
}

/** LOG-01: trails are logging, multi-region, validated, KMS-encrypted, in CloudWatch Logs, with management events. */
export const cloudTrailCheck: AuditCheck = {
  name: 'cloudtrail',
  controls: ['LOG-01'],
  description:
    'a multi-region trail is logging management events, with log file validation, KMS encryption and CloudWatch Logs delivery',
  permissions: CHECK_PERMISSIONS.cloudtrail,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { CloudTrailClient, GetEventSelectorsCommand, GetTrailStatusCommand } = cloudTrailSdk();
    const client = new CloudTrailClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('cloudtrail', 'LOG-01', context.region, 'AWS::CloudTrail::Trail');
    let trails: Trail[];
    try {
      // Shadow trails (multi-region trails homed elsewhere) count: they log this region too.
      trails = await describeTrails(context, true);
    } catch (e) {
      return [r.notChecked(`trails in ${context.region}`, e)];
    }
    if (trails.length === 0)
      return [r.nonCompliant(`trails in ${context.region}`, 'no trail logs this region')];
    return mapBounded(trails, context.concurrency, async (trail): Promise<AuditResult> => {
      const resource = trail.TrailARN ?? trail.Name ?? 'unknown trail';
      const name = trail.TrailARN ?? trail.Name;
      try {
        const status = await call<GetTrailStatusCommandOutput>(
          context,
          client,
          new GetTrailStatusCommand({ Name: name }),
        );
        const selectors = await call<GetEventSelectorsCommandOutput>(
          context,
          client,
          new GetEventSelectorsCommand({ TrailName: name }),
        );
        const problems: string[] = [];
        if (status.IsLogging !== true) problems.push('not logging');
        if (trail.IsMultiRegionTrail !== true) problems.push('not multi-region');
        if (trail.LogFileValidationEnabled !== true) problems.push('log file validation off');
        if (!trail.KmsKeyId) problems.push('not KMS-encrypted');
        if (!trail.CloudWatchLogsLogGroupArn) problems.push('not delivered to CloudWatch Logs');
        const mgmt = managementEventsProblem(selectors);
        if (mgmt) problems.push(mgmt);
        return r.verdict(
          resource,
          problems,
          'logging all management events, multi-region, validated, KMS-encrypted, in CloudWatch Logs',
        );
      } catch (e) {
        return r.notChecked(resource, e);
      }
    });
  },
};
