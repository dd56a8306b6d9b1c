import { z } from 'zod';
import { costSchema } from './cost/schema';

// The JSON schema of compliance-report.json (schemaVersion 1.x), as a zod schema. It is the single
// source: docs/compliance-report.schema.json is generated from it (`npm run report-schema`), and the
// tests validate every report against it. Additive changes keep 1.x; anything else bumps the major.

const status = z.enum(['implemented', 'acknowledged', 'failing', 'not-applicable', 'not-implemented']);

export const reportSchema = z
  .strictObject({
    schemaVersion: z
      .string()
      .regex(/^1\.\d+$/)
      .describe('Version of this schema; 1.x stays backwards compatible.'),
    generatedBy: z.string().describe('Product and version that wrote the report.'),
    generatedAt: z.iso.datetime().describe('When the report was written (UTC).'),
    stacks: z.array(z.string()).describe('Stacks of the synthesized app.'),
    packs: z
      .array(
        z.strictObject({
          name: z
            .string()
            .describe('Plugin name: a cdk-nag pack prefix, SecurityPolicy, or cdk-validator-cfnguard.'),
          rules: z.int().nonnegative().describe('Rules the plugin evaluated or declares.'),
          pass: z
            .int()
            .nonnegative()
            .nullable()
            .describe('Passing (rule, resource) evaluations; null when the plugin reports violations only.'),
          fail: z.int().nonnegative().describe('Unacknowledged findings (including rules that errored).'),
          acknowledged: z.int().nonnegative().describe('Findings acknowledged with a reason.'),
          notApplicable: z.int().nonnegative().describe('(rule, resource) evaluations that did not apply.'),
          errors: z.int().nonnegative().describe('Rule evaluations that threw (counted in fail too).'),
        }),
      )
      .describe('One entry per compliance plugin, in the order they ran.'),
    summary: z.record(status, z.int().nonnegative()).describe('Number of controls per status.'),
    gate: z
      .strictObject({
        passed: z.boolean().describe('Whether synth passed the compliance gate.'),
        unacknowledged: z.int().nonnegative().describe('Problems that failed synth.'),
        problems: z.array(
          z.strictObject({
            pack: z.string().describe('Plugin that found it, or cdk-security-baseline-gate.'),
            ruleId: z.string().describe('Rule ID, as it would be acknowledged.'),
            path: z.string().describe('Construct path (or <template>#<logical id>).'),
            message: z.string(),
          }),
        ),
      })
      .describe('The gate verdict (schema 1.1+): every unacknowledged finding of every plugin fails synth.'),
    controls: z
      .array(
        z.strictObject({
          id: z
            .string()
            .regex(/^[A-Z]+-\d\d$/)
            .describe('Control ID from CONTROLS.md.'),
          title: z.string(),
          default: z.enum(['on', 'prod', 'opt']).describe('Whether the default configuration deploys it.'),
          status,
          statusReason: z.string(),
          policySources: z.array(
            z.strictObject({
              seed: z.string(),
              file: z.string(),
              heading: z.string(),
              statement: z.string(),
            }),
          ),
          implementedBy: z.array(z.string()).describe('Construct paths that record the control.'),
          checks: z.array(
            z.strictObject({
              pack: z.string(),
              ruleId: z.string(),
              pass: z.int().nonnegative(),
              fail: z.int().nonnegative(),
              notApplicable: z.int().nonnegative(),
              failing: z.array(z.string()).describe('Construct paths with unacknowledged findings.'),
              acknowledged: z.array(
                z.strictObject({ finding: z.string(), path: z.string(), reason: z.string() }),
              ),
            }),
          ),
        }),
      )
      .describe('Every control of the catalogue, in catalogue order.'),
    cost: costSchema.optional(),
  })
  .describe('cdk-security-baseline controls report');

/** The report's JSON Schema (draft 2020-12), generated from `reportSchema`. */
export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
