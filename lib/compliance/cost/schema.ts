import { z } from 'zod';

// The `cost` section of compliance-report.json (schema 1.2+), as a zod schema; report-schema.ts
// includes it. Its TypeScript twin is CostEstimate (estimate.ts); a test keeps the two in step.

const usd = z.number().nonnegative().describe('USD per month');

export const costSchema = z
  .strictObject({
    currency: z.literal('USD'),
    region: z.string().describe('Region whose list prices the table holds.'),
    pricesRead: z.string().describe('When the list prices were read.'),
    source: z.string().describe('Where the prices come from.'),
    stacks: z.array(
      z.strictObject({
        stack: z.string(),
        fixedMonthly: usd.describe('Sum of the fixed charges as deployed (the first month).'),
        steadyMonthly: usd.describe(
          'Sum of the fixed charges from the 7th month on (a rotating KMS key pays for its first two rotations).',
        ),
        items: z.array(
          z.strictObject({
            logicalId: z.string(),
            type: z.string(),
            path: z.string().optional().describe('Construct path.'),
            charge: z.string().describe('What is charged.'),
            monthly: usd,
            steadyMonthly: usd,
            controls: z.array(z.string()).describe('Controls whose constructs hold the resource.'),
          }),
        ),
        usage: z
          .array(
            z.strictObject({
              item: z.string(),
              service: z.string(),
              resources: z.int().positive().describe('Resources of the stack that bring it.'),
            }),
          )
          .describe('Usage-priced items, named without a number.'),
        unpriced: z
          .array(
            z.strictObject({
              logicalId: z.string(),
              type: z.string(),
              path: z.string().optional(),
              reason: z.string(),
            }),
          )
          .describe('Resources the price table cannot price: not counted as zero.'),
        freeResources: z.int().nonnegative().describe('Resources with no charge of their own.'),
      }),
    ),
    controls: z
      .array(
        z.strictObject({
          id: z.string(),
          fixedMonthly: usd,
          steadyMonthly: usd,
          usage: z.array(z.string()),
          unpriced: z.int().nonnegative(),
        }),
      )
      .describe(
        'Fixed cost of the resources each control’s constructs hold; a shared resource counts in each.',
      ),
  })
  .describe(
    'Estimated monthly cost before traffic, from the price table in lib/compliance/cost/prices.ts (schema 1.2+).',
  );
