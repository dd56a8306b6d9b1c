import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { ConfigError, loadConfig } from '../../lib/config/loader';
import { testApp, withTempFile } from '../helpers';

// The bad configuration files of issue 15, kept as named regression tests: each is rejected with a
// ConfigError naming the path and the value received, never another exception, and the app builds
// no stack and writes nothing.

const A = '111111111111';
const json = (v: unknown) => JSON.stringify(v);
const env = (settings: unknown, name = 'prod') => json({ environments: { [name]: settings } });
const ORG = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnits: ['ou-ab12-cd34ef56'],
  regions: ['eu-west-1'],
};

/** [name, file text, expected path, text the message must contain] */
type Case = [string, string | (() => string), string, string];

const CASES: Case[] = [
  // The file itself
  ['empty file', '', 'config', 'the file is empty'],
  ['byte-order mark only', '\ufeff', 'config', 'the file is empty'],
  ['truncated JSON', '{ "environments": ', 'config', 'valid JSON (ValueExpected at line 1, column 19'],
  ['single-quoted keys', "{ 'environments': {} }", 'config', 'valid JSON (InvalidSymbol at line 1, column 3'],
  [
    'text after the object',
    '{ "environments": { "dev": {} } } x',
    'config',
    'valid JSON (InvalidSymbol at line 1, column 35',
  ],
  [
    'unterminated comment',
    '{ "environments": { "dev": {} } } /*',
    'config',
    'valid JSON (UnexpectedEndOfComment',
  ],
  ['a list at the root', '[]', '', 'a JSON object with "environments"'],
  ['null at the root', 'null', '', 'a JSON object with "environments"'],
  [
    '100,000-deep lists',
    () => '['.repeat(100_000) + ']'.repeat(100_000),
    'config',
    'nested at most 32 levels',
  ],
  [
    '100,000-deep objects',
    () => '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
    'config',
    'nested at most 32 levels',
  ],
  [
    '5.6 MB with 300,000 bad values',
    () =>
      env({ identity: { trustedPrincipals: Array.from({ length: 300_000 }, (_, i) => `bad-value-${i}`) } }),
    'config',
    'a file of at most 1048576 bytes',
  ],
  [
    '80,000 values under the size limit',
    () => env({ identity: { trustedPrincipals: Array.from({ length: 80_000 }, () => 1) } }),
    'config',
    'a configuration of at most 50000 values',
  ],
  // Duplicate keys
  [
    'two "prod" environments',
    '{"environments":{"prod":{"profile":"prod"},\n"prod":{"profile":"dev"}}}',
    'environments.prod',
    'appears at line 1, column 18 and again at line 2, column 1',
  ],
  [
    '"environments" twice',
    '{"environments":{"prod":{}},"environments":{"dev":{}}}',
    'environments',
    'a key given once',
  ],
  [
    'a setting twice',
    env({}).replace('{}', '{"auditLog":{"retentionDays":400,"retentionDays":365}}'),
    'environments.prod.auditLog.retentionDays',
    'a key given once',
  ],
  [
    'a tag twice',
    env({}).replace('{}', '{"tags":{"team":"a","team":"b"}}'),
    'environments.prod.tags.team',
    'a key given once',
  ],
  [
    '"profile" twice',
    env({}).replace('{}', '{"profile":"prod","profile":"dev"}'),
    'environments.prod.profile',
    'a key given once',
  ],
  // Names that are Object.prototype members
  [
    'an environment named "__proto__"',
    '{"environments":{"__proto__":{"profile":"prod"}}}',
    'environments.__proto__',
    'a key other than "__proto__"',
  ],
  [
    'an environment named "constructor" without a profile',
    '{"environments":{"constructor":{}}}',
    'environments.constructor.profile',
    '"constructor" is not a profile name',
  ],
  [
    'an environment named "hasOwnProperty"',
    '{"environments":{"hasOwnProperty":{"profile":"dev"}}}',
    'environments.hasOwnProperty',
    'a key that is an environment name',
  ],
  [
    'a setting named "__proto__"',
    env({}).replace('{}', '{"__proto__":{"x":1}}'),
    'environments.prod.__proto__',
    'a key other than "__proto__"',
  ],
  [
    'a setting named "constructor"',
    env({ constructor: {} }),
    'environments.prod.constructor',
    'a known setting',
  ],
  [
    'a tag named "__proto__"',
    env({}).replace('{}', '{"tags":{"__proto__":"x"}}'),
    'environments.prod.tags.__proto__',
    'other than "__proto__"',
  ],
  [
    'profile "constructor"',
    env({ profile: 'constructor' }, 'qa'),
    'environments.qa.profile',
    'one of "dev", "test", "prod"',
  ],
  [
    'profile "__proto__"',
    env({ profile: '__proto__' }, 'qa'),
    'environments.qa.profile',
    'one of "dev", "test", "prod"',
  ],
  // Wrong types
  ['environments null', json({ environments: null }), 'environments', 'one entry per environment'],
  ['environments a list', json({ environments: [] }), 'environments', 'one entry per environment'],
  ['no environments', json({ environments: {} }), 'environments', 'at least one environment'],
  ['environments missing', json({ policy: {} }), 'environments', 'one entry per environment'],
  ['an environment that is null', env(null), 'environments.prod', 'an object of settings'],
  ['an environment that is a list', env([]), 'environments.prod', 'an object of settings'],
  ['a settings group that is null', env({ keys: null }), 'environments.prod.keys', 'an object of settings'],
  [
    'rotation as a string',
    env({ keys: { rotationPeriodDays: '90' } }),
    'environments.prod.keys.rotationPeriodDays',
    'a whole number 90..2560',
  ],
  [
    'a boolean as a string',
    env({ protection: { terminationProtection: 'yes' } }),
    'environments.prod.protection.terminationProtection',
    'true or false',
  ],
  [
    'e-mails as one string',
    env({ alerts: { high: { emails: 'a@example.com' } } }),
    'environments.prod.alerts.high.emails',
    'a list of e-mail addresses',
  ],
  ['tags as a list', env({ tags: [] }), 'environments.prod.tags', 'an object of tag keys'],
  [
    'a tag value that is a number',
    env({ tags: { team: 1 } }),
    'environments.prod.tags.team',
    'a tag value (string)',
  ],
  [
    'NAT gateways 1.5',
    env({ workload: { natGateways: 1.5 } }),
    'environments.prod.workload.natGateways',
    'a whole number 0..3',
  ],
  [
    'features as one string',
    env({ threatDetection: { features: 'S3_DATA_EVENTS' } }),
    'environments.prod.threatDetection.features',
    'a list of GuardDuty protection plans',
  ],
  // Regions, accounts, e-mails, ARNs, URLs
  ['an unknown region', env({ region: 'eu-west-9' }), 'environments.prod.region', 'a known AWS region'],
  [
    'an upper-case region',
    env({ region: 'EU-WEST-1' }),
    'environments.prod.region',
    'an AWS region name such as "eu-west-1"',
  ],
  [
    'an 11-digit account',
    env({ account: '12345678901' }),
    'environments.prod.account',
    'a 12-digit AWS account ID',
  ],
  [
    'an account as a number',
    env({ account: 111111111111 }),
    'environments.prod.account',
    'a 12-digit AWS account ID as a string',
  ],
  [
    'an e-mail without a domain',
    env({ securityContact: 'security@example' }),
    'environments.prod.securityContact',
    'an e-mail address',
  ],
  [
    'an e-mail with a space',
    env({ alerts: { high: { emails: ['sec urity@example.com'] } } }),
    'environments.prod.alerts.high.emails[0]',
    'an e-mail address',
  ],
  [
    'an IAM group ARN',
    env({ identity: { trustedPrincipals: [`arn:aws:iam::${A}:group/admins`] } }),
    'environments.prod.identity.trustedPrincipals[0]',
    'an IAM role, user or root ARN',
  ],
  [
    'an S3 ARN as a principal',
    env({ identity: { trustedPrincipals: ['arn:aws:s3:::bucket'] } }),
    'environments.prod.identity.trustedPrincipals[0]',
    'an IAM role, user or root ARN',
  ],
  [
    'an ftp webhook',
    env({ alerts: { critical: { httpsUrls: ['ftp://example.com/x'] } } }),
    'environments.prod.alerts.critical.httpsUrls[0]',
    'an https:// URL',
  ],
  [
    'a region listed twice',
    env({ audit: { regions: ['eu-west-1', 'eu-west-1'] } }),
    'environments.prod.audit.regions[1]',
    'no duplicates',
  ],
  [
    'an OU that is a name',
    env({ organization: { ...ORG, organizationalUnits: ['sales'] } }),
    'environments.prod.organization.organizationalUnits[0]',
    'an OU ID',
  ],
  // Out-of-range numbers
  [
    'rotation 89 days',
    env({ keys: { rotationPeriodDays: 89 } }),
    'environments.prod.keys.rotationPeriodDays',
    'at least 90',
  ],
  [
    'rotation 2561 days',
    env({ keys: { rotationPeriodDays: 2561 } }),
    'environments.prod.keys.rotationPeriodDays',
    'at most 2560',
  ],
  [
    'rotation 1e400 days',
    env({}).replace('{}', '{"keys":{"rotationPeriodDays":1e400}}'),
    'environments.prod.keys.rotationPeriodDays',
    'got 1e400;',
  ],
  [
    'retention beyond 2^64',
    env({}).replace('{}', '{"auditLog":{"retentionDays":99999999999999999999}}'),
    'environments.prod.auditLog.retentionDays',
    'got 99999999999999999999;',
  ],
  [
    'rotation 90.5 days',
    env({ keys: { rotationPeriodDays: 90.5 } }),
    'environments.prod.keys.rotationPeriodDays',
    'a whole number',
  ],
  [
    'policy maximum 5000 days',
    json({ policy: { maxKeyRotationDays: 5000 }, environments: { dev: {} } }),
    'policy.maxKeyRotationDays',
    'at most 2560',
  ],
  [
    'rotation above the policy',
    env({ keys: { rotationPeriodDays: 180 } }),
    'environments.prod.keys.rotationPeriodDays',
    "the security policy's maximum",
  ],
  [
    'password length 200',
    env({ identity: { minimumPasswordLength: 200 } }),
    'environments.prod.identity.minimumPasswordLength',
    'at most 128',
  ],
  [
    '0% concurrency',
    env({ organization: { ...ORG, maxConcurrentPercentage: 0 } }),
    'environments.prod.organization.maxConcurrentPercentage',
    'at least 1',
  ],
  [
    'trail log retention 366',
    env({ auditLog: { cloudWatchRetentionDays: 366 } }),
    'environments.prod.auditLog.cloudWatchRetentionDays',
    'one of 365, 400',
  ],
  // Unknown and moved keys
  ['a misspelt top-level key', json({ enviroments: {} }), 'enviroments', 'did you mean "environments"?'],
  [
    'a key in the wrong case',
    env({ auditlog: {} }),
    'environments.prod.auditlog',
    'did you mean "auditLog"?',
  ],
  [
    'a misspelt nested key',
    env({ workload: { natGateway: 1 } }),
    'environments.prod.workload.natGateway',
    'did you mean "natGateways"?',
  ],
  [
    'audit.alertEmails',
    env({ audit: { alertEmails: ['a@example.com'] } }),
    'environments.prod.audit.alertEmails',
    'alerts.medium.emails',
  ],
  // What CloudFormation would reject later
  [
    'a tag value with ;<>$',
    env({ tags: { team: 'a;<>$' } }),
    'environments.prod.tags.team',
    'letters, digits, spaces and _ . : / = + - @ only',
  ],
  [
    'a tag key starting with aws:',
    env({ tags: { 'aws:owner': 'x' } }),
    'environments.prod.tags["aws:owner"]',
    'not starting with "aws:"',
  ],
  [
    'a 129-character tag key',
    env({ tags: { ['k'.repeat(129)]: 'x' } }),
    `environments.prod.tags.${'k'.repeat(129)}`,
    'a tag key of 1..128 characters',
  ],
  [
    'a 257-character tag value',
    env({ tags: { team: 'v'.repeat(257) } }),
    'environments.prod.tags.team',
    'at most 256 characters',
  ],
  [
    'a lone surrogate in a tag value',
    env({}).replace('{}', '{"tags":{"team":"a\\ud800b"}}'),
    'environments.prod.tags.team',
    'without unpaired surrogate',
  ],
  [
    'a lone surrogate in a key',
    env({}).replace('{}', '{"tags":{"\\udc00":"x"}}'),
    'environments.prod.tags["\\udc00"]',
    'without unpaired surrogate',
  ],
  [
    'an upper-case environment name',
    env({ profile: 'prod' }, 'Prod'),
    'environments.Prod',
    'a key that is an environment name',
  ],
];

