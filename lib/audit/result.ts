import { z } from 'zod';

// The shared result model of baseline-audit: one result per resource and check. It is also the
// JSON output (`--json`), so it has a versioned schema (docs/audit-output.schema.json).

export const AUDIT_SCHEMA_VERSION = '1.0';

export const auditStatus = z.enum(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE', 'ERROR']);
export type AuditStatus = z.infer<typeof auditStatus>;

export const auditResultSchema = z.strictObject({
  check: z.string().describe('Check that produced the result: kms, cloudtrail, guardduty, s3, waf.'),
  control: z.string().describe('Control ID (CONTROLS.md) the check verifies.'),
  region: z.string(),
  resourceType: z.string().describe('CloudFormation-style type, e.g. AWS::KMS::Key.'),
  resource: z.string().describe('ARN or identifier of the resource.'),
  status: auditStatus,
  reason: z.string().describe('Why the status was given, in words.'),
});
export type AuditResult = z.infer<typeof auditResultSchema>;

export const auditOutputSchema = z
  .strictObject({
    schemaVersion: z.string().regex(/^1\.\d+$/),
    generatedAt: z.iso.datetime(),
    regions: z.array(z.string()),
    checks: z.array(z.string()),
    summary: z.record(auditStatus, z.int().nonnegative()),
    results: z.array(auditResultSchema),
  })
  .describe('baseline-audit --json output');
export type AuditOutput = z.infer<typeof auditOutputSchema>;

export function summarize(results: readonly AuditResult[]): Record<AuditStatus, number> {
  const summary: Record<AuditStatus, number> = {
    COMPLIANT: 0,
    NON_COMPLIANT: 0,
    NOT_APPLICABLE: 0,
    ERROR: 0,
  };
  for (const r of results) summary[r.status]++;
  return summary;
}

/** A readable one-line description of an SDK or other error, for ERROR results. */
export function describeError(e: unknown): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = err?.name ?? 'Error';
  const message = err?.message ?? String(e);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** The `--json` output's JSON Schema (draft 2020-12), generated from `auditOutputSchema`. */
export function auditJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditOutputSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
