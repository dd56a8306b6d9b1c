import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors } from './errors';
import {
  atLeast,
  CLASS_MEANING,
  GUARDDUTY_SEVERITY_RANGES,
  INCIDENT_CLASSES,
  IncidentClass,
} from './severity';

/** Who is told about one incident class. */
export interface ClassSubscribers {
  /** @default - none */
  readonly emails?: string[];
  /** HTTPS endpoints (e.g. an on-call tool's webhook). @default - none */
  readonly httpsUrls?: string[];
}

export interface SecurityAlertsProps {
  /**
   * The key for the topics (one key per purpose: alerts).
   * @default - a new BaselineKey, alias `security-baseline/<stack>/alerts`
   */
  readonly encryptionKey?: BaselineKey;

  /** Subscribers per class. @default - none */
  readonly critical?: ClassSubscribers;
  readonly high?: ClassSubscribers;
  readonly medium?: ClassSubscribers;
  readonly low?: ClassSubscribers;

  /**
   * Least severe class that notifies subscribers; less severe alerts still reach their topic.
   * @default IncidentClass.LOW
   */
  readonly minimumClass?: IncidentClass;

  /**
   * Also classify AWS Security Hub findings by their severity label.
   * @default false
   */
  readonly securityHubFindings?: boolean;
}

/**
 * Alerting by incident class (ALR-01, ALR-02): one KMS-encrypted SNS topic per class of policy 003
 * (Critical, High, Medium, Low), so each class has its own subscribers and a class can be muted
 * without touching the others. EventBridge rules classify GuardDuty findings by numeric severity
 * (and, optionally, Security Hub findings by label) and deliver readable messages; CloudWatch alarms
 * publish to the topic of their class. Key and topic policies let exactly EventBridge and CloudWatch
 * of this account publish.
 */
export class SecurityAlerts extends Construct {
  public readonly encryptionKey: BaselineKey;
  private readonly topics = new Map<IncidentClass, sns.Topic>();

  constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const errors = new PropErrors('SecurityAlerts', childPath(scope.node.path, id));
    const byClass: Record<IncidentClass, ClassSubscribers | undefined> = {
      CRITICAL: props.critical,
      HIGH: props.high,
      MEDIUM: props.medium,
      LOW: props.low,
    };
    for (const c of INCIDENT_CLASSES) {
      (byClass[c]?.emails ?? []).forEach((e, i) => {
        if (!/^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$/.test(e))
          errors.add(`${c.toLowerCase()}.emails[${i}]`, e, 'an e-mail address');
      });
      (byClass[c]?.httpsUrls ?? []).forEach((u, i) => {
        if (!/^https:\/\/[^\s]+$/.test(u))
          errors.add(`${c.toLowerCase()}.httpsUrls[${i}]`, u, 'an https:// URL');
      });
    }
    const minimum = props.minimumClass ?? IncidentClass.LOW;
    if (!INCIDENT_CLASSES.includes(minimum))
      errors.add('minimumClass', minimum, `one of ${INCIDENT_CLASSES.join(', ')}`);
    errors.throwIfAny();

    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${stack.stackName}/alerts`,
        description: 'cdk-security-baseline: encrypts security alerts',
      });
    // EventBridge and CloudWatch alarms publish to encrypted topics with the topic's key: allow
    // exactly these two services, on behalf of this account only (ENC-03).
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowEventBridgeAndCloudWatchToPublishAlerts',
        principals: [
          new iam.ServicePrincipal('events.amazonaws.com'),
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    for (const c of INCIDENT_CLASSES) {
      const topic = new sns.Topic(this, `${title(c)}Topic`, {
        displayName: `Security alerts: ${title(c)} (${CLASS_MEANING[c]})`,
        masterKey: this.encryptionKey,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEventBridgeAndCloudWatchOfThisAccount',
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          ],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
      if (atLeast(c, minimum)) {
        for (const email of byClass[c]?.emails ?? [])
          topic.addSubscription(new subscriptions.EmailSubscription(email));
        for (const url of byClass[c]?.httpsUrls ?? [])
          topic.addSubscription(
            new subscriptions.UrlSubscription(url, { protocol: sns.SubscriptionProtocol.HTTPS }),
          );
      }
      this.topics.set(c, topic);
    }

    for (const range of GUARDDUTY_SEVERITY_RANGES) {
      new events.Rule(this, `GuardDuty${title(range.incidentClass)}`, {
        description: `GuardDuty findings of severity ${range.min}..${range.max}${range.maxInclusive ? '' : ' (exclusive)'}: ${range.incidentClass}`,
        eventPattern: guardDutyPattern(range),
        targets: [
          new ScopedTopicTarget(this.topic(range.incidentClass), guardDutyMessage(range.incidentClass)),
        ],
      });
    }
    if (props.securityHubFindings) {
      for (const c of INCIDENT_CLASSES) {
        new events.Rule(this, `SecurityHub${title(c)}`, {
          description: `Security Hub findings labelled ${c}`,
          eventPattern: securityHubPattern(c),
          targets: [new ScopedTopicTarget(this.topic(c), securityHubMessage(c))],
        });
      }
    }
    recordControls(this, 'ALR-01', 'ALR-02', 'ENC-01');
  }

  /** The topic of one incident class. */
  public topic(incidentClass: IncidentClass): sns.Topic {
    return this.topics.get(incidentClass)!;
  }
}

/**
 * An EventBridge target that publishes to one of these topics. Unlike `targets.SnsTopic`, it adds no
 * permissions: CDK's target would grant `events.amazonaws.com` publish and key use with no
 * condition; the topic and key policies above already allow it, for this account only.
 */
class ScopedTopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly message: events.RuleTargetInput,
  ) {}

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.message, targetResource: this.topic };
  }
}

function title(c: IncidentClass): string {
  return c.charAt(0) + c.slice(1).toLowerCase();
}

/** The EventBridge pattern of one GuardDuty severity range. */
export function guardDutyPattern(range: (typeof GUARDDUTY_SEVERITY_RANGES)[number]): events.EventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', range.min, range.maxInclusive ? '<=' : '<', range.max] }] },
  };
}

/** The EventBridge pattern of one Security Hub severity label (new findings only, not updates to archived ones). */
export function securityHubPattern(c: IncidentClass): events.EventPattern {
  return {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: { Severity: { Label: [c] }, RecordState: ['ACTIVE'], Workflow: { Status: ['NEW'] } },
    },
  };
}

function guardDutyMessage(c: IncidentClass): events.RuleTargetInput {
  const e = events.EventField;
  return events.RuleTargetInput.fromMultilineText(
    [
      `[${c}] GuardDuty finding: ${e.fromPath('$.detail.type')}`,
      `${e.fromPath('$.detail.title')}`,
      `Severity ${e.fromPath('$.detail.severity')} (${CLASS_MEANING[c]})`,
      `Account ${e.account}, region ${e.region}`,
      `Resource: ${e.fromPath('$.detail.resource.resourceType')}`,
      `Console: https://console.aws.amazon.com/guardduty/home?region=${e.region}#/findings?fId=${e.fromPath('$.detail.id')}`,
    ].join('\n'),
  );
}

function securityHubMessage(c: IncidentClass): events.RuleTargetInput {
  const e = events.EventField;
  return events.RuleTargetInput.fromMultilineText(
    [
      `[${c}] Security Hub finding: ${e.fromPath('$.detail.findings[0].Title')}`,
      `Type: ${e.fromPath('$.detail.findings[0].Types[0]')}`,
      `Account ${e.account}, region ${e.region}`,
      `Resource: ${e.fromPath('$.detail.findings[0].Resources[0].Type')} ${e.fromPath('$.detail.findings[0].Resources[0].Id')}`,
      `Console: https://console.aws.amazon.com/securityhub/home?region=${e.region}#/findings`,
    ].join('\n'),
  );
}
