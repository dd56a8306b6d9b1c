import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * An AWS Config recorder records every supported resource type (DET-03): `RecordingGroup.AllSupported`
 * true, or the `ALL_SUPPORTED_RESOURCE_TYPES` recording strategy, with no exclusions. A recorder
 * limited to a list of types misses drift in everything else. No public pack checks the recorder.
 * A value known only at deploy time fails closed.
 */
export const ConfigRecorderAllSupported: PolicyRule = {
  id: 'ConfigRecorderAllSupported',
  controls: ['DET-03'],
  level: NagMessageLevel.ERROR,
  info: 'The AWS Config recorder does not record all supported resource types.',
  explanation:
    'DET-03 records the configuration of every supported resource, so drift after deploy shows up anywhere. Set ' +
    'RecordingGroup.AllSupported: true (ConfigRecording does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::Config::ConfigurationRecorder') return NagRuleCompliance.NOT_APPLICABLE;
    const group = cfn.properties.RecordingGroup;
    // Without a recording group, Config records all supported types.
    if (group === undefined) return NagRuleCompliance.COMPLIANT;
    if (!isObject(group)) return NagRuleCompliance.NON_COMPLIANT;
    const strategy = isObject(group.RecordingStrategy) ? group.RecordingStrategy.UseOnly : undefined;
    const all = group.AllSupported === true || strategy === 'ALL_SUPPORTED_RESOURCE_TYPES';
    const excludes =
      isObject(group.ExclusionByResourceTypes) &&
      Array.isArray(group.ExclusionByResourceTypes.ResourceTypes) &&
      group.ExclusionByResourceTypes.ResourceTypes.length > 0;
    return all && !excludes ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) =>
    `RecordingGroup is ${JSON.stringify(cfn.properties.RecordingGroup)}; use ConfigRecording or set AllSupported: true with no exclusions`,
};
