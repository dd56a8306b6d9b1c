import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { esbuildCode } from './bundle';
import { encryptedLogGroup } from './encrypted-log-group';
import { childPath, PropErrors } from './errors';
import { acknowledge, inFrameworkPacks } from '../compliance/acknowledge';

export interface ContinuousAuditProps {
  /** The audit's read-only permissions (AuditorRole.policy). */
  readonly auditPolicy: iam.IManagedPolicy;

  /**
   * Key for the alert topic and the function's logs (one key per purpose: alerts).
   * @default - a new BaselineKey, alias `security-baseline/<stack>/alerts`
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * When to run.
   * @default events.Schedule.rate(Duration.days(1))
   */
  readonly schedule?: events.Schedule;

  /**
   * Regions to check.
   * @default - the stack's region
   */
  readonly regions?: string[];

  /**
   * The policy's longest key rotation period in days (ENC-02).
   * @default 90
   */
  readonly maxRotationDays?: number;

  /**
   * Where findings and failed runs are published, e.g. `SecurityAlerts.topic(IncidentClass.MEDIUM)`
   * (policy 003: "minor security policy violations"). Give `encryptionKey` too when the topic is
   * encrypted with another key.
   * @default - a new KMS-encrypted topic
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the construct's own topic (not used with `alertTopic`).
   * @default - none
   */
  readonly alertEmails?: string[];

  /**
   * Retention of the function's log group (LOG-04).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Continuous mode of baseline-audit (CMP-05): the same checks (lib/audit) in a Lambda function on a
 * schedule, bundled with esbuild in-process (no npx, no Docker). A run that finds a non-compliant or
 * unverifiable resource publishes a readable message to a KMS-encrypted SNS topic; a run that fails
 * raises an alarm on the same topic.
 */
export class ContinuousAudit extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly alertTopic: sns.ITopic;
  public readonly encryptionKey: BaselineKey;

  constructor(scope: Construct, id: string, props: ContinuousAuditProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const errors = new PropErrors('ContinuousAudit', childPath(scope.node.path, id));
    const maxRotationDays = props.maxRotationDays ?? 90;
    if (!Number.isInteger(maxRotationDays) || maxRotationDays < 90 || maxRotationDays > 2560) {
      errors.add('maxRotationDays', maxRotationDays, 'a whole number of days, 90..2560');
    }
    (props.alertEmails ?? []).forEach((email, i) => {
      if (!/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(email))
        errors.add(`alertEmails[${i}]`, email, 'an e-mail address');
    });
    (props.regions ?? []).forEach((region, i) => {
      if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region))
        errors.add(`regions[${i}]`, region, 'an AWS region name');
    });
    errors.throwIfAny();

    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/alerts`,
        description: 'cdk-security-baseline: encrypts audit alerts and the continuous audit log',
      });

    if (props.alertTopic && props.alertEmails?.length) {
      errors.add('alertEmails', props.alertEmails, 'subscribe to the alertTopic you pass instead');
      errors.throwIfAny();
    }
    if (props.alertTopic) {
      this.alertTopic = props.alertTopic;
    } else {
      const topic = new sns.Topic(this, 'AlertTopic', {
        displayName: 'Security baseline audit findings',
        masterKey: this.encryptionKey,
        enforceSSL: true,
      });
      for (const email of props.alertEmails ?? [])
        topic.addSubscription(new subscriptions.EmailSubscription(email));
      this.alertTopic = topic;
    }

    const logGroup = encryptedLogGroup(this, 'Logs', {
      logGroupName: `/security-baseline/continuous-audit/${stack.stackName}`,
      encryptionKey: this.encryptionKey,
      retention: props.logRetention,
    });

    // Everything the function may do, in managed policies (no inline policies).
    const runPolicy = new iam.ManagedPolicy(this, 'RunPolicy', {
      description: 'baseline-audit continuous mode: write its log, publish findings',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.logGroupArn}`],
        }),
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.alertTopic.topicArn] }),
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
        }),
      ],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs baseline-audit inside the account on a schedule (read-only checks)',
      managedPolicies: [props.auditPolicy, runPolicy],
    });

    const source = path.join(__dirname, '..', 'audit', 'lambda');
    const runtime = lambda.Runtime.NODEJS_24_X;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      // esbuild from node_modules, in-process (no npx, never Docker): the build NodejsFunction's own
      // bundling ran through `npx --no-install esbuild`, byte for byte; the Lambda runtime provides
      // the AWS SDK v3. TypeScript source in the repository, compiled JS in the published package.
      code: esbuildCode({
        entry: fs.existsSync(`${source}.ts`) ? `${source}.ts` : `${source}.js`,
        runtime,
        minify: true,
        externalModules: ['@aws-sdk/*'],
      }),
      handler: 'index.handler',
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 1,
      // runPolicy already allows what CDK would add (publish to the dead-letter topic, decrypt the
      // environment); keeping CDK from adding an inline DefaultPolicy keeps IAMNoInlinePolicy green.
      role: role.withoutPolicyUpdates(),
      // Events that still fail after EventBridge's retries land on the alert topic.
      deadLetterTopic: this.alertTopic,
      logGroup,
      description: 'cdk-security-baseline: baseline-audit checks, run on a schedule (CMP-05)',
      environment: {
        AUDIT_REGIONS: (props.regions ?? [stack.region]).join(','),
        AUDIT_MAX_ROTATION_DAYS: String(maxRotationDays),
        ALERT_TOPIC_ARN: this.alertTopic.topicArn,
      },
      environmentEncryption: this.encryptionKey,
    });

    new events.Rule(this, 'Schedule', {
      description: 'Runs baseline-audit in this account',
      schedule: props.schedule ?? events.Schedule.rate(Duration.days(1)),
      targets: [
        new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.hours(2) }),
      ],
    });
    new cloudwatch.Alarm(this, 'FailedRuns', {
      alarmDescription: 'baseline-audit continuous mode failed to run',
      metric: this.function.metricErrors({ period: Duration.hours(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new cwActions.SnsAction(this.alertTopic));

    const noVpc =
      'The function only calls AWS APIs, in every region it audits (AUDIT_REGIONS); VPC interface endpoints cannot reach ' +
      'other regions, so a VPC would need a NAT path to the same public endpoints. It holds no data and no network resource.';
    acknowledge(
      this.function,
      [...inFrameworkPacks('LambdaInsideVPC'), 'cdk-validator-cfnguard::lambda_inside_vpc_check'],
      noVpc,
    );
    recordControls(this, 'CMP-05', 'ENC-01', 'LOG-04');
  }
}
