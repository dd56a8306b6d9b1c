import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KeyMetadata,
  KMSClient,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { AuditCheck, CheckContext, mapBounded } from '../context';
import { AuditResult, describeError } from '../result';

/** Key states in which a key is not in use and rotation does not matter. */
const INACTIVE_STATES: Record<string, string> = {
  Disabled: 'the key is disabled',
  PendingDeletion: 'the key is pending deletion',
  PendingReplicaDeletion: 'the replica key is pending deletion',
  PendingImport: 'the key awaits imported key material',
  Unavailable: 'the key is unavailable (its custom key store is disconnected)',
};

/**
 * Why a key is outside ENC-02 (customer-managed, symmetric, KMS-generated material, in use), or
 * undefined when rotation applies to it.
 */
export function notApplicableReason(key: KeyMetadata): string | undefined {
  if (key.KeyManager === 'AWS')
    return 'AWS-managed key: AWS rotates it every year and the period cannot be set';
  if (key.KeySpec && key.KeySpec !== 'SYMMETRIC_DEFAULT') {
    return key.KeySpec.startsWith('HMAC')
      ? `HMAC key (${key.KeySpec}): KMS cannot rotate it automatically`
      : `asymmetric key (${key.KeySpec}): KMS cannot rotate it automatically`;
  }
  if (key.Origin === 'EXTERNAL') return 'imported key material: KMS cannot rotate it automatically';
  if (key.Origin === 'AWS_CLOUDHSM' || key.Origin === 'EXTERNAL_KEY_STORE')
    return `key in a custom key store (${key.Origin}): KMS cannot rotate it automatically`;
  if (key.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA')
    return 'multi-Region replica: it rotates with its primary key';
  const inactive = key.KeyState ? INACTIVE_STATES[key.KeyState] : undefined;
  return inactive;
}

/** ENC-02: every customer-managed symmetric key rotates automatically at least every `maxRotationDays`. */
export const kmsCheck: AuditCheck = {
  name: 'kms',
  control: 'ENC-02',
  description: 'customer-managed symmetric KMS keys rotate automatically within the policy period',
  permissions: ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const client = new KMSClient({ ...context.clientConfig, region: context.region });
    const keyIds: string[] = [];
    for await (const page of paginateListKeys({ client, pageSize: 1000 }, {})) {
      for (const k of page.Keys ?? []) if (k.KeyId) keyIds.push(k.KeyArn ?? k.KeyId);
      context.progress?.({ check: 'kms', region: context.region, found: keyIds.length });
    }
    let done = 0;
    return mapBounded(keyIds, context.concurrency, async (keyId) => {
      const result = await classifyKey(client, keyId, context);
      context.progress?.({ check: 'kms', region: context.region, done: ++done });
      return result;
    });
  },
};

async function classifyKey(client: KMSClient, keyId: string, context: CheckContext): Promise<AuditResult> {
  const base = {
    check: 'kms',
    control: 'ENC-02',
    region: context.region,
    resourceType: 'AWS::KMS::Key',
    resource: keyId,
  };
  try {
    const { KeyMetadata: key } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    if (!key) return { ...base, status: 'ERROR', reason: 'DescribeKey returned no key metadata' };
    const resource = key.Arn ?? keyId;
    const na = notApplicableReason(key);
    if (na) return { ...base, resource, status: 'NOT_APPLICABLE', reason: na };
    const rotation = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    if (!rotation.KeyRotationEnabled) {
      return { ...base, resource, status: 'NON_COMPLIANT', reason: 'automatic rotation is off' };
    }
    const period = rotation.RotationPeriodInDays;
    if (period === undefined) {
      return {
        ...base,
        resource,
        status: 'NON_COMPLIANT',
        reason: 'rotation is on but KMS reported no period (the default is 365 days)',
      };
    }
    return period <= context.maxRotationDays
      ? {
          ...base,
          resource,
          status: 'COMPLIANT',
          reason: `rotates every ${period} days (policy: at most ${context.maxRotationDays})`,
        }
      : {
          ...base,
          resource,
          status: 'NON_COMPLIANT',
          reason: `rotates every ${period} days; the policy allows at most ${context.maxRotationDays}`,
        };
  } catch (e) {
    return { ...base, status: 'ERROR', reason: describeError(e) };
  }
}
