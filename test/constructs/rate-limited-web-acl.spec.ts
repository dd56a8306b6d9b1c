import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { recordedControls } from '../../lib/compliance/controls';
import {
  MANAGED_RULE_GROUPS,
  RateLimitedWebAcl,
  WebAclScope,
} from '../../lib/constructs/rate-limited-web-acl';
import { CDK_CONTEXT, testStack } from '../helpers';

describe('RateLimitedWebAcl', () => {
  const stack = testStack('Edge');
  const acl = new RateLimitedWebAcl(stack, 'Acl', {
    rateLimit: 500,
    evaluationWindowSeconds: 60,
    pathRateLimits: [{ pathPrefix: '/login', limit: 20 }],
    countOnlyRules: ['AWSManagedRulesCommonRuleSet/SizeRestrictions_BODY'],
  });
  acl.associate('arn:aws:apigateway:eu-west-1::/restapis/abc/stages/prod');
  const template = Template.fromStack(stack);
  const [webAcl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  const rules: any[] = webAcl.Properties.Rules;
  const rule = (name: string) => rules.find((r) => r.Name === name);

  test('blocks each client IP above the rate limit in the window (NET-03)', () => {
    expect(rule('rate-limit-per-ip')).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 500, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } },
    });
  });

  test('has a stricter limit for a sensitive path', () => {
    expect(rule('rate-limit-path-0').Statement.RateBasedStatement).toMatchObject({
      Limit: 20,
      ScopeDownStatement: {
        ByteMatchStatement: {
          SearchString: '/login',
          PositionalConstraint: 'STARTS_WITH',
          FieldToMatch: { UriPath: {} },
        },
      },
    });
  });

  test('runs the four AWS managed rule groups, with the count-mode overrides asked for (NET-04)', () => {
    for (const group of MANAGED_RULE_GROUPS) {
      expect(rule(group)).toMatchObject({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
      });
    }
    expect(
      rule('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides,
    ).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  test('blocks an incident-response IP set first, and every rule has CloudWatch metrics', () => {
    expect(rules[0]).toMatchObject({ Name: 'blocked-ips', Priority: 0, Action: { Block: {} } });
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Scope: 'REGIONAL', IPAddressVersion: 'IPV4' });
    for (const r of rules)
      expect(r.VisibilityConfig).toMatchObject({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
      });
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
  });

  test('logs to an encrypted aws-waf-logs-* group with authorization and cookie redacted (NET-05)', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { LogGroupName: 'aws-waf-logs-Edge-Acl', KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
  });

  test('associates with a regional resource', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/abc/stages/prod',
    });
    expect(recordedControls(stack).get(acl.node.path)).toEqual(['NET-03', 'NET-04', 'NET-05']);
  });
});

describe('RateLimitedWebAcl rejects bad props', () => {
  test('limits, windows, paths and overrides, all at once with the values received', () => {
    expect(
      () =>
        new RateLimitedWebAcl(testStack(), 'Acl', {
          rateLimit: 5,
          evaluationWindowSeconds: 90,
          pathRateLimits: [{ pathPrefix: 'login', limit: 50 }],
          countOnlyRules: ['SomeGroup/Rule'],
        }),
    ).toThrow(
      /RateLimitedWebAcl at 'Test\/Acl': 5 invalid prop\(s\):\n {2}- rateLimit: got 5; a whole number of requests, at least 10.*\n {2}- evaluationWindowSeconds: got 90; one of 60, 120, 300, 600 seconds\n {2}- pathRateLimits\[0\].pathPrefix: got "login"; a URI path starting with "\/"\n {2}- pathRateLimits\[0\].limit: got 50; no more than the overall rateLimit \(5\).*\n {2}- countOnlyRules\[0\]: got "SomeGroup\/Rule"/,
    );
  });

  test('CLOUDFRONT scope outside us-east-1, and associating a CLOUDFRONT ACL', () => {
    const app = new App({ context: CDK_CONTEXT });
    expect(
      () =>
        new RateLimitedWebAcl(new Stack(app, 'Eu', { env: { region: 'eu-west-1' } }), 'Acl', {
          scope: WebAclScope.CLOUDFRONT,
        }),
    ).toThrow(
      /scope: got "CLOUDFRONT"; CLOUDFRONT web ACLs must be created in us-east-1; this stack is in eu-west-1/,
    );
    const cf = new RateLimitedWebAcl(new Stack(app, 'Us', { env: { region: 'us-east-1' } }), 'Acl', {
      scope: WebAclScope.CLOUDFRONT,
    });
    expect(() => cf.associate('arn:x')).toThrow(/CLOUDFRONT web ACLs are set on the distribution/);
  });
});

describe('RateLimitedWebAcl associations take objects, with an ARN variant', () => {
  const stack = testStack();
  const acl = new RateLimitedWebAcl(stack, 'Edge');
  const api = new apigw.RestApi(stack, 'Api');
  api.root.addMethod('GET', new apigw.MockIntegration());
  const fromStage = acl.associateStage(api.deploymentStage);
  const fromArn = acl.associateArn(api.deploymentStage.stageArn);

  test('associateStage renders the same ARN as the stage', () => {
    expect(stack.resolve(fromStage.resourceArn)).toEqual(stack.resolve(fromArn.resourceArn));
  });
});
