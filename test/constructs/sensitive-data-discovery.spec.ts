import * as macieSdk from '@aws-sdk/client-macie2';
import {
  CreateClassificationJobCommand,
  Macie2Client,
  UpdateClassificationJobCommand,
} from '@aws-sdk/client-macie2';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EventEmitter } from 'node:events';
import { recordedControls } from '../../lib/compliance/controls';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import {
  DiscoveryFrequency,
  MACIE_EXPOSURE_FINDING_TYPES,
  MACIE_JOB_HANDLER,
  SensitiveDataDiscovery,
} from '../../lib/constructs/sensitive-data-discovery';
import { IncidentClass } from '../../lib/constructs/severity';
import { resourcesOf, testStack } from '../helpers';

/** EventBridge matching for what these patterns use: exact values, `anything-but` lists, nesting. */
function matches(pattern: Record<string, any>, event: any): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event?.[key];
    if (!Array.isArray(rule)) return matches(rule, value);
    return rule.some((r) =>
      r !== null && typeof r === 'object' && 'anything-but' in r
        ? value !== undefined && !(r['anything-but'] as unknown[]).includes(value)
        : r === value,
    );
  });
}

const finding = (type: string, severity: string) => ({
  source: 'aws.macie',
  'detail-type': 'Macie Finding',
  detail: { type, severity: { description: severity, score: { Low: 1, Medium: 2, High: 3 }[severity] } },
});

