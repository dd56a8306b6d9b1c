import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONFIG } from './default-config';
import { DEFAULT_MAX_KEY_ROTATION_DAYS, PROFILES } from './profiles';
import { BaselineConfigInput, configSchema, EnvironmentInput, PROFILE_NAMES, ProfileName } from './schema';
import { DeploymentTarget, EnvironmentConfig } from './types';

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
  const stackName = input.stackName ?? `SecurityBaseline-${name}`;
  const org = input.organization;
  const targetRegions = input.targets?.regions ?? org?.regions ?? [];
  const audit = { ...p.audit, ...stripUndefined(input.audit) };
  return {
    name,
    profile: profileName,
    account: input.account,
    region: input.region,
    stackName,
    targets: expandTargets(input, stackName),
    organization: org && {
      organizationId: org.organizationId,
      organizationalUnits: org.organizationalUnits,
      regions: org.regions,
      homeRegion: org.homeRegion ?? org.regions[0],
      assetBucketPrefix: org.assetBucketPrefix ?? defaultAssetBucketPrefix(org.organizationId, name),
      adminAccount: org.adminAccount,
      adminRegion: org.adminRegion,
      delegatedAdmin: org.delegatedAdmin ?? false,
      autoDeployment: org.autoDeployment ?? true,
      retainStacksOnAccountRemoval: org.retainStacksOnAccountRemoval ?? true,
      maxConcurrentPercentage: org.maxConcurrentPercentage ?? 25,
      failureTolerancePercentage: org.failureTolerancePercentage ?? 0,
      regionConcurrency: org.regionConcurrency ?? 'PARALLEL',
    },
    securityContact: input.securityContact,
    tags: { ...(input.tags ?? {}) },
    keys: {
      rotationPeriodDays: input.keys?.rotationPeriodDays ?? p.keys.rotationPeriodDays,
      maxRotationPeriodDays: config.policy?.maxKeyRotationDays ?? DEFAULT_MAX_KEY_ROTATION_DAYS,
    },
    auditLog: { ...p.auditLog, ...stripUndefined(input.auditLog) },
    accessLogs: { ...p.accessLogs, ...stripUndefined(input.accessLogs) },
    protection: { ...p.protection, ...stripUndefined(input.protection) },
    // The continuous audit runs once per account and checks every region the environment covers.
    audit:
      audit.regions.length === 0 && targetRegions.length > 0 ? { ...audit, regions: targetRegions } : audit,
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

/**
 * The stacks an environment deploys: `targets` expands to accounts x regions, the account-wide
 * resources in each account's home region (`homeRegion`, default the first region); otherwise the
 * single `account` / `region`. Organization mode deploys through a StackSet instead: no targets.
 */
function expandTargets(input: EnvironmentInput, stackName: string): DeploymentTarget[] {
  if (input.organization) return [];
  const t = input.targets;
  if (!t) return [{ account: input.account, region: input.region, stackName, accountResources: true }];
  const home = t.homeRegion ?? t.regions[0];
  return t.accounts.flatMap((account) =>
    t.regions.map((region) => ({
      account,
      region,
      stackName: targetStackName(stackName, account, region),
      accountResources: region === home,
    })),
  );
}

/** Organization IDs are globally unique, so the asset bucket names they lead to are too. */
function defaultAssetBucketPrefix(organizationId: string, envName: string): string {
  return `security-baseline-${organizationId}-${envName}`;
}

/** The stack name of one target: `<stackName>-<account>-<region>`. */
function targetStackName(stackName: string, account: string, region: string): string {
  return `${stackName}-${account}-${region}`;
}

/** Rules that relate several settings; they read the raw input defensively (it may be malformed). */
function crossFieldProblems(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isRecord(raw) || !isRecord(raw.environments)) return problems;
  const policy = isRecord(raw.policy) ? raw.policy : {};
  const maxRotation =
    typeof policy.maxKeyRotationDays === 'number' ? policy.maxKeyRotationDays : DEFAULT_MAX_KEY_ROTATION_DAYS;
  const stackNames = new Map<string, string>();
  const targetsSeen = new Map<string, string>();
  const accountOwners = new Map<string, string>();

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
    problems.push(...placementProblems(at, env, stackName));
    const targets = concreteTargets(at, env);
    for (const t of targets) {
      const key = `${t.account}/${t.region}`;
      const seen = targetsSeen.get(key);
      if (seen !== undefined) {
        problems.push({
          path: t.path,
          received: t.received,
          message: `a target not already deployed by ${seen} (account ${t.account} in ${t.region}): one baseline per account and region`,
        });
      } else targetsSeen.set(key, t.path);
    }
    const identity = isRecord(env.identity) ? env.identity : {};
    if (identity.accountWide !== false) {
      for (const account of new Set(targets.map((t) => t.account))) {
        const owner = accountOwners.get(account);
        if (owner !== undefined && owner !== name) {
          problems.push({
            path: `${at}.identity.accountWide`,
            received: identity.accountWide,
            message: `false: account ${account} already gets its account-wide resources (password policy, S3 account public access block, analyzers) from environments.${owner}; one environment per account deploys them`,
          });
        } else accountOwners.set(account, name);
      }
    }
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

/** Where an environment deploys: `account`/`region`, `targets` or `organization`, one of them, consistently. */
function placementProblems(at: string, env: Record<string, unknown>, stackName: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const single = env.account !== undefined || env.region !== undefined;
  if (env.targets !== undefined && single) {
    problems.push({
      path: `${at}.targets`,
      received: env.targets,
      message: 'either "account" / "region" (one stack) or "targets" (accounts x regions), not both',
    });
  }
  if (env.organization !== undefined && (single || env.targets !== undefined)) {
    problems.push({
      path: `${at}.organization`,
      received: env.organization,
      message:
        'organization mode deploys through a StackSet to its organizational units: leave out "account", "region" and "targets"',
    });
  }
  for (const key of ['targets', 'organization'] as const) {
    const block = env[key];
    if (!isRecord(block) || !Array.isArray(block.regions)) continue;
    if (typeof block.homeRegion === 'string' && !block.regions.includes(block.homeRegion)) {
      problems.push({
        path: `${at}.${key}.homeRegion`,
        received: block.homeRegion,
        message: `one of ${key}.regions (${block.regions.join(', ')}): the home region holds the account-wide resources`,
      });
    }
  }
  const org = env.organization;
  if (isRecord(org) && typeof org.organizationId === 'string' && Array.isArray(org.regions)) {
    const prefix =
      typeof org.assetBucketPrefix === 'string'
        ? org.assetBucketPrefix
        : defaultAssetBucketPrefix(org.organizationId, at.slice('environments.'.length));
    const longest = Math.max(0, ...org.regions.map((r) => String(r).length));
    if (prefix.length + 1 + longest > 63) {
      problems.push({
        path: `${at}.organization.assetBucketPrefix`,
        received: org.assetBucketPrefix,
        message: `a prefix of at most ${62 - longest} characters: the asset buckets are named <prefix>-<region> and S3 allows 63 ("${prefix}" has ${prefix.length})`,
      });
    }
  }
  if (isRecord(env.targets) && Array.isArray(env.targets.regions)) {
    const longest = Math.max(0, ...env.targets.regions.map((r) => String(r).length));
    const length = stackName.length + 14 + longest;
    if (length > 128) {
      problems.push({
        path: `${at}.stackName`,
        received: stackName,
        message: `a shorter name: with targets each stack is named <stackName>-<account>-<region>, ${length} characters here, and CloudFormation allows 128`,
      });
    }
  }
  return problems;
}

/** The account/region pairs an environment names explicitly (environment-agnostic stacks have none). */
function concreteTargets(
  at: string,
  env: Record<string, unknown>,
): { account: string; region: string; path: string; received: unknown }[] {
  if (typeof env.account === 'string' && typeof env.region === 'string' && env.targets === undefined) {
    return [{ account: env.account, region: env.region, path: `${at}.account`, received: env.account }];
  }
  const t = env.targets;
  if (!isRecord(t) || !Array.isArray(t.accounts) || !Array.isArray(t.regions)) return [];
  const regions = [...new Set(t.regions.filter((r): r is string => typeof r === 'string'))];
  const accounts: unknown[] = t.accounts;
  return accounts.flatMap((account, i) =>
    typeof account === 'string' && accounts.indexOf(account) === i
      ? regions.map((region) => ({
          account,
          region,
          path: `${at}.targets.accounts[${i}]`,
          received: account,
        }))
      : [],
  );
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
