import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

// Every ```ts block of the README compiles: a block is either a complete program (it creates an
// App) or is marked, on the line before it, `<!-- fragment of examples/<file>.ts -->`, in which
// case it must appear in that file verbatim and the file is compiled. Blocks import the package
// by its name, as a user would; `cdk-security-baseline` resolves to lib/index.ts and
// `cdk-security-baseline/app` to lib/app.ts.
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

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

const normalise = (code: string) =>
  code
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

describe('README TypeScript blocks', () => {
  const blocks = tsBlocks();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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
    const files = [...programs, ...examples];
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
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
    // The blocks' own diagnostics; the library itself is type-checked by tsc.
    const problems = files.flatMap((f) =>
      [
        ...program.getSyntacticDiagnostics(program.getSourceFile(f)),
        ...program.getSemanticDiagnostics(program.getSourceFile(f)),
      ].map((d) => {
        const where =
          d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `${path.basename(f)}:${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
    expect(problems).toEqual([]);
  }, 240_000);
});
