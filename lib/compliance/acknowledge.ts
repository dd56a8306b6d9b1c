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
