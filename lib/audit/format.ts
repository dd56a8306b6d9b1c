import { styleText } from 'node:util';
import { AuditOutput, AuditStatus } from './result';

const ORDER: AuditStatus[] = ['NON_COMPLIANT', 'ERROR', 'COMPLIANT', 'NOT_APPLICABLE'];
const COLOUR: Record<AuditStatus, Parameters<typeof styleText>[0]> = {
  COMPLIANT: 'green',
  NON_COMPLIANT: 'red',
  NOT_APPLICABLE: 'gray',
  ERROR: 'yellow',
};

/** The human report: a table, problems first, and a summary line. Colours only when `colour` is set. */
export function formatTable(output: AuditOutput, colour: boolean): string {
  const paint = (status: AuditStatus, text: string) => (colour ? styleText(COLOUR[status], text) : text);
  const rows = [...output.results].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      a.check.localeCompare(b.check) ||
      a.resource.localeCompare(b.resource),
  );
  const header = ['STATUS', 'CHECK', 'REGION', 'RESOURCE', 'REASON'];
  const cells = rows.map((r) => [r.status, `${r.check} (${r.control})`, r.region, r.resource, r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  widths[4] = 0; // the reason is last and not padded
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    line(header),
    ...cells.map((c, i) => paint(rows[i].status, c[0].padEnd(widths[0])) + line(c).slice(widths[0])),
  ];
  const s = output.summary;
  out.push(
    '',
    `${output.results.length} resources in ${output.regions.join(', ')}: ` +
      [
        paint('COMPLIANT', `${s.COMPLIANT} compliant`),
        paint('NON_COMPLIANT', `${s.NON_COMPLIANT} non-compliant`),
        paint('ERROR', `${s.ERROR} errors`),
        paint('NOT_APPLICABLE', `${s.NOT_APPLICABLE} not applicable`),
      ].join(', '),
  );
  return out.join('\n');
}
