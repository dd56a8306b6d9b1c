import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as shield from 'aws-cdk-lib/aws-shield';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { childPath, PropErrors } from './errors';

/**
 * The ARN shapes Shield Advanced can protect: CloudFront distributions, Route 53 hosted zones,
 * Global Accelerator accelerators, Application and Classic Load Balancers, and Elastic IPs.
 */
const PROTECTABLE: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'CloudFront distribution', pattern: /^arn:aws[\w-]*:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/ },
  { kind: 'Route 53 hosted zone', pattern: /^arn:aws[\w-]*:route53:::hostedzone\/[A-Z0-9]+$/ },
  {
    kind: 'Global Accelerator',
    pattern: /^arn:aws[\w-]*:globalaccelerator::\d{12}:accelerator\/[\w-]+$/,
  },
  {
    kind: 'Application or Classic Load Balancer',
    pattern:
      /^arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/(app\/)?[\w-]+(\/[0-9a-f]+)?$/,
  },
  { kind: 'Elastic IP', pattern: /^arn:aws[\w-]*:ec2:[a-z0-9-]+:\d{12}:eip-allocation\/eipalloc-[0-9a-f]+$/ },
];

/** A resource to protect. */
export interface ShieldProtectedResource {
  /** A name for the protection (letters, digits, spaces, `_` and `-`), e.g. `public-alb`. */
  readonly name: string;
  /**
   * The resource's ARN: a CloudFront distribution, Route 53 hosted zone, Global Accelerator,
   * Application or Classic Load Balancer, or Elastic IP allocation. API Gateway and AppSync are
   * not protectable directly: put them behind CloudFront and protect the distribution.
   */
  readonly resourceArn: string;
}

export interface DdosProtectionProps {
  /** The resources to protect (at least one). */
  readonly resources: ShieldProtectedResource[];

  /**
   * Topic a detected DDoS attack is announced on (the High class of SecurityAlerts: "suspicious
   * activities"), by an alarm per resource on Shield's `DDoSDetected` metric.
   * @default - no alarms
   */
  readonly alertTopic?: sns.ITopic;
}

/**
 * DDoS protection (NET-06, opt-in): an `AWS::Shield::Protection` for each given resource, and an
 * alarm per resource when Shield Advanced detects an attack on it.
 *
 * **The account must already subscribe to AWS Shield Advanced** (US$3,000 a month per organization,
 * one-year commitment, plus data transfer out fees): protections cannot be created without it, and
 * this construct never creates the subscription: that is a deliberate, contractual act outside any
 * stack. Without a subscription the deployment fails on the first protection. Shield Standard,
 * which every account has at no charge, needs no construct.
 */
export class DdosProtection extends Construct {
  /** The protections, in the order of `resources`. */
  public readonly protections: shield.CfnProtection[] = [];

  constructor(scope: Construct, id: string, props: DdosProtectionProps) {
    super(scope, id);
    const errors = new PropErrors('DdosProtection', childPath(scope.node.path, id));
    if (props.resources.length === 0) errors.add('resources', [], 'at least one resource to protect');
    const names = new Set<string>();
    props.resources.forEach((r, i) => {
      if (!/^[\w -]{1,128}$/.test(r.name))
        errors.add(`resources[${i}].name`, r.name, "1..128 letters, digits, spaces, '_' or '-'");
      if (names.has(r.name)) errors.add(`resources[${i}].name`, r.name, 'a name used once');
      names.add(r.name);
      if (Token.isUnresolved(r.resourceArn)) return;
      if (/^arn:aws[\w-]*:(apigateway|appsync):/.test(r.resourceArn))
        errors.add(
          `resources[${i}].resourceArn`,
          r.resourceArn,
          'Shield Advanced does not protect API Gateway or AppSync directly: put the API behind CloudFront and protect the distribution',
        );
      else if (!PROTECTABLE.some((p) => p.pattern.test(r.resourceArn)))
        errors.add(
          `resources[${i}].resourceArn`,
          r.resourceArn,
          `the ARN of a ${PROTECTABLE.map((p) => p.kind).join(', ')}`,
        );
    });
    errors.throwIfAny();

    const stack = Stack.of(this);
    props.resources.forEach((r, i) => {
      const protection = new shield.CfnProtection(this, `Protection${i}`, {
        name: `${stack.stackName}-${r.name}`.slice(0, 128),
        resourceArn: r.resourceArn,
      });
      this.protections.push(protection);
      if (props.alertTopic) {
        const alarm = new cloudwatch.Alarm(this, `Attack${i}`, {
          alarmDescription: `[HIGH] NET-06: Shield Advanced detected a DDoS attack on ${r.name} (${r.resourceArn})`,
          metric: new cloudwatch.Metric({
            namespace: 'AWS/DDoSProtection',
            metricName: 'DDoSDetected',
            dimensionsMap: { ResourceArn: r.resourceArn },
            statistic: cloudwatch.Stats.MAXIMUM,
            period: Duration.minutes(1),
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction({ bind: () => ({ alarmActionArn: props.alertTopic!.topicArn }) });
        alarm.node.addDependency(protection);
      }
    });
    recordControls(this, 'NET-06');
  }
}
