import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { ConfigError, loadConfig } from '../../lib/config/loader';
import { testApp } from '../helpers';

// Random mutations of valid configurations (the shipped config/*.json files and the embedded
// default) either load and build the app, or fail with a ConfigError that lists every problem with
// its path and received value: never another exception, never a file in the output folder.
// Seeded and bounded, so a run is repeatable and takes a few seconds.

const SEED = Number(process.env.FUZZ_SEED ?? 15);
const RUNS = 600;
/** Valid mutants whose app is built (stacks and all); the others are loaded and validated only. */
const BUILDS = 8;

const ROOT = path.join(__dirname, '..', '..');
const SEEDS: unknown[] = [
  DEFAULT_CONFIG,
  ...['example.json', 'targets.example.json', 'organization.example.json'].map((f) =>
    JSON.parse(fs.readFileSync(path.join(ROOT, 'config', f), 'utf8')),
  ),
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mutation = { kind: string; pick: number; value: Json; key: string };

const INTERESTING: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  7,
  90,
  365,
  2560,
  2561,
  1e308,
  '',
  'x',
  'eu-west-1',
  'eu-west-9',
  'us-east-1',
  '111111111111',
  '12345',
  'security@example.com',
  'not-an-email',
  'arn:aws:iam::111111111111:role/x',
  'https://example.com/h',
  'dev',
  'prod',
  'PROD',
  'constructor',
  '__proto__',
  'toString',
  'a;<>$',
  '\ud800',
  'COMPLIANCE',
  'GOVERNANCE',
  'LOW',
  'S3_DATA_EVENTS',
  'o-a1b2c3d4e5',
  'ou-ab12-cd34ef56',
  [],
  {},
  [1, 'a'],
  { a: 1 },
];
const KEYS = [
  'profile',
  'account',
  'region',
  'tags',
  'keys',
  'rotationPeriodDays',
  'auditLog',
  'retentionDays',
  'protection',
  'workload',
  'enabled',
  'identity',
  'accountWide',
  'alerts',
  'minimumClass',
  'audit',
  'alertEmails',
  'regions',
  'targets',
  'organization',
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'Profile',
  'auditlog',
  'prod',
  'dev',
];

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'delete', 'delete', 'add', 'toggle', 'wrap', 'rename'),
  pick: fc.nat(),
  value: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  ),
  key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })),
});
const TEXT_MUTATIONS = [
  'none',
  'none',
  'none',
  'bom',
  'comment',
  'duplicate-env',
  'huge-number',
  'truncate',
  'deep',
];

/** Every object and list in `root`, with its parent, for a mutation to pick from. */
function containers(root: Json): Json[] {
  const out: Json[] = [];
  const walk = (v: Json) => {
    if (v === null || typeof v !== 'object') return;
    out.push(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child);
  };
  walk(root);
  return out;
}

function mutate(root: Json, m: Mutation): Json {
  const all = containers(root);
  if (all.length === 0) return m.value;
  const target = all[m.pick % all.length];
  const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target as object);
  const at = keys.length > 0 ? keys[m.pick % keys.length] : undefined;
  const obj = target as Record<string | number, Json>;
  switch (m.kind) {
    case 'delete':
      if (at === undefined) break;
      if (Array.isArray(target)) target.splice(at as number, 1);
      else delete obj[at];
      break;
    case 'add':
      if (Array.isArray(target)) target.push(m.value);
      else
        Object.defineProperty(obj, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      break;
    case 'toggle':
      if (at !== undefined && typeof obj[at] === 'boolean') obj[at] = !obj[at];
      break;
    case 'wrap':
      if (at !== undefined) obj[at] = [obj[at]];
      break;
    case 'rename':
      if (at !== undefined && !Array.isArray(target)) {
        const value = obj[at];
        delete obj[at];
        Object.defineProperty(obj, m.key, { value, enumerable: true, writable: true, configurable: true });
      }
      break;
    default:
      if (at !== undefined) obj[at] = m.value;
  }
  return root;
}

function render(config: Json, textMutation: string, pick: number): string {
  const text = JSON.stringify(config, null, 1) ?? 'null';
  switch (textMutation) {
    case 'bom':
      return `\ufeff${text}`;
    case 'comment':
      return `// a comment\n${text.replace(/,\n/, ', /* here */\n')}`;
    case 'duplicate-env':
      return text.replace(/"environments": \{/, '"environments": {\n  "dev": { "profile": "dev" },');
    case 'huge-number':
      return text.replace(/: \d+/, ': 1e400');
    case 'truncate':
      return text.slice(0, pick % Math.max(1, text.length));
    case 'deep':
      return text.replace(/"environments": /, `"environments": ${'['.repeat(200)}1${']'.repeat(200)}, "x": `);
    default:
      return text;
  }
}

describe('fuzzing the configuration loader with mutations of valid configurations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-fuzz-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tally = { cases: 0, rejected: 0, loaded: 0, built: 0, stacks: 0, problems: 0 };

  test(`${RUNS} seeded cases: a built app or a ConfigError, nothing else, nothing written`, () => {
    const started = Date.now();
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...TEXT_MUTATIONS),
        fc.nat(),
        (seed, mutations, textMutation, pick) => {
          tally.cases++;
          let config = structuredClone(SEEDS[seed]) as Json;
          for (const m of mutations) config = mutate(config, m);
          const file = path.join(dir, 'config.json');
          fs.writeFileSync(file, render(config, textMutation, pick));
          const outdir = path.join(dir, `out-${tally.cases}`);
          let error: unknown;
          try {
            loadConfig({ configFile: file });
            tally.loaded++;
          } catch (e) {
            error = e;
          }
          if (error !== undefined) {
            if (!(error instanceof ConfigError)) throw error;
            tally.rejected++;
            tally.problems += error.problems.length;
            expect(error.problems.length).toBeGreaterThan(0);
            for (const p of error.problems) {
              expect(typeof p.path).toBe('string');
              expect(Object.hasOwn(p, 'received')).toBe(true);
              expect(p.message).toMatch(/\S/);
              expect(p.message).not.toMatch(/Invalid input|expected expected/);
            }
          }
          // The app itself: every valid mutant up to BUILDS builds its stacks; every tenth rejected one
          // shows the app stops before building anything.
          if (error === undefined ? tally.built < BUILDS : tally.rejected % 10 === 0) {
            const app = testApp({ outdir, context: { config: file } });
            if (error === undefined) {
              const stacks = buildBaselineApp(app);
              tally.built++;
              tally.stacks += stacks.length;
              expect(stacks.length).toBeGreaterThan(0);
            } else {
              expect(() => buildBaselineApp(app)).toThrow(ConfigError);
              expect(app.node.children).toHaveLength(0);
            }
          }
          // A rejected configuration writes nothing (a built app stages its assets there).
          if (error !== undefined) expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);
          fs.rmSync(outdir, { recursive: true, force: true });
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    const seconds = (Date.now() - started) / 1000;
    // FUZZ_TALLY=<file> records the run's figures (Jest hides a passing test's output).
    if (process.env.FUZZ_TALLY)
      fs.writeFileSync(process.env.FUZZ_TALLY, JSON.stringify({ ...tally, seconds }));
    // The run must exercise both outcomes, and build real stacks.
    expect(tally.rejected).toBeGreaterThan(RUNS / 4);
    expect(tally.loaded).toBeGreaterThan(RUNS / 20);
    expect(tally.built).toBe(BUILDS);
  }, 120_000);
});
