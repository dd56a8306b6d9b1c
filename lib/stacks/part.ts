import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentConfig, PolicyConfig } from '../config/types';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AuditTrail } from '../constructs/audit-trail';
import { AuditorRole } from '../constructs/auditor-role';
import { BaselineKey } from '../constructs/baseline-key';
import { ContainmentRunbooks } from '../constructs/containment-runbooks';
import { SecurityAlerts } from '../constructs/security-alerts';

/** Where a part of the baseline exists. */
export enum Placement {
  /** Once per account: in the account's home-region stack; in a StackSet, under `IsHomeRegion`. */
  ACCOUNT = 'ACCOUNT',
  /** In every stack (every region of every account). */
  REGIONAL = 'REGIONAL',
  /** In every stack, with some constructs once per account: `build` returns those. */
  SPLIT = 'SPLIT',
}

/** What a part gets to build with: the settings and what the parts before it built. */
export interface CompositionContext {
  readonly stack: Stack;
  readonly config: EnvironmentConfig;
  readonly policy: PolicyConfig;
  /** True in the stack that holds the account-wide parts (the account's home region). */
  readonly accountResources: boolean;
  /** Nothing regional may refer to an account-wide part (StackSet mode). */
  readonly selfContainedAccountResources: boolean;
  /** Keys the access roles' guardrail protects: every part that makes a key adds it here. */
  readonly keys: BaselineKey[];
  accessLogs?: AccessLogBucket;
  alerts?: SecurityAlerts;
  auditKey?: BaselineKey;
  auditTrail?: AuditTrail;
  auditorRole?: AuditorRole;
  containment?: ContainmentRunbooks;
}

/** One part of the baseline: a construct (or a few) with its placement and its switch. */
export interface BaselinePart {
  /** Construct ID of the part's main construct in the stack (logical IDs derive from it: never change it). */
  readonly id: string;
  readonly placement: Placement;
  /** The setting that turns the part off, and the controls only this part implements. */
  readonly switch?: {
    /** Path below `environments.<name>` of the boolean that turns the part on, e.g. `threatDetection.guardDuty`. */
    readonly setting: string;
    readonly isOn: (config: EnvironmentConfig) => boolean;
    readonly controls: readonly string[];
  };
  /** Build into `ctx.stack`; a SPLIT part returns its account-wide constructs. */
  readonly build: (ctx: CompositionContext) => readonly Construct[] | void;
}

/** `value`, or an error naming the part that must come first in the parts list. */
export function built<T>(value: T | undefined, what: string, needer: string): T {
  if (value === undefined) throw new Error(`${needer} needs ${what}: list the part that builds it first`);
  return value;
}
