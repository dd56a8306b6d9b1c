import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AccessAnalyzers } from '../constructs/access-analyzers';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AccessRoles } from '../constructs/access-roles';
import { AccountHardening, HardeningScope } from '../constructs/account-hardening';
import { AuditLogLockMode, AuditTrail } from '../constructs/audit-trail';
import { AuditorRole } from '../constructs/auditor-role';
import { BaselineKey } from '../constructs/baseline-key';
import { CisMonitoring } from '../constructs/cis-monitoring';
import { ContinuousAudit } from '../constructs/continuous-audit';
import { SecurityAlerts } from '../constructs/security-alerts';
import { SecurityHub } from '../constructs/security-hub';
import { IncidentClass } from '../constructs/severity';
import { ThreatDetection } from '../constructs/threat-detection';
import { ACCOUNT_ID_PATTERN } from '../validation/aws';
import { backups } from './data-protection-parts';
import { BaselinePart, built, Placement } from './part';
import {
  configRecording,
  containment,
  ddosProtection,
  patching,
  vulnerabilityScanning,
} from './response-parts';

// The parts of the security baseline, in build order (a part may use what an earlier one built).
// Each reads its own settings from `ctx.config`; see lib/stacks/baseline-composition.ts.

/** The key for audit records (ENC-03: one key per purpose): the trail and, in its region, access logs. */
const auditLogKey: BaselinePart = {
  id: 'AuditLogKey',
  placement: Placement.ACCOUNT,
  build: (ctx) => {
    const { stack, config } = ctx;
    ctx.auditKey = new BaselineKey(stack, 'AuditLogKey', {
      alias: `security-baseline/${config.name}/audit-logs`,
      description: `cdk-security-baseline (${config.name}): encrypts CloudTrail log files, the audit bucket and the trail's log group`,
      rotationPeriod: Duration.days(config.keys.rotationPeriodDays),
      maxRotationPeriod: Duration.days(ctx.policy.maxKeyRotationDays),
    });
    ctx.keys.push(ctx.auditKey);
  },
};

const accessLogs: BaselinePart = {
  id: 'AccessLogs',
  placement: Placement.REGIONAL,
  build: (ctx) => {
    ctx.accessLogs = new AccessLogBucket(ctx.stack, 'AccessLogs', {
      retention: Duration.days(ctx.config.accessLogs.retentionDays),
      // S3 server access logs are audit records too: in the account's home region they share the
      // audit-log key (a key costs $1/month, and $3 once it has rotated twice; ENC-03 keys by
      // purpose). Other regions, and StackSet instances, have no audit key: their bucket makes one.
      encryptionKey: ctx.accountResources && !ctx.selfContainedAccountResources ? ctx.auditKey : undefined,
    });
  },
};

/** Alerting by incident class (ALR-01/02): a regional service. */
const securityAlerts: BaselinePart = {
  id: 'SecurityAlerts',
  placement: Placement.REGIONAL,
  build: (ctx) => {
    const { alerts, threatDetection } = ctx.config;
    const subscribers = (c: { emails: string[]; httpsUrls: string[] }) => ({
      emails: [...c.emails],
      httpsUrls: [...c.httpsUrls],
    });
    ctx.alerts = new SecurityAlerts(ctx.stack, 'SecurityAlerts', {
      minimumClass: alerts.minimumClass as IncidentClass,
      critical: subscribers(alerts.critical),
      high: subscribers(alerts.high),
      medium: subscribers(alerts.medium),
      low: subscribers(alerts.low),
      securityHubFindings: threatDetection.securityHub,
    });
    ctx.keys.push(ctx.alerts.encryptionKey);
  },
};

