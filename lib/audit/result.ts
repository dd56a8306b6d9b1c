import { z } from 'zod';

// The shared result model of baseline-audit: one result per resource and check, each in exactly one
// of four states and tagged with the control ID (../shared/CONTROLS.md) it verifies. It is also the
// JSON output (`--json`), so it has a versioned schema (docs/audit-output.schema.json).
//
// 2.0 (from 1.x): ERROR became NOT_CHECKED (with the reason), and a per-control summary was added.

export const AUDIT_SCHEMA_VERSION = '2.0';

export const auditStatus = z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'NOT_CHECKED']);
export type AuditStatus = z.infer<typeof auditStatus>;
export const AUDIT_STATUSES: readonly AuditStatus[] = auditStatus.options;

export const auditResultSchema = z.strictObject({
  check: z
    .string()
    .describe('Check that produced the result (`--checks` name), e.g. kms, cloudtrail, s3-bucket.'),
  control: z
    .string()
    .regex(/^[A-Z]{2,4}-\d{2}$/)
    .describe('Control ID (CONTROLS.md) the result is evidence for.'),
  region: z.string().describe('Region checked, or "global" for account-wide settings.'),
  resourceType: z.string().describe('CloudFormation-style type, e.g. AWS::KMS::Key.'),
  resource: z.string().describe('ARN or identifier of the resource (or what was looked for).'),
  status: auditStatus,
  reason: z.string().min(1).describe('Why the status was given, in words; for NOT_CHECKED, what failed.'),
});
export type AuditResult = z.infer<typeof auditResultSchema>;

const counts = z.strictObject({
  COMPLIANT: z.int().nonnegative(),
  NON_COMPLIANT: z.int().nonnegative(),
  NOT_APPLICABLE: z.int().nonnegative(),
  NOT_CHECKED: z.int().nonnegative(),
});
export type StatusCounts = z.infer<typeof counts>;

export const controlSummarySchema = z.strictObject({
  control: z.string(),
  status: auditStatus.describe(
    'NON_COMPLIANT if any result is; else NOT_CHECKED if any result is; else COMPLIANT if any result is; else NOT_APPLICABLE.',
  ),
  counts,
});
export type ControlSummary = z.infer<typeof controlSummarySchema>;

export const auditOutputSchema = z
  .strictObject({
    schemaVersion: z.string().regex(/^2\.\d+$/),
    generatedAt: z.iso.datetime(),
    account: z.string().optional().describe('Account audited (STS GetCallerIdentity), when known.'),
    regions: z.array(z.string()),
    checks: z.array(z.string()),
    summary: counts,
    controls: z.array(controlSummarySchema).describe('One entry per control ID, sorted.'),
    results: z.array(auditResultSchema),
  })
  .describe('baseline-audit --json output');
export type AuditOutput = z.infer<typeof auditOutputSchema>;

export function summarize(results: readonly AuditResult[]): StatusCounts {
  const summary: StatusCounts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, NOT_CHECKED: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

/** The worst status of a set of results: NON_COMPLIANT > NOT_CHECKED > COMPLIANT > NOT_APPLICABLE. */
export function worstStatus(c: StatusCounts): AuditStatus {
  if (c.NON_COMPLIANT > 0) return 'NON_COMPLIANT';
  if (c.NOT_CHECKED > 0) return 'NOT_CHECKED';
  if (c.COMPLIANT > 0) return 'COMPLIANT';
  return 'NOT_APPLICABLE';
}

/** Per-control summary, like the synth-time controls report: one line per control ID. */
export function summarizeControls(results: readonly AuditResult[]): ControlSummary[] {
  const ids = [...new Set(results.map((r) => r.control))].sort();
  return ids.map((control) => {
    const c = summarize(results.filter((r) => r.control === control));
    return { control, status: worstStatus(c), counts: c };
  });
}

/**
 * Exit codes (documented in --help and the README):
 * 0 every result is COMPLIANT or NOT_APPLICABLE; 1 at least one NON_COMPLIANT (a proven finding wins
 * over anything unverified); 2 nothing non-compliant but something NOT_CHECKED, or the audit could
 * not run at all (bad arguments, no region, no credentials).
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_NOT_CHECKED = 2;

export function exitCodeFor(summary: StatusCounts): number {
  if (summary.NON_COMPLIANT > 0) return EXIT_FINDINGS;
  if (summary.NOT_CHECKED > 0) return EXIT_NOT_CHECKED;
  return EXIT_OK;
}

/** A readable one-line description of an SDK or other error, for NOT_CHECKED results. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name ?? 'Error';
  let message = err?.message ?? String(e);
  // SDK deserialization errors carry the whole response body; keep the reason one readable line.
  message = message.split('\n')[0].slice(0, 300);
  const status = err?.$metadata?.httpStatusCode;
  const described = message && message !== name ? `${name}: ${message}` : name;
  return status && status >= 500 ? `${described} (HTTP ${status})` : described;
}

/** The `--json` output's JSON Schema (draft 2020-12), generated from `auditOutputSchema`. */
export function auditJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditOutputSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
