import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The rule IDs under which NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 report the same check
 * (they share rule names), e.g. `inFrameworkPacks('S3BucketReplicationEnabled')`.
 * Pass `packs` for a rule only some of them have.
 */
export function inFrameworkPacks(
  rule: string,
  packs: readonly string[] = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'],
): string[] {
  return packs.map((pack) => `${pack}-${rule}`);
}

/**
 * Acknowledge each finding in `ids` on `scope` (one acknowledgement per finding), for one reason
 * a reviewer can check. Call it next to the code that causes the findings.
 */
export function acknowledge(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The findings every CloudFormation custom-resource handler raises by being one: no dead-letter
 * queue or concurrency limit (CloudFormation invokes it synchronously and reports its failures on
 * the stack, so there are no asynchronous events to dead-letter or throttle), and no VPC, for the
 * `outsideVpcReason` given (what it calls and why it needs no network access). Call it on the
 * function's construct.
 */
export function acknowledgeCustomResourceHandler(fn: IConstruct, outsideVpcReason: string): void {
  // PCI DSS 3.2.1 has no DLQ or concurrency rule.
  const nistHipaa = ['NIST.800.53.R5', 'HIPAA.Security'];
  acknowledge(
    fn,
    [...inFrameworkPacks('LambdaDLQ', nistHipaa), ...inFrameworkPacks('LambdaConcurrency', nistHipaa)],
    'CloudFormation invokes this custom-resource handler synchronously and reports failures on the stack; ' +
      'there are no asynchronous events to dead-letter or throttle.',
  );
  acknowledge(
    fn,
    [...inFrameworkPacks('LambdaInsideVPC'), 'cdk-validator-cfnguard::lambda_inside_vpc_check'],
    outsideVpcReason,
  );
}
