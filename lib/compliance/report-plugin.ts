import { IPolicyValidationContext, Stack, PolicyValidationPluginReport, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as path from 'node:path';
import { FindingsCache } from './cache';
import { costSummary } from './cost/estimate';
import { countText, GATE_PLUGIN_NAME, gateProblems, gateViolation } from './gate';
import { GateProblem, IComplianceGate } from './gate-api';
export type { IComplianceGate } from './gate-api';
import { appConstructOf } from './recording';
import { buildControlsReport, ControlsReport, writeControlsReport } from './report';
import { PackResults } from './results';

export interface ControlsReportPluginProps {
  /** Results of the plugins registered before this one, filled while they validate. */
  readonly packs: readonly PackResults[];
  /** Names of the packs whose silence on a stack with resources is itself a problem (the public cdk-nag packs). */
  readonly idleChecked: readonly string[];
  /** Write `compliance-report.json` and `.md` into the cloud assembly. */
  readonly report: boolean;
  /** Print one line per pack and the report's path to stderr. */
  readonly summary: boolean;
  /** Product version written into the report. */
  readonly version: string;
  /** The findings cache the plugins share, for the summary line. */
  readonly cache?: FindingsCache;
}

/**
 * The gate's verdict, run after every other compliance plugin: one place decides pass or fail from
 * what all of them recorded (never from a plugin's own `success`, which aws-cdk-lib recomputes from
 * severities cfn-guard does not set). Any unacknowledged finding of any plugin, a plugin that failed,
 * or a pack that saw nothing fails synth with one fatal violation, which no acknowledgement can
 * remove. Also writes the controls report (CMP-04) and prints the synth summary.
 */
export class ControlsReportPlugin implements IComplianceGate {
  public readonly name = GATE_PLUGIN_NAME;
  /** The last report written (for tests and embedding tools). */
  public lastReport?: ControlsReport;
  /** What failed the last synth; empty when it passed. */
  public lastProblems: GateProblem[] = [];

  public get lastReportJson(): string | undefined {
    return this.lastReport === undefined ? undefined : JSON.stringify(this.lastReport);
  }

  constructor(private readonly props: ControlsReportPluginProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = appConstructOf(context);
    if (!root) {
      this.lastProblems = [
        {
          pack: this.name,
          ruleId: `${this.name}::NoConstructTree`,
          path: '',
          message:
            'aws-cdk-lib passed no construct tree to validation plugins: the gate cannot check anything',
        },
      ];
      return { success: false, violations: [gateViolation(this.lastProblems)] };
    }
    const problems = gateProblems(root, this.props.packs, new Set(this.props.idleChecked));
    this.lastProblems = problems;
    const report = buildControlsReport(root, this.props.packs, this.props.version, problems);
    this.lastReport = report;
    let file: string | undefined;
    if (this.props.report) {
      const outdir = Stage.isStage(root) ? root.outdir : path.dirname(context.templatePaths[0] ?? '.');
      file = writeControlsReport(outdir, report);
    }
    if (this.props.summary) printSummary(report, file, problems, this.props.cache, nestedStages(root));
    return problems.length === 0
      ? { success: true, violations: [] }
      : { success: false, violations: [gateViolation(problems)] };
  }
}

function printSummary(
  report: ControlsReport,
  file: string | undefined,
  problems: readonly GateProblem[],
  cache: FindingsCache | undefined,
  stages: readonly string[],
): void {
  const width = Math.max(...report.packs.map((p) => p.name.length));
  const lines = report.packs.map(
    (p) =>
      `  ${p.name.padEnd(width)}  ${String(p.rules).padStart(3)} rules  ${String(p.pass ?? '-').padStart(4)} pass  ` +
      `${String(p.fail).padStart(3)} fail  ${String(p.acknowledged).padStart(3)} acknowledged`,
  );
  const s = report.summary;
  const where = file ? `Controls report: ${path.relative(process.cwd(), file) || file} ` : 'Controls: ';
  console.error(
    ['Compliance checks:', ...lines].join('\n') +
      `\n${where}(${report.controls.length} controls: ${s.implemented} implemented, ` +
      `${s.acknowledged} acknowledged, ${s.failing} failing, ${s['not-applicable']} not applicable, ${s['not-implemented']} not implemented)` +
      (report.cost ? `\n${costSummary(report.cost)}` : '') +
      (report.cost && stages.length > 0
        ? `\n  (stacks in ${stages.join(', ')} are not deployed by \`cdk deploy --all\`: deploy them by name, e.g. \`cdk deploy '${stages[0]}/*'\`)`
        : '') +
      (cache && cache.hits + cache.misses > 0
        ? `\nFindings cache: ${cache.hits} of ${cache.hits + cache.misses} template results reused (${path.relative(process.cwd(), cache.dir) || cache.dir})`
        : '') +
      `\n${problems.length === 0 ? 'Compliance gate: passed (0 unacknowledged findings)' : `Compliance gate: synth failed: ${countText(problems.length)}`}`,
  );
}

/** Construct paths of the app's nested stages that hold stacks (their stacks are not top-level). */
function nestedStages(root: IConstruct): string[] {
  return root.node
    .findAll()
    .filter((c) => c !== root && Stage.isStage(c) && c.node.children.some((k) => Stack.isStack(k)))
    .map((c) => c.node.path);
}
