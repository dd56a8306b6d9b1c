import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { GUARDDUTY_FEATURES } from '../constructs/threat-detection';
import { z } from 'zod';

// The configuration schema. Every field is optional below `environments.<name>`: what is left out
// comes from the environment's profile (lib/config/profiles.ts). Objects are strict, so a typo in a
// key is an error, not a silently ignored setting.

/** CloudWatch Logs retention values (days) that CloudFormation accepts, `INFINITE` excluded (LOG-04). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v !== logs.RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/** Retention values allowed for the trail's log group: at least a year (AWS Control Tower CT.CLOUDWATCH.PR.2). */
export const TRAIL_LOG_RETENTION_DAYS: readonly number[] = LOG_RETENTION_DAYS.filter((d) => d >= 365);

export const PROFILE_NAMES = ['dev', 'test', 'prod'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Regions aws-cdk-lib knows (its region-info facts, updated with every release). */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

/** An AWS region name that exists, e.g. `eu-west-1`; a well-formed but unknown name is an error too. */
const REGION_FORMAT = /^[a-z]{2,4}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const regionName = () =>
  z
    .string({ error: 'an AWS region name such as "eu-west-1"' })
    .regex(REGION_FORMAT, { error: 'an AWS region name such as "eu-west-1"' })
    // A malformed name is reported once, by the format check.
    .refine((r) => !REGION_FORMAT.test(r) || KNOWN_REGIONS.includes(r), {
      error: 'a known AWS region (one aws-cdk-lib/region-info lists), such as "eu-west-1"',
    });

const accountId = () =>
  z
    .string({ error: 'a 12-digit AWS account ID as a string' })
    .regex(/^\d{12}$/, { error: 'a 12-digit AWS account ID' });

/** A list without repeats: each repeated entry is reported at its own index. */
const uniqueList = <T extends z.ZodType<string>>(item: T, what: string) =>
  z.array(item, { error: `a list of ${what}` }).superRefine((list, ctx) => {
    list.forEach((v, i) => {
      const first = list.indexOf(v);
      if (first !== i)
        ctx.addIssue({
          code: 'custom',
          path: [i],
          input: v,
          message: `no duplicates: already listed at index ${first}`,
        });
    });
  });

const intIn = (min: number, max: number, what: string) =>
  z
    .int({ error: `${what}: a whole number of days, ${min}..${max}` })
    .min(min, { error: `${what}: at least ${min}` })
    .max(max, { error: `${what}: at most ${max}` });

const keysSchema = z.strictObject({
  rotationPeriodDays: intIn(90, 2560, 'KMS rotates keys every 90..2560 days (ENC-02)').optional(),
});

const auditLogSchema = z.strictObject({
  retentionDays: z
    .int({ error: 'a whole number of days, 365..2557' })
    .min(365, { error: 'audit logs are kept at least one year: 365..2557 days (LOG-02)' })
    .max(2557, { error: 'audit logs are kept at most seven years: 365..2557 days (LOG-02)' })
    .optional(),
  objectLockMode: z
    .enum(['GOVERNANCE', 'COMPLIANCE'], { error: 'one of "GOVERNANCE" (dev/test) or "COMPLIANCE" (prod)' })
    .optional(),
  coldStorageAfterDays: intIn(30, 2556, 'move to S3 Glacier after').optional(),
  cloudWatchRetentionDays: z
    .number({ error: `one of ${TRAIL_LOG_RETENTION_DAYS.join(', ')}` })
    .refine((v) => TRAIL_LOG_RETENTION_DAYS.includes(v), {
      error: `one of ${TRAIL_LOG_RETENTION_DAYS.join(', ')}: CloudWatch Logs retention values of at least one year (LOG-04, AWS Control Tower CT.CLOUDWATCH.PR.2)`,
    })
    .optional(),
});

const accessLogsSchema = z.strictObject({
  retentionDays: intIn(1, 3653, 'keep S3 access logs').optional(),
});

const protectionSchema = z.strictObject({
  terminationProtection: z.boolean({ error: 'true or false' }).optional(),
  deletionProtection: z.boolean({ error: 'true or false' }).optional(),
});

const auditSchema = z.strictObject({
  continuous: z.boolean({ error: 'true or false' }).optional(),
  alertEmails: z
    .array(z.email({ error: 'an e-mail address such as "security@example.com"' }), {
      error: 'a list of e-mail addresses',
    })
    .optional(),
  regions: uniqueList(regionName(), 'region names').optional(),
});

const emailList = z.array(z.email({ error: 'an e-mail address such as "security@example.com"' }), {
  error: 'a list of e-mail addresses',
});
const subscribersSchema = z.strictObject({
  emails: emailList.optional(),
  httpsUrls: z
    .array(z.url({ protocol: /^https$/, error: 'an https:// URL' }), { error: 'a list of https:// URLs' })
    .optional(),
});
export const INCIDENT_CLASS_NAMES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
const alertsSchema = z.strictObject({
  minimumClass: z
    .enum(INCIDENT_CLASS_NAMES, { error: 'one of "CRITICAL", "HIGH", "MEDIUM", "LOW"' })
    .optional(),
  critical: subscribersSchema.optional(),
  high: subscribersSchema.optional(),
  medium: subscribersSchema.optional(),
  low: subscribersSchema.optional(),
});
export const GUARDDUTY_FEATURE_NAMES = GUARDDUTY_FEATURES;
const threatDetectionSchema = z.strictObject({
  guardDuty: z.boolean({ error: 'true or false' }).optional(),
  features: z
    .array(z.enum(GUARDDUTY_FEATURE_NAMES, { error: `one of ${GUARDDUTY_FEATURE_NAMES.join(', ')}` }))
    .optional(),
  existingDetectorId: z
    .string()
    .regex(/^[0-9a-f]{32}$/, { error: 'a GuardDuty detector ID: 32 lower-case hexadecimal characters' })
    .optional(),
  securityHub: z.boolean({ error: 'true or false' }).optional(),
  adoptExistingHub: z.boolean({ error: 'true or false' }).optional(),
});

const workloadSchema = z.strictObject({
  enabled: z.boolean({ error: 'true or false' }).optional(),
  natGateways: z
    .int({ error: 'a whole number 0..3' })
    .min(0, { error: 'a whole number 0..3' })
    .max(3, { error: 'a whole number 0..3' })
    .optional(),
  interfaceEndpoints: z.boolean({ error: 'true or false' }).optional(),
  multiAzDatabase: z.boolean({ error: 'true or false' }).optional(),
  backupRetentionDays: intIn(7, 35, 'database backups are kept').optional(),
  apiRateLimit: z
    .int({ error: 'requests per second, 1..10000' })
    .min(1, { error: 'at least 1 request per second' })
    .max(10000, { error: 'at most 10000 requests per second' })
    .optional(),
  apiBurstLimit: z
    .int({ error: 'requests, 1..5000' })
    .min(1, { error: 'at least 1' })
    .max(5000, { error: 'at most 5000' })
    .optional(),
  wafRateLimit: z
    .int({ error: 'requests per client IP per 5 minutes, at least 100' })
    .min(100, { error: 'at least 100 per 5 minutes (the path limit is a tenth of it and WAF needs 10)' })
    .max(2000000000)
    .optional(),
});

const identitySchema = z.strictObject({
  accountWide: z.boolean({ error: 'true or false' }).optional(),
  minimumPasswordLength: z
    .int({ error: 'a whole number of characters, 12..128' })
    .min(12, { error: 'at least 12 characters (IAM-01, policies 001 and 003)' })
    .max(128, { error: 'at most 128 characters (IAM limit)' })
    .optional(),
  trustedPrincipals: z
    .array(
      z.string().regex(/^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+))$/, {
        error: 'a 12-digit account ID or an IAM role, user or root ARN',
      }),
      { error: 'a list of account IDs or IAM ARNs' },
    )
    .optional(),
  unusedAccessAnalyzer: z.boolean({ error: 'true or false' }).optional(),
  unusedAccessAgeDays: intIn(1, 365, 'report access unused for').optional(),
});

