import {
  ArnFormat,
  Aspects,
  Aws,
  CfnCondition,
  CfnOutput,
  DefaultStackSynthesizer,
  CfnResource,
  Fn,
  IAspect,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import {
  Capability,
  DeploymentType,
  RegionConcurrencyType,
  StackSet,
  StackSetStack,
  StackSetTarget,
  StackSetTemplate,
} from 'cdk-stacksets';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, acknowledgeCustomResourceHandler, inFrameworkPacks } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { EnvironmentConfig, OrganizationConfig, PolicyConfig } from '../config/types';
import { BaselineKey } from '../constructs/baseline-key';
import { SecureBucket } from '../constructs/secure-bucket';
import { composeBaseline } from './baseline-composition';

/** The singleton function aws-cdk-lib's BucketDeployment runs (its uuid in aws-s3-deployment). */
const BUCKET_DEPLOYMENT_UUID = '8693BB64968944B69AAFB0CC9EB8756C';
const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

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

/** Sets a CloudFormation condition on every resource and output below the constructs it visits. */
class OnlyWhen implements IAspect {
  constructor(private readonly condition: CfnCondition) {}
  public visit(node: IConstruct): void {
    if (node instanceof CfnResource) node.cfnOptions.condition = this.condition;
    else if (node instanceof CfnOutput) node.condition = this.condition;
  }
}

type Template = {
  Resources?: Record<string, { Condition?: string; DependsOn?: string | string[]; Properties?: unknown }>;
  Outputs?: Record<string, { Condition?: string; Value?: unknown }>;
};

/**
 * References that break when a condition is false: an element deployed under one condition (or
 * none) that refers to a resource deployed only under another. CloudFormation rejects such a
 * template at deploy time; this finds them at synth.
 */
export function conditionalReferenceProblems(template: Template): string[] {
  const resources = template.Resources ?? {};
  const conditionOf = (id: string) => resources[id]?.Condition;
  const problems: string[] = [];
  const refsIn = (value: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string') out.add(v);
        else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
        else if (k === 'Fn::Sub') {
          const text = Array.isArray(v) ? String(v[0]) : String(v);
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) out.add(m[1]);
          if (Array.isArray(v)) refsIn(v[1], out);
        } else refsIn(v, out);
      }
    }
    return out;
  };
  const check = (what: string, condition: string | undefined, refs: Set<string>) => {
    for (const ref of refs) {
      const target = conditionOf(ref);
      if (resources[ref] && target !== undefined && target !== condition) {
        problems.push(
          `${what} (${condition ? `condition ${condition}` : 'always deployed'}) refers to ${ref}, deployed only when ${target}`,
        );
      }
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    const refs = refsIn(r.Properties, new Set());
    for (const d of [r.DependsOn ?? []].flat()) refs.add(d);
    check(`resource ${id}`, r.Condition, refs);
  }
  for (const [id, o] of Object.entries(template.Outputs ?? {})) {
    check(`output ${id}`, o.Condition, refsIn(o.Value, new Set()));
  }
  return problems;
}

export interface StackSetAssetsStackProps extends StackProps {
  /** The bucket's name: `<prefix>-<region>`. */
  readonly bucketName: string;
  /** The organization whose accounts may read the code (aws:PrincipalOrgID). */
  readonly organizationId: string;
}

/**
 * One region's bucket for the StackSet's file assets (Lambda code), in the StackSet's admin
 * account: StackSet instances create their functions from the bucket in their own region, as the
 * StackSet execution role of the member account, which the bucket and key policies let read
 * within the organization. Retained like every bucket of the baseline.
 */
