import { CfnView, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** Resource types that hold data, and the deletion policies that keep it. */
const STATEFUL: Record<string, readonly string[]> = {
  'AWS::KMS::Key': ['Retain'],
  'AWS::S3::Bucket': ['Retain'],
  'AWS::Logs::LogGroup': ['Retain'],
  'AWS::SecretsManager::Secret': ['Retain'],
  'AWS::Backup::BackupVault': ['Retain'],
  'AWS::DynamoDB::Table': ['Retain', 'Snapshot'],
  'AWS::DynamoDB::GlobalTable': ['Retain'],
  'AWS::RDS::DBInstance': ['Retain', 'Snapshot'],
  'AWS::RDS::DBCluster': ['Retain', 'Snapshot'],
  'AWS::EFS::FileSystem': ['Retain'],
};

/**
 * Nothing that holds data is deleted with its stack or replaced away by an update (DATA-05, ENC-04):
 * `DeletionPolicy` and `UpdateReplacePolicy` are Retain (or Snapshot where the service supports it).
 * Each missing policy is its own finding (`[DeletionPolicy]`, `[UpdateReplacePolicy]`).
 */
export const StatefulResourceRetained: PolicyRule = {
  id: 'StatefulResourceRetained',
  controls: ['DATA-05', 'ENC-04'],
  level: NagMessageLevel.ERROR,
  info: 'The resource holds data but would be deleted with its stack or on replacement.',
  explanation:
    'DATA-05: nothing that holds data is deleted by a stack update or cdk destroy. Set removalPolicy: RemovalPolicy.RETAIN ' +
    '(or SNAPSHOT for databases), which renders DeletionPolicy and UpdateReplacePolicy.',
  check: (cfn: CfnView) => {
    const allowed = STATEFUL[cfn.type];
    if (allowed === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    // A database instance inside an Aurora cluster is removed with its cluster, which carries the policy.
    if (cfn.type === 'AWS::RDS::DBInstance' && cfn.properties.DBClusterIdentifier !== undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings: string[] = [];
    if (!allowed.includes(cfn.deletionPolicy ?? 'Delete')) findings.push('DeletionPolicy');
    if (!allowed.includes(cfn.updateReplacePolicy ?? 'Delete')) findings.push('UpdateReplacePolicy');
    return findings.length === 0 ? NagRuleCompliance.COMPLIANT : findings;
  },
  found: (cfn: CfnView) =>
    `DeletionPolicy is ${cfn.deletionPolicy ?? 'Delete (the default)'}, UpdateReplacePolicy is ${cfn.updateReplacePolicy ?? 'Delete (the default)'}; ` +
    `set removalPolicy: RemovalPolicy.RETAIN${(STATEFUL[cfn.type] ?? []).includes('Snapshot') ? ' (or SNAPSHOT)' : ''}`,
};
