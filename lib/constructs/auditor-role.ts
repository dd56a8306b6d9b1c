import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDIT_PERMISSIONS } from '../audit/permissions';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { childPath, PropErrors } from './errors';

export interface AuditorRoleProps {
  /**
   * Who may assume the role.
   * @default - principals of this account, with MFA used within the last hour
   */
  readonly assumedBy?: iam.IPrincipal;

  /**
   * Longest session.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * The role `baseline-audit` runs as (CMP-05): exactly the read-only actions the audit's checks
 * need (AUDIT_PERMISSIONS, from lib/audit/permissions.ts), scoped to this account's resources
 * wherever the action supports a resource ARN.
 */
export class AuditorRole extends Construct {
  public readonly role: iam.Role;
  /** The audit's permissions, for other principals that run the checks (ContinuousAudit). */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AuditorRoleProps = {}) {
    super(scope, id);
    const maxSession = props.maxSessionDuration ?? Duration.hours(1);
    const errors = new PropErrors('AuditorRole', childPath(scope.node.path, id));
    if (!maxSession.isUnresolved() && (maxSession.toSeconds() < 900 || maxSession.toSeconds() > 3600)) {
      errors.add(
        'maxSessionDuration',
        maxSession,
        'sessions last 15 minutes to 1 hour (IAM-03: short sessions)',
      );
    }
    errors.throwIfAny();

    const { partition, account } = Stack.of(this);
    // Where an action accepts resource ARNs, this account's resources of that type; the rest
    // (List*, Describe*, account-level settings such as GetAccountPublicAccessBlock,
    // GetAccountPasswordPolicy, GetEbsEncryptionByDefault) take no resource ARN and need '*'.
    const key = `arn:${partition}:kms:*:${account}:key/*`;
    const trail = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
    const bucket = `arn:${partition}:s3:::*`;
    const webAcl = `arn:${partition}:wafv2:*:${account}:*/webacl/*/*`;
    const resources: Record<string, string> = {
      'kms:DescribeKey': key,
      'kms:GetKeyRotationStatus': key,
      'kms:GetKeyPolicy': key,
      'cloudtrail:GetTrailStatus': trail,
      'cloudtrail:GetEventSelectors': trail,
      'guardduty:GetDetector': `arn:${partition}:guardduty:*:${account}:detector/*`,
      's3:GetBucketTagging': bucket,
      's3:GetEncryptionConfiguration': bucket,
      's3:GetBucketPublicAccessBlock': bucket,
      's3:GetBucketVersioning': bucket,
      's3:GetBucketLogging': bucket,
      's3:GetBucketPolicy': bucket,
      's3:GetBucketObjectLockConfiguration': bucket,
      'wafv2:GetWebACL': webAcl,
      'wafv2:GetLoggingConfiguration': webAcl,
      'wafv2:ListResourcesForWebACL': webAcl,
    };
    const byResource = new Map<string, string[]>();
    for (const action of AUDIT_PERMISSIONS) {
      const resource = resources[action] ?? '*';
      byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
    }
    const policy = (this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'baseline-audit: read-only checks of the security baseline (CMP-05)',
      statements: [...byResource].map(
        ([resource, actions]) => new iam.PolicyStatement({ actions, resources: [resource] }),
      ),
    }));

    this.role = new iam.Role(this, 'Resource', {
      description: 'Assumed to run baseline-audit: verifies the deployed security baseline, read-only',
      assumedBy:
        props.assumedBy ??
        new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
        }),
      maxSessionDuration: maxSession,
      managedPolicies: [policy],
    });

    const why =
      'Read-only List/Describe/Get for baseline-audit; the wildcard is either an action without resource-level ' +
      'permissions (List*, Describe*, account-level settings such as GetAccountPublicAccessBlock or ' +
      'GetAccountPasswordPolicy) or "every resource of this type in this account".';
    for (const resource of byResource.keys()) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResource(this, resource)}]`,
        reason: why,
      });
    }
    recordControls(this, 'CMP-05');
  }
}
