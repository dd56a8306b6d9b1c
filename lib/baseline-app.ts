import { App, CfnResource, Names, Stack, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BaselineCompliance } from './compliance/baseline-compliance';
import { recordSwitchedOff } from './compliance/report';
import { loadConfig } from './config/loader';
import { EnvironmentConfig, PolicyConfig } from './config/types';
import { BaselineStackSetStack } from './stacks/baseline-stack-set';
import { buildBackupCopyVault } from './stacks/data-protection-parts';
import { StackSetAssetsStack, stackSetAssetBucketName } from './stacks/stack-set-assets';
import { ProtectedWorkloadStack, WORKLOAD_CONTROLS } from './stacks/protected-workload-stack';
import { SecurityBaselineStack } from './stacks/security-baseline-stack';

/**
 * Build the baseline into `app` from its context: `-c config=FILE` (default: the embedded default
 * configuration) and `-c env=NAME` (default: every configured environment). The configuration is
 * validated in full first; on any problem a ConfigError is thrown and no stack is created.
 *
 * Each environment becomes one SecurityBaselineStack per target (account x region; the account's
 * home region also holds the account-wide resources) for `cdk deploy --all`, or, in organization
 * mode, a StackSet stack plus one asset-bucket stack per region.
 */
export function buildBaselineApp(app: App): Stack[] {
  return build(app, true);
}

/**
 * The stacks of buildBaselineApp without the compliance gate, where only the templates matter: tests
 * about templates and the README's cost estimate (scripts/readme-cost.ts). The gate's own tests, and
 * a synth of every shipped configuration, run the gate. Not part of the package's API: an app always
 * enables the gate.
 */
export function buildBaselineStacks(app: App): Stack[] {
  return build(app, false);
}

function build(app: App, gate: boolean): Stack[] {
  const configFile = app.node.tryGetContext('config');
  const { policy, environments } = loadConfig({
    configFile: configFile === undefined ? undefined : String(configFile),
    env: app.node.tryGetContext('env'),
  });
  if (gate) BaselineCompliance.enable(app, { maxKeyRotationDays: policy.maxKeyRotationDays });
  return environments.flatMap((env) =>
    env.organization ? stackSet(app, env, policy) : targetStacks(app, env, policy),
  );
}

/**
 * The stage that holds the reference workloads. `cdk deploy --all` deploys the app's top-level
 * stacks only, so the workload (a database, interface endpoints and a web ACL: about $95 a month in
 * dev) is synthesized and checked by every synth but deployed only when asked for by name:
 * `cdk deploy 'ReferenceWorkload/*'`. Its stacks keep their names and logical IDs.
 */
export const WORKLOAD_STAGE = 'ReferenceWorkload';

function workloadStage(app: App): Stage {
  return (app.node.tryFindChild(WORKLOAD_STAGE) as Stage | undefined) ?? new Stage(app, WORKLOAD_STAGE);
}

/**
 * Logical IDs are relative to their stack, except where a construct sets one from its full path
 * (`Names.uniqueId`, as rds.DatabaseSecret does): inside the stage such IDs would change, and the
 * resource (a database's credentials) would be replaced. Give them the ID they have at top level.
 */
function keepTopLevelLogicalIds(stack: Stack): void {
  const stage = Stage.of(stack)!;
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !c.node.scope) continue;
    const id = stack.resolve(c.logicalId) as string;
    const inStage = Names.uniqueId(c.node.scope);
    if (!id.startsWith(inStage)) continue;
    // The same construct IDs without the stage, in a detached tree.
    const detached = c.node.scope.node.scopes
      .filter((s) => s !== stage && s.node.scope !== undefined)
      .reduce<Construct>((parent, s) => new Construct(parent, s.node.id), new App({ autoSynth: false }));
    c.overrideLogicalId(`${Names.uniqueId(detached)}${id.slice(inStage.length)}`.slice(-255));
  }
}

function targetStacks(app: App, env: EnvironmentConfig, policy: PolicyConfig): Stack[] {
  return env.targets.map((target) => {
    const config: EnvironmentConfig = {
      ...env,
      account: target.account,
      region: target.region,
      stackName: target.stackName,
    };
    const baseline = new SecurityBaselineStack(app, target.stackName, {
      config,
      policy,
      accountResources: target.accountResources,
    });
    if (env.backup.enabled && env.backup.copyRegion && target.accountResources) {
      // The vault that receives the environment's cross-region backup copies (DATA-03).
      const copy = new Stack(app, `${target.stackName}-BackupCopy`, {
        env: { account: target.account, region: env.backup.copyRegion },
        description: `cdk-security-baseline (${env.name}): vault for cross-region backup copies`,
        terminationProtection: env.protection.terminationProtection,
      });
      buildBackupCopyVault(copy, config);
      baseline.addDependency(copy);
    }
    if (!env.workload.enabled) {
      recordSwitchedOff(baseline, `environments.${env.name}.workload.enabled: false`, ...WORKLOAD_CONTROLS);
    } else if (target.accountResources) {
      // The reference workload shows the data and edge controls working together
      // (config: workload.enabled), once per account, in its home region.
      const name = `${target.stackName}-Workload`;
      keepTopLevelLogicalIds(
        new ProtectedWorkloadStack(workloadStage(app), name, { config, policy, stackName: name }),
      );
    }
    return baseline;
  });
}

function stackSet(app: App, env: EnvironmentConfig, policy: PolicyConfig): Stack[] {
  const org = env.organization!;
  const admin = { account: org.adminAccount };
  const assets = org.regions.map(
    (region) =>
      new StackSetAssetsStack(app, `${env.stackName}-StackSetAssets-${region}`, {
        env: { ...admin, region },
        bucketName: stackSetAssetBucketName(org, region),
        organizationId: org.organizationId,
        terminationProtection: env.protection.terminationProtection,
      }),
  );
  const management = new BaselineStackSetStack(app, `${env.stackName}-StackSet`, {
    env: org.adminRegion || org.adminAccount ? { ...admin, region: org.adminRegion } : undefined,
    config: env,
    policy,
  });
  // The asset buckets exist before the StackSet copies its code into them.
  for (const a of assets) management.addStackDependency(a);
  return [management, ...assets];
}