export class StackSetAssetsStack extends Stack {
  public readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: StackSetAssetsStackProps) {
    const { bucketName, organizationId, ...stackProps } = props;
    super(scope, id, {
      description: 'cdk-security-baseline: Lambda code of the baseline StackSet, for this region',
      ...stackProps,
    });
    const key = new BaselineKey(this, 'Key', {
      // BaselineStackSetStack's copy function may use exactly the keys with this alias.
      alias: bucketName,
      description: 'cdk-security-baseline: encrypts the StackSet asset bucket of this region',
    });
    this.bucket = new SecureBucket(this, 'Assets', { bucketName, encryptionKey: key });
    const inOrganization = { 'aws:PrincipalOrgID': organizationId };
    this.bucket.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsStackSetCode',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.bucket.arnForObjects('*')],
        conditions: { StringEquals: inOrganization },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationDecryptsThroughS3',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { ...inOrganization, 'kms:ViaService': `s3.${this.region}.amazonaws.com` },
        },
      }),
    );
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
    for (const c of parts.accountWide) Aspects.of(c).add(new OnlyWhen(home));
    this.secureAssetCopy(org);
    this.template.node.addValidation({
      validate: () =>
        conditionalReferenceProblems(
          (this.template as unknown as { _toCloudFormation(): Template })._toCloudFormation(),
        ),
    });

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

  /**
   * cdk-stacksets copies the template's assets to the region buckets with one BucketDeployment per
   * bucket, all run by CDK's BucketDeployment function. The buckets are encrypted with their
   * stack's key, which this stack cannot reference across regions, so the function may use exactly
   * the keys aliased like the buckets. Its log group is encrypted here; the findings CDK's function
   * itself raises are acknowledged on it with their reasons.
   */
  private secureAssetCopy(org: OrganizationConfig): void {
    const deployments = this.node.children.filter(
      (c): c is s3deploy.BucketDeployment => c instanceof s3deploy.BucketDeployment,
    );
    if (deployments.length === 0) return;
    const kmsKeys = org.regions.map((region) => `arn:${Aws.PARTITION}:kms:${region}:${this.account}:key/*`);
    deployments[0].handlerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: kmsKeys,
        conditions: {
          'ForAnyValue:StringEquals': {
            'kms:ResourceAliases': org.regions.map((r) => `alias/${stackSetAssetBucketName(org, r)}`),
          },
        },
      }),
    );

    const fn = this.node.tryFindChild(`Custom::CDKBucketDeployment${BUCKET_DEPLOYMENT_UUID}`) as
      lambda.Function | undefined;
    if (!fn) throw new Error('BaselineStackSetStack: CDK BucketDeployment function not found');
    const logKey = new BaselineKey(this, 'AssetCopyLogKey', {
      alias: `security-baseline/${this.stackName}/asset-copy-logs`,
      description: "cdk-security-baseline: encrypts the StackSet asset copy function's log group",
    });
    logKey.allowCloudWatchLogs(
      this.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: `/aws/lambda/${fn.functionName}`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    const logGroup = fn.node.tryFindChild('LogGroup')?.node.defaultChild as logs.CfnLogGroup | undefined;
    if (!logGroup)
      throw new Error("BaselineStackSetStack: the BucketDeployment function's log group not found");
    logGroup.kmsKeyId = logKey.keyArn;
    logGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);

    acknowledgeCustomResourceHandler(
      fn,
      'The function copies Lambda code between S3 buckets of this account; it holds no data and reaches no network resource.',
    );
    acknowledge(
      fn,
      ['AwsSolutions-L1'],
      `aws-cdk-lib ships the BucketDeployment handler for one runtime (${(fn.node.defaultChild as lambda.CfnFunction).runtime}) with its AWS CLI layer; it moves with aws-cdk-lib upgrades.`,
    );
    acknowledge(
      fn.role!,
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ],
      'AWSLambdaBasicExecutionRole is attached by aws-cdk-lib to its BucketDeployment function: log writing only.',
    );
    const policy = fn.role!.node.tryFindChild('DefaultPolicy')!;
    acknowledge(
      policy,
      inFrameworkPacks('IAMNoInlinePolicy'),
      "aws-cdk-lib grants its BucketDeployment function through the role's default (inline) policy; it holds only the grants below.",
    );
    const qualifier =
      this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const bootstrapBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
      '${Qualifier}',
      qualifier,
    )
      .replace('${AWS::AccountId}', this.account)
      .replace('${AWS::Region}', this.region);
    acknowledge(
      policy,
      [
        ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
          (a) => `AwsSolutions-IAM5[Action::${a}]`,
        ),
        `AwsSolutions-IAM5[Resource::${nagResource(this, `arn:${this.partition}:s3:::${bootstrapBucket}/*`)}]`,
        ...org.regions.map(
          (r) =>
            `AwsSolutions-IAM5[Resource::${nagResource(this, `arn:${this.partition}:s3:::${stackSetAssetBucketName(org, r)}/*`)}]`,
        ),
      ],
      "BucketDeployment's grantRead (CDK bootstrap asset bucket) and grantReadWrite (the StackSet asset buckets): objects of exactly these buckets; the copied objects' keys are content hashes, unknown until synth.",
    );
    acknowledge(
      policy,
      kmsKeys.map((k) => `AwsSolutions-IAM5[Resource::${nagResource(this, k)}]`),
      "The asset buckets' keys live in other stacks (one per region) with IDs unknown here; the statement is limited by kms:ResourceAliases to the keys aliased like the asset buckets.",
    );
  }
}

/** The asset bucket of one region: `<assetBucketPrefix>-<region>`, also its key's alias. */
export function stackSetAssetBucketName(org: OrganizationConfig, region: string): string {
  return `${org.assetBucketPrefix}-${region}`;
}

function requireOrganization(config: EnvironmentConfig): OrganizationConfig {
  if (!config.organization) {
    throw new Error(`BaselineStackSetStack: environment ${config.name} has no "organization" settings`);
  }
  return config.organization;
}
