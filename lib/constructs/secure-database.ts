import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { recordControls, warnWeakened } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { encryptedLogGroup } from './encrypted-log-group';
import { grantThroughManagedPolicy } from './managed-grants';
import { childPath, PropErrors } from './errors';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';

export enum DatabaseEngine {
  /** RDS for PostgreSQL 17. */
  POSTGRES = 'POSTGRES',
  /** Aurora PostgreSQL 17. */
  AURORA_POSTGRES = 'AURORA_POSTGRES',
}

/** What happens to the database when it is removed from the stack: never plain deletion. */
export enum DatabaseRemoval {
  /** A final snapshot is taken, then the database is deleted. */
  SNAPSHOT = 'SNAPSHOT',
  /** The database is left running, outside the stack. */
  RETAIN = 'RETAIN',
}

export interface SecureDatabaseProps {
  /** The VPC; the database goes in its isolated subnets. */
  readonly vpc: ec2.IVpc;
  /** @default DatabaseEngine.POSTGRES */
  readonly engine?: DatabaseEngine;
  /** @default db.t4g.medium */
  readonly instanceType?: ec2.InstanceType;
  /** A standby in another AZ (multi-AZ instance, or a reader for Aurora). @default false */
  readonly multiAz?: boolean;
  /** Automated backup retention, 7..35 days. @default Duration.days(7) */
  readonly backupRetention?: Duration;
  /** Non-default port. @default 5433 */
  readonly port?: number;
  /** Deletion protection. Turning it off weakens DATA-02 and adds a warning. @default true */
  readonly deletionProtection?: boolean;
  /** @default DatabaseRemoval.SNAPSHOT */
  readonly removal?: DatabaseRemoval;
  /** Key for storage, Performance Insights, the secret and the log groups. @default - a new BaselineKey */
  readonly encryptionKey?: BaselineKey;
  /** Master user name. @default 'baseline_admin' */
  readonly masterUsername?: string;
  /** How often the master password rotates. @default Duration.days(30) */
  readonly passwordRotation?: Duration;
  /** Retention of the exported database logs. @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An encrypted PostgreSQL database (DATA-02, ENC-05): RDS for PostgreSQL or Aurora PostgreSQL in
 * isolated subnets on a non-default port; storage, Performance Insights, logs and the master secret
 * encrypted with a BaselineKey; a parameter group forcing TLS (`rds.force_ssl = 1`); IAM database
 * authentication; deletion protection; automated backups copied with tags; multi-AZ when asked;
 * PostgreSQL logs exported to encrypted log groups with retention; the master password in Secrets
 * Manager, rotated by AWS's hosted rotation; removed by snapshot or retained, never destroyed.
 */
export class SecureDatabase extends Construct {
  public readonly connections: ec2.Connections;
  public readonly secret: secretsmanager.ISecret;
  public readonly endpoint: string;
  public readonly port: number;
  /** The DB resource ID (`db-...` or `cluster-...`) IAM authentication policies name. */
  public readonly resourceId: string;

  constructor(scope: Construct, id: string, props: SecureDatabaseProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const engine = props.engine ?? DatabaseEngine.POSTGRES;
    const retention = props.backupRetention ?? Duration.days(7);
    const port = props.port ?? 5433;
    const username = props.masterUsername ?? 'baseline_admin';
    const rotation = props.passwordRotation ?? Duration.days(30);
    const errors = new PropErrors('SecureDatabase', childPath(scope.node.path, id));
    if (!Object.values(DatabaseEngine).includes(engine))
      errors.add('engine', engine, Object.values(DatabaseEngine).join(' or '));
    if (
      !retention.isUnresolved() &&
      (retention.toDays({ integral: false }) < 7 || retention.toDays({ integral: false }) > 35)
    ) {
      errors.add('backupRetention', retention, '7..35 days (DATA-02: at least a week of automated backups)');
    }
    if (!Number.isInteger(port) || port < 1150 || port > 65535 || port === 5432)
      errors.add('port', port, 'a port 1150..65535 other than the default 5432');
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(username) || ['postgres', 'admin', 'rdsadmin'].includes(username)) {
      errors.add(
        'masterUsername',
        username,
        'lower-case letters, digits and _, starting with a letter, not a reserved or default name',
      );
    }
    if (
      !rotation.isUnresolved() &&
      (rotation.toDays({ integral: false }) < 1 || rotation.toDays({ integral: false }) > 365)
    ) {
      errors.add('passwordRotation', rotation, '1..365 days');
    }
    errors.throwIfAny();

    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/${id.toLowerCase()}-db`,
        description: 'cdk-security-baseline: encrypts a database',
      });
    const identifier = `${stack.stackName}-${id}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 60);
    const removalPolicy =
      (props.removal ?? DatabaseRemoval.SNAPSHOT) === DatabaseRemoval.RETAIN
        ? RemovalPolicy.RETAIN
        : RemovalPolicy.SNAPSHOT;
    const deletionProtection = props.deletionProtection ?? true;
    if (!deletionProtection)
      warnWeakened(this, 'DATA-02', 'deletionProtection is off: the database can be deleted by an API call');

    // Exported logs land in log groups created here first, encrypted and with retention (LOG-04).
    const kind = engine === DatabaseEngine.POSTGRES ? 'instance' : 'cluster';
    for (const log of ['postgresql', 'upgrade']) {
      if (engine === DatabaseEngine.AURORA_POSTGRES && log === 'upgrade') continue;
      encryptedLogGroup(this, `Logs-${log}`, {
        logGroupName: `/aws/rds/${kind}/${identifier}/${log}`,
        encryptionKey: key,
        retention: props.logRetention,
      });
    }

