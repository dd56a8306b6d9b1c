import type { AuditOutput, AuditResult, ControlSummary, StatusCounts } from './schema';

// The shared result model of baseline-audit: one result per resource and check, each in exactly one
// of four states and tagged with the control ID (../shared/CONTROLS.md) it verifies. It is also the
// JSON output (`--json`), so it has a versioned schema (docs/audit-output.schema.json).
//
// 2.0 (from 1.x): ERROR became NOT_CHECKED (with the reason), and a per-control summary was added.

export const AUDIT_SCHEMA_VERSION = '2.0';

/** The four states of a result (the schema's `status`, lib/audit/schema.ts). */
export const AUDIT_STATUSES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'NOT_CHECKED'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export type { AuditOutput, AuditResult, ControlSummary, StatusCounts };

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

/**
 * The `--json` output's JSON Schema (draft 2020-12), generated from the zod schema
 * (lib/audit/schema.ts), which is loaded only here: an audit run never loads zod.
 */
export function auditJsonSchema(): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./schema') as typeof import('./schema')).auditJsonSchema();
}
