import { AuditResult, AuditStatus, describeError } from './result';

/**
 * What the deployed baseline is expected to contain (from `--config`), so that "found nothing" can
 * be told apart: a finding where the config deploys the thing, not applicable where it does not,
 * and "unknown" (NOT_APPLICABLE with a hint to pass --config) without a config.
 */
export interface Expectations {
  /** GuardDuty detector expected (threatDetection.guardDuty). */
  readonly guardDuty?: boolean;
  /** GuardDuty protection plans expected on (threatDetection.features); without it, the baseline's core four. */
  readonly guardDutyFeatures?: readonly string[];
  /** Security Hub expected (threatDetection.securityHub). */
  readonly securityHub?: boolean;
  /** A WAF web ACL expected in the workload regions (workload.enabled). */
  readonly webAcl?: boolean;
  /** Highest WAF rate limit the config allows (workload.wafRateLimit); any blocking rate rule without it. */
  readonly maxRateLimit?: number;
  /** An RDS database expected (workload.enabled). */
  readonly database?: boolean;
}

/** What every check receives: where to look, the policy to hold resources to, and how to call AWS. */
export interface CheckContext {
  readonly region: string;
  /** The longest key rotation period the policy allows, in days (ENC-02). */
  readonly maxRotationDays: number;
  /** How many requests a check may have in flight at once. */
  readonly concurrency: number;
  /** Deadline for one API call, retries included (ms). */
  readonly callTimeoutMs: number;
  /** Most pages read from one listing before the check gives up on it. */
  readonly maxPages: number;
  readonly expect: Expectations;
  /** Called as resources are found and done, for a progress indicator. */
  readonly progress?: (event: { check: string; region: string; found?: number; done?: number }) => void;
  /** Client configuration shared by every SDK client (retry mode, timeouts, endpoint, credentials). */
  readonly clientConfig: Record<string, unknown>;
}

/**
 * A check: one module under lib/audit/checks. Regional checks run once per region; `global` checks
 * (account-wide settings: IAM, S3 account block) run once, in the first region, with region "global".
 */
export interface AuditCheck {
  readonly name: string;
  /** Control IDs its results are tagged with; the first is used for a NOT_CHECKED row if it fails as a whole. */
  readonly controls: readonly string[];
  readonly description: string;
  /**
   * IAM actions the check needs: its entry in lib/audit/permissions.ts (`CHECK_PERMISSIONS[name]`),
   * the one list the AuditorRole and the README follow.
   */
  readonly permissions: readonly string[];
  readonly global?: boolean;
  /** Must return at least one result; throwing makes the whole check one NOT_CHECKED result. */
  run(context: CheckContext): Promise<AuditResult[]>;
}

/** Results of one check about one resource type, built without repeating the common fields. */
export function resultsFor(check: string, control: string, region: string, resourceType: string) {
  const make =
    (status: AuditStatus) =>
    (resource: string, reason: string, controlId: string = control): AuditResult => ({
      check,
      control: controlId,
      region,
      resourceType,
      resource,
      status,
      reason,
    });
  return {
    compliant: make('COMPLIANT'),
    nonCompliant: make('NON_COMPLIANT'),
    notApplicable: make('NOT_APPLICABLE'),
    notChecked: (resource: string, error: unknown, controlId: string = control): AuditResult =>
      make('NOT_CHECKED')(resource, typeof error === 'string' ? error : describeError(error), controlId),
    /** COMPLIANT with `ok` when `problems` is empty, else NON_COMPLIANT listing them. */
    verdict: (resource: string, problems: readonly string[], ok: string, controlId: string = control) =>
      problems.length === 0
        ? make('COMPLIANT')(resource, ok, controlId)
        : make('NON_COMPLIANT')(resource, problems.join('; '), controlId),
  };
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
