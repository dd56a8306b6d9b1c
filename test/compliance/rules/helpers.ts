import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';
import { CfnView, PolicyRule, PolicyRuleOptions } from '../../../lib/compliance/rules';
import { testStack } from '../../helpers';

export const DEFAULT_OPTIONS: PolicyRuleOptions = { maxKeyRotationDays: 90, maxRequestsPerFiveMinutes: 2000 };

/** Run `rule` on the resource `build` returns, in a fresh stack (no synthesis needed). */
export function check(
  rule: PolicyRule,
  build: (stack: Stack) => CfnResource,
  options = DEFAULT_OPTIONS,
): NagRuleResult {
  const stack = testStack();
  return rule.check(new CfnView(build(stack)), options);
}
