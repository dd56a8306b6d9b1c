import { App, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StackSetStack } from 'cdk-stacksets';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordedControls } from '../../lib/compliance/controls';
import { ControlTowerGuard } from '../../lib/compliance/control-tower-guard';
import { resolveConfig } from '../../lib/config/loader';
import {
  BaselineStackSetStack,
  conditionalReferenceProblems,
  StackSetAssetsStack,
  stackSetTemplateProblems,
} from '../../lib/stacks/baseline-stack-set';
import { buildFromConfig, testApp } from '../helpers';

const ORG = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnits: ['ou-ab12-cd34ef56', 'ou-ab12-99887766'],
  regions: ['eu-west-1', 'us-east-1'],
  homeRegion: 'us-east-1',
  adminAccount: '999999999999',
  adminRegion: 'eu-west-1',
};

function orgConfig(extra: Record<string, unknown> = {}, profile = 'prod') {
  return resolveConfig(
    { environments: { prod: { profile, organization: { ...ORG, ...extra } } } },
    'test',
  )[0];
}

describe('organization mode: the baseline as a service-managed StackSet', () => {
  const app = testApp();
  const config = orgConfig();
  const assets = ORG.regions.map(
    (region) =>
      new StackSetAssetsStack(app, `Assets-${region}`, {
        env: { account: ORG.adminAccount, region },
        bucketName: `security-baseline-o-a1b2c3d4e5-prod-${region}`,
        organizationId: ORG.organizationId,
      }),
  );
  const management = new BaselineStackSetStack(app, 'Management', {
    env: { account: ORG.adminAccount, region: ORG.adminRegion },
    config,
  });
  const assembly = app.synth();
  const stackSet = Template.fromStack(management);
  const member = JSON.parse(
    fs.readFileSync(path.join(assembly.directory, management.template.templateFile), 'utf8'),
  );
  const resources = Object.entries(member.Resources as Record<string, any>);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([, r]) => r);

  test('service-managed, auto-deployed to new accounts of the OUs, retained on account removal', () => {
    stackSet.hasResource('AWS::CloudFormation::StackSet', {
      DeletionPolicy: 'Retain', // prod: deletion protection
      Properties: {
        StackSetName: 'SecurityBaseline-prod',
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
        CallAs: 'SELF',
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        StackInstancesGroup: [
          {
            DeploymentTargets: { OrganizationalUnitIds: ORG.organizationalUnits },
            Regions: ORG.regions,
          },
        ],
        OperationPreferences: {
          MaxConcurrentPercentage: 25,
          FailureTolerancePercentage: 0,
          RegionConcurrencyType: 'PARALLEL',
          RegionOrder: ['us-east-1', 'eu-west-1'],
        },
      },
    });
  });

  test('account-wide resources carry IsHomeRegion; regional ones deploy in every region', () => {
    expect(member.Conditions.IsHomeRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    for (const type of ['AWS::CloudTrail::Trail', 'AWS::Logs::MetricFilter', 'AWS::IAM::ManagedPolicy']) {
      const found = ofType(type);
      expect(found.length).toBeGreaterThan(0);
      // The hardening function's own policy is regional (EBS encryption).
      const conditions = found.map((r) => r.Condition ?? 'always');
      expect(conditions.filter((c) => c === 'IsHomeRegion').length).toBeGreaterThan(0);
    }
    for (const r of ofType('AWS::CloudTrail::Trail')) expect(r.Condition).toBe('IsHomeRegion');
    for (const type of ['AWS::GuardDuty::Detector', 'AWS::SNS::Topic']) {
      for (const r of ofType(type)) expect(r.Condition).toBeUndefined();
    }
    const custom = (action: string) =>
      ofType('Custom::AWS').filter((r) => JSON.stringify(r).includes(action));
    expect(custom('UpdateAccountPasswordPolicy').map((r) => r.Condition)).toEqual(['IsHomeRegion']);
    expect(custom('PutPublicAccessBlock').map((r) => r.Condition)).toEqual(['IsHomeRegion']);
    expect(custom('EnableEbsEncryptionByDefault').map((r) => r.Condition)).toEqual([undefined]);
    expect(member.Outputs.AuditorRoleArn.Condition).toBe('IsHomeRegion');
  });

  test('no resource refers to one that may not exist in its region', () => {
    expect(conditionalReferenceProblems(member)).toEqual([]);
  });

  test("Lambda code comes from the StackSet's asset bucket in the instance's own region", () => {
    const code = ofType('AWS::Lambda::Function').map((f) => f.Properties.Code);
    expect(code.length).toBeGreaterThan(0);
    for (const c of code) {
      expect(c.S3Bucket).toEqual({
        'Fn::Join': ['-', ['security-baseline-o-a1b2c3d4e5-prod', { Ref: 'AWS::Region' }]],
      });
    }
    const copies = stackSet.findResources('Custom::CDKBucketDeployment');
    expect(
      Object.values(copies)
        .map((c) => c.Properties.DestinationBucketName)
        .sort(),
    ).toEqual(ORG.regions.map((r) => `security-baseline-o-a1b2c3d4e5-prod-${r}`));
    // The StackSet is created after its code is in every region's bucket.
    const [setId] = Object.keys(stackSet.findResources('AWS::CloudFormation::StackSet'));
    const dependsOn = stackSet.toJSON().Resources[setId].DependsOn as string[];
    for (const id of Object.keys(copies)) expect(dependsOn).toContain(id);
  });

  test('each region bucket is named for the template, readable within the organization only', () => {
    const t = Template.fromStack(assets[0]);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'security-baseline-o-a1b2c3d4e5-prod-eu-west-1',
    });
    const policy = JSON.stringify(t.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
    const key = JSON.stringify(t.findResources('AWS::KMS::Key'));
    expect(key).toContain('"kms:ViaService":"s3.eu-west-1.amazonaws.com"');
    expect(key).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('records OPS-03 on the protected prod StackSet stack and OPS-02 on its template', () => {
    const recorded = recordedControls(app);
    expect(recorded.get(management.node.path)).toEqual(['OPS-03']);
    expect(recorded.get(management.template.node.path)).toEqual(['OPS-02']);
  });

  test("the copy function's log group is encrypted and kept", () => {
    stackSet.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AssetCopyLogKey'), 'Arn'] } },
    });
  });
});

