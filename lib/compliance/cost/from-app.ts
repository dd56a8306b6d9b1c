import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordedControls } from '../controls';
import { CostEstimate, estimateCost, StackTemplate, TemplateResource } from './estimate';

/**
 * The synthesized templates of every (non-nested) stack under `root`, read from the files synthesis
 * wrote (escape hatches and overrides included, as deployed), with each resource's construct path
 * taken from the construct tree. Stacks whose template was not written are left out.
 */
export function stackTemplatesOf(root: IConstruct): StackTemplate[] {
  const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested);
  const result: StackTemplate[] = [];
  for (const stack of stacks) {
    const stage = Stage.of(stack);
    if (!stage) continue;
    const file = path.join(stage.outdir, stack.templateFile);
    if (!fs.existsSync(file)) continue;
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      Resources?: Record<string, TemplateResource>;
    };
    const paths = new Map<string, string>();
    for (const c of stack.node.findAll()) {
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack)
        paths.set(stack.resolve(c.logicalId) as string, c.node.path);
    }
    result.push({
      stack: stack.stackName,
      stackPath: stack.node.path,
      resources: template.Resources ?? {},
      paths,
    });
  }
  return result;
}

/**
 * The cost estimate of the app under `root`, from the templates synthesis wrote and the controls its
 * constructs record: what the controls report holds; undefined before a synth (no template written).
 */
export function appCostEstimate(root: IConstruct): CostEstimate | undefined {
  const templates = stackTemplatesOf(root);
  return templates.length > 0 ? estimateCost(templates, { controls: recordedControls(root) }) : undefined;
}
