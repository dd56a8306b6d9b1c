import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SecurityAlerts } from './security-alerts';
import { IncidentClass } from './severity';

/**
 * An EventBridge target that publishes a readable message to the topic of one SecurityAlerts
 * incident class. Like SecurityAlerts' own rules, it adds no permissions: the topic and key policies
 * of SecurityAlerts already let EventBridge of this account (and only this account) publish, while
 * `targets.SnsTopic` would add an unconditioned grant to `events.amazonaws.com`.
 *
 * Internal to the library (not exported from the package).
 */
export class AlertTopicTarget implements events.IRuleTarget {
  private readonly topic: sns.ITopic;

  constructor(
    alerts: SecurityAlerts,
    incidentClass: IncidentClass,
    private readonly message: events.RuleTargetInput,
  ) {
    this.topic = alerts.topic(incidentClass);
  }

  public bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: this.message, targetResource: this.topic };
  }
}
