// Writes docs/compliance-report.schema.json from lib/compliance/report-schema.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { reportJsonSchema } from '../lib/compliance/report-schema';

const file = path.join(__dirname, '..', 'docs', 'compliance-report.schema.json');
fs.writeFileSync(file, JSON.stringify(reportJsonSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
