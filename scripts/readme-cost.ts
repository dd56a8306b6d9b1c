// Writes the README's "What it costs" section from the price table (lib/compliance/cost/prices.ts)
// and the default configuration's synthesized stacks:
//   npx tsx scripts/readme-cost.ts
// test/compliance/cost/readme.test.ts fails when the README and this output disagree.
import { App } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildBaselineStacks } from '../lib/baseline-app';
import { DEFAULT_CONFIG } from '../lib/config/default-config';
import { CostEstimate } from '../lib/compliance/cost/estimate';
import { appCostEstimate } from '../lib/compliance/cost/from-app';
import { renderReadmeCostSection, replaceReadmeCostSection } from '../lib/compliance/cost/markdown';

const ROOT = path.join(__dirname, '..');
export const README = path.join(ROOT, 'README.md');

/**
 * Synthesize the default configuration (every environment), or `config` given as `-c config=FILE`
 * would, and return its cost estimate: what the controls report's cost section holds
 * (appCostEstimate), from the stacks alone, without the compliance gate (buildBaselineStacks), which
 * the estimate does not depend on.
 */
export function configurationCost(config?: unknown): CostEstimate {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-cost-'));
  const configFile = path.join(outdir, 'baseline.json');
  if (config !== undefined) fs.writeFileSync(configFile, JSON.stringify(config));
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
  // Bundling is skipped: templates are the same without the bundled code.
  const app = new App({
    outdir,
    context: {
      ...context,
      'aws:cdk:bundling-stacks': [],
      ...(config !== undefined ? { config: configFile } : {}),
    },
  });
  buildBaselineStacks(app);
  app.synth();
  const cost = appCostEstimate(app);
  fs.rmSync(outdir, { recursive: true, force: true });
  if (!cost) throw new Error('the synth wrote no template to estimate');
  return cost;
}

/** Stacks of the reference workload (ProtectedWorkloadStack), by the name the app gives them. */
export const isWorkloadStack = (stack: string): boolean => stack.endsWith('-Workload');

/**
 * What the README states: the default configuration's stacks and, when the default leaves the
 * reference workload out, its stacks as the default configuration with `workload.enabled: true`
 * builds them (listed in `optIn`).
 */
export function readmeCost(defaults: CostEstimate = configurationCost()): {
  cost: CostEstimate;
  optIn: string[];
} {
  if (defaults.stacks.some((s) => isWorkloadStack(s.stack))) return { cost: defaults, optIn: [] };
  const config = structuredClone(DEFAULT_CONFIG) as { environments: Record<string, Record<string, unknown>> };
  for (const env of Object.values(config.environments))
    env.workload = { ...((env.workload as object | undefined) ?? {}), enabled: true };
  const workload = configurationCost(config).stacks.filter((s) => isWorkloadStack(s.stack));
  return {
    cost: { ...defaults, stacks: [...defaults.stacks, ...workload] },
    optIn: workload.map((s) => s.stack),
  };
}

/** The section as Prettier formats it inside the README (the CLI: Prettier's API is ESM-only under Jest). */
export function formattedCostSection(cost: CostEstimate, optIn: readonly string[] = []): string {
  const prettierCli = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  return execFileSync(process.execPath, [prettierCli, '--stdin-filepath', README], {
    input: renderReadmeCostSection(cost, optIn),
    encoding: 'utf8',
  });
}

if (require.main === module) {
  const { cost, optIn } = readmeCost();
  const section = formattedCostSection(cost, optIn);
  fs.writeFileSync(README, replaceReadmeCostSection(fs.readFileSync(README, 'utf8'), section));
  console.log(`wrote the "What it costs" section of ${path.relative(process.cwd(), README)}`);
}
