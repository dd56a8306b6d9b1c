import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { resolveConfig } from '../../lib/config/loader';
import { ProtectedWorkloadStack } from '../../lib/stacks/protected-workload-stack';
import { testApp } from '../helpers';

const [dev, , prod] = resolveConfig(DEFAULT_CONFIG, 'default');
const devStack = new ProtectedWorkloadStack(testApp(), 'DevWorkload', { config: dev });
const prodStack = new ProtectedWorkloadStack(testApp(), 'ProdWorkload', { config: prod });
const devT = Template.fromStack(devStack);
const prodT = Template.fromStack(prodStack);

describe('ProtectedWorkloadStack', () => {
  test('the API is IAM-authorized, throttled, access-logged to an encrypted group, traced, and behind the WAF', () => {
    devT.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'AWS_IAM',
    });
    devT.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [
        Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200, LoggingLevel: 'ERROR' }),
      ],
    });
    const stageId = Object.keys(devT.findResources('AWS::ApiGateway::Stage'))[0];
    devT.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: stageId }])]) }),
    });
  });

  test('the database is in the isolated subnets of the VPC, with TLS forced and deletion protection', () => {
    devT.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    devT.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      Properties: Match.objectLike({ DeletionProtection: true, MultiAZ: false, BackupRetentionPeriod: 7 }),
    });
    prodT.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, BackupRetentionPeriod: 35 });
  });

  test('one data key for the database, the application bucket and the API logs', () => {
    devT.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/security-baseline/DevWorkload/data' });
    devT.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
    });
  });

  test('prod stacks have termination protection', () => {
    expect([devStack.terminationProtection, prodStack.terminationProtection]).toEqual([false, true]);
  });
});
