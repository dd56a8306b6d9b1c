import { AuditCheck } from '../context';
import { cloudTrailCheck } from './cloudtrail';
import { guardDutyCheck } from './guardduty';
import { kmsCheck } from './kms';
import { s3Check } from './s3';
import { wafCheck } from './waf';

/** Every check, by the name `--checks` takes. */
export const CHECKS: readonly AuditCheck[] = [kmsCheck, cloudTrailCheck, guardDutyCheck, s3Check, wafCheck];

/** The IAM actions the whole audit needs: exactly what the auditor role gets. */
export const AUDIT_PERMISSIONS: readonly string[] = [...new Set(CHECKS.flatMap((c) => c.permissions))].sort();

export { cloudTrailCheck, guardDutyCheck, kmsCheck, s3Check, wafCheck };
