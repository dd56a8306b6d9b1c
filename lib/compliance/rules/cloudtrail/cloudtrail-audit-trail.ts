import { asList, CfnView, isObject, NagMessageLevel, PolicyRule, partsRule } from '../rule';

/**
 * Every trail is a complete audit trail (LOG-01), as rendered: logging, multi-region, log file
 * validation, KMS-encrypted, delivered to CloudWatch Logs, and recording all management events
 * (basic selectors with IncludeManagementEvents and ReadWriteType All, or an advanced selector for
 * the Management category). Each missing part is its own finding, e.g.
 * `SecurityPolicy-CloudTrailAuditTrail[EnableLogFileValidation]`, acknowledged one by one (for
 * example on a second, data-events-only trail).
 */
export const CloudTrailAuditTrail: PolicyRule = partsRule({
  id: 'CloudTrailAuditTrail',
  controls: ['LOG-01'],
  level: NagMessageLevel.ERROR,
  info: 'The CloudTrail trail is not a complete audit trail.',
  explanation:
    'LOG-01: all regions, management events, log file validation, KMS encryption, delivery to CloudWatch Logs. ' +
    'Set IsLogging, IsMultiRegionTrail and EnableLogFileValidation true, a KMSKeyId and CloudWatchLogsLogGroupArn, ' +
    'and keep management events (AuditTrail does).',
  types: ['AWS::CloudTrail::Trail'],
  problems,
});

function problems(cfn: CfnView): [string, string][] {
  const p = cfn.properties;
  const out: [string, string][] = [];
  for (const flag of ['IsLogging', 'IsMultiRegionTrail', 'EnableLogFileValidation']) {
    if (p[flag] !== true) out.push([flag, `${flag} is ${JSON.stringify(p[flag] ?? 'unset')}`]);
  }
  for (const key of ['KMSKeyId', 'CloudWatchLogsLogGroupArn']) {
    if (p[key] === undefined) out.push([key, `${key} is not set`]);
  }
  const why = managementEventsProblem(p);
  if (why) out.push(['ManagementEvents', why]);
  return out;
}

function managementEventsProblem(p: Record<string, unknown>): string | undefined {
  if (p.AdvancedEventSelectors !== undefined) {
    const management = asList(p.AdvancedEventSelectors).some(
      (s) =>
        isObject(s) &&
        asList(s.FieldSelectors).some(
          (f) => isObject(f) && f.Field === 'eventCategory' && asList(f.Equals).includes('Management'),
        ),
    );
    return management ? undefined : 'no advanced event selector records the Management event category';
  }
  if (p.EventSelectors === undefined) return undefined; // CloudTrail's default: all management events
  const all = asList(p.EventSelectors).some(
    (s) => isObject(s) && s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') === 'All',
  );
  return all ? undefined : 'no event selector records all (read and write) management events';
}
