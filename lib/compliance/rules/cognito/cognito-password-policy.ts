import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** IAM-01 / policies 001 and 003: at least 12 characters. */
const MIN_LENGTH = 12;
/** IAM-01 remembers 24 passwords; Cognito remembers at most 24. */
const MIN_HISTORY = 24;

/**
 * A Cognito user pool applies IAM-01's password rules to application users (IAM-05): at least 12
 * characters and the last 24 passwords not reusable. cdk-nag's AwsSolutions-COG1 accepts 8
 * characters and does not look at reuse. Findings: `[MinimumLength]`, `[PasswordHistorySize]`.
 * A value known only at deploy time fails closed.
 */
export const CognitoPasswordPolicy: PolicyRule = {
  id: 'CognitoPasswordPolicy',
  controls: ['IAM-05', 'IAM-01'],
  level: NagMessageLevel.ERROR,
  info: 'The user pool accepts passwords shorter than 12 characters or lets users reuse recent passwords.',
  explanation:
    'Policies 001 and 003 require 12+ character passwords and prevent reuse of previous ones. Set ' +
    'Policies.PasswordPolicy.MinimumLength >= 12 and PasswordHistorySize 24 (ApplicationSignIn does; the ' +
    'history needs the Essentials or Plus feature plan).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Cognito::UserPool') return NagRuleCompliance.NOT_APPLICABLE;
    const policies = cfn.properties.Policies;
    const password = isObject(policies) && isObject(policies.PasswordPolicy) ? policies.PasswordPolicy : {};
    const findings: string[] = [];
    // Cognito's default minimum length is 8.
    const length = password.MinimumLength ?? 8;
    if (typeof length !== 'number' || length < MIN_LENGTH) findings.push('MinimumLength');
    const history = password.PasswordHistorySize ?? 0;
    if (typeof history !== 'number' || history < MIN_HISTORY) findings.push('PasswordHistorySize');
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  found: (cfn: CfnView) => {
    const policies = cfn.properties.Policies;
    const p = isObject(policies) && isObject(policies.PasswordPolicy) ? policies.PasswordPolicy : {};
    return (
      `MinimumLength is ${JSON.stringify(p.MinimumLength ?? 'unset (8)')}, PasswordHistorySize is ` +
      `${JSON.stringify(p.PasswordHistorySize ?? 'unset (0)')}; use ApplicationSignIn or set 12+ and 24`
    );
  },
};
