import type {
  GetBucketLoggingCommandOutput,
  GetObjectLockConfigurationCommandOutput,
} from '@aws-sdk/client-s3';
import { describeTrails } from './trails';
import { call, errorName } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { s3Sdk } from '../sdk';

/** LOG-02: the bucket of every trail homed in this region is immutable (Object Lock with a default retention) and access-logged. */
export const auditBucketCheck: AuditCheck = {
  name: 'audit-bucket',
  controls: ['LOG-02'],
  description: "each trail's log bucket has Object Lock with a default retention and access logging",
  permissions: CHECK_PERMISSIONS['audit-bucket'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetBucketLoggingCommand, GetObjectLockConfigurationCommand, S3Client } = s3Sdk();
    const config = { ...context.clientConfig, region: context.region };
    const r = resultsFor('audit-bucket', 'LOG-02', context.region, 'AWS::S3::Bucket');
    const where = `trail buckets in ${context.region}`;
    let buckets: string[];
    try {
      const trails = await describeTrails(context, false);
      buckets = [...new Set(trails.flatMap((t) => (t.S3BucketName ? [t.S3BucketName] : [])))];
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    if (buckets.length === 0)
      return [r.notApplicable(where, 'no trail is homed in this region (LOG-01 reports missing trails)')];
    const s3 = new S3Client(config);
    return mapBounded(buckets, context.concurrency, async (bucket) => {
      const resource = `arn:aws:s3:::${bucket}`;
      try {
        const problems: string[] = [];
        const lock = await call<GetObjectLockConfigurationCommandOutput>(
          context,
          s3,
          new GetObjectLockConfigurationCommand({ Bucket: bucket }),
        ).catch((e) => {
          if (errorName(e) === 'ObjectLockConfigurationNotFoundError') return undefined;
          throw e;
        });
        const retention = lock?.ObjectLockConfiguration?.Rule?.DefaultRetention;
        if (lock?.ObjectLockConfiguration?.ObjectLockEnabled !== 'Enabled')
          problems.push('Object Lock is off');
        else if (!retention) problems.push('Object Lock has no default retention');
        const logging = await call<GetBucketLoggingCommandOutput>(
          context,
          s3,
          new GetBucketLoggingCommand({ Bucket: bucket }),
        );
        if (!logging.LoggingEnabled) problems.push('server access logging is off');
        const kept = retention
          ? `${retention.Mode} ${retention.Days ?? ''}${retention.Days ? ' days' : `${retention.Years} years`}`
          : '';
        return r.verdict(resource, problems, `Object Lock ${kept}, access-logged`);
      } catch (e) {
        return r.notChecked(resource, e);
      }
    });
  },
};
