import { Aspects, Duration, IAspect, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, Finding } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { EncryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { RateLimitedWebAcl } from './rate-limited-web-acl';

export interface SecureRestApiProps {
  /** @default - none */
  readonly description?: string;

  /**
   * The stage name.
   * @default 'v1'
   */
  readonly stageName?: string;

  /**
   * Stage throttling: steady requests per second.
   * @default 100
   */
  readonly throttlingRateLimit?: number;

  /**
   * Stage throttling: burst.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;

  /**
   * The web ACL in front of the stage (NET-03, NET-04, NET-05).
   * @default - a new RateLimitedWebAcl with its defaults
   */
  readonly webAcl?: RateLimitedWebAcl;

  /**
   * The key of the access-log group (ENC-01).
   * @default - a new BaselineKey for this API
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * Retention of the access logs (LOG-04).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Cache responses of every method in an encrypted stage cache (0.5 GB, billed per hour), for
   * `cacheTtl`. Only for responses that are the same for every caller: the cache key is the
   * request path and parameters, not the caller.
   * @default false - no cache; the construct acknowledges the cache finding with that reason
   */
  readonly cache?: boolean;

  /**
   * How long cached responses live, in seconds (0..3600), when `cache` is on.
   * @default 300
   */
  readonly cacheTtlSeconds?: number;
}

/**
 * An API Gateway REST API that passes the compliance gate as it is: regional, every method
 * IAM-authorized (SigV4) with request validation by default, stage throttling, access logs to a
 * KMS-encrypted log group with explicit retention, execution error logs, X-Ray tracing, a client
 * certificate for backends, and a RateLimitedWebAcl associated with the stage (NET-03..05).
 * Add resources and methods to `api` as usual: `api.root.addResource('orders').addMethod('GET',
 * new apigw.LambdaIntegration(fn.function))`.
 *
 * Choices it acknowledges itself, with their reasons: Cognito authorizers (AwsSolutions-COG4; IAM
 * authorization is used, and a method may still use a Cognito authorizer), the AWS-maintained
 * policy of the CloudWatch role API Gateway needs for its logs (AwsSolutions-IAM4), and, unless
 * `cache` is on, the stage cache (an authorized API's responses are per caller).
 */
export class SecureRestApi extends Construct {
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The web ACL associated with the stage. */
  public readonly webAcl: RateLimitedWebAcl;
  /** The access-log group. */
  public readonly accessLogs: logs.LogGroup;
  /** The client certificate API Gateway presents to HTTP backends. */
  public readonly clientCertificate: apigw.CfnClientCertificate;

  constructor(scope: Construct, id: string, props: SecureRestApiProps = {}) {
    super(scope, id);
    const errors = new PropErrors('SecureRestApi', childPath(scope.node.path, id));
    const rate = props.throttlingRateLimit ?? 100;
    const burst = props.throttlingBurstLimit ?? 200;
    const ttl = props.cacheTtlSeconds ?? 300;
    if (!Token.isUnresolved(rate) && !(rate > 0)) errors.add('throttlingRateLimit', rate, 'more than 0');
    if (!Token.isUnresolved(burst) && !(Number.isInteger(burst) && burst > 0))
      errors.add('throttlingBurstLimit', burst, 'a whole number of at least 1');
    if (!Token.isUnresolved(ttl) && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= 3600))
      errors.add('cacheTtlSeconds', ttl, 'whole seconds, 0..3600');
    errors.throwIfAny();

    const logGroup = new EncryptedLogGroup(this, 'AccessLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.accessLogRetention,
    });
    this.accessLogs = logGroup.logGroup;
    this.clientCertificate = new apigw.CfnClientCertificate(this, 'ClientCertificate', {
      description: `Client certificate of ${this.node.path}`,
    });
    const cache = props.cache ?? false;
    this.api = new apigw.RestApi(this, 'Resource', {
      description: props.description,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultMethodOptions: {
        authorizationType: apigw.AuthorizationType.IAM,
        requestValidatorOptions: { validateRequestBody: true, validateRequestParameters: true },
      },
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        clientCertificateId: this.clientCertificate.attrClientCertificateId,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        cacheClusterEnabled: cache ? true : undefined,
        cacheClusterSize: cache ? '0.5' : undefined,
        cachingEnabled: cache ? true : undefined,
        cacheDataEncrypted: cache ? true : undefined,
        cacheTtl: cache ? Duration.seconds(ttl) : undefined,
      },
    });

    // One validator (body and parameters) for the API, so AwsSolutions-APIG2 sees it; every
    // method also validates through defaultMethodOptions.
    this.api.addRequestValidator('Validator', { validateRequestBody: true, validateRequestParameters: true });

    this.webAcl = props.webAcl ?? new RateLimitedWebAcl(this, 'WebAcl');
    this.webAcl.associateStage(this.api.deploymentStage);

    const stage = this.api.deploymentStage;
    if (!cache) {
      acknowledge(
        stage,
        Finding.API_GW_CACHE_ENCRYPTED.ids,
        'Every method is authorized per caller; a stage cache is keyed by path and parameters, not by caller, so it ' +
          "could serve one caller's response to another. Set cache: true for responses that are the same for everyone.",
      );
    }
    acknowledge(
      this.api,
      ['AwsSolutions-COG4'],
      'Methods use IAM authorization (SigV4-signed requests from AWS principals) by default; a method may add a ' +
        'Cognito authorizer for people (IAM-05).',
    );
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledge(
        cloudWatchRole,
        [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        ],
        'The AWS-maintained service-role policy API Gateway needs to write execution and access logs (API Gateway Developer Guide).',
      );
    }
    Aspects.of(this.api).add(new ScopeApiPermissions());
    recordControls(this, 'ENC-05', 'LOG-04');
  }
}

/**
 * Lambda permissions that integrations add for API Gateway are scoped by `SourceArn` (this API's
 * execute-api ARN, built with Fn::Join). AWS Control Tower CT.LAMBDA.PR.2 reads only literal
 * values or references to resources: in a stack with a concrete account this aspect adds
 * `SourceAccount` (which satisfies the rule); in an environment-agnostic stack, where the account
 * is only known at deployment, it acknowledges the finding on that permission with that reason.
 */
class ScopeApiPermissions implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof lambda.CfnPermission)) return;
    if (node.principal !== 'apigateway.amazonaws.com' || node.sourceArn === undefined) return;
    const account = Stack.of(node).account;
    if (!Token.isUnresolved(account)) {
      node.sourceAccount ??= account;
      return;
    }
    acknowledge(
      node,
      ['cdk-validator-cfnguard::lambda_function_public_access_prohibited_check'],
      "The permission is scoped by SourceArn to this API's execute-api ARN (built with Fn::Join, which CT.LAMBDA.PR.2 " +
        'cannot read); the account is unknown at synth in an environment-agnostic stack, so SourceAccount cannot be literal.',
    );
  }
}
