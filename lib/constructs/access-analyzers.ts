import { Stack } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { childPath, PropErrors } from './errors';

export interface AccessAnalyzersProps {
  /**
   * Also analyze unused access (roles, users, keys and permissions not used within the tracking
   * period). Billed per IAM role and user analyzed.
   * @default true
   */
  readonly unusedAccess?: boolean;

  /**
   * Days without use after which access is reported as unused, 1..365.
   * @default 90
   */
  readonly unusedAccessAgeDays?: number;
}

/**
 * IAM Access Analyzer (IAM-04): an account analyzer for access from outside the account and an
 * unused-access analyzer, the evidence behind regular access reviews. One of each per account and
 * region.
 */
export class AccessAnalyzers extends Construct {
  public readonly external: accessanalyzer.CfnAnalyzer;
  public readonly unused?: accessanalyzer.CfnAnalyzer;

  constructor(scope: Construct, id: string, props: AccessAnalyzersProps = {}) {
    super(scope, id);
    const age = props.unusedAccessAgeDays ?? 90;
    const errors = new PropErrors('AccessAnalyzers', childPath(scope.node.path, id));
    if (!Number.isInteger(age) || age < 1 || age > 365)
      errors.add('unusedAccessAgeDays', age, 'a whole number of days, 1..365');
    errors.throwIfAny();

    const name = Stack.of(this).stackName;
    this.external = new accessanalyzer.CfnAnalyzer(this, 'External', {
      type: 'ACCOUNT',
      analyzerName: `${name}-external-access`,
    });
    if (props.unusedAccess ?? true) {
      this.unused = new accessanalyzer.CfnAnalyzer(this, 'Unused', {
        type: 'ACCOUNT_UNUSED_ACCESS',
        analyzerName: `${name}-unused-access`,
        analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge: age } },
      });
    }
    recordControls(this, 'IAM-04');
  }
}
