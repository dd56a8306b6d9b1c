import { AssetHashType, DockerImage, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How to bundle a Node.js Lambda handler with esbuild (a subset of NodejsFunction's bundling props). */
export interface EsbuildCodeOptions {
  /** The handler's source file: `.ts` in the repository, `.js` in the published package. */
  readonly entry: string;

  /** The runtime the bundle is built for: `nodejs24.x` means esbuild's `--target=node24`. */
  readonly runtime: lambda.Runtime;

  /**
   * Modules left out of the bundle, because the runtime provides them (e.g. `@aws-sdk/*`).
   * @default - none: everything the entry imports is bundled
   */
  readonly externalModules?: string[];

  /**
   * Minify the bundle.
   * @default false
   */
  readonly minify?: boolean;

  /**
   * esbuild's working directory (where it looks for tsconfig.json and package.json files from).
   * @default - the nearest folder above `entry` that holds a package.json
   */
  readonly workingDirectory?: string;
}

/**
 * The options esbuild's JS API gets for `options`: the same build NodejsFunction runs through the
 * esbuild CLI for the same bundling props (`--bundle ENTRY --target=nodeNN --platform=node
 * --outfile=OUT/index.js [--minify] --external:X ...`, no source map, esbuild's default CommonJS
 * format), so the bundle and with it the asset hash do not change.
 */
export function esbuildBuildOptions(options: EsbuildCodeOptions, outputDir: string): BuildOptions {
  const version = /^nodejs(\d+)/.exec(options.runtime.name);
  if (!version)
    throw new Error(`esbuildCode: not a Node.js runtime: ${JSON.stringify(options.runtime.name)}`);
  const entry = path.resolve(options.entry);
  return {
    entryPoints: [entry],
    bundle: true,
    target: `node${version[1]}`,
    platform: 'node',
    outfile: path.join(outputDir, 'index.js'),
    minify: options.minify ?? false,
    external: options.externalModules ?? [],
    absWorkingDir: path.resolve(options.workingDirectory ?? packageRoot(entry)),
    logLevel: 'warning',
  };
}

/**
 * Lambda code bundled by esbuild's JS API inside this process, as `index.js` (so the handler is
 * `index.<export>`). NodejsFunction runs the same build through `npx --no-install esbuild` when the
 * project has a package-lock.json, and starting npx costs about 0.6 s on every synth; this does not
 * need npx, a lockfile or Docker. Like NodejsFunction, the asset hash is the hash of the bundle
 * (AssetHashType.OUTPUT), and stacks CDK does not bundle (`cdk deploy OtherStack`, tests with
 * `aws:cdk:bundling-stacks: []`) skip the build.
 */
export function esbuildCode(options: EsbuildCodeOptions): lambda.Code {
  const entry = path.resolve(options.entry);
  if (!fs.existsSync(entry)) throw new Error(`esbuildCode: cannot find the entry file ${entry}`);
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new EsbuildLocalBundling({ ...options, entry }),
      // Required by the interface, never used: local bundling either builds or throws, so CDK
      // never falls back to Docker (the project does not use Docker bundling).
      image: DockerImage.fromRegistry('dummy'),
    },
  });
}

/**
 * Runs esbuild in-process. CDK caches bundles per app by the asset's source path and the JSON of
 * its bundling options, which drops functions: the options are plain data fields of this object so
 * that two different builds from one folder never share a cache entry.
 */
class EsbuildLocalBundling implements ILocalBundling {
  public readonly buildOptions: BuildOptions;

  constructor(private readonly options: EsbuildCodeOptions) {
    this.buildOptions = esbuildBuildOptions(options, '<output>');
  }

  public tryBundle(outputDir: string): boolean {
    let esbuild: typeof import('esbuild');
    try {
      // Loaded on first use only: synths and tests that skip bundling never start esbuild.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      esbuild = require('esbuild');
    } catch (e) {
      throw new Error(
        `Cannot bundle ${this.options.entry}: the esbuild package (a dependency of cdk-security-baseline) ` +
          `could not be loaded: ${(e as Error).message}`,
      );
    }
    try {
      esbuild.buildSync(esbuildBuildOptions(this.options, outputDir));
    } catch (e) {
      throw new Error(`esbuild could not bundle ${this.options.entry}: ${(e as Error).message}`);
    }
    return true;
  }
}

/** The nearest folder at or above `file`'s folder with a package.json (else `file`'s folder). */
function packageRoot(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}
