import { createScanner, Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { isWellFormedText } from '../validation/aws';
import { ConfigProblem, formatPath } from './problems';

/** Bounds that keep every later step (zod, messages) small and non-recursive-safe. */
export const CONFIG_LIMITS = {
  /** A configuration is a few kilobytes; anything over this is not one. */
  maxBytes: 1024 * 1024,
  /** Objects and lists nested deeper than this are rejected before anything recursive runs. */
  maxDepth: 32,
  /** Values (scalars, objects and lists) in one file. */
  maxValues: 50_000,
};

/** The parsed file: its value, what is wrong with the text, and numbers to show as written. */
export interface ParsedConfigText {
  readonly value: unknown;
  readonly problems: ConfigProblem[];
  /** Path → text of numbers a JavaScript number cannot show faithfully (`1e400`, 2^64). */
  readonly rawNumbers: Map<string, string>;
}

const OPEN_BRACE = 1; // jsonc-parser SyntaxKind.OpenBraceToken (a const enum)
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/**
 * Parse a configuration file's text: JSON with comments and trailing commas (the README's jsonc),
 * a UTF-8 byte-order mark ignored. Duplicate keys are problems naming both locations. Never throws.
 */
export function parseConfigText(input: string): ParsedConfigText {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = lineStarts(text);
  const at = (offset: number) => location(lines, offset);
  const rawNumbers = new Map<string, string>();
  const fail = (...problems: ConfigProblem[]) => ({ value: undefined, problems, rawNumbers });

  if (text.trim() === '') {
    return fail({
      path: 'config',
      received: input,
      message: 'a JSON object with "environments" (the file is empty)',
    });
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    return fail({
      path: 'config',
      received: `nesting deeper than ${CONFIG_LIMITS.maxDepth} levels at ${at(deep)}`,
      message: `objects and lists nested at most ${CONFIG_LIMITS.maxDepth} levels deep`,
    });
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || root === undefined) {
    // Only the first syntax error is reliable: the ones after it follow from it.
    const first = errors[0];
    const offset = first?.offset ?? 0;
    return fail({
      path: 'config',
      received: text.slice(Math.max(0, offset - 20), offset + 20),
      message: `valid JSON (${first ? printParseErrorCode(first.error) : 'ValueExpected'} at ${at(offset)}; comments and trailing commas are allowed)`,
    });
  }

  const problems: ConfigProblem[] = [];
  let values = 0;
  const build = (node: Node, path: (string | number)[]): unknown => {
    values++;
    const where = formatPath(path);
    switch (node.type) {
      case 'object': {
        const obj: Record<string, unknown> = {};
        const seen = new Map<string, number>();
        for (const prop of node.children ?? []) {
          const [keyNode, valueNode] = prop.children ?? [];
          const key = String(keyNode.value);
          const value = valueNode ? build(valueNode, [...path, key]) : undefined;
          if (!isWellFormedText(key)) {
            problems.push({
              path: formatPath([...path, key]),
              received: key,
              message: 'a key without unpaired surrogate characters (\\ud800..\\udfff alone)',
            });
          }
          const first = seen.get(key);
          if (first !== undefined) {
            problems.push({
              path: formatPath([...path, key]),
              received: value,
              message: `a key given once: "${key}" appears at ${at(first)} and again at ${at(keyNode.offset)}`,
            });
            continue;
          }
          seen.set(key, keyNode.offset);
          // defineProperty: "__proto__" stays an ordinary key instead of replacing the prototype.
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        }
        return obj;
      }
      case 'array':
        return (node.children ?? []).map((child, i) => build(child, [...path, i]));
      case 'string':
        if (!isWellFormedText(node.value as string)) {
          problems.push({
            path: where,
            received: node.value,
            message: 'text without unpaired surrogate characters (\\ud800..\\udfff alone)',
          });
        }
        return node.value;
      case 'number': {
        const n = node.value as number;
        if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) {
          rawNumbers.set(where, text.slice(node.offset, node.offset + node.length));
        }
        return n;
      }
      default:
        return node.value;
    }
  };
  const value = build(root, []);
  if (values > CONFIG_LIMITS.maxValues) {
    return fail({
      path: 'config',
      received: `${values} values`,
      message: `a configuration of at most ${CONFIG_LIMITS.maxValues} values`,
    });
  }
  return { value, problems, rawNumbers };
}

/** The offset where nesting first exceeds the limit, found by an iterative token scan. */
function tooDeep(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) {
      if (++depth > CONFIG_LIMITS.maxDepth) return scanner.getTokenOffset();
    } else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth--;
  }
  return undefined;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** `line L, column C` (both from 1) of an offset. */
function location(starts: readonly number[], offset: number): string {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return `line ${lo + 1}, column ${offset - starts[lo] + 1}`;
}
