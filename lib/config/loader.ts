import * as fs from 'node:fs';
import * as path from 'node:path';
import { crossFieldProblems } from './cross-field';
import { DEFAULT_CONFIG } from './default-config';
import { CONFIG_LIMITS, parseConfigText } from './parse';
import { ConfigError, ConfigProblem, formatPath, fromZodIssue } from './problems';
import { profileDefaults } from './profiles';
import { configSchema, ProfileName } from './schema';
import { assetBucketPrefix, expandTargets } from './targets';
import { EnvironmentConfig, PolicyConfig } from './types';

export { ConfigError } from './problems';
export type { ConfigProblem } from './problems';

export interface LoadConfigOptions {
  /** Path of a JSON (or JSON with comments) config file (context `config`). @default - the embedded DEFAULT_CONFIG */
  readonly configFile?: string;
  /** Environment to build (context `env`). @default - every configured environment */
  readonly env?: unknown;
}

export interface LoadedConfig {
  /** Where the configuration came from: the file path, or `embedded default`. */
  readonly source: string;
  /** Settings of the whole configuration, held once. */
  readonly policy: PolicyConfig;
  readonly environments: EnvironmentConfig[];
}

/** Read, validate and resolve the configuration. Throws ConfigError listing every problem; nothing else. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  if (options.configFile === undefined) {
    return { source: 'embedded default', ...resolve(DEFAULT_CONFIG, 'embedded default', options.env) };
  }
  const source = options.configFile;
  const text = readText(source);
  const parsed = parseConfigText(text);
  return { source, ...resolve(parsed.value, source, options.env, parsed.problems, parsed.rawNumbers) };
}

/**
 * Validate a parsed configuration and resolve the selected environments (all when `env` is
 * undefined) against their profiles. Throws ConfigError listing every problem at once.
 */
export function resolveConfig(raw: unknown, source: string, env?: unknown): EnvironmentConfig[] {
  return resolve(raw, source, env).environments;
}

function readText(source: string): string {
  const problem = (message: string, received: unknown = source): never => {
    throw new ConfigError(source, [{ path: 'config', received, message }]);
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path.resolve(source));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return problem(err.code === 'ENOENT' ? 'an existing file' : `a readable file (${err.message})`);
  }
  if (!stat.isFile()) return problem('a file (this is not a regular file)');
  if (stat.size > CONFIG_LIMITS.maxBytes) {
    return problem(`a file of at most ${CONFIG_LIMITS.maxBytes} bytes`, `${source} (${stat.size} bytes)`);
  }
  try {
    return fs.readFileSync(path.resolve(source), 'utf8');
  } catch (e) {
    return problem(`a readable file (${(e as Error).message})`);
  }
}

/** Schema, profiles and cross-field rules in one pass; every problem collected before throwing. */
function resolve(
  raw: unknown,
  source: string,
  env: unknown,
  problems: ConfigProblem[] = [],
  rawNumbers: ReadonlyMap<string, string> = new Map(),
): Omit<LoadedConfig, 'source'> {
  if (problems.length > 0 && raw === undefined) throw new ConfigError(source, problems);
  problems.push(...protoKeyProblems(raw, []));
  const withProfiles = applyProfiles(raw);
  const parsed = configSchema.safeParse(withProfiles, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap((i) => fromZodIssue(i, rawNumbers)));
  problems.push(...crossFieldProblems(raw));

  const envs = ownObject(raw, 'environments');
  const names = envs ? Object.keys(envs) : [];
  if (env !== undefined && (typeof env !== 'string' || !names.includes(env))) {
    problems.push({
      path: 'env (context -c env=NAME)',
      received: env,
      message:
        names.length > 0
          ? `one of the configured environments: ${names.join(', ')}`
          : 'a configured environment',
    });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(source, problems);

  const config = parsed.data;
  const byName = new Map(Object.entries(config.environments));
  const selected = env === undefined ? names : [env as string];
  return {
    policy: config.policy,
    environments: selected.map((name) => resolveEnvironment(name, byName.get(name)!)),
  };
}

type ParsedEnvironment = ReturnType<typeof configSchema.parse>['environments'][string];

/** The settings of one environment, from its parsed entry: only what the schema cannot default itself. */
function resolveEnvironment(name: string, input: ParsedEnvironment): EnvironmentConfig {
  const { profile, targets, organization, stackName: givenName, ...settings } = input;
  const stackName = givenName ?? `SecurityBaseline-${name}`;
  const targetRegions = targets?.regions ?? organization?.regions ?? [];
  return {
    ...settings,
    name,
    profile: (profile ?? name) as ProfileName,
    stackName,
    targets: expandTargets(input, stackName),
    organization: organization && {
      ...organization,
      homeRegion: organization.homeRegion ?? organization.regions[0],
      assetBucketPrefix:
        organization.assetBucketPrefix ?? assetBucketPrefix(organization.organizationId, name),
    },
    // The continuous audit runs once per account and checks every region the environment covers.
    audit:
      settings.audit.regions.length === 0 ? { ...settings.audit, regions: targetRegions } : settings.audit,
  };
}

/**
 * The configuration with each environment's profile defaults under what it states: the one place
 * profiles apply. Anything malformed is passed through for the schema to report.
 */
function applyProfiles(raw: unknown): unknown {
  const envs = ownObject(raw, 'environments');
  if (!envs) return raw;
  const merged = Object.entries(envs).map(([name, env]) => {
    const profile = isObject(env) && Object.hasOwn(env, 'profile') ? env.profile : name;
    const defaults = profileDefaults(profile);
    return [name, defaults && isObject(env) ? mergeOver(defaults, env) : env] as const;
  });
  // Object.fromEntries and spread define own properties: "__proto__" stays an ordinary key.
  return { ...(raw as object), environments: Object.fromEntries(merged) };
}

/** `over` on top of `base`: objects merge key by key, anything else in `over` wins. */
function mergeOver(base: object, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(base));
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue; // left out: the profile's value stands
    const below = Object.hasOwn(out, key) ? out[key] : undefined;
    const merged = isObject(below) && isObject(value) ? mergeOver(below, value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * "__proto__" as a key: parsers keep it as an own property, but copies and zod's records drop it
 * silently (it would set a prototype), so it is refused wherever it appears.
 */
function protoKeyProblems(value: unknown, at: (string | number)[]): ConfigProblem[] {
  if (at.length > CONFIG_LIMITS.maxDepth || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => protoKeyProblems(v, [...at, i]));
  return Object.keys(value).flatMap((key) =>
    key === '__proto__'
      ? [
          {
            path: formatPath([...at, key]),
            received: undefined,
            message: 'a key other than "__proto__" (it cannot be kept as an ordinary key)',
          },
        ]
      : protoKeyProblems((value as Record<string, unknown>)[key], [...at, key]),
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ownObject(o: unknown, key: string): Record<string, unknown> | undefined {
  const v = isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined;
  return isObject(v) ? v : undefined;
}
