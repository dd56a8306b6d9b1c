import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OrganizationConfig } from '../config/types';
import { BaselineKey } from '../constructs/baseline-key';
import { SecureBucket } from '../constructs/secure-bucket';

/** The asset bucket of one region: `<assetBucketPrefix>-<region>`, also its key's alias. */
export function stackSetAssetBucketName(
  org: Pick<OrganizationConfig, 'assetBucketPrefix'>,
  region: string,
): string {
  return `${org.assetBucketPrefix}-${region}`;
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
