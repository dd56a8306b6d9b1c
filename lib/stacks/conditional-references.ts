import { Aspects, CfnCondition, CfnOutput, CfnResource, IAspect } from 'aws-cdk-lib';
import { StackSetStack } from 'cdk-stacksets';
import { IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Sets a CloudFormation condition on every resource and output below the constructs it visits. */
class OnlyWhen implements IAspect {
  constructor(private readonly condition: CfnCondition) {}
  public visit(node: IConstruct): void {
    if (node instanceof CfnResource) node.cfnOptions.condition = this.condition;
    else if (node instanceof CfnOutput) node.condition = this.condition;
  }
}

/** Deploy every resource and output under `constructs` only when `condition` holds. */
export function deployOnlyWhen(constructs: readonly IConstruct[], condition: CfnCondition): void {
  for (const c of constructs) Aspects.of(c).add(new OnlyWhen(condition));
}

/** The parts of a synthesized template the check reads. */
export type TemplateJson = {
  Resources?: Record<string, { Condition?: string; DependsOn?: string | string[]; Properties?: unknown }>;
  Outputs?: Record<string, { Condition?: string; Value?: unknown }>;
};

/**
 * References that break when a condition is false: an element deployed under one condition (or
 * none) that refers to a resource deployed only under another. CloudFormation rejects such a
 * template at deploy time; this finds them at synth.
 */
export function conditionalReferenceProblems(template: TemplateJson): string[] {
  const resources = template.Resources ?? {};
  const conditionOf = (id: string) => resources[id]?.Condition;
  const problems: string[] = [];
  const refsIn = (value: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string') out.add(v);
        else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
        else if (k === 'Fn::Sub') {
          const text = Array.isArray(v) ? String(v[0]) : String(v);
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) out.add(m[1]);
          if (Array.isArray(v)) refsIn(v[1], out);
        } else refsIn(v, out);
      }
    }
    return out;
  };
  const check = (what: string, condition: string | undefined, refs: Set<string>) => {
    for (const ref of refs) {
      const target = conditionOf(ref);
      if (resources[ref] && target !== undefined && target !== condition) {
        problems.push(
          `${what} (${condition ? `condition ${condition}` : 'always deployed'}) refers to ${ref}, deployed only when ${target}`,
        );
      }
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    const refs = refsIn(r.Properties, new Set());
    for (const d of [r.DependsOn ?? []].flat()) refs.add(d);
    check(`resource ${id}`, r.Condition, refs);
  }
  for (const [id, o] of Object.entries(template.Outputs ?? {})) {
    check(`output ${id}`, o.Condition, refsIn(o.Value, new Set()));
  }
  return problems;
}

/**
 * Every conditional-reference problem of the StackSet templates under `root`, read from the cloud
 * assembly `app.synth()` wrote to `assemblyDir` (a StackSet template is a file asset of its parent,
 * not a stack of the assembly). bin/app.ts runs it after every synth and fails on any problem.
 */
export function stackSetTemplateProblems(root: IConstruct, assemblyDir: string): string[] {
  return root.node
    .findAll()
    .filter((c): c is StackSetStack => c instanceof StackSetStack)
    .flatMap((s) => {
      const file = path.join(assemblyDir, s.templateFile);
      const template = JSON.parse(fs.readFileSync(file, 'utf8')) as TemplateJson;
      return conditionalReferenceProblems(template).map((p) => `${s.node.path} (${s.templateFile}): ${p}`);
    });
}
