import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { recordSwitchedOff } from '../compliance/report';
import { EnvironmentConfig, PolicyConfig } from '../config/types';
import { AuditTrail } from '../constructs/audit-trail';
import { AuditorRole } from '../constructs/auditor-role';
import { composeBaseline } from './baseline-composition';

export interface SecurityBaselineStackProps extends StackProps {
  /** The resolved settings of the environment this stack deploys. */
  readonly config: EnvironmentConfig;

  /**
   * Settings of the whole configuration (`policy`).
   * @default - policy 003: keys rotate at most every 90 days
   */
  readonly policy?: PolicyConfig;

  /**
   * Deploy the account-wide resources from this stack: true in one region per account (the home
   * region), false in the account's other regions. See composeBaseline for the split.
   * @default true
   */
  readonly accountResources?: boolean;
}

/**
 * The security baseline of one environment in one account and region, composed from the
 * constructs in lib/constructs. Composition only: the controls live in the constructs.
 */
export class SecurityBaselineStack extends Stack {
  /** The multi-region audit trail; undefined in a stack without the account-wide resources. */
  public readonly auditTrail?: AuditTrail;
  /** The role baseline-audit assumes; undefined in a stack without the account-wide resources. */
  public readonly auditorRole?: AuditorRole;

  constructor(scope: Construct, id: string, props: SecurityBaselineStackProps) {
    const { config, policy, accountResources = true, ...stackProps } = props;
    super(scope, id, {
      stackName: config.stackName,
      env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
      description: `cdk-security-baseline (${config.name}, ${config.profile} profile): ${
        accountResources ? 'account-wide and regional baseline' : 'regional baseline'
      }`,
      terminationProtection: config.protection.terminationProtection,
      ...stackProps,
    });
    if (config.protection.terminationProtection) recordControls(this, 'OPS-03');
    else
      recordSwitchedOff(
        this,
        `environments.${config.name}.protection.terminationProtection: false`,
        'OPS-03',
      );
    recordControls(this, 'OPS-02');
    const parts = composeBaseline(this, config, accountResources, { policy });
    this.auditTrail = parts.auditTrail;
    this.auditorRole = parts.auditorRole;
  }
}
