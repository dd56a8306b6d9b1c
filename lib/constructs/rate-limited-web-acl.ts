import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { encryptedLogGroup, logGroupArnOf } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';

/** Where the web ACL is used. */
export enum WebAclScope {
  /** ALB, API Gateway REST stage, AppSync, Cognito user pool (in the stack's region). */
  REGIONAL = 'REGIONAL',
  /** CloudFront distributions; the stack must be in us-east-1. */
  CLOUDFRONT = 'CLOUDFRONT',
}

/** A stricter rate limit for requests whose path starts with `pathPrefix` (e.g. `/login`). */
export interface PathRateLimit {
  readonly pathPrefix: string;
  /** Requests per client IP per evaluation window. */
  readonly limit: number;
}

/** The AWS managed rule groups NET-04 requires, by the names the construct uses. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

export const EVALUATION_WINDOWS = [60, 120, 300, 600];

export interface RateLimitedWebAclProps {
  /** @default WebAclScope.REGIONAL */
  readonly scope?: WebAclScope;

  /**
   * Requests per client IP per evaluation window before the IP is blocked (NET-03), at least 10.
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * Evaluation window in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  readonly evaluationWindowSeconds?: number;

  /** Stricter limits for sensitive paths. @default - none */
  readonly pathRateLimits?: PathRateLimit[];

  /**
   * Rules of the managed groups to run in count mode (to tune false positives), as
   * `<group name>/<rule name>`, e.g. `AWSManagedRulesCommonRuleSet/SizeRestrictions_BODY`.
   * @default - every rule blocks
   */
  readonly countOnlyRules?: string[];

  /**
   * Create an IP set whose addresses are always blocked (incident response adds to it).
   * @default true
   */
  readonly blockedIpSet?: boolean;

  /**
   * Key for the WAF log group (NET-05).
   * @default - a new BaselineKey, alias `security-baseline/<stack>/waf-logs-<id>`
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * Retention of the WAF logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A WAFv2 web ACL (NET-03, NET-04, NET-05): a rate-based rule per client IP (plus stricter per-path
 * limits), the AWS managed rule groups for common exploits, known bad inputs, SQL injection and IP
 * reputation (with per-rule count overrides), an optional blocked-IP set, CloudWatch metrics for
 * every rule, and logging to a KMS-encrypted `aws-waf-logs-*` log group with the `authorization`
 * and `cookie` headers redacted. `associate(arn)` attaches it to an ALB, API Gateway stage, AppSync
 * API or Cognito user pool.
 */
