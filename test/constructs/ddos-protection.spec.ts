import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { recordedControls } from '../../lib/compliance/controls';
import { DdosProtection } from '../../lib/constructs/ddos-protection';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { IncidentClass } from '../../lib/constructs/severity';
import { synthWithGate, testStack } from './response-helpers';

const ALB = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/0123456789abcdef';
const CLOUDFRONT = 'arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE1';

describe('DdosProtection (NET-06)', () => {
  const stack = testStack('Edge');
  const topic = new sns.Topic(stack, 'High');
  new DdosProtection(stack, 'Ddos', {
    resources: [
      { name: 'public-alb', resourceArn: ALB },
      { name: 'cdn', resourceArn: CLOUDFRONT },
    ],
    alertTopic: topic,
  });
  const template = Template.fromStack(stack);

  test('one Shield Advanced protection per resource, and never a subscription', () => {
    template.resourceCountIs('AWS::Shield::Protection', 2);
    template.hasResourceProperties('AWS::Shield::Protection', { Name: 'Edge-public-alb', ResourceArn: ALB });
    template.hasResourceProperties('AWS::Shield::Protection', { Name: 'Edge-cdn', ResourceArn: CLOUDFRONT });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Subscription|CreateSubscription/);
  });

  test('a detected attack on each resource alarms to the topic', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/DDoSProtection',
      MetricName: 'DDoSDetected',
      Dimensions: [{ Name: 'ResourceArn', Value: ALB }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }],
    });
  });

  test('records NET-06', () => {
    expect(recordedControls(stack).get('Edge/Ddos')).toEqual(['NET-06']);
  });

  test('no alarms without a topic', () => {
    const s = testStack();
    new DdosProtection(s, 'D', {
      resources: [
        { name: 'ip', resourceArn: 'arn:aws:ec2:eu-west-1:111122223333:eip-allocation/eipalloc-0abc' },
      ],
    });
    Template.fromStack(s).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(s).resourceCountIs('AWS::Shield::Protection', 1);
  });

  test('rejects what Shield cannot protect, all at once, with the value received', () => {
    const s = testStack();
    expect(
      () =>
        new DdosProtection(s, 'Bad', {
          resources: [
            { name: 'api', resourceArn: 'arn:aws:apigateway:eu-west-1::/restapis/abc/stages/v1' },
            { name: 'api', resourceArn: 'arn:aws:s3:::bucket' },
            { name: 'bad/name', resourceArn: ALB },
          ],
        }),
    ).toThrow(
      new RegExp(
        [
          "DdosProtection at 'Test/Bad': 4 invalid prop\\(s\\)",
          'resources\\[0\\].resourceArn: got "arn:aws:apigateway:[^"]*"; Shield Advanced does not protect API Gateway',
          'resources\\[1\\].name: got "api"; a name used once',
          'resources\\[1\\].resourceArn: got "arn:aws:s3:::bucket"; the ARN of a CloudFront distribution',
          'resources\\[2\\].name: got "bad/name"',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(() => new DdosProtection(testStack(), 'Empty', { resources: [] })).toThrow(/resources: got \[\]/);
  });
});

test('the compliance gate passes an app with DdosProtection alarming to the High topic', () => {
  expect(
    synthWithGate((app) => {
      const stack = new Stack(app, 'Edge');
      const alerts = new SecurityAlerts(stack, 'Alerts');
      new DdosProtection(stack, 'Ddos', {
        resources: [{ name: 'public-alb', resourceArn: ALB }],
        alertTopic: alerts.topic(IncidentClass.HIGH),
      });
    }),
  ).toEqual({ threw: false, violations: [], problems: [] });
});
