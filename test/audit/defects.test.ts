import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import * as path from 'node:path';
import { cloudTrailCheck, guardDutyCheck, kmsCheck, s3BucketsCheck, wafCheck } from '../../lib/audit/checks';
import { s3ControlEndpoint } from '../../lib/audit/checks/s3-account';
import { EXIT_OK, runCli } from '../../lib/audit/cli';
import { AuditCheck } from '../../lib/audit/context';
import { runAudit, runCheck } from '../../lib/audit/run';
import { context, memoryIo, TEST_CREDENTIALS } from './helpers';

// Issue 13: each numbered defect, reproduced (these failed before the fix), then fixed.

const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const waf = mockClient(WAFV2Client);
const gd = mockClient(GuardDutyClient);
const ct = mockClient(CloudTrailClient);
afterEach(() => [s3, kms, waf, gd, ct].forEach((m) => m.reset()));
afterAll(() => [s3, kms, waf, gd, ct].forEach((m) => m.restore()));

const rows = (results: { control: string; resource: string; status: string; reason: string }[]) =>
  results.map((r) => [r.control, r.resource, r.status, r.reason]);
const bucketPolicy = JSON.stringify({
  Statement: [
    {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

/** Two baseline buckets as the baseline deploys them: `data` logs to `access-logs`. */
function serveBaselineBuckets() {
  s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'data' }, { Name: 'access-logs' }] });
  s3.on(GetBucketTaggingCommand).resolves({
    TagSet: [{ Key: 'security-baseline:environment', Value: 'prod' }],
  });
  s3.on(GetBucketLoggingCommand, { Bucket: 'data' }).resolves({
    LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'data/' },
  });
  s3.on(GetBucketLoggingCommand, { Bucket: 'access-logs' }).resolves({});
  s3.on(GetBucketEncryptionCommand).resolves({
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/k',
          },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  s3.on(GetPublicAccessBlockCommand).resolves({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  s3.on(GetBucketPolicyCommand).resolves({ Policy: bucketPolicy });
}

describe('defect 1: a correct deployment passes (CMK-encrypted access-log destination)', () => {
  test('the access-log bucket of the baseline (SSE-KMS with its CMK, not logged into itself) is compliant', async () => {
    serveBaselineBuckets();
    const results = await s3BucketsCheck.run(context());
    expect(results.filter((r) => r.status !== 'COMPLIANT')).toEqual([]);
    expect(rows(results.filter((r) => r.resource === 'arn:aws:s3:::access-logs'))).toEqual([
      [
        'ENC-01',
        'arn:aws:s3:::access-logs',
        'COMPLIANT',
        'SSE-KMS with arn:aws:kms:eu-west-1:111122223333:key/k and bucket keys',
      ],
      [
        'DATA-01',
        'arn:aws:s3:::access-logs',
        'COMPLIANT',
        'public access blocked, versioned, access-log destination (not logged into itself)',
      ],
      ['ENC-05', 'arn:aws:s3:::access-logs', 'COMPLIANT', 'the bucket policy denies requests without TLS'],
    ]);
  });

  test('an SSE-S3 access-log bucket is still a finding (the check was not weakened)', async () => {
    serveBaselineBuckets();
    s3.on(GetBucketEncryptionCommand, { Bucket: 'access-logs' }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    const results = await s3BucketsCheck.run(context());
    expect(rows(results.filter((r) => r.status !== 'COMPLIANT'))).toEqual([
      ['ENC-01', 'arn:aws:s3:::access-logs', 'NON_COMPLIANT', 'default encryption is AES256, not SSE-KMS'],
    ]);
  });
});

describe('defect 5: a trail that excludes management events is NON_COMPLIANT', () => {
  const trail = {
    Name: 't',
    TrailARN: 'arn:t',
    IsMultiRegionTrail: true,
    LogFileValidationEnabled: true,
    KmsKeyId: 'arn:key',
    CloudWatchLogsLogGroupArn: 'arn:lg',
  };
  beforeEach(() => {
    ct.reset();
    ct.on(DescribeTrailsCommand).resolves({ trailList: [trail] });
    ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  });

  test.each([
    [
      'basic, management events excluded',
      { EventSelectors: [{ IncludeManagementEvents: false, ReadWriteType: 'All' }] },
      'event selectors exclude management events',
    ],
    [
      'basic, write-only',
      { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' }] },
      'management events recorded only WriteOnly',
    ],
    [
      'advanced, data events only',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            ],
          },
        ],
      },
      'advanced event selectors do not record all management events',
    ],
    [
      'advanced, management read-only',
      {
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['true'] },
            ],
          },
        ],
      },
      'advanced event selectors do not record all management events',
    ],
  ])('%s', async (_name, selectors, reason) => {
    ct.on(GetEventSelectorsCommand).resolves(selectors as never);
    expect(rows(await cloudTrailCheck.run(context()))).toEqual([
      ['LOG-01', 'arn:t', 'NON_COMPLIANT', reason],
    ]);
  });

  test.each([
    [
      'basic, all management events',
      { EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }] },
    ],
    [
      'advanced, management events',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] },
    ],
  ])('%s is compliant', async (_name, selectors) => {
    ct.on(GetEventSelectorsCommand).resolves(selectors as never);
    expect((await cloudTrailCheck.run(context()))[0].status).toBe('COMPLIANT');
  });
});

