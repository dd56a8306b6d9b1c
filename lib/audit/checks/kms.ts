import type {
  DescribeKeyCommandOutput,
  GetKeyPolicyCommandOutput,
  GetKeyRotationStatusCommandOutput,
  KeyMetadata,
  KMSClient,
  ListKeysCommandOutput,
} from '@aws-sdk/client-kms';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { kmsSdk } from '../sdk';

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
  return key.KeyState ? INACTIVE_STATES[key.KeyState] : undefined;
}

/**
 * ENC-03 "the account keeps administrative access": some Allow statement gives the account root
 * principal `kms:*` on the key. Returns the problem, or undefined when the policy keeps it.
 */
export function keyPolicyProblem(
  policyText: string | undefined,
  account: string | undefined,
): string | undefined {
  if (!policyText) return 'the key has no key policy';
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText);
  } catch {
    return 'the key policy is not valid JSON';
  }
  const statements = ([] as unknown[]).concat(policy.Statement ?? []) as Record<string, unknown>[];
  const asList = (v: unknown): string[] => ([] as unknown[]).concat(v ?? []).map(String);
  const isRoot = (p: string) => p === account || new RegExp(`^arn:aws[a-z-]*:iam::${account}:root$`).test(p);
  const keeps = statements.some((s) => {
    if (s.Effect !== 'Allow' || s.Condition) return false;
    const principal = s.Principal as { AWS?: unknown } | string | undefined;
    const principals = typeof principal === 'string' ? [principal] : asList(principal?.AWS);
    return principals.some(isRoot) && asList(s.Action).some((a) => a === 'kms:*' || a === '*');
  });
  return keeps
    ? undefined
    : `no unconditional Allow of kms:* to the account root (arn:aws:iam::${account}:root): risk of lock-out`;
}

/**
 * ENC-02: every customer-managed symmetric key in use rotates automatically at least every
 * `maxRotationDays`. ENC-03: its key policy keeps the account's administrative access.
 */
export const kmsCheck: AuditCheck = {
  name: 'kms',
  controls: ['ENC-02', 'ENC-03'],
  description:
    'customer-managed keys rotate within the policy period; key policies keep account admin access',
  permissions: CHECK_PERMISSIONS.kms,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { KMSClient, ListKeysCommand } = kmsSdk();
    const client = new KMSClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('kms', 'ENC-02', context.region, 'AWS::KMS::Key');
    let keyIds: string[];
    try {
      keyIds = await listAll(context, 'ListKeys', async (Marker) => {
        const page = await call<ListKeysCommandOutput>(
          context,
          client,
          new ListKeysCommand({ Marker, Limit: 1000 }),
        );
        context.progress?.({ check: 'kms', region: context.region, found: page.Keys?.length ?? 0 });
        return {
          items: (page.Keys ?? []).flatMap((k) => ((k.KeyArn ?? k.KeyId) ? [k.KeyArn ?? k.KeyId!] : [])),
          next: page.Truncated ? page.NextMarker : undefined,
        };
      });
    } catch (e) {
      return [r.notChecked(`KMS keys in ${context.region}`, e)];
    }
    if (keyIds.length === 0)
      return [
        r.notApplicable(`KMS keys in ${context.region}`, 'no KMS keys in this region: nothing to rotate'),
      ];
    let done = 0;
    const perKey = await mapBounded(keyIds, context.concurrency, async (keyId) => {
      const results = await classifyKey(client, keyId, context);
      context.progress?.({ check: 'kms', region: context.region, done: ++done });
      return results;
    });
    return perKey.flat();
  },
};

async function classifyKey(client: KMSClient, keyId: string, context: CheckContext): Promise<AuditResult[]> {
  const { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand } = kmsSdk();
  const r = resultsFor('kms', 'ENC-02', context.region, 'AWS::KMS::Key');
  let key: KeyMetadata | undefined;
  try {
    key = (await call<DescribeKeyCommandOutput>(context, client, new DescribeKeyCommand({ KeyId: keyId })))
      .KeyMetadata;
  } catch (e) {
    return [r.notChecked(keyId, e)];
  }
  if (!key) return [r.notChecked(keyId, 'DescribeKey returned no key metadata')];
  const resource = key.Arn ?? keyId;
  const na = notApplicableReason(key);
  if (na) return [r.notApplicable(resource, na)];

  const results: AuditResult[] = [];
  try {
    const rotation = await call<GetKeyRotationStatusCommandOutput>(
      context,
      client,
      new GetKeyRotationStatusCommand({ KeyId: keyId }),
    );
    const period = rotation.RotationPeriodInDays;
    if (!rotation.KeyRotationEnabled) results.push(r.nonCompliant(resource, 'automatic rotation is off'));
    else if (period === undefined)
      results.push(
        r.nonCompliant(resource, 'rotation is on but KMS reported no period (the default is 365 days)'),
      );
    else
      results.push(
        period <= context.maxRotationDays
          ? r.compliant(
              resource,
              `enabled; rotates every ${period} days (policy: at most ${context.maxRotationDays})`,
            )
          : r.nonCompliant(
              resource,
              `rotates every ${period} days; the policy allows at most ${context.maxRotationDays}`,
            ),
      );
  } catch (e) {
    results.push(r.notChecked(resource, e));
  }
  try {
    const policy = await call<GetKeyPolicyCommandOutput>(
      context,
      client,
      new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }),
    );
    const account = key.AWSAccountId ?? resource.split(':')[4];
    if (!account || !/^\d{12}$/.test(account))
      throw new Error("the key's account is unknown (no AWSAccountId in DescribeKey, no account in its ARN)");
    const problem = keyPolicyProblem(policy.Policy, account);
    results.push(
      problem
        ? r.nonCompliant(resource, problem, 'ENC-03')
        : r.compliant(resource, 'key policy keeps the account administrative access', 'ENC-03'),
    );
  } catch (e) {
    results.push(r.notChecked(resource, e, 'ENC-03'));
  }
  return results;
}
