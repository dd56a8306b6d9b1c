import { CustomResource, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as macie from 'aws-cdk-lib/aws-macie';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceHandler } from '../compliance/acknowledge';
import { recordControls } from '../compliance/controls';
import { nagResource } from '../compliance/nag-ids';
import { AlertTopicTarget } from './alert-topic-target';
import { BaselineKey } from './baseline-key';
import { EncryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { SecurityAlerts } from './security-alerts';
import { IncidentClass } from './severity';

/** How often the Macie classification job runs. */
export enum DiscoveryFrequency {
  /** Every day. */
  DAILY = 'DAILY',
  /** Every Sunday. */
  WEEKLY = 'WEEKLY',
  /** On the 1st of every month. */
  MONTHLY = 'MONTHLY',
}

/**
 * Macie findings that mean a bucket is open to the world or to other accounts: Critical (data
 * theft possible) whatever Macie's own severity.
 */
export const MACIE_EXPOSURE_FINDING_TYPES: readonly string[] = [
  'Policy:IAMUser/S3BucketPublic',
  'Policy:IAMUser/S3BucketSharedExternally',
  'Policy:IAMUser/S3BucketSharedWithCloudFront',
];

/**
 * How Macie findings map to policy 003's incident classes (ALR-01): exposure findings are
 * Critical; every other finding by Macie's severity (High, Medium, Low). Macie has no Critical
 * severity of its own. Together the rules match every finding exactly once (tested).
 */
export const MACIE_SEVERITY_CLASSES: ReadonlyArray<{
  readonly macieSeverity: string;
  readonly incidentClass: IncidentClass;
}> = [
  { macieSeverity: 'High', incidentClass: IncidentClass.HIGH },
  { macieSeverity: 'Medium', incidentClass: IncidentClass.MEDIUM },
  { macieSeverity: 'Low', incidentClass: IncidentClass.LOW },
];

export interface SensitiveDataDiscoveryProps {
  /** The buckets marked sensitive, scanned for personal and other sensitive data (DATA-06). 1..1000. */
  readonly buckets: s3.IBucket[];

  /**
   * How often the classification job scans the buckets' new and changed objects.
   * @default DiscoveryFrequency.WEEKLY
   */
  readonly frequency?: DiscoveryFrequency;

  /**
   * Classify Macie findings into the four incident classes and deliver them to these topics.
   * @default - findings stay in Macie (and Security Hub, if enabled)
   */
  readonly alerts?: SecurityAlerts;

  /**
   * Macie is already enabled in this account and region (a session exists): do not create one.
   * @default false
   */
  readonly adoptExistingSession?: boolean;

  /**
   * The key for the job function's log group.
   * @default - a new BaselineKey for the log group
   */
  readonly logKey?: BaselineKey;
}

/**
 * PII discovery with Amazon Macie (DATA-06): a Macie session (findings published every 15 minutes)
 * and a scheduled sensitive-data discovery job over the buckets marked sensitive, created through a
 * small custom resource (CloudFormation has no resource for Macie jobs). The buckets' keys let
 * Macie's service-linked role decrypt objects it reads through S3. Findings are classified into the
 * four alert classes (Critical for buckets exposed to the world or other accounts, otherwise by
 * Macie's severity) when `alerts` is given.
 *
 * Macie is regional and bills per bucket evaluated and per GB scanned; see the README's costs.
 * A changed job (buckets, frequency) replaces the old job, which is cancelled; deleting the stack
 * cancels the job and leaves the Macie session (and its findings) in place.
 */
export class SensitiveDataDiscovery extends Construct {
  public readonly session?: macie.CfnSession;
  /** The classification job's ID. */
  public readonly jobId: string;

  constructor(scope: Construct, id: string, props: SensitiveDataDiscoveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const frequency = props.frequency ?? DiscoveryFrequency.WEEKLY;
    const errors = new PropErrors('SensitiveDataDiscovery', childPath(scope.node.path, id));
    if (props.buckets.length === 0 || props.buckets.length > 1000)
      errors.add('buckets', props.buckets.length, 'name 1..1000 buckets marked sensitive');
    if (!Object.values(DiscoveryFrequency).includes(frequency))
      errors.add('frequency', frequency, `one of ${Object.values(DiscoveryFrequency).join(', ')}`);
    errors.throwIfAny();

    if (!props.adoptExistingSession) {
      this.session = new macie.CfnSession(this, 'Session', {
        status: 'ENABLED',
        findingPublishingFrequency: 'FIFTEEN_MINUTES',
      });
      // Deleting a session disables Macie and deletes its findings and settings: keep it (DATA-05).
      this.session.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }

    // Macie reads objects through S3 as its service-linked role; SSE-KMS objects need kms:Decrypt.
    // Scoped by principal ARN and by S3 as the calling service, so the statement works before the
    // role exists and grants nothing else.
    const macieRole = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
    for (const key of new Set(props.buckets.map((b) => b.encryptionKey).filter((k) => k !== undefined))) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowMacieToReadObjectsThroughS3',
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'aws:PrincipalArn': macieRole,
              'kms:ViaService': `s3.${stack.region}.amazonaws.com`,
            },
          },
        }),
      );
    }

    const logs = new EncryptedLogGroup(this, 'Logs', {
      logGroupName: `/security-baseline/macie-job/${Names.uniqueResourceName(this, { maxLength: 100, separator: '-' })}`,
      encryptionKey: props.logKey,
    });
    const jobArns = stack.formatArn({ service: 'macie2', resource: 'classification-job', resourceName: '*' });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Creates and cancels the Macie classification job of cdk-security-baseline',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logs.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          actions: ['macie2:CreateClassificationJob', 'macie2:UpdateClassificationJob'],
          resources: [jobArns],
        }),
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Creates and cancels the Macie classification job of cdk-security-baseline',
      managedPolicies: [policy],
    });
    acknowledgeJobWildcard(policy, jobArns);
    const fn = new lambda.Function(this, 'JobFunction', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(MACIE_JOB_HANDLER),
      role,
      timeout: Duration.minutes(1),
      logGroup: logs.logGroup,
      description: 'cdk-security-baseline: creates and cancels the Macie classification job (DATA-06)',
    });
    fn.node.addDependency(policy);
    acknowledgeCustomResourceHandler(
      fn,
      "The function only calls the Amazon Macie API (CreateClassificationJob, UpdateClassificationJob) and CloudFormation's " +
        'response URL; it holds no data and reaches no resource in a VPC.',
    );

    const job = new CustomResource(this, 'Job', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::MacieClassificationJob',
      properties: {
        Name: `security-baseline-${frequency.toLowerCase()}`,
        AccountId: stack.account,
        Buckets: props.buckets.map((b) => b.bucketName),
        Frequency: frequency,
      },
    });
    if (this.session) job.node.addDependency(this.session);
    this.jobId = job.ref;

    if (props.alerts) {
      new events.Rule(this, 'ExposureFindings', {
        description: 'Macie findings of a bucket exposed to the world or other accounts: CRITICAL',
        eventPattern: maciePattern({ type: [...MACIE_EXPOSURE_FINDING_TYPES] }),
        targets: [
          new AlertTopicTarget(props.alerts, IncidentClass.CRITICAL, macieMessage(IncidentClass.CRITICAL)),
        ],
      });
      for (const { macieSeverity, incidentClass } of MACIE_SEVERITY_CLASSES) {
        new events.Rule(this, `${macieSeverity}Findings`, {
          description: `Macie findings of severity ${macieSeverity} (other than exposure): ${incidentClass}`,
          eventPattern: maciePattern({
            type: [{ 'anything-but': [...MACIE_EXPOSURE_FINDING_TYPES] }],
            severity: { description: [macieSeverity] },
          }),
          targets: [new AlertTopicTarget(props.alerts, incidentClass, macieMessage(incidentClass))],
        });
      }
      recordControls(this, 'ALR-01', 'ALR-02');
    }
    recordControls(this, 'DATA-06');
  }
}

