import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONFIG } from './default-config';
import { DEFAULT_MAX_KEY_ROTATION_DAYS, PROFILES } from './profiles';
import { BaselineConfigInput, configSchema, EnvironmentInput, PROFILE_NAMES, ProfileName } from './schema';
import { EnvironmentConfig } from './types';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** Dotted path of the setting, e.g. `environments.prod.auditLog.retentionDays`. */
  readonly path: string;
  /** The value found there (undefined when the setting is missing). */
  readonly received: unknown;
  /** What is allowed. */
  readonly message: string;
}

/** Every problem of a configuration, reported together. Thrown before any stack is built. */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration (${source}): ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        problems
          .map((p) => `  - ${p.path || '(root)'}: got ${render(p.received)}; expected ${p.message}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Path of a JSON config file (context `config`). @default - the embedded DEFAULT_CONFIG */
  readonly configFile?: string;
  /** Environment to build (context `env`). @default - every configured environment */
  readonly env?: unknown;
}

export interface LoadedConfig {
  /** Where the configuration came from: the file path, or `embedded default`. */
  readonly source: string;
  readonly environments: EnvironmentConfig[];
}

/** Read, validate and resolve the configuration. Throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  if (options.configFile === undefined) {
    return {
      source: 'embedded default',
      environments: resolveConfig(DEFAULT_CONFIG, 'embedded default', options.env),
    };
  }
  const source = options.configFile;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.resolve(source), 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'an existing file'
        : err instanceof SyntaxError
          ? `valid JSON (${err.message})`
          : `a readable JSON file (${err.message})`;
    throw new ConfigError(source, [{ path: 'config', received: source, message: why }]);
  }
  return { source, environments: resolveConfig(raw, source, options.env) };
}

/**
 * Validate a parsed configuration and resolve the selected environments (all when `env` is
 * undefined) against their profiles. Throws ConfigError listing every problem at once.
 */
export function resolveConfig(raw: unknown, source: string, env?: unknown): EnvironmentConfig[] {
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.error.issues.flatMap((i) => fromZodIssue(i));
  problems.push(...crossFieldProblems(raw));

  const names = isRecord(raw) && isRecord(raw.environments) ? Object.keys(raw.environments) : [];
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
  const selected = env === undefined ? names : [env as string];
  return selected.map((name) => resolveEnvironment(name, config.environments[name], config));
}

function resolveEnvironment(
  name: string,
  input: EnvironmentInput,
  config: BaselineConfigInput,
): EnvironmentConfig {
  const profileName = (input.profile ?? name) as ProfileName;
  const p = PROFILES[profileName];
  return {
    name,
    profile: profileName,
    account: input.account,
    region: input.region,
    stackName: input.stackName ?? `SecurityBaseline-${name}`,
    securityContact: input.securityContact,
    tags: { ...(input.tags ?? {}) },
    keys: {
      rotationPeriodDays: input.keys?.rotationPeriodDays ?? p.keys.rotationPeriodDays,
      maxRotationPeriodDays: config.policy?.maxKeyRotationDays ?? DEFAULT_MAX_KEY_ROTATION_DAYS,
    },
    auditLog: { ...p.auditLog, ...stripUndefined(input.auditLog) },
    accessLogs: { ...p.accessLogs, ...stripUndefined(input.accessLogs) },
    protection: { ...p.protection, ...stripUndefined(input.protection) },
    audit: { ...p.audit, ...stripUndefined(input.audit) },
    identity: { ...p.identity, ...stripUndefined(input.identity) },
    alerts: {
      minimumClass: input.alerts?.minimumClass ?? p.alerts.minimumClass,
      critical: { ...p.alerts.critical, ...stripUndefined(input.alerts?.critical) },
      high: { ...p.alerts.high, ...stripUndefined(input.alerts?.high) },
      medium: { ...p.alerts.medium, ...stripUndefined(input.alerts?.medium) },
      low: { ...p.alerts.low, ...stripUndefined(input.alerts?.low) },
    },
    threatDetection: { ...p.threatDetection, ...stripUndefined(input.threatDetection) },
    workload: { ...p.workload, ...stripUndefined(input.workload) },
  };
}

/** Rules that relate several settings; they read the raw input defensively (it may be malformed). */
function crossFieldProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isRecord(raw) || !isRecord(raw.environments)) return problems;
  const policy = isRecord(raw.policy) ? raw.policy : {};
  const maxRotation =
    typeof policy.maxKeyRotationDays === 'number' ? policy.maxKeyRotationDays : DEFAULT_MAX_KEY_ROTATION_DAYS;
  const stackNames = new Map<string, string>();

  for (const [name, env] of Object.entries(raw.environments)) {
    if (!isRecord(env)) continue;
    const at = `environments.${name}`;
    if (env.profile === undefined && !(PROFILE_NAMES as readonly string[]).includes(name)) {
      problems.push({
        path: `${at}.profile`,
        received: undefined,
        message: `a profile (${PROFILE_NAMES.join(', ')}): "${name}" is not a profile name, so it must say which profile it uses`,
      });
    }
    const keys = isRecord(env.keys) ? env.keys : {};
    const rotation = keys.rotationPeriodDays;
    // Out of KMS's own 90..2560 range is already reported by the schema.
    if (typeof rotation === 'number' && rotation > maxRotation && rotation <= 2560) {
      problems.push({
        path: `${at}.keys.rotationPeriodDays`,
        received: rotation,
        message: `at most ${maxRotation} days: the security policy's maximum rotation period (policy.maxKeyRotationDays, ENC-02)`,
      });
    }
    const profile =
      typeof env.profile === 'string' ? PROFILES[env.profile as ProfileName] : PROFILES[name as ProfileName];
    const audit = isRecord(env.auditLog) ? env.auditLog : {};
    const retention =
      typeof audit.retentionDays === 'number' ? audit.retentionDays : profile?.auditLog.retentionDays;
    if (
      typeof audit.coldStorageAfterDays === 'number' &&
      retention !== undefined &&
      audit.coldStorageAfterDays >= retention
    ) {
      problems.push({
        path: `${at}.auditLog.coldStorageAfterDays`,
        received: audit.coldStorageAfterDays,
        message: `fewer days than the audit log retention (${retention})`,
      });
    }
    const td = isRecord(env.threatDetection) ? env.threatDetection : {};
    if (
      Array.isArray(td.features) &&
      td.features.includes('RUNTIME_MONITORING') &&
      td.features.includes('EKS_RUNTIME_MONITORING')
    ) {
      problems.push({
        path: `${at}.threatDetection.features`,
        received: td.features,
        message: 'RUNTIME_MONITORING or EKS_RUNTIME_MONITORING, not both (GuardDuty rejects the pair)',
      });
    }
    const stackName = typeof env.stackName === 'string' ? env.stackName : `SecurityBaseline-${name}`;
    const other = stackNames.get(stackName);
    if (other !== undefined) {
      problems.push({
        path: `${at}.stackName`,
        received: stackName,
        message: `a stack name not already used by environments.${other}`,
      });
    }
    stackNames.set(stackName, name);
  }
  return problems;
}

function fromZodIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(issue.path);
    const input = isRecord(issue.input) ? issue.input : {};
    return issue.keys.map((key) => ({
      path: at ? `${at}.${key}` : key,
      received: input[key],
      message: `a known setting; "${key}" is not one${suggest(key, allowed)}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`,
    }));
  }
  return [{ path: at, received: issue.input, message: issue.message }];
}

/** Keys the schema allows in the object at `issuePath` (for "unknown key" messages). */
function allowedKeysAt(issuePath: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configSchema;
  for (const segment of issuePath) {
    schema = unwrap(schema);
    const def = schema?._zod.def as unknown as Record<string, unknown> | undefined;
    if (def?.type === 'object') schema = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def?.type === 'record') schema = def.valueType as z.core.$ZodType;
    else return [];
  }
  const def = unwrap(schema)?._zod.def as { type?: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((k) => k !== '$schema') : [];
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let s = schema;
  while (s && ['optional', 'default', 'nullable', 'pipe'].includes(s._zod.def.type)) {
    const def = s._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    s = def.innerType ?? def.in;
  }
  return s;
}

function suggest(key: string, allowed: string[]): string {
  const lower = key.toLowerCase();
  const best = allowed
    .map((a) => ({ a, d: editDistance(lower, a.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(x.a.length / 4)))
    .sort((x, y) => x.d - y.d)[0];
  return best ? `; did you mean "${best.a}"?` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
    '',
  );
}

function render(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
