import { App, Stage, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPackProps,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FindingsCache } from './cache';
import { ControlTowerGuard } from './control-tower-guard';
import { recordControls } from './controls';
import { BackgroundChecksPlugin, GatedCloudFormationValidate, GatedPlugin } from './gate';
import { recordingPack } from './recording';
import { ControlsReportPlugin, IComplianceGate } from './report-plugin';
import { PackResults } from './results';
import { SecurityPolicyChecks } from './security-policy-checks';

const RecordedAwsSolutions = recordingPack(AwsSolutionsChecks);
const RecordedNist = recordingPack(NIST80053R5Checks);
const RecordedHipaa = recordingPack(HIPAASecurityChecks);
const RecordedPci = recordingPack(PCIDSS321Checks);
const RecordedSecurityPolicy = recordingPack(SecurityPolicyChecks);

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
   * The most requests one client IP may make per 5 minutes before a WAF rate-based rule must block
   * it, for the SecurityPolicy pack (NET-03).
   * @default 2000
   */
  readonly maxRequestsPerFiveMinutes?: number;

  /**
   * Run the AWS Control Tower proactive controls (cfn-guard) on the synthesized templates (CMP-03).
   * @default true
   */
  readonly controlTowerRules?: boolean;

  /**
   * Run aws-cdk-lib's CloudFormation validation (schema and default rules) as part of the gate, so
   * its errors and warnings fail synth like every other finding (CMP-03). It replaces the instance
   * aws-cdk-lib adds by itself, so templates are validated once. Applies only when the gate is
   * enabled on the App itself; it is skipped when `CDK_VALIDATION=false` is set, as aws-cdk-lib's own
   * is. Turn it off if you register your own `CloudFormationValidatePlugin` (only one may exist).
   * @default true
   */
  readonly cloudFormationValidation?: boolean;

  /**
   * Keep each check's results per unchanged template between synths (a content-addressed cache in
   * `node_modules/.cache/cdk-security-baseline`, or the folder `CDK_SECURITY_BASELINE_CACHE` names;
   * `CDK_SECURITY_BASELINE_CACHE=off` also turns it off). A changed template, rule, version or option
   * is always checked again; acknowledgements are applied afresh on every synth.
   * @default true
   */
  readonly cache?: boolean;

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
 * HIPAA Security and PCI DSS 3.2.1 packs (CMP-01), the project's own SecurityPolicy pack (CMP-02),
 * the AWS Control Tower proactive controls through cfn-guard and aws-cdk-lib's CloudFormation
 * validation (CMP-03), then the gate's verdict and the controls report (CMP-04). The verdict is
 * decided in one place from what every plugin recorded: any unacknowledged finding of any plugin,
 * whatever else is acknowledged, makes `app.synth()` throw and `cdk synth` exit 1, ending with
 * "synth failed: N unacknowledged findings". The full findings are in `cdk.out/validation-report.json`
 * and `cdk.out/compliance-report.json`.
 *
 * This is the one place the project wires compliance plugins; consumers call it on their own app.
 */
export class BaselineCompliance {
  /** Enable the gate on `scope`; returns the verdict and report plugin (`lastProblems`, `lastReportJson` after synth). */
  public static enable(scope: Stage, options: BaselineComplianceOptions = {}): IComplianceGate {
    const props: NagPackProps = { verbose: options.verbose ?? false };
    const results: PackResults[] = [];
    // First: starts the template checks registered below in the background once templates exist.
    const background: ConstructorParameters<typeof BackgroundChecksPlugin>[0] = [];
    Validations.of(scope).addPlugins(new BackgroundChecksPlugin(background));
    const publicPacks = [
      new RecordedAwsSolutions(scope, props),
      new RecordedNist(scope, props),
      new RecordedHipaa(scope, props),
      new RecordedPci(scope, props),
    ];
    const policy = new RecordedSecurityPolicy(scope, {
      ...props,
      maxKeyRotationDays: options.maxKeyRotationDays,
      maxRequestsPerFiveMinutes: options.maxRequestsPerFiveMinutes,
    });
    // Our rules may look at other stacks (a backup plan covering a database elsewhere).
    policy.crossStack = true;
    policy.cacheOptions = [options.maxKeyRotationDays, options.maxRequestsPerFiveMinutes];
    const packs = [...publicPacks, policy];
    const cache = (options.cache ?? true) ? FindingsCache.fromEnvironment() : undefined;
    for (const pack of packs) {
      pack.results = new PackResults(pack.readPackName, true);
      results.push(pack.results);
      pack.cache = cache;
      pack.longExplanations = props.verbose;
    }
    Validations.of(scope).addPlugins(...packs);
    recordControls(scope, 'CMP-01', 'CMP-02');

    if (options.controlTowerRules ?? true) {
      const ct = new ControlTowerGuard(undefined, scope);
      ct.cache = cache;
      background.push(ct);
      const guard = new GatedPlugin(ct, new PackResults('cdk-validator-cfnguard', false));
      results.push(guard.results);
      Validations.of(scope).addPlugins(guard);
      recordControls(scope, 'CMP-03');
    }
    if (
      (options.cloudFormationValidation ?? true) &&
      App.isApp(scope) &&
      process.env.CDK_VALIDATION !== 'false'
    ) {
      const cfn = cloudFormationValidate();
      cfn.cache = cache;
      cfn.prepareEarly();
      background.push(cfn);
      results.push(cfn.results);
      Validations.of(scope).addPlugins(cfn);
    }

    // Registered last, so it sees what every plugin above recorded.
    const plugin = new ControlsReportPlugin({
      packs: results,
      idleChecked: publicPacks.map((p) => p.readPackName),
      report: options.report ?? true,
      summary: options.summary ?? true,
      version: productVersion(),
      cache,
    });
    Validations.of(scope).addPlugins(plugin);
    if (options.report ?? true) recordControls(scope, 'CMP-04');
    return plugin;
  }

  private constructor() {}
}

/** One CloudFormation validation engine per process (starting one costs about as much as a synth). */
let cfnValidate: GatedCloudFormationValidate | undefined;
function cloudFormationValidate(): GatedCloudFormationValidate {
  return (cfnValidate ??= new GatedCloudFormationValidate());
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