/** Accounts x regions, one stack each for `cdk deploy --all` (instead of `account` / `region`). */
const targetsSchema = z.strictObject({
  accounts: uniqueList(accountId(), '12-digit account IDs').min(1, { error: 'at least one account' }),
  regions: uniqueList(regionName(), 'region names').min(1, { error: 'at least one region' }),
  homeRegion: regionName().optional(),
});

const percent = (min: number, what: string) =>
  z
    .int({ error: `${what}: a whole percentage ${min}..100` })
    .min(min, { error: `${what}: at least ${min}` })
    .max(100, { error: `${what}: at most 100` });

/** Organization mode: a service-managed CloudFormation StackSet over organizational units. */
const organizationSchema = z.strictObject({
  organizationId: z
    .string({ error: 'an AWS Organizations ID such as "o-a1b2c3d4e5"' })
    .regex(/^o-[a-z0-9]{10,32}$/, { error: 'an AWS Organizations ID such as "o-a1b2c3d4e5"' }),
  organizationalUnits: uniqueList(
    z
      .string({ error: 'an OU ID such as "ou-ab12-cd34ef56" or the root "r-ab12"' })
      .regex(/^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/, {
        error: 'an OU ID such as "ou-ab12-cd34ef56" or the root "r-ab12"',
      }),
    'organizational unit IDs',
  ).min(1, { error: 'at least one organizational unit' }),
  regions: uniqueList(regionName(), 'region names').min(1, { error: 'at least one region' }),
  homeRegion: regionName().optional(),
  assetBucketPrefix: z
    .string({ error: 'an S3 bucket name prefix' })
    .regex(/^[a-z0-9][a-z0-9-]{2,44}$/, {
      error:
        'an S3 bucket name prefix: 3..45 lower-case letters, digits or "-", starting with a letter or digit',
    })
    .optional(),
  adminAccount: accountId().optional(),
  adminRegion: regionName().optional(),
  delegatedAdmin: z.boolean({ error: 'true or false' }).optional(),
  autoDeployment: z.boolean({ error: 'true or false' }).optional(),
  retainStacksOnAccountRemoval: z.boolean({ error: 'true or false' }).optional(),
  maxConcurrentPercentage: percent(1, 'accounts deployed at once').optional(),
  failureTolerancePercentage: percent(0, 'accounts that may fail per region').optional(),
  regionConcurrency: z
    .enum(['PARALLEL', 'SEQUENTIAL'], { error: 'one of "PARALLEL", "SEQUENTIAL"' })
    .optional(),
});

