import { DeploymentTarget } from './types';

/** The stack name of one target: `<stackName>-<account>-<region>`. */
export function targetStackName(stackName: string, account: string, region: string): string {
  return `${stackName}-${account}-${region}`;
}

/** Organization IDs are globally unique, so the asset bucket names they lead to are too. */
export function assetBucketPrefix(organizationId: string, envName: string): string {
  return `security-baseline-${organizationId}-${envName}`;
}

/**
 * The stacks an environment deploys: `targets` expands to accounts x regions, the account-wide
 * resources in each account's home region (`homeRegion`, default the first region); otherwise the
 * single `account` / `region`. Organization mode deploys through a StackSet instead: no targets.
 */
export function expandTargets(
  env: {
    account?: string;
    region?: string;
    targets?: { accounts: string[]; regions: string[]; homeRegion?: string };
    organization?: unknown;
  },
  stackName: string,
): DeploymentTarget[] {
  if (env.organization) return [];
  const t = env.targets;
  if (!t) return [{ account: env.account, region: env.region, stackName, accountResources: true }];
  const home = t.homeRegion ?? t.regions[0];
  return t.accounts.flatMap((account) =>
    t.regions.map((region) => ({
      account,
      region,
      stackName: targetStackName(stackName, account, region),
      accountResources: region === home,
    })),
  );
}
