// SecurityPolicy rules for the detection, response and sign-in controls (issue 17), each tested both ways.
import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { NagRuleCompliance } from 'cdk-nag';
import { CfnView, POLICY_RULES } from '../../../lib/compliance/rules';
import { CognitoClientShortSessions } from '../../../lib/compliance/rules/cognito/cognito-client-short-sessions';
import { CognitoPasswordPolicy } from '../../../lib/compliance/rules/cognito/cognito-password-policy';
import { ConfigRecorderAllSupported } from '../../../lib/compliance/rules/config/config-recorder-all-supported';
import { PatchBaselineSecurityApproval } from '../../../lib/compliance/rules/ssm/patch-baseline-security-approval';
import { SsmAutomationRoleScoped } from '../../../lib/compliance/rules/ssm/ssm-automation-role-scoped';
import { ApplicationSignIn } from '../../../lib/constructs/application-sign-in';
import { ConfigRecording } from '../../../lib/constructs/config-recording';
import { ContainmentRunbooks, Runbook } from '../../../lib/constructs/containment-runbooks';
import { PatchManagement, PatchOperatingSystem } from '../../../lib/constructs/patch-management';
import { testStack } from '../../constructs/response-helpers';
import { check, DEFAULT_OPTIONS } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

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
        return p.baseline(os);
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
      }).baseline(PatchOperatingSystem.WINDOWS);
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

