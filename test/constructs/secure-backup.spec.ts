import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { recordedControls } from '../../lib/compliance/controls';
import { BACKUP_JOB_FAILURES, BackupJobAlerts } from '../../lib/constructs/backup-job-alerts';
import { BackupRestoreTesting } from '../../lib/constructs/backup-restore-testing';
import {
  BACKUP_TAG_KEY,
  BackupVaultLockMode,
  BaselineBackup,
  SecureBackupVault,
} from '../../lib/constructs/secure-backup';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { SecurityAlerts } from '../../lib/constructs/security-alerts';
import { IncidentClass } from '../../lib/constructs/severity';
import { resourcesOf, testApp, testStack, warningsMentioning } from '../helpers';
import { matches } from './event-pattern';

const DEST = 'arn:aws:backup:eu-west-1:111111111111:backup-vault:dr-copy';
const BREAK_GLASS = 'arn:aws:iam::111111111111:role/break-glass';

describe('SecureBackupVault (DATA-03)', () => {
  const stack = testStack();
  new SecureBackupVault(stack, 'Vault', {
    breakGlassRole: iam.Role.fromRoleArn(stack, 'BreakGlass', BREAK_GLASS),
  });
  const template = Template.fromStack(stack);
  const [[keyId]] = resourcesOf(template, 'AWS::KMS::Key');
  const [[, vault]] = resourcesOf(template, 'AWS::Backup::BackupVault');

  test('encrypted with its own customer-managed key that rotates every 90 days', () => {
    expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 90 });
  });

  test('governance-style Vault Lock by default: a minimum retention and no lock date', () => {
    expect(vault.Properties.LockConfiguration).toEqual({ MinRetentionDays: 7 });
  });

  test('vault and key are retained on stack deletion and replacement', () => {
    expect([vault.DeletionPolicy, vault.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('denies deleting recovery points and shortening their lifecycle to everyone but the break-glass role', () => {
    expect(vault.Properties.AccessPolicy.Statement).toEqual([
      {
        Sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } },
      },
    ]);
  });

  test('without a break-glass role nobody may delete recovery points', () => {
    const s = testStack();
    new SecureBackupVault(s, 'Vault');
    const [[, v]] = resourcesOf(Template.fromStack(s), 'AWS::Backup::BackupVault');
    expect(v.Properties.AccessPolicy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: '*' }),
    ]);
    expect(v.Properties.AccessPolicy.Statement[0].Condition).toBeUndefined();
  });

  test('uses a key it is given instead of creating one', () => {
    const s = testStack();
    const key = new kms.Key(s, 'Given');
    new SecureBackupVault(s, 'Vault', { encryptionKey: key });
    const t = Template.fromStack(s);
    expect(resourcesOf(t, 'AWS::KMS::Key')).toHaveLength(1);
    t.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: { 'Fn::GetAtt': [s.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
  });

  test('records ENC-01 and DATA-05', () => {
    expect([...recordedControls(stack).values()].flat()).toEqual(
      expect.arrayContaining(['ENC-01', 'DATA-05']),
    );
  });

  test('compliance mode: a lock date after the cooling-off period, and a warning naming DATA-03 that it is irreversible', () => {
    const s = testStack();
    new SecureBackupVault(s, 'Vault', {
      lockMode: BackupVaultLockMode.COMPLIANCE,
      lockCoolingOffPeriod: Duration.days(5),
      minRetention: Duration.days(30),
      maxRetention: Duration.days(3650),
    });
    Template.fromStack(s).hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { ChangeableForDays: 5, MinRetentionDays: 30, MaxRetentionDays: 3650 },
    });
    const warnings = warningsMentioning(s, '[DATA-03 irreversible]');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/permanent 5 day\(s\) after deployment/);
    expect(JSON.stringify(warnings[0].entry.data)).toMatch(/nobody \(not the root user, not AWS\)/);
  });

  test('governance mode has no irreversibility warning; lockMode NONE has no lock and warns that DATA-03 is weakened', () => {
    expect(warningsMentioning(stack, 'DATA-03')).toHaveLength(0);
    const s = testStack();
    new SecureBackupVault(s, 'Vault', { lockMode: BackupVaultLockMode.NONE });
    const [[, v]] = resourcesOf(Template.fromStack(s), 'AWS::Backup::BackupVault');
    expect(v.Properties.LockConfiguration).toBeUndefined();
    expect(warningsMentioning(s, '[DATA-03 weakened]')).toHaveLength(1);
  });

  test('rejects every bad prop at once, with its path and the value received', () => {
    expect(
      () =>
        new SecureBackupVault(testStack(), 'Vault', {
          backupVaultName: 'a b',
          minRetention: Duration.days(40),
          maxRetention: Duration.days(30),
          lockCoolingOffPeriod: Duration.days(2),
        }),
    ).toThrow(
      new RegExp(
        [
          "SecureBackupVault at 'Test/Vault': 4 invalid prop\\(s\\):",
          '  - maxRetention: got 30 days; must not be shorter than minRetention \\(40 days\\)',
          '  - lockCoolingOffPeriod: got 2 days; only COMPLIANCE mode has a cooling-off period',
          '  - lockCoolingOffPeriod: got 2 days; AWS Backup enforces a cooling-off period of at least 3 whole days',
          "  - backupVaultName: got \"a b\"; 2..50 letters, digits, '-' or '_'",
        ].join('\\n'),
      ),
    );
    expect(() => new SecureBackupVault(testStack(), 'V', { minRetention: Duration.hours(36) })).toThrow(
      /minRetention: got 1 day 12 hours; Vault Lock retention is 1..36500 whole days/,
    );
    expect(
      () => new SecureBackupVault(testStack(), 'V', { lockMode: 'LOOSE' as BackupVaultLockMode }),
    ).toThrow(/lockMode: got "LOOSE"; one of GOVERNANCE, COMPLIANCE, NONE/);
  });
});