export class RateLimitedWebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly blockedIps?: wafv2.CfnIPSet;
  public readonly logGroup: logs.LogGroup;
  private associations = 0;

  constructor(scope: Construct, id: string, props: RateLimitedWebAclProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const aclScope = props.scope ?? WebAclScope.REGIONAL;
    const limit = props.rateLimit ?? 1000;
    const window = props.evaluationWindowSeconds ?? 300;
    const paths = props.pathRateLimits ?? [];
    const counts = props.countOnlyRules ?? [];

    const errors = new PropErrors('RateLimitedWebAcl', childPath(scope.node.path, id));
    if (!Object.values(WebAclScope).includes(aclScope))
      errors.add('scope', aclScope, 'REGIONAL or CLOUDFRONT');
    if (
      aclScope === WebAclScope.CLOUDFRONT &&
      !Token.isUnresolved(stack.region) &&
      stack.region !== 'us-east-1'
    ) {
      errors.add(
        'scope',
        aclScope,
        `CLOUDFRONT web ACLs must be created in us-east-1; this stack is in ${stack.region}`,
      );
    }
    if (aclScope === WebAclScope.CLOUDFRONT && Token.isUnresolved(stack.region)) {
      errors.add(
        'scope',
        aclScope,
        'CLOUDFRONT web ACLs must be created in us-east-1: give the stack env.region "us-east-1"',
      );
    }
    const checkLimit = (path: string, value: number) => {
      if (!Number.isInteger(value) || value < 10 || value > 2_000_000_000)
        errors.add(path, value, 'a whole number of requests, at least 10 (WAF minimum)');
    };
    checkLimit('rateLimit', limit);
    if (!EVALUATION_WINDOWS.includes(window))
      errors.add('evaluationWindowSeconds', window, `one of ${EVALUATION_WINDOWS.join(', ')} seconds`);
    paths.forEach((p, i) => {
      if (!/^\/[\w\-./~%]*$/.test(p.pathPrefix))
        errors.add(`pathRateLimits[${i}].pathPrefix`, p.pathPrefix, 'a URI path starting with "/"');
      checkLimit(`pathRateLimits[${i}].limit`, p.limit);
      if (p.limit > limit)
        errors.add(
          `pathRateLimits[${i}].limit`,
          p.limit,
          `no more than the overall rateLimit (${limit}): a path limit is stricter`,
        );
    });
    counts.forEach((r, i) => {
      const [group, rule] = r.split('/');
      if (!(MANAGED_RULE_GROUPS as readonly string[]).includes(group) || !rule) {
        errors.add(
          `countOnlyRules[${i}]`,
          r,
          `"<group>/<rule>" with a group of ${MANAGED_RULE_GROUPS.join(', ')}`,
        );
      }
    });
    errors.throwIfAny();

    const metric = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    let priority = 0;
    if (props.blockedIpSet ?? true) {
      this.blockedIps = new wafv2.CfnIPSet(this, 'BlockedIps', {
        scope: aclScope,
        ipAddressVersion: 'IPV4',
        addresses: [],
        description: 'Addresses blocked by incident response, ALR-03',
      });
      rules.push({
        name: 'blocked-ips',
        priority: priority++,
        action: { block: {} },
        statement: { ipSetReferenceStatement: { arn: this.blockedIps.attrArn } },
        visibilityConfig: metric('blocked-ips'),
      });
    }
    paths.forEach((p, i) => {
      rules.push({
        name: `rate-limit-path-${i}`,
        priority: priority++,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: p.limit,
            evaluationWindowSec: window,
            aggregateKeyType: 'IP',
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: p.pathPrefix,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: metric(`rate-limit-path-${i}`),
      });
    });
    rules.push({
      name: 'rate-limit-per-ip',
      priority: priority++,
      action: { block: {} },
      statement: { rateBasedStatement: { limit, evaluationWindowSec: window, aggregateKeyType: 'IP' } },
      visibilityConfig: metric('rate-limit-per-ip'),
    });
    for (const group of MANAGED_RULE_GROUPS) {
      const overrides = counts
        .filter((r) => r.startsWith(`${group}/`))
        .map((r) => ({ name: r.split('/')[1], actionToUse: { count: {} } }));
      rules.push({
        name: group,
        priority: priority++,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group,
            ...(overrides.length ? { ruleActionOverrides: overrides } : {}),
          },
        },
        visibilityConfig: metric(group),
      });
    }

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: aclScope,
      defaultAction: { allow: {} },
      description: 'cdk-security-baseline: rate limiting and managed protections, NET-03 and NET-04',
      visibilityConfig: metric(`${id}-web-acl`),
      rules,
    });

    // NET-05: WAF logs to an encrypted log group whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${stack.stackName}-${id}`.slice(0, 512);
    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'LogKey', {
        alias: `security-baseline/${stack.stackName}/waf-logs-${id}`,
        description: 'cdk-security-baseline: encrypts WAF logs',
      });
    this.logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: key,
      retention: props.logRetention,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF expects the log group ARN without the trailing ":*" that Fn::GetAtt Arn returns.
      logDestinationConfigs: [logGroupArnOf(this, logGroupName)],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(this.logGroup);
    recordControls(this, 'NET-03', 'NET-04', 'NET-05');
  }

  /** Protect an API Gateway REST API stage (`api.deploymentStage`). */
  public associateStage(stage: apigw.IStage): wafv2.CfnWebACLAssociation {
    // The stage's ARN as apigw.Stage#stageArn renders it (IStage does not carry it).
    const stageArn = Stack.of(stage).formatArn({
      arnFormat: ArnFormat.SLASH_RESOURCE_SLASH_RESOURCE_NAME,
      service: 'apigateway',
      account: '',
      resource: 'restapis',
      resourceName: `${stage.restApi.restApiId}/stages/${stage.stageName}`,
    });
    return this.associateArn(stageArn);
  }

  /** Protect an Application Load Balancer. */
  public associateLoadBalancer(loadBalancer: elbv2.IApplicationLoadBalancer): wafv2.CfnWebACLAssociation {
    return this.associateArn(loadBalancer.loadBalancerArn);
  }

  /** Protect a Cognito user pool (its hosted sign-in and token endpoints). */
  public associateUserPool(userPool: cognito.IUserPool): wafv2.CfnWebACLAssociation {
    return this.associateArn(userPool.userPoolArn);
  }

  /**
   * Protect a regional resource (ALB, API Gateway stage, AppSync API, Cognito user pool, App Runner
   * service, Verified Access instance) by its ARN, where only the ARN is at hand.
   */
  public associateArn(resourceArn: string): wafv2.CfnWebACLAssociation {
    if (this.webAcl.scope === WebAclScope.CLOUDFRONT) {
      throw new Error(
        `RateLimitedWebAcl at '${this.node.path}': associateArn(${resourceArn}): CLOUDFRONT web ACLs are set on the distribution (webAclId), not associated`,
      );
    }
    return new wafv2.CfnWebACLAssociation(this, `Association${this.associations++}`, {
      resourceArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /**
   * Protect a regional resource by its ARN.
   * @deprecated use associateStage, associateLoadBalancer, associateUserPool or associateArn
   */
  public associate(resourceArn: string): wafv2.CfnWebACLAssociation {
    return this.associateArn(resourceArn);
  }
}
