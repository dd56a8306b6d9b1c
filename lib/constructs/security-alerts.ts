import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors } from './errors';
import { grantThroughManagedPolicy } from './managed-grants';
import {
  atLeast,
  CLASS_MEANING,
  GUARDDUTY_SEVERITY_RANGES,
  INCIDENT_CLASSES,
  IncidentClass,
} from './severity';
import { uniqueLowerName } from './unique-name';

/** Who is told about one incident class. */
export interface ClassSubscribers {
  /** @default - none */
  readonly emails?: string[];
  /** HTTPS endpoints (e.g. an on-call tool's webhook). @default - none */
  readonly httpsUrls?: string[];
}

export interface SecurityAlertsProps {
  /**
   * The key for the topics (one key per purpose: alerts). A BaselineKey, because the construct
   * adds the statements that let EventBridge and CloudWatch of this account use it.
   * @default - a new BaselineKey, alias `security-baseline/<unique id of this construct>`
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
export class SecurityAlerts extends Construct implements ISecurityAlertTopics {
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
        // Unique per construct path: another construct's `<stack>/alerts` key cannot collide.
        alias: `security-baseline/${uniqueLowerName(this)}`,
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
  public topic(incidentClass: IncidentClass): sns.ITopic {
    return this.topics.get(incidentClass)!;
  }

  /**
   * Let `grantee` publish to the topic of one incident class (and use the alerts key for it),
   * through a customer-managed policy when the grantee is a role.
   */
  public grantPublish(incidentClass: IncidentClass, grantee: iam.IGrantable): iam.Grant {
    return grantPublishTo(this.topic(incidentClass), this.encryptionKey, grantee);
  }

  /** A CloudWatch alarm action that notifies the topic of one incident class (ALR-02). */
  public alarmAction(incidentClass: IncidentClass): cloudwatch.IAlarmAction {
    return new cloudwatchActions.SnsAction(this.topic(incidentClass));
  }

  /**
   * The alert topics of a SecurityAlerts deployed elsewhere (e.g. the baseline stack), from their
   * ARNs, so a workload stack can route its alarms and findings to the baseline's classes.
   */
  public static fromTopicArns(
    scope: Construct,
    id: string,
    attrs: SecurityAlertTopicsAttributes,
  ): ISecurityAlertTopics {
    return new ImportedSecurityAlertTopics(scope, id, attrs);
  }
}

/** The topics of one SecurityAlerts, one per incident class: its own, or imported by ARN. */
export interface ISecurityAlertTopics {
  /** The topic of one incident class. */
  topic(incidentClass: IncidentClass): sns.ITopic;
  /** Let `grantee` publish to the topic of one incident class. */
  grantPublish(incidentClass: IncidentClass, grantee: iam.IGrantable): iam.Grant;
  /** A CloudWatch alarm action that notifies the topic of one incident class. */
  alarmAction(incidentClass: IncidentClass): cloudwatch.IAlarmAction;
}

/** Where a SecurityAlerts deployed elsewhere is: the ARN of each class's topic and of its key. */
export interface SecurityAlertTopicsAttributes {
  readonly criticalTopicArn: string;
  readonly highTopicArn: string;
  readonly mediumTopicArn: string;
  readonly lowTopicArn: string;
  /**
   * The alerts key (publishers need `kms:GenerateDataKey`/`kms:Decrypt` on it).
   * @default - grants cover the topics only; the key's policy must allow the publishers itself
   */
  readonly encryptionKeyArn?: string;
}

class ImportedSecurityAlertTopics extends Construct implements ISecurityAlertTopics {
  private readonly topics = new Map<IncidentClass, sns.ITopic>();
  private readonly key?: kms.IKey;

  constructor(scope: Construct, id: string, attrs: SecurityAlertTopicsAttributes) {
    super(scope, id);
    const arns: Record<IncidentClass, string> = {
      CRITICAL: attrs.criticalTopicArn,
      HIGH: attrs.highTopicArn,
      MEDIUM: attrs.mediumTopicArn,
      LOW: attrs.lowTopicArn,
    };
    const errors = new PropErrors('SecurityAlerts.fromTopicArns', childPath(scope.node.path, id));
    for (const c of INCIDENT_CLASSES) {
      const arn = arns[c];
      if (
        typeof arn !== 'string' ||
        (!Token.isUnresolved(arn) && !/^arn:aws[a-zA-Z-]*:sns:[^:]+:\d{12}:[\w-]+$/.test(arn))
      )
        errors.add(`${c.toLowerCase()}TopicArn`, arn, 'an SNS topic ARN');
    }
    const keyArn = attrs.encryptionKeyArn;
    if (
      keyArn !== undefined &&
      !Token.isUnresolved(keyArn) &&
      !/^arn:aws[a-zA-Z-]*:kms:[^:]+:\d{12}:key\/[\w-]+$/.test(keyArn)
    )
      errors.add('encryptionKeyArn', keyArn, 'a KMS key ARN (arn:...:kms:<region>:<account>:key/<id>)');
    errors.throwIfAny();
    for (const c of INCIDENT_CLASSES)
      this.topics.set(c, sns.Topic.fromTopicArn(this, `${title(c)}Topic`, arns[c]));
    this.key = keyArn === undefined ? undefined : kms.Key.fromKeyArn(this, 'Key', keyArn);
  }

  public topic(incidentClass: IncidentClass): sns.ITopic {
    return this.topics.get(incidentClass)!;
  }

  public grantPublish(incidentClass: IncidentClass, grantee: iam.IGrantable): iam.Grant {
    return grantPublishTo(this.topic(incidentClass), this.key, grantee);
  }

  public alarmAction(incidentClass: IncidentClass): cloudwatch.IAlarmAction {
    return new cloudwatchActions.SnsAction(this.topic(incidentClass));
  }
}

/** `sns:Publish` on the topic and the two key actions publishing to an encrypted topic needs. */
function grantPublishTo(topic: sns.ITopic, key: kms.IKey | undefined, grantee: iam.IGrantable): iam.Grant {
  return grantThroughManagedPolicy(grantee, (g) => {
    const grant = iam.Grant.addToPrincipalOrResource({
      grantee: g,
      actions: ['sns:Publish'],
      resourceArns: [topic.topicArn],
      resource: topic,
    });
    key?.grant(g, 'kms:GenerateDataKey', 'kms:Decrypt');
    return grant;
  });
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
