import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetWebACLCommand, ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AUDIT_PERMISSIONS,
  cloudTrailCheck,
  guardDutyCheck,
  s3Check,
  wafCheck,
} from '../../lib/audit/checks';
import { context } from './helpers';

const statuses = (results: { resource: string; status: string; reason: string }[]) =>
  results.map((r) => [r.resource, r.status, r.reason]);

describe('cloudtrail check (LOG-01)', () => {
  const ct = mockClient(CloudTrailClient);
  afterAll(() => ct.restore());

  test('a complete trail is compliant; each missing property is named', async () => {
    ct.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          Name: 'good',
          TrailARN: 'arn:good',
          IsMultiRegionTrail: true,
          LogFileValidationEnabled: true,
          KmsKeyId: 'arn:key',
          CloudWatchLogsLogGroupArn: 'arn:lg',
        },
        { Name: 'weak', TrailARN: 'arn:weak', IsMultiRegionTrail: false, LogFileValidationEnabled: false },
      ],
    });
    ct.on(GetTrailStatusCommand, { Name: 'arn:good' }).resolves({ IsLogging: true });
    ct.on(GetTrailStatusCommand, { Name: 'arn:weak' }).resolves({ IsLogging: false });
    expect(statuses(await cloudTrailCheck.run(context()))).toEqual([
      ['arn:good', 'COMPLIANT', 'logging, multi-region, validated, KMS-encrypted, in CloudWatch Logs'],
      [
        'arn:weak',
        'NON_COMPLIANT',
        'missing: logging, multi-region, log file validation, KMS encryption, CloudWatch Logs delivery',
      ],
    ]);
  });

  test('no trail at all is non-compliant; a failed call is an error', async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
    expect(statuses(await cloudTrailCheck.run(context()))).toEqual([
      ['account trails in eu-west-1', 'NON_COMPLIANT', 'no trail logs this region'],
    ]);
    ct.on(DescribeTrailsCommand).rejects(Object.assign(new Error('nope'), { name: 'AccessDeniedException' }));
    expect(statuses(await cloudTrailCheck.run(context()))).toEqual([
      ['account trails in eu-west-1', 'ERROR', 'AccessDeniedException: nope'],
    ]);
  });
});

describe('guardduty check (DET-01)', () => {
  const gd = mockClient(GuardDutyClient);
  afterAll(() => gd.restore());
  const allPlans = [
    'S3_DATA_EVENTS',
    'EBS_MALWARE_PROTECTION',
    'RDS_LOGIN_EVENTS',
    'LAMBDA_NETWORK_LOGS',
  ].map((Name) => ({ Name, Status: 'ENABLED' as const }));

  test('enabled, 15-minute publication and plans on is compliant', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    gd.on(GetDetectorCommand).resolves({
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      ServiceRole: 'r',
      Features: allPlans as never,
    });
    expect(statuses(await guardDutyCheck.run(context()))).toEqual([
      ['d1', 'COMPLIANT', 'enabled, 15-minute publication, protection plans on'],
    ]);
  });

  test('slow publication and plans off are named; no detector is non-compliant', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['d1'] });
    gd.on(GetDetectorCommand).resolves({
      Status: 'ENABLED',
      FindingPublishingFrequency: 'SIX_HOURS',
      ServiceRole: 'r',
      Features: allPlans.slice(0, 2) as never,
    });
    expect(statuses(await guardDutyCheck.run(context()))).toEqual([
      [
        'd1',
        'NON_COMPLIANT',
        'findings published every SIX_HOURS (want FIFTEEN_MINUTES); protection plans off: RDS_LOGIN_EVENTS, LAMBDA_NETWORK_LOGS',
      ],
    ]);
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    expect(statuses(await guardDutyCheck.run(context()))).toEqual([
      ['detector in eu-west-1', 'NON_COMPLIANT', 'GuardDuty is not enabled (no detector)'],
    ]);
  });
});

