import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { BaselineKey } from './baseline-key';
import { EncryptedLogGroup, logGroupArnOf } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { ManagedPolicyRole } from './managed-policy-role';
import { uniqueLowerName } from './unique-name';

export interface HardenedFunctionProps {
  /** The function's code. */
  readonly code: lambda.Code;

  /** The handler, e.g. `index.handler`. */
  readonly handler: string;

  /**
   * The runtime. Use a current one (AwsSolutions-L1 fails older runtimes of a family).
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;

  /**
   * The VPC the function runs in (the NIST, HIPAA and PCI packs and AWS Control Tower CT.LAMBDA.PR.3
   * require one). A SecureVpc's `vpc` fits.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of `vpc` for the function's network interfaces.
   * @default - the isolated subnets if the VPC has any, else the private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function.
   * @default - a new security group that allows all outbound traffic
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The key for the environment variables, the log group and the dead-letter topic (ENC-01).
   * @default - a new BaselineKey for this function
   */
  readonly encryptionKey?: BaselineKey;

  /** Environment variables, encrypted with `encryptionKey`. @default - none */
  readonly environment?: { [key: string]: string };

  /** @default 256 */
  readonly memorySize?: number;

  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;

  /**
   * Reserved concurrency: the most instances that run at once (NIST/HIPAA LambdaConcurrency), which
   * also caps what a flood of requests can cost.
   * @default 10
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Where asynchronous invocations that still fail after Lambda's retries go (NIST/HIPAA LambdaDLQ).
   * @default - a new SNS topic encrypted with `encryptionKey`, TLS-only
   */
  readonly deadLetterTopic?: sns.ITopic;

  /**
   * Retention of the function's log group (LOG-04).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /** @default - none */
  readonly description?: string;
}

/**
 * A Lambda function that passes the compliance gate as it is: in a VPC (isolated subnets by
 * default), reserved concurrency, a KMS-encrypted dead-letter topic, environment variables and logs
 * encrypted with a customer-managed BaselineKey (ENC-01), an encrypted log group with explicit
 * retention (LOG-04), X-Ray tracing, and a role whose permissions all live in a customer-managed
 * policy (no inline policy, so grants to it pass IAMNoInlinePolicy).
 *
 * Grant to it as to any function: `bucket.grantRead(fn)` (`fn` is `IGrantable`; the grants go to
 * the role's managed policy). The function itself is `fn.function`.
 *
 * Two findings are part of running a function in a VPC that writes logs, and the construct
 * acknowledges them with their reasons, scoped to its own role's policy: the log-stream wildcard of
 * its one log group (stream names are created by Lambda) and `Resource::*` for the EC2
 * network-interface actions (EC2 offers no resource-level permission for them).
 */
export class HardenedFunction extends Construct implements iam.IGrantable {
  /** The function. */
  public readonly function: lambda.Function;
  /** The function's role; every statement it gets lands in a customer-managed policy. */
  public readonly role: iam.Role;
  /** The key of the environment, log group and dead-letter topic. */
  public readonly encryptionKey: BaselineKey;
  /** The function's encrypted log group. */
  public readonly logGroup: logs.LogGroup;
  /** The dead-letter topic. */
  public readonly deadLetterTopic: sns.ITopic;
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HardenedFunctionProps) {
    super(scope, id);
    const errors = new PropErrors('HardenedFunction', childPath(scope.node.path, id));
    const concurrency = props.reservedConcurrentExecutions ?? 10;
    if (!Token.isUnresolved(concurrency) && (!Number.isInteger(concurrency) || concurrency < 1))
      errors.add(
        'reservedConcurrentExecutions',
        concurrency,
        'a whole number of at least 1 (LambdaConcurrency)',
      );
    if (!props.vpc) errors.add('vpc', props.vpc, 'a VPC (LambdaInsideVPC, CT.LAMBDA.PR.3); a SecureVpc fits');
    errors.throwIfAny();

    const uniqueId = uniqueLowerName(this);
    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${uniqueId}`,
        description: `cdk-security-baseline: encrypts the function ${this.node.path}`,
      });
    const logs_ = new EncryptedLogGroup(this, 'Logs', {
      logGroupName: `/security-baseline/lambda/${uniqueId}`,
      encryptionKey: this.encryptionKey,
      retention: props.logRetention,
    });
    this.logGroup = logs_.logGroup;
    if (props.deadLetterTopic) {
      this.deadLetterTopic = props.deadLetterTopic;
    } else {
      this.deadLetterTopic = new sns.Topic(this, 'DeadLetters', {
        displayName: `Failed asynchronous invocations of ${this.node.path}`,
        masterKey: this.encryptionKey,
        enforceSSL: true,
      });
    }

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.grantPrincipal = this.role.grantPrincipal;
    // What AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole grant, scoped: logs to
    // this function's log group only.
    const logStreams = `${logGroupArnOf(this, (logs_.logGroup.node.defaultChild as logs.CfnLogGroup).logGroupName!)}:log-stream:*`;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logStreams],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );

    const isolated = props.vpc.isolatedSubnets.length > 0;
    this.function = new lambda.Function(this, 'Resource', {
      code: props.code,
      handler: props.handler,
      runtime: props.runtime ?? lambda.Runtime.NODEJS_24_X,
      description: props.description,
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? {
        subnetType: isolated ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
      },
      securityGroups: props.securityGroups,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: concurrency,
      environment: props.environment,
      environmentEncryption: this.encryptionKey,
      deadLetterTopic: this.deadLetterTopic,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
    });
    this.function.node.addDependency(this.role);

    const policy = this.role.node.findChild('Policy');
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::${nagResource(this, logStreams)}]`],
      'Lambda creates the log streams of its function with names it chooses; the wildcard covers the streams of this ' +
        "function's one log group only.",
    );
    acknowledge(
      policy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'The EC2 network-interface actions a function in a VPC needs (Create/Describe/Delete/Assign/UnassignPrivateIp, ' +
        'as in AWSLambdaVPCAccessExecutionRole) and the X-Ray PutTraceSegments/PutTelemetryRecords actions of tracing ' +
        'support no resource-level permissions.',
    );
    recordControls(this, 'ENC-01', 'LOG-04');
  }
}
