import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { StackSetStack } from 'cdk-stacksets';
import { IConstruct } from 'constructs';
import { BackgroundCheck, runProgram } from './background';
import { FindingsCache, missingTemplates, perTemplate } from './cache';
import { GuardRule, planGuardRuns, ruleTypes } from './guard-slices';
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
      if (started?.matches(templates)) {
        try {
          return started.check.wait();
        } catch {
          // The background run failed (it could not start, say): check here instead.
        }
      }
      return this.run(templates);
    });
  }

  /** A check started early for the templates the cache cannot answer for (see BackgroundCheck). */
  private background?: { matches(templates: readonly string[]): boolean; check: BackgroundCheck };

  /** Start cfn-guard in the background on the templates the cache has no result for. */
  public prefetch(context: IPolicyValidationContext): void {
    const templates = missingTemplates(this.cache, this.cacheId(), this.templates(context));
    if (templates.length === 0) return;
    const key = JSON.stringify(templates);
    this.background = {
      matches: (t) => JSON.stringify(t) === key,
      check: BackgroundCheck.start(this.name, GUARD_PROGRAM, (dir: string) =>
        this.guardInput(templates, dir),
      ),
    };
  }

  private cacheId(): unknown {
    return [this.name, this.ruleIds];
  }

  private templates(context: IPolicyValidationContext): string[] {
    return [...context.templatePaths, ...this.stackSetTemplates(context.templatePaths)];
  }

  /** What GUARD_PROGRAM needs to check `templatePaths`, slices written into `dir`. */
  private guardInput(templatePaths: readonly string[], dir: string) {
    return {
      module: require.resolve('@cdklabs/cdk-validator-cfnguard'),
      maxBuffer: this.maxBuffer,
      runs: planGuardRuns(this.rules, templatePaths, dir),
    };
  }

  private run(templatePaths: string[]): PolicyValidationPluginReport {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-guard-'));
    try {
      return runProgram(GUARD_PROGRAM, this.guardInput(templatePaths, dir)) as PolicyValidationPluginReport;
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
