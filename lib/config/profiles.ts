import { DEFAULT_GUARDDUTY_FEATURES } from '../constructs/threat-detection';
import { ProfileName } from './schema';
import { ProfileDefaults } from './types';

const NO_SUBSCRIBERS = { emails: [], httpsUrls: [] };

/** What every profile shares; each profile below states only where it differs. */
const BASE: ProfileDefaults = {
  keys: { rotationPeriodDays: 90 },
  auditLog: {
    retentionDays: 365,
    objectLockMode: 'GOVERNANCE',
    coldStorageAfterDays: 90,
    cloudWatchRetentionDays: 365,
  },
  accessLogs: { retentionDays: 90 },
  protection: { terminationProtection: false, deletionProtection: false },
  audit: { continuous: true, regions: [] },
  alerts: {
    minimumClass: 'HIGH',
    critical: NO_SUBSCRIBERS,
    high: NO_SUBSCRIBERS,
    medium: NO_SUBSCRIBERS,
    low: NO_SUBSCRIBERS,
  },
  threatDetection: {
    guardDuty: true,
    features: DEFAULT_GUARDDUTY_FEATURES,
    securityHub: false,
    adoptExistingHub: false,
  },
  workload: {
    enabled: true,
    natGateways: 0,
    interfaceEndpoints: true,
    multiAzDatabase: false,
    backupRetentionDays: 7,
    apiRateLimit: 100,
    apiBurstLimit: 200,
    wafRateLimit: 1000,
  },
  identity: {
    accountWide: true,
    minimumPasswordLength: 14,
    trustedPrincipals: [],
    unusedAccessAnalyzer: true,
    unusedAccessAgeDays: 90,
  },
};

/**
 * Per-profile defaults. They differ where cost and safety trade off:
 * - Object Lock: GOVERNANCE in dev/test (an administrator can clean up a sandbox), COMPLIANCE in prod
 *   (nobody can delete or shorten, not even root);
 * - log retention: the trail's CloudWatch copy is kept one year in dev/test and two in prod (AWS
 *   Control Tower CT.CLOUDWATCH.PR.2 wants at least one); S3 access logs 90 / 180 / 365 days;
 * - deletion and termination protection: on in prod only;
 * - alerts: dev and test notify subscribers of High and Critical only, prod of every class;
 * - the reference workload's database: single-AZ with 7 days of backups in dev/test, multi-AZ with
 *   35 in prod.
 * Audit log files themselves are kept one year everywhere (LOG-02's floor).
 */
export const PROFILES: Readonly<Record<ProfileName, ProfileDefaults>> = {
  dev: BASE,
  test: { ...BASE, accessLogs: { retentionDays: 180 } },
  prod: {
    ...BASE,
    auditLog: { ...BASE.auditLog, objectLockMode: 'COMPLIANCE', cloudWatchRetentionDays: 731 },
    accessLogs: { retentionDays: 365 },
    protection: { terminationProtection: true, deletionProtection: true },
    alerts: { ...BASE.alerts, minimumClass: 'LOW' },
    workload: { ...BASE.workload, multiAzDatabase: true, backupRetentionDays: 35 },
  },
};

/** Policy 003: keys rotate every 90 days. */
export const DEFAULT_MAX_KEY_ROTATION_DAYS = 90;
