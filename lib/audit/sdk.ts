/* eslint-disable @typescript-eslint/no-require-imports */

// The AWS SDK v3 client packages of the audit, each loaded the first time a check (or the CLI's
// credential and account lookup) uses it, not when lib/audit/checks is imported: a run with
// `--checks kms` loads the KMS client only, `--help` and bad arguments load none. Loading all
// twenty costs about half a second of CPU at every start. `require` caches the module, so a second
// call returns the same one (aws-sdk-client-mock's mocks of the classes apply). esbuild (the
// ContinuousAudit bundle) keeps these `require` calls as they are, for the Lambda runtime's SDK.

export const accessAnalyzerSdk = (): typeof import('@aws-sdk/client-accessanalyzer') =>
  require('@aws-sdk/client-accessanalyzer');
export const backupSdk = (): typeof import('@aws-sdk/client-backup') => require('@aws-sdk/client-backup');
export const cloudTrailSdk = (): typeof import('@aws-sdk/client-cloudtrail') =>
  require('@aws-sdk/client-cloudtrail');
export const cloudWatchSdk = (): typeof import('@aws-sdk/client-cloudwatch') =>
  require('@aws-sdk/client-cloudwatch');
export const cloudWatchLogsSdk = (): typeof import('@aws-sdk/client-cloudwatch-logs') =>
  require('@aws-sdk/client-cloudwatch-logs');
export const configServiceSdk = (): typeof import('@aws-sdk/client-config-service') =>
  require('@aws-sdk/client-config-service');
export const ec2Sdk = (): typeof import('@aws-sdk/client-ec2') => require('@aws-sdk/client-ec2');
export const guardDutySdk = (): typeof import('@aws-sdk/client-guardduty') =>
  require('@aws-sdk/client-guardduty');
export const iamSdk = (): typeof import('@aws-sdk/client-iam') => require('@aws-sdk/client-iam');
export const inspector2Sdk = (): typeof import('@aws-sdk/client-inspector2') =>
  require('@aws-sdk/client-inspector2');
export const kmsSdk = (): typeof import('@aws-sdk/client-kms') => require('@aws-sdk/client-kms');
export const rdsSdk = (): typeof import('@aws-sdk/client-rds') => require('@aws-sdk/client-rds');
export const s3Sdk = (): typeof import('@aws-sdk/client-s3') => require('@aws-sdk/client-s3');
export const s3ControlSdk = (): typeof import('@aws-sdk/client-s3-control') =>
  require('@aws-sdk/client-s3-control');
export const securityHubSdk = (): typeof import('@aws-sdk/client-securityhub') =>
  require('@aws-sdk/client-securityhub');
export const snsSdk = (): typeof import('@aws-sdk/client-sns') => require('@aws-sdk/client-sns');
export const ssmSdk = (): typeof import('@aws-sdk/client-ssm') => require('@aws-sdk/client-ssm');
export const stsSdk = (): typeof import('@aws-sdk/client-sts') => require('@aws-sdk/client-sts');
export const wafv2Sdk = (): typeof import('@aws-sdk/client-wafv2') => require('@aws-sdk/client-wafv2');
