import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { SecurityAlerts } from './security-alerts';
import { IncidentClass } from './severity';

/** One CIS AWS Foundations monitoring control: a metric filter on the trail and its incident class. */
export interface CisMetric {
  readonly id: string;
  /** CIS AWS Foundations Benchmark v3.0 recommendation. */
  readonly cis: string;
  readonly description: string;
  readonly incidentClass: IncidentClass;
  /** CloudWatch Logs filter pattern over CloudTrail events. */
  readonly pattern: string;
}

/**
 * The CIS AWS Foundations set (section 4 of v1.4 / Security Hub CloudWatch.1-14), each mapped to a
 * policy 003 incident class. Deliberate exclusions, each to avoid a known false positive:
 * - UnauthorizedApiCalls ignores `HeadBucket` (S3 clients probe buckets they may not list as a
 *   matter of course) and calls made by `delivery.logs.amazonaws.com` (log delivery checks), the
 *   two sources CIS itself names; and denied `sts:AssumeRole` calls made by AWS services
 *   (`$.userIdentity.type = "AWSService"`), which probe roles routinely.
 * - RootAccountUsage ignores root actions invoked by AWS services and AWS service events.
 */
export const CIS_METRICS: readonly CisMetric[] = [
  {
    id: 'UnauthorizedApiCalls',
    cis: '4.1',
    description: 'Unauthorized API calls',
    incidentClass: IncidentClass.HIGH,
    pattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.eventName != "HeadBucket") && ' +
      '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.userIdentity.type != "AWSService") }',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    cis: '4.2',
    description: 'Management console sign-in without MFA',
    incidentClass: IncidentClass.HIGH,
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'RootAccountUsage',
    cis: '4.3',
    description: 'Use of the root account',
    incidentClass: IncidentClass.CRITICAL,
    pattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: 'IamPolicyChanges',
    cis: '4.4',
    description: 'IAM policy changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ' +
      '($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ' +
      '($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ' +
      '($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }',
  },
  {
    id: 'CloudTrailChanges',
    cis: '4.5',
    description: 'CloudTrail configuration changes',
    incidentClass: IncidentClass.HIGH,
    pattern:
      '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  {
    id: 'ConsoleAuthenticationFailures',
    cis: '4.6',
    description: 'Management console authentication failures',
    incidentClass: IncidentClass.HIGH,
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: 'CmkDisabledOrScheduledForDeletion',
    cis: '4.7',
    description: 'Disabling or scheduled deletion of customer-managed keys',
    incidentClass: IncidentClass.HIGH,
    pattern:
      '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  },
  {
    id: 'S3BucketPolicyChanges',
    cis: '4.8',
    description: 'S3 bucket policy changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ' +
      '($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ' +
      '($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  },
  {
    id: 'ConfigChanges',
    cis: '4.9',
    description: 'AWS Config configuration changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ' +
      '($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }',
  },
  {
    id: 'SecurityGroupChanges',
    cis: '4.10',
    description: 'Security group changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ' +
      '($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  },
  {
    id: 'NaclChanges',
    cis: '4.11',
    description: 'Network ACL changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ' +
      '($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    id: 'NetworkGatewayChanges',
    cis: '4.12',
    description: 'Network gateway changes',
    incidentClass: IncidentClass.LOW,
    pattern:
      '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ' +
      '($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    id: 'RouteTableChanges',
    cis: '4.13',
    description: 'Route table changes',
    incidentClass: IncidentClass.LOW,
    pattern:
      '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ' +
      '($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
  },
  {
    id: 'VpcChanges',
    cis: '4.14',
    description: 'VPC changes',
    incidentClass: IncidentClass.LOW,
    pattern:
      '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ' +
      '($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ' +
      '($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  },
  {
    id: 'OrganizationsChanges',
    cis: '4.15',
    description: 'AWS Organizations changes',
    incidentClass: IncidentClass.MEDIUM,
    pattern:
      '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || ($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ' +
      '($.eventName = CreateOrganizationalUnit) || ($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || ' +
      '($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || ($.eventName = DisablePolicyType) || ' +
      '($.eventName = EnablePolicyType) || ($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || ' +
      '($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || ($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }',
  },
];

export interface CisMonitoringProps {
  /** The trail's log group (AuditTrail.logGroup). */
  readonly logGroup: logs.ILogGroup;
  /** Where alarms go, by class. */
  readonly alerts: SecurityAlerts;
  /**
   * Metric namespace.
   * @default 'SecurityBaseline/CIS'
   */
  readonly namespace?: string;
}

/**
 * CIS AWS Foundations monitoring (DET-05): a metric filter on the trail's log group and an alarm for
 * every CIS_METRICS entry, alarming on the first matching event in five minutes and routed to the
 * SecurityAlerts topic of its incident class (ALR-01).
 */
export class CisMonitoring extends Construct {
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: CisMonitoringProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'SecurityBaseline/CIS';
    for (const m of CIS_METRICS) {
      const filter = new logs.MetricFilter(this, `${m.id}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(m.pattern),
        metricNamespace: namespace,
        metricName: m.id,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${m.id}Alarm`, {
        alarmDescription: `[${m.incidentClass}] CIS ${m.cis}: ${m.description}`,
        metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(props.alerts.topic(m.incidentClass)));
      this.alarms[m.id] = alarm;
    }
    recordControls(this, 'DET-05', 'ALR-01');
  }
}
