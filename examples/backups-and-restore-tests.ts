import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BackupJobAlerts,
  BackupRestoreTesting,
  BackupVaultLockMode,
  BaselineBackup,
  BaselineCompliance,
  SecureBackupVault,
  SecureBucket,
  SecurityAlerts,
} from 'cdk-security-baseline';

const app = new App();
const account = '111111111111';

// The vault that receives cross-region copies, in its own region.
const copyRegion = new Stack(app, 'BackupCopy', { env: { account, region: 'eu-central-1' } });
new SecureBackupVault(copyRegion, 'CopyVault', { backupVaultName: 'workload-copy' });

const stack = new Stack(app, 'Workload', { env: { account, region: 'eu-west-1' } });
const data = new SecureBucket(stack, 'Data');
const vault = new SecureBackupVault(stack, 'Vault', {
  // Only this role may delete a recovery point or shorten its retention before it expires.
  breakGlassRole: iam.Role.fromRoleArn(stack, 'BreakGlass', `arn:aws:iam::${account}:role/break-glass`),
  lockMode: BackupVaultLockMode.COMPLIANCE, // irreversible after 3 days: read the warning below
  minRetention: Duration.days(7),
});
const plan = new BaselineBackup(stack, 'Backup', {
  vault,
  planName: 'workload',
  dailyRetention: Duration.days(35),
  monthlyRetention: Duration.days(365),
  copyTo: backup.BackupVault.fromBackupVaultArn(
    stack,
    'CopyTarget',
    `arn:aws:backup:eu-central-1:${account}:backup-vault:workload-copy`,
  ),
});
plan.addResource(data.bucket); // or tag any resource security-baseline:backup=workload
new BackupRestoreTesting(stack, 'RestoreTests', { backup: plan });
new BackupJobAlerts(stack, 'BackupAlerts', { alerts: new SecurityAlerts(stack, 'Alerts') });

BaselineCompliance.enable(app);
