import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// `cdk synth`, the real CLI, on this app with a bad configuration file: the message a user sees,
// the exit code and the templates written (none). In-process, test/app.test.ts checks that a
// configuration mistake stops the app before any stack is created.
const ROOT = path.join(__dirname, '..', '..');

describe('a configuration mistake under `cdk synth`', () => {
  /** `cdk synth` (the real CLI) with a configuration file `text`: its result and the templates it wrote. */
  function synthWithConfig(name: string, text: string, ...context: string[]) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
    try {
      const config = path.join(outdir, name);
      fs.writeFileSync(config, text);
      const args = ['-c', `config=${config}`, ...context.flatMap((c) => ['-c', c])];
      const result = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'),
          'synth',
          '-q',
          '-o',
          path.join(outdir, 'out'),
          ...args,
        ],
        { cwd: ROOT, encoding: 'utf8' }, // the CLI's version check is off (test/setup-env.ts)
      );
      const out = path.join(outdir, 'out');
      const written = fs.existsSync(out)
        ? fs.readdirSync(out).filter((f) => f.endsWith('.template.json'))
        : [];
      return { result, written };
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('makes `cdk synth` print every problem, exit non-zero and write no template', () => {
    const { result, written } = synthWithConfig(
      'bad.json',
      JSON.stringify({
        environments: { prod: { keys: { rotationPeriodDays: 365 }, auditLog: { retentionDays: 30 } } },
      }),
      'env=prd',
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('3 problems');
    expect(result.stderr).toContain('environments.prod.keys.rotationPeriodDays: got 365');
    expect(result.stderr).toContain('environments.prod.auditLog.retentionDays: got 30');
    expect(result.stderr).toContain(
      'env (context -c env=NAME): got "prd"; expected one of the configured environments: prod',
    );
    expect(written).toEqual([]);
  }, 60_000);

  test('a duplicate environment and a tag CloudFormation would refuse: `cdk synth` names both, writes nothing', () => {
    const { result, written } = synthWithConfig(
      'dup.jsonc',
      [
        '// two "prod" entries: JSON.parse would silently keep the second',
        '{',
        '  "environments": {',
        '    "prod": { "profile": "prod", "tags": { "team": "a;b" } },',
        '    "prod": { "profile": "dev" },',
        '  },',
        '}',
      ].join('\n'),
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('2 problems');
    expect(result.stderr).toContain(
      'environments.prod: got {"profile":"dev"}; expected a key given once: "prod" appears at line 4, column 5 and again at line 5, column 5',
    );
    expect(result.stderr).toContain(
      'environments.prod.tags.team: got "a;b"; expected a tag value of letters, digits',
    );
    expect(written).toEqual([]);
  }, 60_000);
});