describe('BaselineBackup (DATA-03)', () => {
  const stack = testStack();
  const data = new SecureBucket(stack, 'Data');
  const db = new rds.CfnDBInstance(stack, 'Db', { dbInstanceClass: 'db.t4g.micro', engine: 'postgres' });
  const aurora = new Construct(stack, 'Aurora');
  const cluster = new rds.CfnDBCluster(aurora, 'Cluster', { engine: 'aurora-postgresql' });
  const member = new rds.CfnDBInstance(aurora, 'Member', {
    dbInstanceClass: 'db.r6g.large',
    engine: 'aurora-postgresql',
    dbClusterIdentifier: cluster.ref,
  });
  const plan = new BaselineBackup(stack, 'Backup', {
    resources: [data.bucket],
    copyTo: backup.BackupVault.fromBackupVaultArn(stack, 'Dest', DEST),
  });
  plan.addResource(db);
  plan.addResource(aurora); // the cluster; its member instance is backed up with it
  const template = Template.fromStack(stack);
  const [[, planResource]] = resourcesOf(template, 'AWS::Backup::BackupPlan');
  const rules: any[] = planResource.Properties.BackupPlan.BackupPlanRule;
  const [[, selection]] = resourcesOf(template, 'AWS::Backup::BackupSelection');
  const [[vaultId]] = resourcesOf(template, 'AWS::Backup::BackupVault');

  test('daily, monthly and continuous rules with their retention, all into the locked vault', () => {
    expect(rules.map((r) => [r.RuleName, r.ScheduleExpression, r.Lifecycle.DeleteAfterDays])).toEqual([
      ['Daily', 'cron(0 3 * * ? *)', 35],
      ['Monthly', 'cron(0 4 1 * ? *)', 365],
      ['Continuous', 'cron(0 5 * * ? *)', 35],
    ]);
    expect(rules[2].EnableContinuousBackup).toBe(true);
    for (const r of rules)
      expect(r.TargetBackupVault).toEqual({ 'Fn::GetAtt': [vaultId, 'BackupVaultName'] });
  });

  test('copies every daily and monthly recovery point to the other region, kept as long as the original', () => {
    expect(rules.map((r) => r.CopyActions)).toEqual([
      [{ DestinationBackupVaultArn: DEST, Lifecycle: { DeleteAfterDays: 35 } }],
      [{ DestinationBackupVaultArn: DEST, Lifecycle: { DeleteAfterDays: 365 } }],
      undefined,
    ]);
  });

  test('selects resources by the plan tag and the explicitly added ones (Aurora members via their cluster)', () => {
    const s = selection.Properties.BackupSelection;
    expect(s.ListOfTags).toEqual([
      { ConditionType: 'STRINGEQUALS', ConditionKey: BACKUP_TAG_KEY, ConditionValue: 'baseline' },
    ]);
    const text = JSON.stringify(s.Resources);
    expect(s.Resources).toHaveLength(3);
    expect(text).toContain(`":s3:::",{"Ref":"${stack.getLogicalId(data.bucket.node.defaultChild as any)}"}`);
    expect(text).toContain(`":db:",{"Ref":"${stack.getLogicalId(db)}"}`);
    expect(text).toContain(`":cluster:",{"Ref":"${stack.getLogicalId(cluster)}"}`);
    expect(text).not.toContain(stack.getLogicalId(member));
  });

  test('the data bucket (not its access-log bucket) and the database carry the plan tag, for restore testing', () => {
    const tagged = resourcesOf(template, 'AWS::S3::Bucket').filter(([, b]) =>
      (b.Properties.Tags ?? []).some((t: any) => t.Key === BACKUP_TAG_KEY && t.Value === 'baseline'),
    );
    expect(tagged.map(([id]) => id)).toEqual([stack.getLogicalId(data.bucket.node.defaultChild as any)]);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.t4g.micro',
      Tags: Match.arrayWith([{ Key: BACKUP_TAG_KEY, Value: 'baseline' }]),
    });
  });

  test('AWS Backup assumes the backup role for this account only, with its documented service-role policies', () => {
    const roleId = selection.Properties.BackupSelection.IamRoleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'backup.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(
      /service-role\/AWSBackupServiceRolePolicyForBackup.*AWSBackupServiceRolePolicyForS3Backup/,
    );
  });

  test('its own vault is a locked SecureBackupVault, and it records DATA-03', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 7 },
    });
    expect(recordedControls(plan).get('Test/Backup')).toEqual(['DATA-03', 'DATA-05']);
  });

  test('without continuous backup there is no continuous rule; custom schedules and retention are used', () => {
    const s = testStack();
    new BaselineBackup(s, 'Backup', {
      continuousBackup: false,
      dailyRetention: Duration.days(14),
      monthlyRetention: Duration.days(730),
      planName: 'prod-data',
    });
    const [[, p]] = resourcesOf(Template.fromStack(s), 'AWS::Backup::BackupPlan');
    expect(
      p.Properties.BackupPlan.BackupPlanRule.map((r: any) => [r.RuleName, r.Lifecycle.DeleteAfterDays]),
    ).toEqual([
      ['Daily', 14],
      ['Monthly', 730],
    ]);
    Template.fromStack(s).hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({ ListOfTags: [Match.objectLike({ ConditionValue: 'prod-data' })] }),
    });
  });

  test('a default vault never locks out a short daily retention', () => {
    const s = testStack();
    new BaselineBackup(s, 'Backup', {
      dailyRetention: Duration.days(3),
      continuousRetention: Duration.days(5),
    });
    Template.fromStack(s).hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 3 },
    });
  });

  test('rejects every bad prop at once: retention the vault lock would refuse, a same-region copy, bad names', () => {
    const s = new Stack(testApp(), 'Prod', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vault = new SecureBackupVault(s, 'Vault', {
      minRetention: Duration.days(30),
      maxRetention: Duration.days(400),
    });
    expect(
      () =>
        new BaselineBackup(s, 'Backup', {
          vault,
          planName: 'has space',
          dailyRetention: Duration.days(14),
          monthlyRetention: Duration.days(500),
          continuousRetention: Duration.days(40),
          copyTo: backup.BackupVault.fromBackupVaultArn(s, 'Same', DEST),
        }),
    ).toThrow(
      [
        "BaselineBackup at 'Prod/Backup': 5 invalid prop(s):",
        "  - planName: got \"has space\"; 1..50 letters, digits, '-', '_' or '.'",
        '  - continuousRetention: got 40 days; AWS Backup keeps continuous backups 1..35 whole days',
        `  - copyTo: got "${DEST}"; the copy must go to another region than eu-west-1 (DATA-03)`,
        "  - dailyRetention: got 14 days; the vault's Vault Lock requires at least 30 days; every such job would fail",
        "  - monthlyRetention: got 500 days; the vault's Vault Lock allows at most 400 days; every such job would fail",
      ].join('\n'),
    );
    expect(
      () =>
        new BaselineBackup(testStack(), 'B', {
          continuousBackup: false,
          continuousRetention: Duration.days(7),
          copyRetention: Duration.days(7),
        }),
    ).toThrow(
      /continuousRetention: got 7 days; set only with continuousBackup: true[\s\S]*copyRetention: got 7 days; set only together with copyTo/,
    );
  });

  test('addResource rejects a construct with nothing to back up, naming it', () => {
    const s = testStack();
    const b = new BaselineBackup(s, 'Backup');
    expect(() => b.addResource(new kms.Key(s, 'JustAKey'))).toThrow(
      /BaselineBackup at 'Test\/Backup': 1 invalid prop\(s\):\n {2}- addResource: got "Test\/JustAKey"; holds nothing AWS Backup can back up/,
    );
  });

  test('tagForBackup puts resources of another stack into a plan by tag, with no cross-stack reference', () => {
    const app = testApp();
    const workload = new Stack(app, 'Workload', { env: { account: '111111111111', region: 'eu-central-1' } });
    const bucket = new SecureBucket(workload, 'Data');
    BaselineBackup.tagForBackup(bucket.bucket, 'prod');
    const b =
      Template.fromStack(workload).toJSON().Resources[
        workload.getLogicalId(bucket.bucket.node.defaultChild as any)
      ];
    expect(b.Properties.Tags).toContainEqual({ Key: BACKUP_TAG_KEY, Value: 'prod' });
    const tagged = resourcesOf(Template.fromStack(workload), 'AWS::S3::Bucket').filter(([, r]) =>
      JSON.stringify(r.Properties.Tags ?? []).includes(BACKUP_TAG_KEY),
    );
    expect(tagged).toHaveLength(1); // not its access-log bucket
    expect(() => BaselineBackup.tagForBackup(new kms.Key(workload, 'K'), 'prod')).toThrow(
      /BaselineBackup at 'BaselineBackup.tagForBackup': 1 invalid prop\(s\):\n {2}- addResource: got "Workload\/K"; holds nothing/,
    );
  });

  test('DynamoDB tables are backed up too', () => {
    const s = testStack();
    const table = new dynamodb.Table(s, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    new BaselineBackup(s, 'Backup', { resources: [table] });
    expect(
      JSON.stringify(
        resourcesOf(Template.fromStack(s), 'AWS::Backup::BackupSelection')[0][1].Properties.BackupSelection
          .Resources,
      ),
    ).toContain(':table/');
  });

  test('a plan that selects nothing (no tag selection, no resources) fails synthesis', () => {
    const app = new App();
    const s = new Stack(app, 'S');
    new BaselineBackup(s, 'Backup', { selectByTag: false });
    expect(() => app.synth()).toThrow(
      /selectByTag is false and no resource was added; the plan would back up nothing/,
    );
  });
});

