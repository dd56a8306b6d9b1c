import type {
  GetBucketEncryptionCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketPolicyCommandOutput,
  GetBucketTaggingCommandOutput,
  GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommandOutput,
  ListBucketsCommandOutput,
} from '@aws-sdk/client-s3';
import { call, errorName, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { s3Sdk } from '../sdk';

/** Tag every baseline resource carries (SecurityBaselineStack). */
export const BASELINE_TAG = 'security-baseline:environment';

/** `fn()`, or `fallback` when it fails with one of the "not configured" error names. */
async function orWhenMissing<T>(fn: () => Promise<T>, missing: readonly string[], fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (missing.includes(errorName(e))) return fallback;
    throw e;
  }
}

/** ENC-05: the bucket policy denies requests without TLS (aws:SecureTransport false). */
export function deniesInsecureTransport(policyText: string | undefined): boolean {
  if (!policyText) return false;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText);
  } catch {
    return false;
  }
  const statements = ([] as unknown[]).concat(policy.Statement ?? []) as {
    Effect?: string;
    Principal?: string | { AWS?: string | string[] };
    Condition?: { Bool?: Record<string, unknown> };
  }[];
  return statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      (s.Principal === '*' ||
        (typeof s.Principal === 'object' && ([] as unknown[]).concat(s.Principal.AWS ?? []).includes('*'))) &&
      String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
  );
}

/**
 * DATA-01, ENC-01, ENC-05 for every baseline bucket (tagged `security-baseline:environment`) in the
 * region: SSE-KMS with a customer-managed key and bucket keys; public access blocked, versioned and
 * access-logged (an access-log destination is not logged into itself); TLS-only bucket policy.
 */
export const s3BucketsCheck: AuditCheck = {
  name: 's3-buckets',
  controls: ['DATA-01', 'ENC-01', 'ENC-05'],
  description: 'baseline buckets: CMK encryption, public access blocked, versioned, access-logged, TLS only',
  permissions: CHECK_PERMISSIONS['s3-buckets'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const {
      GetBucketEncryptionCommand,
      GetBucketLoggingCommand,
      GetBucketPolicyCommand,
      GetBucketTaggingCommand,
      GetBucketVersioningCommand,
      GetPublicAccessBlockCommand,
      ListBucketsCommand,
      S3Client,
    } = s3Sdk();
    const s3 = new S3Client({ ...context.clientConfig, region: context.region });
    const r = resultsFor('s3-buckets', 'DATA-01', context.region, 'AWS::S3::Bucket');
    const where = `buckets in ${context.region}`;
    let names: string[];
    try {
      names = await listAll(context, 'ListBuckets', async (ContinuationToken) => {
        const page = await call<ListBucketsCommandOutput>(
          context,
          s3,
          new ListBucketsCommand({ BucketRegion: context.region, ContinuationToken, MaxBuckets: 1000 }),
        );
        return {
          items: (page.Buckets ?? []).flatMap((b) => (b.Name ? [b.Name] : [])),
          next: page.ContinuationToken,
        };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    // Phase 1: which buckets are the baseline's, and where they log to.
    const found = await mapBounded(names, context.concurrency, async (name) => {
      try {
        const tags = await orWhenMissing(
          () =>
            call<GetBucketTaggingCommandOutput>(context, s3, new GetBucketTaggingCommand({ Bucket: name })),
          ['NoSuchTagSet'],
          { TagSet: [] } as unknown as GetBucketTaggingCommandOutput,
        );
        if (!(tags.TagSet ?? []).some((t) => t.Key === BASELINE_TAG)) return undefined;
        const logging = await call<GetBucketLoggingCommandOutput>(
          context,
          s3,
          new GetBucketLoggingCommand({ Bucket: name }),
        );
        return { name, target: logging.LoggingEnabled?.TargetBucket };
      } catch (e) {
        return { name, error: e };
      }
    });
    const baseline = found.filter((b): b is NonNullable<typeof b> => b !== undefined);
    if (baseline.length === 0)
      return [r.notApplicable(where, `no bucket tagged ${BASELINE_TAG} in this region`)];
    const destinations = new Set(baseline.map((b) => ('target' in b ? b.target : undefined)).filter(Boolean));

    const perBucket = await mapBounded(baseline, context.concurrency, async (b): Promise<AuditResult[]> => {
      const resource = `arn:aws:s3:::${b.name}`;
      if ('error' in b) return ['DATA-01', 'ENC-01', 'ENC-05'].map((c) => r.notChecked(resource, b.error, c));
      const results: AuditResult[] = [];
      try {
        const enc = await orWhenMissing(
          () =>
            call<GetBucketEncryptionCommandOutput>(
              context,
              s3,
              new GetBucketEncryptionCommand({ Bucket: b.name }),
            ),
          ['ServerSideEncryptionConfigurationNotFoundError'],
          undefined,
        );
        const rule = enc?.ServerSideEncryptionConfiguration?.Rules?.[0];
        const algo = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
        const key = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
        const problems: string[] = [];
        if (!enc) problems.push('no default encryption configuration');
        else if (algo !== 'aws:kms' && algo !== 'aws:kms:dsse')
          problems.push(`default encryption is ${algo ?? 'not set'}, not SSE-KMS`);
        else if (!key || /alias\/aws\/s3$/.test(key))
          problems.push('SSE-KMS with the AWS-managed aws/s3 key, not a customer-managed key');
        else if (rule?.BucketKeyEnabled !== true) problems.push('S3 Bucket Keys are off');
        results.push(r.verdict(resource, problems, `SSE-KMS with ${key} and bucket keys`, 'ENC-01'));
      } catch (e) {
        results.push(r.notChecked(resource, e, 'ENC-01'));
      }
      try {
        const problems: string[] = [];
        const block = await orWhenMissing(
          () =>
            call<GetPublicAccessBlockCommandOutput>(
              context,
              s3,
              new GetPublicAccessBlockCommand({ Bucket: b.name }),
            ),
          ['NoSuchPublicAccessBlockConfiguration'],
          undefined,
        );
        const c = block?.PublicAccessBlockConfiguration ?? {};
        const off = (
          ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const
        ).filter((k) => c[k] !== true);
        if (off.length > 0) problems.push(`public access blocks off: ${off.join(', ')}`);
        const versioning = await call<GetBucketVersioningCommandOutput>(
          context,
          s3,
          new GetBucketVersioningCommand({ Bucket: b.name }),
        );
        if (versioning.Status !== 'Enabled') problems.push('versioning is not enabled');
        const isDestination = destinations.has(b.name);
        if (!b.target && !isDestination) problems.push('server access logging is off');
        results.push(
          r.verdict(
            resource,
            problems,
            `public access blocked, versioned, ${isDestination && !b.target ? 'access-log destination (not logged into itself)' : `access-logged to ${b.target}`}`,
          ),
        );
      } catch (e) {
        results.push(r.notChecked(resource, e));
      }
      try {
        const policy = await orWhenMissing(
          () =>
            call<GetBucketPolicyCommandOutput>(context, s3, new GetBucketPolicyCommand({ Bucket: b.name })),
          ['NoSuchBucketPolicy'],
          undefined,
        );
        results.push(
          r.verdict(
            resource,
            deniesInsecureTransport(policy?.Policy)
              ? []
              : ['the bucket policy does not deny requests without TLS'],
            'the bucket policy denies requests without TLS',
            'ENC-05',
          ),
        );
      } catch (e) {
        results.push(r.notChecked(resource, e, 'ENC-05'));
      }
      return results;
    });
    return perBucket.flat();
  },
};