describe('71 bad configuration files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-configs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('are all here', () => {
    expect(CASES).toHaveLength(71);
    expect(new Set(CASES.map(([name]) => name)).size).toBe(71);
  });

  test.each(CASES)('%s', (name, text, expectedPath, expected) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    fs.writeFileSync(file, typeof text === 'function' ? text() : text);
    const outdir = path.join(dir, `${name.replace(/\W+/g, '-')}.out`);
    const app = testApp({ outdir, context: { config: file } });
    let error: unknown;
    try {
      buildBaselineApp(app);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    const problem = problems.find((p) => p.path === expectedPath);
    expect({ path: problem?.path, all: problems.map((p) => p.path) }).toMatchObject({ path: expectedPath });
    expect((error as ConfigError).message).toContain(expected);
    // zod's own wording never reaches the user, and nothing was built or written.
    expect((error as ConfigError).message).not.toMatch(/Invalid input|expected expected|received undefined/);
    expect(app.node.children).toHaveLength(0);
    expect(fs.existsSync(outdir) ? fs.readdirSync(outdir) : []).toEqual([]);
  });
});

describe('what the README shows is accepted', () => {
  test('a byte-order mark, comments and trailing commas', () => {
    const loaded = withTempFile(
      'c.jsonc',
      '\ufeff{\n  // the environments\n  "environments": {\n    "prod": { "profile": "prod", /* inline */ },\n  },\n}\n',
      (file) => loadConfig({ configFile: file }),
    );
    expect(loaded.environments.map((e) => [e.name, e.profile])).toEqual([['prod', 'prod']]);
  });

  test('an environment named "constructor" works like any other', () => {
    const [e] = withTempFile(
      'c.json',
      env({ profile: 'prod', tags: { constructor: 'x', toString: 'y' } }, 'constructor'),
      (file) => loadConfig({ configFile: file }),
    ).environments;
    expect([e.name, e.profile, e.stackName, e.protection.terminationProtection]).toEqual([
      'constructor',
      'prod',
      'SecurityBaseline-constructor',
      true,
    ]);
    expect(Object.entries(e.tags)).toEqual([
      ['constructor', 'x'],
      ['toString', 'y'],
    ]);
  });

  test('many problems are listed up to a bound, and counted', () => {
    let error: ConfigError | undefined;
    withTempFile(
      'c.json',
      env({ identity: { trustedPrincipals: Array.from({ length: 40_000 }, () => 1) } }),
      (file) => {
        try {
          loadConfig({ configFile: file });
        } catch (e) {
          error = e as ConfigError;
        }
      },
    );
    expect(error?.problems).toHaveLength(40_000);
    expect(error?.message).toMatch(/: 40000 problems\n/);
    expect(error?.message).toContain('... and 39950 more problems');
    expect(error?.message.split('\n')).toHaveLength(52);
  });
});
