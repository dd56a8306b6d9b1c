import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose identity-based statements all land in one customer-managed policy attached to
 * it ("<role>/Policy"), never in an inline policy: the NIST 800-53 R5, HIPAA Security and PCI DSS
 * packs reject inline policies (IAMNoInlinePolicy). Everything CDK grants it (`bucket.grantRead(fn)`,
 * a function's dead-letter queue, ...) goes there too. A drop-in `iam.Role`.
 */
export class ManagedPolicyRole extends iam.Role {
  private managed?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  /** Adds the statement to the role's customer-managed policy (created on first use). */
  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.managed ??= new iam.ManagedPolicy(this, 'Policy', {
      description: `Permissions of ${this.node.path}`,
      roles: [this],
    });
    this.managed.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managed };
  }
}
