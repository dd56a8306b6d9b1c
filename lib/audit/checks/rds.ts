import type {
  DBInstance,
  DescribeDBInstancesCommandOutput,
  DescribeDBParametersCommandOutput,
} from '@aws-sdk/client-rds';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { BASELINE_TAG } from './s3-buckets';
import { CHECK_PERMISSIONS } from '../permissions';
import { rdsSdk } from '../sdk';

/** The parameter that forces TLS for an engine, and the value that means "forced". */
export function sslParameter(engine: string | undefined): { name: string; value: string } | undefined {
  if (!engine) return undefined;
  if (engine.includes('postgres')) return { name: 'rds.force_ssl', value: '1' };
  if (engine.includes('mysql') || engine.includes('mariadb'))
    return { name: 'require_secure_transport', value: '1' };
  return undefined;
}

/** DATA-02 settings of one instance, as problems. */
export function instanceProblems(db: DBInstance): string[] {
  const problems: string[] = [];
  if (!db.StorageEncrypted) problems.push('storage not encrypted');
  else if (!db.KmsKeyId) problems.push('encrypted without a reported KMS key');
  if (!db.IAMDatabaseAuthenticationEnabled) problems.push('IAM database authentication off');
  if (!db.DeletionProtection) problems.push('deletion protection off');
  if (!db.BackupRetentionPeriod) problems.push('automated backups off');
  if (db.PubliclyAccessible) problems.push('publicly accessible');
  return problems;
}

/**
 * DATA-02 (encryption with a KMS key, IAM auth, deletion protection, automated backups, not public)
 * and ENC-05 (TLS forced through the parameter group) for every baseline RDS DB instance (tagged
 * `security-baseline:environment`) in the region.
 */
export const rdsCheck: AuditCheck = {
  name: 'rds',
  controls: ['DATA-02', 'ENC-05'],
  description: 'baseline RDS instances: encrypted, IAM auth, deletion protection, backups, TLS forced',
  permissions: CHECK_PERMISSIONS.rds,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient } = rdsSdk();
    const rds = new RDSClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('rds', 'DATA-02', context.region, 'AWS::RDS::DBInstance');
    const where = `DB instances in ${context.region}`;
    let instances: DBInstance[];
    try {
      instances = await listAll(context, 'DescribeDBInstances', async (Marker) => {
        const page = await call<DescribeDBInstancesCommandOutput>(
          context,
          rds,
          new DescribeDBInstancesCommand({ Marker }),
        );
        return { items: page.DBInstances, next: page.Marker };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    instances = instances.filter((db) => (db.TagList ?? []).some((t) => t.Key === BASELINE_TAG));
    if (instances.length === 0)
      return [
        context.expect.database === true
          ? r.nonCompliant(
              where,
              'no DB instance, but the config deploys a workload database (workload.enabled)',
            )
          : r.notApplicable(where, `no DB instance tagged ${BASELINE_TAG} in this region`),
      ];
    const perInstance = await mapBounded(instances, context.concurrency, async (db) => {
      const resource = db.DBInstanceArn ?? db.DBInstanceIdentifier ?? 'DB instance';
      const results = [
        r.verdict(
          resource,
          instanceProblems(db),
          'encrypted with a KMS key, IAM auth, deletion protection, backups',
        ),
      ];
      const ssl = sslParameter(db.Engine);
      const group = db.DBParameterGroups?.[0]?.DBParameterGroupName;
      if (!ssl) {
        results.push(
          r.notApplicable(resource, `engine ${db.Engine}: no TLS parameter known to the audit`, 'ENC-05'),
        );
      } else if (!group) {
        results.push(r.nonCompliant(resource, 'no DB parameter group: TLS is not forced', 'ENC-05'));
      } else {
        try {
          const params = await listAll(context, 'DescribeDBParameters', async (Marker) => {
            const page = await call<DescribeDBParametersCommandOutput>(
              context,
              rds,
              new DescribeDBParametersCommand({
                DBParameterGroupName: group,
                Marker,
                Filters: [{ Name: 'parameter-name', Values: [ssl.name] }],
              }),
            );
            return { items: page.Parameters, next: page.Marker };
          });
          const value = params.find((p) => p.ParameterName === ssl.name)?.ParameterValue;
          results.push(
            r.verdict(
              resource,
              value === ssl.value || value?.toUpperCase() === 'ON'
                ? []
                : [`${ssl.name} is ${value ?? 'unset'} in ${group}: TLS not forced`],
              `${ssl.name}=${value} in ${group}`,
              'ENC-05',
            ),
          );
        } catch (e) {
          results.push(r.notChecked(resource, e, 'ENC-05'));
        }
      }
      return results;
    });
    return perInstance.flat();
  },
};
