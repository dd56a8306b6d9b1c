import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CHECKS } from './checks';
import { DEFAULT_CLIENT_CONFIG, runAudit, timeoutClientConfig } from './run';
import { AuditOutput } from './result';

// Continuous mode: the baseline-audit checks, run inside the account by a scheduled Lambda
// (ContinuousAudit). Configuration comes from the environment the construct sets:
//   AUDIT_REGIONS        comma-separated regions (default: the function's own region)
//   AUDIT_CHECKS         comma-separated check names (default: all)
//   AUDIT_MAX_ROTATION_DAYS
//   AUDIT_DEADLINE_SECONDS  the whole run (default 480: the function times out at 600)
//   ALERT_TOPIC_ARN      SNS topic that receives a readable message when anything is wrong
// Checks that fail (denied, throttled, timed out) become NOT_CHECKED results and are alerted too;
// each check is bounded in time so the function ends before its own timeout.

/** The message sent when a run finds problems: a summary, then one line per problem (at most 50). */
export function alertMessage(output: AuditOutput, account: string): { subject: string; message: string } {
  const problems = output.results.filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'NOT_CHECKED');
  const s = output.summary;
  const subject =
    `[baseline-audit] ${s.NON_COMPLIANT} non-compliant, ${s.NOT_CHECKED} not checked in ${account}`.slice(
      0,
      99,
    );
  const lines = problems
    .slice(0, 50)
    .map((r) => `- ${r.status} ${r.control} ${r.check} ${r.region} ${r.resource}: ${r.reason}`);
  if (problems.length > 50) lines.push(`- ... and ${problems.length - 50} more (see the function's log)`);
  const message = [
    `baseline-audit found problems in account ${account} (${output.regions.join(', ')}), ${output.generatedAt}.`,
    `${s.COMPLIANT} compliant, ${s.NON_COMPLIANT} non-compliant, ${s.NOT_CHECKED} could not be checked, ${s.NOT_APPLICABLE} not applicable.`,
    '',
    ...lines,
  ].join('\n');
  return { subject, message };
}

export async function handler(event: { account?: string } = {}): Promise<AuditOutput['summary']> {
  const env = process.env;
  const regions = (env.AUDIT_REGIONS || env.AWS_REGION || '').split(',').filter(Boolean);
  const names = (env.AUDIT_CHECKS || '').split(',').filter(Boolean);
  const output = await runAudit({
    regions,
    checks: names.length > 0 ? CHECKS.filter((c) => names.includes(c.name)) : CHECKS,
    maxRotationDays: Number(env.AUDIT_MAX_ROTATION_DAYS || 90),
    // The function has 10 minutes (ContinuousAudit): calls, checks and the whole run are bounded so
    // that a hang ends as NOT_CHECKED results and the alert is still sent.
    callTimeoutMs: 30_000,
    checkTimeoutMs: 120_000,
    deadlineMs: Number(env.AUDIT_DEADLINE_SECONDS || 480) * 1000,
  });
  // The full result goes to the log (one JSON line), the problems to the alert topic.
  console.log(JSON.stringify(output));
  if (env.ALERT_TOPIC_ARN && output.summary.NON_COMPLIANT + output.summary.NOT_CHECKED > 0) {
    const { subject, message } = alertMessage(output, event.account ?? output.account ?? 'this account');
    await new SNSClient({
      ...DEFAULT_CLIENT_CONFIG,
      ...timeoutClientConfig(10_000),
      region: env.AWS_REGION,
    }).send(new PublishCommand({ TopicArn: env.ALERT_TOPIC_ARN, Subject: subject, Message: message }));
  }
  return output.summary;
}
