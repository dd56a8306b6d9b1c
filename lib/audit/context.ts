import { AuditResult } from './result';

/** What every check receives: where to look, the policy to hold resources to, and how to report progress. */
export interface CheckContext {
  readonly region: string;
  /** The longest key rotation period the policy allows, in days (ENC-02). */
  readonly maxRotationDays: number;
  /** How many requests a check may have in flight at once. */
  readonly concurrency: number;
  /** Called as resources are found and done, for a progress indicator. */
  readonly progress?: (event: { check: string; region: string; found?: number; done?: number }) => void;
  /** Client configuration shared by every SDK client (retry mode, endpoint, credentials, handler). */
  readonly clientConfig: Record<string, unknown>;
}

/** A check: one module under lib/audit/checks, run once per region. */
export interface AuditCheck {
  readonly name: string;
  readonly control: string;
  readonly description: string;
  /** IAM actions the check needs (the auditor role and the README list exactly these). */
  readonly permissions: readonly string[];
  run(context: CheckContext): Promise<AuditResult[]>;
}

/** Map `items` with at most `limit` calls of `fn` in flight, keeping order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return results;
}
