import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CHECKS } from './checks';
import { DEFAULT_CLIENT_CONFIG, runAudit } from './run';
import { AuditOutput } from './result';

// Continuous mode: the baseline-audit checks, run inside the account by a scheduled Lambda
// (ContinuousAudit). Configuration comes from the environment the construct sets:
//   AUDIT_REGIONS        comma-separated regions (default: the function's own region)
//   AUDIT_CHECKS         comma-separated check names (default: all)
//   AUDIT_MAX_ROTATION_DAYS
//   ALERT_TOPIC_ARN      SNS topic that receives a readable message when anything is wrong

/** The message sent when a run finds problems: a summary, then one line per problem (at most 50). */
export function alertMessage(output: AuditOutput, account: string): { subject: string; message: string } {
  const problems = output.results.filter((r) => r.status === 'NON_COMPLIANT' || r.status === 'ERROR');
  const s = output.summary;
  const subject =
    `[baseline-audit] ${s.NON_COMPLIANT} non-compliant, ${s.ERROR} unverifiable in ${account}`.slice(0, 99);
  const lines = problems
    .slice(0, 50)
    .map((r) => `- ${r.status} ${r.check} (${r.control}) ${r.region} ${r.resource}: ${r.reason}`);
  if (problems.length > 50) lines.push(`- ... and ${problems.length - 50} more (see the function's log)`);
  const message = [
    `baseline-audit found problems in account ${account} (${output.regions.join(', ')}), ${output.generatedAt}.`,
    `${s.COMPLIANT} compliant, ${s.NON_COMPLIANT} non-compliant, ${s.ERROR} could not be verified, ${s.NOT_APPLICABLE} not applicable.`,
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
  });
  // The full result goes to the log (one JSON line), the problems to the alert topic.
  console.log(JSON.stringify(output));
  if (env.ALERT_TOPIC_ARN && output.summary.NON_COMPLIANT + output.summary.ERROR > 0) {
    const { subject, message } = alertMessage(output, event.account ?? 'this account');
    await new SNSClient({ ...DEFAULT_CLIENT_CONFIG, region: env.AWS_REGION }).send(
      new PublishCommand({ TopicArn: env.ALERT_TOPIC_ARN, Subject: subject, Message: message }),
    );
  }
  return output.summary;
}
