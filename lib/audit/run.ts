import { AuditCheck, CheckContext } from './context';
import { AUDIT_SCHEMA_VERSION, AuditOutput, AuditResult, summarize } from './result';

export interface AuditOptions {
  readonly regions: readonly string[];
  readonly checks: readonly AuditCheck[];
  /** @default 90 */
  readonly maxRotationDays?: number;
  /** Requests in flight per check and region. @default 8 */
  readonly concurrency?: number;
  /** Extra SDK client configuration (credentials, requestHandler, maxAttempts, ...). */
  readonly clientConfig?: Record<string, unknown>;
  readonly progress?: CheckContext['progress'];
}

/** SDK client settings every check uses: adaptive retry (client-side rate limiting on throttling). */
export const DEFAULT_CLIENT_CONFIG: Record<string, unknown> = { retryMode: 'adaptive', maxAttempts: 10 };

/**
 * Run the checks in every region (regions in parallel, checks of a region one after another, each
 * check with bounded concurrency). Read-only: the checks only call List/Describe/Get APIs.
 */
export async function runAudit(options: AuditOptions): Promise<AuditOutput> {
  const clientConfig = { ...DEFAULT_CLIENT_CONFIG, ...(options.clientConfig ?? {}) };
  const perRegion = await Promise.all(
    options.regions.map(async (region) => {
      const results: AuditResult[] = [];
      for (const check of options.checks) {
        results.push(
          ...(await check.run({
            region,
            maxRotationDays: options.maxRotationDays ?? 90,
            concurrency: options.concurrency ?? 8,
            progress: options.progress,
            clientConfig,
          })),
        );
      }
      return results;
    }),
  );
  const results = perRegion.flat();
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    regions: [...options.regions],
    checks: options.checks.map((c) => c.name),
    summary: summarize(results),
    results,
  };
}
