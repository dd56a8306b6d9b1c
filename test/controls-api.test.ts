import { App, Aws, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Controls } from '../lib/compliance/controls-api';
import { EncryptedLogGroup } from '../lib/constructs/encrypted-log-group';

// The static API other languages see (jsii drops plain functions).
describe('Controls', () => {
  test('record, recordedIn and ids agree with the catalogue; unknown IDs throw', () => {
    const stack = new Stack(new App(), 'S');
    Controls.record(stack, 'ENC-01', 'LOG-04');
    Controls.record(new Construct(stack, 'Part'), 'DATA-05', 'ENC-01');
    expect(Controls.recordedIn(stack)).toEqual(['ENC-01', 'LOG-04', 'DATA-05']);
    expect(Controls.ids()).toContain('CMP-05');
    expect(() => Controls.record(stack, 'ENC-99')).toThrow(/unknown control ID\(s\) "ENC-99"/);
  });

  test('warnWeakened leaves a warning naming the control', () => {
    const stack = new Stack(new App(), 'S');
    Controls.warnWeakened(stack, 'LOG-02', 'governance mode');
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('\\[LOG-02 weakened\\] governance mode'),
    );
  });
});

describe('EncryptedLogGroup', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'eu-west-1' } });
  const group = new EncryptedLogGroup(stack, 'Events', { logGroupName: '/team/events' });
  const template = Template.fromStack(stack);

  test('encrypted with its own key, a year of retention, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        LogGroupName: '/team/events',
        RetentionInDays: logs.RetentionDays.ONE_YEAR,
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(group.encryptionKey.node.defaultChild as any), 'Arn'] },
      },
    });
  });

  test('the key lets CloudWatch Logs use it for this group only', () => {
    const policy = JSON.stringify(
      template.toJSON().Resources[stack.getLogicalId(group.encryptionKey.node.defaultChild as any)].Properties
        .KeyPolicy,
    );
    expect(policy).toContain(':logs:eu-west-1:111122223333:log-group:/team/events"');
    expect(policy).toContain('logs.eu-west-1.amazonaws.com');
  });

  test('a name made of tokens is refused (the key policy must name the group)', () => {
    const s = new Stack(new App(), 'T');
    expect(() => new EncryptedLogGroup(s, 'L', { logGroupName: `/team/${Aws.STACK_NAME}` })).toThrow(
      /EncryptedLogGroup at 'T\/L': 1 invalid prop\(s\):\n {2}- logGroupName: got <unresolved token>; a name known at synth/,
    );
  });
});
