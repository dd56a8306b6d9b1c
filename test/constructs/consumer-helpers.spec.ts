import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineCompliance } from '../../lib/compliance/baseline-compliance';
import { EncryptedLogGroup } from '../../lib/constructs/encrypted-log-group';
import { HardenedFunction } from '../../lib/constructs/hardened-function';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { SecureRestApi } from '../../lib/constructs/secure-rest-api';
import { SecureVpc } from '../../lib/constructs/secure-vpc';
import { resourcesOf } from '../helpers';

// The typical consumer stack, written as a consumer would, in a bare App (no feature flags): a
// Lambda function behind an API Gateway REST API, a log group and a bucket the function reads.
// Not one acknowledgement in it. The whole gate must pass.
function consumerStack(app: App): Stack {
  const stack = new Stack(app, 'Orders');
  const network = new SecureVpc(stack, 'Network');
  const uploads = new SecureBucket(stack, 'Uploads');
  const fn = new HardenedFunction(stack, 'Handler', {
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });'),
    handler: 'index.handler',
    vpc: network.vpc,
    environment: { BUCKET: uploads.bucket.bucketName },
  });
  uploads.grantRead(fn);
  const api = new SecureRestApi(stack, 'Api', { description: 'Orders API' });
  api.api.root.addResource('orders').addMethod('GET', new apigw.LambdaIntegration(fn.function));
  new EncryptedLogGroup(stack, 'AuditEvents');
  return stack;
}

interface Report {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

describe('a consumer stack built from the helpers passes the whole gate with no acknowledgements of its own', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'helpers-'));
  const app = new App({ outdir });
  const stack = consumerStack(app);
  BaselineCompliance.enable(app);
  let error: unknown;
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (e) {
    error = e;
  } finally {
    spy.mockRestore();
  }
  const reportFile = path.join(outdir, 'validation-report.json');
  const report: Report = fs.existsSync(reportFile)
    ? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
    : { pluginReports: [] };
  const template = Template.fromStack(stack);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synth passes: no unacknowledged finding in any pack', () => {
    const violations = report.pluginReports
      .filter((r) => r.pluginName !== 'Construct Annotations')
      .flatMap((r) =>
        r.violations.map(
          (v) =>
            `${r.pluginName}: ${v.ruleName} on ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
        ),
      );
    expect(violations).toEqual([]);
    expect(error).toBeUndefined();
  });

  test('the function runs in the VPC with reserved concurrency, a dead-letter topic, encrypted env and tracing', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      ReservedConcurrentExecutions: 10,
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      KmsKeyArn: Match.anyValue(),
      TracingConfig: { Mode: 'Active' },
    });
  });

  test('no inline IAM policy anywhere: the grant went to a customer-managed policy', () => {
    expect(resourcesOf(template, 'AWS::IAM::Policy').map(([id]) => id)).toEqual([]);
    const policies = resourcesOf(template, 'AWS::IAM::ManagedPolicy').map(([, p]) => JSON.stringify(p));
    expect(policies.some((p) => p.includes('s3:GetObject'))).toBe(true);
  });

  test('every log group is encrypted and has a retention', () => {
    const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const [, g] of groups) {
      expect(g.Properties.KmsKeyId).toBeDefined();
      expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(g.DeletionPolicy).toBe('Retain');
    }
  });

  test('the stage has a web ACL, a client certificate, X-Ray and execution logs', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      ClientCertificateId: Match.anyValue(),
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([Match.objectLike({ LoggingLevel: 'ERROR' })]),
    });
  });
});

describe('helper props are validated, all problems at once', () => {
  test('HardenedFunction without a VPC and with zero concurrency', () => {
    const stack = new Stack(new App(), 'S');
    expect(
      () =>
        new HardenedFunction(stack, 'Fn', {
          code: lambda.Code.fromInline('x'),
          handler: 'index.handler',
          vpc: undefined as any,
          reservedConcurrentExecutions: 0,
        }),
    ).toThrow(
      /HardenedFunction at 'S\/Fn': 2 invalid prop\(s\):\n {2}- reservedConcurrentExecutions: got 0; .*\n {2}- vpc: got undefined; a VPC/,
    );
  });

  test('SecureRestApi throttling and cache TTL', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SecureRestApi(stack, 'Api', { throttlingRateLimit: 0, cacheTtlSeconds: 7200 })).toThrow(
      /SecureRestApi at 'S\/Api': 2 invalid prop\(s\):\n {2}- throttlingRateLimit: got 0; more than 0\n {2}- cacheTtlSeconds: got 7200; whole seconds, 0..3600/,
    );
  });

  test('EncryptedLogGroup with infinite retention', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new EncryptedLogGroup(stack, 'Logs', { retention: 9999 as any })).toThrow(
      /EncryptedLogGroup at 'S\/Logs': 1 invalid prop\(s\):\n {2}- retention: got "INFINITE"/,
    );
  });
});
