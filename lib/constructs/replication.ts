import { IConstruct } from 'constructs';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';

/**
 * Acknowledge the three packs' "bucket has no replication" findings on one bucket.
 *
 * The baseline's buckets are single-region by design at this stage: they are versioned, retained
 * on stack deletion and (audit logs) Object-Locked, which protects against deletion; the
 * cross-region copy the packs ask for is DATA-03 (AWS Backup vault with cross-region copy in prod),
 * which is not built yet. When it is, this acknowledgement goes away for the buckets it covers.
 */
export function acknowledgeNoReplication(bucket: IConstruct): void {
  acknowledge(
    bucket,
    inFrameworkPacks('S3BucketReplicationEnabled'),
    'No cross-region replication yet: the bucket is versioned and retained on delete/replace, so objects ' +
      'survive deletion; the cross-region copy is control DATA-03 (AWS Backup, prod), not yet implemented.',
  );
}
