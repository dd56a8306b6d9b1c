import { Stage, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ControlTowerGuard } from './control-tower-guard';
import { recordControls } from './controls';
import { ControlsReportPlugin } from './report-plugin';
import { PackResults, recordNagPack, RecordingPlugin } from './results';
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

  /**
   * Run the AWS Control Tower proactive controls (cfn-guard) on the synthesized templates (CMP-03).
   * @default true
   */
  readonly controlTowerRules?: boolean;

  /**
   * Write `compliance-report.json` and `compliance-report.md` into the cloud assembly (CMP-04).
   * @default true
   */
  readonly report?: boolean;

  /**
   * Print one line per pack and the report's path at the end of synth (stderr).
   * @default true
   */
  readonly summary?: boolean;
}

/**
 * The compliance gate, in one line: `BaselineCompliance.enable(app)`.
 *
 * Registers, as validation plugins on an app or stage, cdk-nag's AwsSolutions, NIST 800-53 R5,
 * HIPAA Security and PCI DSS 3.2.1 packs (CMP-01), the project's own SecurityPolicy pack (CMP-02)
 * and the AWS Control Tower proactive controls through cfn-guard (CMP-03), then writes the controls
 * report (CMP-04). Any unacknowledged error makes `app.synth()` throw and `cdk synth` exit 1; the
 * full findings are in `cdk.out/validation-report.json`.
 *
 * This is the one place the project wires compliance plugins; consumers call it on their own app.
 */
export class BaselineCompliance {
  /** Enable the gate on `scope`; returns the report plugin (its `lastReport` after synth). */
  public static enable(
    scope: Stage,
    options: BaselineComplianceOptions = {},
  ): ControlsReportPlugin | undefined {
    const props = { verbose: options.verbose ?? false };
    const packs: NagPack[] = [
      new AwsSolutionsChecks(scope, props),
      new NIST80053R5Checks(scope, props),
      new HIPAASecurityChecks(scope, props),
      new PCIDSS321Checks(scope, props),
      new SecurityPolicyChecks(scope, { ...props, maxKeyRotationDays: options.maxKeyRotationDays }),
    ];
    const results: PackResults[] = [];
    for (const pack of packs) {
      const r = new PackResults(pack.readPackName, true);
      recordNagPack(pack, r);
      results.push(r);
    }
    Validations.of(scope).addPlugins(...packs);
    recordControls(scope, 'CMP-01', 'CMP-02');

    if (options.controlTowerRules ?? true) {
      const guard = new ControlTowerGuard(undefined, scope);
      const r = new PackResults(guard.name, false);
      results.push(r);
      Validations.of(scope).addPlugins(new RecordingPlugin(guard, r));
      recordControls(scope, 'CMP-03');
    }

    if (options.report ?? true) {
      const plugin = new ControlsReportPlugin({
        packs: results,
        summary: options.summary ?? true,
        version: productVersion(),
      });
      Validations.of(scope).addPlugins(plugin);
      recordControls(scope, 'CMP-04');
      return plugin;
    }
    return undefined;
  }

  private constructor() {}
}

/** This package's version, from its package.json (found from lib/ or dist/lib/). */
function productVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'cdk-security-baseline') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}
