import * as fs from 'node:fs';
import { CONTROL_CATALOGUE } from '../lib/compliance/catalogue';
import { CONTROLS_DOC, renderControlsDoc } from '../scripts/generate-controls-doc';

// docs/CONTROLS.md ships in the package and the repository: the catalogue a user can read. It is
// generated from the code the controls report uses, so the two cannot drift.
describe('docs/CONTROLS.md', () => {
  const shipped = fs.readFileSync(CONTROLS_DOC, 'utf8');

  test('equals what npm run docs:controls generates from lib/compliance/catalogue.ts', () => {
    expect(shipped).toBe(renderControlsDoc());
  });

  test('lists every control ID of the catalogue, each once in its family table', () => {
    for (const c of CONTROL_CATALOGUE) {
      expect(shipped.match(new RegExp(`^\\| ${c.id} +\\|`, 'gm'))).toHaveLength(1);
    }
  });
});
