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
  /** Alert routing by incident class (ALR-01, ALR-02). */
  readonly alerts: {
    /** Least severe class that notifies subscribers. */
    readonly minimumClass: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
    readonly critical: Subscribers;
    readonly high: Subscribers;
    readonly medium: Subscribers;
    readonly low: Subscribers;
  };
  /** GuardDuty (DET-01) and Security Hub (DET-02). */
  readonly threatDetection: {
    readonly guardDuty: boolean;
    readonly features: readonly string[];
    readonly existingDetectorId?: string;
    readonly securityHub: boolean;
    readonly adoptExistingHub: boolean;
  };
  readonly workload: WorkloadConfig;
}

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

/** Organization mode (`environments.<name>.organization`), defaults applied. */
export interface OrganizationConfig {
  readonly organizationId: string;
  readonly organizationalUnits: readonly string[];
  readonly regions: readonly string[];
  /** Region whose stack instance carries the account-wide resources. */
  readonly homeRegion: string;
  /** Buckets `<prefix>-<region>` in the admin account hold the StackSet's Lambda code for each region. */
  readonly assetBucketPrefix: string;
  /** Where the StackSet itself is managed (management or delegated administrator account). */
  readonly adminAccount?: string;
  readonly adminRegion?: string;
  readonly delegatedAdmin: boolean;
  readonly autoDeployment: boolean;
  readonly retainStacksOnAccountRemoval: boolean;
  readonly maxConcurrentPercentage: number;
  readonly failureTolerancePercentage: number;
  readonly regionConcurrency: 'PARALLEL' | 'SEQUENTIAL';
}

/** The reference workload (ProtectedWorkloadStack) beside the baseline. */
export interface WorkloadConfig {
  readonly enabled: boolean;
  readonly natGateways: number;
  readonly interfaceEndpoints: boolean;
  readonly multiAzDatabase: boolean;
  readonly backupRetentionDays: number;
  /** API Gateway stage throttling: steady requests per second and burst. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** WAF requests per client IP per 5 minutes. */
  readonly wafRateLimit: number;
}

export interface Subscribers {
  readonly emails: readonly string[];
  readonly httpsUrls: readonly string[];
}

/** What the profile supplies for everything an environment leaves out. */
export type ProfileDefaults = Pick<
  EnvironmentConfig,
  'auditLog' | 'accessLogs' | 'protection' | 'audit' | 'identity' | 'alerts' | 'threatDetection' | 'workload'
> & {
  readonly keys: { readonly rotationPeriodDays: number };
};
