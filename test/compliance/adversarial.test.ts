// The adversarial gate suite (issue 12): misconfigurations a consumer could write, each twice — with
// plain L2/L1 props, and as an escape hatch (addPropertyOverride / addPropertyDeletionOverride) on one
// of the project's own constructs — must each fail synth under the rule named here, and each case's
// compliant twin must pass. All bad variants are built into one app (one synth: the gate fails on any
// of them, so each asserts its own finding), all twins into another (one synth that must pass).
import { App, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { IConstruct } from 'constructs';
import { GateProblem } from '../../lib/compliance/gate';
import { AccessRoles } from '../../lib/constructs/access-roles';
import { AuditTrail } from '../../lib/constructs/audit-trail';
import { BaselineKey } from '../../lib/constructs/baseline-key';
import { EncryptedLogGroup } from '../../lib/constructs/encrypted-log-group';
import { RateLimitedWebAcl } from '../../lib/constructs/rate-limited-web-acl';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { SecureDatabase } from '../../lib/constructs/secure-database';
import { SecureVpc } from '../../lib/constructs/secure-vpc';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { ThreatDetection } from '../../lib/constructs/threat-detection';
import { synthGate } from './gate-helpers';

type Build = (stack: Stack) => void;

interface Case {
  readonly name: string;
  /** A consumer's own resources, configured badly through their props, and the rules that must fire. */
  readonly plain: Build;
  readonly plainRules: string[];
  /** The same weakness forced onto one of the project's constructs by an escape hatch. */
  readonly hatch?: Build;
  readonly hatchRules?: string[];
  /** The same resource done right: passes every pack. */
  readonly twin: Build;
}

/** The first CloudFormation resource of `type` under `scope`. */
function l1(scope: IConstruct, type: string): CfnResource {
  const found = scope.node
    .findAll()
    .find((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type);
  if (!found) throw new Error(`no ${type} under ${scope.node.path}`);
  return found;
}
const override = (scope: IConstruct, type: string, path: string, value: unknown) =>
  l1(scope, type).addPropertyOverride(path, value);
const remove = (scope: IConstruct, type: string, path: string) =>
  l1(scope, type).addPropertyDeletionOverride(path);

const SP = 'SecurityPolicy-';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const lockedOutPolicy = (s: Stack) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: new iam.Role(s, 'App', { assumedBy: new iam.AccountRootPrincipal() }).roleArn },
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
    },
  ],
});
const rootAdmin = {
  Effect: 'Allow',
  Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
  Action: 'kms:*',
  Resource: '*',
};
const vpcOf = (s: Stack) => new SecureVpc(s, 'Vpc', { interfaceEndpoints: false }).vpc;
const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
const db = (s: Stack) => new SecureDatabase(s, 'Db', { vpc: vpcOf(s) });
const openIngress = (port: number) => [
  { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: port, ToPort: port },
];
const badTrail = (s: Stack, props: Partial<cloudtrail.CfnTrailProps>) =>
  new cloudtrail.CfnTrail(s, 'Trail', {
    isLogging: true,
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    s3BucketName: new SecureBucket(s, 'Logs').bucket.bucketName,
    kmsKeyId: new BaselineKey(s, 'Key', { alias: 'trail' }).keyArn,
    cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:trail',
    cloudWatchLogsRoleArn: 'arn:aws:iam::111111111111:role/trail',
    ...props,
  });
const rateAcl = (limit: number, window = 300) =>
  ({
    defaultAction: { allow: {} },
    scope: 'REGIONAL',
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    rules: [
      {
        name: 'rate',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit, evaluationWindowSec: window, aggregateKeyType: 'IP' } },
        visibilityConfig: {
          cloudWatchMetricsEnabled: true,
          metricName: 'rate',
          sampledRequestsEnabled: true,
        },
      },
    ],
  }) satisfies wafv2.CfnWebACLProps;
