import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// Every ```ts block of the README compiles. Each is marked, on the line before it,
// `<!-- fragment of examples/<file>.ts -->`, must appear in that file verbatim, and the file is a
// program that `npm run typecheck` (tsc over tsconfig.json) compiles with the rest of the code:
// importing the package by its name, as a user would (tsconfig.json maps `cdk-security-baseline` to
// lib/index.ts and `cdk-security-baseline/app` to lib/app.ts), with noUnusedLocals. CI runs the
// type-check before the tests; a type-check of its own here cost ~10 s of CPU (aws-cdk-lib's
// declarations) for the same answer.
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

const blocks = tsBlocks();
const examples = [...new Set(blocks.flatMap((b) => (b.fragmentOf ? [path.join(ROOT, b.fragmentOf)] : [])))];

describe('README TypeScript blocks', () => {
  test('there are blocks, and each is marked as a fragment of a program under examples/', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(
      blocks.filter((b) => !/^examples\/[\w-]+\.ts$/.test(b.fragmentOf ?? '')).map((b) => b.line),
    ).toEqual([]);
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

  test('every example file is a complete program: it creates an App', () => {
    for (const file of examples)
      expect({ file, app: /new App\(/.test(fs.readFileSync(file, 'utf8')) }).toEqual({ file, app: true });
  });

  test('`npm run typecheck` compiles every example file, with the package name mapped to the source and noUnusedLocals', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.typecheck).toBe('tsc --noEmit'); // tsconfig.json, the program read below
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    expect(config.errors).toEqual([]);
    const compiled = new Set(config.fileNames.map((f) => path.resolve(f)));
    expect(examples.filter((f) => !compiled.has(f))).toEqual([]);
    const mapped = (name: string) => config.options.paths?.[name]?.map((p) => path.resolve(ROOT, p));
    expect(mapped('cdk-security-baseline')).toEqual([path.join(ROOT, 'lib', 'index.ts')]);
    expect(mapped('cdk-security-baseline/app')).toEqual([path.join(ROOT, 'lib', 'app.ts')]);
    expect([config.options.strict, config.options.noUnusedLocals, config.options.noEmit]).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('README: backups, restore tests, data events and PII discovery', () => {
  test('has two complete programs that import from the package', () => {
    const data = dataProtectionExamples();
    expect(data).toHaveLength(2);
    for (const b of data) {
      expect(b).toMatch(/from 'cdk-security-baseline';/);
      expect(b).toMatch(/new App\(\)/);
    }
  });
});
