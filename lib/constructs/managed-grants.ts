import { Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyRole } from './managed-policy-role';

/**
 * Run a CDK grant (`apply`) so that, when the grantee is a role, its statements land in one customer-
 * managed policy attached to that role ("<role>/BaselineGrants") instead of the role's inline
 * DefaultPolicy. The NIST 800-53 R5, HIPAA Security and PCI DSS packs reject inline policies
 * (IAMNoInlinePolicy), so a grant from a baseline construct passes the gate as it is. Grantees that
 * are not roles (users, service principals, imported principals) get CDK's ordinary grant.
 */
export function grantThroughManagedPolicy(
  grantee: iam.IGrantable,
  apply: (grantee: iam.IGrantable) => iam.Grant,
): iam.Grant {
  const role = grantee.grantPrincipal;
  // A ManagedPolicyRole already keeps every statement in a managed policy.
  if (!(role instanceof iam.Role) || role instanceof ManagedPolicyRole) return apply(grantee);
  const id = 'BaselineGrants';
  const policy =
    (role.node.tryFindChild(id) as iam.ManagedPolicy | undefined) ??
    new iam.ManagedPolicy(role, id, {
      description: `cdk-security-baseline grants of ${Names.uniqueId(role)}`,
      roles: [role],
    });
  return apply(new PolicyGrantee(role, policy));
}

/** A grantee that is `role` for every purpose except where its statements go: `policy`. */
class PolicyGrantee implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: iam.PrincipalPolicyFragment;
  public readonly principalAccount?: string;

  constructor(
    role: iam.Role,
    private readonly policy: iam.ManagedPolicy,
  ) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
}
