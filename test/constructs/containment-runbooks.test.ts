import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordedControls } from '../../lib/compliance/controls';
import { ContainmentRunbooks, QUARANTINE_TAG, Runbook } from '../../lib/constructs/containment-runbooks';
import { RateLimitedWebAcl } from '../../lib/constructs/rate-limited-web-acl';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { IncidentClass } from '../../lib/constructs/severity';
import { regionalArn, synthWithGate, testApp, testStack } from './response-helpers';
import { matches } from './event-pattern';

const CRYPTO = 'CryptoCurrency:EC2/BitcoinTool.B!DNS';

/** One stack with every runbook, automatic isolation on, and a responder role granted to run them. */
function build(app: App = testApp()) {
  const stack = new Stack(app, 'Response');
  const alerts = new SecurityAlerts(stack, 'Alerts');
  const acl = new RateLimitedWebAcl(stack, 'Acl');
  const runbooks = new ContainmentRunbooks(stack, 'Runbooks', {
    alertTopics: [alerts.topic(IncidentClass.HIGH), alerts.topic(IncidentClass.CRITICAL)],
    blockedIpSet: acl.blockedIps,
    autoIsolateFindingTypes: [CRYPTO],
  });
  const responder = new iam.Role(stack, 'Responder', { assumedBy: new iam.AccountRootPrincipal() });
  runbooks.grantRun(responder);
  return { stack, alerts, acl, runbooks };
}

const { stack, runbooks, acl } = build();
const ipSetId = stack.getLogicalId(acl.blockedIps!);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, any>;

/** The content of one runbook's document, as deployed. */
function content(runbook: Runbook): any {
  return resources[stack.getLogicalId(runbooks.document(runbook))].Properties.Content;
}
/** The statements of one runbook's execution-role policy, as deployed. */
function statements(runbook: Runbook): any[] {
  const policy = Object.entries(resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && id.startsWith(`Runbooks${runbook}Policy`),
  )!;
  return policy[1].Properties.PolicyDocument.Statement;
}
const stepsOf = (runbook: Runbook) => content(runbook).mainSteps as any[];
const step = (runbook: Runbook, name: string) => stepsOf(runbook).find((s) => s.name === name);
const pattern = (runbook: Runbook, parameter: string) =>
  new RegExp(content(runbook).parameters[parameter].allowedPattern);

