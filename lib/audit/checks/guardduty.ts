import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { AuditCheck, CheckContext } from '../context';
import { AuditResult, describeError } from '../result';

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
  control: 'DET-01',
  description: 'GuardDuty is enabled with 15-minute publication and its protection plans on',
  permissions: ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const client = new GuardDutyClient({ ...context.clientConfig, region: context.region });
    const base = {
      check: 'guardduty',
      control: 'DET-01',
      region: context.region,
      resourceType: 'AWS::GuardDuty::Detector',
    };
    try {
      const { DetectorIds: ids = [] } = await client.send(new ListDetectorsCommand({}));
      if (ids.length === 0)
        return [
          {
            ...base,
            resource: `detector in ${context.region}`,
            status: 'NON_COMPLIANT',
            reason: 'GuardDuty is not enabled (no detector)',
          },
        ];
      const results: AuditResult[] = [];
      for (const id of ids) {
        const d = await client.send(new GetDetectorCommand({ DetectorId: id }));
        const problems: string[] = [];
        if (d.Status !== 'ENABLED') problems.push(`status ${d.Status ?? 'unknown'}`);
        if (d.FindingPublishingFrequency !== 'FIFTEEN_MINUTES')
          problems.push(
            `findings published every ${d.FindingPublishingFrequency ?? 'unknown'} (want FIFTEEN_MINUTES)`,
          );
        const enabled = new Set<string>(
          (d.Features ?? []).filter((f) => f.Status === 'ENABLED').map((f) => String(f.Name)),
        );
        const off = REQUIRED_FEATURES.filter((f) => !enabled.has(f));
        if (off.length > 0) problems.push(`protection plans off: ${off.join(', ')}`);
        results.push(
          problems.length === 0
            ? {
                ...base,
                resource: id,
                status: 'COMPLIANT',
                reason: 'enabled, 15-minute publication, protection plans on',
              }
            : { ...base, resource: id, status: 'NON_COMPLIANT', reason: problems.join('; ') },
        );
      }
      return results;
    } catch (e) {
      return [
        { ...base, resource: `detector in ${context.region}`, status: 'ERROR', reason: describeError(e) },
      ];
    }
  },
};
