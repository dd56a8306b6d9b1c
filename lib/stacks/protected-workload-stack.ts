import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { backupPlanName } from './data-protection-parts';
import { EnvironmentConfig, PolicyConfig } from '../config/types';
import { ApplicationSignIn } from '../constructs/application-sign-in';
import { BaselineBackup } from '../constructs/secure-backup';
import { SensitiveDataDiscovery } from '../constructs/sensitive-data-discovery';
import { recordSwitchedOff } from '../compliance/report';
import { BaselineKey } from '../constructs/baseline-key';
import { encryptedLogGroup } from '../constructs/encrypted-log-group';
import { RateLimitedWebAcl } from '../constructs/rate-limited-web-acl';
import { SecureBucket } from '../constructs/secure-bucket';
import { SecureDatabase } from '../constructs/secure-database';
import { SecureVpc } from '../constructs/secure-vpc';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';
import { POLICY_ROTATION_DAYS } from '../validation/aws';

/** The controls only the reference workload implements (reported "not applicable" where it is off). */
export const WORKLOAD_CONTROLS: readonly string[] = [
  'NET-01',
  'NET-02',
  'NET-03',
  'NET-04',
  'NET-05',
  'DATA-02',
];

export interface ProtectedWorkloadStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** @default - policy 003: keys rotate at most every 90 days */
  readonly policy?: PolicyConfig;
}

/**
 * A reference workload built only from the baseline's constructs, so the controls can be seen
 * working together: a SecureVpc, a SecureDatabase in its isolated subnets, a SecureBucket for
 * application data, and an API Gateway REST API (IAM-authorized, throttled, access-logged, traced)
 * behind a RateLimitedWebAcl. Composition only.
 */
export class ProtectedWorkloadStack extends Stack {
  public readonly api: apigw.RestApi;

