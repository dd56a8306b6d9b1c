import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * Every GuardDuty detector is enabled and publishes findings every 15 minutes (DET-01), as rendered.
 * Each missing part is its own finding (`[Enable]`, `[FindingPublishingFrequency]`).
 */
export const GuardDutyDetectorEnabled: PolicyRule = {
  id: 'GuardDutyDetectorEnabled',
  controls: ['DET-01'],
  level: NagMessageLevel.ERROR,
  info: 'The GuardDuty detector is disabled or publishes findings less often than every 15 minutes.',
  explanation:
    'DET-01: threat detection is on, with 15-minute finding publication for near real-time alerting. Set Enable: true ' +
    'and FindingPublishingFrequency: FIFTEEN_MINUTES (ThreatDetection does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::GuardDuty::Detector') return NagRuleCompliance.NOT_APPLICABLE;
    const missing = problems(cfn).map(([part]) => part);
    return missing.length === 0 ? NagRuleCompliance.COMPLIANT : missing;
  },
  found: (cfn: CfnView) =>
    problems(cfn)
      .map(([, why]) => why)
      .join('; '),
};

function problems(cfn: CfnView): [string, string][] {
  const p = cfn.properties;
  const out: [string, string][] = [];
  if (p.Enable !== true) out.push(['Enable', `Enable is ${JSON.stringify(p.Enable ?? 'unset')}`]);
  if (p.FindingPublishingFrequency !== 'FIFTEEN_MINUTES')
    out.push([
      'FindingPublishingFrequency',
      `FindingPublishingFrequency is ${JSON.stringify(p.FindingPublishingFrequency ?? 'unset (SIX_HOURS)')}`,
    ]);
  return out;
}
