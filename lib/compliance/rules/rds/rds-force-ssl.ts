import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** The parameter that forces TLS, by engine family, and the values that turn it on. */
const FORCE_SSL: { engine: RegExp; parameter: string; on: readonly string[] }[] = [
  { engine: /postgres/, parameter: 'rds.force_ssl', on: ['1'] },
  { engine: /sqlserver/, parameter: 'rds.force_ssl', on: ['1'] },
  { engine: /mysql|mariadb/, parameter: 'require_secure_transport', on: ['1', 'ON'] },
];

/**
 * RDS instances and clusters force TLS through their parameter group (ENC-05, DATA-02):
 * `rds.force_ssl = 1` (PostgreSQL, SQL Server) or `require_secure_transport = ON` (MySQL, MariaDB).
 */
export const RdsForceSsl: PolicyRule = {
  id: 'RDSForceSSL',
  controls: ['ENC-05', 'DATA-02'],
  level: NagMessageLevel.ERROR,
  info: "The database's parameter group does not force TLS connections.",
  explanation:
    'ENC-05: RDS forces SSL. Attach a parameter group in this stack with rds.force_ssl = 1 (PostgreSQL, SQL Server) ' +
    'or require_secure_transport = ON (MySQL, MariaDB); the default parameter group does not guarantee it.',
  check: (cfn: CfnView) => {
    let groupRef: unknown;
    let groupType: string;
    if (cfn.type === 'AWS::RDS::DBInstance') {
      // Instances of an Aurora cluster take TLS settings from the cluster's parameter group.
      if (cfn.properties.DBClusterIdentifier !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
      groupRef = cfn.properties.DBParameterGroupName;
      groupType = 'AWS::RDS::DBParameterGroup';
    } else if (cfn.type === 'AWS::RDS::DBCluster') {
      groupRef = cfn.properties.DBClusterParameterGroupName;
      groupType = 'AWS::RDS::DBClusterParameterGroup';
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const engine = String(cfn.properties.Engine ?? '').toLowerCase();
    const rule = FORCE_SSL.find((r) => r.engine.test(engine));
    // Oracle and Db2 configure TLS through option groups / listeners, not a parameter.
    if (rule === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const group = cfn.referenced(groupRef, groupType);
    const params = group && isObject(group.properties.Parameters) ? group.properties.Parameters : {};
    const value = params[rule.parameter];
    return value !== undefined && rule.on.includes(String(value).toUpperCase())
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => {
    const cluster = cfn.type === 'AWS::RDS::DBCluster';
    const group = cfn.referenced(
      cluster ? cfn.properties.DBClusterParameterGroupName : cfn.properties.DBParameterGroupName,
      cluster ? 'AWS::RDS::DBClusterParameterGroup' : 'AWS::RDS::DBParameterGroup',
    );
    const rule = FORCE_SSL.find((r) => r.engine.test(String(cfn.properties.Engine ?? '').toLowerCase()));
    if (!group || !rule)
      return 'no parameter group of this stack is attached (the default group does not force TLS); use SecureDatabase';
    const params = isObject(group.properties.Parameters) ? group.properties.Parameters : {};
    return `parameter group ${group.logicalId} sets ${rule.parameter} = ${JSON.stringify(params[rule.parameter] ?? 'unset')}; set it to ${rule.on[0]}`;
  },
};
