// An evaluator for the CloudWatch Logs JSON filter-pattern syntax the CIS patterns use:
// { <expr> } with &&, ||, parentheses, $.path = value, $.path != value (quoted or bare, * as a
// wildcard at either end of a quoted string) and $.path NOT EXISTS. It lets the tests run real
// CloudTrail events through each pattern instead of only comparing strings.

type Node =
  { and: Node[] } | { or: Node[] } | { path: string; op: '=' | '!=' | 'NOT EXISTS'; value?: string };

export function filterMatches(pattern: string, event: unknown): boolean {
  const body = pattern.trim().replace(/^\{/, '').replace(/\}$/, '');
  const tokens =
    body.match(/\(|\)|&&|\|\||NOT EXISTS|!=|=|"(?:[^"\\]|\\.)*"|\$\.[\w.]+|[^\s()=!&|"]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  function parseOr(): Node {
    const parts = [parseAnd()];
    while (peek() === '||') {
      next();
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : { or: parts };
  }
  function parseAnd(): Node {
    const parts = [parseTerm()];
    while (peek() === '&&') {
      next();
      parts.push(parseTerm());
    }
    return parts.length === 1 ? parts[0] : { and: parts };
  }
  function parseTerm(): Node {
    if (peek() === '(') {
      next();
      const inner = parseOr();
      if (next() !== ')') throw new Error(`expected ) in ${pattern}`);
      return inner;
    }
    const path = next();
    if (!path?.startsWith('$.')) throw new Error(`expected a $.path, got ${path} in ${pattern}`);
    const op = next() as '=' | '!=' | 'NOT EXISTS';
    if (op === 'NOT EXISTS') return { path, op };
    if (op !== '=' && op !== '!=') throw new Error(`unsupported operator ${op} in ${pattern}`);
    return { path, op, value: next() };
  }

  const tree = parseOr();
  if (i !== tokens.length) throw new Error(`unparsed input after token ${i} in ${pattern}`);
  return evaluate(tree, event);
}

function lookup(event: unknown, path: string): unknown {
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      event,
    );
}

function valueMatches(actual: unknown, expected: string): boolean {
  if (actual === undefined || actual === null) return false;
  const text = String(actual);
  if (!expected.startsWith('"')) return text === expected;
  const literal = expected.slice(1, -1);
  const escaped = literal.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(text);
}

function evaluate(node: Node, event: unknown): boolean {
  if ('and' in node) return node.and.every((n) => evaluate(n, event));
  if ('or' in node) return node.or.some((n) => evaluate(n, event));
  const actual = lookup(event, node.path);
  if (node.op === 'NOT EXISTS') return actual === undefined;
  // CloudWatch Logs: != matches only when the field exists with another value.
  return node.op === '='
    ? valueMatches(actual, node.value!)
    : actual !== undefined && !valueMatches(actual, node.value!);
}
