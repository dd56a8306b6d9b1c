import {
  BackupClient,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  ListRestoreTestingPlansCommand,
} from '@aws-sdk/client-backup';
import { mockClient } from 'aws-sdk-client-mock';
import { backupCheck } from '../../lib/audit/checks/backup';
import { AuditResult } from '../../lib/audit/result';
import { context } from './helpers';

const backup = mockClient(BackupClient);
const VAULT = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:baseline';
const PLAN = 'arn:aws:backup:eu-west-1:111122223333:restore-testing-plan:weekly';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
const rows = (results: AuditResult[]) => results.map((r) => [r.control, r.resource, r.status, r.reason]);

/** A prod deployment as BaselineBackup and BackupRestoreTesting leave it, all healthy. */
function serveHealthyBackups(): void {
  backup.reset();
  backup.on(ListBackupVaultsCommand).resolves({
    BackupVaultList: [
      { BackupVaultName: 'Default', BackupVaultArn: 'arn:default' }, // AWS's own: not judged
      {
        BackupVaultName: 'baseline',
        BackupVaultArn: VAULT,
        EncryptionKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
        EncryptionKeyType: 'CUSTOMER_MANAGED_KMS_KEY',
        Locked: true,
        MinRetentionDays: 7,
        LockDate: new Date('2026-01-04T00:00:00Z'),
      },
    ],
  });
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [
      { Status: 'COMPLETED', CreationDate: hoursAgo(20) },
      { Status: 'PARTIAL', CreationDate: hoursAgo(2) },
    ],
  });
  backup.on(ListRestoreTestingPlansCommand).resolves({
    RestoreTestingPlans: [{ RestoreTestingPlanArn: PLAN, RestoreTestingPlanName: 'weekly' } as never],
  });
  backup.on(ListRestoreJobsCommand).resolves({
    RestoreJobs: [
      {
        RestoreJobId: 'old',
        Status: 'FAILED',
        StatusMessage: 'subnet group missing',
        CreationDate: hoursAgo(150),
        ResourceType: 'RDS',
      },
      {
        RestoreJobId: 'r2',
        Status: 'COMPLETED',
        ValidationStatus: 'SUCCESSFUL',
        DeletionStatus: 'SUCCESSFUL',
        CreationDate: hoursAgo(30),
        ResourceType: 'RDS',
      },
    ],
  });
}