/** The EventBridge pattern of Macie findings with the given detail filter. */
export function maciePattern(detail: Record<string, unknown>): events.EventPattern {
  return { source: ['aws.macie'], detailType: ['Macie Finding'], detail };
}

function macieMessage(c: IncidentClass): events.RuleTargetInput {
  const e = events.EventField;
  return events.RuleTargetInput.fromMultilineText(
    [
      `[${c}] Macie finding: ${e.fromPath('$.detail.type')}`,
      `${e.fromPath('$.detail.title')}`,
      `Macie severity ${e.fromPath('$.detail.severity.description')}`,
      `Bucket: ${e.fromPath('$.detail.resourcesAffected.s3Bucket.name')}, object: ${e.fromPath('$.detail.resourcesAffected.s3Object.key')}`,
      `Account ${e.account}, region ${e.region}`,
      `Console: https://console.aws.amazon.com/macie/home?region=${e.region}#findings?search=id%3D${e.fromPath('$.detail.id')}`,
    ].join('\n'),
  );
}

function acknowledgeJobWildcard(policy: iam.ManagedPolicy, jobArns: string): void {
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagResource(policy, jobArns)}]`,
    reason:
      "Macie assigns a job's ID when the job is created, so the function's create and cancel calls cannot name it in " +
      'advance; the wildcard covers classification jobs of this account and region only.',
  });
}

/**
 * The custom resource's handler (Node.js 24, AWS SDK v3 from the runtime), inline so no asset or
 * bundling is needed. Create and Update create a scheduled job (its ID is the physical ID, so
 * CloudFormation deletes, i.e. cancels, the replaced job); Delete cancels the job.
 */
export const MACIE_JOB_HANDLER = `
const { Macie2Client, CreateClassificationJobCommand, UpdateClassificationJobCommand } = require('@aws-sdk/client-macie2');
const https = require('https');
const macie = new Macie2Client({});
const SCHEDULES = { DAILY: { dailySchedule: {} }, WEEKLY: { weeklySchedule: { dayOfWeek: 'SUNDAY' } }, MONTHLY: { monthlySchedule: { dayOfMonth: 1 } } };
exports.handler = async (event) => {
  let status = 'SUCCESS', reason = '', id = event.PhysicalResourceId, data = {};
  try {
    const p = event.ResourceProperties;
    if (event.RequestType === 'Delete') {
      if (id && !id.startsWith('failed-')) {
        try {
          await macie.send(new UpdateClassificationJobCommand({ jobId: id, jobStatus: 'CANCELLED' }));
        } catch (e) {
          if (!['ResourceNotFoundException', 'ValidationException'].includes(e.name)) throw e;
        }
      }
    } else {
      const r = await macie.send(new CreateClassificationJobCommand({
        clientToken: event.RequestId,
        name: p.Name + '-' + event.RequestId.slice(0, 8),
        description: 'cdk-security-baseline DATA-06: sensitive data discovery in buckets marked sensitive',
        jobType: 'SCHEDULED',
        scheduleFrequency: SCHEDULES[p.Frequency],
        managedDataIdentifierSelector: 'RECOMMENDED',
        s3JobDefinition: { bucketDefinitions: [{ accountId: p.AccountId, buckets: p.Buckets }] },
      }));
      id = r.jobId;
      data = { JobId: r.jobId, JobArn: r.jobArn };
    }
  } catch (e) {
    status = 'FAILED';
    reason = (e && e.message) || String(e);
    id = id || 'failed-' + event.RequestId;
  }
  await respond(event, { Status: status, Reason: reason, PhysicalResourceId: id, StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId, Data: data });
};
function respond(event, body) {
  const payload = JSON.stringify(body);
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(payload) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(payload);
  });
}
`;
