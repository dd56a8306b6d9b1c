import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A team that imports the constructs writes its own app, outside this repository, and turns the
// gate on with one line. This test writes such an app into a temporary directory and runs the real
// CDK CLI on it, as that team would.
const ROOT = path.join(__dirname, '..', '..');
const CDK = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function consumerApp(rotationDays: number): string {
  return `
import { App, Duration, Stack } from 'aws-cdk-lib';
import { BaselineCompliance, BaselineKey, SecureBucket } from ${JSON.stringify(path.join(ROOT, 'lib'))};

const app = new App();
const stack = new Stack(app, 'TeamStack');
// The team raised the construct's own limit (a visible ENC-02 warning); the gate still holds the
// written policy's 90 days.
const key = new BaselineKey(stack, 'TeamKey', {
  alias: 'team/uploads',
  rotationPeriod: Duration.days(${rotationDays}),
  maxRotationPeriod: Duration.days(365),
});
new SecureBucket(stack, 'Uploads', { encryptionKey: key });
BaselineCompliance.enable(app);
app.synth();
`;
}

function synth(dir: string, rotationDays: number) {
  fs.writeFileSync(path.join(dir, 'app.ts'), consumerApp(rotationDays));
  return spawnSync(
    process.execPath,
    [CDK, 'synth', '-q', '--app', `${JSON.stringify(process.execPath)} ${JSON.stringify(TSX)} app.ts`],
    {
      cwd: dir,
      encoding: 'utf8',
      // The consumer's own node_modules would provide aws-cdk-lib; here it is the repository's.
      env: {
        ...process.env,
        NODE_PATH: path.join(ROOT, 'node_modules'),
        CDK_VALIDATION: 'false',
      },
    },
  );
}

describe('a consumer app with the one-line gate', () => {
  // No cdk.json and no feature flags: a consumer's app does not have this repository's flags.
  // (test/package.test.ts covers the packed tarball with and without `cdk init`'s flags.)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('fails synth on a key rotating every 365 days, naming the rule and the construct path', () => {
    const result = synth(dir, 365);
    expect(result.status).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain('SecurityPolicy-KMSKeyRotationPeriod');
    expect(output).toContain('TeamStack/TeamKey/Resource');
    // Every public pack accepts a 365-day rotation: this finding is ours alone.
    expect(output).not.toMatch(/AwsSolutions-KMS5|KMSBackingKeyRotationEnabled/);
    expect(output).toMatch(/SecurityPolicy +\d+ rules +\d+ pass +1 fail/);
  }, 60_000);

  test('passes once the key rotates every 90 days, and writes the controls report', () => {
    const result = synth(dir, 90);
    expect(result.stderr).not.toContain('ERROR');
    expect(result.stderr).toMatch(/SecurityPolicy +\d+ rules +\d+ pass +0 fail/);
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'TeamStack.template.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'compliance-report.json'))).toBe(true);
  }, 60_000);
});
