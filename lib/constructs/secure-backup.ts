import {
  Annotations,
  ArnFormat,
  CfnResource,
  Duration,
  Lazy,
  Names,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
} from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { recordControls, warnWeakened } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors } from './errors';
import { uniqueLowerName } from './unique-name';

/** The tag that puts a resource into a BaselineBackup plan: `security-baseline:backup=<plan name>`. */
export const BACKUP_TAG_KEY = 'security-baseline:backup';

/** AWS Backup keeps continuous (point-in-time) backups for at most 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** AWS Backup Vault Lock: compliance mode takes effect after a cooling-off period of at least 3 days. */
export const MIN_LOCK_COOLING_OFF_DAYS = 3;

/** How AWS Backup Vault Lock protects the recovery points in a vault. */
export enum BackupVaultLockMode {
  /**
   * Vault Lock without a lock date (no `ChangeableForDays`): backup and copy jobs must keep recovery
   * points within the retention bounds, and principals with `backup:DeleteBackupVaultLockConfiguration`
   * can still remove the lock. Reversible.
   */
  GOVERNANCE = 'GOVERNANCE',
  /**
   * Vault Lock with a lock date (`ChangeableForDays`): after the cooling-off period nobody, not even
   * the root user or AWS, can remove the lock, shorten retention or delete the vault while it holds
   * recovery points. **Irreversible.**
   */
  COMPLIANCE = 'COMPLIANCE',
  /** No Vault Lock. Weakens DATA-03 and adds a warning. */
  NONE = 'NONE',
}

export interface SecureBackupVaultProps {
  /**
   * The customer-managed key that encrypts recovery points (ENC-01).
   * @default - a new BaselineKey for this vault, alias `security-baseline/<unique id>`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The vault's name (2..50 letters, digits, `-` and `_`).
   * @default - generated from the construct path
   */
  readonly backupVaultName?: string;

  /**
   * The one role that may delete recovery points or shorten their lifecycle before they expire
   * (a break-glass role, assumed only in an emergency). The vault's access policy denies
   * `backup:DeleteRecoveryPoint` and `backup:UpdateRecoveryPointLifecycle` to every other principal.
   * @default - nobody: recovery points leave the vault only when their retention ends
   */
  readonly breakGlassRole?: iam.IRole;

  /**
   * Vault Lock mode. COMPLIANCE is irreversible once its cooling-off period has passed.
   * @default BackupVaultLockMode.GOVERNANCE
   */
  readonly lockMode?: BackupVaultLockMode;

  /**
   * Vault Lock: the shortest retention a backup or copy job into this vault may ask for (1..36500 days).
   * @default Duration.days(7)
   */
  readonly minRetention?: Duration;

  /**
   * Vault Lock: the longest retention a backup or copy job into this vault may ask for.
   * @default - no maximum
   */
  readonly maxRetention?: Duration;

  /**
   * COMPLIANCE mode only: how long after deployment the lock can still be changed or removed
   * (at least 3 days). After that it is permanent.
   * @default Duration.days(3)
   */
  readonly lockCoolingOffPeriod?: Duration;
}

/**
 * An AWS Backup vault for the baseline's recovery points (DATA-03): encrypted with a
 * customer-managed key (ENC-01), an access policy that denies deleting recovery points or
 * shortening their lifecycle to everyone but one named break-glass role, AWS Backup Vault Lock
 * (governance mode by default, compliance mode on request), and retained when its stack is deleted
 * or the resource replaced (DATA-05).
 */
export class SecureBackupVault extends Construct {
  public readonly vault: backup.BackupVault;
  public readonly encryptionKey: kms.IKey;
  public readonly backupVaultName: string;
  public readonly backupVaultArn: string;
  public readonly lockMode: BackupVaultLockMode;
  /** Vault Lock's minimum retention (undefined without a lock). */
  public readonly lockMinRetention?: Duration;
  /** Vault Lock's maximum retention (undefined without a lock or maximum). */
  public readonly lockMaxRetention?: Duration;