/** Index of the web ACL's rate-based rule in its rendered Rules. */
const rateRuleIndex = (acl: RateLimitedWebAcl) =>
  (Stack.of(acl).resolve(acl.webAcl.rules) as { statement: Record<string, unknown> }[]).findIndex(
    (r) => r.statement.rateBasedStatement !== undefined,
  );
const adminRole = (s: Stack, trust: iam.IPrincipal) =>
  new iam.Role(s, 'Admin', {
    assumedBy: trust,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
  });
const accessRoles = (s: Stack) =>
  new AccessRoles(s, 'Access', {
    protect: {
      trailArns: ['arn:aws:cloudtrail:us-east-1:111111111111:trail/t'],
      keyArns: [],
      auditBucketArns: [],
    },
  });

const CASES: Case[] = [
  {
    name: 'bucket with public access allowed',
    plain: (s) =>
      new s3.Bucket(s, 'B', {
        blockPublicAccess: new s3.BlockPublicAccess({
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: false,
          restrictPublicBuckets: false,
        }),
      }),
    plainRules: [`${SP}S3BucketPublicAccessBlocked`],
    hatch: (s) =>
      override(
        new SecureBucket(s, 'B'),
        'AWS::S3::Bucket',
        'PublicAccessBlockConfiguration.BlockPublicPolicy',
        false,
      ),
    hatchRules: [`${SP}S3BucketPublicAccessBlocked`],
    twin: (s) => new SecureBucket(s, 'B'),
  },
  {
    name: 'bucket with a public-read ACL',
    plain: (s) =>
      new s3.Bucket(s, 'B', {
        accessControl: s3.BucketAccessControl.PUBLIC_READ,
        blockPublicAccess: new s3.BlockPublicAccess({}),
      }),
    plainRules: [`${SP}S3BucketPublicAccessBlocked`],
    hatch: (s) => override(new SecureBucket(s, 'B'), 'AWS::S3::Bucket', 'AccessControl', 'PublicRead'),
    hatchRules: [`${SP}S3BucketPublicAccessBlocked`],
    twin: (s) => new SecureBucket(s, 'B', { encryptionKey: new BaselineKey(s, 'K', { alias: 'data' }) }),
  },
  {
    name: 'bucket without default encryption',
    plain: (s) => new s3.CfnBucket(s, 'B', {}),
    plainRules: [`${SP}S3BucketEncryptedWithKms`, 'NIST.800.53.R5-S3DefaultEncryptionKMS'],
    hatch: (s) => remove(new SecureBucket(s, 'B'), 'AWS::S3::Bucket', 'BucketEncryption'),
    hatchRules: [`${SP}S3BucketEncryptedWithKms`],
    twin: (s) => new SecureBucket(s, 'B'),
  },
  {
    name: 'bucket encrypted with SSE-S3 only',
    plain: (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.S3_MANAGED }),
    plainRules: [`${SP}S3BucketEncryptedWithKms`, 'AwsSolutions-S10'],
    hatch: (s) =>
      override(
        new SecureBucket(s, 'B'),
        'AWS::S3::Bucket',
        'BucketEncryption.ServerSideEncryptionConfiguration',
        [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      ),
    hatchRules: [`${SP}S3BucketEncryptedWithKms`],
    twin: (s) => new SecureBucket(s, 'B'),
  },
  {
    name: 'bucket policy that allows TLS older than 1.2',
    plain: (s) => new s3.Bucket(s, 'B', { enforceSSL: true }),
    plainRules: [`${SP}S3BucketDeniesOldTls`],
    hatch: (s) => {
      const b = new SecureBucket(s, 'B');
      override(b, 'AWS::S3::BucketPolicy', 'PolicyDocument.Statement', [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Resource: [b.bucket.bucketArn, b.bucket.arnForObjects('*')],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    },
    hatchRules: [`${SP}S3BucketDeniesOldTls`],
    twin: (s) => new SecureBucket(s, 'B'),
  },
  {
    name: 'bucket with versioning suspended',
    plain: (s) => new s3.Bucket(s, 'B', { versioned: false }),
    plainRules: [`${SP}S3BucketVersioned`, 'NIST.800.53.R5-S3BucketVersioningEnabled'],
    hatch: (s) =>
      override(new SecureBucket(s, 'B'), 'AWS::S3::Bucket', 'VersioningConfiguration.Status', 'Suspended'),
    hatchRules: [`${SP}S3BucketVersioned`],
    twin: (s) => new SecureBucket(s, 'B'),
  },
  {
    name: 'unencrypted database',
    plain: (s) =>
      new rds.DatabaseInstance(s, 'Db', {
        engine: rds.DatabaseInstanceEngine.POSTGRES,
        vpc: vpcOf(s),
        vpcSubnets: isolated,
        storageEncrypted: false,
      }),
    plainRules: [`${SP}RdsEncryptedAndPrivate[StorageEncrypted]`, 'NIST.800.53.R5-RDSStorageEncrypted'],
    hatch: (s) => override(db(s), 'AWS::RDS::DBInstance', 'StorageEncrypted', false),
    hatchRules: [`${SP}RdsEncryptedAndPrivate[StorageEncrypted]`],
    twin: (s) => db(s),
  },
  {
    name: 'database without force_ssl',
    plain: (s) =>
      new rds.DatabaseInstance(s, 'Db', {
        engine: rds.DatabaseInstanceEngine.POSTGRES,
        vpc: vpcOf(s),
        vpcSubnets: isolated,
      }),
    plainRules: [`${SP}RDSForceSSL`],
    hatch: (s) => override(db(s), 'AWS::RDS::DBParameterGroup', 'Parameters.rds\\.force_ssl', '0'),
    hatchRules: [`${SP}RDSForceSSL`],
    twin: (s) => db(s),
  },
  {
    name: 'publicly accessible database',
    plain: (s) =>
      new rds.DatabaseInstance(s, 'Db', {
        engine: rds.DatabaseInstanceEngine.POSTGRES,
        vpc: vpcOf(s),
        publiclyAccessible: true,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      }),
    plainRules: [`${SP}RdsEncryptedAndPrivate[PubliclyAccessible]`, 'NIST.800.53.R5-RDSInstancePublicAccess'],
    hatch: (s) => override(db(s), 'AWS::RDS::DBInstance', 'PubliclyAccessible', true),
    hatchRules: [`${SP}RdsEncryptedAndPrivate[PubliclyAccessible]`],
    twin: (s) => db(s),
  },
  {
    name: 'key without rotation',
    plain: (s) => new kms.Key(s, 'K', { enableKeyRotation: false }),
    plainRules: [`${SP}KMSKeyRotationPeriod`, 'AwsSolutions-KMS5'],
    hatch: (s) =>
      override(new BaselineKey(s, 'K', { alias: 'k' }), 'AWS::KMS::Key', 'EnableKeyRotation', false),
    hatchRules: [`${SP}KMSKeyRotationPeriod`],
    twin: (s) => new BaselineKey(s, 'K', { alias: 'k' }),
  },
  {
    name: 'key rotating every 365 days',
    plain: (s) => new kms.Key(s, 'K', { enableKeyRotation: true, rotationPeriod: Duration.days(365) }),
    plainRules: [`${SP}KMSKeyRotationPeriod`],
    hatch: (s) =>
      override(new BaselineKey(s, 'K', { alias: 'k' }), 'AWS::KMS::Key', 'RotationPeriodInDays', 365),
    hatchRules: [`${SP}KMSKeyRotationPeriod`],
    twin: (s) => new BaselineKey(s, 'K', { alias: 'k', rotationPeriod: Duration.days(90) }),
  },
  {
    name: 'key policy that locks the account out',
    plain: (s) =>
      new kms.CfnKey(s, 'K', {
        enableKeyRotation: true,
        rotationPeriodInDays: 90,
        keyPolicy: lockedOutPolicy(s),
      }),
    plainRules: [`${SP}KMSKeyPolicyKeepsAdmin`],
    hatch: (s) =>
      override(new BaselineKey(s, 'K', { alias: 'k' }), 'AWS::KMS::Key', 'KeyPolicy', lockedOutPolicy(s)),
    hatchRules: [`${SP}KMSKeyPolicyKeepsAdmin`],
    twin: (s) => new BaselineKey(s, 'K', { alias: 'k' }),
  },
  {
    name: 'key policy allowing Principal * without a condition',
    plain: (s) =>
      new BaselineKey(s, 'K', { alias: 'k' }).addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
        }),
      ),
    plainRules: [`${SP}KMSKeyPolicyNoPublicPrincipal`],
    hatch: (s) =>
      override(new BaselineKey(s, 'K', { alias: 'k' }), 'AWS::KMS::Key', 'KeyPolicy.Statement', [
        rootAdmin,
        { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
      ]),
    hatchRules: [`${SP}KMSKeyPolicyNoPublicPrincipal`],
    twin: (s) =>
      new BaselineKey(s, 'K', { alias: 'k' }).addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:CallerAccount': Stack.of(s).account } },
        }),
      ),
  },
  ...(
    [
      ['trail without log file validation', { enableLogFileValidation: false }, 'EnableLogFileValidation'],
      ['single-region trail', { isMultiRegionTrail: false }, 'IsMultiRegionTrail'],
      ['trail that is not logging', { isLogging: false }, 'IsLogging'],
      ['trail without KMS encryption', { kmsKeyId: undefined }, 'KMSKeyId'],
      [
        'trail without CloudWatch Logs delivery',
        { cloudWatchLogsLogGroupArn: undefined, cloudWatchLogsRoleArn: undefined },
        'CloudWatchLogsLogGroupArn',
      ],
      [
        'trail without management events',
        { eventSelectors: [{ includeManagementEvents: false, readWriteType: 'All' }] },
        'ManagementEvents',
      ],
    ] as [string, Partial<cloudtrail.CfnTrailProps>, string][]
  ).map(([name, props, part]): Case => ({
    name,
    plain: (s) => badTrail(s, props),
    plainRules: [`${SP}CloudTrailAuditTrail[${part}]`],
    hatch: (s) => {
      const trail = new AuditTrail(s, 'Audit').trail;
      const [key, value] = Object.entries(props)[0];
      const cfnKey = key === 'kmsKeyId' ? 'KMSKeyId' : key[0].toUpperCase() + key.slice(1);
      if (value === undefined) trail.addPropertyDeletionOverride(cfnKey);
      else
        trail.addPropertyOverride(
          cfnKey,
          key === 'eventSelectors' ? [{ IncludeManagementEvents: false, ReadWriteType: 'All' }] : value,
        );
    },
    hatchRules: [`${SP}CloudTrailAuditTrail[${part}]`],
    twin: (s) => new AuditTrail(s, 'Audit'),
  })),
  {
    name: 'GuardDuty detector disabled',
    plain: (s) =>
      new guardduty.CfnDetector(s, 'D', { enable: false, findingPublishingFrequency: 'FIFTEEN_MINUTES' }),
    plainRules: [`${SP}GuardDutyDetectorEnabled[Enable]`],
    hatch: (s) => override(new ThreatDetection(s, 'Threats'), 'AWS::GuardDuty::Detector', 'Enable', false),
    hatchRules: [`${SP}GuardDutyDetectorEnabled[Enable]`],
    twin: (s) => new ThreatDetection(s, 'Threats'),
  },
  {
    name: 'GuardDuty publishing findings every 6 hours',
    plain: (s) =>
      new guardduty.CfnDetector(s, 'D', { enable: true, findingPublishingFrequency: 'SIX_HOURS' }),
    plainRules: [`${SP}GuardDutyDetectorEnabled[FindingPublishingFrequency]`],
    hatch: (s) =>
      override(
        new ThreatDetection(s, 'Threats'),
        'AWS::GuardDuty::Detector',
        'FindingPublishingFrequency',
        'SIX_HOURS',
      ),
    hatchRules: [`${SP}GuardDutyDetectorEnabled[FindingPublishingFrequency]`],
    twin: (s) => new ThreatDetection(s, 'Threats'),
  },
  {
    name: 'web ACL without a rate-based rule',
    plain: (s) => new wafv2.CfnWebACL(s, 'Acl', { ...rateAcl(100), rules: [] }),
    plainRules: [`${SP}WAFWebACLRateBasedRule`],
    hatch: (s) => override(new RateLimitedWebAcl(s, 'Waf'), 'AWS::WAFv2::WebACL', 'Rules', []),
    hatchRules: [`${SP}WAFWebACLRateBasedRule`],
    twin: (s) => new RateLimitedWebAcl(s, 'Waf'),
  },
  {
    name: 'web ACL rate limit above the policy',
    plain: (s) => new wafv2.CfnWebACL(s, 'Acl', rateAcl(1000, 60)), // 5,000 per 5 minutes
    plainRules: [`${SP}WAFWebACLRateBasedRule`],
    hatch: (s) => {
      const acl = new RateLimitedWebAcl(s, 'Waf');
      acl.webAcl.addPropertyOverride(
        `Rules.${rateRuleIndex(acl)}.Statement.RateBasedStatement.Limit`,
        100000,
      );
    },
    hatchRules: [`${SP}WAFWebACLRateBasedRule`],
    twin: (s) => new RateLimitedWebAcl(s, 'Waf', { rateLimit: 2000 }),
  },
  {
    name: 'log group kept forever',
    plain: (s) =>
      new logs.LogGroup(s, 'L', {
        retention: logs.RetentionDays.INFINITE,
        encryptionKey: new BaselineKey(s, 'K', { alias: 'l' }),
      }),
    plainRules: [`${SP}LogGroupEncryptedWithRetention[RetentionInDays]`],
    hatch: (s) => remove(new EncryptedLogGroup(s, 'L'), 'AWS::Logs::LogGroup', 'RetentionInDays'),
    hatchRules: [`${SP}LogGroupEncryptedWithRetention[RetentionInDays]`],
    twin: (s) => new EncryptedLogGroup(s, 'L'),
  },
  {
    name: 'log group without KMS',
    plain: (s) => new logs.LogGroup(s, 'L', { retention: logs.RetentionDays.ONE_YEAR }),
    plainRules: [
      `${SP}LogGroupEncryptedWithRetention[KmsKeyId]`,
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
    ],
    hatch: (s) => remove(new EncryptedLogGroup(s, 'L'), 'AWS::Logs::LogGroup', 'KmsKeyId'),
    hatchRules: [`${SP}LogGroupEncryptedWithRetention[KmsKeyId]`],
    twin: (s) => new EncryptedLogGroup(s, 'L', { retention: logs.RetentionDays.ONE_YEAR }),
  },
  {
    name: 'SNS topic without KMS',
    plain: (s) => new sns.Topic(s, 'T', { enforceSSL: true }),
    plainRules: [`${SP}SNSTopicCustomerManagedKey`],
    hatch: (s) => remove(new SecurityAlerts(s, 'Alerts'), 'AWS::SNS::Topic', 'KmsMasterKeyId'),
    hatchRules: [`${SP}SNSTopicCustomerManagedKey`],
    twin: (s) => new SecurityAlerts(s, 'Alerts'),
  },
  ...([22, 3389] as const).map((port): Case => ({
    name: `security group open to the world on ${port}`,
    plain: (s) =>
      new ec2.SecurityGroup(s, 'Sg', { vpc: vpcOf(s) }).addIngressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(port),
      ),
    plainRules: [`${SP}SecurityGroupNoOpenAdminPorts[Port${port}]`, 'AwsSolutions-EC23'],
    hatch: (s) => override(db(s), 'AWS::EC2::SecurityGroup', 'SecurityGroupIngress', openIngress(port)),
    hatchRules: [`${SP}SecurityGroupNoOpenAdminPorts[Port${port}]`],
    twin: (s) => db(s),
  })),
  {
    name: 'Lambda function with AdministratorAccess',
    plain: (s) => {
      const fn = new lambda.Function(s, 'Fn', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler=async()=>1'),
      });
      fn.role!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    },
    plainRules: [
      `${SP}IAMAdminRequiresMfa`,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]',
    ],
    // The trail's CloudWatch Logs delivery role (assumed by the CloudTrail service) given admin rights.
    hatch: (s) => override(new AuditTrail(s, 'Audit'), 'AWS::IAM::Role', 'ManagedPolicyArns', [ADMIN]),
    hatchRules: [`${SP}IAMAdminRequiresMfa`],
    twin: (s) => new AuditTrail(s, 'Audit'),
  },
  {
    name: 'admin role assumable without MFA',
    plain: (s) => adminRole(s, new iam.AccountRootPrincipal()),
    plainRules: [`${SP}IAMAdminRequiresMfa`],
    hatch: (s) => {
      const roles = accessRoles(s);
      const admin = roles.roles.Admin.node.defaultChild as iam.CfnRole;
      admin.addPropertyOverride('AssumeRolePolicyDocument.Statement', [
        {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
          Action: 'sts:AssumeRole',
        },
      ]);
    },
    hatchRules: [`${SP}IAMAdminRequiresMfa`],
    twin: (s) => accessRoles(s),
  },
  {
    name: 'admin role whose MFA condition only applies if present (BoolIfExists)',
    plain: (s) =>
      adminRole(
        s,
        new iam.AccountRootPrincipal().withConditions({
          BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
        }),
      ),
    plainRules: [`${SP}IAMAdminRequiresMfa`],
    twin: (s) =>
      Validations.of(
        adminRole(
          s,
          new iam.AccountRootPrincipal().withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
        ),
      ).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]',
        reason: 'An administrator role assumable only with MFA is what AdministratorAccess is for (IAM-02).',
      }),
  },
  {
    name: 'inline Allow * on * for a role without MFA',
    plain: (s) =>
      new iam.Role(s, 'R', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(
        new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }),
      ),
    plainRules: [`${SP}IAMAdminRequiresMfa`, 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess'],
    twin: (s) => accessRoles(s),
  },
];

