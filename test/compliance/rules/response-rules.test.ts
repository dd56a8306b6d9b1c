// SecurityPolicy rules for the detection and response controls (issue 17), each tested both ways.
import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnView, POLICY_RULES, PolicyRule } from '../../../lib/compliance/rules';
import { PatchBaselineSecurityApproval } from '../../../lib/compliance/rules/ssm/patch-baseline-security-approval';
import { PatchManagement, PatchOperatingSystem } from '../../../lib/constructs/patch-management';
import { testStack } from '../../constructs/response-helpers';

const { COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

function check(rule: PolicyRule, build: (stack: Stack) => CfnResource): NagRuleResult {
  return rule.check(new CfnView(build(testStack())), { maxKeyRotationDays: 90 });
}

const baseline = (s: Stack, rules: unknown, extra: Record<string, unknown> = {}) =>
  new ssm.CfnPatchBaseline(s, 'B', {
    name: 'b',
    operatingSystem: 'AMAZON_LINUX_2023',
    approvalRules: rules as ssm.CfnPatchBaseline.RuleGroupProperty,
    ...extra,
  });
const securityRule = (approveAfterDays: unknown, key = 'CLASSIFICATION', values = ['Security']) => ({
  approveAfterDays,
  patchFilterGroup: { patchFilters: [{ key, values }] },
});

describe('SecurityPolicy-PatchBaselineSecurityApproval (OPS-01)', () => {
  test('is registered in the SecurityPolicy pack', () => {
    expect(POLICY_RULES).toContain(PatchBaselineSecurityApproval);
  });

  test('compliant: every PatchManagement baseline, and a rule approving after 1 day', () => {
    for (const os of Object.values(PatchOperatingSystem)) {
      const result = check(PatchBaselineSecurityApproval, (s) => {
        const p = new PatchManagement(s, 'P', { operatingSystems: [os] });
        return p.baselines.get(os)!;
      });
      expect([os, result]).toEqual([os, COMPLIANT]);
    }
    expect(check(PatchBaselineSecurityApproval, (s) => baseline(s, { patchRules: [securityRule(1)] }))).toBe(
      COMPLIANT,
    );
  });

  test('non-compliant: security patches approved after 7 days (the AWS default baselines wait 7)', () => {
    expect(
      check(PatchBaselineSecurityApproval, (s) => baseline(s, { patchRules: [securityRule(7)] })),
    ).toEqual(['ApprovalRule0']);
  });

  test('non-compliant: no approval rule, or none selecting security patches', () => {
    expect(check(PatchBaselineSecurityApproval, (s) => baseline(s, undefined))).toEqual(['NoSecurityRule']);
    expect(
      check(PatchBaselineSecurityApproval, (s) =>
        baseline(s, { patchRules: [securityRule(0, 'CLASSIFICATION', ['Bugfix'])] }),
      ),
    ).toEqual(['NoSecurityRule']);
  });

  test('non-compliant: an approve-until date, a deploy-time value, or one late rule among timely ones', () => {
    expect(
      check(PatchBaselineSecurityApproval, (s) =>
        baseline(s, {
          patchRules: [{ ...securityRule(undefined), approveUntilDate: '2026-01-01' }],
        }),
      ),
    ).toEqual(['ApprovalRule0']);
    expect(
      check(PatchBaselineSecurityApproval, (s) => {
        const days = new CfnParameter(s, 'Days', { type: 'Number' });
        return baseline(s, { patchRules: [securityRule(days.valueAsNumber)] });
      }),
    ).toEqual(['ApprovalRule0']);
    expect(
      check(PatchBaselineSecurityApproval, (s) =>
        baseline(s, {
          patchRules: [securityRule(0), securityRule(14, 'CLASSIFICATION', ['SecurityUpdates'])],
        }),
      ),
    ).toEqual(['ApprovalRule1']);
  });

  test('non-compliant: a raw override that delays a compliant baseline is seen', () => {
    const result = check(PatchBaselineSecurityApproval, (s) => {
      const b = new PatchManagement(s, 'P', {
        operatingSystems: [PatchOperatingSystem.WINDOWS],
      }).baselines.get(PatchOperatingSystem.WINDOWS)!;
      b.addPropertyOverride('ApprovalRules.PatchRules.0.ApproveAfterDays', 30);
      return b;
    });
    expect(result).toEqual(['ApprovalRule0']);
  });

  test('not applicable: other resources', () => {
    expect(
      check(
        PatchBaselineSecurityApproval,
        (s) => new ssm.CfnParameter(s, 'P', { type: 'String', value: 'x' }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});
