// Helpers for the detection and response construct tests (issue 17), independent of the app and
// config modules so these tests build only the constructs they test.
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineCompliance } from '../../lib/compliance/baseline-compliance';

/** The feature flags the app runs with (cdk.json). */
const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...(props.context ?? {}) },
  });
}

/** A fresh environment-agnostic stack in a fresh app. */
export function testStack(id = 'Test'): Stack {
  return new Stack(testApp(), id);
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` as CDK renders it in an env-agnostic stack. */
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

/**
 * Build an app with `build`, turn the whole gate on (every pack, Control Tower rules, report) and
 * synthesize it: whether synth threw, every violation the plugins reported (acknowledged ones
 * excluded), and what the gate's verdict counted as failing synth.
 */
export function synthWithGate(build: (app: App) => void): {
  threw: boolean;
  violations: unknown[];
  problems: unknown[];
} {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'response-gate-'));
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const app = testApp({ outdir });
    build(app);
    const gate = BaselineCompliance.enable(app, { summary: false });
    let threw = false;
    try {
      app.synth();
    } catch {
      threw = true;
    }
    const reportFile = path.join(outdir, 'validation-report.json');
    const report = fs.existsSync(reportFile)
      ? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
      : { pluginReports: [] };
    const violations = report.pluginReports
      .filter((r: { pluginName: string }) => r.pluginName !== 'Construct Annotations')
      .flatMap((r: { violations: { ruleName: string; violatingConstructs: unknown[] }[] }) =>
        r.violations.map((v) => ({ rule: v.ruleName, at: v.violatingConstructs })),
      );
    return { threw, violations, problems: [...(gate.lastProblems ?? [])] };
  } finally {
    errors.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
