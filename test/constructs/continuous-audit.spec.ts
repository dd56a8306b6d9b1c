import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { recordedControls } from '../../lib/compliance/controls';
import { AuditorRole } from '../../lib/constructs/auditor-role';
import { ContinuousAudit } from '../../lib/constructs/continuous-audit';
import { startFakeKms } from '../audit/fake-kms-server';
import { testApp, testStack } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

/** A local SNS endpoint (AWS query protocol) that records the Publish requests it answers. */
async function startFakeSns(): Promise<{
  url: string;
  published: URLSearchParams[];
  close(): Promise<void>;
}> {
  const published: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      if (params.get('Action') !== 'Publish') {
        res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse/>');
        return;
      }
      published.push(params);
      res
        .writeHead(200, { 'content-type': 'text/xml' })
        .end(
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
            '<MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId>' +
            '</ResponseMetadata></PublishResponse>',
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    published,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('ContinuousAudit', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'continuous-'));
  const app = testApp({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const stack = new Stack(app, 'Audit');
  const auditor = new AuditorRole(stack, 'Auditor');
  const audit = new ContinuousAudit(stack, 'Continuous', {
    auditPolicy: auditor.policy,
    alertEmails: ['security@example.com'],
    regions: ['eu-west-1', 'us-east-1'],
  });
  const template = Template.fromStack(stack);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('runs the audit code, bundled locally with esbuild, on the latest Node.js runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: {
          AUDIT_REGIONS: 'eu-west-1,us-east-1',
          AUDIT_MAX_ROTATION_DAYS: '90',
          ALERT_TOPIC_ARN: Match.anyValue(),
        },
      },
      KmsKeyArn: Match.anyValue(),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const assetDir = fs.readdirSync(outdir).find((d) => d.startsWith('asset.'))!;
    const bundle = fs.readFileSync(path.join(outdir, assetDir, 'index.js'), 'utf8');
    expect(bundle).toContain('baseline-audit found problems');
    expect(bundle).not.toMatch(/node_modules\/@aws-sdk\/client-kms/); // the runtime provides SDK v3
  });

  // The function's code asset, as the template names it: one index.js (the handler is index.handler).
  function bundleFile(): string {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    const dir = path.join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    expect(fs.readdirSync(dir)).toEqual(['index.js']);
    return path.join(dir, 'index.js');
  }

  test('the asset is a bundle of lib/audit/lambda.ts that leaves the AWS SDK v3 to the Lambda runtime', () => {
    const bundle = fs.readFileSync(bundleFile(), 'utf8');
    // Everything the code imports is inlined except the SDK clients: those stay `require` calls.
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required).toEqual(expect.arrayContaining(['@aws-sdk/client-sns', '@aws-sdk/client-kms']));
    expect(required.filter((m) => !m.startsWith('@aws-sdk/'))).toEqual([]);
    // No SDK client code in it: the clients' own endpoint rules would name their FIPS hosts.
    expect(bundle).not.toMatch(/sns-fips|kms-fips/);
    // Our own modules are in it (the alert text), minified: internal names such as runAudit are gone,
    // the handler module's exports stay.
    expect(bundle).toContain('baseline-audit found problems');
    expect(bundle).not.toMatch(/runAudit|timeoutClientConfig/);
    expect(bundle).toMatch(/\bhandler\b/);
    expect(bundle).toMatch(/\balertMessage\b/);
  });

  test('the bundled handler runs on the real SDK v3: it audits KMS and publishes the problem to SNS', async () => {
    const file = bundleFile();
    const run = (env: NodeJS.ProcessEnv) =>
      promisify(execFile)(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(file)}).handler({ account: '111122223333' }).then((s) => console.error('SUMMARY ' + JSON.stringify(s)))`,
        ],
        { env, timeout: 60_000 },
      );
    const base = {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'test',
      AUDIT_CHECKS: 'kms',
      ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
    };
    // Without the runtime's SDK the bundle cannot load: the clients are not in it.
    await expect(run(base)).rejects.toThrow(/Cannot find module '@aws-sdk\/client-/);

    const kms = await startFakeKms({
      keys: [
        { id: 'a', rotationEnabled: true, rotationPeriodInDays: 90 },
        { id: 'b', rotationEnabled: true, rotationPeriodInDays: 365 },
      ],
    });
    const sns = await startFakeSns();
    try {
      const { stderr } = await run({
        ...base,
        // The SDK the Lambda runtime provides, here this repository's.
        NODE_PATH: path.join(ROOT, 'node_modules'),
        AWS_ENDPOINT_URL_KMS: kms.url,
        AWS_ENDPOINT_URL_SNS: sns.url,
      });
      expect(JSON.parse(/SUMMARY (.*)/.exec(stderr)![1])).toEqual({
        COMPLIANT: 3,
        NON_COMPLIANT: 1,
        NOT_APPLICABLE: 0,
        NOT_CHECKED: 0,
      });
      expect(sns.published).toHaveLength(1);
      expect(sns.published[0].get('TopicArn')).toBe('arn:aws:sns:eu-west-1:111122223333:alerts');
      expect(sns.published[0].get('Subject')).toBe(
        '[baseline-audit] 1 non-compliant, 0 not checked in 111122223333',
      );
      expect(sns.published[0].get('Message')).toContain(
        '- NON_COMPLIANT ENC-02 kms eu-west-1 arn:aws:kms:eu-west-1:111122223333:key/b: rotates every 365 days',
      );
    } finally {
      await Promise.all([kms.close(), sns.close()]);
    }
  }, 90_000);

  test('runs daily and alarms when a run fails', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertTopic') }],
    });
  });

  test('alerts go to a KMS-encrypted, TLS-only topic with the e-mail subscribers', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
    });
  });

  test('uses the auditor permissions plus its own, all in managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const role = Object.values(template.findResources('AWS::IAM::Role')).find(
      (r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'lambda.amazonaws.com',
    )!;
    expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish' }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
        ]),
      },
    });
  });

  test('its log group is encrypted, kept a year and retained; its key rotates every 90 days', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: '/security-baseline/continuous-audit/Audit',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 365,
      },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/security-baseline/Audit/alerts' });
    expect(audit.encryptionKey).toBeDefined();
  });

  test('records CMP-05', () => {
    expect(recordedControls(stack).get(audit.node.path)).toEqual(['CMP-05', 'ENC-01', 'LOG-04']);
  });

  test('rejects bad props, all at once', () => {
    const policy = new iam.ManagedPolicy(testStack(), 'P', {
      statements: [new iam.PolicyStatement({ actions: ['kms:ListKeys'], resources: ['*'] })],
    });
    expect(
      () =>
        new ContinuousAudit(testStack(), 'C', {
          auditPolicy: policy,
          maxRotationDays: 30,
          alertEmails: ['nope'],
          regions: ['Mars'],
        }),
    ).toThrow(
      /ContinuousAudit at 'Test\/C': 3 invalid prop\(s\):\n {2}- maxRotationDays: got 30; .*\n {2}- alertEmails\[0\]: got "nope"; an e-mail address\n {2}- regions\[0\]: got "Mars"; an AWS region name/,
    );
  });
});
