import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { testApp } from '../helpers';
import { fixtureConfigurations, missingStatefulIds, statefulIds } from './stateful-ids';

// Logical IDs of stateful resources stay what they were (see ./stateful-ids.ts). The default
// configuration is checked in test/app.test.ts, on the one synth of the default app it already
// makes; this file synthesizes the two example configurations.
const ROOT = path.join(__dirname, '..', '..');

/** Synthesize the baseline app with `context`; its stateful IDs. */
function synthStatefulIds(context: Record<string, unknown>): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-ids-'));
  try {
    const app = testApp({ outdir, context });
    buildBaselineApp(app);
    return statefulIds(app.synth(), outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('logical IDs of stateful resources stay what they were', () => {
  const actual = {
    organization: synthStatefulIds({ config: path.join(ROOT, 'config', 'organization.example.json') }),
    targets: synthStatefulIds({ config: path.join(ROOT, 'config', 'targets.example.json') }),
  };

  test('the fixture records the default configuration and both examples', () => {
    expect(fixtureConfigurations().sort()).toEqual(['default', 'organization', 'targets']);
  });

  // New stateful resources may appear (a new construct); none of the recorded ones may go or be renamed.
  test.each(['organization', 'targets'] as const)('%s configuration', (name) => {
    expect(missingStatefulIds(name, actual[name])).toEqual([]);
  });
});
