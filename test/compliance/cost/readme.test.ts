import * as fs from 'node:fs';
import { StackCost, usd } from '../../../lib/compliance/cost/estimate';
import { readmeCostSection } from '../../../lib/compliance/cost/markdown';
import {
  configurationCost,
  formattedCostSection,
  isWorkloadStack,
  README,
  readmeCost,
} from '../../../scripts/readme-cost';

// One synth of the default configuration (every environment) for the whole file, and one with the
// reference workload enabled when the default leaves it out.
const defaults = configurationCost();
const { cost, optIn } = readmeCost(defaults);
const stack = (name: string): StackCost => {
  const s = cost.stacks.find((x) => x.stack === name);
  if (!s) throw new Error(`no stack ${name} in ${cost.stacks.map((x) => x.stack).join(', ')}`);
  return s;
};
const readme = fs.readFileSync(README, 'utf8');

describe('the default configuration’s estimate', () => {
  test('the table prices every resource the default configuration synthesizes', () => {
    expect(cost.stacks.flatMap((s) => s.unpriced)).toEqual([]);
    expect(defaults.stacks.filter((s) => !isWorkloadStack(s.stack)).length).toBeGreaterThanOrEqual(1);
    expect(cost.stacks.filter((s) => isWorkloadStack(s.stack)).length).toBeGreaterThanOrEqual(1);
  });

  test('the default baseline stack (SecurityBaseline-dev) costs at most $15/month fixed as deployed', () => {
    const dev = stack('SecurityBaseline-dev');
    expect(dev.fixedMonthly).toBeGreaterThan(0);
    expect(dev.fixedMonthly).toBeLessThanOrEqual(15);
  });

  // From month 7 each rotating key costs $3 (AWS bills its first two rotations): the baseline keeps to
  // four keys (audit logs and, in their region, access logs; alerts; findings; EBS) and 16 alarms.
  test('the default baseline stack stays at most $15/month fixed once its keys have rotated twice', () => {
    expect(stack('SecurityBaseline-dev').steadyMonthly).toBeLessThanOrEqual(15);
  });

  test('the reference workload is priced with its database, endpoints and web ACL', () => {
    const charges = stack('SecurityBaseline-dev-Workload').items.map((i) => i.charge);
    expect(charges).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^db\.t4g\.medium postgres/),
        'interface endpoint in 2 AZ(s)',
        'WAF web ACL',
      ]),
    );
    expect(stack('SecurityBaseline-dev-Workload').fixedMonthly).toBeGreaterThan(
      stack('SecurityBaseline-dev').fixedMonthly,
    );
  });
});

describe('README "What it costs"', () => {
  test('is the generated section (regenerate with `npx tsx scripts/readme-cost.ts`)', () => {
    expect(readmeCostSection(readme).trimEnd()).toBe(formattedCostSection(cost, optIn).trimEnd());
  });

  test('states each stack’s figures as the estimator computes them, the reference workload included', () => {
    const section = readmeCostSection(readme);
    const rows = new Map(
      [...section.matchAll(/^\| (\S+)(?: \(opt-in\))? +\| (\$[\d.]+) +\| (\$[\d.]+) +\|/gm)].map((m) => [
        m[1],
        [m[2], m[3]],
      ]),
    );
    expect([...rows.keys()]).toEqual(cost.stacks.map((s) => s.stack));
    for (const s of cost.stacks)
      expect([s.stack, rows.get(s.stack)]).toEqual([s.stack, [usd(s.fixedMonthly), usd(s.steadyMonthly)]]);
    expect(rows.get('SecurityBaseline-dev-Workload')).toEqual([
      usd(stack('SecurityBaseline-dev-Workload').fixedMonthly),
      usd(stack('SecurityBaseline-dev-Workload').steadyMonthly),
    ]);
  });

  test('says when the prices were read, and names the usage-priced items', () => {
    const section = readmeCostSection(readme);
    expect(section).toContain('read mid-2025');
    for (const item of ['CloudTrail data events', 'GuardDuty volume', 'CloudWatch Logs ingestion'])
      expect(section).toContain(item);
  });
});
