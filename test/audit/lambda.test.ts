import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lib/audit/lambda';

const kms = mockClient(KMSClient);
const sns = mockClient(SNSClient);
const saved = { ...process.env };

beforeEach(() => {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AUDIT_CHECKS: 'kms',
    ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts',
  });
  kms.on(ListKeysCommand).resolves({
    Keys: [
      { KeyId: 'a', KeyArn: 'arn:key/a' },
      { KeyId: 'b', KeyArn: 'arn:key/b' },
    ],
    Truncated: false,
  });
  kms.on(DescribeKeyCommand).callsFake((i: { KeyId: string }) => ({
    KeyMetadata: {
      KeyId: i.KeyId,
      Arn: i.KeyId,
      AWSAccountId: '111122223333',
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
    },
  }));
  kms.on(GetKeyPolicyCommand).resolves({
    Policy: JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'kms:*' }],
    }),
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => {
  kms.reset();
  sns.reset();
  process.env = { ...saved };
  jest.restoreAllMocks();
});
afterAll(() => [kms, sns].forEach((m) => m.restore()));

describe('continuous mode handler', () => {
  test('publishes a readable message naming each problem when a key is non-compliant', async () => {
    kms
      .on(GetKeyRotationStatusCommand, { KeyId: 'arn:key/a' })
      .resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    kms
      .on(GetKeyRotationStatusCommand, { KeyId: 'arn:key/b' })
      .resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    const summary = await handler({ account: '111122223333' });
    expect(summary).toEqual({ COMPLIANT: 3, NON_COMPLIANT: 1, NOT_APPLICABLE: 0, NOT_CHECKED: 0 });
    const [call] = sns.commandCalls(PublishCommand);
    expect(call.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts',
      Subject: '[baseline-audit] 1 non-compliant, 0 not checked in 111122223333',
      Message: expect.stringContaining(
        '- NON_COMPLIANT ENC-02 kms eu-west-1 arn:key/b: rotates every 365 days; the policy allows at most 90',
      ),
    });
    expect(call.args[0].input.Message).toMatch(
      /^baseline-audit found problems in account 111122223333 \(eu-west-1\)/,
    );
  });

  test('stays quiet when everything is compliant, and logs the full result', async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await handler({})).toEqual({ COMPLIANT: 4, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, NOT_CHECKED: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(JSON.parse(log.mock.calls[0][0]).results).toHaveLength(4);
  });

  test('honours AUDIT_MAX_ROTATION_DAYS', async () => {
    process.env.AUDIT_MAX_ROTATION_DAYS = '365';
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    expect((await handler({})).COMPLIANT).toBe(4);
  });

  test.each([
    'ThrottlingException',
    'AccessDeniedException',
    'KMSInternalException',
    'ExpiredTokenException',
  ])(
    'issue 13 defect 2: ListKeys failing with %s is a NOT_CHECKED result that is alerted, not a crash',
    async (name) => {
      kms.on(ListKeysCommand).rejects(Object.assign(new Error('injected'), { name }));
      expect(await handler({ account: '111122223333' })).toEqual({
        COMPLIANT: 0,
        NON_COMPLIANT: 0,
        NOT_APPLICABLE: 0,
        NOT_CHECKED: 1,
      });
      const [call] = sns.commandCalls(PublishCommand);
      expect(call.args[0].input.Subject).toBe(
        '[baseline-audit] 0 non-compliant, 1 not checked in 111122223333',
      );
      expect(call.args[0].input.Message).toContain(
        `- NOT_CHECKED ENC-02 kms eu-west-1 KMS keys in eu-west-1: ${name}: injected`,
      );
    },
  );
});
