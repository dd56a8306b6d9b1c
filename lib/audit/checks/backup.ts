import type {
  BackupClient,
  BackupVaultListMember,
  ListBackupVaultsCommandOutput,
  ListRecoveryPointsByBackupVaultCommandOutput,
  ListRestoreJobsCommandOutput,
  ListRestoreTestingPlansCommandOutput,
  RestoreJobsListMember,
  RestoreTestingPlanForList,
} from '@aws-sdk/client-backup';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { backupSdk } from '../sdk';

/** Vaults AWS creates for its own use, which the baseline neither makes nor locks. */
const AWS_VAULTS = new Set(['Default', 'aws/efs/automatic-backup-vault']);

/** A daily plan leaves a recovery point every 24 hours; allow its start and completion windows. */
export const RECOVERY_POINT_MAX_AGE_HOURS = 36;

/** Restore tests run weekly by default; the latest must be younger than this. */
export const RESTORE_TEST_MAX_AGE_DAYS = 8;

/**
 * DATA-03 and DATA-04 on the deployed account: every backup vault (but AWS's own) is encrypted with a
 * customer-managed key and protected by Vault Lock (mode and bounds reported), holds a completed
 * recovery point from the last 36 hours, and every restore testing plan's latest restore test (within
 * 8 days) completed, passed validation and had its restored copy deleted. CloudFormation drift
 * detection sees none of this: recovery points and restore jobs are not resources of the stack.
 */
export const backupCheck: AuditCheck = {
  name: 'backup',
  controls: ['DATA-03', 'DATA-04'],
  description:
    'Backup vaults are locked with a customer key and hold recent recovery points; restore tests pass',
  permissions: CHECK_PERMISSIONS.backup,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { BackupClient, ListBackupVaultsCommand, ListRestoreTestingPlansCommand } = backupSdk();
    const client = new BackupClient({ ...context.clientConfig, region: context.region });
    const vaults = resultsFor('backup', 'DATA-03', context.region, 'AWS::Backup::BackupVault');
    const tests = resultsFor('backup', 'DATA-04', context.region, 'AWS::Backup::RestoreTestingPlan');
    const now = Date.now();
    const results: AuditResult[] = [];

    let found: BackupVaultListMember[];
    try {
      found = await listAll(context, 'ListBackupVaults', async (NextToken) => {
        const page = await call<ListBackupVaultsCommandOutput>(
          context,
          client,
          new ListBackupVaultsCommand({ NextToken }),
        );
        return { items: page.BackupVaultList, next: page.NextToken };
      });
    } catch (e) {
      return [vaults.notChecked(`backup vaults in ${context.region}`, e)];
    }
    const own = found.filter((v) => !AWS_VAULTS.has(v.BackupVaultName ?? ''));
    if (own.length === 0) {
      results.push(
        vaults.notApplicable(
          `backup vaults in ${context.region}`,
          'no backup vault in this region: DATA-03 is not deployed here (on in the prod profile)',
        ),
      );
    }
    const perVault = await mapBounded(own, context.concurrency, async (v) => {
      const arn = v.BackupVaultArn ?? v.BackupVaultName ?? 'unknown vault';
      return [vaultSettings(v, arn, vaults), await recentRecoveryPoint(context, client, v, arn, now, vaults)];
    });
    results.push(...perVault.flat());

    let plans: RestoreTestingPlanForList[];
    try {
      plans = await listAll(context, 'ListRestoreTestingPlans', async (NextToken) => {
        const page = await call<ListRestoreTestingPlansCommandOutput>(
          context,
          client,
          new ListRestoreTestingPlansCommand({ NextToken }),
        );
        return { items: page.RestoreTestingPlans, next: page.NextToken };
      });
    } catch (e) {
      return [...results, tests.notChecked(`restore testing plans in ${context.region}`, e)];
    }
    if (plans.length === 0) {
      results.push(
        tests.notApplicable(
          `restore testing plans in ${context.region}`,
          'no restore testing plan in this region: DATA-04 is not deployed here (on in the prod profile)',
        ),
      );
    }
    results.push(
      ...(await mapBounded(plans, context.concurrency, (p) =>
        latestRestoreTest(context, client, p, now, tests),
      )),
    );
    return results;
  },
};

type Results = ReturnType<typeof resultsFor>;