    const credentials = rds.Credentials.fromGeneratedSecret(username, {
      encryptionKey: key,
      secretName: `${identifier}-master`,
    });
    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole'),
      ],
    });
    Validations.of(monitoringRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason:
        'The AWS-maintained service-role policy Enhanced Monitoring requires (RDS User Guide); it only writes the RDSOSMetrics log group.',
    });
    const subnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${identifier}: database clients only`,
      allowAllOutbound: false,
    });

    // ENC-05: TLS is required (`rds.force_ssl`); connections are logged.
    const instanceEngine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.VER_17_9,
    });
    const clusterEngine = rds.DatabaseClusterEngine.auroraPostgres({
      version: rds.AuroraPostgresEngineVersion.VER_17_9,
    });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine: engine === DatabaseEngine.POSTGRES ? instanceEngine : clusterEngine,
      description: 'cdk-security-baseline: TLS required, connections logged',
      parameters: { 'rds.force_ssl': '1', log_connections: '1', log_disconnections: '1' },
    });

    // DATA-02 settings both engines share: placement, TLS, encryption, IAM auth, protection,
    // monitoring and removal. Each engine adds only what is its own.
    const common = {
      vpc: props.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      port,
      parameterGroup,
      credentials,
      storageEncrypted: true,
      storageEncryptionKey: key,
      iamAuthentication: true,
      deletionProtection,
      copyTagsToSnapshot: true,
      monitoringInterval: Duration.seconds(60),
      monitoringRole,
      removalPolicy,
    };
    const instanceSettings = {
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      autoMinorVersionUpgrade: true,
      publiclyAccessible: false,
    };

    let secret: secretsmanager.ISecret;
    if (engine === DatabaseEngine.POSTGRES) {
      const instance = new rds.DatabaseInstance(this, 'Resource', {
        instanceIdentifier: identifier,
        engine: instanceEngine,
        ...common,
        ...instanceSettings,
        allocatedStorage: 20,
        maxAllocatedStorage: 100,
        backupRetention: retention,
        multiAz: props.multiAz ?? false,
        cloudwatchLogsExports: ['postgresql', 'upgrade'],
      });
      secret = instance.secret!;
      this.endpoint = instance.dbInstanceEndpointAddress;
      this.resourceId = instance.instanceResourceId!;
      if (!(props.multiAz ?? false)) acknowledgeSingleAz(instance, 'instance');
      acknowledgeNoBackupPlan(instance);
    } else {
      const cluster = new rds.DatabaseCluster(this, 'Resource', {
        clusterIdentifier: identifier,
        engine: clusterEngine,
        writer: rds.ClusterInstance.provisioned('Writer', instanceSettings),
        readers: props.multiAz ? [rds.ClusterInstance.provisioned('Reader', instanceSettings)] : [],
        ...common,
        backup: { retention },
        cloudwatchLogsExports: ['postgresql'],
      });
      secret = cluster.secret!;
      this.endpoint = cluster.clusterEndpoint.hostname;
      this.resourceId = cluster.clusterResourceIdentifier;
      if (!props.multiAz) acknowledgeSingleAz(cluster, 'cluster');
      acknowledgeNoBackupPlan(cluster);
    }
    // The credentials outlive the database's removal too, with its final snapshot (DATA-05).
    for (const c of this.node.findAll()) {
      if (c instanceof secretsmanager.CfnSecret) c.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.secret = secret;
    this.port = port;
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(port),
    });

    // The hosted rotation function runs in the isolated subnets and reaches the database and
    // Secrets Manager (through the VPC's interface endpoint) only.
    const rotationSg = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: props.vpc,
      description: `${identifier}: password rotation`,
      allowAllOutbound: true,
    });
    this.connections.allowFrom(rotationSg, ec2.Port.tcp(port), 'password rotation');
    (secret as secretsmanager.Secret).addRotationSchedule('Rotation', {
      automaticallyAfter: rotation,
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        vpc: props.vpc,
        vpcSubnets: subnets,
        securityGroups: [rotationSg],
      }),
    });
    recordControls(this, 'DATA-02', 'ENC-01', 'ENC-05', 'LOG-04');
  }

  /**
   * Let `grantee` connect as database user `dbUser` with IAM authentication (`rds-db:connect` on
   * that one user of this database). A role gets it through a customer-managed policy, so the grant
   * raises no inline-policy finding (IAMNoInlinePolicy in the NIST, HIPAA and PCI packs).
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    const stack = Stack.of(this);
    return grantThroughManagedPolicy(grantee, (g) =>
      iam.Grant.addToPrincipal({
        grantee: g,
        actions: ['rds-db:connect'],
        resourceArns: [
          stack.formatArn({
            service: 'rds-db',
            resource: 'dbuser',
            resourceName: `${this.resourceId}/${dbUser}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
  }
}

function acknowledgeSingleAz(db: Construct, what: string): void {
  const reason = `Single-AZ ${what} by configuration (multiAz: false): DATA-02 asks for multi-AZ in prod; dev and test trade the standby for cost.`;
  acknowledge(
    db,
    [
      'AwsSolutions-RDS3',
      ...inFrameworkPacks('RDSMultiAZSupport'),
      'cdk-validator-cfnguard::rds_instance_multi_az_support_check',
    ],
    reason,
  );
}

function acknowledgeNoBackupPlan(db: Construct): void {
  const reason =
    'Automated RDS backups are on (7..35 days, copied with tags). The packs accept only a backup selection in the ' +
    'same stack naming the instance by ARN; the baseline puts the database into the AWS Backup plan ' +
    'security-baseline-<environment> by tag (DATA-03, backup.enabled, on in prod), and SecurityPolicy-' +
    'BackupPlanCoversDatabases checks that a plan of the app selects it.';
  acknowledge(db, inFrameworkPacks('RDSInBackupPlan'), reason);
}
