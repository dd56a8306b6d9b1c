import * as fs from 'node:fs';
import * as path from 'node:path';

// SUP-01: the repository has a SECURITY.md, a lockfile and pinned dependencies.
const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

describe('supply chain (SUP-01)', () => {
  test('SECURITY.md says how to report a vulnerability', () => {
    const text = fs.readFileSync(path.join(ROOT, 'SECURITY.md'), 'utf8');
    expect(text).toMatch(/## Reporting a vulnerability/);
    expect(text).toMatch(/Do not open a public issue/);
  });

  test('every dependency is pinned to an exact version', () => {
    const all = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
    const loose = Object.entries(all).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(v));
    expect(loose).toEqual([]);
  });

  test('the lockfile records exactly the pinned versions', () => {
    const all = { ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>;
    const mismatched = Object.entries(all).filter(
      ([name, version]) => lock.packages[`node_modules/${name}`]?.version !== version,
    );
    expect(mismatched).toEqual([]);
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
  });
});
