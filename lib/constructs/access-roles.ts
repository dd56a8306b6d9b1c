import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { childPath, PropErrors } from './errors';

/**
 * What the guardrail protects: the baseline's own resources, as objects or, where only the ARN is
 * at hand (another stack, another tool), as ARNs. Both lists of a kind are protected.
 */
export interface BaselineResources {
  /** The baseline's trails. @default - none */
  readonly trails?: cloudtrail.Trail[];
  /** The baseline's KMS keys. @default - none */
  readonly keys?: kms.IKey[];
  /** Buckets holding audit logs. @default - none */
  readonly auditBuckets?: s3.IBucket[];
  /** ARNs of the baseline's trails. @default - none */
  readonly trailArns?: string[];
  /** ARNs of the baseline's KMS keys. @default - none */
  readonly keyArns?: string[];
  /** ARNs of buckets holding audit logs. @default - none */
  readonly auditBucketArns?: string[];
}

export interface AccessRolesProps {
  /**
   * Principals that may assume the roles (with MFA): e.g. an identity account or SSO roles.
   * @default - principals of this account
   */
  readonly trustedPrincipals?: iam.IPrincipal[];

  /**
   * Longest MFA age accepted when assuming a role, and longest session (IAM-02, IAM-03).
   * @default Duration.hours(1)
   */
  readonly maxSession?: Duration;

  /** The baseline resources the guardrail keeps every role (but break-glass) from disabling. */
  readonly protect: BaselineResources;
}

/** The roles, each with its AWS job-function managed policy (IAM-03). */
const ROLES: { id: string; description: string; policies: string[] }[] = [
  {
    id: 'Admin',
    description: 'Administration of the account, under the baseline guardrail',
    policies: ['AdministratorAccess'],
  },
  {
    id: 'Operator',
    description: 'Day-to-day operations: manage workloads, not identity',
    policies: ['PowerUserAccess'],
  },
  {
    id: 'ReadOnly',
    description: 'Read-only access to resources and their data',
    policies: ['ReadOnlyAccess'],
  },
  {
    id: 'Auditor',
    description: 'Security audit: read security configuration, not data',
    policies: ['SecurityAudit'],
  },
];

/**
 * Role-based access (IAM-03) where every role can only be assumed with MFA (IAM-02): admin, operator,
 * read-only and auditor roles with AWS job-function policies and one-hour sessions, plus a
 * break-glass administrator. A guardrail policy, attached to every role except break-glass, denies
 * disabling the baseline: stopping, deleting or changing the trail, deleting the GuardDuty
 * detector, disabling or scheduling deletion of baseline keys or their rotation, changing the audit
 * bucket's policy or Object Lock, and loosening the roles or the guardrail itself.
 */
