import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** How long a background check may take before the gate gives up on it (it then fails synth). */
const TIMEOUT_MS = 15 * 60 * 1000;

/** Checks not yet collected or cancelled, and other folders of ours: ended and removed with this process. */
const open = new Set<BackgroundCheck>();
const folders = new Set<string>();
let exitHooked = false;
function cleanUpAtExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    [...open].forEach((c) => c.cancel());
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/**
 * How the template checks use child processes, from `CDK_SECURITY_BASELINE_BACKGROUND`: `off`, every
 * check in this process, one after the other; `always`, cfn-guard in a child however little it has to
 * check (for tests that compare the two); anything else (the default, `on`), in children where that
 * pays.
 */
export function backgroundMode(): 'off' | 'on' | 'always' {
  const mode = process.env.CDK_SECURITY_BASELINE_BACKGROUND;
  return mode === 'off' || mode === 'always' ? mode : 'on';
}

/**
 * Remove `dir` when this process ends, if it still exists then (for files a check's children read:
 * a synth that fails before the check collects its result would leave them behind).
 */
export function removeAtExit(dir: string): void {
  folders.add(dir);
  cleanUpAtExit();
}

/** What a child process runs: a CommonJS function body of `input` (and `require`) returning a report. */
export type CheckProgram = string;

/** Run `program` in this process: the fallback when a child could not. */
export function runProgram(program: CheckProgram, input: unknown): unknown {
  return new Function('require', 'input', program)(require, input);
}

/** Options for a check started in a child process. */
export interface BackgroundCheckOptions {
  /**
   * V8 flags for the child, on its command line (e.g. `--liftoff-only`: compile WebAssembly once
   * with the baseline compiler instead of twice, which halves CloudFormation validation's CPU).
   * Garbage-collector flags such as `--single-threaded-gc` only take effect there: V8 cannot change
   * them in a running process. A flag this Node rejects stops the child before it starts (`wait`
   * then throws, and the gate runs the check in its own process).
   */
  readonly v8Flags?: string[];
  /**
   * Code run as soon as the child starts, before the input is given (it gets no input). Files it
   * needs go in `dir`, the check's folder, which is removed whatever becomes of the child.
   */
  readonly warmUp?: CheckProgram;
}

/**
 * A template check running in a child process while synth goes on. aws-cdk-lib runs validation
 * plugins one after the other inside a synchronous call, so the slow template checks (cfn-guard and
 * CloudFormation validation, each a few seconds) run in children: started as soon as the templates
 * are written (`start`), or even earlier, before the app builds its constructs, to get their own
 * start-up out of the way (`prepare`, then `send` the input once templates exist). Their plugins
 * collect the results when their turn comes. The child writes its report to a file; the parent waits
 * for that file without needing its event loop (validation is synchronous).
 */
export class BackgroundCheck {
  /**
   * Start `program` on `input` in a child process. `input` may be a function of a folder that lives
   * as long as the check (for files the child reads, such as template slices).
   */
  public static start(
    name: string,
    program: CheckProgram,
    input: unknown | ((dir: string) => unknown),
    options: BackgroundCheckOptions = {},
  ): BackgroundCheck {
    const check = BackgroundCheck.prepare(name, program, options);
    check.send(typeof input === 'function' ? (input as (dir: string) => unknown)(check.dir) : input);
    return check;
  }

  /**
   * Start a child that runs `options.warmUp`, then waits for its input (`send`). A child that gets
   * none ends when this process does.
   */
  public static prepare(
    name: string,
    program: CheckProgram,
    options: BackgroundCheckOptions = {},
  ): BackgroundCheck {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-'));
    const inputFile = path.join(dir, 'input.json');
    const outputFile = path.join(dir, 'output.json');
    const script = [
      "const fs = require('fs');",
      'const [inputFile, outputFile] = process.argv.slice(-2);',
      // The spawning process, by its PID (process.ppid is read at start-up, when the child may already
      // have been orphaned and adopted).
      `const parent = ${process.pid};`,
      'const started = Date.now();',
      'function finish(result) {',
      "  fs.writeFileSync(outputFile + '.tmp', JSON.stringify(result));",
      "  fs.renameSync(outputFile + '.tmp', outputFile);",
      '}',
      // A failed warm-up is not the check's failure: the check runs and reports for itself.
      `try { (function (dir) { ${options.warmUp ?? ''} })(require('path').dirname(inputFile)); } catch (e) {}`,
      'function run() {',
      '  const input = JSON.parse(fs.readFileSync(inputFile, "utf8"));',
      `  try { finish({ report: (function (input) { ${program} })(input) }); }`,
      '  catch (e) { finish({ error: String((e && e.stack) || e) }); }',
      '}',
      '(function poll() {',
      '  if (fs.existsSync(inputFile)) return run();',
      // Orphaned (the parent ended without giving input), or waited too long: nothing to do.
      // The folder goes too: a parent that was killed could not remove it.
      "  const quit = () => fs.rmSync(require('path').dirname(inputFile), { recursive: true, force: true });",
      '  try { process.kill(parent, 0); } catch (e) { return quit(); }',
      `  if (Date.now() - started > ${TIMEOUT_MS}) return quit();`,
      '  setTimeout(poll, 5);',
      '})();',
    ].join('\n');
    const err = fs.openSync(path.join(dir, 'stderr.txt'), 'w');
    const child = spawn(process.execPath, [...(options.v8Flags ?? []), '-e', script, inputFile, outputFile], {
      stdio: ['ignore', 'ignore', err],
      env: process.env,
    });
    fs.closeSync(err);
    const check = new BackgroundCheck(name, dir, inputFile, outputFile, child.pid);
    child.on('error', (e) => (check.spawnError = e.message));
    child.on('exit', (code) => (check.exitCode = code));
    child.unref();
    // A child never given input would poll until this process ends: end it with this one; and a
    // check never collected leaves no folder behind.
    open.add(check);
    cleanUpAtExit();
    return check;
  }

  private spawnError?: string;
  private exitCode?: number | null;
  private sent = false;

  private constructor(
    public readonly name: string,
    /** A folder that lives as long as the check. */
    public readonly dir: string,
    private readonly inputFile: string,
    private readonly outputFile: string,
    private readonly pid: number | undefined,
  ) {}

  /** Give the child its input (once). */
  public send(input: unknown): void {
    if (this.sent) throw new Error(`${this.name}: input already given`);
    this.sent = true;
    fs.writeFileSync(this.inputFile + '.tmp', JSON.stringify(input));
    fs.renameSync(this.inputFile + '.tmp', this.inputFile);
  }

  /** Stop the child if it was not given input, and remove the check's folder. */
  public cancel(): void {
    open.delete(this);
    if (!this.sent && this.pid !== undefined) {
      try {
        process.kill(this.pid);
      } catch {
        // already ended
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Wait for the child's report (blocking). Throws with the child's error when it failed. */
  public wait(): PolicyValidationPluginReport {
    if (!this.sent) throw new Error(`${this.name}: no input was given`);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + TIMEOUT_MS;
    try {
      while (!fs.existsSync(this.outputFile)) {
        if (this.spawnError) throw new Error(`${this.name}: could not start: ${this.spawnError}`);
        if (Date.now() > deadline)
          throw new Error(`${this.name}: no result after ${TIMEOUT_MS / 60000} minutes`);
        if (!this.processAlive()) break;
        Atomics.wait(sleeper, 0, 0, 5);
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
      open.delete(this);
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
