import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stage,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as path from 'node:path';
import { buildControlsReport, ControlsReport, writeControlsReport } from './report';
import { PackResults } from './results';

export interface ControlsReportPluginProps {
  /** Results of the plugins registered before this one, filled while they validate. */
  readonly packs: readonly PackResults[];
  /** Print one line per pack and the report's path to stderr. */
  readonly summary: boolean;
  /** Product version written into the report. */
  readonly version: string;
}

/**
 * Runs last among the compliance plugins: writes `compliance-report.json` and `.md` into the cloud
 * assembly (CMP-04) and prints the synth summary. It reports no violations itself.
 */
export class ControlsReportPlugin implements IPolicyValidationPlugin {
  public readonly name = 'cdk-security-baseline-report';
  /** The last report written (for tests and embedding tools). */
  public lastReport?: ControlsReport;

  constructor(private readonly props: ControlsReportPluginProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    const outdir = root && Stage.isStage(root) ? root.outdir : path.dirname(context.templatePaths[0] ?? '.');
    if (root) {
      const report = buildControlsReport(root, this.props.packs, this.props.version);
      const file = writeControlsReport(outdir, report);
      this.lastReport = report;
      if (this.props.summary) printSummary(report, file);
    }
    return { success: true, violations: [] };
  }
}

function printSummary(report: ControlsReport, file: string): void {
  const width = Math.max(...report.packs.map((p) => p.name.length));
  const lines = report.packs.map(
    (p) =>
      `  ${p.name.padEnd(width)}  ${String(p.rules).padStart(3)} rules  ${String(p.pass ?? '-').padStart(4)} pass  ` +
      `${String(p.fail).padStart(3)} fail  ${String(p.acknowledged).padStart(3)} acknowledged`,
  );
  const s = report.summary;
  console.error(
    ['Compliance checks:', ...lines].join('\n') +
      `\nControls report: ${path.relative(process.cwd(), file) || file} (${report.controls.length} controls: ${s.implemented} implemented, ` +
      `${s.acknowledged} acknowledged, ${s.failing} failing, ${s['not-applicable']} not applicable, ${s['not-implemented']} not implemented)`,
  );
}