  /**
   * The region's first three AZs as `Fn::GetAZs` selections, for environment-specific stacks too:
   * CDK would otherwise look the AZs up in the account at synth, and synth runs offline.
   */
  public override get availabilityZones(): string[] {
    return [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
  }

  constructor(scope: Construct, id: string, props: ProtectedWorkloadStackProps) {
    const { config, policy, ...stackProps } = props;
    super(scope, id, {
      env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
      description: `cdk-security-baseline reference workload (${config.name}): VPC, encrypted database and bucket, WAF-protected API`,
      terminationProtection: config.protection.terminationProtection,
      ...stackProps,
    });
    Tags.of(this).add('security-baseline:environment', config.name);
    const w = config.workload;

    const dataKey = new BaselineKey(this, 'DataKey', {
      alias: `security-baseline/${this.stackName}/data`,
      description: 'cdk-security-baseline reference workload: application data',
      rotationPeriod: Duration.days(config.keys.rotationPeriodDays),
      maxRotationPeriod: Duration.days(policy?.maxKeyRotationDays ?? POLICY_ROTATION_DAYS),
    });
    const network = new SecureVpc(this, 'Network', {
      natGateways: w.natGateways,
      interfaceEndpoints: w.interfaceEndpoints,
    });
    const database = new SecureDatabase(this, 'Database', {
      vpc: network.vpc,
      encryptionKey: dataKey,
      multiAz: w.multiAzDatabase,
      backupRetention: Duration.days(w.backupRetentionDays),
      // Always protected, in every profile: a reference workload still holds a database.
      deletionProtection: true,
    });
    const appData = new SecureBucket(this, 'AppData', { encryptionKey: dataKey });
    // PII discovery (DATA-06, opt-in): a Macie session and a weekly job over the data bucket.
    if (w.piiDiscovery) new SensitiveDataDiscovery(this, 'PiiDiscovery', { buckets: [appData.bucket] });
    else recordSwitchedOff(this, `environments.${config.name}.workload.piiDiscovery: false`, 'DATA-06');
    // Into the environment's backup plan by tag (DATA-03): the plan lives in the baseline stack.
    if (config.backup.enabled) {
      BaselineBackup.tagForBackup(database, backupPlanName(config));
      BaselineBackup.tagForBackup(appData, backupPlanName(config));
    } else {
      Validations.of(database).acknowledge({
        id: 'SecurityPolicy-BackupPlanCoversDatabases',
        reason:
          `AWS Backup is off in this environment (environments.${config.name}.backup.enabled, on in the prod profile); ` +
          `the database keeps ${w.backupRetentionDays} days of automated RDS backups. Another environment's plan does not cover it.`,
      });
    }

    // Application sign-in (IAM-05, opt-in): people sign in to a Cognito user pool with MFA, and the
    // API accepts its tokens instead of IAM-signed requests.
    const signIn = w.signIn
      ? new ApplicationSignIn(this, 'SignIn', {
          minimumPasswordLength: config.identity.minimumPasswordLength,
          callbackUrls: [...w.signInCallbackUrls],
        })
      : undefined;
    if (!signIn) recordSwitchedOff(this, `environments.${config.name}.workload.signIn: false`, 'IAM-05');

    // The public entry point: HTTPS only (execute-api), IAM-signed requests (or user-pool tokens), throttled per stage.
    const accessLogs = encryptedLogGroup(this, 'ApiAccessLogs', {
      logGroupName: `/security-baseline/api-access/${this.stackName}`,
      encryptionKey: dataKey,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Reference workload API (IAM-authorized)',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultMethodOptions: signIn
        ? {
            authorizationType: apigw.AuthorizationType.COGNITO,
            authorizer: signIn.authorizer(this, 'Authorizer'),
          }
        : { authorizationType: apigw.AuthorizationType.IAM },
      deployOptions: {
        stageName: 'v1',
        throttlingRateLimit: w.apiRateLimit,
        throttlingBurstLimit: w.apiBurstLimit,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    this.api.root.addResource('health').addMethod(
      'GET',
      new apigw.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { 'application/json': '{"status":"ok"}' } },
        ],
      }),
      { requestValidator: validator, methodResponses: [{ statusCode: '200' }] },
    );

    const acl = new RateLimitedWebAcl(this, 'WebAcl', {
      rateLimit: w.wafRateLimit,
      evaluationWindowSeconds: 300,
      pathRateLimits: [{ pathPrefix: '/v1/health', limit: Math.max(10, Math.floor(w.wafRateLimit / 10)) }],
    });
    acl.associate(this.api.deploymentStage.stageArn);
    if (signIn) acl.associateUserPool(signIn.userPool);

    acknowledgeApi(this.api, signIn === undefined);
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'Reference workload API (IAM-signed requests)',
    });
  }
}

/** The findings of the reference API that are choices, each with its reason, on the API. */
function acknowledgeApi(api: apigw.RestApi, iamAuthorized: boolean): void {
  const stage = api.deploymentStage;
  acknowledge(
    stage,
    inFrameworkPacks('APIGWCacheEnabledAndEncrypted'),
    'The reference API serves a static health response; an API cache (billed per hour) would hold nothing. ' +
      'Turn on cacheClusterEnabled with cacheDataEncrypted for real data.',
  );
  acknowledge(
    stage,
    inFrameworkPacks('APIGWSSLEnabled'),
    'Backend client certificates authenticate API Gateway to an HTTP backend; the reference API has a mock integration and no backend.',
  );
  if (iamAuthorized)
    acknowledge(
      api,
      ['AwsSolutions-COG4'],
      'Every method uses IAM authorization (SigV4-signed requests from AWS principals); a Cognito user pool for people is IAM-05, opt-in (workload.signIn).',
    );
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(
      cloudWatchRole,
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      ],
      'The AWS-maintained service-role policy API Gateway needs to write execution and access logs (API Gateway Developer Guide).',
    );
  }
}
