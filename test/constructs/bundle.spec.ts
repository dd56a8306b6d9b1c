import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { esbuildBuildOptions, esbuildCode } from '../../lib/constructs/bundle';
import { testApp } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');
const AUDIT_ENTRY = path.join(ROOT, 'lib', 'audit', 'lambda.ts');

/** The S3 key (the asset hash) of each Lambda function in the stack, by logical ID prefix. */
function assetKeys(stack: Stack): Record<string, string> {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.fromEntries(
    Object.entries(functions).map(([id, f]) => [id.replace(/[0-9A-F]{8}$/, ''), f.Properties.Code.S3Key]),
  );
}

function assetFile(outdir: string, s3Key: string, file = 'index.js'): string {
  return path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, file);
}

function fn(stack: Stack, id: string, code: lambda.Code): lambda.Function {
  return new lambda.Function(stack, id, {
    code,
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_24_X,
  });
}

describe('esbuildCode', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-test-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** A small project: package.json, an entry importing a local module and an external package. */
  function project(name: string, source: string): string {
    const dir = path.join(work, name);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"p","version":"1.0.0"}');
    fs.writeFileSync(path.join(dir, 'src', 'greeting.js'), 'exports.greeting = "hello from the bundle";\n');
    fs.writeFileSync(path.join(dir, 'src', 'handler.js'), source);
    return path.join(dir, 'src', 'handler.js');
  }

  // The promise that the template and the asset hash do not change: the same build NodejsFunction
  // runs (through `npx --no-install esbuild`) for the props ContinuousAudit used to pass it.
  test('builds byte for byte what NodejsFunction builds from the same entry and bundling props', () => {
    const outdir = path.join(work, 'same');
    const app = testApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
    const stack = new Stack(app, 'Same');
    new nodejs.NodejsFunction(stack, 'ByNodejsFunction', {
      entry: AUDIT_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: false,
        externalModules: ['@aws-sdk/*'],
      },
    });
    fn(
      stack,
      'ByEsbuildCode',
      esbuildCode({
        entry: AUDIT_ENTRY,
        runtime: lambda.Runtime.NODEJS_24_X,
        minify: true,
        externalModules: ['@aws-sdk/*'],
      }),
    );
    const keys = assetKeys(stack);
    expect(Object.keys(keys).sort()).toEqual(['ByEsbuildCode', 'ByNodejsFunction']);
    expect(keys.ByEsbuildCode).toBe(keys.ByNodejsFunction);
    expect(fs.readdirSync(path.dirname(assetFile(outdir, keys.ByEsbuildCode)))).toEqual(['index.js']);
    // Not an empty or trivial bundle that would make the comparison vacuous.
    expect(fs.readFileSync(assetFile(outdir, keys.ByEsbuildCode), 'utf8')).toContain(
      'baseline-audit found problems',
    );
  }, 60_000);

  test('bundles local modules, leaves externals to the runtime, and the result runs', () => {
    const entry = project(
      'js',
      'const { greeting } = require("./greeting");\n' +
        'const external = require("runtime-provided");\n' +
        'exports.handler = async () => ({ greeting, external: external.name });\n',
    );
    const outdir = path.join(work, 'js-out');
    const app = testApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
    const stack = new Stack(app, 'Js');
    const options = { entry, runtime: lambda.Runtime.NODEJS_24_X, externalModules: ['runtime-provided'] };
    fn(stack, 'Fn', esbuildCode(options));
    const bundle = fs.readFileSync(assetFile(outdir, assetKeys(stack).Fn), 'utf8');
    expect(bundle).toContain('hello from the bundle');
    expect(bundle).toContain('require("runtime-provided")');
    expect(bundle).not.toContain('require("./greeting")');
    // Defaults: esbuild works from the entry's package root; not minified.
    expect(esbuildBuildOptions(options, '/out')).toEqual(
      expect.objectContaining({
        absWorkingDir: path.join(work, 'js'),
        minify: false,
        target: 'node24',
        platform: 'node',
        outfile: path.join('/out', 'index.js'),
      }),
    );

    // Run it: the "runtime" provides the external module (a node_modules folder above the asset).
    const provided = path.join(work, 'node_modules', 'runtime-provided');
    fs.mkdirSync(provided, { recursive: true });
    fs.writeFileSync(path.join(provided, 'index.js'), 'exports.name = "provided";\n');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(assetFile(outdir, assetKeys(stack).Fn));
    return expect(loaded.handler()).resolves.toEqual({
      greeting: 'hello from the bundle',
      external: 'provided',
    });
  });

  test('different builds from one folder are different assets, not one cached bundle', () => {
    const entry = project('variants', 'exports.handler = async () => require("./greeting").greeting;\n');
    const outdir = path.join(work, 'variants-out');
    const app = testApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
    const stack = new Stack(app, 'Variants');
    const runtime = lambda.Runtime.NODEJS_24_X;
    fn(stack, 'Plain', esbuildCode({ entry, runtime }));
    fn(stack, 'Minified', esbuildCode({ entry, runtime, minify: true }));
    fn(stack, 'MinifiedAgain', esbuildCode({ entry, runtime, minify: true }));
    const keys = assetKeys(stack);
    expect(keys.Minified).not.toBe(keys.Plain);
    expect(keys.MinifiedAgain).toBe(keys.Minified);
    const plain = fs.readFileSync(assetFile(outdir, keys.Plain), 'utf8');
    const minified = fs.readFileSync(assetFile(outdir, keys.Minified), 'utf8');
    expect(minified.length).toBeLessThan(plain.length);
    expect(minified).toContain('hello from the bundle');
  });

  test('stacks CDK does not bundle do not run esbuild; the ones it bundles report its errors', () => {
    const entry = project('broken', 'exports.handler = async () => {\n  return (;\n};\n');
    const skipped = new Stack(testApp({ outdir: path.join(work, 'skipped') }), 'Skipped');
    expect(() =>
      fn(skipped, 'Fn', esbuildCode({ entry, runtime: lambda.Runtime.NODEJS_24_X })),
    ).not.toThrow();
    expect(assetKeys(skipped).Fn).toMatch(/\.zip$/);

    const bundled = new Stack(
      testApp({ outdir: path.join(work, 'bundled'), context: { 'aws:cdk:bundling-stacks': ['**'] } }),
      'Bundled',
    );
    let error: Error | undefined;
    try {
      fn(bundled, 'Fn', esbuildCode({ entry, runtime: lambda.Runtime.NODEJS_24_X }));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`esbuild could not bundle ${entry}: `);
    expect(error?.message).toMatch(/src[\\/]handler\.js:2:\d+: ERROR: /);
  });

  test('rejects a missing entry and a runtime that is not Node.js, naming the value', () => {
    const missing = path.join(work, 'nowhere', 'handler.ts');
    expect(() => esbuildCode({ entry: missing, runtime: lambda.Runtime.NODEJS_24_X })).toThrow(
      `esbuildCode: cannot find the entry file ${missing}`,
    );
    const entry = project('python', 'exports.handler = async () => 1;\n');
    expect(() => esbuildCode({ entry, runtime: lambda.Runtime.PYTHON_3_13 })).toThrow(
      'esbuildCode: not a Node.js runtime: "python3.13"',
    );
  });
});
