import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import * as path from 'node:path';
import { EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_NOT_CHECKED, EXIT_OK, runCli } from '../../lib/audit/cli';
import { auditJsonSchema } from '../../lib/audit/result';
import { auditOutputSchema } from '../../lib/audit/schema';
import * as fs from 'node:fs';
import { memoryIo } from './helpers';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
afterAll(() => kms.restore());

function serveKeys(periods: Record<string, number | undefined>) {
  kms.on(ListKeysCommand).resolves({
    Keys: Object.keys(periods).map((id) => ({
      KeyId: id,
      KeyArn: `arn:aws:kms:eu-west-1:111122223333:key/${id}`,
    })),
    Truncated: false,
  });
  kms.on(DescribeKeyCommand).callsFake((i: { KeyId: string }) => ({
    KeyMetadata: { KeyId: i.KeyId, Arn: i.KeyId, KeyManager: 'CUSTOMER', KeyState: 'Enabled' },
  }));
  kms.on(GetKeyPolicyCommand).resolves({
    Policy: JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*' }],
    }),
  });
  kms.on(GetKeyRotationStatusCommand).callsFake((i: { KeyId: string }) => {
    const days = periods[i.KeyId.split('/').pop()!];
    return days === undefined
      ? { KeyRotationEnabled: false }
      : { KeyRotationEnabled: true, RotationPeriodInDays: days };
  });
}

