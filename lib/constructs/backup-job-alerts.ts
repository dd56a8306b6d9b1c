import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { AlertTopicTarget } from './alert-topic-target';
import { childPath, PropErrors } from './errors';
import { SecurityAlerts } from './security-alerts';
import { INCIDENT_CLASSES, IncidentClass } from './severity';

/** One kind of AWS Backup job whose failure is an alert. */
export interface BackupJobFailure {
  /** EventBridge detail type of the job's state changes. */
  readonly detailType: string;
  /** The detail field that carries the job's state (AWS Backup calls it `state` or `status`). */
  readonly stateField: string;
  /** The states that mean the job failed. */
  readonly failedStates: string[];
  /** Words for the alert: `backup`, `copy`, `restore`. */
  readonly job: string;
  /** Detail field with the job's ID, for the console link. */
  readonly idField: string;
}

/**
 * The AWS Backup job failures that are alerts. Restore jobs report `status`, backup and copy jobs
 * `state` (AWS Backup Developer Guide, "Monitoring AWS Backup events using Amazon EventBridge").
 */
export const BACKUP_JOB_FAILURES: readonly BackupJobFailure[] = [
  {
    detailType: 'Backup Job State Change',
    stateField: 'state',
    failedStates: ['FAILED', 'ABORTED', 'EXPIRED'],
    job: 'backup',
    idField: 'backupJobId',
  },
  {
    detailType: 'Copy Job State Change',
    stateField: 'state',
    failedStates: ['FAILED', 'ABORTED'],
    job: 'copy',
    idField: 'copyJobId',
  },
  {
    detailType: 'Restore Job State Change',
    stateField: 'status',
    failedStates: ['FAILED', 'ABORTED'],
    job: 'restore',
    idField: 'restoreJobId',
  },
];

export interface BackupJobAlertsProps {
  /** Where alerts go: the topic of `incidentClass`. */
  readonly alerts: SecurityAlerts;

  /**
   * The incident class of a failed backup, copy or restore job (a backup that did not happen or a
   * restore that did not work is a recovery risk the policy treats as High).
   * @default IncidentClass.HIGH
   */
  readonly incidentClass?: IncidentClass;
}

/**
 * Failed AWS Backup jobs as alerts (DATA-03, DATA-04, ALR-02): EventBridge rules on AWS Backup's
 * backup, copy and restore job state changes deliver a readable message (job, state, resource, vault,
 * AWS Backup's reason, console link) to the SecurityAlerts topic of one class, High by default.
 *
 * AWS Backup events are regional and cover every vault of the account in that region: create one
 * BackupJobAlerts per account and region that runs backups.
 */
export class BackupJobAlerts extends Construct {
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: BackupJobAlertsProps) {
    super(scope, id);
    const incidentClass = props.incidentClass ?? IncidentClass.HIGH;
    const errors = new PropErrors('BackupJobAlerts', childPath(scope.node.path, id));
    if (!INCIDENT_CLASSES.includes(incidentClass))
      errors.add('incidentClass', incidentClass, `one of ${INCIDENT_CLASSES.join(', ')}`);
    errors.throwIfAny();

    this.rules = BACKUP_JOB_FAILURES.map(
      (failure) =>
        new events.Rule(this, `${title(failure.job)}JobFailed`, {
          description: `AWS Backup ${failure.job} jobs that end ${failure.failedStates.join(', ')}: ${incidentClass}`,
          eventPattern: backupJobFailurePattern(failure),
          targets: [
            new AlertTopicTarget(props.alerts, incidentClass, backupJobMessage(failure, incidentClass)),
          ],
        }),
    );
    recordControls(this, 'ALR-01', 'ALR-02');
  }
}

/** The EventBridge pattern of one kind of failed job. */
export function backupJobFailurePattern(failure: BackupJobFailure): events.EventPattern {
  return {
    source: ['aws.backup'],
    detailType: [failure.detailType],
    detail: { [failure.stateField]: failure.failedStates },
  };
}

function backupJobMessage(failure: BackupJobFailure, c: IncidentClass): events.RuleTargetInput {
  const e = events.EventField;
  return events.RuleTargetInput.fromMultilineText(
    [
      `[${c}] AWS Backup ${failure.job} job ${e.fromPath(`$.detail.${failure.stateField}`)}`,
      `Resource: ${e.fromPath('$.detail.resourceType')} ${e.fromPath('$.resources[0]')}`,
      ...(failure.job === 'restore' ? [] : [`Vault: ${e.fromPath('$.detail.backupVaultName')}`]),
      `Reason: ${e.fromPath('$.detail.statusMessage')}`,
      'Without working backups and restores the data cannot be recovered (controls DATA-03, DATA-04).',
      `Account ${e.account}, region ${e.region}`,
      `Console: https://console.aws.amazon.com/backup/home?region=${e.region}#/jobs/${failure.job}/details/${e.fromPath(`$.detail.${failure.idField}`)}`,
    ].join('\n'),
  );
}

function title(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
