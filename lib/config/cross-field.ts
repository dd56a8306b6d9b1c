import { KMS_MAX_ROTATION_DAYS, POLICY_ROTATION_DAYS } from '../validation/aws';
import { ConfigProblem } from './problems';
import { profileDefaults } from './profiles';
import { PROFILE_NAMES } from './schema';
import { assetBucketPrefix, targetStackName } from './targets';

// Rules that relate several settings. They run beside the schema (so every problem is reported at
// once) on the configuration as written, and read it defensively: it may be malformed anywhere.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An own property only: user input never reaches Object.prototype. */
const own = (o: unknown, key: string): unknown => (isObj(o) && Object.hasOwn(o, key) ? o[key] : undefined);
const ownObj = (o: unknown, key: string): Obj => {
  const v = own(o, key);
  return isObj(v) ? v : {};
};

/** Every cross-field problem of a configuration as written. */
export function crossFieldProblems(config: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const envs = own(config, 'environments');
  if (!isObj(envs)) return problems;
  const policyMax = own(ownObj(config, 'policy'), 'maxKeyRotationDays');
  const maxRotation = typeof policyMax === 'number' ? policyMax : POLICY_ROTATION_DAYS;
  const stackNames = new Map<string, string>();
  const targetsSeen = new Map<string, string>();
  const accountOwners = new Map<string, string>();

  for (const [name, env] of Object.entries(envs)) {
    if (!isObj(env)) continue;
    const at = `environments.${name}`;
    if (own(env, 'profile') === undefined && !(PROFILE_NAMES as readonly string[]).includes(name)) {
      problems.push({
        path: `${at}.profile`,
        received: undefined,
        message: `a profile (${PROFILE_NAMES.join(', ')}): "${name}" is not a profile name, so it must say which profile it uses`,
      });
    }
    const rotation = own(ownObj(env, 'keys'), 'rotationPeriodDays');
    // Out of KMS's own range is already reported by the schema.
    if (typeof rotation === 'number' && rotation > maxRotation && rotation <= KMS_MAX_ROTATION_DAYS) {
      problems.push({
        path: `${at}.keys.rotationPeriodDays`,
        received: rotation,
        message: `at most ${maxRotation} days: the security policy's maximum rotation period (policy.maxKeyRotationDays, ENC-02)`,
      });
    }
    const ddos = ownObj(env, 'ddos');
    const protectedResources = own(ddos, 'resources');
    if (
      own(ddos, 'shieldAdvanced') === true &&
      !(Array.isArray(protectedResources) && protectedResources.length > 0)
    ) {
      problems.push({
        path: `${at}.ddos.resources`,
        received: protectedResources,
        message: 'at least one resource to protect when ddos.shieldAdvanced is true (NET-06)',
      });
    }
    const auditLog = ownObj(env, 'auditLog');
    const retention =
      own(auditLog, 'retentionDays') ?? profileDefaults(own(env, 'profile') ?? name)?.auditLog.retentionDays;
    const cold = own(auditLog, 'coldStorageAfterDays');
    if (typeof cold === 'number' && typeof retention === 'number' && cold >= retention) {
      problems.push({
        path: `${at}.auditLog.coldStorageAfterDays`,
        received: cold,
        message: `fewer days than the audit log retention (${retention})`,
      });
    }
    const features = own(ownObj(env, 'threatDetection'), 'features');
    if (
      Array.isArray(features) &&
      features.includes('RUNTIME_MONITORING') &&
      features.includes('EKS_RUNTIME_MONITORING')
    ) {
      problems.push({
        path: `${at}.threatDetection.features`,
        received: features,
        message: 'RUNTIME_MONITORING or EKS_RUNTIME_MONITORING, not both (GuardDuty rejects the pair)',
      });
    }
    const givenName = own(env, 'stackName');
    const stackName = typeof givenName === 'string' ? givenName : `SecurityBaseline-${name}`;
    problems.push(...placementProblems(at, name, env, stackName));
    const targets = concreteTargets(at, env);
    for (const t of targets) {
      const key = `${t.account}/${t.region}`;
      const seen = targetsSeen.get(key);
      if (seen !== undefined) {
        problems.push({
          path: t.path,
          received: t.received,
          message: `a target not already deployed by ${seen} (account ${t.account} in ${t.region}): one baseline per account and region`,
        });
      } else targetsSeen.set(key, t.path);
    }
    const accountWide = own(ownObj(env, 'identity'), 'accountWide');
    if (accountWide !== false) {
      for (const account of new Set(targets.map((t) => t.account))) {
        const owner = accountOwners.get(account);
        if (owner !== undefined && owner !== name) {
          problems.push({
            path: `${at}.identity.accountWide`,
            received: accountWide,
            message: `false: account ${account} already gets its account-wide resources (password policy, S3 account public access block, analyzers) from environments.${owner}; one environment per account deploys them`,
          });
        } else accountOwners.set(account, name);
      }
    }
    const other = stackNames.get(stackName);
    if (other !== undefined) {
      problems.push({
        path: `${at}.stackName`,
        received: stackName,
        message: `a stack name not already used by environments.${other}`,
      });
    }
    stackNames.set(stackName, name);
  }
  return problems;
}

