import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';

export interface SecurityHubProps {
  /**
   * Adopt the hub already enabled in this account and region: only the standards are enabled.
   * @default false
   */
  readonly adoptExistingHub?: boolean;
}

/**
 * AWS Security Hub (DET-02, opt-in) with the AWS Foundational Security Best Practices and CIS AWS
 * Foundations Benchmark v3.0 standards.
 */
export class SecurityHub extends Construct {
  constructor(scope: Construct, id: string, props: SecurityHubProps = {}) {
    super(scope, id);
    const { partition, region } = Stack.of(this);
    const hub = props.adoptExistingHub
      ? undefined
      : new securityhub.CfnHub(this, 'Hub', { enableDefaultStandards: false, autoEnableControls: true });
    for (const [sid, standard] of [
      ['FoundationalBestPractices', 'aws-foundational-security-best-practices/v/1.0.0'],
      ['CisFoundations', 'cis-aws-foundations-benchmark/v/3.0.0'],
    ]) {
      const s = new securityhub.CfnStandard(this, sid, {
        standardsArn: `arn:${partition}:securityhub:${region}::standards/${standard}`,
      });
      if (hub) s.node.addDependency(hub);
    }
    recordControls(this, 'DET-02');
  }
}
