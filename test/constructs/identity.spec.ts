import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recordedControls } from '../../lib/compliance/controls';
import { AccessAnalyzers } from '../../lib/constructs/access-analyzers';
import { AccessRoles } from '../../lib/constructs/access-roles';
import { AccountHardening, HardeningScope } from '../../lib/constructs/account-hardening';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { testApp, testStack } from '../helpers';

/** The SDK call a Custom::AWS resource makes on create, with tokens left as they render. */
function sdkCall(resource: any): any {
  const create = resource.Properties.Create;
  const text =
    typeof create === 'string'
      ? create
      : create['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : '<token>')).join('');
  return JSON.parse(text);
}

describe('AccountHardening (IAM-01, DATA-07)', () => {
  const stack = new Stack(testApp(), 'Account');
  const hardening = new AccountHardening(stack, 'Hardening');
  const template = Template.fromStack(stack);
  const calls = Object.values(template.findResources('Custom::AWS')).map((r) => [
    sdkCall(r),
    r.Properties.Delete,
  ]);

  test('sets the password policy of policies 001 and 003', () => {
    const [password] = calls.find(([c]) => c.action === 'UpdateAccountPasswordPolicy')!;
    expect(password).toMatchObject({
      service: 'IAM',
      parameters: {
        MinimumPasswordLength: 14,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        RequireNumbers: true,
        RequireSymbols: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 24,
        AllowUsersToChangePassword: true,
      },
    });
  });

  test('blocks S3 public access account-wide and encrypts new EBS volumes with a BaselineKey', () => {
    expect(calls.map(([c]) => `${c.service}:${c.action}`).sort()).toEqual([
      'EC2:EnableEbsEncryptionByDefault',
      'EC2:ModifyEbsDefaultKmsKeyId',
      'IAM:UpdateAccountPasswordPolicy',
      'S3Control:PutPublicAccessBlock',
    ]);
    const [bpa] = calls.find(([c]) => c.action === 'PutPublicAccessBlock')!;
    expect(bpa.parameters.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    expect(hardening.ebsKey).toBeInstanceOf(BaselineKey);
  });

  test('deleting the stack leaves the settings in place (no delete call)', () => {
    expect(calls.map(([, del]) => del)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('its function may make exactly these calls, through a managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            // CDK sorts actions.
            Action: [
              'ec2:EnableEbsEncryptionByDefault',
              'ec2:ModifyEbsDefaultKmsKeyId',
              'iam:UpdateAccountPasswordPolicy',
              's3:PutAccountPublicAccessBlock',
            ],
            Resource: '*',
          }),
        ]),
      },
    });
  });

  test('records IAM-01 and DATA-07; rejects a password policy below 12 characters', () => {
    expect(recordedControls(stack).get(hardening.node.path)).toEqual(['IAM-01', 'DATA-07', 'ENC-01']);
    expect(() => new AccountHardening(testStack(), 'H', { minimumPasswordLength: 8 })).toThrow(
      /AccountHardening at 'Test\/H': 1 invalid prop\(s\):\n {2}- minimumPasswordLength: got 8; a whole number 12..128/,
    );
  });
});

describe("AccountHardening, HardeningScope.REGION (the account's other regions)", () => {
  const stack = new Stack(testApp(), 'Region');
  const hardening = new AccountHardening(stack, 'Hardening', { scope: HardeningScope.REGION });
  const template = Template.fromStack(stack);

  test('applies only EBS encryption by default, with no permission for the account settings', () => {
    const actions = Object.values(template.findResources('Custom::AWS')).map((r) => sdkCall(r).action);
    expect(actions.sort()).toEqual(['EnableEbsEncryptionByDefault', 'ModifyEbsDefaultKmsKeyId']);
    expect(hardening.accountSettings).toEqual([]);
    const policy = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policy).toContain('ec2:EnableEbsEncryptionByDefault');
    expect(policy).not.toMatch(/iam:UpdateAccountPasswordPolicy|s3:PutAccountPublicAccessBlock/);
  });

  test('claims DATA-07 and ENC-01 but not IAM-01', () => {
    expect(recordedControls(stack).get(hardening.node.path)).toEqual(['DATA-07', 'ENC-01']);
  });
});

