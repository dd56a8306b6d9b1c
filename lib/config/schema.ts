import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { DEFAULT_GUARDDUTY_FEATURES, GUARDDUTY_FEATURES } from '../constructs/threat-detection';
import {
  ACCOUNT_ID_PATTERN,
  IAM_PRINCIPAL_ARN_PATTERN,
  KMS_MAX_ROTATION_DAYS,
  KMS_MIN_ROTATION_DAYS,
  KNOWN_REGIONS,
  POLICY_ROTATION_DAYS,
  tagValueProblem,
} from '../validation/aws';
import {
  accountId,
  bool,
  email,
  group,
  intIn,
  oneOf,
  regionName,
  tagKey,
  tagValue,
  uniqueList,
} from './schema-helpers';

// The configuration schema: the single definition of every setting, its allowed values and its
// default. Types come from it (types.ts), profiles only state where they differ from these
// defaults (profiles.ts), and each setting is read by exactly one consumer (lib/stacks, lib/
// baseline-app.ts). Objects are strict, so a typo in a key is an error, not an ignored setting.
//
// Adding a setting: add it here with its default (and, if a profile differs, in profiles.ts), then
// read it where it is used. See test/config/one-source.spec.ts (`audit.intervalHours`).

export { KNOWN_REGIONS };

/** CloudWatch Logs retention values (days) that CloudFormation accepts, `INFINITE` excluded (LOG-04). */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v !== logs.RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/** Retention values allowed for the trail's log group: at least a year (AWS Control Tower CT.CLOUDWATCH.PR.2). */
export const TRAIL_LOG_RETENTION_DAYS: readonly number[] = LOG_RETENTION_DAYS.filter((d) => d >= 365);

