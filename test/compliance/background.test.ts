// Template checks in child processes (issue 18): the same findings as in process, and a child that
// fails is never a silent pass.
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BackgroundCheck } from '../../lib/compliance/background';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { synthGate } from './gate-helpers';

describe('BackgroundCheck', () => {
  test('returns the report the child computed', () => {
    const check = BackgroundCheck.start('t', 'return { success: input.n > 1, violations: [] };', { n: 2 });
    expect(check.wait()).toEqual({ success: true, violations: [] });
  });

  test("throws with the child's error", () => {
    const check = BackgroundCheck.start('t', "throw new Error('no rules');", {});
    expect(() => check.wait()).toThrow(/t: Error: no rules/);
  });

  test('a prepared child starts with its V8 flags, warms up first, then checks the input it is given later', () => {
    const check = BackgroundCheck.prepare(
      't',
      "return { success: globalThis.warm === 1 && input.n === 2 && process.execArgv.slice(0, 2).join(' ') === '--liftoff-only --single-threaded-gc', violations: [] };",
      {
        warmUp: 'globalThis.warm = 1;',
        v8Flags: ['--liftoff-only', '--single-threaded-gc'],
      },
    );
    expect(() => check.wait()).toThrow(/no input was given/);
    check.send({ n: 2 });
    expect(() => check.send({ n: 3 })).toThrow(/already given/);
    expect(check.wait()).toEqual({ success: true, violations: [] });
  });

  test("a warm-up writes into the check's folder, removed even when the child is stopped mid-way", () => {
    const check = BackgroundCheck.prepare('t', 'return { success: true, violations: [] };', {
      warmUp: "require('fs').writeFileSync(require('path').join(dir, 'warm.txt'), 'x'); for (;;);",
    });
    const deadline = Date.now() + 5000;
    while (!fs.existsSync(`${check.dir}/warm.txt`) && Date.now() < deadline)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(fs.existsSync(`${check.dir}/warm.txt`)).toBe(true);
    check.cancel();
    expect(fs.existsSync(check.dir)).toBe(false);
  });

  test('checks never collected, and folders handed to removeAtExit, are gone when the process ends', () => {
    const script = [
      "const fs = require('fs'), os = require('os'), path = require('path');",
      `const { BackgroundCheck, removeAtExit } = require(${JSON.stringify(require.resolve('../../lib/compliance/background'))});`,
      "const started = BackgroundCheck.start('t', 'return { success: true, violations: [] };', {});",
      "const prepared = BackgroundCheck.prepare('t', 'return { success: true, violations: [] };');",
      "const slices = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-security-baseline-guard-'));",
      'removeAtExit(slices);',
      'console.log(JSON.stringify({ dirs: [started.dir, prepared.dir, slices], pids: [started.pid, prepared.pid] }));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { dirs, pids } = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      dirs: string[];
      pids: number[];
    };
    expect(dirs).toHaveLength(3);
    for (const dir of dirs) expect(fs.existsSync(dir)).toBe(false);
    // Neither child outlives the process: not the one stopped, not the one whose input folder went.
    const alive = (pid: number) => {
      try {
        return !/^\S+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5000;
    while (pids.some(alive) && Date.now() < deadline)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(pids.filter(alive)).toEqual([]);
  });

  test('a prepared child whose parent is killed (no exit hooks) ends by itself', () => {
    const script = [
      `const { BackgroundCheck } = require(${JSON.stringify(require.resolve('../../lib/compliance/background'))});`,
      "const prepared = BackgroundCheck.prepare('t', 'return { success: true, violations: [] };');",
      'console.log(prepared.pid, prepared.dir);',
      "setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const [pid, dir] = r.stdout.trim().split('\n').pop()!.split(' ');
    const alive = () => {
      try {
        return !/^\S+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5000;
    while ((alive() || fs.existsSync(dir)) && Date.now() < deadline)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(alive()).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('a warm-up that fails does not fail the check', () => {
    const check = BackgroundCheck.prepare('t', 'return { success: true, violations: [] };', {
      warmUp: "throw new Error('no engine');",
    });
    check.send({});
    expect(check.wait()).toEqual({ success: true, violations: [] });
  });

  test('a prepared child that is cancelled ends, and leaves no folder behind', () => {
    const check = BackgroundCheck.prepare('t', 'return { success: true, violations: [] };');
    const pid = (check as unknown as { pid: number }).pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    check.cancel();
    const deadline = Date.now() + 5000;
    const alive = () => {
      try {
        // A killed child stays a zombie until reaped: read its state.
        return !/^\S+ \(.*\) [ZX]/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(alive()).toBe(false);
    expect(fs.existsSync(check.dir)).toBe(false);
  });

  test('a V8 flag this Node rejects stops the child before it starts: wait says so', () => {
    const check = BackgroundCheck.start(
      't',
      'return { success: true, violations: [] };',
      {},
      { v8Flags: ['--no-such-v8-flag'] },
    );
    expect(() => check.wait()).toThrow(/ended without a result.*bad option: --no-such-v8-flag/s);
  });

  test('notices promptly when the child dies without a result', () => {
    const start = Date.now();
    const check = BackgroundCheck.start('t', 'process.exit(3);', {});
    expect(() => check.wait()).toThrow(/ended without a result/);
    expect(Date.now() - start).toBeLessThan(10_000);
  });
});

test('the gate finds the same in child processes as in process', () => {
  const build = () =>
    synthGate((app) => {
      const s = new Stack(app, 'S');
      const b = new s3.CfnBucket(s, 'Plain', {});
      Validations.of(b).acknowledge({
        id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
        reason: 'test',
      });
      new kms.Key(s, 'K', { enableKeyRotation: false });
      // A schema error: CloudFormation validation (in the child started when the gate is enabled).
      new CfnResource(s, 'P', {
        type: 'AWS::SSM::Parameter',
        properties: { Type: 'String', Value: 'x', Bogus: 1 },
      });
    });
  const previous = process.env.CDK_SECURITY_BASELINE_BACKGROUND;
  const validation = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'true';
  try {
    process.env.CDK_SECURITY_BASELINE_BACKGROUND = 'off';
    const inProcess = build();
    // 'always': cfn-guard in a child even for this small app (by default it is checked in process).
    process.env.CDK_SECURITY_BASELINE_BACKGROUND = 'always';
    const background = build();
    const rules = (r: typeof inProcess) => r.problems.map((p) => `${p.pack} ${p.ruleId} ${p.path}`).sort();
    expect(rules(background)).toEqual(rules(inProcess));
    expect(rules(background).some((r) => r.startsWith('cdk-validator-cfnguard '))).toBe(true);
    expect(rules(background).some((r) => r.startsWith('CloudFormation Validate '))).toBe(true);
    // Children that fail (a V8 flag this Node rejects, say): every check runs again in process.
    const realWait = BackgroundCheck.prototype.wait;
    const wait = jest.spyOn(BackgroundCheck.prototype, 'wait').mockImplementation(function (
      this: BackgroundCheck,
    ) {
      realWait.call(this); // collects the child and removes its folder
      throw new Error('injected: the child failed');
    });
    try {
      const failed = build();
      expect(wait).toHaveBeenCalledTimes(2); // cfn-guard's one lane and CloudFormation validation
      expect(rules(failed)).toEqual(rules(inProcess));
    } finally {
      wait.mockRestore();
    }
  } finally {
    process.env.CDK_SECURITY_BASELINE_BACKGROUND = previous;
    process.env.CDK_VALIDATION = validation;
  }
});
