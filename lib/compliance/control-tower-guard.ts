import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { StackSetStack } from 'cdk-stacksets';
import { IConstruct } from 'constructs';
import { BackgroundCheck, backgroundMode, removeAtExit, runProgram } from './background';
import { FindingsCache, missingTemplates, perTemplate } from './cache';
import { GuardRule, GuardRun, planGuardRuns, RUN_COST, ruleTypes } from './guard-slices';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where `@cdklabs/cdk-validator-cfnguard` keeps the AWS Control Tower proactive-control rules. */
function controlTowerRulesDir(): string {
  return path.join(
    path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
    'rules',
    'control-tower',
    'cfn-guard',
  );
}

function guardFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? guardFiles(p) : p.endsWith('.guard') ? [p] : [];
  });
}

/**
 * What a cfn-guard run does, in the child process that checks in the background or in this one
 * (the same text either way): each planned run through cdk-validator-cfnguard's own plugin, which
 * calls cfn-guard and turns its output into violations, then each violation's data file (a slice)
 * mapped back to the template it was cut from.
 */
const GUARD_PROGRAM = `
const { CfnGuardValidator } = require(input.module);
const violations = [];
for (const run of input.runs) {
  const templateOf = new Map(run.data.map((d) => [d.file, d.template]));
  const report = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: run.rules, maxBuffer: input.maxBuffer })
    .validate({ templatePaths: run.data.map((d) => d.file) });
  for (const v of report.violations) {
    violations.push({
      ...v,
      violatingResources: v.violatingResources.map((r) => {
        const templatePath = templateOf.get(r.templatePath);
        if (templatePath === undefined) throw new Error('cfn-guard reported a file it was not given: ' + r.templatePath);
        return { ...r, templatePath };
      }),
    });
  }
}
return { success: violations.length === 0, violations };
`;

/** How many cfn-guard children to run at once at most: one per core, 1 to 4. */
const LANES = Math.max(1, Math.min(4, os.cpus().length));

/**
 * The planned work (`GuardRun.cost`) worth a child process of its own: starting one (Node and the
 * plugin) takes about 70 ms, as long as about ten cfn-guard process starts (RUN_COST each). Less work
 * than this is checked in this process when the plugin runs: in a child it finished later (measured:
 * each of a dozen one-stack apps' synths 70 to 130 ms slower in the background), and an app's work
 * is split into one child per LANE_WORK, up to one per core.
 * `CDK_SECURITY_BASELINE_BACKGROUND=always` puts any work in a child (the tests that compare the two).
 */
export const LANE_WORK = 10 * RUN_COST;

/** How many children share `runs`: none for less than LANE_WORK, else one per LANE_WORK, up to LANES. */
function laneCount(runs: readonly GuardRun[]): number {
  const work = runs.reduce((sum, r) => sum + r.cost, 0);
  return Math.min(LANES, Math.max(backgroundMode() === 'always' ? 1 : 0, Math.floor(work / LANE_WORK)));
}

/** `runs` split into up to `lanes` lists of about equal work (by rules x bytes of data). */
function splitRuns(runs: GuardRun[], lanes: number): GuardRun[][] {
  const out: { runs: GuardRun[]; cost: number }[] = [];
  for (const run of [...runs].sort((a, b) => b.cost - a.cost)) {
    if (out.length < lanes) out.push({ runs: [run], cost: run.cost });
    else {
      const lightest = out.reduce((a, b) => (b.cost < a.cost ? b : a));
      lightest.runs.push(run);
      lightest.cost += run.cost;
    }
  }
  return out.map((l) => l.runs);
}

/** The reports of several runs as one, in an order that does not depend on how the runs were split. */
function merged(reports: PolicyValidationPluginReport[]): PolicyValidationPluginReport {
  const key = (v: PolicyViolation) =>
    JSON.stringify([
      v.ruleName,
      v.violatingResources.map((r) => [r.templatePath, r.resourceLogicalId]),
      v.description,
    ]);
  const violations = reports
    .flatMap((r) => r.violations)
    .map((v) => ({ v, k: key(v) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ v }) => v);
  return { success: violations.length === 0, violations };
}