/** GuardDuty and its findings export (DET-01). */
const threatDetection: BaselinePart = {
  id: 'ThreatDetection',
  placement: Placement.REGIONAL,
  switch: {
    setting: 'threatDetection.guardDuty',
    isOn: (c) => c.threatDetection.guardDuty,
    controls: ['DET-01'],
  },
  build: (ctx) => {
    const td = ctx.config.threatDetection;
    const detection = new ThreatDetection(ctx.stack, 'ThreatDetection', {
      features: [...td.features],
      existingDetectorId: td.existingDetectorId,
      serverAccessLogsBucket: built(ctx.accessLogs, 'the access-log bucket', 'ThreatDetection').bucket,
    });
    ctx.keys.push(detection.findingsBucket.encryptionKey as BaselineKey);
  },
};

/** Security Hub with FSBP and CIS v3.0 (DET-02), opt-in. */
const securityHub: BaselinePart = {
  id: 'SecurityHub',
  placement: Placement.REGIONAL,
  switch: {
    setting: 'threatDetection.securityHub',
    isOn: (c) => c.threatDetection.securityHub,
    controls: ['DET-02'],
  },
  build: (ctx) => {
    new SecurityHub(ctx.stack, 'SecurityHub', {
      adoptExistingHub: ctx.config.threatDetection.adoptExistingHub,
    });
  },
};

/** Account settings (IAM, S3) once per account; EBS encryption by default in every region. */
const accountHardening: BaselinePart = {
  id: 'AccountHardening',
  placement: Placement.SPLIT,
  switch: {
    setting: 'identity.accountWide',
    isOn: (c) => c.identity.accountWide,
    controls: ['IAM-01', 'DATA-07'],
  },
  build: (ctx) => {
    const hardening = new AccountHardening(ctx.stack, 'AccountHardening', {
      minimumPasswordLength: ctx.config.identity.minimumPasswordLength,
      scope: ctx.accountResources ? HardeningScope.ACCOUNT_AND_REGION : HardeningScope.REGION,
    });
    ctx.keys.push(hardening.ebsKey);
    return hardening.accountSettings;
  },
};

/** The external-access analyzer in every region; the unused-access analyzer (IAM is global) once per account. */
const accessAnalyzers: BaselinePart = {
  id: 'AccessAnalyzers',
  placement: Placement.SPLIT,
  switch: { setting: 'identity.accountWide', isOn: (c) => c.identity.accountWide, controls: ['IAM-04'] },
  build: (ctx) => {
    const analyzers = new AccessAnalyzers(ctx.stack, 'AccessAnalyzers', {
      unusedAccess: ctx.accountResources && ctx.config.identity.unusedAccessAnalyzer,
      unusedAccessAgeDays: ctx.config.identity.unusedAccessAgeDays,
    });
    return analyzers.unused ? [analyzers.unused] : [];
  },
};

/** The multi-region trail with its key and Object-Locked bucket (LOG-01, LOG-02). */
const auditTrail: BaselinePart = {
  id: 'AuditTrail',
  placement: Placement.ACCOUNT,
  build: (ctx) => {
    const { stack, config } = ctx;
    const auditKey = built(ctx.auditKey, 'the audit-log key', 'AuditTrail');
    const accessLogBucket = ctx.selfContainedAccountResources
      ? new AccessLogBucket(stack, 'AuditAccessLogs', {
          retention: Duration.days(config.accessLogs.retentionDays),
        })
      : built(ctx.accessLogs, 'the access-log bucket', 'AuditTrail');
    ctx.auditTrail = new AuditTrail(stack, 'AuditTrail', {
      trailName: `${config.stackName}-audit-trail`,
      encryptionKey: auditKey,
      retention: Duration.days(config.auditLog.retentionDays),
      lockMode:
        config.auditLog.objectLockMode === 'COMPLIANCE'
          ? AuditLogLockMode.COMPLIANCE
          : AuditLogLockMode.GOVERNANCE,
      transitionToColdStorageAfter: Duration.days(config.auditLog.coldStorageAfterDays),
      logGroupRetention: config.auditLog.cloudWatchRetentionDays as logs.RetentionDays,
      logGroupDeletionProtection: config.protection.deletionProtection,
      serverAccessLogsBucket: accessLogBucket.bucket,
      allBucketDataEvents: config.auditLog.allBucketDataEvents,
    });
  },
};

