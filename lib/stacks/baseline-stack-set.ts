import { Aws, CfnCondition, Fn, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  Capability,
  DeploymentType,
  RegionConcurrencyType,
  StackSet,
  StackSetStack,
  StackSetTarget,
  StackSetTemplate,
} from 'cdk-stacksets';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { recordSwitchedOff } from '../compliance/report';
import { EnvironmentConfig, OrganizationConfig, PolicyConfig } from '../config/types';
import { secureAssetCopy } from './asset-copy';
import { composeBaseline } from './baseline-composition';
import { deployOnlyWhen } from './conditional-references';
import { stackSetAssetBucketName } from './stack-set-assets';
import { WORKLOAD_CONTROLS } from './protected-workload-stack';

export { conditionalReferenceProblems, stackSetTemplateProblems } from './conditional-references';
export { StackSetAssetsStack, stackSetAssetBucketName } from './stack-set-assets';
export type { StackSetAssetsStackProps } from './stack-set-assets';

/**
 * The StackSet's template. Its file assets are copied by its parent at synth (cdk-stacksets), so
 * they must exist whichever stacks the CLI was asked to bundle (`cdk deploy <one stack>` bundles
 * only stacks whose path matches, and this one's path never does): it always bundles.
 */
class BaselineTemplateStack extends StackSetStack {
  public override get bundlingRequired(): boolean {
    return true;
  }
}

export interface BaselineStackSetStackProps extends StackProps {
  /**
   * The resolved environment; its `organization` says where the StackSet deploys. The asset
   * buckets `<organization.assetBucketPrefix>-<region>` (StackSetAssetsStack) must exist first.
   */
  readonly config: EnvironmentConfig;
  /** @default - policy 003: keys rotate at most every 90 days */
  readonly policy?: PolicyConfig;
}

/**
 * Organization mode: the baseline as a service-managed CloudFormation StackSet over organizational
 * units, in the management (or delegated administrator) account. One template for every account
 * and region: the account-wide resources carry the condition `IsHomeRegion`, so they exist once
 * per account; new accounts in the OUs get the baseline automatically.
 */
export class BaselineStackSetStack extends Stack {
  public readonly template: StackSetStack;
  public readonly stackSet: StackSet;

  constructor(scope: Construct, id: string, props: BaselineStackSetStackProps) {
    const { config, policy, ...stackProps } = props;
    const org = requireOrganization(config);
    super(scope, id, {
      description: `cdk-security-baseline (${config.name}, ${config.profile} profile): the baseline StackSet for ${org.organizationalUnits.join(', ')}`,
      terminationProtection: config.protection.terminationProtection,
      ...stackProps,
    });

    const assetBuckets = org.regions.map((region) =>
      s3.Bucket.fromBucketAttributes(this, `AssetBucket-${region}`, {
        bucketName: stackSetAssetBucketName(org, region),
        region,
      }),
    );
    this.template = new BaselineTemplateStack(this, 'Baseline', {
      assetBuckets,
      assetBucketPrefix: org.assetBucketPrefix,
    });
    this.template.templateOptions.description = `cdk-security-baseline (${config.name}, ${config.profile} profile), deployed by StackSet ${config.stackName}`;
    // Member-account instances cannot be termination-protected through a StackSet; the StackSet
    // itself is retained under deletion protection (below).
    if (config.protection.terminationProtection) recordControls(this, 'OPS-03');
    recordControls(this.template, 'OPS-02');
    const parts = composeBaseline(this.template, config, true, {
      selfContainedAccountResources: true,
      policy,
    });
    const home = new CfnCondition(this.template, 'IsHomeRegion', {
      expression: Fn.conditionEquals(Aws.REGION, org.homeRegion),
    });
    deployOnlyWhen(parts.accountWide, home);
    // The reference workload is not part of the StackSet: its controls are off in organization mode.
    recordSwitchedOff(
      this.template,
      `environments.${config.name}.organization (a StackSet deploys no reference workload)`,
      ...WORKLOAD_CONTROLS,
    );
    // The template's Lambda code assets have created the copy function this secures.
    secureAssetCopy(this, org);

    this.stackSet = new StackSet(this, 'StackSet', {
      stackSetName: config.stackName,
      description: `cdk-security-baseline (${config.name}): account-wide resources in ${org.homeRegion}, regional ones in ${org.regions.join(', ')}`,
      template: StackSetTemplate.fromStackSetStack(this.template),
      target: StackSetTarget.fromOrganizationalUnits({
        organizationalUnits: [...org.organizationalUnits],
        regions: [...org.regions],
      }),
      deploymentType: DeploymentType.serviceManaged({
        delegatedAdmin: org.delegatedAdmin,
        autoDeployEnabled: org.autoDeployment,
        // CloudFormation accepts the retain setting only with automatic deployment.
        autoDeployRetainStacks: org.autoDeployment ? org.retainStacksOnAccountRemoval : undefined,
      }),
      operationPreferences: {
        maxConcurrentPercentage: org.maxConcurrentPercentage,
        failureTolerancePercentage: org.failureTolerancePercentage,
        regionConcurrencyType:
          org.regionConcurrency === 'SEQUENTIAL'
            ? RegionConcurrencyType.SEQUENTIAL
            : RegionConcurrencyType.PARALLEL,
        // The home region first: the account-wide resources exist before the other regions roll out.
        regionOrder: [org.homeRegion, ...org.regions.filter((r) => r !== org.homeRegion)],
      },
      capabilities: [Capability.IAM, Capability.NAMED_IAM],
    });
    // Deleting the StackSet would delete every account's baseline: with deletion protection on,
    // removing it from the app leaves it (and its instances) in place.
    if (config.protection.deletionProtection) this.stackSet.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}

function requireOrganization(config: EnvironmentConfig): OrganizationConfig {
  if (!config.organization) {
    throw new Error(`BaselineStackSetStack: environment ${config.name} has no "organization" settings`);
  }
  return config.organization;
}