describe('StackSet settings from config', () => {
  test('delegated administrator, sequential regions, no auto-deployment, dev keeps the StackSet deletable', () => {
    const app = testApp();
    const m = new BaselineStackSetStack(app, 'M', {
      config: orgConfig(
        {
          delegatedAdmin: true,
          autoDeployment: false,
          regionConcurrency: 'SEQUENTIAL',
          maxConcurrentPercentage: 50,
          failureTolerancePercentage: 10,
        },
        'dev',
      ),
    });
    const t = Template.fromStack(m);
    t.hasResource('AWS::CloudFormation::StackSet', {
      DeletionPolicy: Match.absent(),
      Properties: {
        CallAs: 'DELEGATED_ADMIN',
        AutoDeployment: { Enabled: false },
        OperationPreferences: {
          MaxConcurrentPercentage: 50,
          FailureTolerancePercentage: 10,
          RegionConcurrencyType: 'SEQUENTIAL',
        },
      },
    });
  });

  test('a regional resource referring to an account-wide one is found in the synthesized template', () => {
    const app = testApp();
    const m = new BaselineStackSetStack(app, 'M', { config: orgConfig() });
    const clean = app.synth();
    expect(stackSetTemplateProblems(app, clean.directory)).toEqual([]);

    const leaky = testApp();
    const l = new BaselineStackSetStack(leaky, 'M', { config: orgConfig() });
    const trail = l.template.node
      .findAll()
      .find((c) => c instanceof cloudtrail.CfnTrail) as cloudtrail.CfnTrail;
    new CfnOutput(l.template, 'Leak', { value: trail.ref });
    const problems = stackSetTemplateProblems(leaky, leaky.synth().directory);
    expect(problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^M/Baseline \\(${l.template.templateFile.replace('.', '\\.')}\\): output Leak \\(always deployed\\) refers to \\w+, deployed only when IsHomeRegion$`,
        ),
      ),
    ]);
    expect(m.template.templateFile).toBe(l.template.templateFile);
  });

  test('without organization settings the stack says so', () => {
    const [dev] = resolveConfig({ environments: { dev: {} } }, 'test');
    expect(() => new BaselineStackSetStack(testApp(), 'M', { config: dev })).toThrow(
      'BaselineStackSetStack: environment dev has no "organization" settings',
    );
  });
});

describe('the app in organization mode', () => {
  test('one asset-bucket stack per region, deployed before the StackSet stack, and no per-account stacks', () => {
    const { stacks } = buildFromConfig({ environments: { prod: { organization: ORG } } });
    expect(stacks.map((s) => s.stackName)).toEqual([
      'SecurityBaseline-prod-StackSet',
      'SecurityBaseline-prod-StackSetAssets-eu-west-1',
      'SecurityBaseline-prod-StackSetAssets-us-east-1',
    ]);
    expect(stacks.map((s) => [s.account, s.region])).toEqual([
      [ORG.adminAccount, ORG.adminRegion],
      [ORG.adminAccount, 'eu-west-1'],
      [ORG.adminAccount, 'us-east-1'],
    ]);
    expect(stacks[0].dependencies.map((s) => s.stackName).sort()).toEqual([
      'SecurityBaseline-prod-StackSetAssets-eu-west-1',
      'SecurityBaseline-prod-StackSetAssets-us-east-1',
    ]);
  });
});

describe('conditionalReferenceProblems', () => {
  test('finds Ref, GetAtt, Sub and DependsOn into a conditional resource, and nothing else', () => {
    const template = {
      Resources: {
        Home: { Condition: 'IsHome', Properties: {} },
        AlsoHome: { Condition: 'IsHome', Properties: { A: { Ref: 'Home' } } },
        ByRef: { Properties: { A: { Ref: 'Home' } } },
        ByGetAtt: { Properties: { A: { 'Fn::GetAtt': ['Home', 'Arn'] } } },
        BySub: { Properties: { A: { 'Fn::Sub': 'arn:${Home.Arn}' } } },
        ByDependsOn: { DependsOn: ['Home'], Properties: {} },
        Fine: { Properties: { A: { Ref: 'AWS::Region' } } },
      },
    };
    expect(
      conditionalReferenceProblems(template)
        .map((p) => p.split(' ')[1])
        .sort(),
    ).toEqual(['ByDependsOn', 'ByGetAtt', 'ByRef', 'BySub']);
  });
});

describe('ControlTowerGuard checks StackSet templates, which are not stacks of the assembly', () => {
  test('an unencrypted log group in a StackSet template is a finding', () => {
    const app = new App({ context: { '@aws-cdk/core:validationReportJson': true } });
    const parent = new Stack(app, 'Parent');
    const member = new StackSetStack(parent, 'Member');
    new logs.CfnLogGroup(member, 'Plain', { retentionInDays: 365 });
    Validations.of(app).addPlugins(new ControlTowerGuard(undefined, app));
    expect(() => app.synth()).toThrow(/CT\.CLOUDWATCH\.PR\.3[\s\S]*Plain/);
  });
});
