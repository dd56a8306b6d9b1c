import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  Trail,
} from '@aws-sdk/client-cloudtrail';
import { AuditCheck, CheckContext, mapBounded } from '../context';
import { AuditResult, describeError } from '../result';

/** What LOG-01 requires of a trail, with the words used when it is missing. */
const REQUIREMENTS: [string, (t: Trail, logging: boolean) => boolean][] = [
  ['logging', (_t, logging) => logging],
  ['multi-region', (t) => t.IsMultiRegionTrail === true],
  ['log file validation', (t) => t.LogFileValidationEnabled === true],
  ['KMS encryption', (t) => !!t.KmsKeyId],
  ['CloudWatch Logs delivery', (t) => !!t.CloudWatchLogsLogGroupArn],
];

/** LOG-01: the account has a trail that is logging, multi-region, validated, KMS-encrypted and in CloudWatch Logs. */
export const cloudTrailCheck: AuditCheck = {
  name: 'cloudtrail',
  control: 'LOG-01',
  description:
    'a multi-region trail is logging, with log file validation, KMS encryption and CloudWatch Logs delivery',
  permissions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const client = new CloudTrailClient({ ...context.clientConfig, region: context.region });
    const base = {
      check: 'cloudtrail',
      control: 'LOG-01',
      region: context.region,
      resourceType: 'AWS::CloudTrail::Trail',
    };
    let trails: Trail[];
    try {
      // Shadow trails (multi-region trails homed elsewhere) count: they log this region too.
      trails = (await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
    } catch (e) {
      return [
        {
          ...base,
          resource: `account trails in ${context.region}`,
          status: 'ERROR',
          reason: describeError(e),
        },
      ];
    }
    if (trails.length === 0) {
      return [
        {
          ...base,
          resource: `account trails in ${context.region}`,
          status: 'NON_COMPLIANT',
          reason: 'no trail logs this region',
        },
      ];
    }
    return mapBounded(trails, context.concurrency, async (trail): Promise<AuditResult> => {
      const resource = trail.TrailARN ?? trail.Name ?? 'unknown trail';
      try {
        const status = await client.send(new GetTrailStatusCommand({ Name: trail.TrailARN ?? trail.Name }));
        const missing = REQUIREMENTS.filter(([, ok]) => !ok(trail, status.IsLogging === true)).map(
          ([what]) => what,
        );
        return missing.length === 0
          ? {
              ...base,
              resource,
              status: 'COMPLIANT',
              reason: 'logging, multi-region, validated, KMS-encrypted, in CloudWatch Logs',
            }
          : { ...base, resource, status: 'NON_COMPLIANT', reason: `missing: ${missing.join(', ')}` };
      } catch (e) {
        return { ...base, resource, status: 'ERROR', reason: describeError(e) };
      }
    });
  },
};
