import { Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { recordControls, warnWeakened } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { encryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';

/** Policy 003: "Security patches: within 24 hours of release". */
export const POLICY_PATCH_APPROVAL_DAYS = 1;

/** The tag key AWS-RunPatchBaseline reads to find an instance's patch baseline (its patch group). */
export const PATCH_GROUP_TAG = 'PatchGroup';

/** Operating systems PatchManagement writes a security baseline for. */
export enum PatchOperatingSystem {
  AMAZON_LINUX_2023 = 'AMAZON_LINUX_2023',
  AMAZON_LINUX_2 = 'AMAZON_LINUX_2',
  REDHAT_ENTERPRISE_LINUX = 'REDHAT_ENTERPRISE_LINUX',
  WINDOWS = 'WINDOWS',
}

/** The patch filters that select security patches on each operating system. */
const SECURITY_FILTERS: Record<PatchOperatingSystem, { key: string; values: string[] }[]> = {
  AMAZON_LINUX_2023: [
    { key: 'CLASSIFICATION', values: ['Security'] },
    { key: 'SEVERITY', values: ['Critical', 'Important', 'Medium', 'Low'] },
  ],
  AMAZON_LINUX_2: [
    { key: 'CLASSIFICATION', values: ['Security'] },
    { key: 'SEVERITY', values: ['Critical', 'Important', 'Medium', 'Low'] },
  ],
  REDHAT_ENTERPRISE_LINUX: [
    { key: 'CLASSIFICATION', values: ['Security'] },
    { key: 'SEVERITY', values: ['Critical', 'Important', 'Moderate', 'Low'] },
  ],
  WINDOWS: [
    { key: 'CLASSIFICATION', values: ['SecurityUpdates', 'CriticalUpdates'] },
    { key: 'MSRC_SEVERITY', values: ['Critical', 'Important', 'Moderate', 'Low', 'Unspecified'] },
  ],
};

export interface PatchManagementProps {
  /**
   * Instances tagged `PatchGroup=<patchGroup>` are scanned daily and patched in the maintenance
   * window, with this construct's baseline for their operating system.
   * @default 'security-baseline'
   */
  readonly patchGroup?: string;

  /**
   * Operating systems to write a security patch baseline for.
   * @default - every PatchOperatingSystem
   */
  readonly operatingSystems?: PatchOperatingSystem[];

  /**
   * Days after release a security patch is approved, 0..360. More than 1 weakens OPS-01 (policy
   * 003: within 24 hours) and adds a warning.
   * @default 0
   */
  readonly approveAfterDays?: number;

  /**
   * When the maintenance window opens (an SSM `cron(...)` or `rate(...)` expression), in
   * `scheduleTimezone`. It must open at least daily for approved patches to be installed within a
   * day.
   * @default 'cron(0 3 ? * * *)' - daily at 03:00
   */
  readonly schedule?: string;

  /**
   * IANA time zone of `schedule`.
   * @default 'Etc/UTC'
   */
  readonly scheduleTimezone?: string;

  /**
   * How long the window stays open, in hours (1..24); no new patching starts in its last hour.
   * @default 3
   */
  readonly windowHours?: number;

  /**
   * Key for the log group that receives the patch runs' output.
   * @default - a new BaselineKey, alias `security-baseline/<stack>/patching`
   */
  readonly encryptionKey?: BaselineKey;
}

/**
 * Patching (OPS-01, opt-in; policy 003 "Regular security patches and updates", "Security patches:
 * within 24 hours of release"): one SSM patch baseline per operating system that approves security
 * patches (all severities) `approveAfterDays` after release (0 by default) and nothing else,
 * registered for the patch group `patchGroup`; a State Manager association that scans every tagged
 * instance daily (patch compliance, visible in Systems Manager and to baseline-audit); and a daily
 * maintenance window that installs approved patches (`AWS-RunPatchBaseline`, reboot if needed), 10%
 * of the instances at a time, with output to a KMS-encrypted log group kept a year.
 *
 * Instances join by tag: `PatchGroup=<patchGroup>`; they need the SSM agent and an instance role
 * with `AmazonSSMManagedInstanceCore` (and permission to write to the log group). Ubuntu and
 * Debian are not covered: their baselines cannot delay approval by days.
 */
export class PatchManagement extends Construct {
  private readonly baselines = new Map<PatchOperatingSystem, ssm.CfnPatchBaseline>();
  public readonly maintenanceWindow: ssm.CfnMaintenanceWindow;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PatchManagementProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const group = props.patchGroup ?? 'security-baseline';
    const systems = props.operatingSystems ?? Object.values(PatchOperatingSystem);
    const days = props.approveAfterDays ?? 0;
    const schedule = props.schedule ?? 'cron(0 3 ? * * *)';
    const hours = props.windowHours ?? 3;
    const errors = new PropErrors('PatchManagement', childPath(scope.node.path, id));
    if (!Token.isUnresolved(group) && !/^[\w.:/=+@-]{1,256}$/.test(group))
      errors.add('patchGroup', group, 'a tag value: 1..256 letters, digits and _.:/=+@-');
    if (systems.length === 0) errors.add('operatingSystems', systems, 'at least one operating system');
    systems.forEach((os, i) => {
      if (!Object.values(PatchOperatingSystem).includes(os))
        errors.add(`operatingSystems[${i}]`, os, `one of ${Object.values(PatchOperatingSystem).join(', ')}`);
    });
    if (new Set(systems).size !== systems.length)
      errors.add('operatingSystems', systems, 'each operating system once');
    if (!Number.isInteger(days) || days < 0 || days > 360)
      errors.add('approveAfterDays', days, 'a whole number of days, 0..360');
    if (!Token.isUnresolved(schedule) && !/^(cron|rate)\(.+\)$/.test(schedule))
      errors.add('schedule', schedule, 'an SSM schedule expression, cron(...) or rate(...)');
    if (!Number.isInteger(hours) || hours < 1 || hours > 24)
      errors.add('windowHours', hours, 'a whole number of hours, 1..24');
    errors.throwIfAny();
    if (days > POLICY_PATCH_APPROVAL_DAYS)
      warnWeakened(
        this,
        'OPS-01',
        `approveAfterDays is ${days}; policy 003 installs security patches within 24 hours of release`,
      );

    for (const os of systems) {
      const baseline = new ssm.CfnPatchBaseline(this, `Baseline${pascal(os)}`, {
        name: `${stack.stackName}-${os}-security`.slice(0, 128),
        description: `OPS-01: security patches approved ${days} day(s) after release (cdk-security-baseline)`,
        operatingSystem: os,
        approvalRules: {
          patchRules: [
            {
              approveAfterDays: days,
              complianceLevel: 'CRITICAL',
              enableNonSecurity: false,
              patchFilterGroup: {
                patchFilters: SECURITY_FILTERS[os].map((f) => ({ key: f.key, values: f.values })),
              },
            },
          ],
        },
        patchGroups: [group],
      });
      this.baselines.set(os, baseline);
    }

    const target = [{ key: `tag:${PATCH_GROUP_TAG}`, values: [group] }];
    // Daily scan: patch compliance of every tagged instance, whether or not the window has run.
    new ssm.CfnAssociation(this, 'DailyScan', {
      name: 'AWS-RunPatchBaseline',
      associationName: `${stack.stackName}-patch-scan`.slice(0, 128),
      parameters: { Operation: ['Scan'] },
      scheduleExpression: 'rate(1 day)',
      targets: target,
      complianceSeverity: 'CRITICAL',
    });

    this.maintenanceWindow = new ssm.CfnMaintenanceWindow(this, 'Window', {
      name: `${stack.stackName}-patching`.slice(0, 128),
      description: 'OPS-01: installs approved security patches on instances of the patch group',
      schedule,
      scheduleTimezone: props.scheduleTimezone ?? 'Etc/UTC',
      duration: hours,
      cutoff: Math.min(1, hours - 1),
      allowUnassociatedTargets: false,
    });
    const windowTarget = new ssm.CfnMaintenanceWindowTarget(this, 'WindowTarget', {
      windowId: this.maintenanceWindow.ref,
      resourceType: 'INSTANCE',
      targets: target,
      description: `Instances tagged ${PATCH_GROUP_TAG}=${group}`,
    });
    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/patching`,
        description: 'cdk-security-baseline: encrypts the output of patch runs',
      });
    this.logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/security-baseline/patching/${stack.stackName}`,
      encryptionKey: key,
    });
    new ssm.CfnMaintenanceWindowTask(this, 'InstallPatches', {
      windowId: this.maintenanceWindow.ref,
      taskType: 'RUN_COMMAND',
      taskArn: 'AWS-RunPatchBaseline',
      priority: 1,
      maxConcurrency: '10%',
      maxErrors: '10%',
      targets: [{ key: 'WindowTargetIds', values: [windowTarget.ref] }],
      taskInvocationParameters: {
        maintenanceWindowRunCommandParameters: {
          parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
          cloudWatchOutputConfig: {
            cloudWatchOutputEnabled: true,
            cloudWatchLogGroupName: this.logGroup.logGroupName,
          },
        },
      },
    });
    recordControls(this, 'OPS-01', 'LOG-04');
  }

  /** The patch baseline of one operating system (one of `operatingSystems`). */
  public baseline(os: PatchOperatingSystem): ssm.CfnPatchBaseline {
    const baseline = this.baselines.get(os);
    if (!baseline) throw new Error(`PatchManagement at '${this.node.path}': no baseline for ${os}`);
    return baseline;
  }
}

function pascal(os: string): string {
  return os
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