/** Where an environment deploys: `account`/`region`, `targets` or `organization`, one of them, consistently. */
function placementProblems(at: string, name: string, env: Obj, stackName: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const targets = own(env, 'targets');
  const organization = own(env, 'organization');
  const single = own(env, 'account') !== undefined || own(env, 'region') !== undefined;
  if (targets !== undefined && single) {
    problems.push({
      path: `${at}.targets`,
      received: targets,
      message: 'either "account" / "region" (one stack) or "targets" (accounts x regions), not both',
    });
  }
  if (organization !== undefined && (single || targets !== undefined)) {
    problems.push({
      path: `${at}.organization`,
      received: organization,
      message:
        'organization mode deploys through a StackSet to its organizational units: leave out "account", "region" and "targets"',
    });
  }
  for (const [key, block] of [
    ['targets', targets],
    ['organization', organization],
  ] as const) {
    const regions = own(block, 'regions');
    const home = own(block, 'homeRegion');
    if (Array.isArray(regions) && typeof home === 'string' && !regions.includes(home)) {
      problems.push({
        path: `${at}.${key}.homeRegion`,
        received: home,
        message: `one of ${key}.regions (${regions.join(', ')}): the home region holds the account-wide resources`,
      });
    }
  }
  const orgId = own(organization, 'organizationId');
  const orgRegions = own(organization, 'regions');
  if (typeof orgId === 'string' && Array.isArray(orgRegions)) {
    const given = own(organization, 'assetBucketPrefix');
    const prefix = typeof given === 'string' ? given : assetBucketPrefix(orgId, name);
    const longest = Math.max(0, ...orgRegions.map((r) => String(r).length));
    if (prefix.length + 1 + longest > 63) {
      problems.push({
        path: `${at}.organization.assetBucketPrefix`,
        received: given,
        message: `a prefix of at most ${62 - longest} characters: the asset buckets are named <prefix>-<region> and S3 allows 63 ("${prefix}" has ${prefix.length})`,
      });
    }
  }
  const targetRegions = own(targets, 'regions');
  if (Array.isArray(targetRegions)) {
    const longest = targetRegions.map((r) => String(r)).sort((a, b) => b.length - a.length)[0] ?? '';
    const length = targetStackName(stackName, '123456789012', longest).length;
    if (length > 128) {
      problems.push({
        path: `${at}.stackName`,
        received: stackName,
        message: `a shorter name: with targets each stack is named <stackName>-<account>-<region>, ${length} characters here, and CloudFormation allows 128`,
      });
    }
  }
  return problems;
}

/** The account/region pairs an environment names explicitly (environment-agnostic stacks have none). */
function concreteTargets(
  at: string,
  env: Obj,
): { account: string; region: string; path: string; received: unknown }[] {
  const account = own(env, 'account');
  const region = own(env, 'region');
  const t = own(env, 'targets');
  if (typeof account === 'string' && typeof region === 'string' && t === undefined) {
    return [{ account, region, path: `${at}.account`, received: account }];
  }
  const accounts = own(t, 'accounts');
  const regions = own(t, 'regions');
  if (!Array.isArray(accounts) || !Array.isArray(regions)) return [];
  const uniqueRegions = [...new Set(regions.filter((r): r is string => typeof r === 'string'))];
  return accounts.flatMap((a: unknown, i) =>
    typeof a === 'string' && accounts.indexOf(a) === i
      ? uniqueRegions.map((r) => ({
          account: a,
          region: r,
          path: `${at}.targets.accounts[${i}]`,
          received: a,
        }))
      : [],
  );
}