describe('defect 6: a check that found nothing says so', () => {
  beforeEach(() => {
    kms.on(ListKeysCommand).resolves({ Keys: [], Truncated: false });
    waf.on(ListWebACLsCommand).resolves({ WebACLs: [] });
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
  });

  test('empty listings give one row per check; no trail and no detector are findings', async () => {
    const output = await runAudit({
      regions: ['eu-west-1'],
      checks: [kmsCheck, wafCheck, guardDutyCheck, cloudTrailCheck],
      clientConfig: { credentials: TEST_CREDENTIALS },
    });
    expect(rows(output.results)).toEqual([
      ['ENC-02', 'KMS keys in eu-west-1', 'NOT_APPLICABLE', 'no KMS keys in this region: nothing to rotate'],
      [
        'NET-03',
        'web ACLs in eu-west-1',
        'NOT_APPLICABLE',
        'no web ACL in this region (pass --config to hold the account to its configuration)',
      ],
      ['DET-01', 'detector in eu-west-1', 'NON_COMPLIANT', 'GuardDuty is not enabled (no detector)'],
      ['LOG-01', 'trails in eu-west-1', 'NON_COMPLIANT', 'no trail logs this region'],
    ]);
    expect(output.controls.map((c) => [c.control, c.status])).toEqual([
      ['DET-01', 'NON_COMPLIANT'],
      ['ENC-02', 'NOT_APPLICABLE'],
      ['LOG-01', 'NON_COMPLIANT'],
      ['NET-03', 'NOT_APPLICABLE'],
    ]);
  });

  test('no web ACL where the config deploys one is a finding', async () => {
    expect(rows(await wafCheck.run(context('eu-west-1', { expect: { webAcl: true } })))).toEqual([
      [
        'NET-03',
        'web ACLs in eu-west-1',
        'NON_COMPLIANT',
        'no web ACL, but the config deploys a protected workload here (workload.enabled)',
      ],
    ]);
  });

  test('a check that returns nothing is NOT_CHECKED, never silence', async () => {
    const silent: AuditCheck = {
      name: 'silent',
      controls: ['CMP-05'],
      description: '',
      permissions: [],
      run: async () => [],
    };
    expect((await runCheck(silent, context(), 1000))[0]).toMatchObject({
      status: 'NOT_CHECKED',
      check: 'silent',
    });
  });

  test('the CLI exits 0 only when something was actually checked compliant or not applicable', async () => {
    const { io, out } = memoryIo();
    expect(await runCli(['--checks', 'kms,waf'], io)).toBe(EXIT_OK);
    expect(out()).toMatch(/NOT_APPLICABLE +ENC-02 +kms/);
    expect(out()).toMatch(/NOT_APPLICABLE +NET-03 +waf/);
  });
});

describe('defect 7: no encryption configuration is a finding; S3 Control with an IP endpoint', () => {
  test('a baseline bucket without default encryption is NON_COMPLIANT (ENC-01), not an error', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [{ Name: 'plain' }] });
    s3.on(GetBucketTaggingCommand).resolves({
      TagSet: [{ Key: 'security-baseline:environment', Value: 'dev' }],
    });
    s3.on(GetBucketLoggingCommand).resolves({ LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: '' } });
    s3.on(GetBucketEncryptionCommand).rejects(
      Object.assign(new Error('The server side encryption configuration was not found'), {
        name: 'ServerSideEncryptionConfigurationNotFoundError',
      }),
    );
    s3.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    s3.on(GetBucketPolicyCommand).resolves({ Policy: bucketPolicy });
    expect(rows((await s3BucketsCheck.run(context())).filter((r) => r.control === 'ENC-01'))).toEqual([
      ['ENC-01', 'arn:aws:s3:::plain', 'NON_COMPLIANT', 'no default encryption configuration'],
    ]);
  });

  test('S3 Control: a loopback endpoint is reached through localhost; another IP is refused with the reason', () => {
    expect(s3ControlEndpoint({}, { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' })).toEqual({
      endpoint: 'http://localhost:5000',
      loopbackHost: '127.0.0.1',
    });
    expect(s3ControlEndpoint({}, { AWS_ENDPOINT_URL: 'http://10.1.2.3:5000' }).problem).toMatch(
      /S3 Control prefixes the account ID to the endpoint host, which cannot work with the IP address 10.1.2.3; set AWS_ENDPOINT_URL_S3_CONTROL to a hostname/,
    );
    expect(
      s3ControlEndpoint(
        {},
        { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL_S3_CONTROL: 'http://s3c.local:1' },
      ),
    ).toEqual({ endpoint: 'http://s3c.local:1' });
    expect(s3ControlEndpoint({}, {})).toEqual({});
  });
});

describe('defect 8: --config takes regions from targets and organization regions', () => {
  test('config/targets.example.json audits eu-west-1 and us-east-1 without AWS_REGION', async () => {
    kms.on(ListKeysCommand).resolves({ Keys: [], Truncated: false });
    const { io, out, err } = memoryIo({});
    const config = path.join(__dirname, '..', '..', 'config', 'targets.example.json');
    expect(await runCli(['--checks', 'kms', '--config', config, '--json'], io)).toBe(EXIT_OK);
    expect(err()).toBe('');
    expect(JSON.parse(out()).regions).toEqual(['eu-west-1', 'us-east-1']);
  });
});
