import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What one check concluded about one resource. */
export type Outcome = 'pass' | 'fail' | 'acknowledged' | 'not-applicable' | 'error';

export interface Finding {
  readonly ruleId: string;
  readonly path: string;
  readonly outcome: Outcome;
  /** The acknowledgement's reason, for acknowledged findings. */
  readonly reason?: string;
  /** What the plugin said about a failing finding. */
  readonly message?: string;
}

/** Per stack (construct path): how many resources a pack looked at, and how many a rule applied to. */
export interface StackCoverage {
  readonly resources: Set<string>;
  readonly applicable: Set<string>;
}

/** Results of one plugin (pack) during one synth, filled while it validates. */
export class PackResults {
  /** Every recorded outcome: each rule evaluation (cdk-nag packs) or each reported violation (others). */
  public readonly findings: Finding[] = [];
  /** Number of rules the plugin declares (guard) or was seen to evaluate (cdk-nag packs). */
  public ruleCount = 0;
  /** Rule IDs seen evaluated in this synth (cdk-nag packs). */
  public readonly rulesSeen = new Set<string>();
  /** Set once the plugin has validated in this synth. */
  public ran = false;
  /** The plugin's own error, when it failed to validate at all. */
  public crashed?: string;
  /** Coverage per stack (cdk-nag packs only). */
  public readonly coverage = new Map<string, StackCoverage>();

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
    this.coverage.clear();
    this.rulesSeen.clear();
    this.ran = false;
    this.crashed = undefined;
  }

  public count(outcome: Outcome): number {
    return this.findings.filter((f) => f.outcome === outcome).length;
  }

  /** Findings that fail synth: unacknowledged violations and rules that could not decide. */
  public unacknowledged(): Finding[] {
    return this.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error');
  }

  /** Note that the pack evaluated `resource` (applicable or not) in its stack. */
  public cover(resource: IConstruct, applicable: boolean): void {
    const stack = Stack.of(resource).node.path;
    let c = this.coverage.get(stack);
    if (!c) this.coverage.set(stack, (c = { resources: new Set(), applicable: new Set() }));
    c.resources.add(resource.node.path);
    if (applicable) c.applicable.add(resource.node.path);
  }
}

/** `<template file>#<logical id>` → construct path, for every CloudFormation resource under `root`. */
export function constructPathsByLogicalId(root: IConstruct): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of root.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    const stack = Stack.of(c);
    map.set(`${stack.templateFile}#${stack.resolve(c.logicalId)}`, c.node.path);
  }
  return map;
}
