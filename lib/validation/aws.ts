import { RegionInfo } from 'aws-cdk-lib/region-info';

// What AWS accepts, defined once: the config schema, the constructs and the audit CLI import these
// instead of keeping their own copies. Plain values and functions, no zod, so that lib/constructs
// can depend on this module without depending on the configuration.

/** A region name's shape, e.g. `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`, `eusc-de-east-1`. */
export const REGION_PATTERN = /^[a-z]{2,4}(-gov|-iso[a-z]?)?(-[a-z]+){1,2}-\d+$/;

/** Regions aws-cdk-lib knows (its region-info facts, updated with every release). */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** An e-mail address as SNS e-mail subscriptions take it: one `@`, a dotted domain, no spaces. */
export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/;

/** An IAM principal ARN: an account root, a role or a user (paths allowed), in any partition. */
export const IAM_PRINCIPAL_ARN_PATTERN =
  /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/** KMS accepts automatic rotation periods of 90..2560 days. */
export const KMS_MIN_ROTATION_DAYS = 90;
export const KMS_MAX_ROTATION_DAYS = 2560;
/** Policy 003: "Regular key rotation policy (every 90 days)". */
export const POLICY_ROTATION_DAYS = 90;

/** True for a whole number of days KMS accepts as a rotation period. */
export function isKmsRotationPeriod(days: unknown): days is number {
  return (
    Number.isInteger(days) &&
    (days as number) >= KMS_MIN_ROTATION_DAYS &&
    (days as number) <= KMS_MAX_ROTATION_DAYS
  );
}

/** An unpaired UTF-16 surrogate: text no JSON encoder or AWS API can carry faithfully. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` is well-formed Unicode (no unpaired surrogate). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Tag limits (AWS tagging rules, enforced by CloudFormation and the services). */
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
/** Characters every service accepts in tags: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{N}\p{Z}_.:/=+\-@]*$/u;

/** What is wrong with a tag key, or undefined when AWS accepts it. */
export function tagKeyProblem(key: string): string | undefined {
  if (!isWellFormedText(key)) return 'a tag key without unpaired surrogate characters';
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH)
    return `a tag key of 1..${TAG_KEY_MAX_LENGTH} characters`;
  if (!TAG_CHARACTERS.test(key)) return 'a tag key of letters, digits, spaces and _ . : / = + - @ only';
  if (key.toLowerCase().startsWith('aws:')) return 'a tag key not starting with "aws:" (reserved for AWS)';
  return undefined;
}

/** What is wrong with a tag value, or undefined when AWS accepts it. */
export function tagValueProblem(value: string): string | undefined {
  if (!isWellFormedText(value)) return 'a tag value without unpaired surrogate characters';
  if (value.length > TAG_VALUE_MAX_LENGTH) return `a tag value of at most ${TAG_VALUE_MAX_LENGTH} characters`;
  if (!TAG_CHARACTERS.test(value)) return 'a tag value of letters, digits, spaces and _ . : / = + - @ only';
  return undefined;
}
