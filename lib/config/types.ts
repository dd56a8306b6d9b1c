import { z } from 'zod';
import { configSchema, environmentSchema, ProfileName, settingsSchema } from './schema';

// Every type here is derived from the schema (schema.ts): a setting added there appears here
// with its type, and as non-optional when it has a default.

/** The configuration file as written (before profile defaults are applied). */
export type BaselineConfigInput = z.input<typeof configSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;

/** What a profile supplies for every setting an environment leaves out. */
export type ProfileDefaults = z.output<typeof settingsSchema>;

/** Settings that hold for the whole configuration (`policy`). */
export type PolicyConfig = z.output<typeof configSchema>['policy'];

type ParsedEnvironment = z.output<typeof environmentSchema>;

/** Organization mode (`environments.<name>.organization`), defaults applied. */
export type OrganizationConfig = NonNullable<ParsedEnvironment['organization']> & {
  /** Region whose stack instance carries the account-wide resources. */
  readonly homeRegion: string;
  /** Buckets `<prefix>-<region>` in the admin account hold the StackSet's Lambda code for each region. */
  readonly assetBucketPrefix: string;
};

/** One stack: where it deploys and whether it carries the account-wide resources. */
export interface DeploymentTarget {
  readonly account?: string;
  readonly region?: string;
  readonly stackName: string;
  /**
   * True in the account's home region: this stack holds what exists once per account (the
   * multi-region trail, IAM roles and password policy, S3 account public access block, the
   * unused-access analyzer, the continuous audit). Every stack holds the regional parts.
   */
  readonly accountResources: boolean;
}

/** The settings of one environment after its profile's defaults are applied. */
export type EnvironmentConfig = Omit<
  ParsedEnvironment,
  'profile' | 'targets' | 'organization' | 'stackName'
> & {
  /** Environment name, the key under `environments` (e.g. `prod`). */
  readonly name: string;
  readonly profile: ProfileName;
  /** Base stack name; with `targets`, each stack adds `-<account>-<region>`. */
  readonly stackName: string;
  /**
   * One entry per stack this environment deploys with `cdk deploy`: the single `account` / `region`
   * (possibly environment-agnostic), or every account x region of `targets`. Empty in organization
   * mode, where a StackSet deploys instead.
   */
  readonly targets: readonly DeploymentTarget[];
  /** Organization mode: a service-managed StackSet over organizational units. */
  readonly organization?: OrganizationConfig;
};

/** The reference workload's settings. */
export type WorkloadConfig = EnvironmentConfig['workload'];
export type Subscribers = EnvironmentConfig['alerts']['critical'];
