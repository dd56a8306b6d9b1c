import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROL_CATALOGUE } from '../../lib/compliance/catalogue';
import { POLICY_SOURCES, SEED_FILES } from '../../lib/compliance/policy-sources';

// The seeds live in ../shared/seeds beside the repository (CI and developer machines).
const SEEDS = path.join(__dirname, '..', '..', '..', 'shared', 'seeds');
const haveSeeds = fs.existsSync(SEEDS);

describe('policy sources', () => {
  test('every control has at least one source, from one of the seeds CONTROLS.md names for it', () => {
    for (const control of CONTROL_CATALOGUE) {
      const sources = POLICY_SOURCES[control.id] ?? [];
      expect([control.id, sources.length > 0]).toEqual([control.id, true]);
      for (const [seed] of sources)
        expect([control.id, seed, control.seeds.includes(seed)]).toEqual([control.id, seed, true]);
    }
    expect(Object.keys(POLICY_SOURCES).sort()).toEqual(CONTROL_CATALOGUE.map((c) => c.id).sort());
  });

  (haveSeeds ? test : test.skip)('every heading and quote stands in its seed', () => {
    for (const [id, sources] of Object.entries(POLICY_SOURCES)) {
      for (const [seed, heading, quote] of sources) {
        const text = fs.readFileSync(path.join(SEEDS, SEED_FILES[seed]), 'utf8').replace(/\*\*/g, '');
        expect([id, seed, heading, text.includes(heading)]).toEqual([id, seed, heading, true]);
        expect([id, seed, quote, text.includes(quote)]).toEqual([id, seed, quote, true]);
      }
    }
  });
});
