import { ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import { BatchGetAccountStatusCommand } from '@aws-sdk/client-inspector2';
import {
  DescribePatchBaselinesCommand,
  GetPatchBaselineCommand,
  ListResourceComplianceSummariesCommand,
} from '@aws-sdk/client-ssm';
import { GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetEbsEncryptionByDefaultCommand } from '@aws-sdk/client-ec2';
import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  GetAccountPasswordPolicyCommand,
  GetRoleCommand,
  ListEntitiesForPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetKeyRotationStatusCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { DescribeDBInstancesCommand, DescribeDBParametersCommand } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  ListBucketsCommand,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetEnabledStandardsCommand } from '@aws-sdk/client-securityhub';
import { GetTopicAttributesCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import {
  GetLoggingConfigurationCommand,
  ListResourcesForWebACLCommand,
  ListWebACLsCommand,
} from '@aws-sdk/client-wafv2';
import { AUDIT_PERMISSIONS, CHECKS } from '../../lib/audit/checks';
import { CIS_METRIC_NAMES } from '../../lib/audit/checks/cis-alarms';
import * as path from 'node:path';
import { AuditCheck } from '../../lib/audit/context';
import { auditTargetsFromConfig } from '../../lib/audit/from-config';
import { runAudit } from '../../lib/audit/run';
import { CIS_METRICS } from '../../lib/constructs/cis-monitoring';
import { ACCOUNT, adminRoleWithTrust, mockAccount, MockedAccount, securityPatchBaseline } from './fixtures';
import { context, TEST_CREDENTIALS } from './helpers';

const account = mockAccount();
afterEach(() => account.reset());
afterAll(() => account.restore());

const byName = (name: string): AuditCheck => CHECKS.find((c) => c.name === name)!;
const denied = (name = 'AccessDeniedException') => Object.assign(new Error('not authorized'), { name });

describe('every check against a compliant account', () => {
  let output: Awaited<ReturnType<typeof runAudit>>;
  let actions: string[];
  beforeAll(async () => {
    output = await runAudit({
      regions: ['eu-west-1'],
      checks: CHECKS,
      clientConfig: { credentials: TEST_CREDENTIALS },
    });
    actions = account.actionsCalled();
  });

  test('all results compliant; every check has at least one compliant result', () => {
    expect(output.results.filter((r) => r.status !== 'COMPLIANT')).toEqual([]);
    for (const check of CHECKS)
      expect([check.name, output.results.some((r) => r.check === check.name)]).toEqual([check.name, true]);
    // Every result is tagged with a control its check declares.
    for (const r of output.results) expect(byName(r.check).controls).toContain(r.control);
  });

  test('the permissions the checks declare are exactly the IAM actions of the calls they make', () => {
    expect([...new Set(actions)].sort()).toEqual([...AUDIT_PERMISSIONS]);
  });
});

test('the audit needs only read-only List/Describe/Get permissions', () => {
  for (const action of AUDIT_PERMISSIONS)
    expect(action).toMatch(/^[a-z0-9-]+:(List|Describe|Get|BatchGet)[A-Za-z]+$/);
});

test('the CIS metric names the audit expects are the ones CisMonitoring creates', () => {
  expect(CIS_METRIC_NAMES).toEqual(CIS_METRICS.map((m) => m.id));
});

type Breakage = [
  check: string,
  label: string,
  br: (a: MockedAccount) => void,
  expected: [string, string, RegExp],
];
const m = (a: MockedAccount, client: string) => a.mocks[client];

const BREAKAGES: Breakage[] = [
  [
    'backup',
    'no recent recovery point',
    // The check asks for recovery points created in the last 36 hours: none come back.
    (a) => m(a, 'BackupClient').on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] }),
    ['DATA-03', 'NON_COMPLIANT', /no completed recovery point in the last 36 hours/],
  ],
  [
    'config',
    'not recording',
    (a) =>
      m(a, 'ConfigServiceClient')
        .on(DescribeConfigurationRecorderStatusCommand)
        .resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] }),
    ['DET-03', 'NON_COMPLIANT', /^not recording$/],
  ],
  [
    'inspector',
    'Lambda scanning off',
    (a) =>
      m(a, 'Inspector2Client')
        .on(BatchGetAccountStatusCommand)
        .resolves({
          accounts: [
            {
              accountId: ACCOUNT,
              state: { status: 'ENABLED' },
              resourceState: {
                ec2: { status: 'ENABLED' },
                ecr: { status: 'ENABLED' },
                lambda: { status: 'DISABLED' },
              },
            },
          ] as never,
        }),
    ['DET-04', 'NON_COMPLIANT', /^lambda scanning DISABLED$/],
  ],
  [
    'patching',
    'security patches after 7 days',
    (a) => m(a, 'SSMClient').on(GetPatchBaselineCommand).resolves(securityPatchBaseline(7)),
    ['OPS-01', 'NON_COMPLIANT', /^approves security patches 7 days after release$/],
  ],
  [
    'kms',
    'rotation off',
    (a) => m(a, 'KMSClient').on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false }),
    ['ENC-02', 'NON_COMPLIANT', /^automatic rotation is off$/],
  ],
  [
    'cloudtrail',
    'not logging',
    (a) => m(a, 'CloudTrailClient').on(GetTrailStatusCommand).resolves({ IsLogging: false }),
    ['LOG-01', 'NON_COMPLIANT', /^not logging$/],
  ],
  [
    'cloudtrail',
    'selectors denied',
    (a) => m(a, 'CloudTrailClient').on(GetEventSelectorsCommand).rejects(denied()),
    ['LOG-01', 'NOT_CHECKED', /^AccessDeniedException/],
  ],
  [
    'audit-bucket',
    'no Object Lock',
    (a) =>
      m(a, 'S3Client')
        .on(GetObjectLockConfigurationCommand)
        .rejects(denied('ObjectLockConfigurationNotFoundError')),
    ['LOG-02', 'NON_COMPLIANT', /^Object Lock is off$/],
  ],
  [
    'guardduty',
    'suspended',
    (a) =>
      m(a, 'GuardDutyClient').on(GetDetectorCommand).resolves({
        Status: 'DISABLED',
        ServiceRole: 'r',
        FindingPublishingFrequency: 'FIFTEEN_MINUTES',
        Features: [],
      }),
    ['DET-01', 'NON_COMPLIANT', /^status DISABLED; protection plans off: S3_DATA_EVENTS/],
  ],
  [
    's3-account',
    'no account block',
    (a) =>
      m(a, 'S3ControlClient')
        .on(GetPublicAccessBlockCommand)
        .rejects(denied('NoSuchPublicAccessBlockConfiguration')),
    ['DATA-07', 'NON_COMPLIANT', /^no account-level public access block is configured$/],
  ],
  [
    's3-account',
    'denied',
    (a) => m(a, 'S3ControlClient').on(GetPublicAccessBlockCommand).rejects(denied()),
    ['DATA-07', 'NOT_CHECKED', /^AccessDeniedException/],
  ],
  [
    's3-buckets',
    'AWS-managed key',
    (a) =>
      m(a, 'S3Client')
        .on(GetBucketEncryptionCommand)
        .resolves({
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
            ],
          },
        }),
    ['ENC-01', 'NON_COMPLIANT', /AWS-managed aws\/s3 key/],
  ],
  [
    's3-buckets',
    'no bucket keys',
    (a) =>
      m(a, 'S3Client')
        .on(GetBucketEncryptionCommand)
        .resolves({
          ServerSideEncryptionConfiguration: {
            Rules: [
              { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:k' } },
            ],
          },
        }),
    ['ENC-01', 'NON_COMPLIANT', /^S3 Bucket Keys are off$/],
  ],
  [
    's3-buckets',
    'versioning suspended',
    (a) => m(a, 'S3Client').on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' }),
    ['DATA-01', 'NON_COMPLIANT', /^versioning is not enabled$/],
  ],
  [
    's3-buckets',
    'no bucket policy',
    (a) => m(a, 'S3Client').on(GetBucketPolicyCommand).rejects(denied('NoSuchBucketPolicy')),
    ['ENC-05', 'NON_COMPLIANT', /does not deny requests without TLS/],
  ],
  [
    's3-buckets',
    'policy allows plain HTTP',
    (a) =>
      m(a, 'S3Client')
        .on(GetBucketPolicyCommand)
        .resolves({
          Policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        }),
    ['ENC-05', 'NON_COMPLIANT', /does not deny requests without TLS/],
  ],
  [
    'ebs',
    'off',
    (a) => m(a, 'EC2Client').on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false }),
    ['DATA-07', 'NON_COMPLIANT', /^off$/],
  ],
  [
    'iam-password-policy',
    'none',
    (a) => m(a, 'IAMClient').on(GetAccountPasswordPolicyCommand).rejects(denied('NoSuchEntityException')),
    ['IAM-01', 'NON_COMPLIANT', /^the account has no password policy$/],
  ],
  [
    'iam-password-policy',
    'short, 180 days, 5 remembered',
    (a) =>
      m(a, 'IAMClient')
        .on(GetAccountPasswordPolicyCommand)
        .resolves({
          PasswordPolicy: {
            MinimumPasswordLength: 11,
            RequireUppercaseCharacters: true,
            RequireLowercaseCharacters: true,
            RequireNumbers: true,
            RequireSymbols: true,
            MaxPasswordAge: 180,
            PasswordReusePrevention: 5,
          },
        }),
    [
      'IAM-01',
      'NON_COMPLIANT',
      /^minimum length 11 \(want 12\+\); maximum age 180 \(want 90 days or less\); reuse prevention 5 \(want 24\)$/,
    ],
  ],
  [
    'iam-admin-mfa',
    'no MFA',
    (a) =>
      m(a, 'IAMClient')
        .on(GetRoleCommand)
        .resolves(adminRoleWithTrust({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })),
    ['IAM-02', 'NON_COMPLIANT', /without MFA/],
  ],
  [
    'iam-admin-mfa',
    'MFA "false"',
    (a) =>
      m(a, 'IAMClient')
        .on(GetRoleCommand)
        .resolves(
          adminRoleWithTrust({
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
          }),
        ),
    ['IAM-02', 'NON_COMPLIANT', /without MFA/],
  ],
  [
    'access-analyzer',
    'none',
    (a) => m(a, 'AccessAnalyzerClient').on(ListAnalyzersCommand).resolves({ analyzers: [] }),
    ['IAM-04', 'NON_COMPLIANT', /^no external-access analyzer$/],
  ],
  [
    'access-analyzer',
    'only unused access',
    (a) =>
      m(a, 'AccessAnalyzerClient')
        .on(ListAnalyzersCommand)
        .resolves({
          analyzers: [
            { arn: 'a', name: 'u', type: 'ACCOUNT_UNUSED_ACCESS', status: 'ACTIVE', createdAt: new Date() },
          ],
        }),
    ['IAM-04', 'NON_COMPLIANT', /^no external-access analyzer$/],
  ],
  [
    'waf',
    'not associated',
    (a) => m(a, 'WAFV2Client').on(ListResourcesForWebACLCommand).resolves({ ResourceArns: [] }),
    ['NET-03', 'NON_COMPLIANT', /^not associated with any resource$/],
  ],
  [
    'waf',
    'authorization logged',
    (a) =>
      m(a, 'WAFV2Client')
        .on(GetLoggingConfigurationCommand)
        .resolves({ LoggingConfiguration: { ResourceArn: 'a', LogDestinationConfigs: ['l'] } }),
    ['NET-05', 'NON_COMPLIANT', /authorization header is not redacted/],
  ],
  [
    'waf',
    'logging off',
    (a) =>
      m(a, 'WAFV2Client').on(GetLoggingConfigurationCommand).rejects(denied('WAFNonexistentItemException')),
    ['NET-05', 'NON_COMPLIANT', /^logging is off$/],
  ],
  [
    'sns',
    'aws/sns key',
    (a) =>
      m(a, 'SNSClient')
        .on(GetTopicAttributesCommand)
        .resolves({ Attributes: { KmsMasterKeyId: 'alias/aws/sns' } }),
    ['ENC-01', 'NON_COMPLIANT', /AWS-managed aws\/sns key/],
  ],
  [
    'log-groups',
    'no retention, no key',
    (a) =>
      m(a, 'CloudWatchLogsClient')
        .on(DescribeLogGroupsCommand)
        .resolves({ logGroups: [{ logGroupName: 'g', arn: 'arn:aws:logs:eu-west-1:1:log-group:g:*' }] }),
    ['LOG-04', 'NON_COMPLIANT', /^not encrypted with a KMS key; no retention \(kept forever\)$/],
  ],
  [
    'cis-alarms',
    'alarms without actions',
    (a) =>
      m(a, 'CloudWatchClient')
        .on(DescribeAlarmsCommand)
        .resolves({
          MetricAlarms: CIS_METRIC_NAMES.map((MetricName) => ({
            MetricName,
            Namespace: 'SecurityBaseline/CIS',
            AlarmActions: [],
          })),
        }),
    ['DET-05', 'NON_COMPLIANT', /^no alarm with an action for UnauthorizedApiCalls, /],
  ],
  [
    'rds',
    'unencrypted, public',
    (a) =>
      m(a, 'RDSClient')
        .on(DescribeDBInstancesCommand)
        .resolves({
          DBInstances: [
            {
              DBInstanceArn: 'arn:db',
              Engine: 'postgres',
              StorageEncrypted: false,
              IAMDatabaseAuthenticationEnabled: true,
              DeletionProtection: true,
              BackupRetentionPeriod: 0,
              PubliclyAccessible: true,
              DBParameterGroups: [{ DBParameterGroupName: 'pg' }],
              TagList: [{ Key: 'security-baseline:environment', Value: 'prod' }],
            },
          ],
        }),
    ['DATA-02', 'NON_COMPLIANT', /^storage not encrypted; automated backups off; publicly accessible$/],
  ],
  [
    'rds',
    'TLS not forced',
    (a) =>
      m(a, 'RDSClient')
        .on(DescribeDBParametersCommand)
        .resolves({ Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '0' }] }),
    ['ENC-05', 'NON_COMPLIANT', /^rds.force_ssl is 0 in pg: TLS not forced$/],
  ],
  [
    'security-hub',
    'CIS missing',
    (a) =>
      m(a, 'SecurityHubClient')
        .on(GetEnabledStandardsCommand)
        .resolves({
          StandardsSubscriptions: [
            {
              StandardsSubscriptionArn: 's',
              StandardsArn:
                'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
              StandardsInput: {},
              StandardsStatus: 'READY',
            },
          ],
        }),
    ['DET-02', 'NON_COMPLIANT', /^standards not enabled: CIS AWS Foundations Benchmark v3.0.0$/],
  ],
  [
    'security-hub',
    'not enabled',
    (a) =>
      m(a, 'SecurityHubClient')
        .on(GetEnabledStandardsCommand)
        .rejects(
          Object.assign(new Error('Account 111122223333 is not subscribed to AWS Security Hub'), {
            name: 'InvalidAccessException',
          }),
        ),
    ['DET-02', 'NOT_APPLICABLE', /^Security Hub is not enabled \(DET-02 is optional\)$/],
  ],
];