describe('SecurityPolicy-CognitoPasswordPolicy (IAM-05, IAM-01)', () => {
  const pool = (s: Stack, passwordPolicy?: Record<string, unknown>) =>
    new cognito.CfnUserPool(s, 'P', passwordPolicy ? { policies: { passwordPolicy } } : {});

  test('is registered', () => {
    expect(POLICY_RULES).toEqual(expect.arrayContaining([CognitoPasswordPolicy, CognitoClientShortSessions]));
  });

  test('compliant: ApplicationSignIn, and 12 characters with 24 remembered', () => {
    expect(
      check(
        CognitoPasswordPolicy,
        (s) => new ApplicationSignIn(s, 'A').userPool.node.defaultChild as CfnResource,
      ),
    ).toBe(COMPLIANT);
    expect(check(CognitoPasswordPolicy, (s) => pool(s, { minimumLength: 12, passwordHistorySize: 24 }))).toBe(
      COMPLIANT,
    );
  });

  test('non-compliant: the Cognito defaults (8 characters, no history), which pass AwsSolutions-COG1', () => {
    expect(check(CognitoPasswordPolicy, (s) => pool(s))).toEqual(['MinimumLength', 'PasswordHistorySize']);
    expect(
      check(CognitoPasswordPolicy, (s) => pool(s, { minimumLength: 11, passwordHistorySize: 24 })),
    ).toEqual(['MinimumLength']);
    expect(
      check(CognitoPasswordPolicy, (s) => pool(s, { minimumLength: 16, passwordHistorySize: 5 })),
    ).toEqual(['PasswordHistorySize']);
  });

  test('non-compliant (fail closed): a length known only at deploy time', () => {
    const result = check(CognitoPasswordPolicy, (s) => {
      const n = new CfnParameter(s, 'N', { type: 'Number' });
      return pool(s, { minimumLength: n.valueAsNumber, passwordHistorySize: 24 });
    });
    expect(result).toEqual(['MinimumLength']);
  });

  test('not applicable: other resources', () => {
    expect(
      check(CognitoPasswordPolicy, (s) => new ssm.CfnParameter(s, 'P', { type: 'String', value: 'x' })),
    ).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-CognitoClientShortSessions (IAM-05)', () => {
  const client = (s: Stack, props: Partial<cognito.CfnUserPoolClientProps> = {}) =>
    new cognito.CfnUserPoolClient(s, 'C', { userPoolId: 'eu-west-1_x', ...props });
  const minutes = { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'minutes' };

  test('compliant: ApplicationSignIn, and 30/30/60 minutes', () => {
    expect(
      check(
        CognitoClientShortSessions,
        (s) => new ApplicationSignIn(s, 'A').client.node.defaultChild as CfnResource,
      ),
    ).toBe(COMPLIANT);
    expect(
      check(CognitoClientShortSessions, (s) =>
        client(s, {
          accessTokenValidity: 30,
          idTokenValidity: 30,
          refreshTokenValidity: 60,
          tokenValidityUnits: minutes,
        }),
      ),
    ).toBe(COMPLIANT);
  });

  test('non-compliant: the Cognito defaults (1-hour tokens, 30-day refresh tokens)', () => {
    expect(check(CognitoClientShortSessions, (s) => client(s))).toEqual([
      'AccessTokenValidity',
      'IdTokenValidity',
      'RefreshTokenValidity',
    ]);
  });

  test('non-compliant: units matter (30 hours is not 30 minutes); revocation off', () => {
    expect(
      check(CognitoClientShortSessions, (s) =>
        client(s, {
          accessTokenValidity: 30,
          idTokenValidity: 30,
          refreshTokenValidity: 1,
          tokenValidityUnits: { accessToken: 'hours', idToken: 'minutes', refreshToken: 'hours' },
          enableTokenRevocation: false,
        }),
      ),
    ).toEqual(['AccessTokenValidity', 'TokenRevocation']);
  });

  test('non-compliant: a raw override lengthening a compliant client is seen', () => {
    const result = check(CognitoClientShortSessions, (s) => {
      const c = new ApplicationSignIn(s, 'A').client.node.defaultChild as cognito.CfnUserPoolClient;
      c.addPropertyOverride('RefreshTokenValidity', 43200);
      return c;
    });
    expect(result).toEqual(['RefreshTokenValidity']);
  });
});

describe('SecurityPolicy-SsmAutomationRoleScoped (ALR-03)', () => {
  const role = (s: Stack, conditions?: Record<string, unknown>, service = 'ssm.amazonaws.com') =>
    new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal(service, { conditions }) }).node
      .defaultChild as CfnResource;

  test('is registered', () => {
    expect(POLICY_RULES).toEqual(
      expect.arrayContaining([SsmAutomationRoleScoped, ConfigRecorderAllSupported]),
    );
  });

  test('compliant: every ContainmentRunbooks execution role; a SourceArn condition alone', () => {
    const s = testStack();
    const runbooks = new ContainmentRunbooks(s, 'C', { alertTopics: [new sns.Topic(s, 'T')] });
    for (const r of [Runbook.ISOLATE_INSTANCE, Runbook.REVOKE_ROLE_SESSIONS, Runbook.DEACTIVATE_USER_KEYS])
      expect(
        SsmAutomationRoleScoped.check(
          new CfnView(runbooks.executionRole(r).node.defaultChild as CfnResource),
          DEFAULT_OPTIONS,
        ),
      ).toBe(COMPLIANT);
    expect(
      check(SsmAutomationRoleScoped, (st) =>
        role(st, {
          ArnLike: { 'aws:SourceArn': 'arn:aws:ssm:eu-west-1:111122223333:automation-execution/*' },
        }),
      ),
    ).toBe(COMPLIANT);
  });

  test('non-compliant: SSM may assume it for any account', () => {
    expect(check(SsmAutomationRoleScoped, (st) => role(st))).toEqual(['Statement0']);
    expect(
      check(SsmAutomationRoleScoped, (st) => role(st, { StringEquals: { 'aws:PrincipalTag/team': 'x' } })),
    ).toEqual(['Statement0']);
  });

  test('not applicable: roles for other services, other resources', () => {
    expect(check(SsmAutomationRoleScoped, (st) => role(st, undefined, 'lambda.amazonaws.com'))).toBe(
      NOT_APPLICABLE,
    );
    expect(check(SsmAutomationRoleScoped, (st) => new sns.CfnTopic(st, 'T'))).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-ConfigRecorderAllSupported (DET-03)', () => {
  const recorder = (s: Stack, recordingGroup?: unknown) =>
    new config.CfnConfigurationRecorder(s, 'R', {
      roleArn: 'arn:aws:iam::111122223333:role/config',
      recordingGroup: recordingGroup as config.CfnConfigurationRecorder.RecordingGroupProperty,
    });

  test('compliant: ConfigRecording (home region and other regions), and no recording group', () => {
    for (const accountWide of [true, false]) {
      const s = testStack();
      new ConfigRecording(s, 'C', { alertTopic: new sns.Topic(s, 'T'), accountWide });
      const r = s.node.findAll().find((c) => c instanceof config.CfnConfigurationRecorder) as CfnResource;
      expect(ConfigRecorderAllSupported.check(new CfnView(r), DEFAULT_OPTIONS)).toBe(COMPLIANT);
    }
    expect(check(ConfigRecorderAllSupported, (s) => recorder(s))).toBe(COMPLIANT);
  });

  test('non-compliant: a list of types, or all types but some excluded', () => {
    expect(
      check(ConfigRecorderAllSupported, (s) =>
        recorder(s, { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      check(ConfigRecorderAllSupported, (s) =>
        recorder(s, {
          allSupported: false,
          recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Instance'] },
        }),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(check(ConfigRecorderAllSupported, (s) => new sns.CfnTopic(s, 'T'))).toBe(NOT_APPLICABLE);
  });
});

describe('each response rule says what it found and how to fix it', () => {
  const foundFor = (rule: any, build: (s: Stack) => CfnResource) =>
    rule.found(new CfnView(build(testStack())), DEFAULT_OPTIONS) as string;

  test('the values found are named, with the fix', () => {
    expect(
      foundFor(PatchBaselineSecurityApproval, (s) => baseline(s, { patchRules: [securityRule(7)] })),
    ).toMatch(/approve after 7 day\(s\); use PatchManagement/);
    expect(foundFor(CognitoPasswordPolicy, (s) => new cognito.CfnUserPool(s, 'P'))).toMatch(
      /MinimumLength is "unset \(8\)", PasswordHistorySize is "unset \(0\)"; use ApplicationSignIn/,
    );
    expect(
      foundFor(CognitoClientShortSessions, (s) => new cognito.CfnUserPoolClient(s, 'C', { userPoolId: 'x' })),
    ).toMatch(/access token 1 hours, ID token 1 hours, refresh token 30 days/);
    expect(
      foundFor(
        SsmAutomationRoleScoped,
        (s) =>
          new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') }).node
            .defaultChild as CfnResource,
      ),
    ).toMatch(/aws:SourceAccount/);
    expect(
      foundFor(
        ConfigRecorderAllSupported,
        (s) =>
          new config.CfnConfigurationRecorder(s, 'R', {
            roleArn: 'r',
            recordingGroup: { allSupported: false },
          }),
      ),
    ).toMatch(/"AllSupported":false.*use ConfigRecording/);
  });
});
