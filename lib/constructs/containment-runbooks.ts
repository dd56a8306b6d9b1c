import { ArnFormat, Fn, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { BaselineKey } from './baseline-key';
import {
  APPLY_QUARANTINE_SCRIPT,
  BLOCK_CIDR_SCRIPT,
  DEACTIVATE_KEYS_SCRIPT,
  DETACH_ASG_SCRIPT,
  MIN_BLOCK_PREFIX,
  REVOKE_POLICY_NAME,
  REVOKE_POLICY_SCRIPT,
  SCRIPT_RUNTIME,
} from './containment-scripts';
import { encryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';

/** Tag key on every quarantine security group (the isolation role may only change groups carrying it). */
export const QUARANTINE_TAG = 'security-baseline:quarantine';
/** Tag key on every forensic snapshot, naming the isolated instance. */
export const FORENSICS_TAG = 'security-baseline:forensics-of';

/** The containment runbooks, by the suffix of their document names. */
export enum Runbook {
  /** Add an IPv4 address or CIDR to the web ACL's blocked-IP set. */
  BLOCK_IP = 'BlockIp',
  /** Deny everything to a role's credentials issued before now (IAM's "revoke active sessions"). */
  REVOKE_ROLE_SESSIONS = 'RevokeRoleSessions',
  /** Deactivate every access key of an IAM user and deny its existing temporary credentials. */
  DEACTIVATE_USER_KEYS = 'DeactivateUserKeys',
  /** Quarantine security group, termination protection, out of Auto Scaling, volumes snapshotted. */
  ISOLATE_INSTANCE = 'IsolateInstance',
}

export interface ContainmentRunbooksProps {
  /**
   * Topics every run is announced on (each status change SSM reports: success, failure,
   * cancellation, ...), e.g. the High topic of `SecurityAlerts`. Their topic policies and keys must
   * let EventBridge of this account publish (SecurityAlerts topics do). At least one.
   */
  readonly alertTopics: sns.ITopic[];

  /**
   * The blocked-IP set of a `RateLimitedWebAcl` (its `blockedIps`): the BlockIp runbook adds
   * addresses to exactly this set and may change no other.
   * @default - no BlockIp runbook
   */
  readonly blockedIpSet?: wafv2.CfnIPSet;

  /**
   * Prefix of the documents' names (`<prefix>-BlockIp`, ...). Letters, digits, `_`, `-` and `.`;
   * not starting with `AWS`, `Amazon` or `amzn`.
   * @default - the stack name
   */
  readonly documentNamePrefix?: string;

  /**
   * Key for the runs' log group.
   * @default - a new BaselineKey, alias `security-baseline/<stack>/containment`
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * How long the log of runs is kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Which runbooks to deploy, e.g. only `Runbook.BLOCK_IP` in the stack that holds the web ACL and
   * the others in the baseline stack.
   * @default - every runbook (BlockIp only with `blockedIpSet`)
   */
  readonly runbooks?: Runbook[];

  /**
   * GuardDuty finding types (e.g. `CryptoCurrency:EC2/BitcoinTool.B!DNS`) whose EC2 instance is
   * isolated automatically, with no human in the loop, by running IsolateInstance on the instance
   * the finding names. Only types about an EC2 instance (`<threat>:EC2/<name>`). Choose the types
   * your policy treats as Critical; a false positive takes the instance off the network.
   * @default - none: every runbook is run by a responder
   */
  readonly autoIsolateFindingTypes?: string[];
}

/**
 * Containment runbooks (ALR-03, policy 003 "Containment: isolate affected systems, block suspicious
 * IP addresses, revoke compromised credentials") as **AWS Systems Manager Automation documents**,
 * each run by a responder with one command
 * (`aws ssm start-automation-execution --document-name <name> --parameters InstanceId=i-...`):
 *
 * - `<prefix>-BlockIp`: add an IPv4 address or CIDR to the web ACL's blocked-IP set (only that set).
 * - `<prefix>-RevokeRoleSessions`: the `aws:TokenIssueTime` deny IAM's "revoke active sessions"
 *   attaches (inline policy `AWSRevokeOlderSessions`), so every credential of the role issued before
 *   now stops working; new sessions are unaffected.
 * - `<prefix>-DeactivateUserKeys`: every access key of an IAM user set Inactive, plus the same deny
 *   on the user for temporary credentials it obtained before now.
 * - `<prefix>-IsolateInstance`: termination protection on, detached from its Auto Scaling group (a
 *   replacement is launched), every network interface moved into a new quarantine security group
 *   with no inbound and no outbound rule, and a snapshot of every volume tagged for forensics.
 *
 * Why SSM Automation and not Step Functions: the documents are the runbooks a responder reads, in
 * the console and in the template, step by step with the API each step calls; SSM runs them
 * with one CLI command or console click, records every execution with its parameters, caller
 * and step outputs (and in CloudTrail), supports approvals and rate control if added later, needs
 * no Lambda function to maintain and costs nothing for these step counts. Step Functions would add a
 * state machine, its role and log group per runbook for the same API calls, with no runbook view.
 *
 * Each document runs under its own execution role, assumable only by SSM Automation of this
 * account, allowed only the calls its steps make, on the narrowest resources IAM can express.
 * Every run is logged (every execution and step status change, with who started it, to a
 * KMS-encrypted log group with retention) and announced on `alertTopics`. Optionally, chosen
 * GuardDuty finding types isolate their instance automatically.
 */
export class ContainmentRunbooks extends Construct {
  /** The log group of every run's status changes. */
  public readonly logGroup: logs.LogGroup;
  /** The automation documents, by runbook. */
  private readonly documents = new Map<Runbook, ssm.CfnDocument>();
  private readonly roles = new Map<Runbook, iam.Role>();
  private readonly prefix: string;
  /** Attach to responder roles (`grantRun`): start these runbooks, pass their roles, follow runs. */
  public readonly runPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ContainmentRunbooksProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.documentNamePrefix ?? stack.stackName;
    const autoTypes = props.autoIsolateFindingTypes ?? [];
    const errors = new PropErrors('ContainmentRunbooks', childPath(scope.node.path, id));
    if (props.alertTopics.length === 0)
      errors.add('alertTopics', [], 'at least one topic: every containment run is announced');
    if (!Token.isUnresolved(prefix)) {
      if (!/^[a-zA-Z0-9_.-]{3,100}$/.test(prefix))
        errors.add('documentNamePrefix', prefix, "3..100 letters, digits, '_', '-' or '.'");
      if (/^(aws|amazon|amzn)/i.test(prefix))
        errors.add(
          'documentNamePrefix',
          prefix,
          "SSM reserves names starting with 'AWS', 'Amazon' or 'amzn'",
        );
    }
    autoTypes.forEach((t, i) => {
      if (!/^[A-Za-z]+:EC2\/[A-Za-z0-9.!_-]+$/.test(t))
        errors.add(
          `autoIsolateFindingTypes[${i}]`,
          t,
          'a GuardDuty finding type about an EC2 instance, "<threat>:EC2/<name>", e.g. "CryptoCurrency:EC2/BitcoinTool.B!DNS"',
        );
    });
    const ipSet = props.blockedIpSet;
    if (ipSet) {
      const scopeValue = ipSet.scope;
      if (!Token.isUnresolved(scopeValue) && scopeValue !== 'REGIONAL' && scopeValue !== 'CLOUDFRONT')
        errors.add('blockedIpSet.scope', scopeValue, 'REGIONAL or CLOUDFRONT');
      if (scopeValue === 'CLOUDFRONT' && (Token.isUnresolved(stack.region) || stack.region !== 'us-east-1'))
        errors.add(
          'blockedIpSet.scope',
          scopeValue,
          'a CLOUDFRONT IP set is managed in us-east-1: put the runbooks in a stack with env.region "us-east-1"',
        );
      if (!Token.isUnresolved(ipSet.ipAddressVersion) && ipSet.ipAddressVersion !== 'IPV4')
        errors.add('blockedIpSet.ipAddressVersion', ipSet.ipAddressVersion, 'an IPV4 set');
    }
    const wanted = new Set(
      props.runbooks ?? Object.values(Runbook).filter((r) => r !== Runbook.BLOCK_IP || ipSet !== undefined),
    );
    if (props.runbooks !== undefined && props.runbooks.length === 0)
      errors.add('runbooks', [], 'at least one runbook (omit the prop for all of them)');
    (props.runbooks ?? []).forEach((r, i) => {
      if (!Object.values(Runbook).includes(r))
        errors.add(`runbooks[${i}]`, r, `one of ${Object.values(Runbook).join(', ')}`);
    });
    if (wanted.has(Runbook.BLOCK_IP) && !ipSet)
      errors.add('runbooks', props.runbooks, 'BlockIp needs blockedIpSet (the web ACL set it may change)');
    if (autoTypes.length > 0 && !wanted.has(Runbook.ISOLATE_INSTANCE))
      errors.add(
        'autoIsolateFindingTypes',
        autoTypes,
        'automatic isolation needs the IsolateInstance runbook',
      );
    errors.throwIfAny();
    this.prefix = prefix;

    const arn = (service: string, resource: string, options: { region?: string; account?: string } = {}) =>
      stack.formatArn({ service, resource, ...options });

    if (wanted.has(Runbook.BLOCK_IP) && ipSet) {
      this.runbook(Runbook.BLOCK_IP, {
        description: `ALR-03 containment: block an IPv4 address or CIDR (/${MIN_BLOCK_PREFIX}../32) at the web ACL by adding it to its blocked-IP set.`,
        parameters: {
          Cidr: {
            type: 'String',
            description: 'IPv4 address or CIDR to block, e.g. 203.0.113.7 or 203.0.113.0/24',
            allowedPattern: IPV4_OR_CIDR,
          },
        },
        mainSteps: [
          script('BlockCidr', BLOCK_CIDR_SCRIPT, {
            Cidr: '{{ Cidr }}',
            // The set's name is the first part of its Ref ("name|id|scope").
            IpSetName: ipSet.name ?? Fn.select(0, Fn.split('|', ipSet.ref)),
            IpSetId: ipSet.attrId,
            Scope: ipSet.scope,
          }),
        ],
        outputs: ['BlockCidr.Cidr', 'BlockCidr.Added'],
        scriptOutputs: {
          BlockCidr: [
            { Name: 'Cidr', Selector: '$.Payload.cidr', Type: 'String' },
            { Name: 'Added', Selector: '$.Payload.added', Type: 'Boolean' },
          ],
        },
        statements: [
          new iam.PolicyStatement({
            sid: 'ReadAndUpdateTheBlockedIpSet',
            actions: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
            resources: [ipSet.attrArn],
          }),
        ],
      });
    }

    const rolesArn = arn('iam', 'role/*', { region: '' });
    const usersArn = arn('iam', 'user/*', { region: '' });
    if (wanted.has(Runbook.REVOKE_ROLE_SESSIONS)) {
      const revokeRole = this.runbook(Runbook.REVOKE_ROLE_SESSIONS, {
        description:
          "ALR-03 containment: revoke a role's active sessions. Attaches IAM's AWSRevokeOlderSessions deny: credentials issued before now are refused.",
        parameters: {
          RoleName: {
            type: 'String',
            description: 'Name of the role (not its ARN)',
            allowedPattern: IAM_NAME,
          },
        },
        mainSteps: [
          script('BuildDenyPolicy', REVOKE_POLICY_SCRIPT, {}),
          api('AttachDenyPolicy', 'iam', 'PutRolePolicy', {
            RoleName: '{{ RoleName }}',
            PolicyName: REVOKE_POLICY_NAME,
            PolicyDocument: '{{ BuildDenyPolicy.Policy }}',
          }),
        ],
        outputs: ['BuildDenyPolicy.RevokedBefore'],
        scriptOutputs: { BuildDenyPolicy: REVOKE_OUTPUTS },
        statements: [
          new iam.PolicyStatement({
            sid: 'AttachTheRevokeDenyToAnyRole',
            actions: ['iam:PutRolePolicy'],
            resources: [rolesArn],
          }),
        ],
      });
      acknowledgeWildcard(
        revokeRole,
        rolesArn,
        'The compromised role is named when the runbook runs, so any role of the account must be reachable; the ' +
          'document only writes the fixed AWSRevokeOlderSessions deny (no Allow). Service-linked roles reject inline policies.',
      );
    }

    if (wanted.has(Runbook.DEACTIVATE_USER_KEYS)) {
      const deactivate = this.runbook(Runbook.DEACTIVATE_USER_KEYS, {
        description:
          "ALR-03 containment: deactivate every access key of an IAM user and deny the user's temporary credentials issued before now.",
        parameters: {
          UserName: { type: 'String', description: 'Name of the IAM user', allowedPattern: IAM_NAME },
        },
        mainSteps: [
          script('DeactivateAccessKeys', DEACTIVATE_KEYS_SCRIPT, { UserName: '{{ UserName }}' }),
          script('BuildDenyPolicy', REVOKE_POLICY_SCRIPT, {}),
          api('AttachDenyPolicy', 'iam', 'PutUserPolicy', {
            UserName: '{{ UserName }}',
            PolicyName: REVOKE_POLICY_NAME,
            PolicyDocument: '{{ BuildDenyPolicy.Policy }}',
          }),
        ],
        outputs: ['DeactivateAccessKeys.Deactivated', 'BuildDenyPolicy.RevokedBefore'],
        scriptOutputs: {
          DeactivateAccessKeys: [
            { Name: 'Deactivated', Selector: '$.Payload.deactivated', Type: 'StringList' },
          ],
          BuildDenyPolicy: REVOKE_OUTPUTS,
        },
        statements: [
          new iam.PolicyStatement({
            sid: 'DeactivateKeysAndDenyOldSessionsOfAnyUser',
            actions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:PutUserPolicy'],
            resources: [usersArn],
          }),
        ],
      });
      acknowledgeWildcard(
        deactivate,
        usersArn,
        'The compromised user is named when the runbook runs, so any user of the account must be reachable; the role ' +
          'can only list and deactivate keys (not create them) and write the fixed deny policy.',
      );
    }

    if (wanted.has(Runbook.ISOLATE_INSTANCE)) {
      const instances = arn('ec2', 'instance/*');
      const groups = arn('ec2', 'security-group/*');
      const quarantineTagged = { StringEquals: { [`aws:ResourceTag/${QUARANTINE_TAG}`]: 'true' } };
      const isolate = this.runbook(Runbook.ISOLATE_INSTANCE, {
        description:
          'ALR-03 containment: isolate an EC2 instance: termination protection, out of its Auto Scaling group, every ' +
          'network interface in a quarantine group with no rules, every volume snapshotted for forensics.',
        parameters: {
          InstanceId: {
            type: 'String',
            description: 'ID of the instance',
            allowedPattern: '^i-[0-9a-f]{8,17}$',
          },
        },
        mainSteps: [
          api('DescribeInstance', 'ec2', 'DescribeInstances', { InstanceIds: ['{{ InstanceId }}'] }, [
            { Name: 'VpcId', Selector: '$.Reservations[0].Instances[0].VpcId', Type: 'String' },
          ]),
          api('ProtectFromTermination', 'ec2', 'ModifyInstanceAttribute', {
            InstanceId: '{{ InstanceId }}',
            DisableApiTermination: { Value: true },
          }),
          script('DetachFromAutoScaling', DETACH_ASG_SCRIPT, { InstanceId: '{{ InstanceId }}' }),
          api(
            'CreateQuarantineGroup',
            'ec2',
            'CreateSecurityGroup',
            {
              GroupName: 'quarantine-{{ InstanceId }}-{{ automation:EXECUTION_ID }}',
              Description: 'ALR-03 quarantine of {{ InstanceId }}: no inbound, no outbound',
              VpcId: '{{ DescribeInstance.VpcId }}',
              TagSpecifications: [
                {
                  ResourceType: 'security-group',
                  Tags: [
                    { Key: QUARANTINE_TAG, Value: 'true' },
                    { Key: FORENSICS_TAG, Value: '{{ InstanceId }}' },
                  ],
                },
              ],
            },
            [{ Name: 'GroupId', Selector: '$.GroupId', Type: 'String' }],
          ),
          // A new group allows all outbound traffic: remove that rule, so the group has none.
          api('RemoveDefaultEgress', 'ec2', 'RevokeSecurityGroupEgress', {
            GroupId: '{{ CreateQuarantineGroup.GroupId }}',
            IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          }),
          script('ApplyQuarantineGroup', APPLY_QUARANTINE_SCRIPT, {
            InstanceId: '{{ InstanceId }}',
            GroupId: '{{ CreateQuarantineGroup.GroupId }}',
          }),
          api(
            'SnapshotVolumes',
            'ec2',
            'CreateSnapshots',
            {
              InstanceSpecification: { InstanceId: '{{ InstanceId }}', ExcludeBootVolume: false },
              Description: 'ALR-03 forensic snapshot of {{ InstanceId }} ({{ automation:EXECUTION_ID }})',
              CopyTagsFromSource: 'volume',
              TagSpecifications: [
                { ResourceType: 'snapshot', Tags: [{ Key: FORENSICS_TAG, Value: '{{ InstanceId }}' }] },
              ],
            },
            [{ Name: 'SnapshotIds', Selector: '$.Snapshots..SnapshotId', Type: 'StringList' }],
          ),
        ],
        outputs: [
          'CreateQuarantineGroup.GroupId',
          'DetachFromAutoScaling.AutoScalingGroup',
          'ApplyQuarantineGroup.NetworkInterfaces',
          'SnapshotVolumes.SnapshotIds',
        ],
        scriptOutputs: {
          DetachFromAutoScaling: [{ Name: 'AutoScalingGroup', Selector: '$.Payload.group', Type: 'String' }],
          ApplyQuarantineGroup: [
            { Name: 'NetworkInterfaces', Selector: '$.Payload.interfaces', Type: 'StringList' },
          ],
        },
        statements: [
          new iam.PolicyStatement({
            sid: 'DescribeHasNoResourceLevelPermissions',
            actions: ['ec2:DescribeInstances', 'autoscaling:DescribeAutoScalingInstances'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'ProtectTheInstanceAndSnapshotItsVolumes',
            actions: ['ec2:ModifyInstanceAttribute', 'ec2:CreateSnapshots'],
            resources: [instances],
          }),
          new iam.PolicyStatement({
            sid: 'SnapshotVolumes',
            actions: ['ec2:CreateSnapshots'],
            resources: [arn('ec2', 'volume/*'), arn('ec2', 'snapshot/*', { account: '' })],
          }),
          new iam.PolicyStatement({
            sid: 'DetachFromItsAutoScalingGroup',
            actions: ['autoscaling:DetachInstances'],
            resources: [arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')],
          }),
          new iam.PolicyStatement({
            sid: 'CreateQuarantineGroupsInAnyVpc',
            actions: ['ec2:CreateSecurityGroup'],
            resources: [arn('ec2', 'vpc/*')],
          }),
          new iam.PolicyStatement({
            sid: 'CreateOnlyQuarantineTaggedGroups',
            actions: ['ec2:CreateSecurityGroup'],
            resources: [groups],
            conditions: { StringEquals: { [`aws:RequestTag/${QUARANTINE_TAG}`]: 'true' } },
          }),
          new iam.PolicyStatement({
            sid: 'TagOnlyWhatTheRunbookCreates',
            actions: ['ec2:CreateTags'],
            resources: [groups, arn('ec2', 'snapshot/*', { account: '' })],
            conditions: { StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshots'] } },
          }),
          new iam.PolicyStatement({
            sid: 'ChangeOnlyQuarantineGroups',
            actions: ['ec2:RevokeSecurityGroupEgress', 'ec2:ModifyNetworkInterfaceAttribute'],
            resources: [groups],
            conditions: quarantineTagged,
          }),
          new iam.PolicyStatement({
            sid: 'MoveInterfacesIntoQuarantine',
            actions: ['ec2:ModifyNetworkInterfaceAttribute'],
            resources: [arn('ec2', 'network-interface/*')],
          }),
        ],
      });
      const named =
        'The instance is named when the runbook runs (by a responder or a GuardDuty finding), so ';
      for (const [resource, reason] of [
        [
          '*',
          'ec2:DescribeInstances and autoscaling:DescribeAutoScalingInstances support no resource-level permissions ' +
            '(Service Authorization Reference); they only read.',
        ],
        [
          instances,
          named +
            'any instance of this account and region must be reachable (termination protection, snapshot).',
        ],
        [
          arn('ec2', 'volume/*'),
          named + 'its volumes are known only then (CreateSnapshots of the instance).',
        ],
        [
          arn('ec2', 'snapshot/*', { account: '' }),
          'Snapshot ARNs have no account and the IDs do not exist before CreateSnapshots; tagging is limited to ' +
            'ec2:CreateAction CreateSnapshots.',
        ],
        [
          arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*'),
          named +
            'its Auto Scaling group (if any) is found only then; the role can only detach, keeping capacity.',
        ],
        [
          arn('ec2', 'vpc/*'),
          named +
            'the quarantine group is created in its VPC, known only then. Groups created must carry the quarantine tag.',
        ],
        [
          groups,
          'Security-group IDs are created by the run. Creating requires, and changing rules or attaching requires, ' +
            `the ${QUARANTINE_TAG}=true tag (aws:RequestTag / aws:ResourceTag), so no other group can be touched.`,
        ],
        [arn('ec2', 'network-interface/*'), named + 'its network interfaces are found only then.'],
      ] as const) {
        acknowledgeWildcard(isolate, resource, reason);
      }
    }

    // Every run logged: each execution and step status change (with the caller), kept encrypted.
    const key =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/containment`,
        description: 'cdk-security-baseline: encrypts the log of containment runbook runs',
      });
    const logGroupName = `/security-baseline/containment/${stack.stackName}`;
    this.logGroup = encryptedLogGroup(this, 'Runs', {
      logGroupName,
      encryptionKey: key,
      retention: props.logRetention,
    });
    const names = this.documentNames();
    const logRule = new events.Rule(this, 'LogRuns', {
      description: 'ALR-03: every containment runbook execution and step status change, to the log',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: [
          'EC2 Automation Execution Status-change Notification',
          'EC2 Automation Step Status-change Notification',
        ],
        detail: { Definition: names },
      },
      targets: [new LogGroupTarget(this.logGroup)],
    });
    // EventBridge writes to the log group only on behalf of this rule (a CloudFormation resource
    // policy; CDK's own log-group target would add a custom-resource Lambda for the same).
    new logs.CfnResourcePolicy(this, 'LogRunsPolicy', {
      policyName: `${stack.stackName}-containment-runs`,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'EventBridgeLogsContainmentRuns',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.logGroup.logGroupArn}`,
            Condition: { ArnEquals: { 'aws:SourceArn': logRule.ruleArn } },
          },
        ],
      }),
    });

    const e = events.EventField;
    new events.Rule(this, 'AnnounceRuns', {
      description:
        'ALR-03: announce every containment runbook execution (each status change) on the alert topics',
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['EC2 Automation Execution Status-change Notification'],
        detail: { Definition: names },
      },
      targets: props.alertTopics.map(
        (topic) =>
          new AnnounceTarget(
            topic,
            events.RuleTargetInput.fromMultilineText(
              [
                `[CONTAINMENT] ${e.fromPath('$.detail.Definition')}: ${e.fromPath('$.detail.Status')}`,
                `Execution ${e.fromPath('$.detail.ExecutionId')}, started by ${e.fromPath('$.detail.ExecutedBy')}`,
                `Account ${e.account}, region ${e.region}`,
                `Steps and outputs: https://console.aws.amazon.com/systems-manager/automation/execution/${e.fromPath('$.detail.ExecutionId')}?region=${e.region}`,
                `Log: ${logGroupName}`,
              ].join('\n'),
            ),
          ),
      ),
    });

    if (autoTypes.length > 0) {
      const isolateDoc = this.document(Runbook.ISOLATE_INSTANCE);
      const definitionArn = arn(
        'ssm',
        `automation-definition/${this.documentName(Runbook.ISOLATE_INSTANCE)}`,
      );
      const invokerPolicy = new iam.ManagedPolicy(this, 'AutoIsolateInvokerPolicy', {
        description: 'Start exactly the IsolateInstance runbook, with its execution role',
        statements: [
          new iam.PolicyStatement({
            actions: ['ssm:StartAutomationExecution'],
            resources: [definitionArn, `${definitionArn}:*`],
          }),
          new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [this.executionRole(Runbook.ISOLATE_INSTANCE).roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
          }),
        ],
      });
      acknowledgeWildcard(
        invokerPolicy,
        `${definitionArn}:*`,
        'Any version of the one IsolateInstance document (SSM authorises StartAutomationExecution on <document>:<version>).',
      );
      const invoker = new iam.Role(this, 'AutoIsolateInvoker', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
        description:
          'ALR-03: lets EventBridge start the IsolateInstance runbook for chosen GuardDuty findings',
        managedPolicies: [invokerPolicy],
      });
      const autoRule = new events.Rule(this, 'AutoIsolate', {
        description:
          `ALR-03 automatic containment: isolate the instance of GuardDuty findings ${autoTypes.join(', ')}`.slice(
            0,
            512,
          ),
        eventPattern: {
          source: ['aws.guardduty'],
          detailType: ['GuardDuty Finding'],
          detail: { type: autoTypes, resource: { resourceType: ['Instance'] } },
        },
        targets: [
          new AutomationTarget(
            definitionArn,
            invoker,
            events.RuleTargetInput.fromObject({
              InstanceId: [e.fromPath('$.detail.resource.instanceDetails.instanceId')],
            }),
          ),
        ],
      });
      autoRule.node.addDependency(isolateDoc, invoker);
    }
    this.runPolicy = this.createRunPolicy();
    recordControls(this, 'ALR-03', 'LOG-04', 'ENC-01');
  }

  /** The document of one runbook (BLOCK_IP exists only with `blockedIpSet`). */
  public document(runbook: Runbook): ssm.CfnDocument {
    const doc = this.documents.get(runbook);
    if (!doc)
      throw new Error(
        `ContainmentRunbooks at '${this.node.path}': no ${runbook} runbook (give blockedIpSet)`,
      );
    return doc;
  }

  /** The role one runbook runs under. */
  public executionRole(runbook: Runbook): iam.IRole {
    this.document(runbook);
    return this.roles.get(runbook)!;
  }

  /** The name of one runbook's document, as a responder passes it to `start-automation-execution`. */
  public documentName(runbook: Runbook): string {
    this.document(runbook);
    return `${this.prefix}-${runbook}`;
  }

  /**
   * Let a responder role run the runbooks: attaches `runPolicy` (start these documents with their
   * execution roles, follow and stop executions; nothing else).
   */
  public grantRun(role: iam.IRole): void {
    role.addManagedPolicy(this.runPolicy);
  }

  /** The managed policy that lets a responder run these runbooks (see `grantRun`). */
  private createRunPolicy(): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const documents = this.documentNames().map((name) =>
      stack.formatArn({ service: 'ssm', resource: `automation-definition/${name}` }),
    );
    const versions = documents.map((d) => `${d}:*`);
    const executions = stack.formatArn({ service: 'ssm', resource: 'automation-execution/*' });
    const policy = new iam.ManagedPolicy(this, 'RunPolicy', {
      description: 'ALR-03: run the containment runbooks (and nothing else)',
      statements: [
        new iam.PolicyStatement({
          sid: 'StartTheContainmentRunbooks',
          actions: ['ssm:StartAutomationExecution'],
          // Without and with a version (<document>:<version>, e.g. :$DEFAULT).
          resources: [...documents, ...versions],
        }),
        new iam.PolicyStatement({
          sid: 'FollowAndStopExecutions',
          actions: ['ssm:GetAutomationExecution', 'ssm:StopAutomationExecution'],
          resources: [executions],
        }),
        new iam.PolicyStatement({
          sid: 'PassOnlyTheRunbookRolesToSsm',
          actions: ['iam:PassRole'],
          resources: [...this.roles.values()].map((r) => r.roleArn),
          conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        }),
      ],
    });
    for (const d of versions)
      acknowledgeWildcard(
        policy,
        d,
        'Any version of one containment document (SSM authorises StartAutomationExecution on <document>:<version>).',
      );
    acknowledgeWildcard(
      policy,
      executions,
      'Execution IDs exist only once a run starts; reading and stopping runs grants no action on resources.',
    );
    return policy;
  }

  private documentNames(): string[] {
    return [...this.documents.keys()].map((r) => `${this.prefix}-${r}`);
  }

  private runbook(runbook: Runbook, spec: RunbookSpec): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const policy = new iam.ManagedPolicy(this, `${runbook}Policy`, {
      description: `ALR-03: exactly the calls of the ${runbook} runbook`,
      statements: spec.statements,
    });
    const role = new iam.Role(this, `${runbook}Role`, {
      description: `ALR-03: runs the ${runbook} containment runbook (SSM Automation)`,
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution/*' }),
          },
        },
      }),
      managedPolicies: [policy],
    });
    const steps = spec.mainSteps.map((step) => {
      const outputs = spec.scriptOutputs?.[step.name];
      return outputs ? { ...step, outputs } : step;
    });
    const doc = new ssm.CfnDocument(this, runbook, {
      name: `${this.prefix}-${runbook}`,
      documentType: 'Automation',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '0.3',
        description: spec.description,
        assumeRole: '{{ AutomationAssumeRole }}',
        parameters: {
          ...spec.parameters,
          AutomationAssumeRole: {
            type: 'String',
            description: 'The role the runbook runs under (its own least-privilege role)',
            default: role.roleArn,
          },
        },
        mainSteps: steps,
        outputs: spec.outputs,
      },
    });
    this.documents.set(runbook, doc);
    this.roles.set(runbook, role);
    return policy;
  }
}

interface RunbookSpec {
  readonly description: string;
  readonly parameters: Record<string, unknown>;
  readonly mainSteps: Step[];
  readonly outputs: string[];
  readonly scriptOutputs?: Record<string, unknown[]>;
  readonly statements: iam.PolicyStatement[];
}

interface Step {
  readonly name: string;
  readonly action: string;
  readonly inputs: Record<string, unknown>;
  readonly onFailure: string;
  readonly isCritical: boolean;
  readonly outputs?: unknown[];
}

const IPV4_OR_CIDR = `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/(3[0-2]|[12][0-9]|[89]))?$`; // prefix /8../32 (MIN_BLOCK_PREFIX)
const IAM_NAME = '^[\\w+=,.@-]{1,64}$';
const REVOKE_OUTPUTS = [
  { Name: 'Policy', Selector: '$.Payload.policy', Type: 'String' },
  { Name: 'RevokedBefore', Selector: '$.Payload.revokedBefore', Type: 'String' },
];

/** A step that calls one AWS API with the given parameters; a failure stops the runbook. */
function api(
  name: string,
  service: string,
  operation: string,
  parameters: Record<string, unknown>,
  outputs?: unknown[],
): Step {
  return {
    name,
    action: 'aws:executeAwsApi',
    inputs: { Service: service, Api: operation, ...parameters },
    onFailure: 'Abort',
    isCritical: true,
    ...(outputs ? { outputs } : {}),
  };
}

/** A Python step (see containment-scripts.ts for why a step is a script). */
function script(name: string, code: string, payload: Record<string, unknown>): Step {
  return {
    name,
    action: 'aws:executeScript',
    inputs: { Runtime: SCRIPT_RUNTIME, Handler: 'handler', Script: code, InputPayload: payload },
    onFailure: 'Abort',
    isCritical: true,
  };
}

/** Acknowledge the one wildcard-resource finding `resource` raises on a runbook's policy. */
function acknowledgeWildcard(policy: iam.ManagedPolicy, resource: string, reason: string): void {
  acknowledge(policy, [`AwsSolutions-IAM5[Resource::${nagResource(policy, resource)}]`], reason);
}

/** EventBridge → a CloudWatch log group, with no permission added (the resource policy above allows it). */
class LogGroupTarget implements events.IRuleTarget {
  constructor(private readonly logGroup: logs.ILogGroup) {}

  public bind(): events.RuleTargetConfig {
    return {
      arn: Stack.of(this.logGroup).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: this.logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      targetResource: this.logGroup,
    };
  }
}

/**
 * EventBridge → an SNS topic, with no permission added: CDK's SnsTopic target would grant
 * `events.amazonaws.com` publish with no source condition; the alert topics already allow EventBridge
 * of this account.
 */
class AnnounceTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly message: events.RuleTargetInput,
  ) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.message, targetResource: this.topic };
  }
}

/** EventBridge → start an SSM Automation runbook, as `role`, with `input` as its parameters. */
class AutomationTarget implements events.IRuleTarget {
  constructor(
    private readonly definitionArn: string,
    private readonly role: iam.IRole,
    private readonly input: events.RuleTargetInput,
  ) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.definitionArn, role: this.role, input: this.input };
  }
}
