import { PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The environment variable that moves (`=<dir>`) or turns off (`=off`) the findings cache. */
export const CACHE_ENV = 'CDK_SECURITY_BASELINE_CACHE';
/** Entries older than this are removed the first time the cache is opened in a process. */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/**
 * A content-addressed cache of what a check found in one template, so an unchanged template is never
 * checked twice and a changed one always is. A key is the SHA-256 of everything the result depends
 * on: the template's bytes (which carry each resource's construct path), the plugin and its options,
 * the versions of aws-cdk-lib, cdk-nag, the Control Tower rules and this package, and the source of
 * this package's compliance code (so editing a rule invalidates every entry). Acknowledgements are
 * not part of what is stored: they are resolved again on every synth.
 *
 * Location: `node_modules/.cache/cdk-security-baseline` under the working directory (the usual place
 * for tool caches), or the folder named by `CDK_SECURITY_BASELINE_CACHE`; `CDK_SECURITY_BASELINE_CACHE=off`
 * turns it off. Never inside the cloud assembly, which validation plugins must not change.
 */
export class FindingsCache {
  /** The cache the environment asks for, or `undefined` when it is off or has nowhere to live. */
  public static fromEnvironment(cwd = process.cwd()): FindingsCache | undefined {
    const setting = process.env[CACHE_ENV];
    if (setting !== undefined && ['off', 'false', '0', ''].includes(setting.toLowerCase())) return undefined;
    if (setting) return new FindingsCache(path.resolve(cwd, setting));
    const modules = path.join(cwd, 'node_modules');
    return fs.existsSync(modules)
      ? new FindingsCache(path.join(modules, '.cache', 'cdk-security-baseline'))
      : undefined;
  }

  /** Entries read and written in this process (for the synth summary and tests). */
  public hits = 0;
  public misses = 0;

  constructor(public readonly dir: string) {
    prune(dir);
  }

  /** The key for a result that depends on `parts` (and on the versions and sources, always). */
  public key(...parts: unknown[]): string {
    return createHash('sha256').update(salt()).update(JSON.stringify(parts)).digest('hex');
  }

  /** Whether there is an entry for `key` (not counted as a hit or a miss). */
  public has(key: string): boolean {
    return fs.existsSync(this.file(key));
  }

  public get<T>(key: string): T | undefined {
    try {
      const file = this.file(key);
      const value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
      const now = new Date();
      fs.utimesSync(file, now, now); // recently used entries are not pruned
      this.hits++;
      return value;
    } catch {
      this.misses++;
      return undefined;
    }
  }

  public set(key: string, value: unknown): void {
    const file = this.file(key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file); // atomic: a reader sees the old entry or the whole new one
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

/** SHA-256 of a file's bytes. */
export function fileDigest(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

let saltValue: string | undefined;
/** Versions of everything the findings depend on, and the source of this package's compliance code. */
function salt(): string {
  if (saltValue !== undefined) return saltValue;
  const hash = createHash('sha256');
  for (const pkg of ['aws-cdk-lib', 'cdk-nag', '@cdklabs/cdk-validator-cfnguard']) {
    try {
      const manifest = fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf8');
      hash.update(`${pkg}@${(JSON.parse(manifest) as { version: string }).version}\n`);
    } catch {
      hash.update(`${pkg}@?\n`);
    }
  }
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? sources(p) : /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
    });
  for (const file of sources(__dirname).sort())
    hash.update(path.relative(__dirname, file)).update(fs.readFileSync(file));
  return (saltValue = hash.digest('hex'));
}

const pruned = new Set<string>();
function prune(dir: string): void {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  const now = Date.now();
  try {
    for (const sub of fs.readdirSync(dir)) {
      for (const f of fs.readdirSync(path.join(dir, sub))) {
        const file = path.join(dir, sub, f);
        if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
      }
    }
  } catch {
    // Nothing there yet.
  }
}

/** The templates of `templatePaths` the cache has no result for (all of them without a cache). */
export function missingTemplates(
  cache: FindingsCache | undefined,
  plugin: unknown,
  templatePaths: readonly string[],
): string[] {
  return templatePaths.filter((t) => !cache?.has(cache.key(plugin, fileDigest(t))));
}

/**
 * Run a template-based plugin (cfn-guard, CloudFormation validation) only on the templates the cache
 * has no result for, and answer for the others from the cache: the report is the same as running it
 * on all of them. A template's result is stored only when every violation of the run can be
 * attributed to its template.
 */
export function perTemplate(
  cache: FindingsCache | undefined,
  plugin: unknown,
  templatePaths: readonly string[],
  run: (templates: string[]) => PolicyValidationPluginReport,
): PolicyValidationPluginReport {
  if (!cache) return run([...templatePaths]);
  const keys = new Map(templatePaths.map((t) => [t, cache.key(plugin, fileDigest(t))]));
  const cached = new Map<string, PolicyViolation[]>();
  for (const [t, key] of keys) {
    const hit = cache.get<PolicyViolation[]>(key);
    if (hit)
      cached.set(
        t,
        hit.map((v) => ({
          ...v,
          violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: t })),
        })),
      );
  }
  const misses = templatePaths.filter((t) => !cached.has(t));
  const fresh = misses.length > 0 ? run(misses) : { success: true, violations: [] };
  const byTemplate = new Map<string, PolicyViolation[]>(misses.map((t) => [path.resolve(t), []]));
  const attributable = fresh.violations.every((v) =>
    v.violatingResources.every(
      (r) => r.templatePath !== undefined && byTemplate.has(path.resolve(r.templatePath)),
    ),
  );
  if (attributable) {
    for (const v of fresh.violations) {
      for (const r of v.violatingResources) {
        const list = byTemplate.get(path.resolve(r.templatePath!))!;
        let entry = list.find((x) => x.ruleName === v.ruleName);
        if (!entry) list.push((entry = { ...v, violatingResources: [] }));
        entry.violatingResources.push({ ...r, templatePath: undefined });
      }
    }
    for (const t of misses) cache.set(keys.get(t)!, byTemplate.get(path.resolve(t)));
  }
  const merged = new Map<string, PolicyViolation>();
  for (const v of [...fresh.violations, ...[...cached.values()].flat()]) {
    const existing = merged.get(v.ruleName);
    if (existing) existing.violatingResources.push(...v.violatingResources);
    else merged.set(v.ruleName, { ...v, violatingResources: [...v.violatingResources] });
  }
  const violations = [...merged.values()];
  return { ...fresh, success: fresh.success && violations.length === 0, violations };
}