export const PROFILE_NAMES = ['dev', 'test', 'prod'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export const INCIDENT_CLASS_NAMES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export const GUARDDUTY_FEATURE_NAMES = GUARDDUTY_FEATURES;

const subscribers = () =>
  group({
    emails: z.array(email(), { error: 'a list of e-mail addresses' }).default([]),
    httpsUrls: z
      .array(z.url({ protocol: /^https$/, error: 'an https:// URL' }), { error: 'a list of https:// URLs' })
      .default([]),
  });

/** Settings a profile may give defaults for (everything but where and under which name). */
const settingsShape = {
  keys: group({
    rotationPeriodDays: intIn(
      KMS_MIN_ROTATION_DAYS,
      KMS_MAX_ROTATION_DAYS,
      'KMS rotates keys every 90..2560 days (ENC-02)',
    ).default(POLICY_ROTATION_DAYS),
  }),
  auditLog: group({
    retentionDays: z
      .int({ error: 'a whole number of days, 365..2557' })
      .min(365, { error: 'audit logs are kept at least one year: 365..2557 days (LOG-02)' })
      .max(2557, { error: 'audit logs are kept at most seven years: 365..2557 days (LOG-02)' })
      .default(365),
    objectLockMode: z
      .enum(['GOVERNANCE', 'COMPLIANCE'], { error: 'one of "GOVERNANCE" (dev/test) or "COMPLIANCE" (prod)' })
      .default('GOVERNANCE'),
    coldStorageAfterDays: intIn(30, 2556, 'move to S3 Glacier after (days)').default(90),
    cloudWatchRetentionDays: z
      .number({ error: `one of ${TRAIL_LOG_RETENTION_DAYS.join(', ')}` })
      .refine((v) => TRAIL_LOG_RETENTION_DAYS.includes(v), {
        error: `one of ${TRAIL_LOG_RETENTION_DAYS.join(', ')}: CloudWatch Logs retention values of at least one year (LOG-04, AWS Control Tower CT.CLOUDWATCH.PR.2)`,
      })
      .default(365),
    /** S3 data events of every bucket but the audit records (LOG-03): on in the prod profile. */
    allBucketDataEvents: bool(false),
  }),
  accessLogs: group({ retentionDays: intIn(1, 3653, 'keep S3 access logs (days)').default(90) }),
  protection: group({ terminationProtection: bool(false), deletionProtection: bool(false) }),
  /** baseline-audit inside the account (CMP-05). */
  audit: group({
    /** Run the checks on a schedule inside the account (ContinuousAudit). */
    continuous: bool(true),
    /** Hours between two runs of the continuous audit. */
    intervalHours: intIn(1, 24, 'hours between two audit runs').default(24),
    /** Regions the continuous audit checks; empty means the stack's region (or the targets' regions). */
    regions: uniqueList(regionName(), 'region names').default([]),
  }),
  /** Identity and account hardening (IAM-01..04, DATA-07). */
  identity: group({
    /** Deploy the account-wide settings and analyzers from this environment (one per account). */
    accountWide: bool(true),
    minimumPasswordLength: z
      .int({ error: 'a whole number of characters, 12..128' })
      .min(12, { error: 'at least 12 characters (IAM-01, policies 001 and 003)' })
      .max(128, { error: 'at most 128 characters (IAM limit)' })
      .default(14),
    /** Who may assume the baseline roles (with MFA); empty means this account. */
    trustedPrincipals: z
      .array(
        z
          .string({ error: 'a 12-digit account ID or an IAM role, user or root ARN' })
          .refine((p) => ACCOUNT_ID_PATTERN.test(p) || IAM_PRINCIPAL_ARN_PATTERN.test(p), {
            error: 'a 12-digit account ID or an IAM role, user or root ARN',
          }),
        { error: 'a list of account IDs or IAM ARNs' },
      )
      .default([]),
    unusedAccessAnalyzer: bool(true),
    unusedAccessAgeDays: intIn(1, 365, 'report access unused for (days)').default(90),
  }),
  /** Alert routing by incident class (ALR-01, ALR-02). */
  alerts: group({
    /** Least severe class that notifies subscribers. */
    minimumClass: oneOf(INCIDENT_CLASS_NAMES).default('HIGH'),
    critical: subscribers(),
    high: subscribers(),
    medium: subscribers(),
    low: subscribers(),
  }),
  /** GuardDuty (DET-01) and Security Hub (DET-02). */
  threatDetection: group({
    guardDuty: bool(true),
    features: z
      .array(z.enum(GUARDDUTY_FEATURE_NAMES, { error: `one of ${GUARDDUTY_FEATURE_NAMES.join(', ')}` }), {
        error: 'a list of GuardDuty protection plans',
      })
      .default(DEFAULT_GUARDDUTY_FEATURES as (typeof GUARDDUTY_FEATURE_NAMES)[number][]),
    existingDetectorId: z
      .string({ error: 'a GuardDuty detector ID: 32 lower-case hexadecimal characters' })
      .regex(/^[0-9a-f]{32}$/, { error: 'a GuardDuty detector ID: 32 lower-case hexadecimal characters' })
      .optional(),
    securityHub: bool(false),
    adoptExistingHub: bool(false),
    /** AWS Config recorder and rules for the baseline's controls (DET-03), opt-in. */
    config: bool(false),
    adoptExistingConfigRecorder: bool(false),
    /** Amazon Inspector for EC2, ECR and Lambda (DET-04), opt-in; Lambda code scanning costs extra. */
    inspector: bool(false),
    inspectorLambdaCode: bool(false),
  }),
  /** AWS Backup (DATA-03) and restore testing (DATA-04): on in the prod profile. */
  backup: group({
    enabled: bool(false),
    dailyRetentionDays: intIn(7, 36500, 'days a daily recovery point is kept').default(35),
    monthlyRetentionDays: intIn(7, 36500, 'days a monthly recovery point is kept').default(365),
    /** Point-in-time restore for RDS and S3 (at most 35 days). */
    continuous: bool(true),
    /** Vault Lock: COMPLIANCE cannot be undone once its 3-day cooling-off period ends. */
    lockMode: oneOf(['NONE', 'GOVERNANCE', 'COMPLIANCE'] as const).default('GOVERNANCE'),
    /** Copy every daily and monthly recovery point to a vault in this region (another region). */
    copyRegion: regionName().optional(),
    restoreTesting: bool(false),
  }),
  /** Containment runbooks (ALR-03), opt-in. */
  incidentResponse: group({
    runbooks: bool(false),
    /** GuardDuty finding types whose instance is isolated automatically (none unless listed). */
    autoIsolateFindingTypes: z
      .array(
        z
          .string({ error: 'a GuardDuty finding type such as "CryptoCurrency:EC2/BitcoinTool.B!DNS"' })
          .regex(/^[A-Za-z0-9]+:[A-Za-z0-9]+\/[A-Za-z0-9.!_-]+$/, {
            error: 'a GuardDuty finding type such as "CryptoCurrency:EC2/BitcoinTool.B!DNS"',
          }),
        { error: 'a list of GuardDuty finding types' },
      )
      .default([]),
    /** The alert class every runbook run is announced on. */
    announceClass: oneOf(INCIDENT_CLASS_NAMES).default('HIGH'),
  }),
  /** Security patching by patch group tag (OPS-01), opt-in. */
  patching: group({
    enabled: bool(false),
    patchGroup: z
      .string({ error: 'a PatchGroup tag value' })
      .regex(/^[A-Za-z0-9_.:/=+\-@ ]{1,256}$/, { error: 'a PatchGroup tag value (1..256 tag characters)' })
      .default('security-baseline'),
    approveAfterDays: intIn(0, 360, 'days after release a security patch is approved').default(0),
    schedule: z
      .string({ error: 'a cron(...) or rate(...) expression' })
      .regex(/^(cron|rate)\(.+\)$/, { error: 'a cron(...) or rate(...) expression' })
      .default('cron(0 3 ? * * *)'),
    scheduleTimezone: z
      .string({ error: 'an IANA time zone such as "Etc/UTC"' })
      .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'an IANA time zone such as "Etc/UTC"' })
      .default('Etc/UTC'),
    windowHours: intIn(1, 24, 'maintenance window hours').default(3),
  }),
  /** Shield Advanced protections (NET-06), opt-in: needs a subscription ($3,000/month), never created here. */
  ddos: group({
    shieldAdvanced: bool(false),
    resources: z
      .array(
        z.strictObject(
          {
            name: z.string({ error: 'a protection name' }).regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, {
              error: 'a protection name: letters, digits, "-"',
            }),
            resourceArn: z
              .string({ error: 'the ARN of the resource to protect' })
              .regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, {
                error: 'the ARN of the resource to protect',
              }),
          },
          { error: 'an object with "name" and "resourceArn"' },
        ),
        { error: 'a list of resources to protect' },
      )
      .default([]),
  }),
  /** The reference workload (ProtectedWorkloadStack) beside the baseline. */
  workload: group({
    enabled: bool(true),
    /** A Cognito user pool as the API's authorizer (IAM-05), opt-in. */
    signIn: bool(false),
    /** Amazon Macie sensitive-data discovery on the data bucket (DATA-06), opt-in. */
    piiDiscovery: bool(false),
    signInCallbackUrls: z
      .array(z.url({ protocol: /^https$/, error: 'an https:// URL' }), { error: 'a list of https:// URLs' })
      .default([]),
    natGateways: intIn(0, 3, 'NAT gateways').default(0),
    interfaceEndpoints: bool(true),
    multiAzDatabase: bool(false),
    backupRetentionDays: intIn(7, 35, 'database backups are kept').default(7),
    /** API Gateway stage throttling: steady requests per second and burst. */
    apiRateLimit: intIn(1, 10000, 'requests per second').default(100),
    apiBurstLimit: intIn(1, 5000, 'burst requests').default(200),
    /** WAF requests per client IP per 5 minutes (the path limit is a tenth of it and WAF needs 10). */
    wafRateLimit: z
      .int({ error: 'requests per client IP per 5 minutes, at least 100' })
      .min(100, { error: 'at least 100 per 5 minutes (the path limit is a tenth of it and WAF needs 10)' })
      .max(2000000000, { error: 'at most 2000000000 per 5 minutes' })
      .default(1000),
  }),
};

