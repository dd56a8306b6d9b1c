import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SecurityPolicyChecks } from './security-policy-checks';

export interface BaselineComplianceOptions {
  /**
   * Add cdk-nag's longer explanation to every finding.
   * @default false
   */
  readonly verbose?: boolean;

  /**
   * The written policy's longest key rotation period, in days, for the SecurityPolicy pack (ENC-02).
   * @default 90 - policy 003
   */
  readonly maxKeyRotationDays?: number;
}

/**
 * The compliance gate (CMP-01): registers cdk-nag's AwsSolutions, NIST 800-53 R5, HIPAA Security and
 * PCI DSS 3.2.1 packs as validation plugins on an app or stage. Any unacknowledged error makes
 * `app.synth()` throw and `cdk synth` exit 1; the report is `cdk.out/validation-report.json`.
 *
 * This is the one place the project wires compliance plugins; consumers call it on their own app.
 */
export class BaselineCompliance {
  /** The cdk-nag packs the gate runs, by the prefix of their rule IDs. */
  public static readonly PACKS = [
    'AwsSolutions',
    'NIST.800.53.R5',
    'HIPAA.Security',
    'PCI.DSS.321',
    'SecurityPolicy',
  ];

  public static enable(scope: Stage, options: BaselineComplianceOptions = {}): void {
    const props = { verbose: options.verbose ?? false };
    Validations.of(scope).addPlugins(
      new AwsSolutionsChecks(scope, props),
      new NIST80053R5Checks(scope, props),
      new HIPAASecurityChecks(scope, props),
      new PCIDSS321Checks(scope, props),
      new SecurityPolicyChecks(scope, { ...props, maxKeyRotationDays: options.maxKeyRotationDays }),
      new CfnGuardValidator({ controlTowerRulesEnabled: true, maxBuffer: 64 * 1024 * 1024 }),
    );
  }

  private constructor() {}
}
