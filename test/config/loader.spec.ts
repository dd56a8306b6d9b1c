import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { ConfigError, loadConfig, resolveConfig } from '../../lib/config/loader';

/** The ConfigError thrown by `fn`, or a failure if it does not throw one. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const env = (settings: Record<string, unknown>, name = 'prod') => ({ environments: { [name]: settings } });

describe('profiles', () => {
  const [dev, tst, prod] = resolveConfig(DEFAULT_CONFIG, 'default');

  test('the embedded default configures dev, test and prod, environment-agnostic', () => {
    expect([dev.name, tst.name, prod.name]).toEqual(['dev', 'test', 'prod']);
    expect([dev.account, dev.region, prod.account, prod.region]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([dev.stackName, prod.stackName]).toEqual(['SecurityBaseline-dev', 'SecurityBaseline-prod']);
  });

  test('every profile rotates keys every 90 days and keeps audit logs a year', () => {
    for (const e of [dev, tst, prod]) {
      expect(e.keys).toEqual({ rotationPeriodDays: 90 });
      expect(e.auditLog.retentionDays).toBe(365);
    }
  });

  test('differ where it matters: lock mode, log retention, deletion and termination protection', () => {
    expect(dev.auditLog.objectLockMode).toBe('GOVERNANCE');
    expect(tst.auditLog.objectLockMode).toBe('GOVERNANCE');
    expect(prod.auditLog.objectLockMode).toBe('COMPLIANCE');
    expect([dev, tst, prod].map((e) => e.auditLog.cloudWatchRetentionDays)).toEqual([365, 365, 731]);
    expect([dev, tst, prod].map((e) => e.accessLogs.retentionDays)).toEqual([90, 180, 365]);
    expect([dev, tst, prod].map((e) => e.protection)).toEqual([
      { terminationProtection: false, deletionProtection: false },
      { terminationProtection: false, deletionProtection: false },
      { terminationProtection: true, deletionProtection: true },
    ]);
  });

  test('an environment overrides single settings and keeps the rest of its profile', () => {
    const [e] = resolveConfig(env({ profile: 'prod', auditLog: { retentionDays: 2557 } }, 'live'), 'x');
    expect(e).toMatchObject({ name: 'live', profile: 'prod', stackName: 'SecurityBaseline-live' });
    expect(e.auditLog).toEqual({
      retentionDays: 2557,
      objectLockMode: 'COMPLIANCE',
      allBucketDataEvents: true,
      coldStorageAfterDays: 90,
      cloudWatchRetentionDays: 731,
    });
  });

  test('-c env=NAME selects one environment', () => {
    expect(resolveConfig(DEFAULT_CONFIG, 'default', 'prod').map((e) => e.name)).toEqual(['prod']);
  });

  test('config/example.json is valid and resolves every environment', () => {
    const loaded = loadConfig({ configFile: path.join(__dirname, '..', '..', 'config', 'example.json') });
    expect(loaded.environments.map((e) => [e.name, e.profile, e.account])).toEqual([
      ['dev', 'dev', '111111111111'],
      ['staging', 'test', '222222222222'],
      ['prod', 'prod', '333333333333'],
    ]);
  });

  test('config/targets.example.json and config/organization.example.json are valid', () => {
    const example = (name: string) =>
      loadConfig({ configFile: path.join(__dirname, '..', '..', 'config', name) }).environments[0];
    expect(example('targets.example.json').targets).toHaveLength(6);
    expect(example('organization.example.json').organization?.organizationalUnits).toEqual([
      'ou-ab12-cd34ef56',
    ]);
  });
});

describe('rejections name the path, the value received and what is allowed', () => {
  test.each([
    [
      'rotation below KMS minimum',
      env({ keys: { rotationPeriodDays: 30 } }),
      'environments.prod.keys.rotationPeriodDays: got 30; expected KMS rotates keys every 90..2560 days (ENC-02): at least 90',
    ],
    [
      'rotation above KMS maximum',
      env({ keys: { rotationPeriodDays: 3000 } }),
      'environments.prod.keys.rotationPeriodDays: got 3000; expected KMS rotates keys every 90..2560 days (ENC-02): at most 2560',
    ],
    [
      'rotation above the policy',
      env({ keys: { rotationPeriodDays: 365 } }),
      "environments.prod.keys.rotationPeriodDays: got 365; expected at most 90 days: the security policy's maximum rotation period",
    ],
    [
      'audit retention under a year',
      env({ auditLog: { retentionDays: 90 } }),
      'environments.prod.auditLog.retentionDays: got 90; expected audit logs are kept at least one year: 365..2557 days (LOG-02)',
    ],
    [
      'malformed e-mail',
      env({ securityContact: 'security-at-example' }),
      'environments.prod.securityContact: got "security-at-example"; expected an e-mail address',
    ],
    [
      'malformed alert e-mail',
      env({ alerts: { high: { emails: ['security@example.com', 'not-an-email'] } } }),
      'environments.prod.alerts.high.emails[1]: got "not-an-email"; expected an e-mail address such as "security@example.com"',
    ],
    [
      'webhook that is not https',
      env({ alerts: { critical: { httpsUrls: ['http://pager.example.com/hook'] } } }),
      'environments.prod.alerts.critical.httpsUrls[0]: got "http://pager.example.com/hook"; expected an https:// URL',
    ],
    [
      'unknown incident class',
      env({ alerts: { minimumClass: 'SEVERE' } }),
      'environments.prod.alerts.minimumClass: got "SEVERE"; expected one of "CRITICAL", "HIGH", "MEDIUM", "LOW"',
    ],
    [
      'unknown GuardDuty protection plan',
      env({ threatDetection: { features: ['S3_DATA_EVENTS', 'MALWARE'] } }),
      'environments.prod.threatDetection.features[1]: got "MALWARE"; expected one of S3_DATA_EVENTS',
    ],
    [
      'both runtime monitoring plans',
      env({ threatDetection: { features: ['RUNTIME_MONITORING', 'EKS_RUNTIME_MONITORING'] } }),
      'environments.prod.threatDetection.features: got ["RUNTIME_MONITORING","EKS_RUNTIME_MONITORING"]; expected RUNTIME_MONITORING or EKS_RUNTIME_MONITORING, not both',
    ],
    [
      'malformed detector id',
      env({ threatDetection: { existingDetectorId: 'abc' } }),
      'environments.prod.threatDetection.existingDetectorId: got "abc"; expected a GuardDuty detector ID: 32 lower-case hexadecimal characters',
    ],
    [
      'password policy shorter than the policies allow',
      env({ identity: { minimumPasswordLength: 8 } }),
      'environments.prod.identity.minimumPasswordLength: got 8; expected at least 12 characters (IAM-01, policies 001 and 003)',
    ],
    [
      'malformed trusted principal',
      env({ identity: { trustedPrincipals: ['123456789012', 'arn:aws:iam::1234:role/x'] } }),
      'environments.prod.identity.trustedPrincipals[1]: got "arn:aws:iam::1234:role/x"; expected a 12-digit account ID or an IAM role, user or root ARN',
    ],
    [
      'database backups under a week',
      env({ workload: { backupRetentionDays: 3 } }),
      'environments.prod.workload.backupRetentionDays: got 3; expected database backups are kept: at least 7',
    ],
    [
      'WAF rate limit too low',
      env({ workload: { wafRateLimit: 50 } }),
      'environments.prod.workload.wafRateLimit: got 50; expected at least 100 per 5 minutes',
    ],
    [
      'unknown key with a suggestion',
      env({ auditLogs: {} }),
      'environments.prod.auditLogs: got {}; expected a known setting; "auditLogs" is not one; did you mean "auditLog"?',
    ],
    [
      'unknown nested key',
      env({ auditLog: { retentionDay: 400 } }),
      'environments.prod.auditLog.retentionDay: got 400; expected a known setting; "retentionDay" is not one; did you mean "retentionDays"?',
    ],
    [
      'unknown top-level key',
      { ...DEFAULT_CONFIG, enviroments: {} },
      'enviroments: got {}; expected a known setting; "enviroments" is not one; did you mean "environments"?',
    ],
    [
      'lock mode',
      env({ auditLog: { objectLockMode: 'strict' } }),
      'environments.prod.auditLog.objectLockMode: got "strict"; expected one of "GOVERNANCE" (dev/test) or "COMPLIANCE" (prod)',
    ],
    [
      'log retention not a CloudWatch value',
      env({ auditLog: { cloudWatchRetentionDays: 42 } }),
      'environments.prod.auditLog.cloudWatchRetentionDays: got 42; expected one of 365, 400, 545',
    ],
    [
      'trail log retention under a year',
      env({ auditLog: { cloudWatchRetentionDays: 90 } }),
      'environments.prod.auditLog.cloudWatchRetentionDays: got 90; expected one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653: CloudWatch Logs retention values of at least one year (LOG-04, AWS Control Tower CT.CLOUDWATCH.PR.2)',
    ],
    [
      'account id',
      env({ account: 12345 }),
      'environments.prod.account: got 12345; expected a 12-digit AWS account ID as a string',
    ],
    [
      'region',
      env({ region: 'Europe' }),
      'environments.prod.region: got "Europe"; expected an AWS region name',
    ],
    [
      'profile',
      env({ profile: 'staging' }, 'qa'),
      'environments.qa.profile: got "staging"; expected one of "dev", "test", "prod"',
    ],
    [
      'missing profile',
      env({}, 'qa'),
      'environments.qa.profile: got nothing; expected a profile (dev, test, prod): "qa" is not a profile name',
    ],
    ['no environments', { environments: {} }, 'environments: got {}; expected at least one environment'],
    [
      'cold storage after retention',
      env({ auditLog: { coldStorageAfterDays: 400 } }),
      'environments.prod.auditLog.coldStorageAfterDays: got 400; expected fewer days than the audit log retention (365)',
    ],
    [
      'duplicate stack name',
      { environments: { dev: { stackName: 'Baseline' }, prod: { stackName: 'Baseline' } } },
      'environments.prod.stackName: got "Baseline"; expected a stack name not already used by environments.dev',
    ],
  ])('%s', (_name, raw, expected) => {
    const err = configError(() => resolveConfig(raw, 'baseline.json'));
    expect(err.message).toContain(expected);
    expect(err.message).toMatch(/^Invalid configuration \(baseline\.json\): 1 problem\n/);
  });

  test('an unknown environment name lists the configured ones', () => {
    const err = configError(() => resolveConfig(DEFAULT_CONFIG, 'embedded default', 'staging'));
    expect(err.problems).toEqual([
      {
        path: 'env (context -c env=NAME)',
        received: 'staging',
        message: 'one of the configured environments: dev, test, prod',
      },
    ]);
  });

  test('every problem is reported at once', () => {
    const raw = {
      environments: {
        prod: {
          keys: { rotationPeriodDays: 365 },
          auditLog: { retentionDays: 30 },
          securityContact: 'nope',
          protecton: {},
        },
      },
    };
    const err = configError(() => resolveConfig(raw, 'baseline.json', 'prd'));
    expect(err.problems.map((p) => p.path).sort()).toEqual([
      'env (context -c env=NAME)',
      'environments.prod.auditLog.retentionDays',
      'environments.prod.keys.rotationPeriodDays',
      'environments.prod.protecton',
      'environments.prod.securityContact',
    ]);
    expect(err.message).toMatch(/^Invalid configuration \(baseline\.json\): 5 problems\n/);
  });
});

describe('loadConfig', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('without a file uses the embedded default', () => {
    expect(loadConfig().source).toBe('embedded default');
    expect(loadConfig().environments).toHaveLength(3);
  });

  test('a missing file', () => {
    const missing = path.join(dir, 'missing.json');
    expect(configError(() => loadConfig({ configFile: missing })).message).toContain(
      `config: got ${JSON.stringify(missing)}; expected an existing file`,
    );
  });

  test('a file that is not JSON', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ "environments": ');
    expect(configError(() => loadConfig({ configFile: file })).message).toMatch(
      /config: got "\{ \\"environments\\": "; expected valid JSON \(ValueExpected at line 1, column 19;/,
    );
  });

  test('a file with a mistake names the file', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(env({ keys: { rotationPeriodDays: 365 } })));
    expect(configError(() => loadConfig({ configFile: file })).message).toMatch(
      /^Invalid configuration \(.*bad\.json\): 1 problem/,
    );
  });
});

describe('targets and organization mode', () => {
  const A = '111111111111';
  const B = '222222222222';
  const OU = 'ou-ab12-cd34ef56';
  const ORG = {
    organizationId: 'o-a1b2c3d4e5',
    organizationalUnits: [OU],
    regions: ['eu-west-1', 'us-east-1'],
  };

  test('targets expand to accounts x regions, account-wide resources in the home region', () => {
    const [prod] = resolveConfig(
      env({ targets: { accounts: [A, B], regions: ['eu-west-1', 'us-east-1'], homeRegion: 'us-east-1' } }),
      'x',
    );
    expect(prod.targets).toEqual([
      {
        account: A,
        region: 'eu-west-1',
        stackName: `SecurityBaseline-prod-${A}-eu-west-1`,
        accountResources: false,
      },
      {
        account: A,
        region: 'us-east-1',
        stackName: `SecurityBaseline-prod-${A}-us-east-1`,
        accountResources: true,
      },
      {
        account: B,
        region: 'eu-west-1',
        stackName: `SecurityBaseline-prod-${B}-eu-west-1`,
        accountResources: false,
      },
      {
        account: B,
        region: 'us-east-1',
        stackName: `SecurityBaseline-prod-${B}-us-east-1`,
        accountResources: true,
      },
    ]);
    // The continuous audit (once per account) checks every target region.
    expect(prod.audit.regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('without targets an environment is one stack holding everything', () => {
    const [prod] = resolveConfig(env({ account: A, region: 'eu-west-1' }), 'x');
    expect(prod.targets).toEqual([
      { account: A, region: 'eu-west-1', stackName: 'SecurityBaseline-prod', accountResources: true },
    ]);
  });

  test('organization mode: no stack targets, StackSet defaults that lose nothing', () => {
    const [prod] = resolveConfig(env({ organization: ORG }), 'x');
    expect(prod.targets).toEqual([]);
    expect(prod.organization).toEqual({
      ...ORG,
      homeRegion: 'eu-west-1',
      assetBucketPrefix: 'security-baseline-o-a1b2c3d4e5-prod',
      adminAccount: undefined,
      adminRegion: undefined,
      delegatedAdmin: false,
      autoDeployment: true,
      retainStacksOnAccountRemoval: true,
      maxConcurrentPercentage: 25,
      failureTolerancePercentage: 0,
      regionConcurrency: 'PARALLEL',
    });
  });

  test.each([
    [
      'malformed account ID',
      env({ targets: { accounts: ['12345'], regions: ['eu-west-1'] } }),
      'environments.prod.targets.accounts[0]: got "12345"; expected a 12-digit AWS account ID',
    ],
    [
      'duplicate account',
      env({ targets: { accounts: [A, B, A], regions: ['eu-west-1'] } }),
      `environments.prod.targets.accounts[2]: got "${A}"; expected no duplicates: already listed at index 0`,
    ],
    [
      'duplicate region',
      env({ targets: { accounts: [A], regions: ['eu-west-1', 'eu-west-1'] } }),
      'environments.prod.targets.regions[1]: got "eu-west-1"; expected no duplicates: already listed at index 0',
    ],
    [
      'unknown region',
      env({ targets: { accounts: [A], regions: ['eu-west-9'] } }),
      'environments.prod.targets.regions[0]: got "eu-west-9"; expected a known AWS region (one aws-cdk-lib/region-info lists)',
    ],
    [
      'malformed region',
      env({ targets: { accounts: [A], regions: ['Ireland'] } }),
      'environments.prod.targets.regions[0]: got "Ireland"; expected an AWS region name such as "eu-west-1"',
    ],
    [
      'no accounts',
      env({ targets: { accounts: [], regions: ['eu-west-1'] } }),
      'environments.prod.targets.accounts: got []; expected at least one account',
    ],
    [
      'home region outside the regions',
      env({ targets: { accounts: [A], regions: ['eu-west-1'], homeRegion: 'us-east-1' } }),
      'environments.prod.targets.homeRegion: got "us-east-1"; expected one of targets.regions (eu-west-1)',
    ],
    [
      'targets beside account/region',
      env({ account: A, targets: { accounts: [B], regions: ['eu-west-1'] } }),
      'environments.prod.targets: got {"accounts":["222222222222"],"regions":["eu-west-1"]}; expected either "account" / "region" (one stack) or "targets"',
    ],
    [
      'the same account and region in two environments',
      {
        environments: {
          dev: { targets: { accounts: [A], regions: ['eu-west-1'] } },
          prod: { account: A, region: 'eu-west-1', identity: { accountWide: false } },
        },
      },
      `environments.prod.account: got "${A}"; expected a target not already deployed by environments.dev.targets.accounts[0] (account ${A} in eu-west-1)`,
    ],
    [
      'account-wide resources from two environments',
      {
        environments: {
          dev: { targets: { accounts: [A], regions: ['eu-west-1'] } },
          prod: { targets: { accounts: [A], regions: ['us-east-1'] } },
        },
      },
      `environments.prod.identity.accountWide: got nothing; expected false: account ${A} already gets its account-wide resources`,
    ],
    [
      'stack names too long for CloudFormation',
      env({ stackName: `B${'x'.repeat(99)}`, targets: { accounts: [A], regions: ['us-isof-south-1'] } }),
      'expected a shorter name: with targets each stack is named <stackName>-<account>-<region>, 129 characters here',
    ],
    [
      'malformed OU ID',
      env({ organization: { ...ORG, organizationalUnits: ['sales'] } }),
      'environments.prod.organization.organizationalUnits[0]: got "sales"; expected an OU ID such as "ou-ab12-cd34ef56" or the root "r-ab12"',
    ],
    [
      'duplicate OU',
      env({ organization: { ...ORG, organizationalUnits: [OU, OU] } }),
      `environments.prod.organization.organizationalUnits[1]: got "${OU}"; expected no duplicates`,
    ],
    [
      'malformed organization ID',
      env({ organization: { ...ORG, organizationId: 'org-1' } }),
      'environments.prod.organization.organizationId: got "org-1"; expected an AWS Organizations ID',
    ],
    [
      'unknown region in organization mode',
      env({ organization: { ...ORG, regions: ['us-east-1', 'mars-north-1'] } }),
      'environments.prod.organization.regions[1]: got "mars-north-1"; expected a known AWS region',
    ],
    [
      'organization beside targets',
      env({ organization: ORG, targets: { accounts: [A], regions: ['eu-west-1'] } }),
      'environments.prod.organization: got {',
    ],
    [
      'failure tolerance over 100%',
      env({ organization: { ...ORG, failureTolerancePercentage: 150 } }),
      'environments.prod.organization.failureTolerancePercentage: got 150; expected accounts that may fail per region: at most 100',
    ],
    [
      'asset bucket names over 63 characters',
      env({ organization: { ...ORG, organizationId: `o-${'a'.repeat(32)}`, regions: ['ap-southeast-1'] } }),
      'environments.prod.organization.assetBucketPrefix: got nothing; expected a prefix of at most 48 characters: the asset buckets are named <prefix>-<region> and S3 allows 63 ("security-baseline-o-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-prod" has 57)',
    ],
  ])('%s', (_name, raw, expected) => {
    const err = configError(() => resolveConfig(raw, 'baseline.json'));
    expect(err.message).toContain(expected);
    expect(err.message).toMatch(/^Invalid configuration \(baseline\.json\): 1 problem\n/);
  });

  test('every targeting mistake is reported at once', () => {
    const raw = {
      environments: {
        dev: { targets: { accounts: [A, 'x'], regions: ['eu-west-9', 'eu-west-1', 'eu-west-1'] } },
        prod: { organization: { ...ORG, organizationalUnits: ['ou-1'], homeRegion: 'sa-east-1' } },
      },
    };
    const err = configError(() => resolveConfig(raw, 'baseline.json'));
    expect(err.problems.map((p) => p.path).sort()).toEqual([
      'environments.dev.targets.accounts[1]',
      'environments.dev.targets.regions[0]',
      'environments.dev.targets.regions[2]',
      'environments.prod.organization.homeRegion',
      'environments.prod.organization.organizationalUnits[0]',
    ]);
  });
});
