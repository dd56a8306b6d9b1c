import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContainmentRunbooks, QUARANTINE_TAG, Runbook } from '../../lib/constructs/containment-runbooks';
import { testApp } from '../constructs/response-helpers';
import { MOTO_SERVER_MODULES, pythonModulesAvailable } from '../integration/moto';

// The containment runbooks run end to end, as synthesized, against moto (a local AWS API emulator):
// a small interpreter executes each document's steps in order, calling the real boto3 for
// `aws:executeAwsApi` steps (Service/Api/parameters exactly as written in the document) and running
// the Python of `aws:executeScript` steps, with `{{ }}` references resolved from parameters and
// earlier steps' outputs. It proves that the APIs, parameter names and output selectors fit together,
// which a test of the template alone cannot. Skips, saying why, where moto is not installed. An
// end-to-end suite (npm run test:e2e): a moto server and a Python process, about 4 s of CPU; the
// same scripts run in test/constructs/containment-runbooks.test.ts against a fake boto3.
const motoAvailability = pythonModulesAvailable('moto (python3 -m moto.server) or boto3', [
  ...MOTO_SERVER_MODULES,
  'boto3',
]);
if (!motoAvailability.ok) console.log(`${motoAvailability.reason}: skipping the runbook runs against moto`);

// The runbooks as a small stack deploys them: an IP set to block into and an alert topic.
const smallStack = new Stack(testApp(), 'Response');
const smallIpSet = new wafv2.CfnIPSet(smallStack, 'Blocked', {
  scope: 'REGIONAL',
  ipAddressVersion: 'IPV4',
  addresses: [],
});
const smallRunbooks = new ContainmentRunbooks(smallStack, 'Runbooks', {
  alertTopics: [new sns.Topic(smallStack, 'T')],
  blockedIpSet: smallIpSet,
});
const smallResources = Template.fromStack(smallStack).toJSON().Resources as Record<string, any>;
const documentOf = (r: Runbook) =>
  smallResources[smallStack.getLogicalId(smallRunbooks.document(r))].Properties.Content;

const HARNESS = `import json, re, boto3

def snake(name):
    return re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower().replace('i_p_set', 'ip_set')

def select(value, selector):
    parts = re.findall(r'\\.\\.[A-Za-z]+|\\.[A-Za-z]+|\\[\\d+\\]', selector[1:])
    current = [value]
    for p in parts:
        nxt = []
        for v in current:
            if p.startswith('..'):
                key = p[2:]
                stack = [v]
                while stack:
                    x = stack.pop(0)
                    if isinstance(x, dict):
                        if key in x:
                            nxt.append(x[key])
                        stack.extend(x.values())
                    elif isinstance(x, list):
                        stack.extend(x)
            elif p.startswith('['):
                nxt.append(v[int(p[1:-1])])
            else:
                nxt.append(v[p[1:]])
        current = nxt
    return current if '..' in selector else current[0]

def resolve(value, scope):
    if isinstance(value, str):
        whole = re.fullmatch(r'\\{\\{\\s*([\\w:.]+)\\s*\\}\\}', value)
        if whole:
            return scope[whole.group(1)]
        return re.sub(r'\\{\\{\\s*([\\w:.]+)\\s*\\}\\}', lambda m: str(scope[m.group(1)]), value)
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    return value

def run_document(document, parameters, overrides=None):
    scope = dict(parameters)
    scope['automation:EXECUTION_ID'] = '00000000-1111-2222-3333-444444444444'
    calls = []
    for step in document['mainSteps']:
        inputs = dict(step['inputs'])
        if step['action'] == 'aws:executeAwsApi':
            service, api = inputs.pop('Service'), inputs.pop('Api')
            response = getattr(boto3.client(service), snake(api))(**resolve(inputs, scope))
            calls.append(service + ':' + api)
        elif step['action'] == 'aws:executeScript':
            namespace = {}
            exec(inputs['Script'], namespace)
            payload = dict(inputs.get('InputPayload', {}), **((overrides or {}).get(step['name'], {})))
            response = {'Payload': namespace[inputs['Handler']](resolve(payload, scope), None)}
            calls.append('script:' + step['name'])
        else:
            raise ValueError('unsupported action ' + step['action'])
        for output in step.get('outputs', []):
            scope[step['name'] + '.' + output['Name']] = select(response, output['Selector'])
    return scope, calls
`;

/**
 * What each test does against moto (Python, with `document`, `run_document`, `json` and `boto3` in
 * scope), printing its findings as one JSON line last. All four run in one Python process, in this
 * order, against one moto server: boto3 and its service models load once (a process per case cost
 * about 0.4 s of CPU each).
 */