/**
 * The AWS Control Tower proactive controls (CMP-03) through cdk-validator-cfnguard. Every rule is
 * run, but only against the resources it can concern: see guard-slices.ts (about a third of the
 * time of one run of every rule over whole templates, with the same findings).
 */
export class ControlTowerGuard implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly ruleIds: string[];
  private readonly rules: GuardRule[];

  /**
   * @param maxBuffer cfn-guard's output limit
   * @param scope where to find StackSet templates (cdk-stacksets `StackSetStack`), which are file
   *   assets of their parent stack rather than stacks of the cloud assembly, so CDK does not pass
   *   them to validation plugins; they are checked with the stacks' templates
   */
  constructor(
    private readonly maxBuffer = 64 * 1024 * 1024,
    private readonly scope?: IConstruct,
  ) {
    this.rules = guardFiles(controlTowerRulesDir()).map((file) => ({
      file,
      types: ruleTypes(fs.readFileSync(file, 'utf8')),
    }));
    this.ruleIds = this.rules.map((r) => path.basename(r.file, '.guard'));
  }

  /** Where results per template are kept between synths (none: every template is checked). */
  public cache?: FindingsCache;

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // cfn-guard evaluates each template on its own, so results can be kept per template.
    return perTemplate(this.cache, this.cacheId(), this.templates(context), (templates) => {
      const started = this.background;
      this.background = undefined;
      if (started?.key === JSON.stringify(templates)) {
        try {
          return merged(started.lanes.map((lane) => lane.wait()));
        } catch {
          // A background run failed (it could not start, say): check here instead.
        } finally {
          fs.rmSync(started.dir, { recursive: true, force: true });
        }
      }
      return this.run(templates);
    });
  }

  /** Checks started early for the templates the cache cannot answer for (see BackgroundCheck). */
  private background?: { key: string; dir: string; lanes: BackgroundCheck[] };

  /**
   * Start cfn-guard in the background on the templates the cache has no result for: the planned runs
   * split between child processes, one per LANE_WORK of work up to one per core (at most 4), so that
   * the last of the template checks does not finish on one core while the others idle. Less work
   * than LANE_WORK is left to validate(), in this process.
   */
  public prefetch(context: IPolicyValidationContext): void {
    const templates = missingTemplates(this.cache, this.cacheId(), this.templates(context));
    if (templates.length === 0) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-guard-'));
    removeAtExit(dir);
    const runs = planGuardRuns(this.rules, templates, dir);
    const count = laneCount(runs);
    if (count === 0) {
      // Little to check: validate() does it in this process.
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    const lanes = splitRuns(runs, count);
    this.background = {
      key: JSON.stringify(templates),
      dir,
      lanes: lanes.map((runs) => BackgroundCheck.start(this.name, GUARD_PROGRAM, this.guardInput(runs))),
    };
  }

  private cacheId(): unknown {
    return [this.name, this.ruleIds];
  }

  private templates(context: IPolicyValidationContext): string[] {
    return [...context.templatePaths, ...this.stackSetTemplates(context.templatePaths)];
  }

  /** What GUARD_PROGRAM needs to make `runs`. */
  private guardInput(runs: GuardRun[]) {
    return { module: require.resolve('@cdklabs/cdk-validator-cfnguard'), maxBuffer: this.maxBuffer, runs };
  }

  private run(templatePaths: string[]): PolicyValidationPluginReport {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-guard-'));
    try {
      const runs = planGuardRuns(this.rules, templatePaths, dir);
      return merged([runProgram(GUARD_PROGRAM, this.guardInput(runs)) as PolicyValidationPluginReport]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  private stackSetTemplates(templatePaths: readonly string[]): string[] {
    if (!this.scope || templatePaths.length === 0) return [];
    const outdir = path.dirname(templatePaths[0]);
    return (
      this.scope.node
        .findAll()
        .filter((c): c is StackSetStack => c instanceof StackSetStack)
        // Written by the time plugins run; a missing one fails the read below rather than going unchecked.
        .map((s) => path.join(outdir, s.templateFile))
    );
  }
}