describe('s3 check (DATA-07, DATA-01)', () => {
  const sts = mockClient(STSClient);
  const control = mockClient(S3ControlClient);
  const s3 = mockClient(S3Client);
  afterAll(() => [sts, control, s3].forEach((m) => m.restore()));

  test('account block on, baseline buckets on SSE-KMS, other buckets ignored', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
    control.on(GetPublicAccessBlockCommand).resolves({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    });
    s3.on(ListBucketsCommand).resolves({
      Buckets: [{ Name: 'audit' }, { Name: 'access-logs' }, { Name: 'someone-elses' }],
    });
    // General answer first, then the specific one (aws-sdk-client-mock lets the later, narrower one win).
    s3.on(GetBucketTaggingCommand).resolves({
      TagSet: [{ Key: 'security-baseline:environment', Value: 'prod' }],
    });
    s3.on(GetBucketTaggingCommand, { Bucket: 'someone-elses' }).rejects(
      Object.assign(new Error('no tags'), { name: 'NoSuchTagSet' }),
    );
    s3.on(GetBucketEncryptionCommand, { Bucket: 'audit' }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:key' } },
        ],
      },
    });
    s3.on(GetBucketEncryptionCommand, { Bucket: 'access-logs' }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    expect(statuses(await s3Check.run(context()))).toEqual([
      ['account 111122223333', 'COMPLIANT', 'all four account-level public access blocks are on'],
      ['arn:aws:s3:::audit', 'COMPLIANT', 'SSE-KMS with arn:key'],
      [
        'arn:aws:s3:::access-logs',
        'NON_COMPLIANT',
        'default encryption is AES256, not SSE-KMS (expected only for the access-log bucket)',
      ],
    ]);
  });

  test('a missing or partial account block is non-compliant', async () => {
    s3.on(ListBucketsCommand).resolves({ Buckets: [] });
    control
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true } });
    expect(statuses(await s3Check.run(context()))).toEqual([
      ['account 111122223333', 'NON_COMPLIANT', 'off: BlockPublicPolicy, RestrictPublicBuckets'],
    ]);
    control
      .on(GetPublicAccessBlockCommand)
      .rejects(Object.assign(new Error('none'), { name: 'NoSuchPublicAccessBlockConfiguration' }));
    expect(statuses(await s3Check.run(context()))).toEqual([
      ['account', 'NON_COMPLIANT', 'no account-level public access block is configured'],
    ]);
  });
});

describe('waf check (NET-03)', () => {
  const waf = mockClient(WAFV2Client);
  afterAll(() => waf.restore());

  test('web ACLs need a blocking rate-based rule; pages are followed', async () => {
    waf
      .on(ListWebACLsCommand, { Scope: 'REGIONAL', NextMarker: undefined, Limit: 100 })
      .resolves({ WebACLs: [{ Name: 'a', Id: '1', ARN: 'arn:a' }], NextMarker: 'm2' });
    waf
      .on(ListWebACLsCommand, { Scope: 'REGIONAL', NextMarker: 'm2', Limit: 100 })
      .resolves({ WebACLs: [{ Name: 'b', Id: '2', ARN: 'arn:b' }] });
    const visibility = { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: 'm' };
    waf.on(GetWebACLCommand, { Scope: 'REGIONAL', Id: '1', Name: 'a' }).resolves({
      WebACL: {
        Name: 'a',
        Id: '1',
        ARN: 'arn:a',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility,
        Rules: [
          {
            Name: 'rate',
            Priority: 0,
            Action: { Block: {} },
            Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
            VisibilityConfig: visibility,
          },
        ],
      },
    });
    waf.on(GetWebACLCommand, { Scope: 'REGIONAL', Id: '2', Name: 'b' }).resolves({
      WebACL: {
        Name: 'b',
        Id: '2',
        ARN: 'arn:b',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility,
        Rules: [
          {
            Name: 'rate',
            Priority: 0,
            Action: { Count: {} },
            Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } },
            VisibilityConfig: visibility,
          },
        ],
      },
    });
    expect(statuses(await wafCheck.run(context()))).toEqual([
      ['arn:a', 'COMPLIANT', 'rule "rate" blocks above 1000 requests per window'],
      ['arn:b', 'NON_COMPLIANT', 'no rate-based rule with a Block action'],
    ]);
  });
});

test('the audit needs only read-only List/Describe/Get permissions', () => {
  expect(AUDIT_PERMISSIONS.length).toBeGreaterThan(10);
  for (const action of AUDIT_PERMISSIONS) expect(action).toMatch(/^[a-z0-9]+:(List|Describe|Get)[A-Za-z]+$/);
});
