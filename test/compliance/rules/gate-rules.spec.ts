// Edge cases of the SecurityPolicy rules added for gate integrity (issue 12): values known only at
// deploy time, the forms CloudFormation accepts for the same thing, and the boundaries of each rule.
// The adversarial suite (../adversarial.test.ts) runs each rule through the whole gate both ways.
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagRuleCompliance } from 'cdk-nag';
import {
  CfnView,
  CloudTrailAuditTrail,
  IamAdminRequiresMfa,
  KmsKeyPolicyKeepsAdmin,
  KmsKeyPolicyNoPublicPrincipal,
  SecurityGroupNoOpenAdminPorts,
  WafWebAclRateBasedRule,
} from '../../../lib/compliance/rules';
import { testStack } from '../../helpers';
import { check, DEFAULT_OPTIONS } from './helpers';

const { COMPLIANT, NON_COMPLIANT } = NagRuleCompliance;
const ROOT = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
const key = (policy: unknown) => (s: Stack) =>
  new kms.CfnKey(s, 'K', { enableKeyRotation: true, rotationPeriodInDays: 90, keyPolicy: policy });
const stmt = (extra: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Resource: '*', ...extra }],
});

describe('SecurityPolicy-KMSKeyPolicyKeepsAdmin (ENC-03)', () => {
  test.each([
    [
      'the account root with kms:*, as CDK renders it',
      (s: Stack) => new kms.Key(s, 'K').node.defaultChild as kms.CfnKey,
    ],
    [
      'the account root by account ID',
      key(stmt({ Principal: { AWS: { Ref: 'AWS::AccountId' } }, Action: 'kms:*' })),
    ],
    [
      'the account root with kms:Put*',
      key(stmt({ Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: ['kms:Put*'] })),
    ],
    [
      'a role of the stack by Fn::GetAtt',
      (s: Stack) =>
        key(
          stmt({
            Principal: {
              AWS: new iam.Role(s, 'Admin', { assumedBy: new iam.AccountRootPrincipal() }).roleArn,
            },
            Action: 'kms:*',
          }),
        )(s),
    ],
    [
      'no KeyPolicy at all (KMS gives the account root full access)',
      (s: Stack) => new kms.CfnKey(s, 'K', {}),
    ],
  ])('compliant: %s', (_name, build) => {
    expect(check(KmsKeyPolicyKeepsAdmin, build)).toBe(COMPLIANT);
  });

  test.each([
    [
      'the root statement carries a condition',
      key(
        stmt({
          Principal: { AWS: ROOT },
          Action: 'kms:*',
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        }),
      ),
    ],
    [
      'the root may only use the key',
      key(stmt({ Principal: { AWS: ROOT }, Action: ['kms:Encrypt', 'kms:Decrypt'] })),
    ],
    [
      'an unconditioned Deny takes kms:PutKeyPolicy away from everyone',
      key({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' },
        ],
      }),
    ],
    [
      'the policy is known only at deploy time (fail closed)',
      key(Fn.conditionIf('C', stmt({ Principal: { AWS: ROOT }, Action: 'kms:*' }), stmt({}))),
    ],
  ])('non-compliant: %s', (_name, build) => {
    expect(check(KmsKeyPolicyKeepsAdmin, build)).toBe(NON_COMPLIANT);
  });

  test('the finding names the principals it found', () => {
    const stack = testStack();
    const cfn = new CfnView(
      key(stmt({ Principal: { AWS: 'arn:aws:iam::111111111111:role/app' }, Action: 'kms:Decrypt' }))(stack),
    );
    expect(KmsKeyPolicyKeepsAdmin.found!(cfn, DEFAULT_OPTIONS)).toContain(
      'arn:aws:iam::111111111111:role/app',
    );
  });
});

