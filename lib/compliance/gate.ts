import {
  CfnResource,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
  Stack,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgementFor, collectAcknowledgements } from './acknowledgements';
import { GateProblem } from './gate-api';
export type { GateProblem } from './gate-api';
import { BackgroundCheck, backgroundMode } from './background';
import { FindingsCache, missingTemplates, perTemplate } from './cache';
import {
  CFN_VALIDATE_PROGRAM,
  CFN_VALIDATE_V8_FLAGS,
  startValidationEarly,
  takeEarlyValidation,
} from './early-validation';
import { appConstructOf, recordViolations } from './recording';
import { PackResults } from './results';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The rule under which the gate reports a stack with resources that a pack did not evaluate
 * (`[<pack>]`), or to which no public pack's rules applied at all (`[all]`). Acknowledge it on the
 * stack when that is expected, e.g.
 * `Validations.of(stack).acknowledge({ id: 'SecurityBaselineGate-PackCheckedNothing[all]', reason })`.
 */
export const PACK_CHECKED_NOTHING = 'SecurityBaselineGate-PackCheckedNothing';

/** The gate plugin's name, and the namespace of its own findings. */
export const GATE_PLUGIN_NAME = 'cdk-security-baseline-gate';

/**
 * A validation plugin that runs another (e.g. the cfn-guard validator) and records what it reports,
 * with acknowledgements resolved exactly as synth resolves them. What the plugin itself says about
 * success is not trusted: the gate decides from the recorded findings.
 */
export class GatedPlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(
    private readonly inner: IPolicyValidationPlugin,
    /** Where the outcomes go. */
    public readonly results: PackResults,
  ) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return gatedValidate(this.results, this.name, this.ruleIds, context, () => this.inner.validate(context));
  }
}

/**
 * aws-cdk-lib's CloudFormation validation (schema and default rules), recorded by the gate. Being a
 * `CloudFormationValidatePlugin`, it replaces the instance aws-cdk-lib would add by itself, so the
 * templates are validated once. Its warnings (such as W2508, a port open to the world) are findings
 * like its errors: the gate fails on both, whatever `@aws-cdk/core:validateAgainstDefaultRules` says.
 */
export class GatedCloudFormationValidate extends CloudFormationValidatePlugin {
  public readonly results = new PackResults(CloudFormationValidatePlugin.PLUGIN_NAME, false);
  /** Where results per template are kept between synths (none: every template is validated). */
  public cache?: FindingsCache;

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // Its `ruleIds` lists the engine's version, not its rules: no rule count is claimed.
    return gatedValidate(this.results, this.name, undefined, context, () =>
      perTemplate(this.cache, this.cacheId(), context.templatePaths, (templates) => {
        const started = this.background;
        this.background = undefined;
        if (started?.key === JSON.stringify(templates)) {
          try {
            return started.check.wait();
          } catch {
            // The background run failed (it could not start, say): validate here instead.
          }
        }
        return super.validate({
          ...context,
          templatePaths: templates,
          stackTemplates: stacksOf(context, templates),
        });
      }),
    );
  }

  /**
   * The engine's version, from its package.json. aws-cdk-lib asks the engine itself, which loads and
   * starts its WebAssembly (a quarter of a second) in this process, where nothing else needs it.
   */
  public get version(): string | undefined {
    return (engineVersion ??= validateEngineVersion() ?? super.version);
  }

  public get ruleIds(): string[] | undefined {
    const version = this.version;
    return version === undefined ? undefined : [version];
  }

  /** A validation started early for the templates the cache cannot answer for (see BackgroundCheck). */
  private background?: { key: string; check: BackgroundCheck };
  /** A child started before the app's constructs exist, warming the engine until templates do. */
  private early?: BackgroundCheck;

  /**
   * Start the child that will validate the templates now, before the app builds its constructs (or
   * take the one `startValidationEarly` started when the process began): see early-validation.ts.
   */
  public prepareEarly(): void {
    if (this.early) return;
    startValidationEarly();
    this.early = takeEarlyValidation();
  }

  /** Start validating, in the background, the templates the cache has no result for. */
  public prefetch(context: IPolicyValidationContext): void {
    const early = this.early;
    this.early = undefined;
    const templates = missingTemplates(this.cache, this.cacheId(), context.templatePaths);
    if (templates.length === 0) {
      early?.cancel();
      return;
    }
    const input = {
      module: require.resolve('aws-cdk-lib'),
      templatePaths: templates,
      stackTemplates: stacksOf(context, templates),
    };
    let check = early;
    if (check) check.send(input);
    else
      check = BackgroundCheck.start(this.name, CFN_VALIDATE_PROGRAM, input, {
        v8Flags: CFN_VALIDATE_V8_FLAGS,
      });
    this.background = { key: JSON.stringify(templates), check };
  }

  private cacheId(): unknown {
    return [this.name, this.version];
  }
}

