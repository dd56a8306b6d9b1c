import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** Every bucket keeps object versions (DATA-01), as rendered: a hatch that suspends versioning is caught. */
export const S3BucketVersioned: PolicyRule = {
  id: 'S3BucketVersioned',
  controls: ['DATA-01'],
  level: NagMessageLevel.ERROR,
  info: 'The S3 bucket does not have versioning enabled.',
  explanation:
    'DATA-01: buckets are versioned, so an overwrite or delete can be undone. Set VersioningConfiguration Status ' +
    'Enabled (versioned: true; SecureBucket does).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    const v = cfn.properties.VersioningConfiguration;
    return isObject(v) && v.Status === 'Enabled'
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => {
    const v = cfn.properties.VersioningConfiguration;
    return `VersioningConfiguration.Status is ${JSON.stringify(isObject(v) ? v.Status : 'unset')}; set versioned: true`;
  },
};