/** What a profile supplies: every setting of `settingsShape`, defaults applied. */
export const settingsSchema = z.strictObject(settingsShape);

/** Accounts x regions, one stack each for `cdk deploy --all` (instead of `account` / `region`). */
const targetsSchema = z.strictObject(
  {
    accounts: uniqueList(accountId(), '12-digit account IDs').min(1, { error: 'at least one account' }),
    regions: uniqueList(regionName(), 'region names').min(1, { error: 'at least one region' }),
    homeRegion: regionName().optional(),
  },
  { error: 'an object with "accounts" and "regions"' },
);

/** Organization mode: a service-managed CloudFormation StackSet over organizational units. */
const organizationSchema = z.strictObject(
  {
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
    /** Region whose stack instance carries the account-wide resources. @default the first region */
    homeRegion: regionName().optional(),
    /** Buckets `<prefix>-<region>` in the admin account hold the StackSet's Lambda code. */
    assetBucketPrefix: z
      .string({ error: 'an S3 bucket name prefix' })
      .regex(/^[a-z0-9][a-z0-9-]{2,44}$/, {
        error:
          'an S3 bucket name prefix: 3..45 lower-case letters, digits or "-", starting with a letter or digit',
      })
      .optional(),
    /** Where the StackSet itself is managed (management or delegated administrator account). */
    adminAccount: accountId().optional(),
    adminRegion: regionName().optional(),
    delegatedAdmin: bool(false),
    autoDeployment: bool(true),
    retainStacksOnAccountRemoval: bool(true),
    maxConcurrentPercentage: intIn(1, 100, 'accounts deployed at once').default(25),
    failureTolerancePercentage: intIn(0, 100, 'accounts that may fail per region').default(0),
    regionConcurrency: oneOf(['PARALLEL', 'SEQUENTIAL']).default('PARALLEL'),
  },
  { error: 'an object with "organizationId", "organizationalUnits" and "regions"' },
);

