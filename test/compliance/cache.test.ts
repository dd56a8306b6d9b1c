// The findings cache (issue 18): an unchanged template is never checked twice, a changed template or
// acknowledgement always is, and a cached run finds exactly what an uncached one finds.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { CACHE_ENV } from '../../lib/compliance/cache';
import { ControlsReport, REPORT_JSON } from '../../lib/compliance/report';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { testApp } from '../helpers';
import { synthGate } from './gate-helpers';

const previous = process.env[CACHE_ENV];
// Suites build their apps while Jest collects them, before any hook: the folder exists from the start.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-cache-'));
afterAll(() => {
  process.env[CACHE_ENV] = previous;
  fs.rmSync(dir, { recursive: true, force: true });
});
const withCache = <T>(cacheDir: string | undefined, f: () => T): T => {
  process.env[CACHE_ENV] = cacheDir ?? 'off';
  try {
    return f();
  } finally {
    process.env[CACHE_ENV] = 'off';
  }
};

/** A key with rotation off and a bucket, as a consumer might write them; `variant` changes them. */
const consumer =
  (variant: { fixKey?: boolean; ackKey?: boolean } = {}) =>
  (app: App) => {
    const s = new Stack(app, 'Consumer');
    const key = variant.fixKey
      ? new BaselineKey(s, 'Key', { alias: 'k' })
      : new kms.Key(s, 'Key', { enableKeyRotation: false });
    if (variant.ackKey) {
      for (const id of [
        'AwsSolutions-KMS5',
        'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
        'PCI.DSS.321-KMSBackingKeyRotationEnabled',
        'SecurityPolicy-KMSKeyRotationPeriod',
        'cdk-validator-cfnguard::kms_create_grant_aws_service_check',
        'cdk-validator-cfnguard::kms_key_rotation_enabled_check',
      ])
        Validations.of(key).acknowledge({ id, reason: 'test' });
    }
    new s3.CfnBucket(s, 'Plain', {});
  };
/** What validation-report.json says each plugin found (without the traces, which name call sites). */
const violations = (r: ReturnType<typeof synthGate>) =>
  r.pluginReports.map((p) => ({
    plugin: p.pluginName,
    violations: p.violations
      .map(
        (v) =>
          `${v.ruleName}: ${(
            v as unknown as { violatingConstructs: { constructPath: string }[] }
          ).violatingConstructs
            .map((c) => c.constructPath)
            .sort()
            .join(', ')}`,
      )
      .sort(),
  }));
const rules = (r: ReturnType<typeof synthGate>) => r.problems.map((p) => `${p.ruleId} ${p.path}`).sort();

describe('a small consumer app', () => {
  const cacheDir = () => path.join(dir, 'consumer');
  const uncached = withCache(undefined, () => synthGate(consumer()));
  const cold = withCache(cacheDir(), () => synthGate(consumer()));
  const warm = withCache(cacheDir(), () => synthGate(consumer()));

  test('a warm run finds exactly what an uncached run finds', () => {
    expect(rules(cold)).toEqual(rules(uncached));
    expect(rules(warm)).toEqual(rules(uncached));
    expect(warm.report!.packs).toEqual(uncached.report!.packs);
    expect(violations(warm)).toEqual(violations(uncached));
  });

  test('the cache was filled and then used', () => {
    const entries = fs.readdirSync(cacheDir()).flatMap((d) => fs.readdirSync(path.join(cacheDir(), d)));
    expect(entries.length).toBeGreaterThanOrEqual(6); // 5 packs + the guard, one stack
  });

  test('a changed template is checked again', () => {
    const fixed = withCache(cacheDir(), () => synthGate(consumer({ fixKey: true })));
    const fixedUncached = withCache(undefined, () => synthGate(consumer({ fixKey: true })));
    expect(rules(fixed)).toEqual(rules(fixedUncached));
    expect(rules(fixed).filter((r) => r.includes('Consumer/Key/'))).toEqual([]);
  });

  test('a changed acknowledgement takes effect although the template is the same', () => {
    const entries = () => fs.readdirSync(cacheDir()).flatMap((d) => fs.readdirSync(path.join(cacheDir(), d)));
    const before = entries().length;
    const acked = withCache(cacheDir(), () => synthGate(consumer({ ackKey: true })));
    // Answered from the cache (the same templates: no new entry), with the new acknowledgements applied.
    expect(entries().length).toBe(before);
    expect(rules(acked).filter((r) => r.includes('Consumer/Key/'))).toEqual([]);
    expect(rules(acked).length).toBeGreaterThan(0); // the bucket's findings remain
  });
});

describe('the default app (prod environment)', () => {
  const synthProd = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-prod-'));
    const app = testApp({ outdir, context: { env: 'prod' } });
    buildBaselineApp(app);
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
    } finally {
      spy.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_JSON), 'utf8')) as ControlsReport;
    fs.rmSync(outdir, { recursive: true, force: true });
    return { ...report, generatedAt: '' };
  };
  const cacheDir = path.join(dir, 'prod');

  test('a cached run gives the same controls report, check by check, as an uncached one', () => {
    const uncached = withCache(undefined, synthProd);
    withCache(cacheDir, synthProd); // fills the cache
    const cached = withCache(cacheDir, synthProd);
    expect(cached).toEqual(uncached);
  });
});

test('the gate option turns the cache off whatever the environment says', () => {
  const cacheDir = path.join(dir, 'option');
  withCache(cacheDir, () => synthGate(consumer(), { cache: false }));
  expect(fs.existsSync(cacheDir)).toBe(false);
  withCache(cacheDir, () => synthGate(consumer()));
  expect(fs.existsSync(cacheDir)).toBe(true);
});
