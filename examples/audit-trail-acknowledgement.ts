import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { AuditTrail, BaselineCompliance } from 'cdk-security-baseline';

const app = new App();
const stack = new Stack(app, 'Audit');
const audit = new AuditTrail(stack, 'AuditTrail');
// A second, data-events-only trail would fail SecurityPolicy-CloudTrailAuditTrail[ManagementEvents]:
const dataTrail = new cloudtrail.CfnTrail(stack, 'DataEventsTrail', {
  isLogging: true,
  isMultiRegionTrail: true,
  enableLogFileValidation: true,
  s3BucketName: audit.bucket.bucket.bucketName,
  kmsKeyId: audit.encryptionKey.keyArn,
  cloudWatchLogsLogGroupArn: audit.logGroup.logGroupArn,
  eventSelectors: [
    { includeManagementEvents: false, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] },
  ],
});
Validations.of(dataTrail).acknowledge({
  id: 'SecurityPolicy-CloudTrailAuditTrail[ManagementEvents]',
  reason: 'Data events only; management events are recorded by the AuditTrail in this stack (LOG-01).',
});
BaselineCompliance.enable(app);