describe('BackupRestoreTesting (DATA-04)', () => {
  const stack = testStack();
  const plan = new BaselineBackup(stack, 'Backup', { planName: 'prod' });
  new BackupRestoreTesting(stack, 'RestoreTests', { backup: plan });
  const template = Template.fromStack(stack);
  const [[vaultId]] = resourcesOf(template, 'AWS::Backup::BackupVault');

  test('restores the latest recovery point of the plan vault every week', () => {
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      ScheduleExpression: 'cron(0 6 ? * SUN *)',
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [{ 'Fn::GetAtt': [vaultId, 'BackupVaultArn'] }],
        RecoveryPointTypes: ['SNAPSHOT', 'CONTINUOUS'],
        SelectionWindowDays: 7,
      },
    });
  });

  test('one selection per protected resource type, by the plan tag, restored copies deleted after one hour', () => {
    const selections = resourcesOf(template, 'AWS::Backup::RestoreTestingSelection');
    expect(selections.map(([, s]) => s.Properties.ProtectedResourceType).sort()).toEqual([
      'Aurora',
      'DynamoDB',
      'EFS',
      'RDS',
      'S3',
    ]);
    for (const [, s] of selections) {
      expect(s.Properties).toMatchObject({
        ProtectedResourceArns: ['*'],
        ProtectedResourceConditions: {
          StringEquals: [{ Key: `aws:ResourceTag/${BACKUP_TAG_KEY}`, Value: 'prod' }],
        },
        ValidationWindowHours: 1,
      });
    }
  });

  test('records DATA-04', () => {
    expect([...recordedControls(stack).values()].flat()).toContain('DATA-04');
  });

  test('chosen types, schedule and windows; snapshot recovery points only without continuous backup', () => {
    const s = testStack();
    const p = new BaselineBackup(s, 'Backup', { continuousBackup: false });
    new BackupRestoreTesting(s, 'R', {
      backup: p,
      resourceTypes: ['RDS'],
      validationWindow: Duration.hours(0),
      recoveryPointWindow: Duration.days(30),
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RecoveryPointSelection: Match.objectLike({ RecoveryPointTypes: ['SNAPSHOT'], SelectionWindowDays: 30 }),
    });
    expect(resourcesOf(t, 'AWS::Backup::RestoreTestingSelection').map(([, x]) => x.Properties)).toEqual([
      expect.objectContaining({ ProtectedResourceType: 'RDS', ValidationWindowHours: 0 }),
    ]);
  });

  test('rejects every bad prop at once', () => {
    const s = testStack();
    const p = new BaselineBackup(s, 'Backup');
    expect(
      () =>
        new BackupRestoreTesting(s, 'R', {
          backup: p,
          resourceTypes: ['RDS', 'EC2', 'RDS'],
          validationWindow: Duration.hours(200),
          recoveryPointWindow: Duration.days(0),
        }),
    ).toThrow(
      new RegExp(
        [
          "BackupRestoreTesting at 'Test/R': 4 invalid prop\\(s\\):",
          '  - resourceTypes\\[1\\]: got "EC2"; one of S3, RDS, Aurora, DynamoDB, EFS',
          '  - resourceTypes: got \\["RDS","EC2","RDS"\\]; each type once',
          '  - validationWindow: got 8 days 8 hours; AWS Backup keeps restored copies 0..168 whole hours',
          '  - recoveryPointWindow: got 0 days; 1..365 whole days',
        ].join('\\n'),
      ),
    );
  });
});

