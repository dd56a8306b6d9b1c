import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

// Every ```ts block of the README compiles: a block is either a complete program (it creates an
// App) or is marked, on the line before it, `<!-- fragment of examples/<file>.ts -->`, in which
// case it must appear in that file verbatim and the file is compiled. Blocks import the package
// by its name, as a user would; `cdk-security-baseline` resolves to lib/index.ts and
// `cdk-security-baseline/app` to lib/app.ts.
//
// The examples of the data-protection section are also held to noUnusedLocals. Type-checking against
// the library costs ~10 s (aws-cdk-lib's declarations), so both checks read one program, built once
// with noUnusedLocals: for the other blocks, its unused-declaration diagnostics (the only ones the
// option adds) are left out, which gives exactly what a program without the option reports.
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const DATA_SECTION = '## Backups, restore tests, data events and PII discovery';

interface Block {
  line: number;
  code: string;
  fragmentOf?: string;
}

function tsBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const m of README.matchAll(
    /(?:<!-- fragment of (\S+) -->\s*\n)?```(?:ts|typescript)\n([\s\S]*?)```/g,
  )) {
    blocks.push({ line: README.slice(0, m.index).split('\n').length, code: m[2], fragmentOf: m[1] });
  }
  return blocks;
}

/** The TypeScript examples of the README's data-protection section, as written. */
function dataProtectionExamples(): string[] {
  const start = README.indexOf(DATA_SECTION);
  const end = README.indexOf('\n## ', start + DATA_SECTION.length);
  expect(start).toBeGreaterThan(-1);
  const section = README.slice(start, end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const normalise = (code: string) =>
  code
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** Diagnostic codes that noUnusedLocals adds (declared but never read/used, all imports unused, ...). */
const UNUSED_LOCALS = new Set([6133, 6138, 6192, 6196, 6198, 6199, 6205]);

/**
 * Type-check `files` (and everything they import) against the library in one program, with
 * noUnusedLocals; each file's own diagnostics, the unused-declaration ones only for `strictUnused`.
 */
function typeCheck(files: string[], strictUnused: (file: string) => boolean): Map<string, ts.Diagnostic[]> {
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
      'cdk-security-baseline/app': [path.join(ROOT, 'lib', 'app.ts')],
      '*': [path.join(ROOT, 'node_modules', '*')],
    },
  });
  // The files' own diagnostics; the library itself is type-checked by tsc.
  return new Map(
    files.map((f) => [
      f,
      [
        ...program.getSyntacticDiagnostics(program.getSourceFile(f)),
        ...program.getSemanticDiagnostics(program.getSourceFile(f)),
      ].filter((d) => strictUnused(f) || !UNUSED_LOCALS.has(d.code)),
    ]),
  );
}

const blocks = tsBlocks();
const dataBlocks = dataProtectionExamples();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// One program for every block, every example file and the data-protection examples (built once,
// by whichever of the two type-check tests runs first).
let checked: {
  diagnostics: Map<string, ts.Diagnostic[]>;
  programs: string[];
  examples: string[];
  data: string[];
};
function diagnostics() {
  if (checked) return checked;
  const programs = blocks
    .filter((b) => !b.fragmentOf)
    .map((b) => {
      const file = path.join(dir, `readme-line-${b.line}.ts`);
      fs.writeFileSync(file, b.code);
      return file;
    });
  const examples = [
    ...new Set(blocks.filter((b) => b.fragmentOf).map((b) => path.join(ROOT, b.fragmentOf!))),
  ];
  const data = dataBlocks.map((code, i) => {
    const file = path.join(dir, `example-${i}.ts`);
    fs.writeFileSync(file, code);
    return file;
  });
  const dataFiles = new Set(data);
  checked = {
    diagnostics: typeCheck([...programs, ...examples, ...data], (f) => dataFiles.has(f)),
    programs,
    examples,
    data,
  };
  return checked;
}

describe('README TypeScript blocks', () => {
  test('there are blocks, and each is a complete program or a marked fragment', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const b of blocks) {
      expect({ line: b.line, complete: b.fragmentOf !== undefined || /new App\(/.test(b.code) }).toEqual({
        line: b.line,
        complete: true,
      });
    }
  });

  test('every fragment appears verbatim in the example file it names', () => {
    for (const b of blocks.filter((x) => x.fragmentOf)) {
      const file = path.join(ROOT, b.fragmentOf!);
      expect(fs.existsSync(file)).toBe(true);
      expect({
        line: b.line,
        found: normalise(fs.readFileSync(file, 'utf8')).includes(normalise(b.code)),
      }).toEqual({
        line: b.line,
        found: true,
      });
    }
  });

  test('every complete program and every example file type-checks against the library', () => {
    const { diagnostics: all, programs, examples } = diagnostics();
    const problems = [...programs, ...examples].flatMap((f) =>
      all.get(f)!.map((d) => {
        const where =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `${path.basename(f)}:${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
    expect(problems).toEqual([]);
  }, 240_000);
});

describe('README: backups, restore tests, data events and PII discovery', () => {
  test('has two complete programs that import from the package', () => {
    expect(dataBlocks).toHaveLength(2);
    for (const b of dataBlocks) {
      expect(b).toMatch(/from 'cdk-security-baseline';/);
      expect(b).toMatch(/new App\(\)/);
    }
  });

  test('the examples type-check as written against the library', () => {
    const { diagnostics: all, data } = diagnostics();
    // Only the examples' own diagnostics (noUnusedLocals included): other files of the library are
    // checked by tsc.
    const problems = data.flatMap((f) =>
      all.get(f)!.map((d) => `${path.basename(f)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    );
    expect(problems).toEqual([]);
  }, 240_000);
});
