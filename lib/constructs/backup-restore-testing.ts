import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { childPath, PropErrors } from './errors';
import { BACKUP_TAG_KEY, BACKUPABLE_TYPES, BaselineBackup, daysOf } from './secure-backup';

/** The resource types AWS Backup restore testing can restore that BaselineBackup backs up. */
export const RESTORE_TEST_RESOURCE_TYPES: readonly string[] = [...new Set(Object.values(BACKUPABLE_TYPES))];

export interface BackupRestoreTestingProps {
  /** The backup plan whose recovery points are restored and checked. */
  readonly backup: BaselineBackup;

  /**
   * When restore tests run.
   * @default events.Schedule.cron({ weekDay: 'SUN', hour: '6', minute: '0' }) - 06:00 UTC every Sunday
   */
  readonly schedule?: events.Schedule;

  /**
   * Resource types to restore, from `RESTORE_TEST_RESOURCE_TYPES` (`S3`, `RDS`, `Aurora`,
   * `DynamoDB`, `EFS`). A type with no tagged resource costs nothing.
   * @default RESTORE_TEST_RESOURCE_TYPES
   */
  readonly resourceTypes?: string[];

  /**
   * How long a restored copy is kept for validation before AWS Backup deletes it (0..168 hours).
   * @default Duration.hours(1)
   */
  readonly validationWindow?: Duration;

  /**
   * Restore tests pick the latest recovery point created within this window (1..365 days).
   * @default Duration.days(7)
   */
  readonly recoveryPointWindow?: Duration;
}

/**
 * Restores are tested on a schedule (DATA-04): an AWS Backup restore testing plan that restores the
 * latest recovery point of each protected resource type from the plan's vault, and selections of the
 * resources tagged `security-baseline:backup=<plan>` (which includes those added to the plan
 * explicitly). AWS Backup deletes each restored copy when the validation window ends. Failed
 * restores reach the alert topics through BackupJobAlerts.
 */
export class BackupRestoreTesting extends Construct {
  public readonly plan: backup.CfnRestoreTestingPlan;
  public readonly selections: backup.CfnRestoreTestingSelection[];
  /** The role AWS Backup assumes to restore (and then delete) the test copies. */
  public readonly restoreRole: iam.Role;

  constructor(scope: Construct, id: string, props: BackupRestoreTestingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const types = props.resourceTypes ?? [...RESTORE_TEST_RESOURCE_TYPES];
    const validation = props.validationWindow ?? Duration.hours(1);
    const window = props.recoveryPointWindow ?? Duration.days(7);

    const errors = new PropErrors('BackupRestoreTesting', childPath(scope.node.path, id));
    types.forEach((t, i) => {
      if (!RESTORE_TEST_RESOURCE_TYPES.includes(t))
        errors.add(`resourceTypes[${i}]`, t, `one of ${RESTORE_TEST_RESOURCE_TYPES.join(', ')}`);
    });
    if (types.length === 0) errors.add('resourceTypes', types, 'name at least one resource type');
    if (new Set(types).size !== types.length) errors.add('resourceTypes', types, 'each type once');
    if (!validation.isUnresolved()) {
      const hours = validation.toHours({ integral: false });
      if (!Number.isInteger(hours) || hours < 0 || hours > 168)
        errors.add('validationWindow', validation, 'AWS Backup keeps restored copies 0..168 whole hours');
    }
    const windowDays = daysOf(window);
    if (windowDays !== undefined && (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 365))
      errors.add('recoveryPointWindow', window, '1..365 whole days');
    errors.throwIfAny();

    // Restore testing names allow letters, digits and '_' only, at most 50 characters.
    const name = Names.uniqueResourceName(this, { maxLength: 50, separator: '_' }).replace(
      /[^A-Za-z0-9_]/g,
      '_',
    );
    this.plan = new backup.CfnRestoreTestingPlan(this, 'Resource', {
      restoreTestingPlanName: name,
      scheduleExpression: (props.schedule ?? events.Schedule.cron({ weekDay: 'SUN', hour: '6', minute: '0' }))
        .expressionString,
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [props.backup.vault.backupVaultArn],
        recoveryPointTypes: props.backup.continuousBackup ? ['SNAPSHOT', 'CONTINUOUS'] : ['SNAPSHOT'],
        selectionWindowDays: windowDays ?? 7,
      },
    });

    const managed = [
      'service-role/AWSBackupServiceRolePolicyForRestores',
      'AWSBackupServiceRolePolicyForS3Restore',
    ];
    this.restoreRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `AWS Backup restores and deletes test copies of plan ${props.backup.planName}`,
      managedPolicies: managed.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
    acknowledge(
      this.restoreRole,
      managed.map((p) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`),
      'AWS Backup\'s documented restore service-role policies (Developer Guide, "Managed policies for AWS Backup"), ' +
        'which include deleting the copies restore testing creates; the role is assumable only by AWS Backup for this account.',
    );

    this.selections = types.map(
      (type) =>
        new backup.CfnRestoreTestingSelection(this, `${type}Selection`, {
          restoreTestingPlanName: this.plan.restoreTestingPlanName,
          restoreTestingSelectionName:
            `${type.toLowerCase()}_${props.backup.planName.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 50),
          protectedResourceType: type,
          iamRoleArn: this.restoreRole.roleArn,
          protectedResourceArns: ['*'],
          protectedResourceConditions: {
            stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG_KEY}`, value: props.backup.tagValue }],
          },
          validationWindowHours: validation.toHours(),
        }),
    );
    for (const s of this.selections) s.addResourceDependency(this.plan);
    recordControls(this, 'DATA-04');
  }
}
