// Writes the README's "What it costs" section from the price table (lib/compliance/cost/prices.ts)
// and the default configuration's synthesized stacks:
//   npx tsx scripts/readme-cost.ts
// test/compliance/cost/readme.test.ts fails when the README and this output disagree.
import { App } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildBaselineApp } from '../lib/baseline-app';
import { CostEstimate } from '../lib/compliance/cost/estimate';
import { renderReadmeCostSection, replaceReadmeCostSection } from '../lib/compliance/cost/markdown';
import { ControlsReport, REPORT_JSON } from '../lib/compliance/report';

const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

/** Synthesize the default configuration (every environment) and return the report's cost estimate. */
export function defaultConfigurationCost(): CostEstimate {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-cost-'));
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  // Bundling is skipped: templates are the same without the bundled code.
  const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  buildBaselineApp(app);
  const error = console.error;
  console.error = () => undefined; // the synth summary; the estimate is read from the report
  try {
    app.synth();
  } finally {
    console.error = error;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf8')) as ControlsReport;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (!report.cost) throw new Error('the controls report has no cost section');
  return report.cost;
}

/** The section as Prettier formats it inside the README (the CLI: Prettier's API is ESM-only under Jest). */
export function formattedCostSection(cost: CostEstimate): string {
  const prettierCli = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  return execFileSync(process.execPath, [prettierCli, '--stdin-filepath', README], {
    input: renderReadmeCostSection(cost),
    encoding: 'utf8',
  });
}

if (require.main === module) {
  const section = formattedCostSection(defaultConfigurationCost());
  fs.writeFileSync(README, replaceReadmeCostSection(fs.readFileSync(README, 'utf8'), section));
  console.log(`wrote the "What it costs" section of ${path.relative(process.cwd(), README)}`);
}