test.each(BREAKAGES)('%s: %s', async (name, _label, breakIt, [control, status, reason]) => {
  breakIt(account);
  const results = await byName(name).run(context());
  const changed = results.filter((r) => r.status !== 'COMPLIANT');
  // One kind of verdict changed (for every bucket of the fixture, where the break applies to all).
  expect([...new Set(changed.map((r) => `${r.control} ${r.status}`))]).toEqual([`${control} ${status}`]);
  expect(changed[0].reason).toMatch(reason);
});

test('every check is broken at least once above (both ways are tested)', () => {
  expect([...new Set(BREAKAGES.map(([name]) => name))].sort()).toEqual(CHECKS.map((c) => c.name).sort());
});

test('security-hub: not enabled where the config turns it on is a finding', async () => {
  account.mocks.SecurityHubClient.on(GetEnabledStandardsCommand).rejects(
    Object.assign(new Error('Account is not subscribed to AWS Security Hub'), {
      name: 'InvalidAccessException',
    }),
  );
  const [r] = await byName('security-hub').run(context('eu-west-1', { expect: { securityHub: true } }));
  expect([r.status, r.reason]).toEqual([
    'NON_COMPLIANT',
    'Security Hub is not enabled, but the config turns it on (threatDetection.securityHub)',
  ]);
});

