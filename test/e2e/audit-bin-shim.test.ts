import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// bin/baseline-audit.js runs the compiled CLI in a published package, the TypeScript source in a
// clone, and never a dist/ build older than the sources next to it (a stale build once ran instead
// of the code under test).
const SHIM = path.join(__dirname, '..', '..', 'bin', 'baseline-audit.js');

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function layout(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-shim-'));
  roots.push(root);
  fs.symlinkSync(path.join(__dirname, '..', '..', 'node_modules'), path.join(root, 'node_modules'));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(SHIM, path.join(root, 'bin', 'baseline-audit.js'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}
const run = (root: string) =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'baseline-audit.js')], { encoding: 'utf8' }).stdout;
const age = (root: string, file: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(path.join(root, file), t, t);
};

const SOURCE = {
  'bin/baseline-audit.ts': "process.stdout.write('SOURCE');\n",
  'lib/audit/x.ts': 'export {};\n',
};
const COMPILED = { 'dist/bin/baseline-audit.js': "process.stdout.write('COMPILED');\n" };

test('a clone with a stale build runs the source', () => {
  const root = layout({ ...SOURCE, ...COMPILED });
  age(root, 'dist/bin/baseline-audit.js', 3600);
  expect(run(root)).toBe('SOURCE');
}, 30_000);

test('a clone with a fresh build runs the build', () => {
  const root = layout({ ...SOURCE, ...COMPILED });
  age(root, 'bin/baseline-audit.ts', 3600);
  age(root, 'lib/audit/x.ts', 3600);
  expect(run(root)).toBe('COMPILED');
}, 30_000);

test('a published package (no sources) runs the build', () => {
  expect(run(layout(COMPILED))).toBe('COMPILED');
}, 30_000);

test('a clone runs its current source: a changed source file is picked up on the next run', () => {
  const root = layout({
    'bin/baseline-audit.ts': "import { word } from '../lib/audit/x';\nprocess.stdout.write(word);\n",
    'lib/audit/x.ts': "export const word = 'FIRST';\n",
  });
  expect(run(root)).toBe('FIRST');
  // Same size, new content: whatever the shim keeps between runs must not be reused.
  fs.writeFileSync(path.join(root, 'lib/audit/x.ts'), "export const word = 'AFTER';\n");
  expect(run(root)).toBe('AFTER');
}, 30_000);
