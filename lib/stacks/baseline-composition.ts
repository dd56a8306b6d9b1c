// Extension point: to add a construct to the baseline, append one BaselinePart to BASELINE_PARTS in
// lib/stacks/baseline-parts.ts: its construct ID, its placement (ACCOUNT: once per account, in the
// home region / under IsHomeRegion in a StackSet; REGIONAL: every stack; SPLIT: the part says which
// of its constructs are account-wide), the setting that switches it (with the controls it alone
// implements, reported "not applicable" when off) and a build function reading its settings.
import { Stack, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { recordSwitchedOff } from '../compliance/report';
import { EnvironmentConfig, PolicyConfig } from '../config/types';
import { AuditTrail } from '../constructs/audit-trail';
import { AuditorRole } from '../constructs/auditor-role';
import { POLICY_ROTATION_DAYS } from '../validation/aws';
import { BASELINE_PARTS } from './baseline-parts';
import { BaselinePart, CompositionContext, Placement } from './part';

export { Placement } from './part';
export type { BaselinePart, CompositionContext } from './part';

export interface ComposeOptions {
  /**
   * Nothing regional may refer to the account-wide parts (a StackSet deploys them under a
   * condition): the trail's bucket then logs its access to an access-log bucket of its own.
   * @default false - one access-log bucket per stack
   */
  readonly selfContainedAccountResources?: boolean;
  /** @default - policy 003: keys rotate at most every 90 days */
  readonly policy?: PolicyConfig;
  /** @default BASELINE_PARTS */
  readonly parts?: readonly BaselinePart[];
}

/** What composeBaseline built. */
export interface BaselineParts {
  /** The multi-region audit trail (account-wide parts only). */
  readonly auditTrail?: AuditTrail;
  /** The role baseline-audit assumes (account-wide parts only). */
  readonly auditorRole?: AuditorRole;
  /** The constructs that exist once per account: a StackSet deploys them in the home region only. */
  readonly accountWide: readonly Construct[];
}

/**
 * The security baseline of one environment in one account and region, composed from `parts`
 * (default: BASELINE_PARTS, lib/stacks/baseline-parts.ts) directly in `stack`, so logical IDs do not depend on how the stack is
 * deployed. Account-wide parts are built only with `accountResources`; whatever they add to the
 * stack is account-wide, found by the composition, not listed by hand.
 */
export function composeBaseline(
  stack: Stack,
  config: EnvironmentConfig,
  accountResources: boolean,
  options: ComposeOptions = {},
): BaselineParts {
  Tags.of(stack).add('security-baseline:environment', config.name);
  Tags.of(stack).add('security-baseline:profile', config.profile);
  if (config.securityContact) Tags.of(stack).add('security-baseline:contact', config.securityContact);
  for (const [key, value] of Object.entries(config.tags)) Tags.of(stack).add(key, value);

  const ctx: CompositionContext = {
    stack,
    config,
    policy: options.policy ?? { maxKeyRotationDays: POLICY_ROTATION_DAYS },
    accountResources,
    selfContainedAccountResources: options.selfContainedAccountResources ?? false,
    keys: [],
  };
  const accountWide: Construct[] = [];
  for (const part of options.parts ?? BASELINE_PARTS) {
    if (part.placement === Placement.ACCOUNT && !accountResources) continue;
    if (part.switch && !part.switch.isOn(config)) {
      const { setting, controls } = part.switch;
      if (controls.length > 0)
        recordSwitchedOff(stack, `environments.${config.name}.${setting}: false`, ...controls);
      continue;
    }
    const before = new Set(stack.node.children);
    const accountOnly = part.build(ctx) ?? [];
    if (part.placement === Placement.ACCOUNT)
      accountWide.push(...stack.node.children.filter((c) => !before.has(c)));
    else if (part.placement === Placement.SPLIT) accountWide.push(...accountOnly);
  }
  return { auditTrail: ctx.auditTrail, auditorRole: ctx.auditorRole, accountWide };
}
