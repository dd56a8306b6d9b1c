import { IConstruct } from 'constructs';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';

/**
 * Acknowledge the three packs' "bucket has no replication" findings on one bucket.
 *
 * The buckets are versioned, retained on stack deletion and (audit logs) Object-Locked, which
 * protects against deletion; copies in another region come from AWS Backup (DATA-03: the plan's
 * copy rule to `backup.copyRegion`), not from S3 replication, which the packs' rule looks for.
 */
export function acknowledgeNoReplication(bucket: IConstruct): void {
  acknowledge(
    bucket,
    inFrameworkPacks('S3BucketReplicationEnabled'),
    'No S3 replication: the bucket is versioned and retained on delete/replace, so objects survive deletion; ' +
      'copies in another region come from AWS Backup (DATA-03, backup.copyRegion), which the rule does not see.',
  );
}
