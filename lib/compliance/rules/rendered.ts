import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One resource of a synthesized template. */
export interface RenderedResource {
  readonly Type?: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

type Template = { Resources?: Record<string, RenderedResource> };

/**
 * Resources exactly as synthesized (escape hatches and deletion overrides included), read from the
 * templates synthesis wrote, which is what validation plugins run after. Outside a synth (a rule's
 * unit test), the stack's stage is synthesized first. Only public aws-cdk-lib APIs are used.
 */
export class RenderedTemplates {
  private readonly templates = new Map<string, Template>();

  /** The rendered resource for `node`, under its logical ID. */
  public resource(node: CfnResource): [string, RenderedResource | undefined] {
    const stack = Stack.of(node);
    const logicalId = stack.resolve(node.logicalId) as string;
    return [logicalId, this.template(stack).Resources?.[logicalId]];
  }

  private template(stack: Stack): Template {
    const stage = Stage.of(stack);
    if (!stage) throw new Error(`${stack.node.path} is not in a Stage or App: its template cannot be read`);
    const file = path.join(stage.outdir, stack.templateFile);
    let template = this.templates.get(file);
    if (template) return template;
    if (!fs.existsSync(file)) {
      if (synthesizing)
        throw new Error(`${file} was not written before validation: the resource cannot be checked`);
      synthesizing = true;
      try {
        stage.synth({ force: true });
      } finally {
        synthesizing = false;
      }
    }
    template = JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
    this.templates.set(file, template);
    return template;
  }
}

/** Set while a rule synthesizes a stage itself, so validation can never re-enter it. */
let synthesizing = false;