test('rds: no database where the config deploys one is a finding; none expected is not applicable', async () => {
  account.mocks.RDSClient.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
  expect((await byName('rds').run(context('eu-west-1', { expect: { database: true } })))[0].status).toBe(
    'NON_COMPLIANT',
  );
  expect((await byName('rds').run(context()))[0].status).toBe('NOT_APPLICABLE');
});

test('waf: a rate limit above the configured one is a finding', async () => {
  const [r] = await byName('waf').run(context('eu-west-1', { expect: { maxRateLimit: 500 } }));
  expect([r.control, r.status, r.reason]).toEqual([
    'NET-03',
    'NON_COMPLIANT',
    'rate limit above the configured 500 requests per window',
  ]);
});

test('global checks run once, as region "global", however many regions', async () => {
  const output = await runAudit({
    regions: ['eu-west-1', 'us-east-1'],
    checks: CHECKS.filter((c) => c.name === 'iam-password-policy' || c.name === 'ebs'),
    clientConfig: { credentials: TEST_CREDENTIALS },
  });
  expect(output.results.map((r) => [r.check, r.region])).toEqual([
    ['iam-password-policy', 'global'],
    ['ebs', 'eu-west-1'],
    ['ebs', 'us-east-1'],
  ]);
  expect(ACCOUNT).toMatch(/^\d{12}$/);
});