const CASES: [Runbook, string][] = [
  [
    Runbook.BLOCK_IP,
    `waf = boto3.client('wafv2')
s = waf.create_ip_set(Name='blocked', Scope='REGIONAL', IPAddressVersion='IPV4', Addresses=['198.51.100.1/32'], Description='keep me')['Summary']
over = {'BlockCidr': {'IpSetName': 'blocked', 'IpSetId': s['Id'], 'Scope': 'REGIONAL'}}
first, calls = run_document(document, {'Cidr': '203.0.113.9/24'}, over)
second, _ = run_document(document, {'Cidr': '203.0.113.0/24'}, over)
after = waf.get_ip_set(Name='blocked', Scope='REGIONAL', Id=s['Id'])['IPSet']
print(json.dumps({'calls': calls, 'first': first['BlockCidr.Added'], 'second': second['BlockCidr.Added'],
  'addresses': sorted(after['Addresses']), 'description': after.get('Description')}))`,
  ],
  [
    Runbook.REVOKE_ROLE_SESSIONS,
    `iam = boto3.client('iam')
iam.create_role(RoleName='app-role', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'ec2.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}))
scope, calls = run_document(document, {'RoleName': 'app-role'})
policy = iam.get_role_policy(RoleName='app-role', PolicyName='AWSRevokeOlderSessions')['PolicyDocument']
print(json.dumps({'calls': calls, 'statement': policy['Statement'], 'before': scope['BuildDenyPolicy.RevokedBefore']}))`,
  ],
  [
    Runbook.DEACTIVATE_USER_KEYS,
    `iam = boto3.client('iam')
iam.create_user(UserName='alice')
keys = [iam.create_access_key(UserName='alice')['AccessKey']['AccessKeyId'] for _ in range(2)]
scope, calls = run_document(document, {'UserName': 'alice'})
status = sorted(k['Status'] for k in iam.list_access_keys(UserName='alice')['AccessKeyMetadata'])
policies = iam.list_user_policies(UserName='alice')['PolicyNames']
print(json.dumps({'calls': calls, 'status': status, 'policies': policies, 'deactivated': sorted(scope['DeactivateAccessKeys.Deactivated']) == sorted(keys)}))`,
  ],
  [
    Runbook.ISOLATE_INSTANCE,
    `ec2 = boto3.client('ec2'); asg = boto3.client('autoscaling')
image = ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
vpc = ec2.create_vpc(CidrBlock='10.0.0.0/16')['Vpc']['VpcId']
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock='10.0.1.0/24', AvailabilityZone='eu-west-1a')['Subnet']['SubnetId']
web = ec2.create_security_group(GroupName='web', Description='web', VpcId=vpc)['GroupId']
ec2.create_launch_template(LaunchTemplateName='web-lt', LaunchTemplateData={'ImageId': image, 'InstanceType': 't3.micro'})
asg.create_auto_scaling_group(AutoScalingGroupName='web', LaunchTemplate={'LaunchTemplateName': 'web-lt'}, MinSize=0, MaxSize=2, DesiredCapacity=0, VPCZoneIdentifier=subnet)
instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[web],
  BlockDeviceMappings=[{'DeviceName': '/dev/sdf', 'Ebs': {'VolumeSize': 8}}])['Instances'][0]['InstanceId']
asg.attach_instances(InstanceIds=[instance], AutoScalingGroupName='web')
scope, calls = run_document(document, {'InstanceId': instance})
group = ec2.describe_security_groups(GroupIds=[scope['CreateQuarantineGroup.GroupId']])['SecurityGroups'][0]
enis = ec2.describe_instances(InstanceIds=[instance])['Reservations'][0]['Instances'][0]['NetworkInterfaces']
protected = ec2.describe_instance_attribute(InstanceId=instance, Attribute='disableApiTermination')['DisableApiTermination']['Value']
in_asg = asg.describe_auto_scaling_instances(InstanceIds=[instance])['AutoScalingInstances']
snaps = ec2.describe_snapshots(SnapshotIds=scope['SnapshotVolumes.SnapshotIds'])['Snapshots']
print(json.dumps({'calls': calls, 'inbound': group['IpPermissions'], 'outbound': group['IpPermissionsEgress'],
  'tags': {t['Key']: t['Value'] for t in group.get('Tags', [])}, 'vpc': group['VpcId'] == vpc,
  'eniGroups': [[g['GroupId'] for g in e['Groups']] for e in enis], 'groupId': group['GroupId'],
  'protected': protected, 'inAsg': len(in_asg), 'asgGroup': scope['DetachFromAutoScaling.AutoScalingGroup'],
  'snapshots': len(snaps), 'snapshotTags': [{t['Key']: t['Value'] for t in s.get('Tags', [])}.get('security-baseline:forensics-of') == instance for s in snaps]}))`,
  ],
];

