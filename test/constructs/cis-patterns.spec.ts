import { CIS_METRICS } from '../../lib/constructs/cis-monitoring';
import { filterMatches } from './filter-pattern';

// CloudTrail events (trimmed to the fields the patterns read) that each CIS metric must catch, and
// look-alikes it must not, including the documented false-positive exclusions.
const user = { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' };
const ev = (eventName: string, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.09',
  eventName,
  userIdentity: user,
  sourceIPAddress: '203.0.113.10',
  ...extra,
});

const CASES: Record<string, { match: object[]; noMatch: object[] }> = {
  UnauthorizedApiCalls: {
    match: [
      ev('DescribeInstances', {
        eventSource: 'ec2.amazonaws.com',
        errorCode: 'Client.UnauthorizedOperation',
      }),
      ev('GetObject', { eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied' }),
      ev('GetSecretValue', {
        eventSource: 'secretsmanager.amazonaws.com',
        errorCode: 'AccessDeniedException',
      }),
    ],
    noMatch: [
      ev('DescribeInstances', { eventSource: 'ec2.amazonaws.com' }),
      ev('HeadBucket', { eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied' }),
      ev('GetBucketAcl', {
        eventSource: 's3.amazonaws.com',
        errorCode: 'AccessDenied',
        sourceIPAddress: 'delivery.logs.amazonaws.com',
      }),
      ev('AssumeRole', {
        eventSource: 'sts.amazonaws.com',
        errorCode: 'AccessDenied',
        userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
      }),
    ],
  },
  ConsoleSignInWithoutMfa: {
    match: [
      ev('ConsoleLogin', {
        additionalEventData: { MFAUsed: 'No' },
        responseElements: { ConsoleLogin: 'Success' },
      }),
    ],
    noMatch: [
      ev('ConsoleLogin', {
        additionalEventData: { MFAUsed: 'Yes' },
        responseElements: { ConsoleLogin: 'Success' },
      }),
      ev('ConsoleLogin', {
        additionalEventData: { MFAUsed: 'No' },
        responseElements: { ConsoleLogin: 'Failure' },
      }),
      ev('ConsoleLogin', {
        userIdentity: { type: 'AssumedRole' },
        additionalEventData: { MFAUsed: 'No' },
        responseElements: { ConsoleLogin: 'Success' },
      }),
    ],
  },
  RootAccountUsage: {
    match: [
      ev('ConsoleLogin', { userIdentity: { type: 'Root' }, eventType: 'AwsConsoleSignIn' }),
      ev('CreateAccessKey', { userIdentity: { type: 'Root' }, eventType: 'AwsApiCall' }),
    ],
    noMatch: [
      ev('Decrypt', {
        userIdentity: { type: 'Root', invokedBy: 'cloudtrail.amazonaws.com' },
        eventType: 'AwsApiCall',
      }),
      ev('AssumeRole', { userIdentity: { type: 'Root' }, eventType: 'AwsServiceEvent' }),
      ev('CreateAccessKey', { eventType: 'AwsApiCall' }),
    ],
  },
  IamPolicyChanges: {
    match: [ev('PutRolePolicy'), ev('AttachUserPolicy'), ev('CreatePolicyVersion')],
    noMatch: [ev('GetRolePolicy'), ev('ListPolicies')],
  },
  CloudTrailChanges: {
    match: [ev('StopLogging'), ev('DeleteTrail'), ev('UpdateTrail')],
    noMatch: [ev('DescribeTrails'), ev('LookupEvents')],
  },
  ConsoleAuthenticationFailures: {
    match: [
      ev('ConsoleLogin', {
        errorMessage: 'Failed authentication',
        responseElements: { ConsoleLogin: 'Failure' },
      }),
    ],
    noMatch: [ev('ConsoleLogin', { responseElements: { ConsoleLogin: 'Success' } })],
  },
  CmkDisabledOrScheduledForDeletion: {
    match: [
      ev('DisableKey', { eventSource: 'kms.amazonaws.com' }),
      ev('ScheduleKeyDeletion', { eventSource: 'kms.amazonaws.com' }),
    ],
    noMatch: [
      ev('EnableKey', { eventSource: 'kms.amazonaws.com' }),
      ev('DisableKey', { eventSource: 'other.amazonaws.com' }),
    ],
  },
  S3BucketPolicyChanges: {
    match: [
      ev('PutBucketPolicy', { eventSource: 's3.amazonaws.com' }),
      ev('DeleteBucketCors', { eventSource: 's3.amazonaws.com' }),
    ],
    noMatch: [
      ev('GetBucketPolicy', { eventSource: 's3.amazonaws.com' }),
      ev('PutObject', { eventSource: 's3.amazonaws.com' }),
    ],
  },
  ConfigChanges: {
    match: [
      ev('StopConfigurationRecorder', { eventSource: 'config.amazonaws.com' }),
      ev('DeleteDeliveryChannel', { eventSource: 'config.amazonaws.com' }),
    ],
    noMatch: [ev('DescribeConfigurationRecorders', { eventSource: 'config.amazonaws.com' })],
  },
  SecurityGroupChanges: {
    match: [ev('AuthorizeSecurityGroupIngress'), ev('DeleteSecurityGroup')],
    noMatch: [ev('DescribeSecurityGroups')],
  },
  NaclChanges: {
    match: [ev('CreateNetworkAclEntry'), ev('ReplaceNetworkAclAssociation')],
    noMatch: [ev('DescribeNetworkAcls')],
  },
  NetworkGatewayChanges: {
    match: [ev('AttachInternetGateway'), ev('DeleteCustomerGateway')],
    noMatch: [ev('DescribeInternetGateways')],
  },
  RouteTableChanges: {
    match: [
      ev('CreateRoute', { eventSource: 'ec2.amazonaws.com' }),
      ev('DisassociateRouteTable', { eventSource: 'ec2.amazonaws.com' }),
    ],
    noMatch: [
      ev('DescribeRouteTables', { eventSource: 'ec2.amazonaws.com' }),
      ev('CreateRoute', { eventSource: 'apigateway.amazonaws.com' }),
    ],
  },
  VpcChanges: {
    match: [ev('CreateVpc'), ev('AcceptVpcPeeringConnection'), ev('ModifyVpcAttribute')],
    noMatch: [ev('DescribeVpcs')],
  },
  OrganizationsChanges: {
    match: [
      ev('LeaveOrganization', { eventSource: 'organizations.amazonaws.com' }),
      ev('AttachPolicy', { eventSource: 'organizations.amazonaws.com' }),
    ],
    noMatch: [
      ev('ListAccounts', { eventSource: 'organizations.amazonaws.com' }),
      ev('AttachPolicy', { eventSource: 'iam.amazonaws.com' }),
    ],
  },
};

describe('CIS metric filter patterns against CloudTrail events', () => {
  test('every metric has cases', () => {
    expect(Object.keys(CASES).sort()).toEqual(CIS_METRICS.map((m) => m.id).sort());
  });

  describe.each(CIS_METRICS.map((m) => [m.id, m] as const))('%s', (id, metric) => {
    test('catches the events it is for', () => {
      for (const event of CASES[id].match)
        expect([JSON.stringify(event), filterMatches(metric.pattern, event)]).toEqual([
          JSON.stringify(event),
          true,
        ]);
    });
    test('ignores look-alikes and the documented false positives', () => {
      for (const event of CASES[id].noMatch)
        expect([JSON.stringify(event), filterMatches(metric.pattern, event)]).toEqual([
          JSON.stringify(event),
          false,
        ]);
    });
  });
});