  constructor(scope: Construct, id: string, props: SecureBackupVaultProps = {}) {
    super(scope, id);
    const lockMode = props.lockMode ?? BackupVaultLockMode.GOVERNANCE;
    const minRetention = props.minRetention ?? Duration.days(7);
    const coolingOff = props.lockCoolingOffPeriod ?? Duration.days(MIN_LOCK_COOLING_OFF_DAYS);

    const errors = new PropErrors('SecureBackupVault', childPath(scope.node.path, id));
    if (!Object.values(BackupVaultLockMode).includes(lockMode)) {
      errors.add('lockMode', lockMode, `one of ${Object.values(BackupVaultLockMode).join(', ')}`);
    }
    wholeDays(errors, 'minRetention', minRetention, 1, 36500, 'Vault Lock retention is 1..36500 whole days');
    if (props.maxRetention) {
      wholeDays(
        errors,
        'maxRetention',
        props.maxRetention,
        1,
        36500,
        'Vault Lock retention is 1..36500 whole days',
      );
      if (daysOf(props.maxRetention) !== undefined && daysOf(minRetention) !== undefined) {
        if (daysOf(props.maxRetention)! < daysOf(minRetention)!) {
          errors.add(
            'maxRetention',
            props.maxRetention,
            `must not be shorter than minRetention (${daysOf(minRetention)} days)`,
          );
        }
      }
    }
    if (props.lockCoolingOffPeriod && lockMode !== BackupVaultLockMode.COMPLIANCE) {
      errors.add(
        'lockCoolingOffPeriod',
        props.lockCoolingOffPeriod,
        'only COMPLIANCE mode has a cooling-off period',
      );
    }
    wholeDays(
      errors,
      'lockCoolingOffPeriod',
      coolingOff,
      MIN_LOCK_COOLING_OFF_DAYS,
      36500,
      'AWS Backup enforces a cooling-off period of at least 3 whole days',
    );
    if (
      props.backupVaultName !== undefined &&
      !Token.isUnresolved(props.backupVaultName) &&
      !/^[a-zA-Z0-9\-_]{2,50}$/.test(props.backupVaultName)
    ) {
      errors.add('backupVaultName', props.backupVaultName, "2..50 letters, digits, '-' or '_'");
    }
    errors.throwIfAny();

    const uniqueId = uniqueLowerName(this);
    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${uniqueId}`,
        description: `cdk-security-baseline: encrypts recovery points in backup vault ${this.node.path}`,
      });

    const locked = lockMode !== BackupVaultLockMode.NONE;
    this.lockMode = lockMode;
    this.lockMinRetention = locked ? minRetention : undefined;
    this.lockMaxRetention = locked ? props.maxRetention : undefined;
    this.vault = new backup.BackupVault(this, 'Resource', {
      backupVaultName: props.backupVaultName,
      encryptionKey: this.encryptionKey,
      // DATA-05: the vault and its recovery points outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: locked
        ? {
            minRetention,
            maxRetention: props.maxRetention,
            changeableFor: lockMode === BackupVaultLockMode.COMPLIANCE ? coolingOff : undefined,
          }
        : undefined,
    });
    const breakGlass = props.breakGlassRole;
    this.vault.addToAccessPolicy(
      new iam.PolicyStatement({
        sid: breakGlass ? 'DenyRecoveryPointDeletionExceptBreakGlass' : 'DenyRecoveryPointDeletion',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        resources: ['*'],
        conditions: breakGlass ? { ArnNotEquals: { 'aws:PrincipalArn': breakGlass.roleArn } } : undefined,
      }),
    );
    this.backupVaultName = this.vault.backupVaultName;
    this.backupVaultArn = this.vault.backupVaultArn;

    if (lockMode === BackupVaultLockMode.NONE) {
      warnWeakened(
        this,
        'DATA-03',
        'lockMode is NONE: the backup vault has no Vault Lock, so a privileged principal can delete recovery points early',
      );
    } else if (lockMode === BackupVaultLockMode.COMPLIANCE) {
      Annotations.of(this).addWarningV2(
        'cdk-security-baseline:irreversible:DATA-03',
        `[DATA-03 irreversible] Vault Lock in COMPLIANCE mode becomes permanent ${daysOf(coolingOff) ?? 'some'} day(s) after ` +
          'deployment: from then on nobody (not the root user, not AWS) can remove the lock, shorten retention ' +
          'or delete the vault until every recovery point in it has expired. Storage is billed until then.',
      );
    }
    recordControls(this, 'ENC-01', 'DATA-05');
  }
}

export interface BaselineBackupProps {
  /**
   * The plan's name. Resources tagged `security-baseline:backup=<planName>` are backed up by it
   * (letters, digits, `-`, `_` and `.`, 1..50).
   * @default 'baseline'
   */
  readonly planName?: string;

  /**
   * The vault recovery points go to.
   * @default - a new SecureBackupVault (governance-mode Vault Lock, minimum retention 7 days)
   */
  readonly vault?: SecureBackupVault;

  /**
   * When the daily backup runs.
   * @default events.Schedule.cron({ hour: '3', minute: '0' }) - 03:00 UTC every day
   */
  readonly dailySchedule?: events.Schedule;

  /**
   * How long daily recovery points are kept (DATA-05).
   * @default Duration.days(35)
   */
  readonly dailyRetention?: Duration;

  /**
   * When the monthly backup runs.
   * @default events.Schedule.cron({ day: '1', hour: '4', minute: '0' }) - 04:00 UTC on the 1st
   */
  readonly monthlySchedule?: events.Schedule;

  /**
   * How long monthly recovery points are kept (DATA-05).
   * @default Duration.days(365)
   */
  readonly monthlyRetention?: Duration;

  /**
   * Add a continuous-backup rule (point-in-time restore) for the resource types that support it
   * (Amazon RDS, Aurora, S3); other types get snapshots from the daily and monthly rules only.
   * @default true
   */
  readonly continuousBackup?: boolean;

  /**
   * How long continuous backups reach back, 1..35 days.
   * @default Duration.days(35)
   */
  readonly continuousRetention?: Duration;

  /**
   * A vault in another region (or account) that receives a copy of every daily and monthly recovery
   * point (DATA-03 in prod). Import one with `backup.BackupVault.fromBackupVaultArn`.
   * @default - no copy
   */
  readonly copyTo?: backup.IBackupVault;

  /**
   * How long copies are kept in `copyTo`.
   * @default - as long as the originals (dailyRetention, monthlyRetention)
   */
  readonly copyRetention?: Duration;

  /**
   * Also back up every resource tagged `security-baseline:backup=<planName>`, not only those added
   * with `resources`/`addResource`.
   * @default true
   */
  readonly selectByTag?: boolean;

  /**
   * Constructs whose backupable resources (S3 buckets, RDS instances and clusters, DynamoDB tables,
   * EFS file systems) this plan backs up. Same as calling `addResource` for each.
   * @default - none (tag selection only)
   */
  readonly resources?: IConstruct[];
}

/** CloudFormation types this construct can back up, with the AWS Backup restore-testing type of each. */
export const BACKUPABLE_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'S3',
  'AWS::RDS::DBInstance': 'RDS',
  'AWS::RDS::DBCluster': 'Aurora',
  'AWS::DynamoDB::Table': 'DynamoDB',
  'AWS::EFS::FileSystem': 'EFS',
};

/**
 * Scheduled, encrypted, locked backups (DATA-03): an AWS Backup plan with a daily and a monthly rule
 * (and, by default, a continuous-backup rule for point-in-time restore of RDS, Aurora and S3) into a
 * SecureBackupVault, an optional copy of every daily and monthly recovery point to a vault in another
 * region, and a selection of the resources tagged `security-baseline:backup=<planName>` plus those
 * added explicitly (which are tagged too, so restore testing finds them).
 */
export class BaselineBackup extends Construct {
  public readonly plan: backup.BackupPlan;
  public readonly vault: SecureBackupVault;
  public readonly planName: string;
  /** The tag value that selects resources for this plan (`security-baseline:backup=<planName>`). */
  public readonly tagValue: string;
  /** Whether the plan keeps continuous backups (restore tests may then pick continuous recovery points). */
  public readonly continuousBackup: boolean;
  /** The role AWS Backup assumes to back up the selected resources. */
  public readonly backupRole: iam.Role;
  private readonly selectionArns: string[] = [];

  constructor(scope: Construct, id: string, props: BaselineBackupProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.planName = props.planName ?? 'baseline';
    this.tagValue = this.planName;
    this.continuousBackup = props.continuousBackup ?? true;
    const daily = props.dailyRetention ?? Duration.days(35);
    const monthly = props.monthlyRetention ?? Duration.days(365);
    const continuous = props.continuousRetention ?? Duration.days(MAX_CONTINUOUS_RETENTION_DAYS);

    const errors = new PropErrors('BaselineBackup', childPath(scope.node.path, id));
    if (!/^[A-Za-z0-9_.-]{1,50}$/.test(this.planName)) {
      errors.add('planName', this.planName, "1..50 letters, digits, '-', '_' or '.'");
    }
    wholeDays(errors, 'dailyRetention', daily, 1, 36500, 'keep recovery points 1..36500 whole days');
    wholeDays(errors, 'monthlyRetention', monthly, 1, 36500, 'keep recovery points 1..36500 whole days');
    if (props.copyRetention)
      wholeDays(errors, 'copyRetention', props.copyRetention, 1, 36500, 'keep copies 1..36500 whole days');
    if (props.continuousRetention !== undefined && !this.continuousBackup) {
      errors.add('continuousRetention', props.continuousRetention, 'set only with continuousBackup: true');
    }
    wholeDays(
      errors,
      'continuousRetention',
      continuous,
      1,
      MAX_CONTINUOUS_RETENTION_DAYS,
      'AWS Backup keeps continuous backups 1..35 whole days',
    );
    if (props.copyRetention && !props.copyTo) {
      errors.add('copyRetention', props.copyRetention, 'set only together with copyTo');
    }
    const destRegion = props.copyTo?.env.region;
    if (destRegion !== undefined && !Token.isUnresolved(destRegion) && !Token.isUnresolved(stack.region)) {
      if (destRegion === stack.region) {
        errors.add(
          'copyTo',
          props.copyTo!.backupVaultArn,
          `the copy must go to another region than ${stack.region} (DATA-03)`,
        );
      }
    }
    // Vault Lock fails every job whose retention lies outside its bounds: catch that now, not at 03:00.
    const vault = props.vault;
    const rules: [string, Duration | undefined][] = [
      ['dailyRetention', daily],
      ['monthlyRetention', monthly],
      ['continuousRetention', this.continuousBackup ? continuous : undefined],
    ];
    for (const [name, retention] of rules) {
      const days = retention && daysOf(retention);
      if (days === undefined || !vault) continue;
      const min = vault.lockMinRetention && daysOf(vault.lockMinRetention);
      const max = vault.lockMaxRetention && daysOf(vault.lockMaxRetention);
      if (min !== undefined && days < min)
        errors.add(
          name,
          retention,
          `the vault's Vault Lock requires at least ${min} days; every such job would fail`,
        );
      if (max !== undefined && days > max)
        errors.add(
          name,
          retention,
          `the vault's Vault Lock allows at most ${max} days; every such job would fail`,
        );
    }
    errors.throwIfAny();

    this.vault =
      vault ??
      new SecureBackupVault(this, 'Vault', {
        // The lock's floor never exceeds the shortest rule (a rule shorter than 7 days lowers it).
        minRetention: Duration.days(Math.min(7, ...rules.map(([, r]) => (r && daysOf(r)) ?? 7))),
      });

    const copyActions = (retention: Duration): backup.BackupPlanCopyActionProps[] =>
      props.copyTo
        ? [{ destinationBackupVault: props.copyTo, deleteAfter: props.copyRetention ?? retention }]
        : [];
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${this.planName}-${Names.uniqueResourceName(this, { maxLength: 40, separator: '-' })}`,
      backupVault: this.vault.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: props.dailySchedule ?? events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: daily,
          copyActions: copyActions(daily),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression:
            props.monthlySchedule ?? events.Schedule.cron({ day: '1', hour: '4', minute: '0' }),
          deleteAfter: monthly,
          copyActions: copyActions(monthly),
        }),
        ...(this.continuousBackup
          ? [
              new backup.BackupPlanRule({
                ruleName: 'Continuous',
                scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
                enableContinuousBackup: true,
                deleteAfter: continuous,
              }),
            ]
          : []),
      ],
    });

    // AWS Backup's own service-role policies: AWS keeps them current as services gain backup support.
    const managed = [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'AWSBackupServiceRolePolicyForS3Backup',
    ];
    this.backupRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `AWS Backup backs up the resources of plan ${this.planName}`,
      managedPolicies: managed.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    acknowledge(
      this.backupRole,
      managed.map((p) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`),
      'AWS Backup\'s documented service-role policies (Developer Guide, "Managed policies for AWS Backup"): AWS ' +
        'maintains them as services gain backup support; the role is assumable only by AWS Backup for this account.',
    );

    const selectByTag = props.selectByTag ?? true;
    new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: `${this.planName}-resources`,
        iamRoleArn: this.backupRole.roleArn,
        listOfTags: selectByTag
          ? [{ conditionType: 'STRINGEQUALS', conditionKey: BACKUP_TAG_KEY, conditionValue: this.tagValue }]
          : undefined,
        // Resolved at synthesis, so resources added after construction are included.
        resources: Lazy.list({ produce: () => this.selectionArns }, { omitEmpty: true }),
      },
    });
    this.node.addValidation({
      validate: () =>
        !selectByTag && this.selectionArns.length === 0
          ? [
              `BaselineBackup at '${this.node.path}': selectByTag is false and no resource was added; the plan would back up nothing`,
            ]
          : [],
    });
    for (const c of props.resources ?? []) this.addResource(c);
    recordControls(this, 'DATA-03', 'DATA-05');
  }

  /**
   * Put the backupable resources in `construct` and below it (S3 buckets, RDS instances and
   * clusters, DynamoDB tables, EFS file systems) into the plan named `planName` of their account and
   * region, by tagging each `security-baseline:backup=<planName>`. Unlike `addResource` it needs no
   * reference to the plan, so it works for resources in another stack. Throws if there is nothing
   * to back up.
   */
  public static tagForBackup(construct: IConstruct, planName: string): void {
    for (const cfn of backupable(construct, 'BaselineBackup.tagForBackup'))
      Tags.of(cfn).add(BACKUP_TAG_KEY, planName);
  }

  /**
   * Back up the backupable resources in `construct` and below it (S3 buckets, RDS instances and
   * clusters, DynamoDB tables, EFS file systems), selected by ARN and also tagged
   * `security-baseline:backup=<planName>` (for restore testing). Pass `secureBucket.bucket` rather
   * than the SecureBucket to leave its access-log bucket out. Throws if there is nothing to back up.
   * For resources in a stack of another region use `BaselineBackup.tagForBackup` there instead.
   */
  public addResource(construct: IConstruct): void {
    for (const cfn of backupable(construct, this.node.path)) {
      this.selectionArns.push(backupArnOf(cfn));
      Tags.of(cfn).add(BACKUP_TAG_KEY, this.tagValue);
    }
  }
}

