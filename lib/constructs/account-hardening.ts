import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { encryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { acknowledgeCustomResourceHandler } from '../compliance/acknowledge';

/** Policies 001 and 003: at least 12 characters. */
export const MIN_PASSWORD_LENGTH = 12;

/** Which settings an AccountHardening applies. */
export enum HardeningScope {
  /** The account's settings (IAM password policy, S3 account public access block) and this region's. */
  ACCOUNT_AND_REGION = 'ACCOUNT_AND_REGION',
  /** This region's settings only (EBS encryption by default): for the account's other regions. */
  REGION = 'REGION',
}

export interface AccountHardeningProps {
  /**
   * Account settings exist once per account, regional ones once per region: deploy
   * ACCOUNT_AND_REGION in one region of the account (its home region) and REGION in the others.
   * @default HardeningScope.ACCOUNT_AND_REGION
   */
  readonly scope?: HardeningScope;

  /**
   * Minimum IAM user password length (IAM-01), 12..128.
   * @default 14
   */
  readonly minimumPasswordLength?: number;

  /**
   * The key EBS volumes are encrypted with by default (DATA-07).
   * @default - a new BaselineKey, alias `security-baseline/<stack>/ebs`
   */
  readonly ebsKey?: BaselineKey;

  /**
   * The key that encrypts the log group of the custom-resource function.
   * @default - the EBS key
   */
  readonly logKey?: BaselineKey;
}

/**
 * Account-wide settings that have no CloudFormation resource (IAM-01, DATA-07), applied with
 * `AwsCustomResource`: the IAM password policy (12+ characters, upper, lower, digit and symbol,
 * 90-day maximum age, the last 24 passwords remembered, users may change their own), account-level
 * S3 Block Public Access, and EBS encryption by default with a customer-managed key.
 *
 * Create and update apply the settings (idempotent). **Delete leaves them in place**: removing the
 * stack never makes the account weaker than the stack left it. Turning them off again is a
 * deliberate act outside this stack. One instance per account (S3, IAM) and region (EBS).
 */
export class AccountHardening extends Construct {
  public readonly ebsKey: BaselineKey;
  /** The custom resources that apply account settings (empty for HardeningScope.REGION). */
  public readonly accountSettings: Construct[];

  constructor(scope: Construct, id: string, props: AccountHardeningProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const length = props.minimumPasswordLength ?? 14;
    const errors = new PropErrors('AccountHardening', childPath(scope.node.path, id));
    if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > 128) {
      errors.add(
        'minimumPasswordLength',
        length,
        `a whole number ${MIN_PASSWORD_LENGTH}..128 (IAM-01, policies 001 and 003)`,
      );
    }
    errors.throwIfAny();
    const accountScope =
      (props.scope ?? HardeningScope.ACCOUNT_AND_REGION) === HardeningScope.ACCOUNT_AND_REGION;

    this.ebsKey =
      props.ebsKey ??
      new BaselineKey(this, 'EbsKey', {
        alias: `security-baseline/${stack.stackName}/ebs`,
        description: 'cdk-security-baseline: default encryption key of new EBS volumes and snapshots',
      });
    const logKey = props.logKey ?? this.ebsKey;

    // The provider function's own log group, encrypted and kept a year (LOG-04).
    const logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/security-baseline/account-hardening/${stack.stackName}`,
      encryptionKey: logKey,
    });

    // Exactly the calls below, in a managed policy (no inline or AWS-managed policies).
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: accountScope
        ? 'Applies the account password policy, S3 Block Public Access and EBS default encryption'
        : 'Applies EBS default encryption in this region',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          // These account-level settings have no resource ARN.
          actions: [
            ...(accountScope ? ['iam:UpdateAccountPasswordPolicy', 's3:PutAccountPublicAccessBlock'] : []),
            'ec2:EnableEbsEncryptionByDefault',
            'ec2:ModifyEbsDefaultKmsKeyId',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ actions: ['kms:DescribeKey'], resources: [this.ebsKey.keyArn] }),
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Applies account-wide security settings for cdk-security-baseline',
      managedPolicies: [policy],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iam:UpdateAccountPasswordPolicy, s3:PutAccountPublicAccessBlock, ec2:EnableEbsEncryptionByDefault and ' +
        'ec2:ModifyEbsDefaultKmsKeyId act on account settings and support no resource ARN (Service Authorization Reference).',
    });

    const call = (name: string, sdk: cr.AwsSdkCall) =>
      new cr.AwsCustomResource(this, name, {
        onCreate: sdk,
        onUpdate: sdk,
        // No onDelete: deleting the stack leaves the account as hardened as it was.
        role: role.withoutPolicyUpdates(),
        logGroup,
        installLatestAwsSdk: false,
        timeout: Duration.minutes(2),
      });

    // Account settings (IAM, S3) only where this construct speaks for the account.
    this.accountSettings = accountScope
      ? [
          call('PasswordPolicy', {
            service: 'IAM',
            action: 'UpdateAccountPasswordPolicy',
            parameters: {
              MinimumPasswordLength: length,
              RequireUppercaseCharacters: true,
              RequireLowercaseCharacters: true,
              RequireNumbers: true,
              RequireSymbols: true,
              MaxPasswordAge: 90,
              PasswordReusePrevention: 24,
              AllowUsersToChangePassword: true,
              HardExpiry: false,
            },
            physicalResourceId: cr.PhysicalResourceId.of(`${stack.account}-password-policy`),
          }),
          call('S3PublicAccessBlock', {
            service: 'S3Control',
            action: 'PutPublicAccessBlock',
            parameters: {
              AccountId: stack.account,
              PublicAccessBlockConfiguration: {
                BlockPublicAcls: true,
                IgnorePublicAcls: true,
                BlockPublicPolicy: true,
                RestrictPublicBuckets: true,
              },
            },
            physicalResourceId: cr.PhysicalResourceId.of(`${stack.account}-s3-public-access-block`),
          }),
        ]
      : [];
    if (accountScope) recordControls(this, 'IAM-01');
    const ebsDefault = call('EbsEncryptionByDefault', {
      service: 'EC2',
      action: 'EnableEbsEncryptionByDefault',
      parameters: {},
      physicalResourceId: cr.PhysicalResourceId.of(
        `${stack.account}-${stack.region}-ebs-encryption-by-default`,
      ),
    });
    call('EbsDefaultKey', {
      service: 'EC2',
      action: 'ModifyEbsDefaultKmsKeyId',
      parameters: { KmsKeyId: this.ebsKey.keyArn },
      physicalResourceId: cr.PhysicalResourceId.of(`${stack.account}-${stack.region}-ebs-default-key`),
    }).node.addDependency(ebsDefault);

    acknowledgeProviderFunction(stack);
    recordControls(this, 'DATA-07', 'ENC-01');
  }
}

/**
 * The findings of AwsCustomResource's shared provider function (created once per stack by CDK),
 * acknowledged on that function, where they arise.
 */
function acknowledgeProviderFunction(stack: Stack): void {
  const provider = stack.node.tryFindChild(
    `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
  );
  if (!provider) return;
  acknowledgeCustomResourceHandler(
    provider,
    'The provider only calls AWS account-settings APIs (IAM, S3 Control, EC2); it holds no data and reaches no network resource.',
  );
}