export const environmentSchema = z.strictObject({
  profile: z
    .enum(PROFILE_NAMES, { error: `one of ${PROFILE_NAMES.map((p) => `"${p}"`).join(', ')}` })
    .optional(),
  account: accountId().optional(),
  region: regionName().optional(),
  targets: targetsSchema.optional(),
  organization: organizationSchema.optional(),
  stackName: z
    .string({ error: 'a CloudFormation stack name' })
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,99}$/, {
      error: 'a CloudFormation stack name: a letter, then letters, digits or "-", at most 100 characters',
    })
    .optional(),
  securityContact: z.email({ error: 'an e-mail address such as "security@example.com"' }).optional(),
  tags: z
    .record(
      z.string().regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, {
        error: 'a tag key of 1..128 characters, not starting with "aws:"',
      }),
      z
        .string({ error: 'a tag value (string)' })
        .max(256, { error: 'a tag value of at most 256 characters' }),
      { error: 'an object of tag keys to string values' },
    )
    .optional(),
  keys: keysSchema.optional(),
  auditLog: auditLogSchema.optional(),
  accessLogs: accessLogsSchema.optional(),
  protection: protectionSchema.optional(),
  audit: auditSchema.optional(),
  identity: identitySchema.optional(),
  alerts: alertsSchema.optional(),
  threatDetection: threatDetectionSchema.optional(),
  workload: workloadSchema.optional(),
});

export const policySchema = z.strictObject({
  maxKeyRotationDays: intIn(90, 2560, "the policy's maximum key rotation period").optional(),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  policy: policySchema.optional(),
  environments: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
        error: 'an environment name: lower-case letters, digits and "-", starting with a letter',
      }),
      environmentSchema,
      { error: 'an object with one entry per environment, e.g. { "dev": {}, "prod": {} }' },
    )
    .refine((envs) => Object.keys(envs).length > 0, { error: 'at least one environment' }),
});

/** The configuration file as written (before profile defaults are applied). */
export type BaselineConfigInput = z.infer<typeof configSchema>;
export type EnvironmentInput = z.infer<typeof environmentSchema>;