describe('baseline-audit (in process)', () => {
  test('--json prints output in the documented schema; exit 1 when a key is non-compliant', async () => {
    serveKeys({ good: 90, yearly: 365 });
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms', '--json'], io)).toBe(EXIT_FINDINGS);
    const parsed = auditOutputSchema.safeParse(JSON.parse(out()));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const output = parsed.data!;
    expect(output).toMatchObject({
      schemaVersion: '2.0',
      regions: ['eu-west-1'],
      checks: ['kms'],
      summary: { COMPLIANT: 3, NON_COMPLIANT: 1, NOT_CHECKED: 0, NOT_APPLICABLE: 0 },
      controls: [
        { control: 'ENC-02', status: 'NON_COMPLIANT', counts: { COMPLIANT: 1, NON_COMPLIANT: 1 } },
        { control: 'ENC-03', status: 'COMPLIANT', counts: { COMPLIANT: 2, NON_COMPLIANT: 0 } },
      ],
    });
  });

  test('the published JSON Schema is current (regenerate with `npm run report-schema`)', () => {
    const published = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'audit-output.schema.json'), 'utf8'),
    );
    expect(published).toEqual(auditJsonSchema());
  });

  test('exit 0 when every key is compliant; the table lists problems first and a summary', async () => {
    serveKeys({ a: 90, b: 90 });
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_OK);
    expect(out()).toMatch(
      /^STATUS +CONTROL +CHECK +REGION +RESOURCE +REASON\nCOMPLIANT +ENC-02 +kms +eu-west-1 +arn:aws:kms:eu-west-1:111122223333:key\/a +enabled; rotates every 90 days/,
    );
    // The per-control summary, then the totals.
    expect(out()).toMatch(
      /\nCONTROL +STATUS +COMPLIANT +NON_COMPLIANT +NOT_CHECKED +NOT_APPLICABLE\nENC-02 +COMPLIANT +2 +0 +0 +0\nENC-03 +COMPLIANT +2 +0 +0 +0\n/,
    );
    expect(out()).toContain(
      '4 results for 2 controls in eu-west-1: 4 compliant, 0 non-compliant, 0 not checked, 0 not applicable',
    );
  });

  test('an unverifiable key (access denied) makes the exit code 2, not 0; a finding makes it 1', async () => {
    serveKeys({ a: 90 });
    kms.on(DescribeKeyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_NOT_CHECKED);
    expect(out()).toMatch(/NOT_CHECKED +ENC-02 +kms +eu-west-1 +\S+key\/a +AccessDeniedException: denied/);
    serveKeys({ a: 90, b: 365 });
    kms
      .on(DescribeKeyCommand, { KeyId: 'arn:aws:kms:eu-west-1:111122223333:key/a' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await runCli(['--checks', 'kms'], memoryIo().io)).toBe(EXIT_FINDINGS);
  });

  test('--format ocsf prints OCSF 1.1 Compliance Findings, one per result', async () => {
    serveKeys({ good: 90, yearly: 365 });
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms', '--format', 'ocsf'], io)).toBe(EXIT_FINDINGS);
    const findings = JSON.parse(out());
    expect(findings).toHaveLength(4);
    const yearly = findings.find(
      (f: { compliance: { control: string }; resources: { uid: string }[] }) =>
        f.compliance.control === 'ENC-02' && f.resources[0].uid.endsWith('/yearly'),
    );
    expect(yearly).toMatchObject({
      metadata: { version: '1.1.0', product: { name: 'baseline-audit' } },
      class_uid: 2003,
      class_name: 'Compliance Finding',
      category_uid: 2,
      type_uid: 200301,
      status_code: 'FAIL',
      severity_id: 3,
      compliance: { control: 'ENC-02', status_id: 3, status: 'Fail' },
      resources: [{ type: 'AWS::KMS::Key', region: 'eu-west-1' }],
      cloud: { provider: 'AWS', region: 'eu-west-1' },
    });
    expect(typeof yearly.time).toBe('number');
    expect(yearly.finding_info.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(findings.map((f: { finding_info: { uid: string } }) => f.finding_info.uid)).size).toBe(4);
  });

  test('--regions scans each region and --max-rotation-days changes the policy', async () => {
    serveKeys({ a: 180 });
    const { io, out } = memoryIo({});
    expect(
      await runCli(
        ['--checks', 'kms', '--regions', 'eu-west-1,us-east-1', '--max-rotation-days', '180', '--json'],
        io,
      ),
    ).toBe(EXIT_OK);
    expect(
      JSON.parse(out())
        .results.filter((r: { control: string }) => r.control === 'ENC-02')
        .map((r: { region: string }) => r.region),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  test.each([
    [['--checks', 'kms,ec2'], /--checks: unknown "ec2"; known: kms, cloudtrail, /],
    [['--format', 'xml'], /argument 'xml' is invalid. Allowed choices are table, json, ocsf/],
    [
      ['--request-timeout', '0'],
      /option '--request-timeout <seconds>' argument '0' is invalid. expected seconds 0.1..300 \(fractions allowed\), got "0"/,
    ],
    [
      ['--call-timeout', '0.05'],
      /'--call-timeout <seconds>' argument '0.05' .*expected seconds 0.1..900 .*got "0.05"/,
    ],
    [['--call-timeout', 'soon'], /'--call-timeout <seconds>' argument 'soon' .*got "soon"/],
    [
      ['--check-timeout', ''],
      /'--check-timeout <seconds>' argument '' .*expected seconds 0.1..3600 .*got ""/,
    ],
    [['--env', 'prod'], /--env needs --config/],
    [['--regions', 'Europe'], /--regions: not a region name: "Europe"/],
    [['--max-rotation-days', '30'], /expected a whole number 90..2560, got "30"/],
    [['--concurrency', '0'], /expected a whole number 1..64, got "0"/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('bad arguments %j exit 2 with a clear message', async (argv, message) => {
    const { io, err } = memoryIo();
    expect(await runCli(argv, io)).toBe(EXIT_CANNOT_RUN);
    expect(err()).toMatch(message);
  });

  test('timeouts take fractions of a second: --call-timeout 0.2 cuts a call that never answers', async () => {
    kms.on(ListKeysCommand).callsFake(() => new Promise(() => {}));
    const { io, out } = memoryIo();
    const started = Date.now();
    expect(
      await runCli(['--checks', 'kms', '--json', '--call-timeout', '0.2', '--request-timeout', '0.5'], io),
    ).toBe(EXIT_NOT_CHECKED);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(JSON.parse(out()).results.map((r: { reason: string }) => r.reason)).toEqual([
      'CallTimeout: ListKeys got no answer within 0.2 s (retries included)',
    ]);
  });

  test('no region anywhere exits 2', async () => {
    const { io, err } = memoryIo({});
    expect(await runCli(['--checks', 'kms'], io)).toBe(EXIT_CANNOT_RUN);
    expect(err()).toContain(
      'no region: pass --regions, set AWS_REGION, or give --config with environment regions',
    );
  });

  test('regions can come from the baseline config', async () => {
    serveKeys({ a: 90 });
    const { io, out } = memoryIo({});
    const config = path.join(__dirname, '..', '..', 'config', 'example.json');
    expect(await runCli(['--checks', 'kms', '--config', config, '--json'], io)).toBe(EXIT_OK);
    expect(JSON.parse(out()).regions).toEqual(['eu-west-1', 'us-east-1']); // its audit.regions
  });

  test('--help exits 0 and lists the permissions it needs', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['--help'], io)).toBe(EXIT_OK);
    expect(out()).toContain('kms:GetKeyRotationStatus');
    expect(out()).toContain('  2  nothing non-compliant, but at least one NOT_CHECKED result');
  });
});
