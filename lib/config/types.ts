import { ProfileName } from './schema';

/** The settings of one environment after its profile's defaults are applied: nothing is optional. */
export interface EnvironmentConfig {
  /** Environment name, the key under `environments` (e.g. `prod`). */
  readonly name: string;
  readonly profile: ProfileName;
  /** Target account; undefined synthesizes an environment-agnostic stack. */
  readonly account?: string;
  /** Target region; undefined synthesizes an environment-agnostic stack. */
  readonly region?: string;
  readonly stackName: string;
  readonly securityContact?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly keys: {
    readonly rotationPeriodDays: number;
    /** The written policy's maximum rotation period (from `policy.maxKeyRotationDays`). */
    readonly maxRotationPeriodDays: number;
  };
  readonly auditLog: {
    readonly retentionDays: number;
    readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
    readonly coldStorageAfterDays: number;
    readonly cloudWatchRetentionDays: number;
  };
  readonly accessLogs: { readonly retentionDays: number };
  readonly protection: { readonly terminationProtection: boolean; readonly deletionProtection: boolean };
  /** baseline-audit in the account (CMP-05). */
  readonly audit: {
    /** Run the checks daily inside the account (ContinuousAudit). */
    readonly continuous: boolean;
    /** Notified when a run finds problems. */
    readonly alertEmails: readonly string[];
    /** Regions the continuous audit checks; empty means the stack's region. */
    readonly regions: readonly string[];
  };
  /** Identity and account hardening (IAM-01..04, DATA-07). */
  readonly identity: {
    /** Deploy the account-wide settings and analyzers from this environment (one per account). */
    readonly accountWide: boolean;
    readonly minimumPasswordLength: number;
    /** Who may assume the baseline roles (with MFA); empty means this account. */
    readonly trustedPrincipals: readonly string[];
    readonly unusedAccessAnalyzer: boolean;
    readonly unusedAccessAgeDays: number;
  };
}

/** What the profile supplies for everything an environment leaves out. */
export type ProfileDefaults = Pick<
  EnvironmentConfig,
  'auditLog' | 'accessLogs' | 'protection' | 'audit' | 'identity'
> & {
  readonly keys: { readonly rotationPeriodDays: number };
};