describe('SensitiveDataDiscovery (DATA-06)', () => {
  const stack = testStack();
  const data = new SecureBucket(stack, 'Data');
  const alerts = new SecurityAlerts(stack, 'Alerts');
  const discovery = new SensitiveDataDiscovery(stack, 'Macie', { buckets: [data.bucket], alerts });
  const template = Template.fromStack(stack);
  const rules = resourcesOf(template, 'AWS::Events::Rule').filter(([id]) => id.startsWith('Macie'));
  const topicOf = (c: IncidentClass) => ({
    Ref: stack.getLogicalId(alerts.topic(c).node.defaultChild as any),
  });

  test('keeps the Macie session (and its findings) when the stack is deleted or the resource replaced', () => {
    template.hasResource('AWS::Macie::Session', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('enables Macie, publishing finding updates every 15 minutes', () => {
    template.hasResourceProperties('AWS::Macie::Session', {
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    });
  });

  test('creates a weekly job over the sensitive buckets, after the session exists', () => {
    const [[, job]] = resourcesOf(template, 'Custom::MacieClassificationJob');
    expect(job.Properties).toMatchObject({
      Name: 'security-baseline-weekly',
      Frequency: 'WEEKLY',
      AccountId: { Ref: 'AWS::AccountId' },
      Buckets: [{ Ref: stack.getLogicalId(data.bucket.node.defaultChild as s3.CfnBucket) }],
    });
    const [[sessionId]] = resourcesOf(template, 'AWS::Macie::Session');
    expect(job.DependsOn).toContain(sessionId);
  });

  test("lets only Macie's service-linked role, reading through S3, decrypt the bucket's objects", () => {
    const keyId = stack.getLogicalId(data.encryptionKey.node.defaultChild as any);
    const key = template.toJSON().Resources[keyId];
    const statement = key.Properties.KeyPolicy.Statement.find(
      (s: any) => s.Sid === 'AllowMacieToReadObjectsThroughS3',
    );
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'kms:Decrypt', Principal: { AWS: '*' } });
    expect(JSON.stringify(statement.Condition.StringEquals['aws:PrincipalArn'])).toContain(
      ':role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie',
    );
    expect(statement.Condition.StringEquals['kms:ViaService']).toEqual({
      'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
    });
  });

  test('the job function may only create and cancel classification jobs and write its own log group', () => {
    const policies = resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(([id]) =>
      id.startsWith('Macie'),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0][1].Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['macie2:CreateClassificationJob', 'macie2:UpdateClassificationJob'],
    ]);
    expect(JSON.stringify(statements[1].Resource)).toContain(':classification-job/*');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
    });
  });

  test('every finding reaches exactly one class: exposure Critical, the rest by Macie severity', () => {
    expect(rules).toHaveLength(4);
    const classOf = (e: unknown) =>
      rules
        .filter(([, r]) => matches(r.Properties.EventPattern, e))
        .map(([, r]) => r.Properties.Targets[0].Arn);
    for (const type of MACIE_EXPOSURE_FINDING_TYPES)
      for (const sev of ['Low', 'Medium', 'High'])
        expect([type, sev, classOf(finding(type, sev))]).toEqual([
          type,
          sev,
          [topicOf(IncidentClass.CRITICAL)],
        ]);
    const expected: Record<string, IncidentClass> = {
      High: IncidentClass.HIGH,
      Medium: IncidentClass.MEDIUM,
      Low: IncidentClass.LOW,
    };
    for (const type of ['SensitiveData:S3Object/Personal', 'Policy:IAMUser/S3BucketEncryptionDisabled'])
      for (const [sev, c] of Object.entries(expected))
        expect([type, sev, classOf(finding(type, sev))]).toEqual([type, sev, [topicOf(c)]]);
    expect(
      classOf({ ...finding('SensitiveData:S3Object/Personal', 'High'), source: 'aws.guardduty' }),
    ).toEqual([]);
  });

  test('messages say class, finding type, bucket, object and link to the console', () => {
    const text = JSON.stringify(rules.map(([, r]) => r.Properties.Targets[0].InputTransformer.InputTemplate));
    for (const part of [
      '[CRITICAL] Macie finding: <detail-type>',
      '[LOW] Macie finding',
      'Bucket: <detail-resourcesAffected-s3Bucket-name>, object: <detail-resourcesAffected-s3Object-key>',
      'https://console.aws.amazon.com/macie/home?region=<region>',
    ])
      expect(text).toContain(part);
  });

  test('records DATA-06 (and ALR-01/02 with alerts)', () => {
    expect(recordedControls(discovery).get('Test/Macie')).toEqual(['ALR-01', 'ALR-02', 'DATA-06']);
  });

  test('adopts an existing session; other frequency; no alert rules without alerts', () => {
    const s = testStack();
    const b = new SecureBucket(s, 'B');
    new SensitiveDataDiscovery(s, 'Macie', {
      buckets: [b.bucket],
      adoptExistingSession: true,
      frequency: DiscoveryFrequency.DAILY,
    });
    const t = Template.fromStack(s);
    expect(resourcesOf(t, 'AWS::Macie::Session')).toHaveLength(0);
    t.hasResourceProperties('Custom::MacieClassificationJob', { Frequency: 'DAILY' });
    expect(resourcesOf(t, 'AWS::Events::Rule').filter(([id]) => id.startsWith('Macie'))).toHaveLength(0);
  });

  test('rejects every bad prop at once', () => {
    expect(
      () =>
        new SensitiveDataDiscovery(testStack(), 'M', {
          buckets: [],
          frequency: 'HOURLY' as DiscoveryFrequency,
        }),
    ).toThrow(
      [
        "SensitiveDataDiscovery at 'Test/M': 2 invalid prop(s):",
        '  - buckets: got 0; name 1..1000 buckets marked sensitive',
        '  - frequency: got "HOURLY"; one of DAILY, WEEKLY, MONTHLY',
      ].join('\n'),
    );
  });
});

