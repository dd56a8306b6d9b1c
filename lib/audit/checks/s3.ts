import {
  GetBucketEncryptionCommand,
  GetBucketTaggingCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AuditCheck, CheckContext, mapBounded } from '../context';
import { AuditResult, describeError } from '../result';

/** Tag every baseline resource carries (SecurityBaselineStack). */
export const BASELINE_TAG = 'security-baseline:environment';

/**
 * DATA-07 and DATA-01: the account blocks S3 public access, and every baseline bucket in the region
 * (tagged `security-baseline:environment`) encrypts with SSE-KMS (the access-log bucket, SSE-S3 by
 * necessity, is reported as such).
 */
export const s3Check: AuditCheck = {
  name: 's3',
  control: 'DATA-07',
  description: 'account-level S3 Block Public Access is on; baseline buckets use SSE-KMS',
  permissions: [
    's3:GetAccountPublicAccessBlock',
    's3:ListAllMyBuckets',
    's3:GetBucketTagging',
    's3:GetEncryptionConfiguration',
  ],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const config = { ...context.clientConfig, region: context.region };
    const results: AuditResult[] = [];
    try {
      const { Account } = await new STSClient(config).send(new GetCallerIdentityCommand({}));
      const block = await new S3ControlClient(config).send(
        new GetPublicAccessBlockCommand({ AccountId: Account }),
      );
      const c = block.PublicAccessBlockConfiguration ?? {};
      const off = (
        ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const
      ).filter((k) => c[k] !== true);
      results.push({
        check: 's3',
        control: 'DATA-07',
        region: context.region,
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resource: `account ${Account}`,
        status: off.length === 0 ? 'COMPLIANT' : 'NON_COMPLIANT',
        reason:
          off.length === 0 ? 'all four account-level public access blocks are on' : `off: ${off.join(', ')}`,
      });
    } catch (e) {
      const missing = (e as { name?: string }).name === 'NoSuchPublicAccessBlockConfiguration';
      results.push({
        check: 's3',
        control: 'DATA-07',
        region: context.region,
        resourceType: 'AWS::S3::AccountPublicAccessBlock',
        resource: 'account',
        status: missing ? 'NON_COMPLIANT' : 'ERROR',
        reason: missing ? 'no account-level public access block is configured' : describeError(e),
      });
    }

    const s3 = new S3Client(config);
    const buckets: string[] = [];
    try {
      for await (const page of paginateListBuckets({ client: s3 }, { BucketRegion: context.region })) {
        for (const b of page.Buckets ?? []) if (b.Name) buckets.push(b.Name);
      }
    } catch (e) {
      results.push({
        check: 's3',
        control: 'DATA-01',
        region: context.region,
        resourceType: 'AWS::S3::Bucket',
        resource: 'buckets',
        status: 'ERROR',
        reason: describeError(e),
      });
      return results;
    }
    const perBucket = await mapBounded(
      buckets,
      context.concurrency,
      async (name): Promise<AuditResult | undefined> => {
        const base = {
          check: 's3',
          control: 'DATA-01',
          region: context.region,
          resourceType: 'AWS::S3::Bucket',
          resource: `arn:aws:s3:::${name}`,
        };
        try {
          const tags = await s3
            .send(new GetBucketTaggingCommand({ Bucket: name }))
            .catch((e: { name?: string }) => {
              if (e.name === 'NoSuchTagSet') return { TagSet: [] };
              throw e;
            });
          if (!(tags.TagSet ?? []).some((t) => t.Key === BASELINE_TAG)) return undefined; // not a baseline bucket
          const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: name }));
          const rule = enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
          if (rule?.SSEAlgorithm === 'aws:kms' || rule?.SSEAlgorithm === 'aws:kms:dsse') {
            return {
              ...base,
              status: 'COMPLIANT',
              reason: `SSE-KMS with ${rule.KMSMasterKeyID ?? 'the AWS-managed key'}`,
            };
          }
          return {
            ...base,
            status: 'NON_COMPLIANT',
            reason: `default encryption is ${rule?.SSEAlgorithm ?? 'not set'}, not SSE-KMS (expected only for the access-log bucket)`,
          };
        } catch (e) {
          return { ...base, status: 'ERROR', reason: describeError(e) };
        }
      },
    );
    return [...results, ...perBucket.filter((r): r is AuditResult => r !== undefined)];
  },
};
