// Writes the published JSON Schemas from their zod sources:
//   docs/compliance-report.schema.json  <- lib/compliance/report-schema.ts
//   docs/audit-output.schema.json       <- lib/audit/result.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditJsonSchema } from '../lib/audit/result';
import { reportJsonSchema } from '../lib/compliance/report-schema';

for (const [name, schema] of [
  ['compliance-report.schema.json', reportJsonSchema()],
  ['audit-output.schema.json', auditJsonSchema()],
] as const) {
  const file = path.join(__dirname, '..', 'docs', name);
  fs.writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