describe('AccessRoles (IAM-02, IAM-03)', () => {
  const stack = testStack('Roles');
  const roles = new AccessRoles(stack, 'Access', {
    protect: {
      trailArns: ['arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit'],
      keyArns: ['arn:aws:kms:eu-west-1:111122223333:key/k1'],
      auditBucketArns: ['arn:aws:s3:::audit-bucket'],
    },
  });
  const template = Template.fromStack(stack);
  const rolesById = template.findResources('AWS::IAM::Role');
  const idOf = (role: iam.Role) => stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const managedArns = (role: iam.Role) => JSON.stringify(rolesById[idOf(role)].Properties.ManagedPolicyArns);

  test('every role requires MFA used within the hour, and sessions last at most an hour', () => {
    expect(Object.keys(rolesById)).toHaveLength(5);
    for (const role of Object.values(rolesById)) {
      expect(role.Properties.MaxSessionDuration).toBe(3600);
      for (const statement of role.Properties.AssumeRolePolicyDocument.Statement) {
        expect(statement.Condition).toEqual({
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
        });
      }
    }
  });

  test('each role has its job-function policy; administrator access only on admin and break-glass', () => {
    expect(managedArns(roles.roles.Admin)).toContain('policy/AdministratorAccess');
    expect(managedArns(roles.roles.Operator)).toContain('policy/PowerUserAccess');
    expect(managedArns(roles.roles.ReadOnly)).toContain('policy/ReadOnlyAccess');
    expect(managedArns(roles.roles.Auditor)).toContain('policy/SecurityAudit');
    const admins = Object.entries(rolesById).filter(([, r]) =>
      JSON.stringify(r.Properties.ManagedPolicyArns).includes('AdministratorAccess'),
    );
    expect(admins.map(([id]) => id).sort()).toEqual([idOf(roles.roles.Admin), idOf(roles.breakGlass)].sort());
  });

  test('the guardrail binds every role but break-glass', () => {
    const guardrailId = stack.getLogicalId(roles.guardrail.node.defaultChild as iam.CfnManagedPolicy);
    for (const role of Object.values(roles.roles)) expect(managedArns(role)).toContain(guardrailId);
    expect(managedArns(roles.breakGlass)).not.toContain(guardrailId);
  });

  test('the guardrail denies disabling the trail, detector, keys and audit bucket, and loosening itself', () => {
    const [guardrail] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const denied = Object.fromEntries(
      guardrail.Properties.PolicyDocument.Statement.map((s: any) => [
        s.Sid,
        [s.Effect, [s.Action].flat().sort(), s.Resource],
      ]),
    );
    expect(denied.ProtectTrail).toEqual([
      'Deny',
      [
        'cloudtrail:DeleteTrail',
        'cloudtrail:PutEventSelectors',
        'cloudtrail:StopLogging',
        'cloudtrail:UpdateTrail',
      ],
      'arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit',
    ]);
    expect(denied.ProtectThreatDetection[1]).toContain('guardduty:DeleteDetector');
    expect(denied.ProtectKeys).toEqual([
      'Deny',
      ['kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'],
      'arn:aws:kms:eu-west-1:111122223333:key/k1',
    ]);
    expect(denied.ProtectAuditBuckets[1]).toEqual(
      expect.arrayContaining(['s3:PutBucketPolicy', 's3:PutBucketObjectLockConfiguration']),
    );
    expect(denied.ProtectGuardrail[1]).toContain('iam:CreatePolicyVersion');
    expect(denied.ProtectBaselineRoles[1]).toEqual(
      expect.arrayContaining(['iam:DetachRolePolicy', 'iam:UpdateAssumeRolePolicy']),
    );
    expect(guardrail.Properties.PolicyDocument.Statement.every((s: any) => s.Effect === 'Deny')).toBe(true);
  });

  test('trusted principals from elsewhere, still with MFA; bad props rejected', () => {
    const s = testStack();
    new AccessRoles(s, 'A', {
      trustedPrincipals: [new iam.AccountPrincipal('999999999999')],
      protect: { trailArns: ['t'], keyArns: [], auditBucketArns: [] },
    });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: Match.anyValue() },
            Condition: Match.objectLike({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
          }),
        ],
      },
    });
    expect(
      () =>
        new AccessRoles(testStack(), 'A', {
          maxSession: Duration.hours(8),
          protect: { trailArns: [], keyArns: [], auditBucketArns: [] },
        }),
    ).toThrow(
      /2 invalid prop\(s\):\n {2}- maxSession: got 8 hours; .*\n {2}- protect: got .*; at least one baseline resource/,
    );
  });

  test('records IAM-02 and IAM-03', () => {
    expect(recordedControls(stack).get(roles.node.path)).toEqual(['IAM-02', 'IAM-03']);
  });
});

describe('AccessAnalyzers (IAM-04)', () => {
  test('an external-access and an unused-access analyzer with the tracking period', () => {
    const stack = testStack();
    new AccessAnalyzers(stack, 'Analyzers', { unusedAccessAgeDays: 60 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 60 } },
    });
  });

  test('the unused-access analyzer can be left out; bad periods are rejected', () => {
    const stack = testStack();
    new AccessAnalyzers(stack, 'Analyzers', { unusedAccess: false });
    Template.fromStack(stack).resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
    expect(() => new AccessAnalyzers(testStack(), 'A', { unusedAccessAgeDays: 0 })).toThrow(
      /unusedAccessAgeDays: got 0; a whole number of days, 1..365/,
    );
  });
});

describe('AccessRoles.protect takes the resources themselves, or their ARNs', () => {
  const stack = testStack('ProtectObjects');
  const key = new BaselineKey(stack, 'Key', { alias: 'team/protected' });
  const bucket = new s3.Bucket(stack, 'Audit');
  const roles = new AccessRoles(stack, 'Access', {
    protect: {
      keys: [key],
      auditBuckets: [bucket],
      trailArns: ['arn:aws:cloudtrail:eu-west-1:111122223333:trail/t'],
    },
  });
  const guardrail =
    Template.fromStack(stack).toJSON().Resources[
      stack.getLogicalId(roles.guardrail.node.defaultChild as iam.CfnManagedPolicy)
    ];
  const statement = (sid: string) =>
    guardrail.Properties.PolicyDocument.Statement.find((s: { Sid: string }) => s.Sid === sid);

  test('objects and ARNs end up in the same deny statements', () => {
    expect(statement('ProtectKeys').Resource).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'],
    });
    expect(statement('ProtectAuditBuckets').Resource).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket), 'Arn'],
    });
    expect(statement('ProtectTrail').Resource).toBe('arn:aws:cloudtrail:eu-west-1:111122223333:trail/t');
  });
});
