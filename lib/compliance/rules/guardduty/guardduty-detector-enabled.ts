import { CfnView, NagMessageLevel, PolicyRule, partsRule } from '../rule';

/**
 * Every GuardDuty detector is enabled and publishes findings every 15 minutes (DET-01), as rendered.
 * Each missing part is its own finding (`[Enable]`, `[FindingPublishingFrequency]`).
 */
export const GuardDutyDetectorEnabled: PolicyRule = partsRule({
  id: 'GuardDutyDetectorEnabled',
  controls: ['DET-01'],
  level: NagMessageLevel.ERROR,
  info: 'The GuardDuty detector is disabled or publishes findings less often than every 15 minutes.',
  explanation:
    'DET-01: threat detection is on, with 15-minute finding publication for near real-time alerting. Set Enable: true ' +
    'and FindingPublishingFrequency: FIFTEEN_MINUTES (ThreatDetection does).',
  types: ['AWS::GuardDuty::Detector'],
  problems,
});

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
