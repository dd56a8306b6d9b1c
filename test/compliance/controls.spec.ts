import { Stack } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROL_CATALOGUE } from '../../lib/compliance/catalogue';
import { recordControls, recordedControls, warnWeakened } from '../../lib/compliance/controls';
import { testStack } from '../helpers';

// CONTROLS.md is the contract; it lives in ../shared beside the repository (in CI and on the
// developers' machines). On a machine without it the comparison cannot run: that is reported, not hidden.
const CONTROLS_MD = path.join(__dirname, '..', '..', '..', 'shared', 'CONTROLS.md');
const haveContract = fs.existsSync(CONTROLS_MD);

describe('the control catalogue', () => {
  (haveContract ? test : test.skip)(
    'lists exactly the controls of CONTROLS.md, with their seeds and defaults',
    () => {
      const rows = [
        ...fs
          .readFileSync(CONTROLS_MD, 'utf8')
          .matchAll(/^\| ([A-Z]+-\d\d) \| .+? \| ([\d ]+) \| (on|prod|opt) \|$/gm),
      ];
      expect(rows.length).toBeGreaterThan(40);
      expect(CONTROL_CATALOGUE.map((c) => [c.id, c.seeds.join(' '), c.default])).toEqual(
        rows.map((r) => [r[1], r[2].trim(), r[3]]),
      );
    },
  );

  test('IDs are unique', () => {
    const ids = CONTROL_CATALOGUE.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('recordControls', () => {
  test('records IDs as construct metadata, read back by path', () => {
    const stack = testStack();
    recordControls(stack, 'OPS-02');
    expect([...recordedControls(stack).entries()]).toEqual([['Test', ['OPS-02']]]);
  });

  test('rejects an ID that is not in the catalogue', () => {
    expect(() => recordControls(testStack(), 'ENC-02', 'ENC-99')).toThrow(
      /recordControls\(Test\): unknown control ID\(s\) "ENC-99"/,
    );
  });

  test('warnWeakened rejects an unknown control', () => {
    expect(() => warnWeakened(new Stack(), 'XYZ-01', 'x')).toThrow(/unknown control ID "XYZ-01"/);
  });
});
