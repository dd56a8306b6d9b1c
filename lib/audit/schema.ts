import { z } from 'zod';
import { AUDIT_STATUSES } from './result';

// The zod schema of the audit's result model and `--json` output (docs/audit-output.schema.json),
// in a module of its own: the CLI and the checks use only the types (lib/audit/result.ts), so a run
// never loads zod; the schema is for the JSON Schema generator and the tests that validate output.

export const auditStatus = z.enum(AUDIT_STATUSES);

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

/** The `--json` output's JSON Schema (draft 2020-12), generated from `auditOutputSchema`. */
export function auditJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(auditOutputSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
