import { ArnFormat, Aws, DefaultStackSynthesizer, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { acknowledge, acknowledgeCustomResourceHandler, inFrameworkPacks } from '../compliance/acknowledge';
import { nagResource } from '../compliance/nag-ids';
import { OrganizationConfig } from '../config/types';
import { BaselineKey } from '../constructs/baseline-key';
import { stackSetAssetBucketName } from './stack-set-assets';

const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

/**
 * cdk-stacksets copies the template's assets to the region buckets with one BucketDeployment per
 * bucket, all run by CDK's BucketDeployment function. The buckets are encrypted with their
 * stack's key, which this stack cannot reference across regions, so the function may use exactly
 * the keys aliased like the buckets. Its log group is encrypted here; the findings CDK's function
 * itself raises are acknowledged on it with their reasons.
 */
export function secureAssetCopy(stack: Stack, org: OrganizationConfig): void {
  const deployments = stack.node.children.filter(
    (c): c is s3deploy.BucketDeployment => c instanceof s3deploy.BucketDeployment,
  );
  if (deployments.length === 0) return;
  const kmsKeys = org.regions.map((region) => `arn:${Aws.PARTITION}:kms:${region}:${stack.account}:key/*`);
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

  // The function that runs the copies is the one whose role is the deployments' handler role.
  const handlerRole = deployments[0].handlerRole;
  const fn = stack.node
    .findAll()
    .find((c): c is lambda.Function => c instanceof lambda.Function && c.role === handlerRole);
  if (!fn) throw new Error('BaselineStackSetStack: the BucketDeployment function was not found');
  const logKey = new BaselineKey(stack, 'AssetCopyLogKey', {
    alias: `security-baseline/${stack.stackName}/asset-copy-logs`,
    description: "cdk-security-baseline: encrypts the StackSet asset copy function's log group",
  });
  logKey.allowCloudWatchLogs(
    stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/lambda/${fn.functionName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  const logGroup = fn.node.findAll().find((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup);
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
    handlerRole,
    [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ],
    'AWSLambdaBasicExecutionRole is attached by aws-cdk-lib to its BucketDeployment function: log writing only.',
  );
  const policy = handlerRole.node.findAll().find((c) => c instanceof iam.Policy);
  if (!policy) throw new Error("BaselineStackSetStack: the BucketDeployment function's policy was not found");
  acknowledge(
    policy,
    inFrameworkPacks('IAMNoInlinePolicy'),
    "aws-cdk-lib grants its BucketDeployment function through the role's default (inline) policy; it holds only the grants below.",
  );
  const qualifier =
    stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const bootstrapBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
    '${Qualifier}',
    qualifier,
  )
    .replace('${AWS::AccountId}', stack.account)
    .replace('${AWS::Region}', stack.region);
  acknowledge(
    policy,
    [
      ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
        (a) => `AwsSolutions-IAM5[Action::${a}]`,
      ),
      `AwsSolutions-IAM5[Resource::${nagResource(stack, `arn:${stack.partition}:s3:::${bootstrapBucket}/*`)}]`,
      ...org.regions.map(
        (r) =>
          `AwsSolutions-IAM5[Resource::${nagResource(stack, `arn:${stack.partition}:s3:::${stackSetAssetBucketName(org, r)}/*`)}]`,
      ),
    ],
    "BucketDeployment's grantRead (CDK bootstrap asset bucket) and grantReadWrite (the StackSet asset buckets): objects of exactly these buckets; the copied objects' keys are content hashes, unknown until synth.",
  );
  acknowledge(
    policy,
    kmsKeys.map((k) => `AwsSolutions-IAM5[Resource::${nagResource(stack, k)}]`),
    "The asset buckets' keys live in other stacks (one per region) with IDs unknown here; the statement is limited by kms:ResourceAliases to the keys aliased like the asset buckets.",
  );
}
