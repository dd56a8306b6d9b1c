import { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** How long a background check may take before the gate gives up on it (it then fails synth). */
const TIMEOUT_MS = 15 * 60 * 1000;

/**
 * A template check running in a child process while synth goes on. aws-cdk-lib runs validation
 * plugins one after the other inside a synchronous call, so the slow template checks (cfn-guard and
 * CloudFormation validation, each a few seconds) are started as soon as the templates are written
 * and collected when their plugin's turn comes: they overlap with each other and with the cdk-nag
 * packs instead of running in sequence. The child writes its report to a file; the parent waits
 * for that file without needing its event loop (validation is synchronous).
 */
export class BackgroundCheck {
  /**
   * Start `program`, a CommonJS module body that reads `input` (the parsed JSON given here) and
   * returns a report, in a child Node.js process.
   */
  public static start(name: string, program: string, input: unknown): BackgroundCheck {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-'));
    const inputFile = path.join(dir, 'input.json');
    const outputFile = path.join(dir, 'output.json');
    fs.writeFileSync(inputFile, JSON.stringify(input));
    const script = [
      "const fs = require('fs');",
      'const [inputFile, outputFile] = process.argv.slice(-2);',
      'const input = JSON.parse(fs.readFileSync(inputFile, "utf8"));',
      'let result;',
      `try { result = { report: (function (input) { ${program} })(input) }; }`,
      'catch (e) { result = { error: String((e && e.stack) || e) }; }',
      "fs.writeFileSync(outputFile + '.tmp', JSON.stringify(result));",
      "fs.renameSync(outputFile + '.tmp', outputFile);",
    ].join('\n');
    const err = fs.openSync(path.join(dir, 'stderr.txt'), 'w');
    const child = spawn(process.execPath, ['-e', script, inputFile, outputFile], {
      stdio: ['ignore', 'ignore', err],
      env: process.env,
    });
    fs.closeSync(err);
    const check = new BackgroundCheck(name, dir, outputFile, child.pid);
    child.on('error', (e) => (check.spawnError = e.message));
    child.on('exit', (code) => (check.exitCode = code));
    child.unref();
    return check;
  }

  private spawnError?: string;
  private exitCode?: number | null;

  private constructor(
    public readonly name: string,
    private readonly dir: string,
    private readonly outputFile: string,
    private readonly pid: number | undefined,
  ) {}

  /** Wait for the child's report (blocking). Throws with the child's error when it failed. */
  public wait(): PolicyValidationPluginReport {
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + TIMEOUT_MS;
    try {
      while (!fs.existsSync(this.outputFile)) {
        if (this.spawnError) throw new Error(`${this.name}: could not start: ${this.spawnError}`);
        if (Date.now() > deadline)
          throw new Error(`${this.name}: no result after ${TIMEOUT_MS / 60000} minutes`);
        if (!this.processAlive()) break;
        Atomics.wait(sleeper, 0, 0, 10);
      }
      if (!fs.existsSync(this.outputFile)) {
        const stderr = fs.readFileSync(path.join(this.dir, 'stderr.txt'), 'utf8').slice(-2000);
        throw new Error(
          `${this.name}: the check process ended without a result (exit ${this.exitCode}): ${stderr}`,
        );
      }
      const result = JSON.parse(fs.readFileSync(this.outputFile, 'utf8')) as {
        report?: PolicyValidationPluginReport;
        error?: string;
      };
      if (result.error !== undefined || !result.report) throw new Error(`${this.name}: ${result.error}`);
      return result.report;
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /**
   * Whether the child still runs. Its exit event needs the event loop, which a synchronous wait does
   * not run, so on Linux the process table is read: an exited child stays a zombie ('Z') until then.
   * Elsewhere the child is taken to run until its output appears or the timeout ends the wait.
   */
  private processAlive(): boolean {
    if (this.exitCode !== undefined || this.pid === undefined) return this.exitCode === undefined;
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      return !/^\S+ \(.*\) [ZX]/s.test(stat);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self');
    }
  }
}
