import { CostEstimate, usd } from './estimate';

/** The cost section of the controls report (Markdown lines, starting with its heading). */
export function renderCostMarkdown(cost: CostEstimate): string[] {
  const out: string[] = ['## What it costs (estimate)', ''];
  out.push(
    `Fixed monthly cost per stack before any traffic, from ${cost.source}. ` +
      `"From month 7" counts each rotating KMS key at $3 (its first two rotations add $1/month each). ` +
      'Usage-priced items are named, without a number. Resources the price table does not know are listed as NOT PRICED, never counted as zero.',
    '',
    '| Stack | Fixed, first month | Fixed, from month 7 | Usage-priced | Not priced |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const s of cost.stacks) {
    out.push(
      `| ${s.stack} | ${usd(s.fixedMonthly)} | ${usd(s.steadyMonthly)} | ${[...new Set(s.usage.map((u) => u.service))].join(', ') || '-'} | ${s.unpriced.length} |`,
    );
  }
  for (const s of cost.stacks) {
    out.push('', `### ${s.stack}`, '');
    if (s.items.length > 0) {
      out.push(
        '| Resource | Type | Charge | First month | From month 7 | Controls |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      for (const i of s.items)
        out.push(
          `| \`${i.path ?? i.logicalId}\` | ${i.type} | ${i.charge} | ${usd(i.monthly)} | ${usd(i.steadyMonthly)} | ${i.controls.join(', ') || '-'} |`,
        );
      out.push('');
    }
    out.push(
      `Fixed: ${usd(s.fixedMonthly)}/month (${usd(s.steadyMonthly)} from month 7); ${s.freeResources} resource(s) free.`,
    );
    if (s.usage.length > 0) {
      out.push('', 'Usage-priced:');
      for (const u of s.usage) out.push(`- ${u.item} (${u.resources} resource(s))`);
    }
    if (s.unpriced.length > 0) {
      out.push('', '**NOT PRICED** (the price table does not know them):');
      for (const u of s.unpriced) out.push(`- \`${u.path ?? u.logicalId}\` (${u.type}): ${u.reason}`);
    }
  }
  if (cost.controls.length > 0) {
    out.push(
      '',
      '### Per control',
      '',
      'A resource that serves several controls counts in each, so these do not add up to the stack totals.',
      '',
      '| Control | Fixed, first month | Fixed, from month 7 | Usage-priced | Not priced |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const c of cost.controls)
      out.push(
        `| ${c.id} | ${usd(c.fixedMonthly)} | ${usd(c.steadyMonthly)} | ${c.usage.length} item(s) | ${c.unpriced} |`,
      );
  }
  return out;
}