export const environmentSchema = z.strictObject(
  {
    profile: oneOf(PROFILE_NAMES).optional(),
    /** Target account; undefined synthesizes an environment-agnostic stack. */
    account: accountId().optional(),
    /** Target region; undefined synthesizes an environment-agnostic stack. */
    region: regionName().optional(),
    targets: targetsSchema.optional(),
    organization: organizationSchema.optional(),
    /** Base stack name; with `targets`, each stack adds `-<account>-<region>`. */
    stackName: z
      .string({ error: 'a CloudFormation stack name' })
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,99}$/, {
        error: 'a CloudFormation stack name: a letter, then letters, digits or "-", at most 100 characters',
      })
      .optional(),
    /** Tagged on every resource, so it must be a valid tag value too. */
    securityContact: email()
      .refine((e) => tagValueProblem(e) === undefined, {
        error: 'an e-mail address that is also a valid tag value',
      })
      .optional(),
    tags: z.record(tagKey, tagValue, { error: 'an object of tag keys to string values' }).default({}),
    ...settingsShape,
  },
  { error: 'an object of settings (or {} for the profile defaults)' },
);

export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const configSchema = z.strictObject(
  {
    $schema: z.string({ error: 'a string (the JSON schema location)' }).optional(),
    policy: group({
      /** The written policy's maximum key rotation period, one value for the whole configuration. */
      maxKeyRotationDays: intIn(
        KMS_MIN_ROTATION_DAYS,
        KMS_MAX_ROTATION_DAYS,
        "the policy's maximum key rotation period (days)",
      ).default(POLICY_ROTATION_DAYS),
    }),
    environments: z
      .record(
        z.string().regex(ENVIRONMENT_NAME, {
          error:
            'an environment name: lower-case letters, digits and "-", starting with a letter, at most 32',
        }),
        environmentSchema,
        { error: 'an object with one entry per environment, e.g. { "dev": {}, "prod": {} }' },
      )
      .refine((envs) => Object.keys(envs).length > 0, { error: 'at least one environment' }),
  },
  { error: 'a JSON object with "environments", e.g. { "environments": { "dev": {} } }' },
);

/**
 * Settings that no longer exist, with where to say the same thing instead: an unknown key with a
 * better message than "did you mean".
 */
export const MOVED_SETTINGS: ReadonlyMap<string, string> = new Map([
  [
    'audit.alertEmails',
    'no "alertEmails" here: the continuous audit publishes its findings as Medium-class alerts, so their recipients are alerts.medium.emails (with alerts.minimumClass "MEDIUM" or "LOW")',
  ],
]);