/** CIS AWS Foundations metric filters and alarms on the trail's log group (DET-05). */
const cisMonitoring: BaselinePart = {
  id: 'CisMonitoring',
  placement: Placement.ACCOUNT,
  build: (ctx) => {
    new CisMonitoring(ctx.stack, 'CisMonitoring', {
      logGroup: built(ctx.auditTrail, 'the audit trail', 'CisMonitoring').logGroup,
      alerts: built(ctx.alerts, 'the security alerts', 'CisMonitoring'),
    });
  },
};

/** The role baseline-audit assumes (CMP-05), and its ARN as an output. */
const auditorRole: BaselinePart = {
  id: 'AuditorRole',
  placement: Placement.ACCOUNT,
  build: (ctx) => {
    ctx.auditorRole = new AuditorRole(ctx.stack, 'AuditorRole');
    new CfnOutput(ctx.stack, 'AuditorRoleArn', {
      value: ctx.auditorRole.role.roleArn,
      description: 'Assume this role (with MFA) to run baseline-audit against this account',
    });
  },
};

/** baseline-audit on a schedule inside the account; findings are Medium-class alerts (policy 003). */
const continuousAudit: BaselinePart = {
  id: 'ContinuousAudit',
  placement: Placement.ACCOUNT,
  switch: { setting: 'audit.continuous', isOn: (c) => c.audit.continuous, controls: [] },
  build: (ctx) => {
    const alerts = built(ctx.alerts, 'the security alerts', 'ContinuousAudit');
    const { audit } = ctx.config;
    new ContinuousAudit(ctx.stack, 'ContinuousAudit', {
      auditPolicy: built(ctx.auditorRole, 'the auditor role', 'ContinuousAudit').policy,
      maxRotationDays: ctx.policy.maxKeyRotationDays,
      alertTopic: alerts.topic(IncidentClass.MEDIUM),
      encryptionKey: alerts.encryptionKey,
      regions: audit.regions.length > 0 ? [...audit.regions] : undefined,
      schedule: events.Schedule.rate(Duration.hours(audit.intervalHours)),
    });
  },
};

/** Admin, operator, read-only and auditor roles behind MFA, with a guardrail over the baseline (IAM-02/03). */
const accessRoles: BaselinePart = {
  id: 'AccessRoles',
  placement: Placement.ACCOUNT,
  build: (ctx) => {
    const trail = built(ctx.auditTrail, 'the audit trail', 'AccessRoles');
    const principals = ctx.config.identity.trustedPrincipals;
    const roles = new AccessRoles(ctx.stack, 'AccessRoles', {
      trustedPrincipals:
        principals.length > 0
          ? principals.map((p) =>
              ACCOUNT_ID_PATTERN.test(p) ? new iam.AccountPrincipal(p) : new iam.ArnPrincipal(p),
            )
          : undefined,
      protect: {
        trailArns: [trail.trailArn],
        keyArns: ctx.keys.map((k) => k.keyArn),
        auditBucketArns: [trail.bucket.bucket.bucketArn],
      },
    });
    // Operators run the containment runbooks (ALR-03); administrators can already.
    ctx.containment?.grantRun(roles.roles.Operator);
  },
};

/**
 * Every part of the baseline, in build order. Regional parts: the access-log bucket, the alert
 * topics by incident class and their key, GuardDuty and its findings export, Security Hub
 * (opt-in), EBS encryption by default and the external-access analyzer. Account-wide parts (the
 * account's home region): the multi-region trail with its key, bucket and CIS monitoring, the
 * auditor role and continuous audit, the access roles and their guardrail, the IAM password policy,
 * the S3 account public access block and the unused-access analyzer.
 */
export const BASELINE_PARTS: readonly BaselinePart[] = [
  auditLogKey,
  accessLogs,
  securityAlerts,
  threatDetection,
  securityHub,
  accountHardening,
  vulnerabilityScanning,
  configRecording,
  patching,
  containment,
  ddosProtection,
  accessAnalyzers,
  auditTrail,
  cisMonitoring,
  auditorRole,
  continuousAudit,
  backups,
  accessRoles,
];
