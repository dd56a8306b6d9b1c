import { BackgroundCheck, backgroundMode } from './background';

/**
 * CloudFormation validation, started before the app is built.
 *
 * aws-cdk-lib's validation engine is WebAssembly whose first start in a process (compiling, then
 * initialising its resource schemas) costs one to two seconds of CPU, whatever it validates; a second
 * engine in the same process starts in a tenth of that. So the child process that will validate the
 * templates is started as early as possible and starts an engine once on a one-resource template
 * while the app loads its modules and builds its constructs on the other core; when the templates
 * exist, the gate gives it their paths (`GatedCloudFormationValidate.prefetch`).
 *
 * `BaselineCompliance.enable` starts it (when CloudFormation validation is on). The project's app
 * starts it even earlier, first thing in bin/app.ts, through `startValidationEarly()`; this module
 * loads nothing but Node's own modules, so that costs nothing before the app's imports. A child that
 * is never given templates (the findings cache answers for all of them, or synth fails before
 * validation) is stopped, and ends with the process at the latest. It runs at normal priority. It
 * had run at nice 10 until given templates, so that a synth answered from the cache would not wait
 * for it; since the engine's start costs half as much (`--single-threaded-gc`, below), that bought
 * nothing measurable (warm 1.11x the empty app at normal priority, 1.14x at nice 10, 4 rounds each),
 * while a user who may not raise a priority back (anyone but root) paid for it on every cold synth:
 * 1.75-1.87x at nice 10 against 1.64x at normal priority.
 *
 * Off with `CDK_VALIDATION=false` (no CloudFormation validation at all) or
 * `CDK_SECURITY_BASELINE_BACKGROUND=off` (every check in the app's process).
 */

/** Where the warm-up leaves its plugin in the child, for the check to use. */
const WARM_PLUGIN = 'cdkSecurityBaselineWarmPlugin';

/**
 * What the child runs on its input: aws-cdk-lib's own plugin, on the templates it is given. It is
 * the warm-up's plugin when there is one: the plugin frees its engine before starting the one the
 * templates need, where a second plugin would grow the WebAssembly memory and pay for it in copies
 * and garbage collection (measured: 2.7 s of CPU for six templates instead of 1.1 s).
 */
export const CFN_VALIDATE_PROGRAM =
  'const { CloudFormationValidatePlugin } = require(input.module);\n' +
  `const plugin = globalThis.${WARM_PLUGIN} || new CloudFormationValidatePlugin();\n` +
  'return plugin.validate({ templatePaths: input.templatePaths, stackTemplates: input.stackTemplates });';

/**
 * V8 flags for the child:
 * - `--liftoff-only`: WebAssembly compiled once, with the baseline compiler (Liftoff) only, instead
 *   of baseline and then optimising in background threads. Measured on the 2-core machine: half the
 *   CPU for an engine's start and six templates, on a machine where the other core is busy with the app.
 * - `--single-threaded-gc`: the garbage collector on the child's own thread. The engine's start
 *   allocates heavily, and V8's parallel and concurrent collector threads spent more CPU than they
 *   saved: the engine's start on a one-resource template took 1.5 to 2.4 s of CPU with them and 0.9 to
 *   1.0 s without (less wall time too), validating the default app's templates the same; the cold
 *   main job went from 1.89x to 1.63x the empty app (`npm run bench`, 5 rounds each).
 * The findings do not depend on how the code is compiled or collected.
 */
export const CFN_VALIDATE_V8_FLAGS = ['--liftoff-only', '--single-threaded-gc'];

let early: BackgroundCheck | undefined;

/** Start the validating child now, unless validation or background checks are off, or one waits already. */
export function startValidationEarly(): void {
  if (early || process.env.CDK_VALIDATION === 'false' || backgroundMode() === 'off') return;
  early = BackgroundCheck.prepare('CloudFormation Validate', CFN_VALIDATE_PROGRAM, {
    v8Flags: CFN_VALIDATE_V8_FLAGS,
    warmUp: warmUp(),
  });
}

/** The child started early, for the gate to give templates to (once). */
export function takeEarlyValidation(): BackgroundCheck | undefined {
  const check = early;
  early = undefined;
  return check;
}

/** The child's warm-up: an engine started once on a one-resource template. */
function warmUp(): string {
  const cdk = require.resolve('aws-cdk-lib');
  // In the check's own folder (`dir`): removed by the parent even when the child is stopped mid-way.
  return `
const fs = require('fs'), path = require('path');
const { CloudFormationValidatePlugin } = require(${JSON.stringify(cdk)});
const file = path.join(dir, 'Warm.template.json');
fs.writeFileSync(file, JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } } }));
const plugin = new CloudFormationValidatePlugin();
plugin.validate({ templatePaths: [file], stackTemplates: [{ stackConstructPath: 'Warm', templatePath: file }] });
globalThis.${WARM_PLUGIN} = plugin;`;
}
