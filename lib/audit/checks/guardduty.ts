import type { GetDetectorCommandOutput, ListDetectorsCommandOutput } from '@aws-sdk/client-guardduty';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { guardDutySdk } from '../sdk';

/** Protection plans DET-01 expects on (GuardDuty detector feature names). */
export const REQUIRED_FEATURES = [
  'S3_DATA_EVENTS',
  'EBS_MALWARE_PROTECTION',
  'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS',
];

/** DET-01: a GuardDuty detector is enabled, publishes findings every 15 minutes and has its protection plans on. */
export const guardDutyCheck: AuditCheck = {
  name: 'guardduty',
  controls: ['DET-01'],
  description: 'GuardDuty is enabled with 15-minute publication and its protection plans on',
  permissions: CHECK_PERMISSIONS.guardduty,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } = guardDutySdk();
    const client = new GuardDutyClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('guardduty', 'DET-01', context.region, 'AWS::GuardDuty::Detector');
    const where = `detector in ${context.region}`;
    let ids: string[];
    try {
      ids = await listAll(context, 'ListDetectors', async (NextToken) => {
        const page = await call<ListDetectorsCommandOutput>(
          context,
          client,
          new ListDetectorsCommand({ NextToken }),
        );
        return { items: page.DetectorIds, next: page.NextToken };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    if (ids.length === 0)
      return [
        context.expect.guardDuty === false
          ? r.notApplicable(
              where,
              'no detector, and the config turns GuardDuty off (threatDetection.guardDuty)',
            )
          : r.nonCompliant(where, 'GuardDuty is not enabled (no detector)'),
      ];
    return mapBounded(ids, context.concurrency, async (id) => {
      try {
        const d = await call<GetDetectorCommandOutput>(
          context,
          client,
          new GetDetectorCommand({ DetectorId: id }),
        );
        const problems: string[] = [];
        if (d.Status !== 'ENABLED') problems.push(`status ${d.Status ?? 'unknown'}`);
        if (d.FindingPublishingFrequency !== 'FIFTEEN_MINUTES')
          problems.push(
            `findings published every ${d.FindingPublishingFrequency ?? 'unknown'} (want FIFTEEN_MINUTES)`,
          );
        const enabled = new Set(
          (d.Features ?? []).filter((f) => f.Status === 'ENABLED').map((f) => String(f.Name)),
        );
        const off = (context.expect.guardDutyFeatures ?? REQUIRED_FEATURES).filter((f) => !enabled.has(f));
        if (off.length > 0) problems.push(`protection plans off: ${off.join(', ')}`);
        return r.verdict(id, problems, 'enabled, 15-minute publication, protection plans on');
      } catch (e) {
        return r.notChecked(id, e);
      }
    });
  },
};
