import { App, AppProps, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp, buildBaselineStacks } from '../lib/baseline-app';

/** The feature flags the app runs with (cdk.json), so tests see what `cdk synth` produces. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app with the project's feature flags. Asset bundling (esbuild for the continuous-audit
 * function) is skipped unless a test asks for it with `'aws:cdk:bundling-stacks': ['**']`: the
 * template is the same, and the bundle is tested once, in test/constructs/continuous-audit.spec.ts.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...(props.context ?? {}) },
  });
}

/**
 * The baseline app built from `config` the way `-c config=FILE` does it: written to a temporary
 * file (removed once the app has read it) and loaded by buildBaselineApp. With `gate: false`, the
 * same stacks without the compliance gate (buildBaselineStacks), for a test about templates only:
 * a synth then costs a fraction of the CPU.
 */
export function buildFromConfig(config: unknown, { gate = true } = {}): { app: App; stacks: Stack[] } {
  return withTempFile('baseline.json', JSON.stringify(config), (file) => {
    const app = testApp({ context: { config: file } });
    return { app, stacks: gate ? buildBaselineApp(app) : buildBaselineStacks(app) };
  });
}

/** `use` a file `name` holding `text`, in a temporary folder removed afterwards (nothing left behind). */
export function withTempFile<T>(name: string, text: string, use: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-test-'));
  try {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh stack in a fresh app, env-agnostic like the default baseline. */
export function testStack(id = 'Test'): Stack {
  return new Stack(testApp(), id);
}

/** Resources of one type in a template, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, Record<string, any>][] {
  return Object.entries(template.findResources(type));
}

/** Warnings on a stack whose message mentions `text`. */
export function warningsMentioning(stack: Stack, text: string) {
  return Annotations.fromStack(stack).findWarning(
    '*',
    Match.stringLikeRegexp(text.replace(/[[\]().*+?^$|]/g, '\\$&')),
  );
}

/** `PublicAccessBlockConfiguration` with every block on. */
export const ALL_PUBLIC_ACCESS_BLOCKED = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

/** The `Fn::Join` CDK renders for `arn:<partition>:<service>:<region>:<account>:<resource>` in an env-agnostic stack. */
export function regionalArn(service: string, resource: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:${service}:`,
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  };
}
