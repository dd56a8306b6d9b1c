import { Token } from 'aws-cdk-lib';

/** One problem with a construct prop or config value: where, what was received, what is allowed. */
export interface PropProblem {
  readonly path: string;
  readonly received: unknown;
  readonly message: string;
}

/** Render a received value for an error message (tokens are shown as such). */
export function show(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'toHumanString' in value) {
    return (value as { toHumanString(): string }).toHumanString();
  }
  if (typeof value === 'string' && Token.isUnresolved(value)) return '<unresolved token>';
  return JSON.stringify(value) ?? String(value);
}

/**
 * Collects every problem with a construct's props and throws them together, so a user fixes all
 * of them in one pass. The message names the construct path, each prop, and the value received.
 */
export class PropErrors {
  private readonly problems: PropProblem[] = [];

  constructor(
    private readonly constructName: string,
    private readonly constructPath: string,
  ) {}

  add(path: string, received: unknown, message: string): void {
    this.problems.push({ path, received, message });
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const lines = this.problems.map((p) => `  - ${p.path}: got ${show(p.received)}; ${p.message}`);
    throw new Error(
      `${this.constructName} at '${this.constructPath}': ${this.problems.length} invalid prop(s):\n${lines.join('\n')}`,
    );
  }
}

/** The path a child with `id` will have under `scope` (usable before the construct exists). */
export function childPath(scopePath: string, id: string): string {
  return scopePath ? `${scopePath}/${id}` : id;
}
