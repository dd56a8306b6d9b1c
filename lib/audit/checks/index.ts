import { AuditCheck } from '../context';
import { accessAnalyzerCheck } from './access-analyzer';
import { auditBucketCheck } from './audit-bucket';
import { backupCheck } from './backup';
import { cisAlarmsCheck } from './cis-alarms';
import { configRecorderCheck } from './config-recorder';
import { cloudTrailCheck } from './cloudtrail';
import { ebsCheck } from './ebs';
import { guardDutyCheck } from './guardduty';
import { iamAdminMfaCheck } from './iam-admin-mfa';
import { iamPasswordPolicyCheck } from './iam-password-policy';
import { inspectorCheck } from './inspector';
import { kmsCheck } from './kms';
import { logGroupsCheck } from './log-groups';
import { patchingCheck } from './patching';
import { rdsCheck } from './rds';
import { s3AccountCheck } from './s3-account';
import { s3BucketsCheck } from './s3-buckets';
import { securityHubCheck } from './security-hub';
import { snsCheck } from './sns';
import { wafCheck } from './waf';

/**
 * Every check, by the name `--checks` takes. To add one: its IAM actions under its name in
 * lib/audit/permissions.ts, and a file under lib/audit/checks exporting an AuditCheck (name, controls,
 * `permissions: CHECK_PERMISSIONS[name]`, run), listed here; the AuditorRole and the README's
 * permission list follow AUDIT_PERMISSIONS automatically. A check takes its SDK client's classes
 * from lib/audit/sdk.ts inside `run` (type-only imports at the top), so that importing the checks
 * loads no client (test/audit/permissions.test.ts).
 */
export const CHECKS: readonly AuditCheck[] = [
  kmsCheck,
  cloudTrailCheck,
  auditBucketCheck,
  guardDutyCheck,
  s3AccountCheck,
  s3BucketsCheck,
  ebsCheck,
  iamPasswordPolicyCheck,
  iamAdminMfaCheck,
  accessAnalyzerCheck,
  wafCheck,
  snsCheck,
  logGroupsCheck,
  cisAlarmsCheck,
  rdsCheck,
  securityHubCheck,
  // Opt-in detection and operations controls (issue 17).
  configRecorderCheck,
  inspectorCheck,
  patchingCheck,
  // Backups and restore tests (issue 16).
  backupCheck,
];

/**
 * The IAM actions the whole audit needs: exactly what the auditor role gets. Defined (with each
 * check's share) in lib/audit/permissions.ts, which loads no AWS SDK client, so that the CDK app can
 * use it without loading the checks.
 */
export { AUDIT_PERMISSIONS } from '../permissions';

export {
  accessAnalyzerCheck,
  auditBucketCheck,
  backupCheck,
  cisAlarmsCheck,
  configRecorderCheck,
  iamAdminMfaCheck,
  inspectorCheck,
  patchingCheck,
  logGroupsCheck,
  rdsCheck,
  securityHubCheck,
  snsCheck,
  cloudTrailCheck,
  ebsCheck,
  guardDutyCheck,
  iamPasswordPolicyCheck,
  kmsCheck,
  s3AccountCheck,
  s3BucketsCheck,
  wafCheck,
};
