import { App } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineCompliance, BaselineComplianceOptions } from '../../lib/compliance/baseline-compliance';
import { GateProblem } from '../../lib/compliance/gate';
import { ControlsReport } from '../../lib/compliance/report';
import { testApp } from '../helpers';

export interface GateRun {
  /** Whether `app.synth()` threw (what makes `cdk synth` exit 1). */
  readonly threw: boolean;
  /** The error's message, when it threw. */
  readonly message: string;
  /** What the gate reported as failing synth. */
  readonly problems: GateProblem[];
  readonly report?: ControlsReport;
  /** Plugin reports of cdk.out/validation-report.json. */
  readonly pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs?: { constructPath: string }[] }[];
  }[];
}

/** The violations validation-report.json lists (acknowledged ones are not there), as `plugin: rule on paths`. */
export function reportedViolations(run: GateRun): string[] {
  return run.pluginReports
    .filter((r) => r.pluginName !== 'Construct Annotations')
    .flatMap((r) =>
      r.violations.map(
        (v) =>
          `${r.pluginName}: ${v.ruleName} on ${(v.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`,
      ),
    );
}

/** Build an app with `build`, enable the whole gate on it and synthesize once. */
export function synthGate(
  build: (app: App) => void,
  options: BaselineComplianceOptions = {},
  app: App = testApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gate-')) }),
): GateRun {
  build(app);
  const gate = BaselineCompliance.enable(app, { summary: false, ...options });
  let threw = false;
  let message = '';
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    threw = true;
    message = e instanceof Error ? e.message : String(e);
  } finally {
    spy.mockRestore();
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const pluginReports = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports : [];
  fs.rmSync(app.outdir, { recursive: true, force: true });
  const report =
    gate.lastReportJson === undefined ? undefined : (JSON.parse(gate.lastReportJson) as ControlsReport);
  return { threw, message, problems: gate.lastProblems, report, pluginReports };
}
