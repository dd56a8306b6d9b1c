import { App, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineCompliance } from '../../lib/compliance/baseline-compliance';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { testApp } from '../helpers';

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}

/** Synthesize `app` with the gate on; returns whether synth threw and the violations it reported. */
function synthWithGate(build: (app: App) => void): { threw: boolean; violations: Violation[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-'));
  const app = testApp({ outdir });
  build(app);
  BaselineCompliance.enable(app);
  let threw = false;
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    threw = true;
  } finally {
    spy.mockRestore();
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile)
    ? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
    : { pluginReports: [] };
  fs.rmSync(outdir, { recursive: true, force: true });
  const violations: Violation[] = report.pluginReports
    .filter((r: { pluginName: string }) => r.pluginName !== 'Construct Annotations')
    .flatMap((r: { violations: Violation[] }) => r.violations);
  return { threw, violations };
}

describe('the compliance gate (CMP-01)', () => {
  test('registers the four cdk-nag packs, our SecurityPolicy pack, the Control Tower guard rules and the report', () => {
    const app = testApp();
    BaselineCompliance.enable(app);
    const names = ((app as any)._validationPlugins as { name: string }[]).map((p) => p.name).sort();
    expect(names).toEqual([
      'AwsSolutions',
      'HIPAA.Security',
      'NIST.800.53.R5',
      'PCI.DSS.321',
      'SecurityPolicy',
      'cdk-security-baseline-gate',
      'cdk-security-baseline-prefetch',
      'cdk-validator-cfnguard',
    ]);
  });

  describe('fails synth on a deliberately non-compliant stack', () => {
    const result = synthWithGate((app) => {
      const stack = new Stack(app, 'Careless');
      new kms.Key(stack, 'NoRotation', { enableKeyRotation: false });
      new s3.Bucket(stack, 'Plain'); // S3-managed encryption only, no access logs, TLS not enforced
    });
    const rules = (constructPath: string) =>
      result.violations
        .filter((v) => v.violatingConstructs.some((c) => c.constructPath === constructPath))
        .map((v) => v.ruleName);

    test('synth throws', () => {
      expect(result.threw).toBe(true);
    });

    test('a key with rotation off is caught by every pack that checks rotation', () => {
      expect(rules('Careless/NoRotation/Resource')).toEqual(
        // HIPAA Security has no rotation rule.
        expect.arrayContaining([
          'AwsSolutions-KMS5',
          'NIST.800.53.R5-KMSBackingKeyRotationEnabled',
          'PCI.DSS.321-KMSBackingKeyRotationEnabled',
        ]),
      );
    });

    test('a bucket without a customer-managed key, access logs or TLS enforcement is caught', () => {
      expect(rules('Careless/Plain/Resource')).toEqual(
        expect.arrayContaining([
          'AwsSolutions-S1',
          'AwsSolutions-S10',
          'NIST.800.53.R5-S3DefaultEncryptionKMS',
          'NIST.800.53.R5-S3BucketSSLRequestsOnly',
        ]),
      );
    });
  });

  test('passes a stack built from the baseline constructs', () => {
    const result = synthWithGate((app) => new SecureBucket(new Stack(app, 'Careful'), 'Data'));
    expect(result).toEqual({ threw: false, violations: [] });
  });

  test('an acknowledgement covers exactly the finding it names', () => {
    const result = synthWithGate((app) => {
      const stack = new Stack(app, 'Acked');
      const key = new kms.Key(stack, 'NoRotation', { enableKeyRotation: false });
      // Only AwsSolutions-KMS5 is acknowledged: the other packs' rotation findings remain.
      Validations.of(key).acknowledge({ id: 'AwsSolutions-KMS5', reason: 'test' });
    });
    const ruleNames = result.violations.map((v) => v.ruleName);
    expect(result.threw).toBe(true);
    expect(ruleNames).not.toContain('AwsSolutions-KMS5');
    expect(ruleNames).toContain('NIST.800.53.R5-KMSBackingKeyRotationEnabled');
  });
});