describe('adversarial gate suite: every misconfiguration fails synth under its rule', () => {
  const variants = CASES.flatMap((c, i) => [
    { id: `Plain${i}`, c, build: c.plain, rules: c.plainRules },
    ...(c.hatch ? [{ id: `Hatch${i}`, c, build: c.hatch, rules: c.hatchRules ?? [] }] : []),
  ]);
  const bad = synthGate((app: App) => variants.forEach((v) => v.build(new Stack(app, v.id))));

  test('at least 30 misconfigurations, each written as plain props and, where it applies, as an escape hatch', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(variants.filter((v) => v.id.startsWith('Hatch')).length).toBeGreaterThanOrEqual(25);
  });

  test('synth fails, ending with the count of unacknowledged findings', () => {
    expect(bad.threw).toBe(true);
    expect(bad.message).toMatch(new RegExp(`synth failed: ${bad.problems.length} unacknowledged findings`));
  });

  test.each(variants.map((v) => [v.c.name, v.id, v.rules, v] as const))(
    '%s (%s) fails under %j',
    (_name, id, rules) => {
      const fired = new Set(
        bad.problems.filter((p: GateProblem) => p.path.startsWith(`${id}/`)).map((p) => p.ruleId),
      );
      expect(rules.filter((r) => !fired.has(r))).toEqual([]);
    },
  );
});

describe('adversarial gate suite: every compliant twin passes', () => {
  const good = synthGate((app: App) => CASES.forEach((c, i) => c.twin(new Stack(app, `Twin${i}`))));

  test('synth passes with no unacknowledged finding', () => {
    expect(good.problems.map((p) => `${p.ruleId} ${p.path}`)).toEqual([]);
    expect(good.threw).toBe(false);
  });
});
