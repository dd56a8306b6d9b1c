import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { recordedControls } from '../../lib/compliance/controls';
import { DatabaseEngine, DatabaseRemoval, SecureDatabase } from '../../lib/constructs/secure-database';
import { SecureVpc } from '../../lib/constructs/secure-vpc';
import { testApp, testStack, warningsMentioning } from '../helpers';

describe('SecureDatabase: RDS for PostgreSQL (DATA-02)', () => {
  const stack = new Stack(testApp(), 'Data');
  const vpc = new SecureVpc(stack, 'Vpc');
  const db = new SecureDatabase(stack, 'Db', { vpc: vpc.vpc });
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  db.grantConnect(role, 'app_user');
  const template = Template.fromStack(stack);
  const [instance] = Object.values(template.findResources('AWS::RDS::DBInstance'));

  test('encrypted with a customer key, IAM auth, deletion protection, backups, removed by snapshot', () => {
    expect(instance).toMatchObject({
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DbKey/), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        CopyTagsToSnapshot: true,
        PubliclyAccessible: false,
        Port: '5433',
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DbKey/), 'Arn'] },
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        MonitoringInterval: 60,
      },
    });
  });

  test('its parameter group forces TLS (ENC-05)', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
  });

  test('lives in isolated subnets', () => {
    const [group] = Object.values(template.findResources('AWS::RDS::DBSubnetGroup'));
    const isolated = vpc.vpc.isolatedSubnets.map((s) => ({
      Ref: stack.getLogicalId(s.node.defaultChild as any),
    }));
    expect(group.Properties.SubnetIds).toEqual(isolated);
  });

  test('master password in Secrets Manager, encrypted with the key, rotated by hosted rotation, retained', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({ RotationType: 'PostgreSQLSingleUser' }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('exported logs go to encrypted log groups with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/instance/data-db/postgresql',
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
  });

  test('grantConnect allows rds-db:connect as one database user, in a managed policy (no IAMNoInlinePolicy)', () => {
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'rds-db:connect',
            Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          }),
        ],
      },
    });
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toContain('/app_user');
  });

  test('records DATA-02 and ENC-05', () => {
    expect(recordedControls(stack).get(db.node.path)).toEqual(['DATA-02', 'ENC-01', 'ENC-05', 'LOG-04']);
  });
});

describe('SecureDatabase: Aurora PostgreSQL, multi-AZ, retained', () => {
  test('a cluster with a reader, TLS forced by the cluster parameter group', () => {
    const stack = new Stack(testApp(), 'Aurora');
    const vpc = new SecureVpc(stack, 'Vpc', { interfaceEndpoints: false });
    new SecureDatabase(stack, 'Db', {
      vpc: vpc.vpc,
      engine: DatabaseEngine.AURORA_POSTGRES,
      multiAz: true,
      removal: DatabaseRemoval.RETAIN,
      backupRetention: Duration.days(35),
    });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        StorageEncrypted: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 35,
        EnableIAMDatabaseAuthentication: true,
      }),
    });
    t.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
    t.resourceCountIs('AWS::RDS::DBInstance', 2);
  });
});

describe('SecureDatabase rejects bad props', () => {
  test('short backups, the default port and a reserved user name, all at once; no deletion protection warns', () => {
    const stack = testStack();
    const vpc = new SecureVpc(stack, 'Vpc', { interfaceEndpoints: false });
    expect(
      () =>
        new SecureDatabase(stack, 'Db', {
          vpc: vpc.vpc,
          backupRetention: Duration.days(1),
          port: 5432,
          masterUsername: 'postgres',
        }),
    ).toThrow(
      /SecureDatabase at 'Test\/Db': 3 invalid prop\(s\):\n {2}- backupRetention: got 1 day; 7..35 days.*\n {2}- port: got 5432; .*\n {2}- masterUsername: got "postgres"/,
    );
    new SecureDatabase(stack, 'Loose', { vpc: vpc.vpc, deletionProtection: false });
    expect(warningsMentioning(stack, '[DATA-02 weakened]')).toHaveLength(1);
  });
});
