import { CfnOutput, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { EnvironmentConfig } from '../config/types';
import { AccessAnalyzers } from '../constructs/access-analyzers';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AccessRoles } from '../constructs/access-roles';
import { AccountHardening } from '../constructs/account-hardening';
import { AuditLogLockMode, AuditTrail } from '../constructs/audit-trail';
import { AuditorRole } from '../constructs/auditor-role';
import { CisMonitoring } from '../constructs/cis-monitoring';
import { ContinuousAudit } from '../constructs/continuous-audit';
import { SecurityAlerts } from '../constructs/security-alerts';
import { SecurityHub } from '../constructs/security-hub';
import { IncidentClass } from '../constructs/severity';
import { ThreatDetection } from '../constructs/threat-detection';
import { BaselineKey } from '../constructs/baseline-key';

export interface SecurityBaselineStackProps extends StackProps {
  /** The resolved settings of the environment this stack deploys. */
  readonly config: EnvironmentConfig;
}

/**
 * The security baseline of one environment, composed from the constructs in lib/constructs.
 * Composition only: the controls live in the constructs.
 */
export class SecurityBaselineStack extends Stack {
  public readonly auditTrail: AuditTrail;
  public readonly auditorRole: AuditorRole;

  constructor(scope: Construct, id: string, props: SecurityBaselineStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, {
      stackName: config.stackName,
      env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
      description: `cdk-security-baseline (${config.name}, ${config.profile} profile): encryption keys, immutable audit trail`,
      terminationProtection: config.protection.terminationProtection,
      ...stackProps,
    });
    if (config.protection.terminationProtection) recordControls(this, 'OPS-03');
    recordControls(this, 'OPS-02');

    Tags.of(this).add('security-baseline:environment', config.name);
    Tags.of(this).add('security-baseline:profile', config.profile);
    if (config.securityContact) Tags.of(this).add('security-baseline:contact', config.securityContact);
    for (const [key, value] of Object.entries(config.tags)) Tags.of(this).add(key, value);

    const accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      retention: Duration.days(config.accessLogs.retentionDays),
    });

    const auditKey = new BaselineKey(this, 'AuditLogKey', {
      alias: `security-baseline/${config.name}/audit-logs`,
      description: `cdk-security-baseline (${config.name}): encrypts CloudTrail log files, the audit bucket and the trail's log group`,
      rotationPeriod: Duration.days(config.keys.rotationPeriodDays),
      maxRotationPeriod: Duration.days(config.keys.maxRotationPeriodDays),
    });

    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
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
      serverAccessLogsBucket: accessLogs.bucket,
    });

    this.auditorRole = new AuditorRole(this, 'AuditorRole');
    new CfnOutput(this, 'AuditorRoleArn', {
      value: this.auditorRole.role.roleArn,
      description: 'Assume this role (with MFA) to run baseline-audit against this account',
    });
    const keys = [auditKey];
    if (config.identity.accountWide) {
      // One per account (IAM, S3) and region (EBS, analyzers): see identity.accountWide.
      const hardening = new AccountHardening(this, 'AccountHardening', {
        minimumPasswordLength: config.identity.minimumPasswordLength,
        logKey: auditKey,
      });
      keys.push(hardening.ebsKey);
      new AccessAnalyzers(this, 'AccessAnalyzers', {
        unusedAccess: config.identity.unusedAccessAnalyzer,
        unusedAccessAgeDays: config.identity.unusedAccessAgeDays,
      });
    }

    // Alerting by incident class (ALR-01/02), threat detection (DET-01/02) and CIS monitoring (DET-05).
    const subscribers = (c: { emails: readonly string[]; httpsUrls: readonly string[] }) => ({
      emails: [...c.emails],
      httpsUrls: [...c.httpsUrls],
    });
    const alerts = new SecurityAlerts(this, 'SecurityAlerts', {
      minimumClass: config.alerts.minimumClass as IncidentClass,
      critical: subscribers(config.alerts.critical),
      high: subscribers(config.alerts.high),
      medium: subscribers(config.alerts.medium),
      low: subscribers(config.alerts.low),
      securityHubFindings: config.threatDetection.securityHub,
    });
    keys.push(alerts.encryptionKey);
    if (config.threatDetection.guardDuty) {
      const detection = new ThreatDetection(this, 'ThreatDetection', {
        features: [...config.threatDetection.features],
        existingDetectorId: config.threatDetection.existingDetectorId,
        serverAccessLogsBucket: accessLogs.bucket,
      });
      keys.push(detection.findingsBucket.encryptionKey as BaselineKey);
    }
    if (config.threatDetection.securityHub) {
      new SecurityHub(this, 'SecurityHub', { adoptExistingHub: config.threatDetection.adoptExistingHub });
    }
    new CisMonitoring(this, 'CisMonitoring', { logGroup: this.auditTrail.logGroup, alerts });

    if (config.audit.continuous) {
      // Findings of the live audit are policy violations: the Medium class of policy 003.
      new ContinuousAudit(this, 'ContinuousAudit', {
        auditPolicy: this.auditorRole.policy,
        maxRotationDays: config.keys.maxRotationPeriodDays,
        alertTopic: alerts.topic(IncidentClass.MEDIUM),
        encryptionKey: alerts.encryptionKey,
        regions: config.audit.regions.length > 0 ? [...config.audit.regions] : undefined,
      });
    }

    new AccessRoles(this, 'AccessRoles', {
      trustedPrincipals:
        config.identity.trustedPrincipals.length > 0
          ? config.identity.trustedPrincipals.map((p) =>
              /^\d{12}$/.test(p) ? new iam.AccountPrincipal(p) : new iam.ArnPrincipal(p),
            )
          : undefined,
      protect: {
        trailArns: [this.auditTrail.trailArn],
        keyArns: keys.map((k) => k.keyArn),
        auditBucketArns: [this.auditTrail.bucket.bucket.bucketArn],
      },
    });
  }
}