/** The resources AWS Backup can back up in `construct` and below it; throws if there are none. */
function backupable(construct: IConstruct, where: string): CfnResource[] {
  const found = construct.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType in BACKUPABLE_TYPES)
    // An instance in an Aurora cluster is backed up with its cluster.
    .filter((c) => !(c instanceof rds.CfnDBInstance && c.dbClusterIdentifier !== undefined));
  if (found.length === 0) {
    const errors = new PropErrors('BaselineBackup', where);
    errors.add(
      'addResource',
      construct.node.path,
      `holds nothing AWS Backup can back up here (${Object.keys(BACKUPABLE_TYPES).join(', ')})`,
    );
    errors.throwIfAny();
  }
  return found;
}

/** The ARN AWS Backup knows a resource by. */
function backupArnOf(cfn: CfnResource): string {
  const stack = Stack.of(cfn);
  switch (cfn.cfnResourceType) {
    case 'AWS::S3::Bucket':
      return stack.formatArn({ service: 's3', region: '', account: '', resource: cfn.ref });
    case 'AWS::RDS::DBInstance':
      return stack.formatArn({
        service: 'rds',
        resource: 'db',
        resourceName: cfn.ref,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    case 'AWS::RDS::DBCluster':
      return stack.formatArn({
        service: 'rds',
        resource: 'cluster',
        resourceName: cfn.ref,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    case 'AWS::DynamoDB::Table':
      return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: cfn.ref });
    default:
      return stack.formatArn({
        service: 'elasticfilesystem',
        resource: 'file-system',
        resourceName: cfn.ref,
      });
  }
}

/** Whole days of a resolved duration, or undefined for a token. */
export function daysOf(d: Duration): number | undefined {
  return d.isUnresolved() ? undefined : d.toDays({ integral: false });
}

function wholeDays(
  errors: PropErrors,
  path: string,
  d: Duration,
  min: number,
  max: number,
  allowed: string,
): void {
  const days = daysOf(d);
  if (days !== undefined && (!Number.isInteger(days) || days < min || days > max))
    errors.add(path, d, allowed);
}
