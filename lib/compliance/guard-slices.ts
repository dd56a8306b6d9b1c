import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Giving cfn-guard less to do, with the same findings.
 *
 * cfn-guard evaluates every rule file against every data file it is given, and what one evaluation
 * costs grows with the whole document, whatever the rule looks at: the 237 Control Tower rules take
 * about 2 s of CPU per template of ours, about half of it in the kernel (allocations). Each Control
 * Tower rule selects resources by type (`Resources.*[ Type == 'AWS::S3::Bucket' ]`) and looks only at
 * resources of the types it names. So each rule is run only against a *slice* of each template that
 * keeps the resources of the types its file names (any mention, comments included) and blanks out the
 * others. Rules are grouped by the set of types they name; each group is one cfn-guard run over the
 * slices made for it. A template that holds none of a group's types is not given to that group (its
 * rules would skip: `npm test` checks that no shipped rule fails on a template without its types).
 *
 * A slice is the template's own text with the other resources replaced by spaces (line breaks kept):
 * every kept resource stays at the same line and column, so a message that quotes a position is the
 * same as for the whole template. Everything outside `Resources` (Parameters, Conditions, Outputs,
 * Metadata) is kept. A rule that names no type is run against the whole template.
 * test/compliance/guard-slices.test.ts compares the findings with cfn-guard's on whole templates.
 */

/** A cfn-guard rule file and the resource types it names (none: it may look at anything). */
export interface GuardRule {
  readonly file: string;
  readonly types: readonly string[];
}

/** One cfn-guard run: rule files, and the data files (slices) with the template each was cut from. */
export interface GuardRun {
  readonly rules: string[];
  readonly data: { readonly file: string; readonly template: string }[];
  /** An estimate of the work: rule files x characters of data. */
  readonly cost: number;
}

/** The resource types a rule file names. */
export function ruleTypes(ruleText: string): string[] {
  return [...new Set(ruleText.match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [])].sort();
}

/**
 * What one cfn-guard process costs beyond its evaluations, in the unit of `GuardRun.cost` (rule files
 * x characters of data): measured on the 2-core machine, a process takes about 20 ms to start and a
 * rule about 0.27 ms per 1,000 characters of data, and our side adds about 5 ms per run.
 */
export const RUN_COST = 90_000;

/**
 * Plan the cfn-guard runs for `templates`, writing the slices into `dir`. Rules are grouped by the
 * types they name; groups are then merged while that saves work (`runCost`, the fixed cost of one
 * more process, against the extra data each rule of a merged run sees), the heaviest first. A rule
 * that names no type runs on the whole templates. Runs come in a stable order.
 */
export function planGuardRuns(
  rules: readonly GuardRule[],
  templates: readonly string[],
  dir: string,
  runCost = RUN_COST,
): GuardRun[] {
  const byTypes = new Map<string, { types: Set<string>; rules: string[] }>();
  const untyped: string[] = [];
  for (const rule of rules) {
    if (rule.types.length === 0) {
      untyped.push(rule.file);
      continue;
    }
    const key = [...rule.types].sort().join(',');
    let group = byTypes.get(key);
    if (!group) byTypes.set(key, (group = { types: new Set(rule.types), rules: [] }));
    group.rules.push(rule.file);
  }
  const parsed = templates.map((t) => new SliceableTemplate(fs.readFileSync(t, 'utf8')));
  /** The work of `rules` rule files over the slices for `types` (templates without them are left out). */
  const work = (types: ReadonlySet<string>, ruleCount: number) =>
    ruleCount *
    parsed.reduce((sum, t) => sum + (t.holdsAny(types) ? t.sliceLength((type) => types.has(type)) : 0), 0);

  // Groups a template holds, heaviest first; each joins the merged run where it adds least work, or
  // a run of its own when that costs less.
  const merged: { types: Set<string>; rules: string[]; work: number }[] = [];
  const groups = [...byTypes.values()]
    .filter((g) => parsed.some((t) => t.holdsAny(g.types)))
    .map((g) => ({ ...g, work: work(g.types, g.rules.length) }))
    .sort((a, b) => b.work - a.work);
  for (const group of groups) {
    let best: { run?: (typeof merged)[number]; extra: number; work: number } = {
      extra: runCost + group.work,
      work: group.work,
    };
    for (const run of merged) {
      const types = new Set([...run.types, ...group.types]);
      const total = work(types, run.rules.length + group.rules.length);
      if (total - run.work < best.extra) best = { run, extra: total - run.work, work: total };
    }
    if (best.run) {
      for (const t of group.types) best.run.types.add(t);
      best.run.rules.push(...group.rules);
      best.run.work = best.work;
    } else merged.push({ types: new Set(group.types), rules: [...group.rules], work: group.work });
  }

  const runs: GuardRun[] = [];
  let n = 0;
  for (const run of merged) {
    const data: GuardRun['data'][number][] = [];
    parsed.forEach((template, i) => {
      const slice = template.slice((type) => run.types.has(type));
      if (slice === undefined) return;
      const file = path.join(dir, `${n++}-${path.basename(templates[i])}`);
      fs.writeFileSync(file, slice);
      data.push({ file, template: templates[i] });
    });
    runs.push({ rules: run.rules, data, cost: run.work });
  }
  if (untyped.length > 0)
    runs.push({
      rules: untyped,
      data: templates.map((t) => ({ file: t, template: t })),
      cost: untyped.length * parsed.reduce((sum, t) => sum + t.length, 0),
    });
  return runs;
}

