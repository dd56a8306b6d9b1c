// The Python handlers of the containment runbooks' `aws:executeScript` steps (ALR-03).
//
// Steps that act on one named thing use `aws:executeAwsApi`, so the document itself shows the API
// and its parameters. A script is used only where a step must loop (every access key of a user,
// every network interface of an instance), branch (an instance that may or may not be in an Auto
// Scaling group), compute a value the document language cannot (the current time for the
// `aws:TokenIssueTime` deny, the merged address list of an IP set), or retry on WAF's optimistic
// lock. Each handler is `handler(events, context)` and uses only boto3 and the standard library
// (the Automation Python runtime provides both). test/constructs/containment-runbooks.test.ts runs
// every one of them against a recording fake of boto3.

/** Python runtime of the scripts (a runtime `aws:executeScript` supports). */
export const SCRIPT_RUNTIME = 'python3.11';

/** Narrowest and widest IPv4 prefix the block runbook accepts: /8 at most, one address at least. */
export const MIN_BLOCK_PREFIX = 8;

/** WAF holds at most this many addresses in one IP set. */
export const MAX_IP_SET_ADDRESSES = 10000;

/** The inline policy name IAM's console uses for "Revoke active sessions". */
export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/**
 * Add one IPv4 CIDR to a WAF IP set: normalise it (host bits cleared, /32 when no prefix), refuse
 * IPv6, prefixes wider than /8 and a full set; read the set, append, and update with the lock token,
 * re-reading on WAFOptimisticLockException (someone else changed the set in between). Idempotent: a
 * CIDR already in the set is reported, not added twice.
 */
export const BLOCK_CIDR_SCRIPT = `import ipaddress
import boto3

MIN_PREFIX = ${MIN_BLOCK_PREFIX}
MAX_ADDRESSES = ${MAX_IP_SET_ADDRESSES}
ATTEMPTS = 5


def is_lock_conflict(err):
    code = getattr(err, 'response', {}).get('Error', {}).get('Code')
    return code == 'WAFOptimisticLockException' or type(err).__name__ == 'WAFOptimisticLockException'


def handler(events, context):
    text = str(events['Cidr']).strip()
    network = ipaddress.ip_network(text if '/' in text else text + '/32', strict=False)
    if network.version != 4:
        raise ValueError('the blocked-IP set holds IPv4 addresses; got ' + text)
    if network.prefixlen < MIN_PREFIX:
        raise ValueError('refusing to block /' + str(network.prefixlen) + ' (wider than /' + str(MIN_PREFIX) + '): ' + text)
    cidr = str(network)
    waf = boto3.client('wafv2')
    ids = {'Name': events['IpSetName'], 'Scope': events['Scope'], 'Id': events['IpSetId']}
    for attempt in range(ATTEMPTS):
        current = waf.get_ip_set(**ids)
        addresses = list(current['IPSet'].get('Addresses', []))
        if cidr in addresses:
            return {'cidr': cidr, 'added': False, 'addresses': len(addresses)}
        if len(addresses) >= MAX_ADDRESSES:
            raise ValueError('the IP set already holds ' + str(len(addresses)) + ' addresses, the WAF maximum')
        update = dict(ids, Addresses=addresses + [cidr], LockToken=current['LockToken'])
        if current['IPSet'].get('Description'):
            update['Description'] = current['IPSet']['Description']
        try:
            waf.update_ip_set(**update)
            return {'cidr': cidr, 'added': True, 'addresses': len(addresses) + 1}
        except Exception as err:
            if not is_lock_conflict(err) or attempt == ATTEMPTS - 1:
                raise
`;

/**
 * The deny policy IAM's "Revoke active sessions" attaches: every action on every resource is denied
 * to credentials issued before now (`aws:TokenIssueTime`). Pure: no AWS call.
 */
export const REVOKE_POLICY_SCRIPT = `import datetime
import json


def handler(events, context):
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    policy = {
        'Version': '2012-10-17',
        'Statement': [{
            'Effect': 'Deny',
            'Action': ['*'],
            'Resource': ['*'],
            'Condition': {'DateLessThan': {'aws:TokenIssueTime': now}},
        }],
    }
    return {'policy': json.dumps(policy), 'revokedBefore': now}
`;

/** Deactivate every active access key of one IAM user (all pages); report what changed. */
export const DEACTIVATE_KEYS_SCRIPT = `import boto3


def handler(events, context):
    iam = boto3.client('iam')
    user = events['UserName']
    keys = []
    request = {'UserName': user}
    while True:
        page = iam.list_access_keys(**request)
        keys.extend(page.get('AccessKeyMetadata', []))
        if not page.get('IsTruncated'):
            break
        request['Marker'] = page['Marker']
    deactivated = []
    for key in keys:
        if key['Status'] != 'Inactive':
            iam.update_access_key(UserName=user, AccessKeyId=key['AccessKeyId'], Status='Inactive')
            deactivated.append(key['AccessKeyId'])
    return {'deactivated': deactivated, 'keys': len(keys)}
`;

/**
 * Detach an instance from its Auto Scaling group, if it is in one, keeping the group's desired
 * capacity (the group launches a replacement; the isolated instance is kept for forensics and is no
 * longer terminated by scale-in or health checks).
 */
export const DETACH_ASG_SCRIPT = `import boto3


def handler(events, context):
    autoscaling = boto3.client('autoscaling')
    instance = events['InstanceId']
    found = autoscaling.describe_auto_scaling_instances(InstanceIds=[instance]).get('AutoScalingInstances', [])
    if not found:
        return {'group': ''}
    group = found[0]['AutoScalingGroupName']
    autoscaling.detach_instances(
        InstanceIds=[instance], AutoScalingGroupName=group, ShouldDecrementDesiredCapacity=False
    )
    return {'group': group}
`;

/** Put every network interface of an instance into the quarantine group (and only it). */
export const APPLY_QUARANTINE_SCRIPT = `import boto3


def handler(events, context):
    ec2 = boto3.client('ec2')
    reservations = ec2.describe_instances(InstanceIds=[events['InstanceId']])['Reservations']
    interfaces = [
        eni['NetworkInterfaceId']
        for reservation in reservations
        for instance in reservation['Instances']
        for eni in instance.get('NetworkInterfaces', [])
    ]
    if not interfaces:
        raise ValueError('instance ' + events['InstanceId'] + ' has no network interface to isolate')
    for eni in interfaces:
        ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, Groups=[events['GroupId']])
    return {'interfaces': interfaces}
`;