describe('SecurityPolicy-KMSKeyPolicyNoPublicPrincipal (ENC-03)', () => {
  test.each([
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, COMPLIANT],
    ['kms:CallerAccount', { StringEquals: { 'kms:CallerAccount': '111111111111' } }, COMPLIANT],
    [
      'aws:SourceArn',
      { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudtrail:*:111111111111:trail/*' } },
      COMPLIANT,
    ],
    ['only a transport condition', { Bool: { 'aws:SecureTransport': 'true' } }, NON_COMPLIANT],
    ['no condition', undefined, NON_COMPLIANT],
  ])('"*" with %s', (_name, condition, expected) => {
    expect(
      check(
        KmsKeyPolicyNoPublicPrincipal,
        key(stmt({ Principal: { AWS: '*' }, Action: 'kms:Decrypt', Condition: condition })),
      ),
    ).toBe(expected);
  });
});

describe('SecurityPolicy-SecurityGroupNoOpenAdminPorts (NET-01)', () => {
  const group = (ingress: ec2.CfnSecurityGroup.IngressProperty[]) => (s: Stack) =>
    new ec2.CfnSecurityGroup(s, 'G', { groupDescription: 'g', securityGroupIngress: ingress });
  test.each([
    ['all protocols from anywhere', [{ ipProtocol: '-1', cidrIp: '0.0.0.0/0' }], ['Port22', 'Port3389']],
    [
      'a port range containing 22, over IPv6',
      [{ ipProtocol: 'tcp', cidrIpv6: '::/0', fromPort: 1, toPort: 1024 }],
      ['Port22'],
    ],
    [
      '3389 from anywhere',
      [{ ipProtocol: '6', cidrIp: '0.0.0.0/0', fromPort: 3389, toPort: 3389 }],
      ['Port3389'],
    ],
    [
      '22 from a private range',
      [{ ipProtocol: 'tcp', cidrIp: '10.0.0.0/8', fromPort: 22, toPort: 22 }],
      COMPLIANT,
    ],
    [
      '443 from anywhere',
      [{ ipProtocol: 'tcp', cidrIp: '0.0.0.0/0', fromPort: 443, toPort: 443 }],
      COMPLIANT,
    ],
  ])('%s', (_name, ingress, expected) => {
    expect(check(SecurityGroupNoOpenAdminPorts, group(ingress))).toEqual(expected);
  });

  test('a port known only at deploy time counts as open (fail closed)', () => {
    const result = check(SecurityGroupNoOpenAdminPorts, (s) => {
      const port = new CfnParameter(s, 'Port', { type: 'Number' }).valueAsNumber;
      return new ec2.CfnSecurityGroupIngress(s, 'I', {
        ipProtocol: 'tcp',
        cidrIp: '0.0.0.0/0',
        fromPort: port,
        toPort: port,
        groupId: 'sg-1',
      });
    });
    expect(result).toEqual(['Port22', 'Port3389']);
  });
});

describe('SecurityPolicy-WAFWebACLRateBasedRule (NET-03)', () => {
  const acl = (limit: number, window: number) => (s: Stack) =>
    new wafv2.CfnWebACL(s, 'Acl', {
      defaultAction: { allow: {} },
      scope: 'REGIONAL',
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'a', sampledRequestsEnabled: true },
      rules: [
        {
          name: 'rate',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, evaluationWindowSec: window, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'r', sampledRequestsEnabled: true },
        },
      ],
    });
  test.each([
    [2000, 300, COMPLIANT],
    [2001, 300, NON_COMPLIANT],
    [400, 60, COMPLIANT], // 2,000 per 5 minutes
    [401, 60, NON_COMPLIANT],
    [4000, 600, COMPLIANT],
  ])('limit %d per %d s', (limit, window, expected) => {
    expect(check(WafWebAclRateBasedRule, acl(limit, window))).toBe(expected);
  });

  test('follows the policy limit it is given', () => {
    expect(
      check(WafWebAclRateBasedRule, acl(2000, 300), { ...DEFAULT_OPTIONS, maxRequestsPerFiveMinutes: 1000 }),
    ).toBe(NON_COMPLIANT);
  });

  test('a limit known only at deploy time fails closed', () => {
    const result = check(WafWebAclRateBasedRule, (s) =>
      acl(new CfnParameter(s, 'L', { type: 'Number' }).valueAsNumber, 300)(s),
    );
    expect(result).toBe(NON_COMPLIANT);
  });
});

describe('SecurityPolicy-CloudTrailAuditTrail (LOG-01)', () => {
  const trail = (selectors: Partial<cloudtrail.CfnTrailProps>) => (s: Stack) =>
    new cloudtrail.CfnTrail(s, 'T', {
      isLogging: true,
      isMultiRegionTrail: true,
      enableLogFileValidation: true,
      s3BucketName: 'b',
      kmsKeyId: 'k',
      cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:g',
      ...selectors,
    });
  const field = (f: string, v: string) => ({ field: f, equalTo: [v] });
  test.each([
    ['no selectors (CloudTrail records all management events)', {}, COMPLIANT],
    [
      'advanced selectors with the Management category beside S3 data events',
      {
        advancedEventSelectors: [
          { fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
          { fieldSelectors: [field('eventCategory', 'Data'), field('resources.type', 'AWS::S3::Object')] },
        ],
      },
      COMPLIANT,
    ],
    [
      'advanced selectors for data events only',
      {
        advancedEventSelectors: [
          { fieldSelectors: [field('eventCategory', 'Data'), field('resources.type', 'AWS::S3::Object')] },
        ],
      },
      ['ManagementEvents'],
    ],
    [
      'write-only management events',
      { eventSelectors: [{ readWriteType: 'WriteOnly' }] },
      ['ManagementEvents'],
    ],
  ])('%s', (_name, selectors, expected) => {
    expect(check(CloudTrailAuditTrail, trail(selectors as Partial<cloudtrail.CfnTrailProps>))).toEqual(
      expected,
    );
  });
});

describe('SecurityPolicy-IAMAdminRequiresMfa (IAM-02)', () => {
  const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  test('an in-stack managed policy with Allow * on * makes a role an administrator', () => {
    const result = check(IamAdminRequiresMfa, (s) => {
      const policy = new iam.ManagedPolicy(s, 'P', {
        statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
      });
      return new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [policy] })
        .node.defaultChild as iam.CfnRole;
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test.each([
    [
      'an admin role with Bool MFA',
      new iam.AccountRootPrincipal().withConditions(mfa),
      ['AdministratorAccess'],
      COMPLIANT,
    ],
    ['a read-only role without MFA', new iam.AccountRootPrincipal(), ['ReadOnlyAccess'], COMPLIANT],
    [
      'an admin role a service assumes',
      new iam.ServicePrincipal('ec2.amazonaws.com'),
      ['AdministratorAccess'],
      NON_COMPLIANT,
    ],
  ])('%s', (_name, principal, policies, expected) => {
    const result = check(
      IamAdminRequiresMfa,
      (s) =>
        new iam.Role(s, 'R', {
          assumedBy: principal,
          managedPolicies: policies.map((p) => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
        }).node.defaultChild as iam.CfnRole,
    );
    expect(result).toBe(expected);
  });
});
