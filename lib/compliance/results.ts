import {
  CfnResource,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { IApplyRule, NagPack, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { basename } from 'node:path';

/** One acknowledgement found in the construct tree. */
export interface Acknowledgement {
  /** The acknowledged ID without its plugin namespace, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  readonly reason: string;
  /** Construct path the acknowledgement was made on. */
  readonly at: string;
}

/** What one check concluded about one resource. */
export type Outcome = 'pass' | 'fail' | 'acknowledged' | 'not-applicable' | 'error';

export interface Finding {
  readonly ruleId: string;
  readonly path: string;
  readonly outcome: Outcome;
  /** The acknowledgement's reason, for acknowledged findings. */
  readonly reason?: string;
}

/** Results of one plugin (pack) during one synth. */
export class PackResults {
  public readonly findings: Finding[] = [];
  /** Number of rules the plugin declares (guard) or was seen to evaluate (cdk-nag packs). */
  public ruleCount = 0;

  /**
   * @param pack the plugin's name
   * @param passesKnown whether passing evaluations are recorded (cdk-nag packs) or only violations
   *   (plugins that report violations only, such as cfn-guard)
   */
  constructor(
    public readonly pack: string,
    public readonly passesKnown: boolean,
  ) {}

  public reset(): void {
    this.findings.length = 0;
  }

  public count(outcome: Outcome): number {
    return this.findings.filter((f) => f.outcome === outcome).length;
  }
}

/** Every acknowledgement in the tree under `root`. */
export function collectAcknowledgements(root: IConstruct): Acknowledgement[] {
  const result: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        result.push({ id: stripNamespace(id), reason, at: c.node.path });
      }
    }
  }
  return result;
}

/** The acknowledgement covering `ruleId` on the construct at `path` (it or an ancestor), if any. */
export function findAcknowledgement(
  acks: readonly Acknowledgement[],
  ruleId: string,
  path: string,
): Acknowledgement | undefined {
  return acks
    .filter((a) => a.id === ruleId && (path === a.at || path.startsWith(`${a.at}/`)))
    .sort((x, y) => y.at.length - x.at.length)[0];
}

function stripNamespace(id: string): string {
  const i = id.indexOf('::');
  return i >= 0 ? id.slice(i + 2) : id;
}

/**
 * Record every rule evaluation of a cdk-nag pack (compliant, non-compliant, not applicable, error),
 * so the summary and the controls report can count passes as well as failures. cdk-nag reports only
 * violations; this wraps the pack's `applyRule` without changing what it decides.
 */
export function recordNagPack(pack: NagPack, results: PackResults): void {
  const target = pack as unknown as {
    applyRule(params: IApplyRule): void;
    validateScope(scope: IConstruct): unknown;
  };
  const applyRule = target.applyRule.bind(pack);
  const validateScope = target.validateScope.bind(pack);
  // Every synth starts from empty results.
  target.validateScope = (scope: IConstruct) => {
    results.reset();
    return validateScope(scope);
  };
  const seen = new Set<string>();
  let root: IConstruct | undefined;
  let acks: Acknowledgement[] = [];
  target.applyRule = (params: IApplyRule) => {
    const suffix = params.ruleSuffixOverride ?? params.rule.name;
    const ruleId = `${pack.readPackName}-${suffix}`;
    seen.add(ruleId);
    results.ruleCount = seen.size;
    const appRoot = params.node.node.root;
    if (appRoot !== root) {
      root = appRoot;
      acks = collectAcknowledgements(appRoot);
    }
    const path = params.node.node.path;
    applyRule({
      ...params,
      ruleSuffixOverride: suffix,
      rule: (node: CfnResource) => {
        let result;
        try {
          result = params.rule(node);
        } catch (e) {
          results.findings.push({ ruleId, path, outcome: outcomeOf(acks, ruleId, path, 'error') });
          throw e;
        }
        if (result === NagRuleCompliance.COMPLIANT) results.findings.push({ ruleId, path, outcome: 'pass' });
        else if (result === NagRuleCompliance.NOT_APPLICABLE)
          results.findings.push({ ruleId, path, outcome: 'not-applicable' });
        else if (result === NagRuleCompliance.NON_COMPLIANT)
          results.findings.push(finding(acks, ruleId, path));
        else for (const part of result) results.findings.push(finding(acks, `${ruleId}[${part}]`, path));
        return result;
      },
    });
  };
}

function finding(acks: readonly Acknowledgement[], ruleId: string, path: string): Finding {
  const ack = findAcknowledgement(acks, ruleId, path);
  return ack
    ? { ruleId, path, outcome: 'acknowledged', reason: ack.reason }
    : { ruleId, path, outcome: 'fail' };
}

function outcomeOf(
  acks: readonly Acknowledgement[],
  ruleId: string,
  path: string,
  otherwise: Outcome,
): Outcome {
  return findAcknowledgement(acks, ruleId, path) ? 'acknowledged' : otherwise;
}

/**
 * A validation plugin that delegates to another (e.g. the cfn-guard validator) and records the
 * violations it reports, resolving acknowledgements from the construct tree as CDK will.
 */
export class RecordingPlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(
    private readonly inner: IPolicyValidationPlugin,
    private readonly results: PackResults,
  ) {
    this.name = inner.name;
    this.version = inner.version;
    this.ruleIds = inner.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.inner.validate(context);
    const root = (context as { appConstruct?: IConstruct }).appConstruct;
    const acks = root ? collectAcknowledgements(root) : [];
    const paths = root ? constructPathsByLogicalId(root) : new Map<string, string>();
    this.results.reset();
    this.results.ruleCount = this.inner.ruleIds?.length ?? 0;
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        const key = `${basename(r.templatePath ?? '')}#${r.resourceLogicalId}`;
        this.results.findings.push(finding(acks, v.ruleName, paths.get(key) ?? key));
      }
    }
    return report;
  }
}

/** `<template file>#<logical id>` → construct path, for every CloudFormation resource under `root`. */
function constructPathsByLogicalId(root: IConstruct): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of root.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    const stack = Stack.of(c);
    map.set(`${stack.templateFile}#${stack.resolve(c.logicalId)}`, c.node.path);
  }
  return map;
}