// Looping pages, for every listing a check makes: the endpoint answers the same token again.
const LOOPS: [check: string, client: string, command: new (input: never) => object, page: object][] = [
  ['kms', 'KMSClient', ListKeysCommand, { Keys: [{ KeyId: 'k' }], Truncated: true, NextMarker: 'same' }],
  ['guardduty', 'GuardDutyClient', ListDetectorsCommand, { DetectorIds: ['d1'], NextToken: 'same' }],
  ['s3-buckets', 'S3Client', ListBucketsCommand, { Buckets: [{ Name: 'audit' }], ContinuationToken: 'same' }],
  [
    'waf',
    'WAFV2Client',
    ListWebACLsCommand,
    { WebACLs: [{ Name: 'a', Id: '1', ARN: 'arn:a' }], NextMarker: 'same' },
  ],
  [
    'iam-admin-mfa',
    'IAMClient',
    ListEntitiesForPolicyCommand,
    { PolicyRoles: [{ RoleName: 'r' }], IsTruncated: true, Marker: 'same' },
  ],
  ['access-analyzer', 'AccessAnalyzerClient', ListAnalyzersCommand, { analyzers: [], nextToken: 'same' }],
  ['sns', 'SNSClient', ListTopicsCommand, { Topics: [{ TopicArn: 'arn:t' }], NextToken: 'same' }],
  ['log-groups', 'CloudWatchLogsClient', DescribeLogGroupsCommand, { logGroups: [], nextToken: 'same' }],
  [
    'cis-alarms',
    'CloudWatchLogsClient',
    DescribeMetricFiltersCommand,
    { metricFilters: [], nextToken: 'same' },
  ],
  ['cis-alarms', 'CloudWatchClient', DescribeAlarmsCommand, { MetricAlarms: [], NextToken: 'same' }],
  ['rds', 'RDSClient', DescribeDBInstancesCommand, { DBInstances: [], Marker: 'same' }],
  ['rds', 'RDSClient', DescribeDBParametersCommand, { Parameters: [], Marker: 'same' }],
  [
    'security-hub',
    'SecurityHubClient',
    GetEnabledStandardsCommand,
    { StandardsSubscriptions: [], NextToken: 'same' },
  ],
  ['patching', 'SSMClient', DescribePatchBaselinesCommand, { BaselineIdentities: [], NextToken: 'same' }],
  [
    'patching',
    'SSMClient',
    ListResourceComplianceSummariesCommand,
    { ResourceComplianceSummaryItems: [], NextToken: 'same' },
  ],
];

