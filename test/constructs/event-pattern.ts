// A small evaluator for the subset of EventBridge event patterns this project writes (exact values
// and numeric ranges, nested objects, arrays in the event matched element-wise), so tests can run
// sample events through the patterns the constructs render.

type Pattern = { [key: string]: Pattern | unknown[] };

export function matches(pattern: Pattern, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = (event as Record<string, unknown> | undefined)?.[key];
    if (Array.isArray(rule)) {
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => rule.some((r) => matchesValue(r, v)));
    }
    if (Array.isArray(value)) return value.some((v) => matches(rule as Pattern, v));
    return matches(rule as Pattern, value);
  });
}

function matchesValue(rule: unknown, value: unknown): boolean {
  if (rule !== null && typeof rule === 'object' && 'numeric' in rule) {
    const ops = (rule as { numeric: (string | number)[] }).numeric;
    if (typeof value !== 'number') return false;
    for (let i = 0; i < ops.length; i += 2) {
      const [op, n] = [ops[i], ops[i + 1] as number];
      const ok =
        op === '>='
          ? value >= n
          : op === '>'
            ? value > n
            : op === '<='
              ? value <= n
              : op === '<'
                ? value < n
                : op === '='
                  ? value === n
                  : false;
      if (!ok) return false;
    }
    return true;
  }
  return rule === value;
}
