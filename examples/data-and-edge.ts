// The README's "Data and edge constructs" snippets are fragments of this program: test/readme.test.ts
// checks that each appears here verbatim, and `npm run typecheck` compiles this file.
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DatabaseEngine,
  HardenedFunction,
  RateLimitedWebAcl,
  SecureDatabase,
  SecureVpc,
} from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Orders');

const network = new SecureVpc(stack, 'Network', { natGateways: 0, interfaceEndpoints: true });
const vpc: ec2.IVpc = network.vpc; // an ec2.Vpc: pass it to HardenedFunction, SecureDatabase, ...

const appFunction = new HardenedFunction(stack, 'App', {
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  handler: 'index.handler',
  vpc,
});
const appSecurityGroup = appFunction.function.connections.securityGroups[0] as ec2.ISecurityGroup;

const db = new SecureDatabase(stack, 'Orders', {
  vpc: network.vpc,
  engine: DatabaseEngine.POSTGRES,
  multiAz: true,
});
db.connections.allowDefaultPortFrom(appSecurityGroup);
db.grantConnect(appFunction, 'orders_app'); // rds-db:connect, in a managed policy (no inline policy)

const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'v1' } });
api.root.addMethod('GET', new apigw.MockIntegration());

const acl = new RateLimitedWebAcl(stack, 'Edge', {
  rateLimit: 1000, // per client IP per window, at least 10
  evaluationWindowSeconds: 300, // 60, 120, 300 or 600
  pathRateLimits: [{ pathPrefix: '/login', limit: 100 }],
  countOnlyRules: ['AWSManagedRulesCommonRuleSet/SizeRestrictions_BODY'],
});
acl.associateStage(api.deploymentStage); // or associateLoadBalancer, associateUserPool, associateArn
new CfnOutput(stack, 'BlockedIpSet', { value: acl.blockedIps!.attrArn }); // the IP set incident response fills
