import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { recordedControls } from '../../lib/compliance/controls';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { testStack, warningsMentioning } from '../helpers';

describe('BaselineKey defaults', () => {
  const stack = testStack();
  const key = new BaselineKey(stack, 'Key', { alias: 'security-baseline/data' });
  key.allowCloudTrail('arn:aws:cloudtrail:eu-west-1:111122223333:trail/my-trail');
  key.allowCloudWatchLogs('arn:aws:logs:eu-west-1:111122223333:log-group:/my/group');
  const template = Template.fromStack(stack);

  test('rotates every 90 days (ENC-02)', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 90 });
  });

  test('is retained on delete and replacement, with a 30-day deletion window (ENC-04)', () => {
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ PendingWindowInDays: 30 }),
    });
  });

  test('is a symmetric encrypt/decrypt key with the alias and a description', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Description: 'cdk-security-baseline key alias/security-baseline/data',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/security-baseline/data' });
  });

  test('keeps the account as administrator, so the key cannot be locked out (ENC-03)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:*',
            Effect: 'Allow',
            Principal: {
              AWS: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
                ],
              },
            },
          }),
        ]),
      },
    });
  });

  test('lets CloudTrail use it only for the named trail (ENC-03)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:GenerateDataKey*',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/my-trail' },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': Match.anyValue() },
            },
          }),
          Match.objectLike({
            Action: 'kms:DescribeKey',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/my-trail' },
            },
          }),
        ]),
      },
    });
  });

  test('lets CloudWatch Logs use it only for the named log group (ENC-03)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Condition: {
              ArnEquals: {
                'kms:EncryptionContext:aws:logs:arn':
                  'arn:aws:logs:eu-west-1:111122223333:log-group:/my/group',
              },
            },
          }),
        ]),
      },
    });
  });

  test('only AWS services may create grants on the key (ENC-03, CT.KMS.PR.3)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyGrantsExceptForAwsServices',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: {
              BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
            },
          },
        ]),
      },
    });
  });

  test('no statement grants a service principal without a condition', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const serviceStatements = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service);
    expect(serviceStatements.length).toBeGreaterThanOrEqual(3);
    for (const s of serviceStatements) expect(Object.keys(s.Condition ?? {})).not.toHaveLength(0);
  });

  test('records the controls it implements', () => {
    expect(recordedControls(stack).get(key.node.path)).toEqual(['ENC-02', 'ENC-03', 'ENC-04']);
  });

  test('raises no weakening warning at its defaults', () => {
    expect(warningsMentioning(stack, 'weakened')).toHaveLength(0);
  });
});

describe('BaselineKey rejects what the policy or KMS forbids', () => {
  const make = (props: Partial<ConstructorParameters<typeof BaselineKey>[2]>) => () =>
    new BaselineKey(testStack(), 'Key', { alias: 'security-baseline/data', ...props });

  test('a rotation period above the policy maximum of 90 days', () => {
    expect(make({ rotationPeriod: Duration.days(365) })).toThrow(
      /BaselineKey at 'Test\/Key'.*\n.*rotationPeriod: got 365 days; the security policy allows at most 90 days between rotations \(ENC-02\)/,
    );
  });

  test('a rotation period KMS does not accept', () => {
    expect(make({ rotationPeriod: Duration.days(30) })).toThrow(
      /rotationPeriod: got 30 days; KMS rotates every 90..2560 days/,
    );
    expect(make({ rotationPeriod: Duration.days(3000), maxRotationPeriod: Duration.days(2560) })).toThrow(
      /rotationPeriod: got 3000 days; KMS rotates every 90..2560 days/,
    );
    expect(make({ rotationPeriod: Duration.hours(2200) })).toThrow(
      /rotationPeriod: got 91 days 16 hours; KMS rotates every 90..2560 days, in whole days/,
    );
  });

  test('a deletion waiting period outside 7..30 days', () => {
    expect(make({ pendingWindow: Duration.days(3) })).toThrow(
      /pendingWindow: got 3 days; KMS allows a deletion waiting period of 7..30 days/,
    );
  });

  test('a reserved or malformed alias', () => {
    expect(make({ alias: 'aws/s3' })).toThrow(/alias: got "aws\/s3"; use letters, digits/);
    expect(make({ alias: 'has spaces' })).toThrow(/alias: got "has spaces"/);
  });

  test('reports every problem at once', () => {
    expect(
      make({ alias: 'aws/x', rotationPeriod: Duration.days(10), pendingWindow: Duration.days(60) }),
    ).toThrow(/3 invalid prop\(s\):\n.*rotationPeriod.*\n.*pendingWindow.*\n.*alias/);
  });
});

describe('BaselineKey weakening is explicit and visible', () => {
  test('a policy maximum above 90 days is allowed with an ENC-02 warning', () => {
    const stack = testStack();
    new BaselineKey(stack, 'Key', {
      alias: 'k',
      rotationPeriod: Duration.days(180),
      maxRotationPeriod: Duration.days(180),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { RotationPeriodInDays: 180 });
    expect(warningsMentioning(stack, '[ENC-02 weakened]')).toHaveLength(1);
  });

  test('a deletion window under 30 days is allowed with an ENC-04 warning', () => {
    const stack = testStack();
    new BaselineKey(stack, 'Key', { alias: 'k', pendingWindow: Duration.days(7) });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
    expect(warningsMentioning(stack, '[ENC-04 weakened]')).toHaveLength(1);
  });
});

describe('BaselineKey.allowCloudWatchLogs with the ARN of a log group the key encrypts', () => {
  test('names the group by its ARN built from its name: no circular dependency, the template synthesizes', () => {
    const stack = new Stack(new App(), 'Logs', { env: { account: '111122223333', region: 'eu-west-1' } });
    const key = new BaselineKey(stack, 'Key', { alias: 'team/logs' });
    const group = new logs.LogGroup(stack, 'Group', {
      logGroupName: 'aws-waf-logs-team',
      encryptionKey: key,
      retention: logs.RetentionDays.ONE_YEAR,
    });
    key.allowCloudWatchLogs(group.logGroupArn);
    const template = Template.fromStack(stack);
    const policy = JSON.stringify(
      Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy,
    );
    // The key policy names the group without referring to it (the group refers to the key).
    expect(policy).toContain(':logs:eu-west-1:111122223333:log-group:aws-waf-logs-team"');
    expect(policy).not.toContain(stack.getLogicalId(group.node.defaultChild as logs.CfnLogGroup));
  });

  test('a group with a generated name is refused with a message naming it', () => {
    const stack = new Stack(new App(), 'Logs');
    const key = new BaselineKey(stack, 'Key', { alias: 'team/logs' });
    const group = new logs.LogGroup(stack, 'Group', { encryptionKey: key });
    expect(() => key.allowCloudWatchLogs(group.logGroupArn)).toThrow(
      /BaselineKey at 'Logs\/Key': allowCloudWatchLogs\(Logs\/Group\/Resource\): got a log group whose name is generated/,
    );
  });
});
