import {
  CfnResource,
  IPolicyValidationContext,
  PolicyValidationPluginReport,
  Stack,
  Stage,
} from 'aws-cdk-lib';
import { IApplyRule, NagMessageLevel, NagPack, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { basename } from 'node:path';
import { fileDigest, FindingsCache } from './cache';
import {
  Acknowledgement,
  acknowledgementFor,
  AcknowledgementStyle,
  collectAcknowledgements,
} from './acknowledgements';
import { constructPathsByLogicalId, PackResults } from './results';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NagPackClass = abstract new (...args: any[]) => NagPack;

/** A pack instance that records its outcomes in `results`. */
export interface IRecordingPack {
  /** Where the pack's outcomes go; set before synth. */
  results?: PackResults;
  /** Where evaluations are kept per unchanged stack between synths (none: every stack is evaluated). */
  cache?: FindingsCache;
  /** Everything besides the templates that the pack's results depend on (its options). */
  cacheOptions?: unknown;
  /** Whether the pack's findings carry cdk-nag's long explanations (as `verbose` in its props). */
  longExplanations?: boolean;
  /** Whether a rule of the pack may look at other stacks than the resource's own (ours may). */
  crossStack?: boolean;
}

/** One rule evaluation as recorded, before acknowledgements are applied (what the cache keeps). */
interface Evaluation {
  /** The rule's ID, with the finding's part for multi-part findings. */
  readonly id: string;
  readonly path: string;
  readonly outcome: 'pass' | 'fail' | 'not-applicable' | 'error';
  /** What cdk-nag reports for a failing evaluation. */
  readonly description?: string;
  readonly severity?: string;
}

/**
 * A cdk-nag pack class whose instances also record every rule evaluation (compliant, non-compliant,
 * not applicable, error) in `results`, so the summary and the controls report count passes as well
 * as failures, and the gate can tell a pack that checked nothing from one that found nothing.
 * A subclass through cdk-nag's extension points (`applyRule` and `checkResource` are protected,
 * `validateScope` public): what the pack decides is unchanged. With a `cache`, the evaluations of a
 * stack whose template (and, for packs whose rules look across stacks, the whole app) is unchanged
 * are replayed instead of evaluated again, acknowledgements applied afresh.
 */
export function recordingPack<T extends NagPackClass>(
  Base: T,
): new (...args: ConstructorParameters<T>) => InstanceType<T> & IRecordingPack {
  abstract class RecordingPack extends Base implements IRecordingPack {
    public results?: PackResults;
    public cache?: FindingsCache;
    public cacheOptions?: unknown;
    public longExplanations?: boolean;
    public crossStack?: boolean;
    private acks: Acknowledgement[] = [];
    /** Stacks answered from the cache in this synth, by construct path. */
    private readonly replayed = new Map<string, Evaluation[]>();
    /** Stacks evaluated in this synth whose evaluations will be stored, by construct path. */
    private readonly storing = new Map<string, { key: string; evaluations: Evaluation[] }>();

    public validateScope(scope: IConstruct): PolicyValidationPluginReport {
      const results = this.results;
      if (!results) return super.validateScope(scope);
      results.reset();
      this.acks = collectAcknowledgements(scope.node.root);
      this.openCache(scope);
      const report = super.validateScope(scope);
      for (const evaluations of this.replayed.values()) {
        for (const e of evaluations) this.record(e, report);
      }
      for (const { key, evaluations } of this.storing.values()) this.cache!.set(key, evaluations);
      // Anything the pack reports that no evaluation recorded still fails (never lost between the two).
      recordViolations(results, report, 'nag', this.readPackName, this.acks, undefined, true);
      results.ran = true;
      return { ...report, success: report.violations.length === 0 };
    }

    protected checkResource(node: CfnResource): void {
      if (this.replayed.has(Stack.of(node).node.path)) return; // answered from the cache
      (Base.prototype as unknown as { checkResource(n: CfnResource): void }).checkResource.call(this, node);
    }

    /** The rule application in progress (cdk-nag applies a rule synchronously, once per call). */
    private applying?: { ruleId: string; params: IApplyRule };
    /** Each rule function wrapped once: the wrapper records what it returns for `applying`. */
    private readonly recordingRules = new WeakMap<IApplyRule['rule'], IApplyRule['rule']>();
    /** Rule IDs (`PACK-SUFFIX`) by suffix, each made once: every rule is applied to every resource. */
    private readonly idBySuffix = new Map<string, string>();

    protected applyRule(params: IApplyRule): void {
      if (!this.results) return super.applyRule(params);
      const suffix = params.ruleSuffixOverride ?? params.rule.name;
      let rule = this.recordingRules.get(params.rule);
      if (!rule) {
        rule = this.recordingRule(params.rule);
        this.recordingRules.set(params.rule, rule);
      }
      let ruleId = this.idBySuffix.get(suffix);
      if (ruleId === undefined) {
        ruleId = `${this.readPackName}-${suffix}`;
        this.idBySuffix.set(suffix, ruleId);
      }
      // Every field named (Required: a field cdk-nag adds fails to compile here until it is passed on).
      // Not `{ ...params }`: the packs call with object literals of many shapes, and spreading those
      // was the largest single cost of recording (a third of a second of a default-app synth's CPU).
      const forwarded: Required<IApplyRule> = {
        ruleSuffixOverride: suffix,
        info: params.info,
        explanation: params.explanation,
        level: params.level,
        node: params.node,
        rule,
      };
      const outer = this.applying;
      this.applying = { ruleId, params };
      try {
        super.applyRule(forwarded);
      } finally {
        this.applying = outer;
      }
    }

    /** `rule`, recording each outcome of the application in progress. */
    private recordingRule(rule: IApplyRule['rule']): IApplyRule['rule'] {
      return (n: CfnResource) => {
        const { ruleId, params } = this.applying!;
        const path = params.node.node.path;
        const severity = params.level === NagMessageLevel.ERROR ? 'error' : 'warning';
        let result;
        try {
          result = rule(n);
        } catch (e) {
          this.record({
            id: ruleId,
            path,
            outcome: 'error',
            description: errorDescription(e, this.longExplanations),
            severity,
          });
          throw e;
        }
        if (result === NagRuleCompliance.COMPLIANT) this.record({ id: ruleId, path, outcome: 'pass' });
        else if (result === NagRuleCompliance.NOT_APPLICABLE)
          this.record({ id: ruleId, path, outcome: 'not-applicable' });
        else {
          // cdk-nag's own description of a finding (read when the rule has run: ours adds what it found).
          const description = this.longExplanations ? `${params.info} ${params.explanation}` : params.info;
          if (result === NagRuleCompliance.NON_COMPLIANT)
            this.record({ id: ruleId, path, outcome: 'fail', description, severity });
          else
            for (const part of result)
              this.record({ id: `${ruleId}[${part}]`, path, outcome: 'fail', description, severity });
        }
        return result;
      };
    }

    /**
     * Record one evaluation in the results (acknowledgements resolved as synth resolves them) and,
     * for a stack being cached, in its entry. With `report` (a replayed evaluation), also report an
     * unacknowledged finding as cdk-nag would have.
     */
    private record(e: Evaluation, report?: PolicyValidationPluginReport): void {
      const results = this.results!;
      const pack = this.readPackName;
      const node = this.node(e.path);
      results.rulesSeen.add(e.id.endsWith(']') ? e.id.replace(/\[.*\]$/, '') : e.id);
      results.ruleCount = results.rulesSeen.size;
      if (node) results.cover(node, e.outcome !== 'not-applicable');
      if (node && !report) this.storing.get(Stack.of(node).node.path)?.evaluations.push(e);
      if (e.outcome === 'pass' || e.outcome === 'not-applicable') {
        results.findings.push({ ruleId: e.id, path: e.path, outcome: e.outcome });
        return;
      }
      const ack = acknowledgementFor(this.acks, 'nag', pack, e.id, e.path);
      results.findings.push(
        ack
          ? { ruleId: e.id, path: e.path, outcome: 'acknowledged', reason: ack.reason }
          : { ruleId: e.id, path: e.path, outcome: e.outcome, message: e.description },
      );
      // cdk-nag itself honours only the bare ID; aws-cdk-lib then removes findings acknowledged with its namespace.
      if (report && !acknowledgementFor(this.acks, 'cdk', 'Annotation', e.id, e.path)) {
        const resource = { constructPath: e.path, locations: ['Properties'] };
        const existing = report.violations.find((v) => v.ruleName === e.id);
        if (existing) existing.violatingResources.push(resource);
        else
          report.violations.push({
            ruleName: e.id,
            description: e.description ?? '',
            severity: e.severity,
            violatingResources: [resource],
          });
      }
    }

    private nodes?: Map<string, IConstruct>;
    private node(path: string): IConstruct | undefined {
      return this.nodes?.get(path);
    }

    /** Decide, per stack, whether its evaluations come from the cache or will be stored in it. */
    private openCache(scope: IConstruct): void {
      this.replayed.clear();
      this.storing.clear();
      const root = scope.node.root;
      this.nodes = new Map(root.node.findAll().map((c) => [c.node.path, c]));
      if (!this.cache) return;
      const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
      const digests = new Map(stacks.map((s) => [s, templateDigest(s)]));
      const app = this.crossStack ? [...digests.values()].sort().join(',') : '';
      for (const [stack, digest] of digests) {
        if (digest === undefined || (this.crossStack && app.includes('undefined'))) continue;
        const paths = stack.node
          .findAll()
          .filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
          .map((c) => c.node.path)
          .sort();
        const key = this.cache.key(
          'cdk-nag',
          this.readPackName,
          this.cacheOptions,
          this.longExplanations,
          digest,
          paths,
          app,
        );
        const hit = this.cache.get<Evaluation[]>(key);
        if (hit) this.replayed.set(stack.node.path, hit);
        else this.storing.set(stack.node.path, { key, evaluations: [] });
      }
    }
  }
  // Concrete whenever `Base` is: the subclass adds no abstract member.
  return RecordingPack as unknown as new (
    ...args: ConstructorParameters<T>
  ) => InstanceType<T> & IRecordingPack;
}

/** cdk-nag's description of a rule that threw. */
function errorDescription(e: unknown, verbose: boolean | undefined): string {
  return `Rule threw an error during validation. ${
    verbose && e instanceof Error
      ? e.message
      : 'This is generally caused by a parameter referencing an intrinsic function.'
  }`;
}

/** The digest of a stack's synthesized template, if it has been written. */
function templateDigest(stack: Stack): string | undefined {
  const stage = Stage.of(stack);
  const file = stage ? path.join(stage.outdir, stack.templateFile) : undefined;
  return file && fs.existsSync(file) ? fileDigest(file) : undefined;
}

/**
 * Record the violations a plugin reported, resolving acknowledgements exactly as synth will
 * (`acknowledgementFor`). With `onlyMissing`, only violations no evaluation recorded as failing are
 * added. A violation without a severity (cfn-guard reports none) is given `error`, so aws-cdk-lib's
 * own recount after removing acknowledged findings fails too; `info` is information, not a finding.
 */
export function recordViolations(
  results: PackResults,
  report: PolicyValidationPluginReport,
  style: AcknowledgementStyle,
  pluginName: string,
  acks: readonly Acknowledgement[],
  root: IConstruct | undefined,
  onlyMissing = false,
): void {
  let paths: Map<string, string> | undefined;
  const recorded = new Set(
    results.findings
      .filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable')
      .map((f) => `${f.ruleId}#${f.path}`),
  );
  for (const v of report.violations) {
    if (v.severity === undefined) (v as { severity?: string }).severity = 'error';
    if (v.severity?.toLowerCase() === 'info') continue;
    for (const r of v.violatingResources) {
      let path = r.constructPath;
      if (!path && root && r.templatePath && r.resourceLogicalId) {
        paths ??= constructPathsByLogicalId(root);
        path = paths.get(`${basename(r.templatePath)}#${r.resourceLogicalId}`);
      }
      path ??= `${basename(r.templatePath ?? '')}#${r.resourceLogicalId ?? '?'}`;
      if (onlyMissing && recorded.has(`${v.ruleName}#${path}`)) continue;
      const ack = acknowledgementFor(acks, style, pluginName, v.ruleName, path);
      results.findings.push(
        ack
          ? { ruleId: v.ruleName, path, outcome: 'acknowledged', reason: ack.reason }
          : { ruleId: v.ruleName, path, outcome: 'fail', message: v.description },
      );
    }
  }
}

/** The app under validation (aws-cdk-lib passes it as `appConstruct`). */
export function appConstructOf(context: IPolicyValidationContext): IConstruct | undefined {
  return (context as { appConstruct?: IConstruct }).appConstruct;
}