describe('ContainmentRunbooks (ALR-03): documents', () => {
  test('four Automation documents, named <stack>-<runbook>, new versions on update', () => {
    for (const r of Object.values(Runbook)) {
      template.hasResourceProperties('AWS::SSM::Document', {
        Name: `Response-${r}`,
        DocumentType: 'Automation',
        UpdateMethod: 'NewVersion',
        Content: Match.objectLike({ schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}' }),
      });
      expect(runbooks.documentName(r)).toBe(`Response-${r}`);
    }
    template.resourceCountIs('AWS::SSM::Document', 4);
  });

  test('each runbook runs under its own role by default (AutomationAssumeRole)', () => {
    const roles = Object.values(Runbook).map(
      (r) => content(r).parameters.AutomationAssumeRole.default['Fn::GetAtt'][0],
    );
    expect(new Set(roles).size).toBe(4);
    for (const r of Object.values(Runbook))
      expect(content(r).parameters.AutomationAssumeRole.default).toEqual({
        'Fn::GetAtt': [stack.getLogicalId(runbooks.executionRole(r).node.defaultChild as any), 'Arn'],
      });
  });

  test('BlockIp: one script step on exactly the web ACL blocked-IP set; IPv4 /8../32 only', () => {
    const s = step(Runbook.BLOCK_IP, 'BlockCidr');
    expect(s.action).toBe('aws:executeScript');
    expect(s.inputs.InputPayload).toEqual({
      Cidr: '{{ Cidr }}',
      IpSetName: { 'Fn::Select': [0, { 'Fn::Split': ['|', { Ref: ipSetId }] }] },
      IpSetId: { 'Fn::GetAtt': [ipSetId, 'Id'] },
      Scope: 'REGIONAL',
    });
    expect(s.inputs.Script).toMatch(/get_ip_set[\s\S]*update_ip_set/);
    const cidr = pattern(Runbook.BLOCK_IP, 'Cidr');
    for (const ok of ['203.0.113.7', '203.0.113.0/24', '10.0.0.0/8', '198.51.100.1/32'])
      expect([ok, cidr.test(ok)]).toEqual([ok, true]);
    for (const bad of ['0.0.0.0/0', '10.0.0.0/7', '256.1.1.1', '2001:db8::/32', '1.2.3.4/33', '1.2.3.4; rm'])
      expect([bad, cidr.test(bad)]).toEqual([bad, false]);
  });

  test('RevokeRoleSessions: builds the TokenIssueTime deny, then PutRolePolicy AWSRevokeOlderSessions', () => {
    expect(stepsOf(Runbook.REVOKE_ROLE_SESSIONS).map((s) => [s.name, s.action])).toEqual([
      ['BuildDenyPolicy', 'aws:executeScript'],
      ['AttachDenyPolicy', 'aws:executeAwsApi'],
    ]);
    expect(step(Runbook.REVOKE_ROLE_SESSIONS, 'AttachDenyPolicy').inputs).toEqual({
      Service: 'iam',
      Api: 'PutRolePolicy',
      RoleName: '{{ RoleName }}',
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: '{{ BuildDenyPolicy.Policy }}',
    });
    const name = pattern(Runbook.REVOKE_ROLE_SESSIONS, 'RoleName');
    expect(name.test('app-role')).toBe(true);
    expect(name.test('arn:aws:iam::111122223333:role/x')).toBe(false);
  });

  test('DeactivateUserKeys: deactivates keys, then denies the user older temporary credentials', () => {
    expect(stepsOf(Runbook.DEACTIVATE_USER_KEYS).map((s) => s.name)).toEqual([
      'DeactivateAccessKeys',
      'BuildDenyPolicy',
      'AttachDenyPolicy',
    ]);
    expect(step(Runbook.DEACTIVATE_USER_KEYS, 'AttachDenyPolicy').inputs).toMatchObject({
      Service: 'iam',
      Api: 'PutUserPolicy',
      UserName: '{{ UserName }}',
      PolicyName: 'AWSRevokeOlderSessions',
    });
  });

  test('IsolateInstance: protect, detach from Auto Scaling, quarantine group with no rules, snapshots', () => {
    const steps = stepsOf(Runbook.ISOLATE_INSTANCE);
    expect(steps.map((s) => [s.name, s.action, s.inputs.Api ?? 'script'])).toEqual([
      ['DescribeInstance', 'aws:executeAwsApi', 'DescribeInstances'],
      ['ProtectFromTermination', 'aws:executeAwsApi', 'ModifyInstanceAttribute'],
      ['DetachFromAutoScaling', 'aws:executeScript', 'script'],
      ['CreateQuarantineGroup', 'aws:executeAwsApi', 'CreateSecurityGroup'],
      ['RemoveDefaultEgress', 'aws:executeAwsApi', 'RevokeSecurityGroupEgress'],
      ['ApplyQuarantineGroup', 'aws:executeScript', 'script'],
      ['SnapshotVolumes', 'aws:executeAwsApi', 'CreateSnapshots'],
    ]);
    // Every step stops the runbook on failure: an instance is never left half-isolated silently.
    for (const s of steps) expect([s.name, s.onFailure, s.isCritical]).toEqual([s.name, 'Abort', true]);
    expect(step(Runbook.ISOLATE_INSTANCE, 'ProtectFromTermination').inputs.DisableApiTermination).toEqual({
      Value: true,
    });
    const group = step(Runbook.ISOLATE_INSTANCE, 'CreateQuarantineGroup').inputs;
    expect(group.VpcId).toBe('{{ DescribeInstance.VpcId }}');
    expect(group.TagSpecifications[0].Tags).toContainEqual({ Key: QUARANTINE_TAG, Value: 'true' });
    // The group's one default rule (all outbound) is removed: no inbound, no outbound.
    expect(step(Runbook.ISOLATE_INSTANCE, 'RemoveDefaultEgress').inputs).toEqual({
      Service: 'ec2',
      Api: 'RevokeSecurityGroupEgress',
      GroupId: '{{ CreateQuarantineGroup.GroupId }}',
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    expect(step(Runbook.ISOLATE_INSTANCE, 'SnapshotVolumes').inputs).toMatchObject({
      InstanceSpecification: { InstanceId: '{{ InstanceId }}', ExcludeBootVolume: false },
      CopyTagsFromSource: 'volume',
    });
    const id = pattern(Runbook.ISOLATE_INSTANCE, 'InstanceId');
    expect(id.test('i-0123456789abcdef0')).toBe(true);
    expect(id.test('i-0123; echo')).toBe(false);
  });
});

describe('ContainmentRunbooks (ALR-03): least-privilege execution roles', () => {
  test('each role is assumable only by SSM Automation of this account', () => {
    for (const r of Object.values(Runbook)) {
      const role = resources[stack.getLogicalId(runbooks.executionRole(r).node.defaultChild as any)];
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': regionalArn('ssm', 'automation-execution/*') },
          },
        },
      ]);
      expect(role.Properties.Policies).toBeUndefined(); // no inline policies
    }
  });

  test('BlockIp may read and update exactly one IP set', () => {
    expect(statements(Runbook.BLOCK_IP)).toEqual([
      {
        Sid: 'ReadAndUpdateTheBlockedIpSet',
        Effect: 'Allow',
        Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
        Resource: { 'Fn::GetAtt': [ipSetId, 'Arn'] },
      },
    ]);
  });

  test('RevokeRoleSessions may only put inline role policies; DeactivateUserKeys only list/deactivate keys and put a user policy', () => {
    const roles = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/*']],
    };
    expect(statements(Runbook.REVOKE_ROLE_SESSIONS)).toEqual([
      { Sid: 'AttachTheRevokeDenyToAnyRole', Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roles },
    ]);
    const users = JSON.parse(JSON.stringify(roles).replace(':role/*', ':user/*'));
    expect(statements(Runbook.DEACTIVATE_USER_KEYS)).toEqual([
      {
        Sid: 'DeactivateKeysAndDenyOldSessionsOfAnyUser',
        Effect: 'Allow',
        Action: ['iam:ListAccessKeys', 'iam:PutUserPolicy', 'iam:UpdateAccessKey'],
        Resource: users,
      },
    ]);
  });

  test('IsolateInstance: exactly these actions; security groups only with the quarantine tag', () => {
    const s = statements(Runbook.ISOLATE_INSTANCE);
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x]));
    expect(Object.keys(bySid).sort()).toEqual(
      [
        'ChangeOnlyQuarantineGroups',
        'CreateOnlyQuarantineTaggedGroups',
        'CreateQuarantineGroupsInAnyVpc',
        'DescribeHasNoResourceLevelPermissions',
        'DetachFromItsAutoScalingGroup',
        'MoveInterfacesIntoQuarantine',
        'ProtectTheInstanceAndSnapshotItsVolumes',
        'SnapshotVolumes',
        'TagOnlyWhatTheRunbookCreates',
      ].sort(),
    );
    const actions = s.flatMap((x) => [x.Action].flat()).sort();
    expect([...new Set(actions)]).toEqual([
      'autoscaling:DescribeAutoScalingInstances',
      'autoscaling:DetachInstances',
      'ec2:CreateSecurityGroup',
      'ec2:CreateSnapshots',
      'ec2:CreateTags',
      'ec2:DescribeInstances',
      'ec2:ModifyInstanceAttribute',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:RevokeSecurityGroupEgress',
    ]);
    // '*' only for the two read calls that have no resource-level permissions.
    expect(s.filter((x) => x.Resource === '*').map((x) => x.Action)).toEqual([
      ['autoscaling:DescribeAutoScalingInstances', 'ec2:DescribeInstances'],
    ]);
    expect(bySid.ChangeOnlyQuarantineGroups.Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${QUARANTINE_TAG}`]: 'true' },
    });
    expect(bySid.CreateOnlyQuarantineTaggedGroups.Condition).toEqual({
      StringEquals: { [`aws:RequestTag/${QUARANTINE_TAG}`]: 'true' },
    });
    expect(bySid.TagOnlyWhatTheRunbookCreates.Condition).toEqual({
      StringEquals: { 'ec2:CreateAction': ['CreateSecurityGroup', 'CreateSnapshots'] },
    });
    // Nothing that deletes, terminates, authorizes traffic or touches IAM.
    expect(actions.filter((a) => /Delete|Terminate|Authorize|^iam:/.test(a))).toEqual([]);
  });

  test('grantRun lets a responder start exactly these documents and pass exactly these roles to SSM', () => {
    const responder = Object.values(resources).find(
      (r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties).includes('RunbooksRunPolicy'),
    )!;
    expect(responder.Properties.ManagedPolicyArns).toEqual([
      { Ref: stack.getLogicalId(runbooks.runPolicy.node.defaultChild as any) },
    ]);
    const st =
      resources[stack.getLogicalId(runbooks.runPolicy.node.defaultChild as any)].Properties.PolicyDocument
        .Statement;
    expect(st.map((x: any) => x.Action)).toEqual([
      'ssm:StartAutomationExecution',
      ['ssm:GetAutomationExecution', 'ssm:StopAutomationExecution'],
      'iam:PassRole',
    ]);
    const start = st.find((x: any) => x.Action === 'ssm:StartAutomationExecution');
    expect(start.Resource.map((r: any) => r['Fn::Join'][1].at(-1)).sort()).toEqual(
      Object.values(Runbook)
        .flatMap((r) => [`:automation-definition/Response-${r}`, `:automation-definition/Response-${r}:*`])
        .sort(),
    );
    const pass = st.find((x: any) => x.Action === 'iam:PassRole');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } });
    expect(pass.Resource).toHaveLength(4);
  });
});

describe('ContainmentRunbooks (ALR-03): every run logged and announced', () => {
  const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
  const names = Object.values(Runbook).map((r) => `Response-${r}`);
  const ruleWith = (text: string) => rules.find((r) => r.Properties.Description.includes(text))!;
  const statusEvent = (definition: string) => ({
    source: 'aws.ssm',
    'detail-type': 'EC2 Automation Execution Status-change Notification',
    detail: { Definition: definition, Status: 'Success', ExecutedBy: 'arn:aws:sts::1:assumed-role/r/s' },
  });

  test('every execution and step status change of these documents (and no other) goes to the log group', () => {
    const log = ruleWith('to the log');
    expect(log.Properties.EventPattern.detail.Definition.sort()).toEqual([...names].sort());
    expect(matches(log.Properties.EventPattern, statusEvent('Response-IsolateInstance'))).toBe(true);
    expect(
      matches(log.Properties.EventPattern, {
        ...statusEvent('Response-BlockIp'),
        'detail-type': 'EC2 Automation Step Status-change Notification',
      }),
    ).toBe(true);
    expect(matches(log.Properties.EventPattern, statusEvent('AWS-RestartEC2Instance'))).toBe(false);
    expect(log.Properties.Targets[0].Arn['Fn::Join'][1].slice(-2)).toEqual([
      ':log-group:',
      { Ref: stack.getLogicalId(runbooks.logGroup.node.defaultChild as any) },
    ]);
  });

  test('the log group is KMS-encrypted, retained a year, and only this rule may write to it', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/security-baseline/containment/Response',
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::Logs::ResourcePolicy')!;
    const doc = JSON.stringify(policy.Properties.PolicyDocument);
    expect(doc).toContain('events.amazonaws.com');
    expect(doc).toContain('aws:SourceArn');
    expect(doc).toContain('RunbooksLogRuns');
  });

  test('every execution status change is announced on each alert topic, with who started it', () => {
    const announce = ruleWith('announce');
    expect(announce.Properties.EventPattern['detail-type']).toEqual([
      'EC2 Automation Execution Status-change Notification',
    ]);
    expect(announce.Properties.Targets.map((t: any) => t.Arn.Ref).sort()).toEqual(
      ['AlertsCriticalTopic', 'AlertsHighTopic'].map((p) => expect.stringMatching(new RegExp(`^${p}`))),
    );
    const input = JSON.stringify(announce.Properties.Targets[0].InputTransformer);
    expect(input).toContain('$.detail.ExecutedBy');
    expect(input).toContain('$.detail.Status');
    expect(matches(announce.Properties.EventPattern, statusEvent('Response-RevokeRoleSessions'))).toBe(true);
  });

  test('records ALR-03', () => {
    expect(recordedControls(stack).get('Response/Runbooks')).toEqual(['ALR-03', 'LOG-04', 'ENC-01']);
  });
});

describe('ContainmentRunbooks (ALR-03): automatic isolation', () => {
  const finding = (type: string, resourceType = 'Instance') => ({
    source: 'aws.guardduty',
    'detail-type': 'GuardDuty Finding',
    detail: {
      type,
      severity: 8,
      resource: { resourceType, instanceDetails: { instanceId: 'i-0123456789abcdef0' } },
    },
  });

  test('chosen finding types about an instance start IsolateInstance on that instance', () => {
    const rule = Object.values(resources).find(
      (r) => r.Type === 'AWS::Events::Rule' && r.Properties.Description.includes('automatic containment'),
    )!;
    expect(matches(rule.Properties.EventPattern, finding(CRYPTO))).toBe(true);
    expect(matches(rule.Properties.EventPattern, finding('Recon:EC2/PortProbeUnprotectedPort'))).toBe(false);
    expect(matches(rule.Properties.EventPattern, finding(CRYPTO, 'AccessKey'))).toBe(false);
    const target = rule.Properties.Targets[0];
    expect(JSON.stringify(target.Arn)).toContain(':automation-definition/Response-IsolateInstance');
    expect(target.InputTransformer.InputPathsMap).toEqual({
      'detail-resource-instanceDetails-instanceId': '$.detail.resource.instanceDetails.instanceId',
    });
    expect(target.InputTransformer.InputTemplate).toBe(
      '{"InstanceId":[<detail-resource-instanceDetails-instanceId>]}',
    );
  });

  test('the invoker may start only IsolateInstance and pass only its role', () => {
    const policy = Object.entries(resources).find(([id]) =>
      id.startsWith('RunbooksAutoIsolateInvokerPolicy'),
    )!;
    const st = policy[1].Properties.PolicyDocument.Statement;
    expect(st.map((s: any) => s.Action)).toEqual(['ssm:StartAutomationExecution', 'iam:PassRole']);
    expect(st[0].Resource.map((r: any) => r['Fn::Join'][1].at(-1))).toEqual([
      ':automation-definition/Response-IsolateInstance',
      ':automation-definition/Response-IsolateInstance:*',
    ]);
    expect(st[1].Resource).toEqual({
      'Fn::GetAtt': [
        stack.getLogicalId(runbooks.executionRole(Runbook.ISOLATE_INSTANCE).node.defaultChild as any),
        'Arn',
      ],
    });
  });

  test('off by default: no GuardDuty rule, no invoker; no BlockIp without an IP set', () => {
    const s = testStack();
    const r = new ContainmentRunbooks(s, 'Runbooks', { alertTopics: [new sns.Topic(s, 'T')] });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SSM::Document', 3);
    t.resourceCountIs('AWS::Events::Rule', 2);
    expect(JSON.stringify(t.toJSON())).not.toContain('aws.guardduty');
    expect(() => r.document(Runbook.BLOCK_IP)).toThrow(/no BlockIp runbook \(give blockedIpSet\)/);
  });
});

describe('ContainmentRunbooks: rejects bad props, all at once, with the value received', () => {
  test('no topic, a reserved prefix, a finding type that is not about an instance, an IPv6 set', () => {
    const s = testStack();
    const ipSet = new wafv2.CfnIPSet(s, 'V6', { scope: 'REGIONAL', ipAddressVersion: 'IPV6', addresses: [] });
    expect(
      () =>
        new ContainmentRunbooks(s, 'Bad', {
          alertTopics: [],
          documentNamePrefix: 'AWS-mine',
          autoIsolateFindingTypes: ['UnauthorizedAccess:IAMUser/ConsoleLogin', CRYPTO],
          blockedIpSet: ipSet,
        }),
    ).toThrow(
      new RegExp(
        [
          "ContainmentRunbooks at 'Test/Bad': 4 invalid prop\\(s\\)",
          '  - alertTopics: got \\[\\]; at least one topic',
          '  - documentNamePrefix: got "AWS-mine"; SSM reserves',
          '  - autoIsolateFindingTypes\\[0\\]: got "UnauthorizedAccess:IAMUser/ConsoleLogin"; a GuardDuty finding type about an EC2 instance',
          '  - blockedIpSet.ipAddressVersion: got "IPV6"; an IPV4 set',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  test('a CLOUDFRONT IP set needs a us-east-1 stack', () => {
    const s = testStack();
    const ipSet = new wafv2.CfnIPSet(s, 'Cf', {
      scope: 'CLOUDFRONT',
      ipAddressVersion: 'IPV4',
      addresses: [],
    });
    expect(
      () => new ContainmentRunbooks(s, 'R', { alertTopics: [new sns.Topic(s, 'T')], blockedIpSet: ipSet }),
    ).toThrow(/blockedIpSet.scope: got "CLOUDFRONT"; a CLOUDFRONT IP set is managed in us-east-1/);
  });
});

describe('ContainmentRunbooks: the compliance gate', () => {
  test('the same gate fails an SSM role that SSM acting for any account could assume (SecurityPolicy-SsmAutomationRoleScoped)', () => {
    const result = synthWithGate((app) => {
      const { stack } = build(app);
      new iam.Role(stack, 'Loose', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    });
    expect(result.threw).toBe(true);
    expect(JSON.stringify(result.violations)).toContain('SecurityPolicy-SsmAutomationRoleScoped[Statement0]');
    expect(JSON.stringify(result.problems)).toContain('SsmAutomationRoleScoped');
  });

  test('an app with the runbooks, automatic isolation and a responder passes every pack with no unacknowledged finding', () => {
    expect(synthWithGate((app) => build(app))).toEqual({ threw: false, violations: [], problems: [] });
  });
});

// The scripts, taken from the synthesized documents, run under Python against a recording fake of
// boto3: the calls they make and what they refuse.
describe('ContainmentRunbooks: the scripts', () => {
  const python = spawnSync('python3', ['--version']);
  const run = python.status === 0 ? test : test.skip;
  if (python.status !== 0) console.log('python3 not found: skipping the script tests');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-scripts-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(dir, 'boto3.py'),
    `CALLS = []
RESPONSES = {}  # set by the runner before each script

class FakeError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.response = {'Error': {'Code': code}}

class Client:
    def __init__(self, service):
        self.service = service
    def __getattr__(self, name):
        def call(**kwargs):
            CALLS.append({'call': self.service + '.' + name, 'args': kwargs})
            queue = RESPONSES.get(self.service + '.' + name, [])
            response = queue.pop(0) if queue else {}
            if '__error__' in response:
                raise FakeError(response['__error__'])
            return response
        return call

def client(service, **kwargs):
    return Client(service)
`,
  );
  // One Python process runs every script of this block, one request (a JSON line on stdin) at a
  // time: each script is executed in a fresh namespace, with the fake's recorded calls and queued
  // responses reset, and answers one JSON line (a process per script cost ~0.1 s of CPU each).
  fs.writeFileSync(
    path.join(dir, 'runner.py'),
    `import json, sys, traceback
sys.path.insert(0, sys.argv[1])
import boto3
for line in sys.stdin:
    request = json.loads(line)
    boto3.CALLS.clear()
    boto3.RESPONSES = request['responses']
    try:
        namespace = {}
        exec(request['code'], namespace)
        try:
            result = namespace['handler'](request['events'], None)
            print(json.dumps({'result': result, 'calls': boto3.CALLS}), flush=True)
        except Exception as err:
            print(json.dumps({'error': str(err), 'calls': boto3.CALLS}), flush=True)
    except BaseException:
        # The script did not load, or exited: the test fails with the traceback.
        print(json.dumps({'crash': traceback.format_exc()}), flush=True)
`,
  );
  type ScriptRun = { result?: any; error?: string; calls: { call: string; args: any }[] };
  let runner: ChildProcessWithoutNullStreams | undefined;
  let runnerOutput = '';
  let runnerErrors = '';
  let closed: string | undefined;
  const waiting: { resolve: (r: ScriptRun) => void; reject: (e: Error) => void }[] = [];
  afterAll(() => runner?.stdin.end());
  /** Run the script `code`'s handler with `events`, the fake boto3 answering from `responses`. */
  function runScript(code: string, events: object, responses: object = {}): Promise<ScriptRun> {
    if (!runner) {
      runner = spawn('python3', [path.join(dir, 'runner.py'), dir]);
      runner.stdout.on('data', (d) => {
        runnerOutput += d;
        for (let nl = runnerOutput.indexOf('\n'); nl >= 0; nl = runnerOutput.indexOf('\n')) {
          const line = runnerOutput.slice(0, nl);
          runnerOutput = runnerOutput.slice(nl + 1);
          const answer = JSON.parse(line);
          const next = waiting.shift();
          if (answer.crash !== undefined) next?.reject(new Error(answer.crash));
          else next?.resolve(answer);
        }
      });
      runner.stderr.on('data', (d) => (runnerErrors += d));
      runner.on('close', (status) => {
        closed = `python3 exited ${status}: ${runnerErrors}`;
        for (const w of waiting.splice(0)) w.reject(new Error(closed));
      });
    }
    return new Promise((resolve, reject) => {
      if (closed) return reject(new Error(closed));
      waiting.push({ resolve, reject });
      runner!.stdin.write(JSON.stringify({ code, events, responses }) + '\n');
    });
  }
  const ipSet = { IpSetName: 'blocked', IpSetId: 'id-1', Scope: 'REGIONAL' };
  const blockScript = () => step(Runbook.BLOCK_IP, 'BlockCidr').inputs.Script;

  run('BlockIp adds the normalised CIDR with the lock token and keeps the description', async () => {
    const out = await runScript(
      blockScript(),
      { ...ipSet, Cidr: ' 203.0.113.77/24 ' },
      {
        'wafv2.get_ip_set': [
          { IPSet: { Addresses: ['198.51.100.1/32'], Description: 'keep me' }, LockToken: 't1' },
        ],
      },
    );
    expect(out.result).toEqual({ cidr: '203.0.113.0/24', added: true, addresses: 2 });
    expect(out.calls[1]).toEqual({
      call: 'wafv2.update_ip_set',
      args: {
        Name: 'blocked',
        Scope: 'REGIONAL',
        Id: 'id-1',
        Addresses: ['198.51.100.1/32', '203.0.113.0/24'],
        LockToken: 't1',
        Description: 'keep me',
      },
    });
  });

  run('BlockIp: a bare address is a /32; an address already blocked is not added twice', async () => {
    const out = await runScript(
      blockScript(),
      { ...ipSet, Cidr: '198.51.100.1' },
      { 'wafv2.get_ip_set': [{ IPSet: { Addresses: ['198.51.100.1/32'] }, LockToken: 't' }] },
    );
    expect(out.result).toEqual({ cidr: '198.51.100.1/32', added: false, addresses: 1 });
    expect(out.calls.map((c) => c.call)).toEqual(['wafv2.get_ip_set']);
  });

  run('BlockIp re-reads the set when someone else changed it (optimistic lock)', async () => {
    const out = await runScript(
      blockScript(),
      { ...ipSet, Cidr: '203.0.113.7' },
      {
        'wafv2.get_ip_set': [
          { IPSet: { Addresses: [] }, LockToken: 'old' },
          { IPSet: { Addresses: ['192.0.2.1/32'] }, LockToken: 'new' },
        ],
        'wafv2.update_ip_set': [{ __error__: 'WAFOptimisticLockException' }, {}],
      },
    );
    expect(out.result).toEqual({ cidr: '203.0.113.7/32', added: true, addresses: 2 });
    expect(out.calls[3].args).toMatchObject({
      Addresses: ['192.0.2.1/32', '203.0.113.7/32'],
      LockToken: 'new',
    });
  });

  run('BlockIp refuses IPv6, ranges wider than /8, and other errors are not retried', async () => {
    expect((await runScript(blockScript(), { ...ipSet, Cidr: '2001:db8::1' })).error).toMatch(/IPv4/);
    const wide = await runScript(blockScript(), { ...ipSet, Cidr: '10.0.0.0/7' });
    expect(wide.error).toMatch(/refusing to block \/7/);
    expect(wide.calls).toEqual([]);
    const denied = await runScript(
      blockScript(),
      { ...ipSet, Cidr: '203.0.113.7' },
      {
        'wafv2.get_ip_set': [{ IPSet: { Addresses: [] }, LockToken: 't' }],
        'wafv2.update_ip_set': [{ __error__: 'AccessDeniedException' }],
      },
    );
    expect(denied.error).toBe('AccessDeniedException');
    expect(denied.calls).toHaveLength(2);
  });

  run('the revoke policy denies everything to credentials issued before now', async () => {
    const out = await runScript(step(Runbook.REVOKE_ROLE_SESSIONS, 'BuildDenyPolicy').inputs.Script, {});
    const policy = JSON.parse(out.result.policy);
    expect(policy.Statement).toEqual([
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': out.result.revokedBefore } },
      },
    ]);
    expect(Math.abs(Date.parse(out.result.revokedBefore) - Date.now())).toBeLessThan(120_000);
    expect(out.calls).toEqual([]);
  });

  run('DeactivateUserKeys deactivates every active key across pages, leaves inactive ones', async () => {
    const out = await runScript(
      step(Runbook.DEACTIVATE_USER_KEYS, 'DeactivateAccessKeys').inputs.Script,
      { UserName: 'alice' },
      {
        'iam.list_access_keys': [
          { AccessKeyMetadata: [{ AccessKeyId: 'AKIA1', Status: 'Active' }], IsTruncated: true, Marker: 'm' },
          { AccessKeyMetadata: [{ AccessKeyId: 'AKIA2', Status: 'Inactive' }], IsTruncated: false },
        ],
      },
    );
    expect(out.result).toEqual({ deactivated: ['AKIA1'], keys: 2 });
    expect(out.calls).toEqual([
      { call: 'iam.list_access_keys', args: { UserName: 'alice' } },
      { call: 'iam.list_access_keys', args: { UserName: 'alice', Marker: 'm' } },
      {
        call: 'iam.update_access_key',
        args: { UserName: 'alice', AccessKeyId: 'AKIA1', Status: 'Inactive' },
      },
    ]);
  });

  run('DetachFromAutoScaling detaches keeping capacity, and does nothing outside a group', async () => {
    const code = step(Runbook.ISOLATE_INSTANCE, 'DetachFromAutoScaling').inputs.Script;
    const inGroup = await runScript(
      code,
      { InstanceId: 'i-1' },
      {
        'autoscaling.describe_auto_scaling_instances': [
          { AutoScalingInstances: [{ AutoScalingGroupName: 'web' }] },
        ],
      },
    );
    expect(inGroup.calls[1]).toEqual({
      call: 'autoscaling.detach_instances',
      args: { InstanceIds: ['i-1'], AutoScalingGroupName: 'web', ShouldDecrementDesiredCapacity: false },
    });
    const alone = await runScript(code, { InstanceId: 'i-1' });
    expect(alone.result).toEqual({ group: '' });
    expect(alone.calls).toHaveLength(1);
  });

  run(
    'ApplyQuarantineGroup replaces the groups of every network interface with the quarantine group only',
    async () => {
      const out = await runScript(
        step(Runbook.ISOLATE_INSTANCE, 'ApplyQuarantineGroup').inputs.Script,
        { InstanceId: 'i-1', GroupId: 'sg-q' },
        {
          'ec2.describe_instances': [
            {
              Reservations: [
                {
                  Instances: [
                    { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-a' }, { NetworkInterfaceId: 'eni-b' }] },
                  ],
                },
              ],
            },
          ],
        },
      );
      expect(out.calls.slice(1)).toEqual(
        ['eni-a', 'eni-b'].map((eni) => ({
          call: 'ec2.modify_network_interface_attribute',
          args: { NetworkInterfaceId: eni, Groups: ['sg-q'] },
        })),
      );
      const none = await runScript(step(Runbook.ISOLATE_INSTANCE, 'ApplyQuarantineGroup').inputs.Script, {
        InstanceId: 'i-1',
        GroupId: 'sg-q',
      });
      expect(none.error).toBeDefined();
    },
  );
});

describe('ContainmentRunbooks: choosing runbooks', () => {
  test('only BlockIp beside the web ACL: one document, one execution role, logging and announcing as ever', () => {
    const s = testStack();
    const acl = new RateLimitedWebAcl(s, 'Acl');
    const r = new ContainmentRunbooks(s, 'R', {
      alertTopics: [new sns.Topic(s, 'T')],
      blockedIpSet: acl.blockedIps,
      runbooks: [Runbook.BLOCK_IP],
    });
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::SSM::Document', 1);
    t.hasResourceProperties('AWS::SSM::Document', { Name: 'Test-BlockIp' });
    t.resourceCountIs('AWS::Events::Rule', 2);
    expect(() => r.document(Runbook.ISOLATE_INSTANCE)).toThrow(/no IsolateInstance runbook/);
    const run = Object.entries(t.toJSON().Resources as Record<string, any>).find(([id]) =>
      id.startsWith('RRunPolicy'),
    )![1];
    // PassRole on exactly the one execution role.
    expect(run.Properties.PolicyDocument.Statement[2].Resource).toEqual({
      'Fn::GetAtt': [s.getLogicalId(r.executionRole(Runbook.BLOCK_IP).node.defaultChild as any), 'Arn'],
    });
  });

  test('rejects an empty choice, BlockIp without an IP set, and automatic isolation without IsolateInstance', () => {
    const s = testStack();
    expect(
      () => new ContainmentRunbooks(s, 'A', { alertTopics: [new sns.Topic(s, 'T')], runbooks: [] }),
    ).toThrow(/runbooks: got \[\]; at least one runbook/);
    expect(
      () =>
        new ContainmentRunbooks(s, 'B', {
          alertTopics: [new sns.Topic(s, 'T2')],
          runbooks: [Runbook.BLOCK_IP, Runbook.REVOKE_ROLE_SESSIONS],
          autoIsolateFindingTypes: [CRYPTO],
        }),
    ).toThrow(
      /runbooks: got \["BlockIp","RevokeRoleSessions"\]; BlockIp needs blockedIpSet[\s\S]*autoIsolateFindingTypes: got \["CryptoCurrency:EC2\/BitcoinTool.B!DNS"\]; automatic isolation needs the IsolateInstance runbook/,
    );
  });
});
