import { z } from 'zod';
import { configSchema, MOVED_SETTINGS } from './schema';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** Dotted path of the setting, e.g. `environments.prod.auditLog.retentionDays`. */
  readonly path: string;
  /** The value found there (undefined when the setting is missing). */
  readonly received: unknown;
  /** What is allowed. */
  readonly message: string;
  /** The value as written in the file where `received` cannot show it (a number such as `1e400`). */
  readonly receivedText?: string;
}

/** How many problems the message lists; the rest are counted ("and N more problems"). */
export const MAX_PROBLEMS_SHOWN = 50;

/** Every problem of a configuration, reported together. Thrown before any stack is built. */
export class ConfigError extends Error {
  constructor(
    public readonly source: string,
    public readonly problems: readonly ConfigProblem[],
  ) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
    const more = problems.length - shown.length;
    super(
      `Invalid configuration (${source}): ${problems.length} problem${problems.length === 1 ? '' : 's'}\n` +
        shown.map((p) => `  - ${p.path || '(root)'}: got ${render(p)}; expected ${p.message}`).join('\n') +
        (more > 0 ? `\n  ... and ${more} more problem${more === 1 ? '' : 's'}` : ''),
    );
    this.name = 'ConfigError';
  }
}

/** `a.b[0]["odd key"]`: the path notation of every message. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(seg))) out += out ? `.${String(seg)}` : String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** The problems of one zod issue, with friendly messages and did-you-mean for unknown keys. */
export function fromZodIssue(
  issue: z.core.$ZodIssue,
  rawNumbers: ReadonlyMap<string, string>,
): ConfigProblem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(issue.path);
    const input = issue.input as Record<string, unknown> | undefined;
    // "__proto__" is reported by the loader wherever it appears.
    return issue.keys
      .filter((key) => key !== '__proto__')
      .map((key) => {
        const path = formatPath([...issue.path, key]);
        const value = input && Object.hasOwn(input, key) ? input[key] : undefined;
        const moved = MOVED_SETTINGS.get(formatPath(issue.path.slice(2).concat(key)));
        const message =
          issue.path[0] === 'environments' && moved
            ? moved
            : `a known setting; "${key}" is not one${suggest(key, allowed)}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`;
        return withRaw({ path, received: value, message }, rawNumbers);
      });
  }
  if (issue.code === 'invalid_key') {
    // A record key (an environment name or a tag key) that is not allowed.
    const key = issue.input;
    const inner = issue.issues[0]?.message ?? 'an allowed name';
    return [{ path: formatPath([...issue.path]), received: key, message: `a key that is ${inner}` }];
  }
  const input = (issue as { input?: unknown }).input;
  return [withRaw({ path: at, received: input, message: friendly(issue) }, rawNumbers)];
}

function withRaw(p: ConfigProblem, rawNumbers: ReadonlyMap<string, string>): ConfigProblem {
  const raw = rawNumbers.get(p.path);
  return raw !== undefined && typeof p.received === 'number' ? { ...p, receivedText: raw } : p;
}

/** zod's own wording ("Invalid input: expected object, received null") never reaches the user. */
function friendly(issue: z.core.$ZodIssue): string {
  if (!/^Invalid|^Too (big|small)|^expected /i.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') {
    const what: Record<string, string> = {
      object: 'an object of settings',
      array: 'a list',
      string: 'a string',
      number: 'a number',
      int: 'a whole number',
      boolean: 'true or false',
    };
    return what[issue.expected] ?? `a value of type ${issue.expected}`;
  }
  return 'an allowed value';
}

/** The value received, as the message shows it: JSON, the raw number text, or "nothing". */
export function render(p: Pick<ConfigProblem, 'received' | 'receivedText'>): string {
  if (p.receivedText !== undefined) return p.receivedText;
  const value = p.received;
  if (value === undefined) return 'nothing';
  let s: string;
  try {
    s = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Keys the schema allows in the object at `issuePath` (for "unknown key" messages). */
function allowedKeysAt(issuePath: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configSchema;
  for (const segment of issuePath) {
    schema = unwrap(schema);
    const def = schema?._zod.def as unknown as Record<string, unknown> | undefined;
    if (def?.type === 'object') {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      schema = Object.hasOwn(shape, String(segment)) ? shape[String(segment)] : undefined;
    } else if (def?.type === 'record') schema = def.valueType as z.core.$ZodType;
    else return [];
  }
  const def = unwrap(schema)?._zod.def as { type?: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((k) => k !== '$schema') : [];
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let s = schema;
  while (s && ['optional', 'default', 'prefault', 'nullable', 'pipe'].includes(s._zod.def.type)) {
    const def = s._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    s = def.innerType ?? def.in;
  }
  return s;
}

function suggest(key: string, allowed: string[]): string {
  if (key.length > 64) return '';
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
