import { CfnView, NagMessageLevel, PolicyRule, partsRule } from '../rule';

/**
 * Databases are encrypted with a customer-managed key and not publicly accessible (DATA-02, ENC-01),
 * as rendered: `StorageEncrypted: false` or `PubliclyAccessible: true` forced by an escape hatch is
 * caught. Each missing part is its own finding (`[StorageEncrypted]`, `[KmsKeyId]`,
 * `[PubliclyAccessible]`). Cluster members and read replicas take their storage from the cluster or
 * source, so only their public access is checked here.
 */
export const RdsEncryptedAndPrivate: PolicyRule = partsRule({
  id: 'RdsEncryptedAndPrivate',
  controls: ['DATA-02', 'ENC-01'],
  level: NagMessageLevel.ERROR,
  info: 'The RDS database is not encrypted with a customer-managed key, or is publicly accessible.',
  explanation:
    'DATA-02: storage encrypted with a CMK, in isolated subnets. Set StorageEncrypted: true with a KmsKeyId and ' +
    'leave PubliclyAccessible false (SecureDatabase does).',
  types: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  problems,
});

function problems(cfn: CfnView): [string, string][] {
  const p = cfn.properties;
  const out: [string, string][] = [];
  const storageElsewhere =
    cfn.type === 'AWS::RDS::DBInstance' &&
    (p.DBClusterIdentifier !== undefined || p.SourceDBInstanceIdentifier !== undefined);
  if (!storageElsewhere) {
    if (p.StorageEncrypted !== true)
      out.push(['StorageEncrypted', `StorageEncrypted is ${JSON.stringify(p.StorageEncrypted ?? 'unset')}`]);
    if (p.KmsKeyId === undefined)
      out.push(['KmsKeyId', 'no KmsKeyId (the AWS managed aws/rds key, or none)']);
  }
  if (p.PubliclyAccessible === true) out.push(['PubliclyAccessible', 'PubliclyAccessible is true']);
  return out;
}
