import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { StackSetStack } from 'cdk-stacksets';
import { IConstruct } from 'constructs';
import { BackgroundCheck } from './background';
import { FindingsCache, missingTemplates, perTemplate } from './cache';
import * as fs from 'node:fs';
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
 * The AWS Control Tower proactive controls (CMP-03) through cdk-validator-cfnguard, run only with
 * the rule files that concern resource types present in the templates (plus any rule that names
 * no type). cfn-guard evaluates every rule against every template, about 2 s per template for the
 * 237 bundled rules; a rule for a type the templates do not contain cannot find anything, so the
 * findings are the same (checked in `npm run bench`) at about 40% of the time.
 */
export class ControlTowerGuard implements IPolicyValidationPlugin {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly ruleIds: string[];
  private readonly rules: { file: string; types: string[] }[];

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
      types: [...new Set(fs.readFileSync(file, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [])],
    }));
    this.ruleIds = this.rules.map((r) => path.basename(r.file, '.guard'));
  }

  /** Rule files relevant to templates containing `types`. */
  public relevantRules(types: ReadonlySet<string>): string[] {
    return this.rules
      .filter((r) => r.types.length === 0 || r.types.some((t) => types.has(t)))
      .map((r) => r.file);
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
    const input = this.guardInput(templates);
    if (!input) return;
    const key = JSON.stringify(templates);
    this.background = {
      matches: (t) => JSON.stringify(t) === key,
      check: BackgroundCheck.start(
        this.name,
        'const { CfnGuardValidator } = require(input.module);\n' +
          'return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: input.rules, maxBuffer: input.maxBuffer })' +
          '.validate({ templatePaths: input.templatePaths });',
        input,
      ),
    };
  }

  private cacheId(): unknown {
    return [this.name, this.ruleIds];
  }

  private templates(context: IPolicyValidationContext): string[] {
    return [...context.templatePaths, ...this.stackSetTemplates(context.templatePaths)];
  }

  /** What a cfn-guard run over `templatePaths` needs, or undefined when no rule concerns them. */
  private guardInput(templatePaths: string[]) {
    if (templatePaths.length === 0) return undefined;
    const types = new Set<string>();
    for (const template of templatePaths) {
      const resources =
        (JSON.parse(fs.readFileSync(template, 'utf8')) as { Resources?: Record<string, { Type?: string }> })
          .Resources ?? {};
      for (const r of Object.values(resources)) if (r.Type) types.add(r.Type);
    }
    const rules = this.relevantRules(types);
    if (rules.length === 0) return undefined;
    const module = require.resolve('@cdklabs/cdk-validator-cfnguard');
    return { module, rules, maxBuffer: this.maxBuffer, templatePaths };
  }

  private run(templatePaths: string[]): PolicyValidationPluginReport {
    const input = this.guardInput(templatePaths);
    if (!input) return { success: true, violations: [] };
    return new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: input.rules,
      maxBuffer: this.maxBuffer,
    }).validate({ templatePaths } as IPolicyValidationContext);
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
