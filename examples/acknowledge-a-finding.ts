import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Acknowledgements, BaselineCompliance, Finding } from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Site');
const logs = new s3.Bucket(stack, 'CdnLogs', { enforceSSL: true, versioned: true });
Acknowledgements.acknowledgeFinding(
  logs,
  Finding.S3_REPLICATION,
  'CloudFront standard logs are re-creatable from the distribution; no second-region copy is kept.',
);
BaselineCompliance.enable(app);