let engineVersion: string | undefined;

/** The version in the package.json of the validation engine aws-cdk-lib uses, if it can be read. */
function validateEngineVersion(): string | undefined {
  try {
    const cdk = path.dirname(require.resolve('aws-cdk-lib/package.json'));
    const pkg = require.resolve('@aws/cloudformation-validate/package.json', { paths: [cdk] });
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The stacks of `context` whose templates are among `templates`. */
function stacksOf(context: IPolicyValidationContext, templates: readonly string[]) {
  return context.stackTemplates.filter((s) => templates.includes(s.templatePath));
}

/**
 * Registered first among the compliance plugins: as soon as the templates are written, it starts the
 * slow template checks (cfn-guard, CloudFormation validation) in child processes, so they run while
 * the cdk-nag packs do; each plugin collects its result when its turn comes. It reports nothing.
 */
export class BackgroundChecksPlugin implements IPolicyValidationPlugin {
  public readonly name = 'cdk-security-baseline-prefetch';

  constructor(private readonly checks: { prefetch(context: IPolicyValidationContext): void }[]) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // Background checks off: every check runs in this process, one after the other.
    if (backgroundMode() === 'off') return { success: true, violations: [] };
    for (const check of this.checks) {
      try {
        check.prefetch(context);
      } catch {
        // The check then runs in its own turn, in this process.
      }
    }
    return { success: true, violations: [] };
  }
}

function gatedValidate(
  results: PackResults,
  name: string,
  ruleIds: readonly string[] | undefined,
  context: IPolicyValidationContext,
  run: () => PolicyValidationPluginReport,
): PolicyValidationPluginReport {
  results.reset();
  let report: PolicyValidationPluginReport;
  try {
    report = run();
  } catch (e) {
    results.crashed = e instanceof Error ? e.message : String(e);
    throw e;
  }
  const root = appConstructOf(context);
  recordViolations(results, report, 'cdk', name, root ? collectAcknowledgements(root) : [], root);
  results.ruleCount = ruleIds?.length ?? 0;
  results.ran = true;
  return report;
}

/**
 * Everything that fails synth, from every plugin's recorded results: each unacknowledged finding
 * (errors and warnings alike, whatever severity the plugin gave it), each plugin that failed to
 * validate, each public pack that checked no resource of a stack that has resources, and resources
 * built with another copy of aws-cdk-lib than the gate's (the packs recognise only their own).
 */
export function gateProblems(
  root: IConstruct,
  packs: readonly PackResults[],
  idleChecked: ReadonlySet<string>,
): GateProblem[] {
  const problems: GateProblem[] = [];
  const foreign = foreignResources(root);
  if (foreign.length > 0) {
    problems.push({
      pack: GATE_PLUGIN_NAME,
      ruleId: `${GATE_PLUGIN_NAME}::ForeignAwsCdkLib`,
      path: foreign[0],
      message:
        `${foreign.length} resource(s) (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}) ` +
        `were made with a different copy of aws-cdk-lib than the compliance gate's (${awsCdkLibLocation()}). ` +
        'The cdk-nag packs recognise only resources of their own copy, so they cannot check these. ' +
        'Install one copy: `npm ls aws-cdk-lib` must show a single version (cdk-security-baseline takes ' +
        'aws-cdk-lib as a peer dependency).',
    });
  }
  const acks = collectAcknowledgements(root);
  for (const pack of packs) {
    if (pack.crashed !== undefined) {
      problems.push({
        pack: pack.pack,
        ruleId: pack.pack,
        path: '',
        message: `the plugin failed to validate: ${pack.crashed}`,
      });
    }
    for (const f of pack.unacknowledged()) {
      problems.push({
        pack: pack.pack,
        ruleId: f.ruleId,
        path: f.path,
        message: f.outcome === 'error' ? 'the rule could not decide (fails closed)' : (f.message ?? ''),
      });
    }
  }
  problems.push(...idleProblems(root, packs, idleChecked, acks));
  return problems;
}

/**
 * A gate that sees nothing must not pass: for each stack with resources, a pack that evaluated none
 * of them (it walked nothing) is a problem, and so is every public pack finding nothing it applies
 * to (as when the resources come from another copy of aws-cdk-lib, which the packs' rules do not
 * recognise). One public pack having nothing to say about a stack is normal (HIPAA has no KMS rule).
 */
function idleProblems(
  root: IConstruct,
  packs: readonly PackResults[],
  idleChecked: ReadonlySet<string>,
  acks: ReturnType<typeof collectAcknowledgements>,
): GateProblem[] {
  const checked = packs.filter((p) => idleChecked.has(p.pack) && p.ran);
  if (checked.length === 0) return [];
  const problems: GateProblem[] = [];
  for (const stack of root.node.findAll().filter((c): c is Stack => Stack.isStack(c))) {
    const resources = ownResources(stack);
    if (resources === 0) continue;
    const coverage = checked.map((p) => [p.pack, p.coverage.get(stack.node.path)] as const);
    const blind = coverage.filter(([, c]) => (c?.resources.size ?? 0) === 0).map(([pack]) => pack);
    const allIdle = coverage.every(([, c]) => (c?.applicable.size ?? 0) === 0);
    for (const pack of allIdle ? ['all'] : blind) {
      const ruleId = `${PACK_CHECKED_NOTHING}[${pack}]`;
      if (acknowledgementFor(acks, 'nag', GATE_PLUGIN_NAME, ruleId, stack.node.path)) continue;
      problems.push({
        pack: pack === 'all' ? GATE_PLUGIN_NAME : pack,
        ruleId,
        path: stack.node.path,
        message:
          (pack === 'all'
            ? `none of ${checked.map((p) => p.pack).join(', ')} found a rule that applies to any of the ${resources} resource(s) of this stack`
            : `${pack} evaluated none of the ${resources} resource(s) of this stack`) +
          '. A pack that sees nothing proves nothing; if the stack really holds nothing these packs check, ' +
          `acknowledge ${ruleId} on the stack with the reason.`,
      });
    }
  }
  return problems;
}

/** The fatal (never acknowledgeable) violation that fails synth, with a count a reader cannot miss. */
export function gateViolation(problems: readonly GateProblem[]): PolicyViolation {
  const list = problems
    .slice(0, 50)
    .map((p) => `  - ${p.ruleId} on ${p.path || '(app)'}${p.message ? `: ${p.message}` : ''}`);
  if (problems.length > 50) list.push(`  - ... and ${problems.length - 50} more (compliance-report.json)`);
  return {
    ruleName: 'UnacknowledgedFindings',
    description: [`synth failed: ${countText(problems.length)}`, ...list].join('\n'),
    severity: 'fatal',
    fix: 'Fix each finding, or acknowledge it next to its cause: Validations.of(construct).acknowledge({ id, reason }).',
    violatingResources: [...new Set(problems.map((p) => p.path).filter((p) => p && !p.includes('#')))]
      .slice(0, 50)
      .map((constructPath) => ({ constructPath, locations: [] })),
  };
}

export function countText(n: number): string {
  return `${n} unacknowledged finding${n === 1 ? '' : 's'}`;
}

/** CloudFormation resources directly in `stack` (not nested stacks), apart from CDK's own metadata. */
function ownResources(stack: Stack): number {
  return stack.node
    .findAll()
    .filter(
      (c) =>
        CfnResource.isCfnResource(c) && Stack.of(c) === stack && c.cfnResourceType !== 'AWS::CDK::Metadata',
    ).length;
}

/** Paths of CloudFormation resources that are not instances of the gate's aws-cdk-lib `CfnResource`. */
function foreignResources(root: IConstruct): string[] {
  return root.node
    .findAll()
    .filter((c) => CfnResource.isCfnResource(c) && !((c as object) instanceof CfnResource))
    .map((c) => c.node.path);
}

function awsCdkLibLocation(): string {
  try {
    return require.resolve('aws-cdk-lib/package.json');
  } catch {
    return 'unknown';
  }
}
