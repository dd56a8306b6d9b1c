import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUDIT_PERMISSIONS, CHECKS } from '../../lib/audit/checks';
import { EXIT_CODES_HELP } from '../../lib/audit/cli';

// The README section "Verifying a deployed account: baseline-audit" stays true to the code: it
// names every check with its controls, lists exactly the permissions, and documents each exit code.
const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const start = README.indexOf('## Verifying a deployed account: baseline-audit');
const section = README.slice(start, README.indexOf('\n## ', start + 10));

describe('README: baseline-audit section', () => {
  test('exists', () => expect(start).toBeGreaterThanOrEqual(0));

  test.each(CHECKS.map((c) => [c.name, c.controls.join(', ')]))(
    'names check %s with its controls %s',
    (name, controls) => {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\``));
      expect(row).toBeDefined();
      for (const control of controls.split(', ')) expect(row).toContain(control);
    },
  );

  test('lists exactly the permissions the checks declare', () => {
    const block = /```text\n((?:[a-z0-9-]+:[A-Za-z]+,?\s*)+)```/.exec(section);
    expect(block).not.toBeNull();
    const listed = block![1].split(/[,\s]+/).filter(Boolean);
    expect(listed).toEqual([...AUDIT_PERMISSIONS]);
  });

  test('documents the three exit codes as --help prints them', () => {
    for (const code of ['0', '1', '2']) expect(section).toMatch(new RegExp(`\\| ${code} +\\| \\S`));
    expect(EXIT_CODES_HELP).toContain('2  nothing non-compliant, but at least one NOT_CHECKED result');
    expect(section).toContain('nothing non-compliant, but at least one NOT_CHECKED result');
  });

  test('shows a real run from the emulator', () => {
    const sample = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'audit-sample-run.txt'), 'utf8');
    const summary = sample.trim().split('\n').pop()!;
    expect(summary).toMatch(
      /^\d+ results for \d+ controls in eu-west-1 \(account 123456789012\): \d+ compliant, 0 non-compliant, 0 not checked, 0 not applicable$/,
    );
    expect(section).toContain(summary);
  });
});