export class AccessRoles extends Construct {
  public readonly roles: Record<string, iam.Role> = {};
  public readonly breakGlass: iam.Role;
  public readonly guardrail: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: AccessRolesProps) {
    super(scope, id);
    const maxSession = props.maxSession ?? Duration.hours(1);
    const errors = new PropErrors('AccessRoles', childPath(scope.node.path, id));
    if (!maxSession.isUnresolved() && (maxSession.toSeconds() < 900 || maxSession.toSeconds() > 3600)) {
      errors.add(
        'maxSession',
        maxSession,
        'sessions and MFA age of 15 minutes to 1 hour (IAM-03: short sessions)',
      );
    }
    const p = props.protect;
    const trailArns = [...(p.trails ?? []).map((t) => t.trailArn), ...(p.trailArns ?? [])];
    const keyArns = [...(p.keys ?? []).map((k) => k.keyArn), ...(p.keyArns ?? [])];
    const auditBucketArns = [...(p.auditBuckets ?? []).map((b) => b.bucketArn), ...(p.auditBucketArns ?? [])];
    if (trailArns.length + keyArns.length + auditBucketArns.length === 0) {
      errors.add('protect', props.protect, 'at least one baseline resource for the guardrail to protect');
    }
    errors.throwIfAny();

    const stack = Stack.of(this);
    const { partition, account } = stack;
    const roleArnPattern = `arn:${partition}:iam::${account}:role/*`;
    // Named, so the policy can deny changes to itself without a circular reference.
    const guardrailName = `${stack.stackName}-guardrail`;
    this.guardrail = new iam.ManagedPolicy(this, 'Guardrail', {
      managedPolicyName: guardrailName,
      description:
        'cdk-security-baseline guardrail: the security baseline cannot be disabled from these roles',
      statements: [
        deny(
          'ProtectTrail',
          [
            'cloudtrail:StopLogging',
            'cloudtrail:DeleteTrail',
            'cloudtrail:UpdateTrail',
            'cloudtrail:PutEventSelectors',
          ],
          trailArns,
        ),
        deny(
          'ProtectThreatDetection',
          [
            'guardduty:DeleteDetector',
            'guardduty:DisassociateFromMasterAccount',
            'guardduty:DisassociateFromAdministratorAccount',
          ],
          ['*'],
        ),
        deny(
          'ProtectKeys',
          ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy'],
          keyArns,
        ),
        deny(
          'ProtectAuditBuckets',
          [
            's3:PutBucketPolicy',
            's3:DeleteBucketPolicy',
            's3:PutBucketObjectLockConfiguration',
            's3:PutLifecycleConfiguration',
            's3:DeleteBucket',
          ],
          auditBucketArns,
        ),
      ].filter((s): s is iam.PolicyStatement => s !== undefined),
    });
    // The guardrail must not be removable from the roles it binds.
    this.guardrail.addStatements(
      new iam.PolicyStatement({
        sid: 'ProtectGuardrail',
        effect: iam.Effect.DENY,
        actions: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        resources: [`arn:${partition}:iam::${account}:policy/${guardrailName}`],
      }),
      new iam.PolicyStatement({
        sid: 'ProtectBaselineRoles',
        effect: iam.Effect.DENY,
        actions: [
          'iam:DetachRolePolicy',
          'iam:PutRolePolicy',
          'iam:DeleteRolePolicy',
          'iam:UpdateAssumeRolePolicy',
          'iam:DeleteRole',
          'iam:PutRolePermissionsBoundary',
          'iam:DeleteRolePermissionsBoundary',
        ],
        resources: [roleArnPattern],
        conditions: { StringEquals: { 'iam:ResourceTag/security-baseline:role': 'true' } },
      }),
    );

    const trust = (principal: iam.IPrincipal) =>
      new iam.PrincipalWithConditions(principal, {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': String(maxSession.toSeconds()) },
      });
    const principals = props.trustedPrincipals ?? [new iam.AccountRootPrincipal()];
    const assumedBy =
      principals.length === 1 ? trust(principals[0]) : new iam.CompositePrincipal(...principals.map(trust));

    const managed = (name: string) => iam.ManagedPolicy.fromAwsManagedPolicyName(name);
    for (const r of ROLES) {
      const role = new iam.Role(this, r.id, {
        description: r.description,
        assumedBy,
        maxSessionDuration: maxSession,
        managedPolicies: [...r.policies.map(managed), this.guardrail],
      });
      tag(role);
      for (const p of r.policies) {
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${p}]`,
          reason: `IAM-03 uses the AWS job-function policy ${p} for this role; AWS maintains it as services change.`,
        });
      }
      this.roles[r.id] = role;
    }
    this.breakGlass = new iam.Role(this, 'BreakGlass', {
      description:
        'Emergency administrator WITHOUT the guardrail: use only when the baseline itself must change',
      assumedBy,
      maxSessionDuration: maxSession,
      managedPolicies: [managed('AdministratorAccess')],
    });
    tag(this.breakGlass);
    Validations.of(this.breakGlass).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]',
      reason: 'The break-glass role is full administration by design, MFA-gated and without the guardrail.',
    });
    recordControls(this, 'IAM-02', 'IAM-03');
  }
}

function deny(sid: string, actions: string[], resources: string[]): iam.PolicyStatement | undefined {
  return resources.length === 0
    ? undefined
    : new iam.PolicyStatement({ sid, effect: iam.Effect.DENY, actions, resources });
}

function tag(role: iam.Role): void {
  // Marks the role as part of the baseline, so the guardrail protects it from being loosened.
  (role.node.defaultChild as iam.CfnRole).tags.setTag('security-baseline:role', 'true');
}
