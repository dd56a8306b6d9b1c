import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  BaselineCompliance,
  EncryptedLogGroup,
  HardenedFunction,
  SecureBucket,
  SecureRestApi,
  SecureVpc,
} from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Orders');

const network = new SecureVpc(stack, 'Network'); // isolated subnets, flow logs, endpoints
const uploads = new SecureBucket(stack, 'Uploads'); // own 90-day key, access logs, TLS 1.2+, retained
const handler = new HardenedFunction(stack, 'Handler', {
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });'),
  handler: 'index.handler',
  vpc: network.vpc, // in the VPC, reserved concurrency, encrypted DLQ, env and logs
  environment: { BUCKET: uploads.bucket.bucketName },
});
uploads.grantRead(handler); // explicit actions, in a managed policy: no inline-policy finding

const api = new SecureRestApi(stack, 'Api'); // IAM auth, validation, logs, X-Ray, WAF, client cert
api.api.root.addResource('orders').addMethod('GET', new apigw.LambdaIntegration(handler.function));
new EncryptedLogGroup(stack, 'AuditEvents', { logGroupName: '/orders/audit-events' });

BaselineCompliance.enable(app); // the same gate, and the controls report, on your app