describe('BackupJobAlerts (failed backup, copy and restore jobs as High alerts)', () => {
  const stack = testStack();
  const alerts = new SecurityAlerts(stack, 'Alerts');
  new BackupJobAlerts(stack, 'BackupAlerts', { alerts });
  const template = Template.fromStack(stack);
  const rules = resourcesOf(template, 'AWS::Events::Rule').filter(([id]) => id.startsWith('BackupAlerts'));
  const topicOf = (c: IncidentClass) => stack.getLogicalId(alerts.topic(c).node.defaultChild as any);
  const event = (detailType: string, detail: Record<string, unknown>) => ({
    source: 'aws.backup',
    'detail-type': detailType,
    account: '111111111111',
    region: 'eu-west-1',
    resources: ['arn:aws:rds:eu-west-1:111111111111:db:app'],
    detail,
  });

  test('failed, aborted and expired jobs each match exactly one rule; successful ones match none', () => {
    const matched = (e: unknown) =>
      rules.filter(([, r]) => matches(r.Properties.EventPattern, e)).map(([id]) => id);
    expect(matched(event('Backup Job State Change', { state: 'FAILED' }))).toEqual([
      expect.stringMatching(/^BackupAlertsBackupJobFailed/),
    ]);
    expect(matched(event('Backup Job State Change', { state: 'EXPIRED' }))).toHaveLength(1);
    expect(matched(event('Copy Job State Change', { state: 'FAILED' }))).toEqual([
      expect.stringMatching(/^BackupAlertsCopyJobFailed/),
    ]);
    // Restore jobs report `status`, not `state`.
    expect(matched(event('Restore Job State Change', { status: 'FAILED' }))).toEqual([
      expect.stringMatching(/^BackupAlertsRestoreJobFailed/),
    ]);
    expect(matched(event('Restore Job State Change', { state: 'FAILED' }))).toEqual([]);
    for (const ok of ['COMPLETED', 'RUNNING', 'CREATED'])
      expect(matched(event('Backup Job State Change', { state: ok }))).toEqual([]);
    expect(matched(event('Restore Job State Change', { status: 'COMPLETED' }))).toEqual([]);
    expect(rules).toHaveLength(BACKUP_JOB_FAILURES.length);
  });

  test('deliver a readable message to the High topic, without granting EventBridge anything new', () => {
    for (const [, r] of rules) {
      const target = r.Properties.Targets[0];
      expect(target.Arn).toEqual({ Ref: topicOf(IncidentClass.HIGH) });
      const text = JSON.stringify(target.InputTransformer.InputTemplate);
      expect(text).toMatch(/\[HIGH\] AWS Backup (backup|copy|restore) job </);
      for (const part of [
        'Resource: <detail-resourceType>',
        'Reason: <detail-statusMessage>',
        'Account <account>, region <region>',
      ])
        expect(text).toContain(part);
      expect(text).toMatch(
        /https:\/\/console\.aws\.amazon\.com\/backup\/home\?region=<region>#\/jobs\/(backup|copy|restore)\/details\/<detail-/,
      );
    }
    // SecurityAlerts' own topic policies are the only ones: one per class, none added for these rules.
    expect(resourcesOf(template, 'AWS::SNS::TopicPolicy')).toHaveLength(4);
  });

  test('another class on request; an unknown class is rejected', () => {
    const s = testStack();
    const a = new SecurityAlerts(s, 'Alerts');
    new BackupJobAlerts(s, 'B', { alerts: a, incidentClass: IncidentClass.CRITICAL });
    const [[, r]] = resourcesOf(Template.fromStack(s), 'AWS::Events::Rule').filter(([id]) =>
      id.startsWith('B'),
    );
    expect(r.Properties.Targets[0].Arn).toEqual({
      Ref: s.getLogicalId(a.topic(IncidentClass.CRITICAL).node.defaultChild as any),
    });
    expect(
      () => new BackupJobAlerts(s, 'C', { alerts: a, incidentClass: 'URGENT' as IncidentClass }),
    ).toThrow(/incidentClass: got "URGENT"; one of CRITICAL, HIGH, MEDIUM, LOW/);
  });
});
