import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BackupJobAlerts } from '../constructs/backup-job-alerts';
import { BackupRestoreTesting } from '../constructs/backup-restore-testing';
import { BackupVaultLockMode, BaselineBackup, SecureBackupVault } from '../constructs/secure-backup';
import { EnvironmentConfig } from '../config/types';
import { BaselinePart, built, Placement } from './part';

// Backups of the data the baseline and the reference workload hold (issue 16): on in prod.

/** The backup plan's name for an environment; the reference workload tags its resources with it. */
export function backupPlanName(config: EnvironmentConfig): string {
  return `security-baseline-${config.name}`;
}

/** The name of the vault that receives an environment's cross-region copies (in `backup.copyRegion`). */
export function backupCopyVaultName(config: EnvironmentConfig): string {
  return `${backupPlanName(config)}-copy`;
}

/**
 * An encrypted, locked vault, a daily/monthly/continuous plan over every resource tagged
 * `security-baseline:backup=<plan>` (the reference workload's database and data bucket) and the
 * audit bucket, copies to another region when `backup.copyRegion` is set, restore tests and
 * failed-job alerts (DATA-03, DATA-04).
 */
export const backups: BaselinePart = {
  id: 'Backup',
  placement: Placement.REGIONAL,
  switch: { setting: 'backup.enabled', isOn: (c) => c.backup.enabled, controls: ['DATA-03', 'DATA-04'] },
  build: (ctx) => {
    const { stack, config } = ctx;
    const b = config.backup;
    const vault = new SecureBackupVault(stack, 'BackupVault', {
      backupVaultName: backupPlanName(config),
      lockMode: BackupVaultLockMode[b.lockMode],
      // Retention the plan uses must sit inside the lock's bounds.
      minRetention: Duration.days(7),
    });
    const copyTo = b.copyRegion
      ? backup.BackupVault.fromBackupVaultArn(
          stack,
          'BackupCopyVault',
          Arn.format(
            {
              service: 'backup',
              region: b.copyRegion,
              resource: 'backup-vault',
              resourceName: backupCopyVaultName(config),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            stack,
          ),
        )
      : undefined;
    const plan = new BaselineBackup(stack, 'Backup', {
      vault,
      planName: backupPlanName(config),
      dailyRetention: Duration.days(b.dailyRetentionDays),
      monthlyRetention: Duration.days(b.monthlyRetentionDays),
      continuousBackup: b.continuous,
      copyTo,
    });
    // The audit records are data too: the trail's bucket, in the region that has it (not in a
    // StackSet, where it exists only under the home-region condition).
    if (ctx.auditTrail && !ctx.selfContainedAccountResources) plan.addResource(ctx.auditTrail.bucket.bucket);
    new BackupJobAlerts(stack, 'BackupAlerts', {
      alerts: built(ctx.alerts, 'the security alerts', 'Backup'),
    });
    if (b.restoreTesting) new BackupRestoreTesting(stack, 'RestoreTests', { backup: plan });
  },
};

/** The vault in `backup.copyRegion` that receives the copies (its own stack, in that region). */
export function buildBackupCopyVault(stack: Stack, config: EnvironmentConfig): SecureBackupVault {
  return new SecureBackupVault(stack, 'BackupCopyVault', {
    backupVaultName: backupCopyVaultName(config),
    lockMode: BackupVaultLockMode[config.backup.lockMode],
    minRetention: Duration.days(7),
  });
}
