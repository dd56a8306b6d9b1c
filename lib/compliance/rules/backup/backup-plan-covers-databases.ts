import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/** Resource types that hold a database: each must be in a backup plan once the app has one. */
const DATABASE_TYPES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DynamoDB::Table'];

/**
 * Once an app backs anything up with AWS Backup (it has a backup selection: DATA-03 is on), every
 * database in it is in a plan (DATA-03): selected by ARN by a selection of its own stack, or tagged
 * with the key and value of a selection's tag condition in its account and region (a database in a
 * region without a plan fails). An app without any backup selection is not checked (DATA-03 is off,
 * e.g. in the dev profile). Tags known only at deploy time cannot be matched and fail (closed). An
 * Aurora instance is covered by its cluster.
 */
export const BackupPlanCoversDatabases: PolicyRule = {
  id: 'BackupPlanCoversDatabases',
  controls: ['DATA-03'],
  level: NagMessageLevel.ERROR,
  info: 'The database is in no AWS Backup plan of this app, although the app has backup plans.',
  explanation:
    'DATA-03: every stateful resource the baseline creates is backed up. Add the database to a BaselineBackup ' +
    '(addResource, or BaselineBackup.tagForBackup in another stack) or tag it security-baseline:backup=<plan>.',
  check: (cfn: CfnView) => {
    if (!DATABASE_TYPES.includes(cfn.type)) return NagRuleCompliance.NOT_APPLICABLE;
    if (cfn.type === 'AWS::RDS::DBInstance' && cfn.properties.DBClusterIdentifier !== undefined)
      return NagRuleCompliance.NOT_APPLICABLE;
    const all = backupSelections(cfn);
    if (all.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return all.some((s) => sameEnvironment(s, cfn) && selects(s, cfn))
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  found: () => 'no backup selection names it by ARN or matches its tags',
};

/** Every backup selection of the app. */
function backupSelections(cfn: CfnView): CfnView[] {
  return cfn.node.node.root.node
    .findAll()
    .filter(
      (c): c is CfnResource =>
        CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Backup::BackupSelection',
    )
    .map((c) => new CfnView(c));
}

/** Whether a selection can cover `cfn`: same account and region, as far as known at synthesis. */
function sameEnvironment(selection: CfnView, cfn: CfnView): boolean {
  const [a, b] = [Stack.of(selection.node), Stack.of(cfn.node)];
  const same = (x: string, y: string) => Token.isUnresolved(x) || Token.isUnresolved(y) || x === y;
  return same(a.region, b.region) && same(a.account, b.account);
}

function selects(selection: CfnView, cfn: CfnView): boolean {
  const body = selection.properties.BackupSelection;
  if (!isObject(body)) return false;
  // By ARN: only a selection in the same stack can reference the resource's logical ID.
  if (Stack.of(selection.node) === Stack.of(cfn.node)) {
    const byArn = asList(body.Resources).some((r) =>
      JSON.stringify(r).includes(`{"Ref":"${cfn.logicalId}"}`),
    );
    if (byArn) return true;
  }
  const tags = asList(cfn.properties.Tags).filter(isObject);
  return asList(body.ListOfTags).some(
    (t) =>
      isObject(t) &&
      t.ConditionType === 'STRINGEQUALS' &&
      typeof t.ConditionKey === 'string' &&
      typeof t.ConditionValue === 'string' &&
      tags.some((tag) => tag.Key === t.ConditionKey && tag.Value === t.ConditionValue),
  );
}
