import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The hardening every baseline bucket gets, whatever it holds (DATA-01, ENC-05, DATA-05): all public
 * access blocked, ACLs disabled (bucket owner enforced), versioning, TLS 1.2+ only, and retained on
 * stack deletion and replacement. Encryption and lifecycle are chosen by each construct.
 */
export function hardenedBucketProps(): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/**
 * Send the bucket's object events to Amazon EventBridge (AWS Control Tower CT.S3.PR.4), natively in
 * `AWS::S3::Bucket` rather than through CDK's notifications custom resource. Costs nothing until an
 * EventBridge rule matches; the alerting controls build on it.
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}