function vaultSettings(v: BackupVaultListMember, arn: string, r: Results): AuditResult {
  const problems: string[] = [];
  if (v.EncryptionKeyType === 'AWS_OWNED_KMS_KEY')
    problems.push('encrypted with an AWS-owned key, not a customer-managed one');
  if (!v.Locked) problems.push('no Vault Lock');
  else if (v.MinRetentionDays === undefined) problems.push('Vault Lock without a minimum retention');
  if (problems.length > 0) return r.nonCompliant(arn, problems.join('; '));
  const lockDate = v.LockDate?.getTime();
  const mode =
    lockDate === undefined
      ? 'governance mode'
      : lockDate <= Date.now()
        ? `compliance mode, immutable since ${v.LockDate!.toISOString()}`
        : `compliance mode, changeable until ${v.LockDate!.toISOString()}`;
  const bounds = `retention ${v.MinRetentionDays}..${v.MaxRetentionDays ?? 'unbounded'} days`;
  return r.compliant(arn, `Vault Lock in ${mode}, ${bounds}; key ${v.EncryptionKeyArn ?? 'unknown'}`);
}

async function recentRecoveryPoint(
  context: CheckContext,
  client: BackupClient,
  v: BackupVaultListMember,
  arn: string,
  now: number,
  r: Results,
): Promise<AuditResult> {
  const { ListRecoveryPointsByBackupVaultCommand } = backupSdk();
  const since = new Date(now - RECOVERY_POINT_MAX_AGE_HOURS * 3600_000);
  try {
    const points = await listAll(context, 'ListRecoveryPointsByBackupVault', async (NextToken) => {
      const page = await call<ListRecoveryPointsByBackupVaultCommandOutput>(
        context,
        client,
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: v.BackupVaultName,
          ByCreatedAfter: since,
          NextToken,
        }),
      );
      return { items: page.RecoveryPoints, next: page.NextToken };
    });
    const completed = points.filter((p) => p.Status === 'COMPLETED');
    if (completed.length > 0) {
      const latest = Math.max(...completed.map((p) => p.CreationDate?.getTime() ?? 0));
      return r.compliant(arn, `latest completed recovery point ${new Date(latest).toISOString()}`);
    }
    return r.nonCompliant(
      arn,
      `no completed recovery point in the last ${RECOVERY_POINT_MAX_AGE_HOURS} hours`,
    );
  } catch (e) {
    return r.notChecked(arn, e);
  }
}

async function latestRestoreTest(
  context: CheckContext,
  client: BackupClient,
  plan: RestoreTestingPlanForList,
  now: number,
  r: Results,
): Promise<AuditResult> {
  const { ListRestoreJobsCommand } = backupSdk();
  const arn = plan.RestoreTestingPlanArn ?? plan.RestoreTestingPlanName ?? 'unknown plan';
  let jobs: RestoreJobsListMember[];
  try {
    jobs = await listAll(context, 'ListRestoreJobs', async (NextToken) => {
      const page = await call<ListRestoreJobsCommandOutput>(
        context,
        client,
        new ListRestoreJobsCommand({
          ByRestoreTestingPlanArn: plan.RestoreTestingPlanArn,
          ByCreatedAfter: new Date(now - RESTORE_TEST_MAX_AGE_DAYS * 86400_000),
          NextToken,
        }),
      );
      return { items: page.RestoreJobs, next: page.NextToken };
    });
  } catch (e) {
    return r.notChecked(arn, e);
  }
  const latest = jobs
    .filter((j) => j.Status !== 'PENDING' && j.Status !== 'RUNNING')
    .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
  if (!latest)
    return r.nonCompliant(arn, `no finished restore test in the last ${RESTORE_TEST_MAX_AGE_DAYS} days`);
  const what = `restore test ${latest.RestoreJobId ?? ''} of ${latest.ResourceType ?? 'a resource'} (${latest.CreationDate?.toISOString() ?? 'unknown date'})`;
  const problems: string[] = [];
  if (latest.Status !== 'COMPLETED')
    problems.push(`${what} ended ${latest.Status}${latest.StatusMessage ? `: ${latest.StatusMessage}` : ''}`);
  if (latest.ValidationStatus === 'FAILED' || latest.ValidationStatus === 'TIMED_OUT')
    problems.push(
      `${what} validation ${latest.ValidationStatus}${latest.ValidationStatusMessage ? `: ${latest.ValidationStatusMessage}` : ''}`,
    );
  if (latest.DeletionStatus === 'FAILED')
    problems.push(
      `the restored copy was not deleted${latest.DeletionStatusMessage ? `: ${latest.DeletionStatusMessage}` : ''}`,
    );
  return r.verdict(
    arn,
    problems,
    `${what} completed${latest.ValidationStatus ? `, validation ${latest.ValidationStatus}` : ''}`,
  );
}