describe('backup check (DATA-03, DATA-04)', () => {
  test('a healthy deployment: locked CMK vault, a recent recovery point, the latest restore test passed', async () => {
    serveHealthyBackups();
    const results = await backupCheck.run(context());
    expect(rows(results)).toEqual([
      [
        'DATA-03',
        VAULT,
        'COMPLIANT',
        'Vault Lock in compliance mode, immutable since 2026-01-04T00:00:00.000Z, retention 7..unbounded days; key arn:aws:kms:eu-west-1:111122223333:key/k',
      ],
      ['DATA-03', VAULT, 'COMPLIANT', expect.stringMatching(/^latest completed recovery point 20/)],
      [
        'DATA-04',
        PLAN,
        'COMPLIANT',
        expect.stringMatching(/^restore test r2 of RDS \(.*\) completed, validation SUCCESSFUL$/),
      ],
    ]);
    // Only the last 36 hours of recovery points and 8 days of restore jobs are read, for this plan.
    const rp = backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input;
    expect(rp.BackupVaultName).toBe('baseline');
    expect(Date.now() - rp.ByCreatedAfter!.getTime()).toBeGreaterThanOrEqual(36 * 3600_000 - 60_000);
    const rj = backup.commandCalls(ListRestoreJobsCommand)[0].args[0].input;
    expect(rj.ByRestoreTestingPlanArn).toBe(PLAN);
  });

  test('governance mode and a lock date still ahead are reported as such', async () => {
    serveHealthyBackups();
    const future = new Date(Date.now() + 2 * 86400_000);
    backup.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [
        {
          BackupVaultName: 'a',
          BackupVaultArn: 'arn:a',
          Locked: true,
          MinRetentionDays: 7,
          MaxRetentionDays: 400,
        },
        {
          BackupVaultName: 'b',
          BackupVaultArn: 'arn:b',
          Locked: true,
          MinRetentionDays: 7,
          LockDate: future,
        },
      ],
    });
    const reasons = (await backupCheck.run(context()))
      .filter((r) => r.reason.startsWith('Vault Lock'))
      .map((r) => r.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/^Vault Lock in governance mode, retention 7\.\.400 days/),
      expect.stringContaining(`compliance mode, changeable until ${future.toISOString()}`),
    ]);
  });

  test('an unlocked vault with an AWS-owned key, and one without a recent recovery point, are findings', async () => {
    serveHealthyBackups();
    backup.on(ListBackupVaultsCommand).resolves({
      BackupVaultList: [
        { BackupVaultName: 'open', BackupVaultArn: 'arn:open', EncryptionKeyType: 'AWS_OWNED_KMS_KEY' },
      ],
    });
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [{ Status: 'EXPIRED', CreationDate: hoursAgo(3) }],
    });
    const results = await backupCheck.run(context());
    expect(rows(results.filter((r) => r.control === 'DATA-03'))).toEqual([
      [
        'DATA-03',
        'arn:open',
        'NON_COMPLIANT',
        'encrypted with an AWS-owned key, not a customer-managed one; no Vault Lock',
      ],
      ['DATA-03', 'arn:open', 'NON_COMPLIANT', 'no completed recovery point in the last 36 hours'],
    ]);
  });

  test('a failed latest restore test, a failed validation or a restored copy left behind are findings', async () => {
    serveHealthyBackups();
    backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [
        { RestoreJobId: 'ok', Status: 'COMPLETED', CreationDate: hoursAgo(100), ResourceType: 'S3' },
        {
          RestoreJobId: 'bad',
          Status: 'COMPLETED',
          ValidationStatus: 'FAILED',
          ValidationStatusMessage: 'row count 0',
          DeletionStatus: 'FAILED',
          DeletionStatusMessage: 'access denied',
          CreationDate: hoursAgo(5),
          ResourceType: 'RDS',
        },
        { RestoreJobId: 'running', Status: 'RUNNING', CreationDate: hoursAgo(1) }, // not finished: not judged
      ],
    });
    let [test] = (await backupCheck.run(context())).filter((r) => r.control === 'DATA-04');
    expect(test.status).toBe('NON_COMPLIANT');
    expect(test.reason).toMatch(
      /restore test bad of RDS .* validation FAILED: row count 0; the restored copy was not deleted: access denied$/,
    );

    backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [
        { RestoreJobId: 'f', Status: 'ABORTED', StatusMessage: 'stopped', CreationDate: hoursAgo(5) },
      ],
    });
    [test] = (await backupCheck.run(context())).filter((r) => r.control === 'DATA-04');
    expect(test.reason).toMatch(/restore test f of a resource .* ended ABORTED: stopped$/);
  });

  test('no restore test in 8 days is a finding; no plan or no vault is not applicable (DATA-03/04 off)', async () => {
    serveHealthyBackups();
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    expect(rows((await backupCheck.run(context())).filter((r) => r.control === 'DATA-04'))).toEqual([
      ['DATA-04', PLAN, 'NON_COMPLIANT', 'no finished restore test in the last 8 days'],
    ]);
    backup.on(ListBackupVaultsCommand).resolves({ BackupVaultList: [{ BackupVaultName: 'Default' }] });
    backup.on(ListRestoreTestingPlansCommand).resolves({ RestoreTestingPlans: [] });
    expect(
      (await backupCheck.run(context('us-east-1'))).map((r) => [r.control, r.status, r.resource]),
    ).toEqual([
      ['DATA-03', 'NOT_APPLICABLE', 'backup vaults in us-east-1'],
      ['DATA-04', 'NOT_APPLICABLE', 'restore testing plans in us-east-1'],
    ]);
  });

  test('API failures are NOT_CHECKED with the reason, never COMPLIANT', async () => {
    serveHealthyBackups();
    backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    backup
      .on(ListRestoreTestingPlansCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const results = await backupCheck.run(context());
    expect(results.map((r) => [r.control, r.status])).toEqual([
      ['DATA-03', 'COMPLIANT'],
      ['DATA-03', 'NOT_CHECKED'],
      ['DATA-04', 'NOT_CHECKED'],
    ]);
    backup.on(ListBackupVaultsCommand).rejects(new Error('down'));
    expect((await backupCheck.run(context())).map((r) => [r.control, r.status])).toEqual([
      ['DATA-03', 'NOT_CHECKED'],
    ]);
  });

  test('asks for exactly the read-only permissions it uses', () => {
    expect([...backupCheck.permissions].sort()).toEqual([
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByBackupVault',
      'backup:ListRestoreJobs',
      'backup:ListRestoreTestingPlans',
    ]);
  });
});
