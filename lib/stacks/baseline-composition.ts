import { CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/types';
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

export interface ComposeOptions {
  /**
   * Nothing regional may refer to the account-wide parts (a StackSet deploys them under a
   * condition): the trail's bucket then logs its access to an access-log bucket of its own.
   * @default false - one access-log bucket per stack
   */
  readonly selfContainedAccountResources?: boolean;
}

/** What composeBaseline built. */
export interface BaselineParts {
  /** The multi-region audit trail (account-wide parts only). */
  readonly auditTrail?: AuditTrail;
  /** The role baseline-audit assumes (account-wide parts only). */
  readonly auditorRole?: AuditorRole;
  /** The constructs that exist once per account: a StackSet deploys them in the home region only. */
  readonly accountWide: readonly Construct[];
}

/**
 * The security baseline of one environment in one account and region, composed from the
 * constructs in lib/constructs, directly in `stack` (construct IDs are the stack's children, so
 * logical IDs do not depend on how the stack is deployed).
 *
 * Regional parts, in every stack: the alert topics by incident class and their key, GuardDuty and
 * its findings export, Security Hub (opt-in), the external-access analyzer, EBS encryption by
 * default, and the access-log bucket. Account-wide parts, with `accountResources` only (the
 * account's home region): the multi-region trail with its key, bucket and CIS monitoring, the
 * auditor role and continuous audit, the access roles and their guardrail, the IAM password
 * policy, the S3 account public access block and the unused-access analyzer.
 */
export function composeBaseline(
  stack: Stack,
  config: EnvironmentConfig,
  accountResources: boolean,
  options: ComposeOptions = {},
): BaselineParts {
  Tags.of(stack).add('security-baseline:environment', config.name);
  Tags.of(stack).add('security-baseline:profile', config.profile);
  if (config.securityContact) Tags.of(stack).add('security-baseline:contact', config.securityContact);
  for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);
  const accountWide: Construct[] = [];
  const account = <T extends Construct>(c: T): T => {
    accountWide.push(c);
    return c;
  };

  const accessLogs = new AccessLogBucket(stack, 'AccessLogs', {
    retention: Duration.days(config.accessLogs.retentionDays),
  });
  const keys: BaselineKey[] = [];

  // Alerting by incident class (ALR-01/02) and threat detection (DET-01/02): regional services.
  const subscribers = (c: { emails: readonly string[]; httpsUrls: readonly string[] }) => ({
    emails: [...c.emails],
    httpsUrls: [...c.httpsUrls],
  });
  const alerts = new SecurityAlerts(stack, 'SecurityAlerts', {
    minimumClass: config.alerts.minimumClass as IncidentClass,
    critical: subscribers(config.alerts.critical),
    high: subscribers(config.alerts.high),
    medium: subscribers(config.alerts.medium),
    low: subscribers(config.alerts.low),
    securityHubFindings: config.threatDetection.securityHub,
  });
  keys.push(alerts.encryptionKey);
  if (config.threatDetection.guardDuty) {
    const detection = new ThreatDetection(stack, 'ThreatDetection', {
      features: [...config.threatDetection.features],
      existingDetectorId: config.threatDetection.existingDetectorId,
      serverAccessLogsBucket: accessLogs.bucket,
    });
    keys.push(detection.findingsBucket.encryptionKey as BaselineKey);
  }
  if (config.threatDetection.securityHub) {
    new SecurityHub(stack, 'SecurityHub', { adoptExistingHub: config.threatDetection.adoptExistingHub });
  }

  if (config.identity.accountWide) {
    // Account settings (IAM, S3) once per account; EBS encryption and the external-access analyzer
    // in every region; the unused-access analyzer (IAM is global) once per account.
    const hardening = new AccountHardening(stack, 'AccountHardening', {
      minimumPasswordLength: config.identity.minimumPasswordLength,
      scope: accountResources ? HardeningScope.ACCOUNT_AND_REGION : HardeningScope.REGION,
    });
    if (hardening.ebsKey) keys.push(hardening.ebsKey);
    accountWide.push(...hardening.accountSettings);
    const analyzers = new AccessAnalyzers(stack, 'AccessAnalyzers', {
      unusedAccess: accountResources && config.identity.unusedAccessAnalyzer,
      unusedAccessAgeDays: config.identity.unusedAccessAgeDays,
    });
    if (analyzers.unused) accountWide.push(analyzers.unused);
  }

  if (!accountResources) return { accountWide };

  const auditKey = account(
    new BaselineKey(stack, 'AuditLogKey', {
      alias: `security-baseline/${config.name}/audit-logs`,
      description: `cdk-security-baseline (${config.name}): encrypts CloudTrail log files, the audit bucket and the trail's log group`,
      rotationPeriod: Duration.days(config.keys.rotationPeriodDays),
      maxRotationPeriod: Duration.days(config.keys.maxRotationPeriodDays),
    }),
  );
  const auditTrail = account(
    new AuditTrail(stack, 'AuditTrail', {
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
      serverAccessLogsBucket: options.selfContainedAccountResources
        ? account(
            new AccessLogBucket(stack, 'AuditAccessLogs', {
              retention: Duration.days(config.accessLogs.retentionDays),
            }),
          ).bucket
        : accessLogs.bucket,
    }),
  );
  keys.push(auditKey);
  account(new CisMonitoring(stack, 'CisMonitoring', { logGroup: auditTrail.logGroup, alerts }));

  const auditorRole = account(new AuditorRole(stack, 'AuditorRole'));
  account(
    new CfnOutput(stack, 'AuditorRoleArn', {
      value: auditorRole.role.roleArn,
      description: 'Assume this role (with MFA) to run baseline-audit against this account',
    }),
  );
  if (config.audit.continuous) {
    // Findings of the live audit are policy violations: the Medium class of policy 003.
    account(
      new ContinuousAudit(stack, 'ContinuousAudit', {
        auditPolicy: auditorRole.policy,
        maxRotationDays: config.keys.maxRotationPeriodDays,
        alertTopic: alerts.topic(IncidentClass.MEDIUM),
        encryptionKey: alerts.encryptionKey,
        regions: config.audit.regions.length > 0 ? [...config.audit.regions] : undefined,
      }),
    );
  }

  account(
    new AccessRoles(stack, 'AccessRoles', {
      trustedPrincipals:
        config.identity.trustedPrincipals.length > 0
          ? config.identity.trustedPrincipals.map((p) =>
              /^\d{12}$/.test(p) ? new iam.AccountPrincipal(p) : new iam.ArnPrincipal(p),
            )
          : undefined,
      protect: {
        trailArns: [auditTrail.trailArn],
        keyArns: keys.map((k) => k.keyArn),
        auditBucketArns: [auditTrail.bucket.bucket.bucketArn],
      },
    }),
  );
  return { auditTrail, auditorRole, accountWide };
}
