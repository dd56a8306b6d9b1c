import { z } from 'zod';
import { PROFILE_NAMES, ProfileName, settingsSchema } from './schema';
import { ProfileDefaults } from './types';

/**
 * Where each profile differs from the schema's defaults (which are the dev profile). They differ
 * where cost and safety trade off:
 * - Object Lock: GOVERNANCE in dev/test (an administrator can clean up a sandbox), COMPLIANCE in prod
 *   (nobody can delete or shorten, not even root);
 * - log retention: the trail's CloudWatch copy is kept one year in dev/test and two in prod (AWS
 *   Control Tower CT.CLOUDWATCH.PR.2 wants at least one); S3 access logs 90 / 180 / 365 days;
 * - deletion and termination protection: on in prod only;
 * - alerts: dev and test notify subscribers of High and Critical only, prod of every class;
 * - the reference workload's database: single-AZ with 7 days of backups in dev/test, multi-AZ with
 *   35 in prod.
 * - S3 data events of every bucket (LOG-03): prod only (billed per event);
 * - AWS Backup with a compliance-mode Vault Lock and weekly restore tests: prod only (DATA-03, DATA-04).
 * Audit log files themselves are kept one year everywhere (LOG-02's floor).
 */
const PROFILE_DIFFERENCES: Record<ProfileName, z.input<typeof settingsSchema>> = {
  dev: {},
  test: { accessLogs: { retentionDays: 180 } },
  prod: {
    auditLog: { objectLockMode: 'COMPLIANCE', cloudWatchRetentionDays: 731, allBucketDataEvents: true },
    accessLogs: { retentionDays: 365 },
    protection: { terminationProtection: true, deletionProtection: true },
    alerts: { minimumClass: 'LOW' },
    workload: { multiAzDatabase: true, backupRetentionDays: 35 },
    backup: { enabled: true, lockMode: 'COMPLIANCE', restoreTesting: true },
  },
};

/** Every setting of each profile, the schema's defaults with the profile's differences applied. */
const RESOLVED: ReadonlyMap<string, ProfileDefaults> = new Map(
  PROFILE_NAMES.map((name) => [name, settingsSchema.parse(PROFILE_DIFFERENCES[name])]),
);

/** The defaults of a profile, or undefined for a name that is not one (never a prototype member). */
export function profileDefaults(name: unknown): ProfileDefaults | undefined {
  return typeof name === 'string' ? RESOLVED.get(name) : undefined;
}

/** Per-profile defaults, for documentation and tests. Look profiles up with profileDefaults(). */
export const PROFILES: Readonly<Record<ProfileName, ProfileDefaults>> = Object.freeze({
  dev: RESOLVED.get('dev')!,
  test: RESOLVED.get('test')!,
  prod: RESOLVED.get('prod')!,
});
