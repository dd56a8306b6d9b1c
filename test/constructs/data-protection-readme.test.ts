import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const SECTION = '## Backups, restore tests, data events and PII discovery';

/** The TypeScript examples of the README's data-protection section, as written. */
function examples(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  expect(start).toBeGreaterThan(-1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('README: backups, restore tests, data events and PII discovery', () => {
  const blocks = examples();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-data-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('has two complete programs that import from the package', () => {
    expect(blocks).toHaveLength(2);
    for (const b of blocks) {
      expect(b).toMatch(/from 'cdk-security-baseline';/);
      expect(b).toMatch(/new App\(\)/);
    }
  });

  test('the examples type-check as written against the library', () => {
    const files = blocks.map((code, i) => {
      const file = path.join(dir, `example-${i}.ts`);
      fs.writeFileSync(file, code);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noUnusedLocals: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: {
        'cdk-security-baseline': [path.join(ROOT, 'lib', 'index.ts')],
        '*': [path.join(ROOT, 'node_modules', '*')],
      },
    });
    // Only the examples' own diagnostics: other files of the library are checked by tsc.
    const problems = files.flatMap((f) =>
      [
        ...program.getSyntacticDiagnostics(program.getSourceFile(f)),
        ...program.getSemanticDiagnostics(program.getSourceFile(f)),
      ].map((d) => `${path.basename(f)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    );
    expect(problems).toEqual([]);
  }, 120_000);
});
