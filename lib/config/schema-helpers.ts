import { z } from 'zod';
import {
  ACCOUNT_ID_PATTERN,
  EMAIL_PATTERN,
  KNOWN_REGIONS,
  REGION_PATTERN,
  tagKeyProblem,
  tagValueProblem,
} from '../validation/aws';

// Building blocks of the configuration schema (schema.ts): each kind of value defined once, with
// the message a user sees when it is wrong.

const TRUE_OR_FALSE = { error: 'true or false' };
export const bool = (byDefault: boolean) => z.boolean(TRUE_OR_FALSE).default(byDefault);

const REGION = 'an AWS region name such as "eu-west-1"';
/** An AWS region name that exists; a well-formed but unknown name is an error too. */
export const regionName = () =>
  z
    .string({ error: REGION })
    .regex(REGION_PATTERN, { error: REGION })
    // A malformed name is reported once, by the format check.
    .refine((r) => !REGION_PATTERN.test(r) || KNOWN_REGIONS.includes(r), {
      error: 'a known AWS region (one aws-cdk-lib/region-info lists), such as "eu-west-1"',
    });

export const accountId = () =>
  z
    .string({ error: 'a 12-digit AWS account ID as a string' })
    .regex(ACCOUNT_ID_PATTERN, { error: 'a 12-digit AWS account ID' });

const EMAIL = 'an e-mail address such as "security@example.com"';
export const email = () => z.string({ error: EMAIL }).regex(EMAIL_PATTERN, { error: EMAIL });

/** A list without repeats: each repeated entry is reported at its own index. */
export const uniqueList = <T extends z.ZodType<string>>(item: T, what: string) =>
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

/** A whole number in min..max, with `what` leading every message. */
export const intIn = (min: number, max: number, what: string) =>
  z
    .int({ error: `${what}: a whole number ${min}..${max}` })
    .min(min, { error: `${what}: at least ${min}` })
    .max(max, { error: `${what}: at most ${max}` });

export const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.map((v) => `"${v}"`).join(', ')}` });

/** A group of settings: strict, and filled with its defaults when left out. */
export const group = <S extends z.core.$ZodLooseShape>(shape: S) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  z.strictObject(shape, { error: 'an object of settings' }).prefault({} as any);

export const tagKey = z.string().superRefine((key, ctx) => {
  const problem = tagKeyProblem(key);
  if (problem) ctx.addIssue({ code: 'custom', input: key, message: problem });
});
export const tagValue = z.string({ error: 'a tag value (string)' }).superRefine((value, ctx) => {
  const problem = tagValueProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem });
});
