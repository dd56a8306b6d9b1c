import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AUDIT_PERMISSIONS } from '../../lib/audit/checks';
import { recordedControls } from '../../lib/compliance/controls';
import { AuditorRole } from '../../lib/constructs/auditor-role';
import { testStack } from '../helpers';

describe('AuditorRole', () => {
  const stack = testStack();
  const auditor = new AuditorRole(stack, 'Auditor');
  const template = Template.fromStack(stack);
  const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
  const statements: { Action: string | string[]; Resource: unknown; Effect: string }[] =
    policy.Properties.PolicyDocument.Statement;
  const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

  test('grants exactly the actions the audit checks need, all read-only', () => {
    expect([...actions].sort()).toEqual([...AUDIT_PERMISSIONS]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test('scopes actions that accept resource ARNs to this account', () => {
    const resourceOf = (action: string) =>
      statements.find((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))!.Resource;
    expect(resourceOf('kms:DescribeKey')).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:*:', { Ref: 'AWS::AccountId' }, ':key/*']],
    });
    expect(resourceOf('kms:ListKeys')).toBe('*');
    expect(resourceOf('guardduty:GetDetector')).toEqual({
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':guardduty:*:', { Ref: 'AWS::AccountId' }, ':detector/*'],
      ],
    });
  });

  test('can be assumed only with recent MFA, for at most an hour', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
            },
          }),
        ],
      },
    });
  });

  test('records CMP-05', () => {
    expect(recordedControls(stack).get(auditor.node.path)).toEqual(['CMP-05']);
  });

  test('accepts another principal, and rejects long sessions', () => {
    const s = testStack();
    new AuditorRole(s, 'A', { assumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/ci') });
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' } })],
      },
    });
    expect(() => new AuditorRole(testStack(), 'A', { maxSessionDuration: Duration.hours(12) })).toThrow(
      /AuditorRole at 'Test\/A': 1 invalid prop\(s\):\n {2}- maxSessionDuration: got 12 hours; sessions last 15 minutes to 1 hour/,
    );
  });
});
