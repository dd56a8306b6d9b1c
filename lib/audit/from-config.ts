import { loadConfig } from '../config/loader';
import { Expectations } from './context';

/** The fields read here, all optional: the config module owns the real types and may change them. */
interface LooseEnvironment {
  readonly region?: string;
  readonly targets?: readonly { readonly region?: string }[];
  readonly organization?: { readonly regions?: readonly string[] };
  readonly audit?: { readonly regions?: readonly string[] };
  readonly keys?: { readonly maxRotationPeriodDays?: number; readonly rotationPeriodDays?: number };
  readonly threatDetection?: {
    readonly guardDuty?: boolean;
    readonly securityHub?: boolean;
    readonly features?: readonly string[];
  };
  readonly workload?: { readonly enabled?: boolean; readonly wafRateLimit?: number };
}

/** What `--config FILE` tells the audit: the regions to check and what the baseline deploys there. */
export interface AuditTargets {
  readonly regions: string[];
  readonly expect: Expectations;
  /** Highest key rotation period the config allows (keys.maxRotationPeriodDays). */
  readonly maxRotationDays?: number;
}

/**
 * Regions of every environment (or only `envName`): its `region`, its targets' regions, its
 * organization regions and its continuous-audit regions. Expectations are the union over the
 * environments (a feature any of them deploys is expected). Read defensively: the config types are
 * owned by the config module and may gain fields.
 */
export function auditTargetsFromConfig(configFile: string, envName?: string): AuditTargets {
  const environments = loadConfig({ configFile, ...(envName ? { env: envName } : {}) })
    .environments as unknown as LooseEnvironment[];
  const regions = new Set<string>();
  for (const e of environments) {
    if (e.region) regions.add(e.region);
    for (const t of e.targets ?? []) if (t.region) regions.add(t.region);
    for (const r of e.organization?.regions ?? []) regions.add(r);
    for (const r of e.audit?.regions ?? []) regions.add(r);
  }
  const any = (f: (e: (typeof environments)[number]) => boolean | undefined) =>
    environments.some((e) => f(e) === true);
  const workload = any((e) => e.workload?.enabled);
  const rateLimits = environments
    .filter((e) => e.workload?.enabled)
    .map((e) => e.workload?.wafRateLimit)
    .filter((l): l is number => typeof l === 'number');
  const features = [
    ...new Set(
      environments
        .filter((e) => e.threatDetection?.guardDuty)
        .flatMap((e) => e.threatDetection?.features ?? []),
    ),
  ];
  const rotation = environments
    .map((e) => e.keys?.maxRotationPeriodDays)
    .filter((d): d is number => typeof d === 'number');
  return {
    regions: [...regions],
    expect: {
      guardDuty: any((e) => e.threatDetection?.guardDuty),
      ...(features.length > 0 ? { guardDutyFeatures: features } : {}),
      securityHub: any((e) => e.threatDetection?.securityHub),
      webAcl: workload,
      database: workload,
      ...(rateLimits.length > 0 ? { maxRateLimit: Math.max(...rateLimits) } : {}),
    },
    ...(rotation.length > 0 ? { maxRotationDays: Math.max(...rotation) } : {}),
  };
}
