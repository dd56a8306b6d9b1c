import { styleText } from 'node:util';
import { AuditOutput, AuditStatus } from './result';

const ORDER: AuditStatus[] = ['NON_COMPLIANT', 'NOT_CHECKED', 'COMPLIANT', 'NOT_APPLICABLE'];
const COLOUR: Record<AuditStatus, Parameters<typeof styleText>[0]> = {
  COMPLIANT: 'green',
  NON_COMPLIANT: 'red',
  NOT_APPLICABLE: 'gray',
  NOT_CHECKED: 'yellow',
};

function table(
  header: string[],
  cells: string[][],
  paintFirst: (row: number, text: string) => string,
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  widths[widths.length - 1] = 0; // the last column is not padded
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    ...cells.map((c, i) => paintFirst(i, c[0].padEnd(widths[0])) + line(c).slice(widths[0])),
  ];
}

/**
 * The human report: one row per result (problems first), then one row per control (like the
 * synth-time controls report), then a summary line. Colours only when `colour` is set.
 */
export function formatTable(output: AuditOutput, colour: boolean): string {
  const paint = (status: AuditStatus, text: string) => (colour ? styleText(COLOUR[status], text) : text);
  const rows = [...output.results].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      a.control.localeCompare(b.control) ||
      a.check.localeCompare(b.check) ||
      a.resource.localeCompare(b.resource),
  );
  const out = table(
    ['STATUS', 'CONTROL', 'CHECK', 'REGION', 'RESOURCE', 'REASON'],
    rows.map((r) => [r.status, r.control, r.check, r.region, r.resource, r.reason]),
    (i, text) => paint(rows[i].status, text),
  );
  out.push(
    '',
    ...table(
      ['CONTROL', 'STATUS', 'COMPLIANT', 'NON_COMPLIANT', 'NOT_CHECKED', 'NOT_APPLICABLE'],
      output.controls.map((c) => [
        c.control,
        c.status,
        String(c.counts.COMPLIANT),
        String(c.counts.NON_COMPLIANT),
        String(c.counts.NOT_CHECKED),
        String(c.counts.NOT_APPLICABLE),
      ]),
      (_i, text) => text,
    ).map((l, i) =>
      i === 0
        ? l
        : l.replace(
            output.controls[i - 1].status,
            paint(output.controls[i - 1].status, output.controls[i - 1].status),
          ),
    ),
  );
  const s = output.summary;
  out.push(
    '',
    `${output.results.length} results for ${output.controls.length} controls in ${output.regions.join(', ')}` +
      `${output.account ? ` (account ${output.account})` : ''}: ` +
      [
        paint('COMPLIANT', `${s.COMPLIANT} compliant`),
        paint('NON_COMPLIANT', `${s.NON_COMPLIANT} non-compliant`),
        paint('NOT_CHECKED', `${s.NOT_CHECKED} not checked`),
        paint('NOT_APPLICABLE', `${s.NOT_APPLICABLE} not applicable`),
      ].join(', '),
  );
  return out.join('\n');
}
