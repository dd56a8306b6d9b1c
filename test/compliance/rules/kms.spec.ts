import { CfnParameter, Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { KmsKeyRotationPeriod } from '../../../lib/compliance/rules';
import { BaselineKey } from '../../../lib/constructs/baseline-key';
import { check, DEFAULT_OPTIONS } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;
const cfnKey = (key: kms.Key) => key.node.defaultChild as kms.CfnKey;

describe('SecurityPolicy-KMSKeyRotationPeriod', () => {
  test('compliant: a BaselineKey (90 days)', () => {
    expect(check(KmsKeyRotationPeriod, (s) => cfnKey(new BaselineKey(s, 'K', { alias: 'k' })))).toBe(
      COMPLIANT,
    );
  });

  test('non-compliant: rotation every 365 days, which passes every public pack', () => {
    expect(
      check(KmsKeyRotationPeriod, (s) =>
        cfnKey(new kms.Key(s, 'K', { enableKeyRotation: true, rotationPeriod: Duration.days(365) })),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('non-compliant: rotation on without a period (KMS defaults to 365 days)', () => {
    expect(check(KmsKeyRotationPeriod, (s) => cfnKey(new kms.Key(s, 'K', { enableKeyRotation: true })))).toBe(
      NON_COMPLIANT,
    );
  });

  test('non-compliant: rotation off', () => {
    expect(
      check(KmsKeyRotationPeriod, (s) => cfnKey(new kms.Key(s, 'K', { enableKeyRotation: false }))),
    ).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a raw override that weakens a compliant key is seen', () => {
    const result = check(KmsKeyRotationPeriod, (s) => {
      const key = cfnKey(new BaselineKey(s, 'K', { alias: 'k' }));
      key.addPropertyOverride('RotationPeriodInDays', 180);
      return key;
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant (fail closed): a period known only at deploy time', () => {
    const result = check(KmsKeyRotationPeriod, (s) => {
      const days = new CfnParameter(s, 'Days', { type: 'Number' });
      return new kms.CfnKey(s, 'K', { enableKeyRotation: true, rotationPeriodInDays: days.valueAsNumber });
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('follows the policy maximum it is given', () => {
    const build = (s: any) =>
      cfnKey(new kms.Key(s, 'K', { enableKeyRotation: true, rotationPeriod: Duration.days(180) }));
    expect(check(KmsKeyRotationPeriod, build, { ...DEFAULT_OPTIONS, maxKeyRotationDays: 180 })).toBe(
      COMPLIANT,
    );
    expect(check(KmsKeyRotationPeriod, build, { ...DEFAULT_OPTIONS, maxKeyRotationDays: 90 })).toBe(
      NON_COMPLIANT,
    );
  });

  test('not applicable: asymmetric, HMAC and imported-material keys, and other resources', () => {
    expect(
      check(KmsKeyRotationPeriod, (s) =>
        cfnKey(new kms.Key(s, 'K', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY })),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(
      check(KmsKeyRotationPeriod, (s) =>
        cfnKey(
          new kms.Key(s, 'K', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }),
        ),
      ),
    ).toBe(NOT_APPLICABLE);
    expect(check(KmsKeyRotationPeriod, (s) => new kms.CfnKey(s, 'K', { origin: 'EXTERNAL' }))).toBe(
      NOT_APPLICABLE,
    );
    expect(
      check(
        KmsKeyRotationPeriod,
        (s) => new kms.CfnAlias(s, 'A', { aliasName: 'alias/x', targetKeyId: 'x' }),
      ),
    ).toBe(NOT_APPLICABLE);
  });
});
