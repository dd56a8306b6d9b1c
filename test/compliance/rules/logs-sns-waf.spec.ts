import { CfnParameter } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagRuleCompliance } from 'cdk-nag';
import {
  LogGroupEncryptedWithRetention,
  SnsTopicCustomerManagedKey,
  WafWebAclRateBasedRule,
} from '../../../lib/compliance/rules';
import { BaselineKey } from '../../../lib/constructs/baseline-key';
import { check } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;

describe('SecurityPolicy-LogGroupEncryptedWithRetention', () => {
  const cfnLogGroup = (g: logs.LogGroup) => g.node.defaultChild as logs.CfnLogGroup;

  test('compliant: a KMS key and an explicit retention (also when both are deploy-time references)', () => {
    expect(
      check(LogGroupEncryptedWithRetention, (s) =>
        cfnLogGroup(
          new logs.LogGroup(s, 'G', {
            encryptionKey: new BaselineKey(s, 'K', { alias: 'k' }),
            retention: logs.RetentionDays.ONE_YEAR,
          }),
        ),
      ),
    ).toBe(COMPLIANT);
    const result = check(LogGroupEncryptedWithRetention, (s) => {
      const days = new CfnParameter(s, 'Days', { type: 'Number' });
      return new logs.CfnLogGroup(s, 'G', {
        kmsKeyId: new kms.Key(s, 'K').keyArn,
        retentionInDays: days.valueAsNumber,
      });
    });
    expect(result).toBe(COMPLIANT);
  });

  test('non-compliant: each missing part is its own finding', () => {
    expect(check(LogGroupEncryptedWithRetention, (s) => new logs.CfnLogGroup(s, 'G', {}))).toEqual([
      'KmsKeyId',
      'RetentionInDays',
    ]);
    expect(
      check(LogGroupEncryptedWithRetention, (s) =>
        cfnLogGroup(new logs.LogGroup(s, 'G', { retention: logs.RetentionDays.INFINITE })),
      ),
    ).toEqual(['KmsKeyId', 'RetentionInDays']);
    expect(
      check(LogGroupEncryptedWithRetention, (s) =>
        cfnLogGroup(
          new logs.LogGroup(s, 'G', {
            encryptionKey: new kms.Key(s, 'K'),
            retention: logs.RetentionDays.INFINITE,
          }),
        ),
      ),
    ).toEqual(['RetentionInDays']);
  });

  test('not applicable: other resources', () => {
    expect(
      check(LogGroupEncryptedWithRetention, (s) => new logs.CfnLogStream(s, 'S', { logGroupName: 'g' })),
    ).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-SNSTopicCustomerManagedKey', () => {
  const cfnTopic = (t: sns.Topic) => t.node.defaultChild as sns.CfnTopic;

  test('compliant: a customer-managed key', () => {
    expect(
      check(SnsTopicCustomerManagedKey, (s) =>
        cfnTopic(new sns.Topic(s, 'T', { masterKey: new BaselineKey(s, 'K', { alias: 'k' }) })),
      ),
    ).toBe(COMPLIANT);
  });

  test('non-compliant: no encryption, or the AWS-managed alias/aws/sns key', () => {
    expect(check(SnsTopicCustomerManagedKey, (s) => cfnTopic(new sns.Topic(s, 'T')))).toBe(NON_COMPLIANT);
    expect(
      check(SnsTopicCustomerManagedKey, (s) => new sns.CfnTopic(s, 'T', { kmsMasterKeyId: 'alias/aws/sns' })),
    ).toBe(NON_COMPLIANT);
    expect(
      check(
        SnsTopicCustomerManagedKey,
        (s) =>
          new sns.CfnTopic(s, 'T', { kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/sns' }),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(
      check(
        SnsTopicCustomerManagedKey,
        (s) => new sns.CfnSubscription(s, 'S', { protocol: 'email', topicArn: 'arn' }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-WAFWebACLRateBasedRule', () => {
  const acl = (s: any, rules: wafv2.CfnWebACL.RuleProperty[]) =>
    new wafv2.CfnWebACL(s, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
      rules,
    });
  const visibility = { cloudWatchMetricsEnabled: true, metricName: 'r', sampledRequestsEnabled: true };
  const rateRule = (action: wafv2.CfnWebACL.RuleActionProperty): wafv2.CfnWebACL.RuleProperty => ({
    name: 'rate',
    priority: 0,
    action,
    statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
    visibilityConfig: visibility,
  });

  test('compliant: a blocking rate-based rule', () => {
    expect(check(WafWebAclRateBasedRule, (s) => acl(s, [rateRule({ block: {} })]))).toBe(COMPLIANT);
  });

  test('non-compliant: no rules, only managed rules, or a rate rule that only counts', () => {
    expect(check(WafWebAclRateBasedRule, (s) => acl(s, []))).toBe(NON_COMPLIANT);
    const managed: wafv2.CfnWebACL.RuleProperty = {
      name: 'common',
      priority: 1,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
      visibilityConfig: visibility,
    };
    expect(check(WafWebAclRateBasedRule, (s) => acl(s, [managed]))).toBe(NON_COMPLIANT);
    expect(check(WafWebAclRateBasedRule, (s) => acl(s, [rateRule({ count: {} })]))).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(
      check(
        WafWebAclRateBasedRule,
        (s) => new wafv2.CfnIPSet(s, 'Ips', { scope: 'REGIONAL', ipAddressVersion: 'IPV4', addresses: [] }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});
