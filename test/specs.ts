import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Run every `*.spec.ts` of `dir` inside the calling Jest test file, each in a describe block named
 * after its file.
 *
 * Jest gives every test file a fresh module registry, so every file loads aws-cdk-lib, cdk-nag and
 * the library again. For small specs that is most of what they cost: the construct specs took 25.9 s
 * of CPU as 25 test files and 16.6 s as one. A folder of small specs is therefore one test file
 * (its `*.test.ts` calls this). The specs stay independent of each other: each builds its own apps,
 * and none changes process-wide state it does not restore. Name a spec on the command line
 * (`npm test -- test/constructs/secure-bucket.spec.ts`) to run it on its own.
 */
export function runSpecs(dir: string): void {
  const specs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.spec.ts'))
    .sort();
  if (specs.length === 0) throw new Error(`no *.spec.ts in ${dir}`);
  for (const spec of specs)
    describe(spec, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the spec registers its tests here
      require(path.join(dir, spec));
    });
}
