import { AuditCheck, CheckContext, Expectations } from './context';
import {
  AUDIT_SCHEMA_VERSION,
  AuditOutput,
  AuditResult,
  describeError,
  summarize,
  summarizeControls,
} from './result';

export interface AuditOptions {
  readonly regions: readonly string[];
  readonly checks: readonly AuditCheck[];
  /** @default 90 */
  readonly maxRotationDays?: number;
  /** Requests in flight per check and region. @default 8 */
  readonly concurrency?: number;
  /** One HTTP attempt (connect, then answer) may take this long. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** One API call, retries included. @default 60_000 */
  readonly callTimeoutMs?: number;
  /** One check in one region. @default 300_000 */
  readonly checkTimeoutMs?: number;
  /** The whole run: a check that would end later is cut off (NOT_CHECKED). @default - none */
  readonly deadlineMs?: number;
  /** Pages read from one listing at most. @default 1000 */
  readonly maxPages?: number;
  readonly expect?: Expectations;
  readonly account?: string;
  /** Extra SDK client configuration (credentials, requestHandler, maxAttempts, ...). */
  readonly clientConfig?: Record<string, unknown>;
  readonly progress?: CheckContext['progress'];
}

/** SDK client settings every check uses: adaptive retry (client-side rate limiting on throttling). */
export const DEFAULT_CLIENT_CONFIG: Record<string, unknown> = { retryMode: 'adaptive', maxAttempts: 10 };

/** DEFAULT_CLIENT_CONFIG, except that AWS_MAX_ATTEMPTS / AWS_RETRY_MODE in `env` win (the SDK reads them). */
export function defaultClientConfig(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  return {
    ...(env.AWS_RETRY_MODE ? {} : { retryMode: DEFAULT_CLIENT_CONFIG.retryMode }),
    ...(env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_CLIENT_CONFIG.maxAttempts }),
  };
}

/** Client settings that bound each HTTP attempt (connect, socket idle, whole request). */
export function timeoutClientConfig(requestTimeoutMs: number): Record<string, unknown> {
  return {
    requestHandler: {
      connectionTimeout: Math.min(requestTimeoutMs, 5_000),
      requestTimeout: requestTimeoutMs,
      socketTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

/** Run one check, turning a throw, a hang past `timeoutMs` or an empty answer into NOT_CHECKED. */
export async function runCheck(
  check: AuditCheck,
  context: CheckContext,
  timeoutMs: number,
): Promise<AuditResult[]> {
  const region = check.global ? 'global' : context.region;
  const notChecked = (reason: string): AuditResult[] => [
    {
      check: check.name,
      control: check.controls[0],
      region,
      resourceType: 'check',
      resource: `${check.name} in ${region}`,
      status: 'NOT_CHECKED',
      reason,
    },
  ];
  let timer: NodeJS.Timeout | undefined;
  try {
    const results = await Promise.race([
      check.run(context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the check did not finish within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      }),
    ]);
    if (results.length === 0)
      return notChecked('the check returned no result (a defect: it must say what it found)');
    return check.global ? results.map((r) => ({ ...r, region: 'global' })) : results;
  } catch (e) {
    return notChecked(describeError(e));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run the checks in every region (regions in parallel, checks of a region one after another, each
 * check with bounded concurrency; global checks once). Read-only: only List/Describe/Get calls.
 */
export async function runAudit(options: AuditOptions): Promise<AuditOutput> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const clientConfig = {
    ...defaultClientConfig(process.env),
    ...timeoutClientConfig(requestTimeoutMs),
    ...(options.clientConfig ?? {}),
  };
  const contextFor = (region: string): CheckContext => ({
    region,
    maxRotationDays: options.maxRotationDays ?? 90,
    concurrency: options.concurrency ?? 8,
    callTimeoutMs: options.callTimeoutMs ?? 60_000,
    maxPages: options.maxPages ?? 1000,
    expect: options.expect ?? {},
    progress: options.progress,
    clientConfig,
  });
  const checkTimeoutMs = options.checkTimeoutMs ?? 300_000;
  const global = options.checks.filter((c) => c.global);
  const regional = options.checks.filter((c) => !c.global);
  const endBy = options.deadlineMs !== undefined ? Date.now() + options.deadlineMs : Infinity;
  const runAll = async (checks: readonly AuditCheck[], region: string) => {
    const results: AuditResult[] = [];
    for (const check of checks)
      results.push(
        ...(await runCheck(
          check,
          contextFor(region),
          Math.max(0, Math.min(checkTimeoutMs, endBy - Date.now())),
        )),
      );
    return results;
  };
  const [globalResults, ...perRegion] = await Promise.all([
    options.regions.length > 0 ? runAll(global, options.regions[0]) : Promise.resolve([]),
    ...options.regions.map((region) => runAll(regional, region)),
  ]);
  const results = [...globalResults, ...perRegion.flat()];
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    ...(options.account ? { account: options.account } : {}),
    regions: [...options.regions],
    checks: options.checks.map((c) => c.name),
    summary: summarize(results),
    controls: summarizeControls(results),
    results,
  };
}