describe('the Macie job handler (inline custom resource code)', () => {
  const macie = mockClient(Macie2Client);
  // The specs of this folder share one process (test/specs.ts): give Macie2Client back its real send.
  afterAll(() => macie.restore());
  let responses: { url: string; body: any }[] = [];

  /** Load the inline code with the real SDK module (mocked) and an https that records responses. */
  function load(): (event: unknown) => Promise<void> {
    const https = {
      request: (options: any, onResponse: (res: EventEmitter & { resume(): void }) => void) => {
        const req = new EventEmitter() as EventEmitter & { end(body: string): void };
        req.end = (body: string) => {
          responses.push({ url: `https://${options.hostname}${options.path}`, body: JSON.parse(body) });
          const res = Object.assign(new EventEmitter(), { resume: () => undefined });
          onResponse(res);
          res.emit('end');
        };
        return req;
      },
    };
    const module = { exports: {} as { handler?: (e: unknown) => Promise<void> } };
    const load = new Function('exports', 'require', MACIE_JOB_HANDLER);
    load(module.exports, (name: string) =>
      name === 'https' ? https : name === '@aws-sdk/client-macie2' ? macieSdk : undefined,
    );
    return module.exports.handler!;
  }

  const event = (requestType: string, extra: Record<string, unknown> = {}) => ({
    RequestType: requestType,
    RequestId: 'a1b2c3d4-0000-0000-0000-000000000000',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/path?sig=1',
    StackId: 'stack',
    LogicalResourceId: 'Job',
    ResourceProperties: {
      Name: 'security-baseline-weekly',
      AccountId: '111111111111',
      Buckets: ['data'],
      Frequency: 'WEEKLY',
    },
    ...extra,
  });

  beforeEach(() => {
    macie.reset();
    responses = [];
  });

  test('Create makes a scheduled job over the buckets and answers SUCCESS with the job ID as physical ID', async () => {
    macie.on(CreateClassificationJobCommand).resolves({ jobId: 'job123', jobArn: 'arn:job123' });
    await load()(event('Create'));
    const input = macie.commandCalls(CreateClassificationJobCommand)[0].args[0].input;
    expect(input).toMatchObject({
      clientToken: 'a1b2c3d4-0000-0000-0000-000000000000',
      name: 'security-baseline-weekly-a1b2c3d4',
      jobType: 'SCHEDULED',
      scheduleFrequency: { weeklySchedule: { dayOfWeek: 'SUNDAY' } },
      managedDataIdentifierSelector: 'RECOMMENDED',
      s3JobDefinition: { bucketDefinitions: [{ accountId: '111111111111', buckets: ['data'] }] },
    });
    expect(responses).toEqual([
      {
        url: 'https://cloudformation-custom-resource-response.example/path?sig=1',
        body: expect.objectContaining({
          Status: 'SUCCESS',
          PhysicalResourceId: 'job123',
          Data: { JobId: 'job123', JobArn: 'arn:job123' },
        }),
      },
    ]);
  });

  test('Update creates the new job (a new physical ID, so CloudFormation then deletes the old one)', async () => {
    macie.on(CreateClassificationJobCommand).resolves({ jobId: 'job456' });
    await load()(event('Update', { PhysicalResourceId: 'job123' }));
    expect(responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'job456' });
  });

  test('Delete cancels the job; a job already gone is not an error', async () => {
    macie.on(UpdateClassificationJobCommand).resolves({});
    await load()(event('Delete', { PhysicalResourceId: 'job123' }));
    expect(macie.commandCalls(UpdateClassificationJobCommand)[0].args[0].input).toEqual({
      jobId: 'job123',
      jobStatus: 'CANCELLED',
    });
    expect(responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'job123' });

    macie.reset();
    responses = [];
    macie
      .on(UpdateClassificationJobCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    await load()(event('Delete', { PhysicalResourceId: 'job123' }));
    expect(responses[0].body.Status).toBe('SUCCESS');
  });

  test('a failed Create answers FAILED with the reason, and its Delete calls nothing', async () => {
    macie
      .on(CreateClassificationJobCommand)
      .rejects(Object.assign(new Error('Macie is not enabled'), { name: 'AccessDeniedException' }));
    await load()(event('Create'));
    expect(responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'Macie is not enabled',
      PhysicalResourceId: 'failed-a1b2c3d4-0000-0000-0000-000000000000',
    });
    responses = [];
    await load()(event('Delete', { PhysicalResourceId: 'failed-a1b2c3d4-0000-0000-0000-000000000000' }));
    expect(macie.commandCalls(UpdateClassificationJobCommand)).toHaveLength(0);
    expect(responses[0].body.Status).toBe('SUCCESS');
  });

  test('any other error cancelling a job fails the Delete, so it is not silently left running', async () => {
    macie
      .on(UpdateClassificationJobCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await load()(event('Delete', { PhysicalResourceId: 'job123' }));
    expect(responses[0].body).toMatchObject({
      Status: 'FAILED',
      Reason: 'throttled',
      PhysicalResourceId: 'job123',
    });
  });

  test('fits the 4 KB limit of inline Lambda code', () => {
    expect(Buffer.byteLength(MACIE_JOB_HANDLER)).toBeLessThan(4096);
  });
});