/**
 * `text` (a CloudFormation template in JSON) cut down for rules that look at the resource types
 * `keep` accepts, or undefined when it accepts none of the template's resources. Every other resource
 * keeps its logical ID and `Type` and loses the rest (replaced by spaces, line breaks kept): a rule
 * that checks a reference (`Resources[ keys == %ref ]`, and its type) still finds it. `keep` gets the
 * resource's `Type` (a resource without a string `Type`, or that is not an object, is kept whole, so
 * nothing unusual is lost). Throws on text that is not a JSON object.
 */
export function sliceTemplate(text: string, keep: (type: string) => boolean): string | undefined {
  return new SliceableTemplate(text).slice(keep);
}

/** A template parsed once, to cut many slices from (see sliceTemplate). */
export class SliceableTemplate {
  /** Resources that can be cut down: their type, and the spans that go (with their text blanked). */
  private readonly cuttable: { type: string; spans: { from: number; to: number; blank: string }[] }[] = [];
  /** Whether some resource is kept whatever the types (no string `Type`, or not an object). */
  private readonly alwaysKept: boolean = false;

  /** The template's length in characters. */
  public get length(): number {
    return this.text.length;
  }

  constructor(private readonly text: string) {
    const top = objectMembers(text, skipWs(text, 0));
    const resources = top.members.find((m) => m.key === 'Resources');
    if (!resources || text[resources.valueStart] !== '{') return;
    for (const resource of objectMembers(text, resources.valueStart).members) {
      const inner = text[resource.valueStart] === '{' ? objectMembers(text, resource.valueStart) : undefined;
      const typeMember = inner?.members.find((m) => m.key === 'Type');
      const type =
        typeMember && (JSON.parse(text.slice(typeMember.valueStart, typeMember.valueEnd)) as unknown);
      if (!inner || typeof type !== 'string') {
        this.alwaysKept = true;
        continue;
      }
      // Everything between the braces but the `Type` member: the other members and every comma.
      const spans = [
        { from: resource.valueStart + 1, to: typeMember!.keyStart },
        { from: typeMember!.valueEnd, to: inner.end - 1 },
      ].filter((sp) => sp.to > sp.from);
      this.cuttable.push({
        type,
        spans: spans.map((sp) => ({ ...sp, blank: blanked(text.slice(sp.from, sp.to)) })),
      });
    }
  }

  /** Whether the template holds a resource of one of `types` (or one kept whatever the types). */
  public holdsAny(types: ReadonlySet<string>): boolean {
    return this.alwaysKept || this.cuttable.some((r) => types.has(r.type));
  }

  /** The characters of the slice for `keep` that are not blanks (blanks cost cfn-guard next to nothing). */
  public sliceLength(keep: (type: string) => boolean): number {
    let length = this.text.length;
    for (const r of this.cuttable) if (!keep(r.type)) for (const sp of r.spans) length -= sp.to - sp.from;
    return length;
  }

  /** The slice for rules about the types `keep` accepts, or undefined when no resource is kept. */
  public slice(keep: (type: string) => boolean): string | undefined {
    const cut = this.cuttable.filter((r) => !keep(r.type));
    if (!this.alwaysKept && cut.length === this.cuttable.length) return undefined;
    const parts: string[] = [];
    let at = 0;
    for (const span of cut.flatMap((r) => r.spans)) {
      parts.push(this.text.slice(at, span.from), span.blank);
      at = span.to;
    }
    parts.push(this.text.slice(at));
    return parts.join('');
  }
}

/** `text` with every character but line breaks turned into a space, as a flat string. */
function blanked(text: string): string {
  const bytes = Buffer.alloc(text.length, ' ');
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) bytes[i] = 10;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) bytes[i] = 13;
  return bytes.toString('latin1');
}

interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** The members of the JSON object starting at `start` (a `{`), and where it ends. */
function objectMembers(text: string, start: number): { members: Member[]; end: number } {
  if (text[start] !== '{') throw new Error(`expected a JSON object at offset ${start}`);
  const members: Member[] = [];
  let i = skipWs(text, start + 1);
  if (text[i] === '}') return { members, end: i + 1 };
  for (;;) {
    const keyStart = i;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    if (text[i] !== ':') throw new Error(`expected ':' at offset ${i}`);
    const valueStart = skipWs(text, i + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipWs(text, valueEnd);
    if (text[i] === '}') return { members, end: i + 1 };
    if (text[i] !== ',') throw new Error(`expected ',' or '}' at offset ${i}`);
    i = skipWs(text, i + 1);
  }
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
    i++;
  return i;
}

const STRING = /"(?:[^"\\]|\\.)*"/y;
const STRUCTURE = /[{}[\]"]/g;
const SCALAR = /true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function skipString(text: string, i: number): number {
  STRING.lastIndex = i;
  if (!STRING.test(text)) throw new Error(`expected a string at offset ${i}`);
  return STRING.lastIndex;
}

function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    STRUCTURE.lastIndex = i;
    for (let m = STRUCTURE.exec(text); m; m = STRUCTURE.exec(text)) {
      const d = m[0];
      if (d === '"') STRUCTURE.lastIndex = skipString(text, m.index);
      else if (d === '{' || d === '[') depth++;
      else if (--depth === 0) return m.index + 1;
    }
    throw new Error('unterminated JSON value');
  }
  SCALAR.lastIndex = i;
  if (!SCALAR.test(text)) throw new Error(`unexpected character at offset ${i}`);
  return SCALAR.lastIndex;
}
