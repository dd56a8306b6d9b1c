import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { NagRuleCompliance } from 'cdk-nag';
import {
  BackupPlanCoversDatabases,
  BackupVaultCustomerManagedKey,
  BackupVaultDeniesRecoveryPointDeletion,
  BackupVaultLocked,
  CfnView,
} from '../../../lib/compliance/rules';
import {
  BackupVaultLockMode,
  BaselineBackup,
  SecureBackupVault,
} from '../../../lib/constructs/secure-backup';
import { testApp, testStack } from '../../helpers';
import { check, DEFAULT_OPTIONS } from './helpers';

const { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE } = NagRuleCompliance;
const cfnVault = (v: backup.BackupVault) => v.node.defaultChild as backup.CfnBackupVault;
const secureVault = (s: any, props = {}) => cfnVault(new SecureBackupVault(s, 'V', props).vault);

describe('SecurityPolicy-BackupVaultCustomerManagedKey', () => {
  test('compliant: a SecureBackupVault (its own BaselineKey)', () => {
    expect(check(BackupVaultCustomerManagedKey, (s) => secureVault(s))).toBe(COMPLIANT);
  });

  test('compliant: a vault with a kms.Key of the same stack', () => {
    const result = check(BackupVaultCustomerManagedKey, (s) =>
      cfnVault(new backup.BackupVault(s, 'V', { encryptionKey: new kms.Key(s, 'K') })),
    );
    expect(result).toBe(COMPLIANT);
  });

  test('non-compliant: a vault without a key (AWS Backup then uses the AWS-managed aws/backup key)', () => {
    expect(check(BackupVaultCustomerManagedKey, (s) => cfnVault(new backup.BackupVault(s, 'V')))).toBe(
      NON_COMPLIANT,
    );
  });

  test('non-compliant: the AWS-managed key by alias', () => {
    const result = check(
      BackupVaultCustomerManagedKey,
      (s) =>
        new backup.CfnBackupVault(s, 'V', { backupVaultName: 'v', encryptionKeyArn: 'alias/aws/backup' }),
    );
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a raw override that removes the key of a compliant vault is seen', () => {
    const result = check(BackupVaultCustomerManagedKey, (s) => {
      const v = secureVault(s);
      v.addPropertyDeletionOverride('EncryptionKeyArn');
      return v;
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant (fail closed): a key known only at deploy time, or imported, cannot be proven customer-managed', () => {
    expect(
      check(BackupVaultCustomerManagedKey, (s) => {
        const key = new CfnParameter(s, 'KeyArn');
        return new backup.CfnBackupVault(s, 'V', {
          backupVaultName: 'v',
          encryptionKeyArn: key.valueAsString,
        });
      }),
    ).toBe(NON_COMPLIANT);
    expect(
      check(
        BackupVaultCustomerManagedKey,
        (s) =>
          new backup.CfnBackupVault(s, 'V', {
            backupVaultName: 'v',
            encryptionKeyArn: Fn.importValue('KeyArn'),
          }),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(check(BackupVaultCustomerManagedKey, (s) => new kms.CfnKey(s, 'K', {}))).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-BackupVaultLocked', () => {
  test('compliant: governance mode (the default) and compliance mode', () => {
    expect(check(BackupVaultLocked, (s) => secureVault(s))).toBe(COMPLIANT);
    expect(
      check(BackupVaultLocked, (s) => secureVault(s, { lockMode: BackupVaultLockMode.COMPLIANCE })),
    ).toBe(COMPLIANT);
  });

  test('non-compliant: a vault without Vault Lock, including a SecureBackupVault with lockMode NONE', () => {
    expect(
      check(BackupVaultLocked, (s) =>
        cfnVault(new backup.BackupVault(s, 'V', { encryptionKey: new kms.Key(s, 'K') })),
      ),
    ).toBe(NON_COMPLIANT);
    expect(check(BackupVaultLocked, (s) => secureVault(s, { lockMode: BackupVaultLockMode.NONE }))).toBe(
      NON_COMPLIANT,
    );
  });

  test('non-compliant: a raw override that drops the minimum retention is seen', () => {
    const result = check(BackupVaultLocked, (s) => {
      const v = secureVault(s);
      v.addPropertyDeletionOverride('LockConfiguration.MinRetentionDays');
      return v;
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant (fail closed): a minimum retention known only at deploy time', () => {
    const result = check(BackupVaultLocked, (s) => {
      const days = new CfnParameter(s, 'Days', { type: 'Number' });
      return new backup.CfnBackupVault(s, 'V', {
        backupVaultName: 'v',
        lockConfiguration: { minRetentionDays: days.valueAsNumber },
      });
    });
    expect(result).toBe(NON_COMPLIANT);
  });

  test('not applicable: other resources', () => {
    expect(check(BackupVaultLocked, (s) => new kms.CfnKey(s, 'K', {}))).toBe(NOT_APPLICABLE);
  });
});

describe('SecurityPolicy-BackupVaultDeniesRecoveryPointDeletion', () => {
  const denyAll = (condition?: unknown, principal: unknown = '*') => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: principal,
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        Resource: '*',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  });
  // A raw override, so strings (which CloudFormation also accepts) reach the rule as written.
  const vaultWith = (policy: unknown) => (s: any) => {
    const v = new backup.CfnBackupVault(s, 'V', { backupVaultName: 'v' });
    v.addPropertyOverride('AccessPolicy', policy);
    return v;
  };

  test('compliant: a SecureBackupVault, with and without a break-glass role', () => {
    expect(check(BackupVaultDeniesRecoveryPointDeletion, (s) => secureVault(s))).toBe(COMPLIANT);
    const result = check(BackupVaultDeniesRecoveryPointDeletion, (s) =>
      secureVault(s, {
        breakGlassRole: iam.Role.fromRoleArn(s, 'BreakGlass', 'arn:aws:iam::111111111111:role/break-glass'),
      }),
    );
    expect(result).toBe(COMPLIANT);
  });

  test('compliant: the policy as a JSON string, and Principal {"AWS": "*"}', () => {
    expect(check(BackupVaultDeniesRecoveryPointDeletion, vaultWith(JSON.stringify(denyAll())))).toBe(
      COMPLIANT,
    );
    expect(check(BackupVaultDeniesRecoveryPointDeletion, vaultWith(denyAll(undefined, { AWS: '*' })))).toBe(
      COMPLIANT,
    );
  });

  test('non-compliant: no access policy', () => {
    const result = check(BackupVaultDeniesRecoveryPointDeletion, (s) =>
      cfnVault(new backup.BackupVault(s, 'V', { encryptionKey: new kms.Key(s, 'K') })),
    );
    expect(result).toBe(NON_COMPLIANT);
  });

  test('non-compliant: only one of the two actions denied', () => {
    const policy = denyAll();
    policy.Statement[0].Action = ['backup:DeleteRecoveryPoint'];
    expect(check(BackupVaultDeniesRecoveryPointDeletion, vaultWith(policy))).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a deny for one principal only, or narrowed by a condition other than the principal ARN', () => {
    expect(
      check(
        BackupVaultDeniesRecoveryPointDeletion,
        vaultWith(denyAll(undefined, { AWS: 'arn:aws:iam::111111111111:role/x' })),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      check(
        BackupVaultDeniesRecoveryPointDeletion,
        vaultWith(denyAll({ StringEquals: { 'aws:PrincipalTag/team': 'none' } })),
      ),
    ).toBe(NON_COMPLIANT);
    expect(
      check(
        BackupVaultDeniesRecoveryPointDeletion,
        vaultWith(denyAll({ ArnNotEquals: { 'aws:PrincipalArn': 'x', 'aws:SourceIp': '10.0.0.1' } })),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('non-compliant: an Allow statement is not a deny, and an unparseable or deploy-time policy fails closed', () => {
    const allow = denyAll();
    (allow.Statement[0] as any).Effect = 'Allow';
    expect(check(BackupVaultDeniesRecoveryPointDeletion, vaultWith(allow))).toBe(NON_COMPLIANT);
    expect(check(BackupVaultDeniesRecoveryPointDeletion, vaultWith('{not json'))).toBe(NON_COMPLIANT);
    expect(
      check(BackupVaultDeniesRecoveryPointDeletion, (s) =>
        vaultWith(new CfnParameter(s, 'Policy').valueAsString)(s),
      ),
    ).toBe(NON_COMPLIANT);
  });

  test('non-compliant: a raw override that empties the policy of a compliant vault is seen', () => {
    const result = check(BackupVaultDeniesRecoveryPointDeletion, (s) => {
      const v = secureVault(s);
      v.addPropertyOverride('AccessPolicy.Statement', []);
      return v;
    });
    expect(result).toBe(NON_COMPLIANT);
  });
});

describe('the backup rules say what they found', () => {
  const view = (build: (s: any) => any) => new CfnView(build(testStack()));

  test('key, lock and policy problems are named with the value found', () => {
    const bare = view(
      (s) =>
        new backup.CfnBackupVault(s, 'V', { backupVaultName: 'v', encryptionKeyArn: 'alias/aws/backup' }),
    );
    expect(BackupVaultCustomerManagedKey.found!(bare, DEFAULT_OPTIONS)).toBe(
      'EncryptionKeyArn is "alias/aws/backup", not a KMS key of this stack; use SecureBackupVault or a key defined beside the vault',
    );
    expect(BackupVaultLocked.found!(bare, DEFAULT_OPTIONS)).toBe(
      'LockConfiguration is not set (no Vault Lock)',
    );
    expect(BackupVaultDeniesRecoveryPointDeletion.found!(bare, DEFAULT_OPTIONS)).toBe(
      'AccessPolicy is not set',
    );
    const partial = view((s) => {
      const v = new backup.CfnBackupVault(s, 'V', { backupVaultName: 'v' });
      v.addPropertyOverride('AccessPolicy', {
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 'backup:DeleteRecoveryPoint', Resource: '*' }],
      });
      return v;
    });
    expect(BackupVaultDeniesRecoveryPointDeletion.found!(partial, DEFAULT_OPTIONS)).toBe(
      'no Deny for every principal (except at most named aws:PrincipalArn) on backup:UpdateRecoveryPointLifecycle',
    );
  });
});

describe('SecurityPolicy-BackupPlanCoversDatabases', () => {
  // Tags are applied by an aspect during synthesis, as the gate sees them; run it before checking.
  const synthesized = (app: App) => {
    app.synth();
    return app;
  };
  const db = (s: Stack, id = 'Db', tags?: { key: string; value: string }[]) =>
    new rds.CfnDBInstance(s, id, { dbInstanceClass: 'db.t4g.micro', engine: 'postgres', tags });

  test('not applicable: an app with no backup selection (DATA-03 off), and other resources', () => {
    const s = testStack();
    expect(BackupPlanCoversDatabases.check(new CfnView(db(s)), DEFAULT_OPTIONS)).toBe(NOT_APPLICABLE);
    expect(BackupPlanCoversDatabases.check(new CfnView(new kms.CfnKey(s, 'K', {})), DEFAULT_OPTIONS)).toBe(
      NOT_APPLICABLE,
    );
  });

  test('compliant: selected by ARN (addResource) in its stack, or by tag (tagForBackup) from another stack', () => {
    const app = testApp();
    const base = new Stack(app, 'Base');
    const plan = new BaselineBackup(base, 'Backup', { planName: 'prod' });
    const byArn = db(base, 'ByArn');
    plan.addResource(byArn);
    const workload = new Stack(app, 'Workload');
    const byTag = db(workload, 'ByTag');
    BaselineBackup.tagForBackup(byTag, 'prod');
    synthesized(app);
    expect(BackupPlanCoversDatabases.check(new CfnView(byArn), DEFAULT_OPTIONS)).toBe(COMPLIANT);
    expect(BackupPlanCoversDatabases.check(new CfnView(byTag), DEFAULT_OPTIONS)).toBe(COMPLIANT);
  });

  test('non-compliant: a database left out, tagged for another plan, or in a region without a plan', () => {
    const app = testApp();
    const base = new Stack(app, 'Base', { env: { account: '111111111111', region: 'eu-west-1' } });
    new BaselineBackup(base, 'Backup', { planName: 'prod' });
    const forgotten = db(base, 'Forgotten');
    const otherPlan = db(base, 'OtherPlan', [{ key: 'security-baseline:backup', value: 'dev' }]);
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '111111111111', region: 'us-east-1' } });
    const otherRegion = db(elsewhere, 'OtherRegion', [{ key: 'security-baseline:backup', value: 'prod' }]);
    synthesized(app);
    for (const d of [forgotten, otherPlan, otherRegion])
      expect([d.node.path, BackupPlanCoversDatabases.check(new CfnView(d), DEFAULT_OPTIONS)]).toEqual([
        d.node.path,
        NON_COMPLIANT,
      ]);
    expect(BackupPlanCoversDatabases.found!(new CfnView(forgotten), DEFAULT_OPTIONS)).toBe(
      'no backup selection names it by ARN or matches its tags',
    );
  });

  test('non-compliant (fail closed): a tag value known only at deploy time', () => {
    const app = testApp();
    const s = new Stack(app, 'S');
    new BaselineBackup(s, 'Backup', { planName: 'prod' });
    const d = db(s, 'Db', [
      { key: 'security-baseline:backup', value: new CfnParameter(s, 'Plan').valueAsString },
    ]);
    synthesized(app);
    expect(BackupPlanCoversDatabases.check(new CfnView(d), DEFAULT_OPTIONS)).toBe(NON_COMPLIANT);
  });

  test('an Aurora instance is covered by its cluster (not applicable itself); the cluster is checked', () => {
    const app = testApp();
    const s = new Stack(app, 'S');
    new BaselineBackup(s, 'Backup');
    const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql' });
    const member = new rds.CfnDBInstance(s, 'Member', {
      dbInstanceClass: 'db.r6g.large',
      engine: 'aurora-postgresql',
      dbClusterIdentifier: cluster.ref,
    });
    synthesized(app);
    expect(BackupPlanCoversDatabases.check(new CfnView(member), DEFAULT_OPTIONS)).toBe(NOT_APPLICABLE);
    expect(BackupPlanCoversDatabases.check(new CfnView(cluster), DEFAULT_OPTIONS)).toBe(NON_COMPLIANT);
  });
});
