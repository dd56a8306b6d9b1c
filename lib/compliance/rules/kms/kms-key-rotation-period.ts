import {
  CfnView,
  isIntrinsic,
  NagMessageLevel,
  NagRuleCompliance,
  PolicyRule,
  PolicyRuleOptions,
} from '../rule';

/** KMS's rotation period when `RotationPeriodInDays` is not set. */
const KMS_DEFAULT_ROTATION_DAYS = 365;

/**
 * Symmetric customer-managed keys rotate automatically at least as often as the policy says
 * (policy 003: every 90 days). Public packs only check that rotation is on, so a key rotating every
 * 365 days passes them; it fails here.
 */
export const KmsKeyRotationPeriod: PolicyRule = {
  id: 'KMSKeyRotationPeriod',
  controls: ['ENC-02'],
  level: NagMessageLevel.ERROR,
  info: 'The KMS key does not rotate automatically within the policy period (RotationPeriodInDays).',
  explanation:
    'Policy 003 requires key rotation every 90 days. KMS rotates every 365 days unless RotationPeriodInDays is set; ' +
    'set EnableKeyRotation: true and RotationPeriodInDays to the policy period (BaselineKey does).',
  check: (cfn: CfnView, options: PolicyRuleOptions) => {
    if (cfn.type !== 'AWS::KMS::Key') return NagRuleCompliance.NOT_APPLICABLE;
    const p = cfn.properties;
    // Only symmetric encryption keys with KMS-generated material can rotate automatically. A spec
    // known only at deploy time is treated as the symmetric default, so the key is still checked.
    const differs = (value: unknown, symmetric: string) => typeof value === 'string' && value !== symmetric;
    if (
      differs(p.KeySpec, 'SYMMETRIC_DEFAULT') ||
      differs(p.KeyUsage, 'ENCRYPT_DECRYPT') ||
      differs(p.Origin, 'AWS_KMS')
    ) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // A value known only at deploy time cannot be proven compliant: fail closed.
    if (p.EnableKeyRotation !== true) return NagRuleCompliance.NON_COMPLIANT;
    const period = p.RotationPeriodInDays ?? KMS_DEFAULT_ROTATION_DAYS;
    if (isIntrinsic(period) || typeof period !== 'number') return NagRuleCompliance.NON_COMPLIANT;
    return period <= options.maxKeyRotationDays
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView, options: PolicyRuleOptions) => {
    const p = cfn.properties;
    const fix = `use BaselineKey or set rotationPeriod to at most ${options.maxKeyRotationDays} days`;
    if (p.EnableKeyRotation !== true)
      return `EnableKeyRotation is ${JSON.stringify(p.EnableKeyRotation ?? 'unset')}; ${fix}`;
    const period = p.RotationPeriodInDays;
    return period === undefined
      ? `RotationPeriodInDays is unset (KMS rotates every ${KMS_DEFAULT_ROTATION_DAYS} days); ${fix}`
      : `RotationPeriodInDays is ${JSON.stringify(period)}; ${fix}`;
  },
};
