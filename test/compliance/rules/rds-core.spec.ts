import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import { NagRuleCompliance } from 'cdk-nag';
import { RdsForceSsl, StatefulResourceRetained } from '../../../lib/compliance/rules';
import { BaselineKey } from '../../../lib/constructs/baseline-key';
import { check } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

describe('SecurityPolicy-RDSForceSSL', () => {
  const instance = (s: any, engine: string, parameters?: Record<string, string>) => {
    const group = parameters
      ? new rds.CfnDBParameterGroup(s, 'Params', { family: 'x', description: 'x', parameters })
      : undefined;
    return new rds.CfnDBInstance(s, 'Db', {
      engine,
      dbInstanceClass: 'db.t4g.micro',
      dbParameterGroupName: group?.ref,
    });
  };

  test('compliant: PostgreSQL with rds.force_ssl = 1, MySQL with require_secure_transport = ON', () => {
    expect(check(RdsForceSsl, (s) => instance(s, 'postgres', { 'rds.force_ssl': '1' }))).toBe(COMPLIANT);
    expect(check(RdsForceSsl, (s) => instance(s, 'mysql', { require_secure_transport: 'ON' }))).toBe(
      COMPLIANT,
    );
  });

  test('compliant: an Aurora PostgreSQL cluster whose cluster parameter group forces SSL', () => {
    const result = check(RdsForceSsl, (s) => {
      const group = new rds.CfnDBClusterParameterGroup(s, 'Params', {
        family: 'aurora-postgresql16',
        description: 'x',
        parameters: { 'rds.force_ssl': 1 },
      });
      return new rds.CfnDBCluster(s, 'Cluster', {
        engine: 'aurora-postgresql',
        dbClusterParameterGroupName: group.ref,
      });
    });
    expect(result).toBe(COMPLIANT);
  });

  test('non-compliant: no parameter group, SSL not forced, or a group outside the stack', () => {
    expect(check(RdsForceSsl, (s) => instance(s, 'postgres'))).toBe(NON_COMPLIANT);
    expect(check(RdsForceSsl, (s) => instance(s, 'postgres', { 'rds.force_ssl': '0' }))).toBe(NON_COMPLIANT);
    expect(
      check(
        RdsForceSsl,
        (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbParameterGroupName: 'shared-group' }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(check(RdsForceSsl, (s) => new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-mysql' }))).toBe(
      NON_COMPLIANT,
    );
  });

  test('not applicable: instances of a cluster, Oracle, other resources', () => {
    expect(
      check(
        RdsForceSsl,
        (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbClusterIdentifier: 'c' }),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(check(RdsForceSsl, (s) => instance(s, 'oracle-ee'))).toBe(NOT_APPLICABLE);
    expect(
      check(
        RdsForceSsl,
        (s) => new rds.CfnDBSubnetGroup(s, 'Sn', { dbSubnetGroupDescription: 'x', subnetIds: [] }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-StatefulResourceRetained', () => {
  test('compliant: the baseline constructs and anything with RemovalPolicy.RETAIN', () => {
    expect(
      check(
        StatefulResourceRetained,
        (s) => new BaselineKey(s, 'K', { alias: 'k' }).node.defaultChild as kms.CfnKey,
      ),
    ).toBe(COMPLIANT);
    expect(
      check(
        StatefulResourceRetained,
        (s) =>
          new logs.LogGroup(s, 'G', { removalPolicy: RemovalPolicy.RETAIN }).node
            .defaultChild as logs.CfnLogGroup,
      ),
    ).toBe(COMPLIANT);
  });

  test('compliant: a database removed by snapshot', () => {
    const result = check(StatefulResourceRetained, (s) => {
      const db = new rds.CfnDBInstance(s, 'Db', { engine: 'postgres' });
      db.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      return db;
    });
    expect(result).toBe(COMPLIANT);
  });

  test('non-compliant: destroyed with the stack; each missing policy is its own finding', () => {
    expect(
      check(
        StatefulResourceRetained,
        (s) =>
          new s3.Bucket(s, 'B', { removalPolicy: RemovalPolicy.DESTROY }).node.defaultChild as s3.CfnBucket,
      ),
    ).toEqual(['DeletionPolicy', 'UpdateReplacePolicy']);
    expect(check(StatefulResourceRetained, (s) => new secrets.CfnSecret(s, 'S', {}))).toEqual([
      'DeletionPolicy',
      'UpdateReplacePolicy',
    ]);
    const onlyDeletion = check(StatefulResourceRetained, (s) => {
      const key = new kms.CfnKey(s, 'K', {});
      key.cfnOptions.deletionPolicy = 'Retain' as never;
      return key;
    });
    expect(onlyDeletion).toEqual(['UpdateReplacePolicy']);
  });

  test('non-compliant: Snapshot where the service cannot snapshot', () => {
    const result = check(StatefulResourceRetained, (s) => {
      const bucket = new s3.CfnBucket(s, 'B');
      bucket.cfnOptions.deletionPolicy = 'Snapshot' as never;
      bucket.cfnOptions.updateReplacePolicy = 'Retain' as never;
      return bucket;
    });
    expect(result).toEqual(['DeletionPolicy']);
  });

  test('not applicable: stateless resources and instances of a cluster', () => {
    expect(
      check(
        StatefulResourceRetained,
        (s) => new kms.CfnAlias(s, 'A', { aliasName: 'alias/x', targetKeyId: 'x' }),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(
      check(
        StatefulResourceRetained,
        (s) => new rds.CfnDBInstance(s, 'Db', { engine: 'aurora-postgresql', dbClusterIdentifier: 'c' }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});