test.each(LOOPS)(
  '%s: a repeated page token from %s is NOT_CHECKED after two calls',
  async (name, client, command, page) => {
    account.mocks[client].on(command as never).resolves(page as never);
    const results = await byName(name).run(context());
    const notChecked = results.filter((r) => r.status === 'NOT_CHECKED');
    expect(notChecked.length).toBeGreaterThan(0);
    expect(notChecked[0].reason).toMatch(
      /^PaginationError: \w+( REGIONAL)?: the endpoint repeated page token "same" after 2 pages$/,
    );
    expect(account.mocks[client].commandCalls(command as never)).toHaveLength(2);
    expect(
      results.filter(
        (r) =>
          r.status === 'COMPLIANT' &&
          r.control === notChecked[0].control &&
          r.resource === notChecked[0].resource,
      ),
    ).toEqual([]);
  },
);

test('every check that lists is looped above', () => {
  const listing = [
    'kms',
    'guardduty',
    's3-buckets',
    'waf',
    'iam-admin-mfa',
    'access-analyzer',
    'sns',
    'log-groups',
    'cis-alarms',
    'rds',
    'security-hub',
    'patching',
  ];
  expect([...new Set(LOOPS.map(([n]) => n))].sort()).toEqual(listing.sort());
});

test('guardduty: with --config, the plans the config turns on are required', async () => {
  const [r] = await byName('guardduty').run(
    context('eu-west-1', { expect: { guardDutyFeatures: ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS'] } }),
  );
  expect([r.status, r.reason]).toEqual(['NON_COMPLIANT', 'protection plans off: EKS_AUDIT_LOGS']);
});

test('--config expectations come from every environment (config/example.json)', () => {
  const targets = auditTargetsFromConfig(path.join(__dirname, '..', '..', 'config', 'example.json'));
  expect(targets.regions).toEqual(expect.arrayContaining(['eu-west-1']));
  expect(targets.expect.guardDuty).toBe(true);
  expect(targets.expect.guardDutyFeatures).toEqual(expect.arrayContaining(['S3_DATA_EVENTS']));
});
