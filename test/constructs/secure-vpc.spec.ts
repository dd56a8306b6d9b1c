import { Match, Template } from 'aws-cdk-lib/assertions';
import { recordedControls } from '../../lib/compliance/controls';
import { SecureVpc } from '../../lib/constructs/secure-vpc';
import { testStack } from '../helpers';

describe('SecureVpc (NET-01, NET-02)', () => {
  const stack = testStack('Net');
  const vpc = new SecureVpc(stack, 'Vpc');
  const template = Template.fromStack(stack);

  test('public and isolated subnets, no NAT by default, no public IPs assigned anywhere', () => {
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(4);
    for (const s of subnets) expect(s.Properties.MapPublicIpOnLaunch).toBe(false);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(vpc.vpc.isolatedSubnets).toHaveLength(2);
    expect(vpc.vpc.privateSubnets).toHaveLength(0);
  });

  test('the default security group is emptied', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs of all traffic go to an encrypted, retained log group', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('S3 gateway and KMS / Secrets Manager interface endpoints reachable only over HTTPS from the VPC', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    expect(
      Object.values(
        template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
      ),
    ).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        {
          CidrIp: '10.0.0.0/16',
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
          Description: 'HTTPS from this VPC',
        },
      ],
    });
  });

  test('NAT gateways and private subnets when asked; endpoints can be left out', () => {
    const s = testStack();
    new SecureVpc(s, 'Vpc', { natGateways: 1, interfaceEndpoints: false });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(
      Object.values(
        t.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
      ),
    ).toHaveLength(0);
  });

  test('records NET-01/02; rejects bad props, all at once', () => {
    expect(recordedControls(stack).get(vpc.node.path)).toEqual(['NET-01', 'NET-02', 'LOG-04']);
    expect(() => new SecureVpc(testStack(), 'V', { natGateways: 3, cidr: '10.0.0.0/8' })).toThrow(
      /SecureVpc at 'Test\/V': 2 invalid prop\(s\):\n {2}- natGateways: got 3; 0..2 \(at most one per AZ\)\n {2}- cidr: got "10.0.0.0\/8"; an IPv4 CIDR block from \/16 to \/24/,
    );
  });
});