(motoAvailability.ok ? describe : describe.skip)(
  'ContainmentRunbooks against moto: each runbook, end to end',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-moto-'));
    let server: ChildProcess | undefined;
    let port = 0;
    let outcomes: Record<string, { out?: any; error?: string }> = {};
    /** What the case of `runbook` printed (its JSON findings); its Python error, thrown, if it failed. */
    const result = (runbook: Runbook): any => {
      const outcome = outcomes[runbook];
      if (!outcome) throw new Error(`no outcome for ${runbook}: the cases did not run`);
      if (outcome.error !== undefined) throw new Error(outcome.error);
      return outcome.out;
    };

    beforeAll(async () => {
      port = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (probe.address() as net.AddressInfo).port;
          probe.close(() => resolve(p));
        });
      });
      server = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/moto-api/`).then(
          () => true,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      fs.writeFileSync(path.join(dir, 'harness.py'), HARNESS);
      // Every case in one Python process, each in its own namespace with its own document; its last
      // printed line is its outcome, an exception its error (with the traceback).
      fs.writeFileSync(
        path.join(dir, 'cases.json'),
        JSON.stringify(CASES.map(([runbook, code]) => ({ runbook, document: documentOf(runbook), code }))),
      );
      fs.writeFileSync(
        path.join(dir, 'driver.py'),
        `import contextlib, io, json, sys, traceback, boto3
sys.path.insert(0, ${JSON.stringify(dir)})
from harness import run_document
outcomes = {}
for case in json.load(open(${JSON.stringify(path.join(dir, 'cases.json'))})):
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(case['code'], {'json': json, 'sys': sys, 'boto3': boto3, 'document': case['document'], 'run_document': run_document})
        outcomes[case['runbook']] = {'out': json.loads(printed.getvalue().strip().split('\\n')[-1])}
    except Exception:
        outcomes[case['runbook']] = {'error': traceback.format_exc()}
print(json.dumps(outcomes))
`,
      );
      const run = spawn('python3', [path.join(dir, 'driver.py')], {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_DEFAULT_REGION: 'eu-west-1',
          AWS_REGION: 'eu-west-1',
        },
      });
      let stdout = '';
      let stderr = '';
      run.stdout.on('data', (d) => (stdout += d));
      run.stderr.on('data', (d) => (stderr += d));
      const status = await new Promise<number | null>((resolve) => run.on('close', resolve));
      if (status !== 0) throw new Error(`the runbook cases exited ${status}: ${stderr}`);
      outcomes = JSON.parse(stdout.trim().split('\n').pop()!);
    }, 60_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server!.once('exit', r));
        server.kill();
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('BlockIp adds the address to the IP set, keeps what was there, and is idempotent', () => {
      const out = result(Runbook.BLOCK_IP);
      expect(out).toEqual({
        calls: ['script:BlockCidr'],
        first: true,
        second: false,
        addresses: ['198.51.100.1/32', '203.0.113.0/24'],
        description: 'keep me',
      });
    });

    test('RevokeRoleSessions attaches the AWSRevokeOlderSessions deny to the role', () => {
      const out = result(Runbook.REVOKE_ROLE_SESSIONS);
      expect(out.calls).toEqual(['script:BuildDenyPolicy', 'iam:PutRolePolicy']);
      expect(out.statement).toEqual([
        {
          Effect: 'Deny',
          Action: ['*'],
          Resource: ['*'],
          Condition: { DateLessThan: { 'aws:TokenIssueTime': out.before } },
        },
      ]);
    });

    test('DeactivateUserKeys deactivates every key of the user and attaches the deny', () => {
      const out = result(Runbook.DEACTIVATE_USER_KEYS);
      expect(out).toEqual({
        calls: ['script:DeactivateAccessKeys', 'script:BuildDenyPolicy', 'iam:PutUserPolicy'],
        status: ['Inactive', 'Inactive'],
        policies: ['AWSRevokeOlderSessions'],
        deactivated: true,
      });
    });

    test('IsolateInstance protects, detaches, quarantines every interface with no rules, and snapshots', () => {
      const out = result(Runbook.ISOLATE_INSTANCE);
      expect(out.calls).toEqual([
        'ec2:DescribeInstances',
        'ec2:ModifyInstanceAttribute',
        'script:DetachFromAutoScaling',
        'ec2:CreateSecurityGroup',
        'ec2:RevokeSecurityGroupEgress',
        'script:ApplyQuarantineGroup',
        'ec2:CreateSnapshots',
      ]);
      expect(out.inbound).toEqual([]);
      expect(out.outbound).toEqual([]);
      expect(out.tags[QUARANTINE_TAG]).toBe('true');
      expect(out.vpc).toBe(true);
      // Every interface is in the quarantine group. (moto 5.2 also keeps listing the groups the
      // instance was launched with, which AWS replaces; that the call passes Groups=[quarantine] and
      // nothing else is checked against the recording fake in containment-runbooks.test.ts.)
      expect(out.eniGroups.length).toBeGreaterThan(0);
      for (const groups of out.eniGroups) expect(groups).toContain(out.groupId);
      expect(out.protected).toBe(true);
      expect(out.inAsg).toBe(0);
      expect(out.asgGroup).toBe('web');
      expect(out.snapshots).toBeGreaterThanOrEqual(1);
      expect(out.snapshotTags.every(Boolean)).toBe(true);
    });
  },
);
