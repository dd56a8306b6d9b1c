import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { BaselineKey } from './baseline-key';
import { encryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';

export interface SecureVpcProps {
  /** @default 2 */
  readonly maxAzs?: number;

  /**
   * NAT gateways for the private subnets' egress (about $33/month each plus data). With 0 there are
   * no private-with-egress subnets: public and isolated only.
   * @default 0
   */
  readonly natGateways?: number;

  /**
   * Interface endpoints for KMS and Secrets Manager, so the isolated tier reaches them without an
   * internet path (about $7.50/month per endpoint per AZ). The S3 gateway endpoint is always there
   * (free).
   * @default true
   */
  readonly interfaceEndpoints?: boolean;

  /** @default '10.0.0.0/16' */
  readonly cidr?: string;

  /** Key for the flow log group. @default - a new BaselineKey */
  readonly encryptionKey?: BaselineKey;

  /** Retention of the flow logs (NET-02). @default logs.RetentionDays.ONE_YEAR */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A segmented VPC (NET-01, NET-02): public, (optionally) private and isolated subnets across AZs;
 * no public IPs assigned automatically anywhere; the default security group without rules; VPC
 * flow logs of all traffic to a KMS-encrypted log group with retention; an S3 gateway endpoint and,
 * by default, KMS and Secrets Manager interface endpoints so the data tier needs no internet path.
 *
 * In a stack with a concrete account and region, `ec2.Vpc` looks the availability zones up in the
 * account at synth. To synth offline, override the stack's `availabilityZones` with `Fn::GetAZs`
 * selections, as ProtectedWorkloadStack does.
 */
export class SecureVpc extends Construct {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: SecureVpcProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const nat = props.natGateways ?? 0;
    const maxAzs = props.maxAzs ?? 2;
    const errors = new PropErrors('SecureVpc', childPath(scope.node.path, id));
    if (!Number.isInteger(nat) || nat < 0 || nat > maxAzs)
      errors.add('natGateways', nat, `0..${maxAzs} (at most one per AZ)`);
    if (!Number.isInteger(maxAzs) || maxAzs < 1 || maxAzs > 6) errors.add('maxAzs', maxAzs, '1..6');
    if (props.cidr !== undefined && !/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/.test(props.cidr))
      errors.add('cidr', props.cidr, 'an IPv4 CIDR block from /16 to /24');
    errors.throwIfAny();
    const cidr = props.cidr ?? '10.0.0.0/16';

    const subnets: ec2.SubnetConfiguration[] = [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      ...(nat > 0 ? [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 }] : []),
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ];
    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs,
      natGateways: nat,
      subnetConfiguration: subnets,
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });

    if (props.interfaceEndpoints ?? true) {
      // HTTPS from inside this VPC only, with the CIDR as a literal so the checks can read it.
      const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface endpoints: HTTPS from this VPC only',
        allowAllOutbound: false,
      });
      endpointSg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from this VPC');
      for (const [name, service] of [
        ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
        ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ] as const) {
        this.vpc.addInterfaceEndpoint(name, {
          service,
          subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
          privateDnsEnabled: true,
          securityGroups: [endpointSg],
          open: false,
        });
      }
    }

    // A public subnet is public because of its default route to the internet gateway; only
    // internet-facing load balancers and NAT gateways belong there, the data tier is isolated.
    for (const subnet of this.vpc.publicSubnets) {
      acknowledge(
        subnet,
        inFrameworkPacks('VPCNoUnrestrictedRouteToIGW'),
        'Public subnet: the 0.0.0.0/0 route to the internet gateway is what makes it public; it holds only internet-facing load balancers and NAT gateways (NET-01 keeps data in isolated subnets).',
      );
    }
    const provider = stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason:
          "CDK's provider that removes the default security group's rules calls only the EC2 API during deployment; it holds no data.",
      });
    }

    // NET-02: flow logs of all traffic to an encrypted, retained log group.
    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'FlowLogKey', {
        alias: `security-baseline/${stack.stackName}/flow-logs-${id}`,
        description: 'cdk-security-baseline: encrypts VPC flow logs',
      });
    const logGroup = encryptedLogGroup(this, 'FlowLogs', {
      logGroupName: `/security-baseline/vpc-flow-logs/${stack.stackName}-${id}`,
      encryptionKey: key,
      retention: props.flowLogRetention,
    });
    const deliveryPolicy = new iam.ManagedPolicy(this, 'FlowLogDelivery', {
      description: 'VPC flow logs delivery to one log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
      ],
    });
    Validations.of(deliveryPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'logs:DescribeLogGroups supports no resource ARN; VPC Flow Logs calls it before delivering (VPC User Guide, flow logs IAM role).',
    });
    Validations.of(deliveryPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResource(this, logGroup.logGroupArn)}]`,
      reason:
        "The log group's ARN ends in :* so the role can write the log streams VPC Flow Logs creates in this one group.",
    });
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      managedPolicies: [deliveryPolicy],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    recordControls(this, 'NET-01', 'NET-02', 'LOG-04');
  }
}
