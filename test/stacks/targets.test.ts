import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildFromConfig } from '../helpers';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const REGIONS = ['eu-west-1', 'us-east-1'];

/** Resource types that exist once per account: the multi-region trail and the CIS metric filters on its log group. */
const ACCOUNT_WIDE_TYPES = ['AWS::CloudTrail::Trail', 'AWS::Logs::MetricFilter'];

function count(template: Template, type: string, props?: Record<string, unknown>): number {
  return Object.keys(template.findResources(type, props ? { Properties: props } : undefined)).length;
}

describe('targets: 3 accounts x 2 regions', () => {
  // About the layout only: without the gate, which config/targets.example.json (3 accounts x 2
  // regions) passes in test/stacks/stateful-logical-ids.test.ts.
  const { app } = buildFromConfig(
    {
      environments: {
        prod: {
          profile: 'prod',
          targets: { accounts: ACCOUNTS, regions: REGIONS, homeRegion: 'us-east-1' },
        },
      },
    },
    { gate: false },
  );
  // Every stack of the app, the workloads too (buildBaselineApp returns the baselines).
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const templates = new Map(stacks.map((s) => [s.stackName, Template.fromStack(s)]));
  const baseline = (account: string, region: string) =>
    templates.get(`SecurityBaseline-prod-${account}-${region}`)!;

  test('one baseline stack per account and region, each in its own environment, plus one workload per account', () => {
    const expected = ACCOUNTS.flatMap((a) => [
      ...REGIONS.map((r) => `SecurityBaseline-prod-${a}-${r}`),
      `SecurityBaseline-prod-${a}-us-east-1-Workload`,
    ]);
    expect([...templates.keys()].sort()).toEqual(expected.sort());
    for (const s of stacks) {
      const [, account, region] = /-(\d{12})-([a-z0-9-]+?)(-Workload)?$/.exec(s.stackName)!;
      expect({ account: s.account, region: s.region }).toEqual({ account, region });
    }
  });

  test('account-wide resources exist exactly once per account, in the home region', () => {
    for (const account of ACCOUNTS) {
      for (const type of ACCOUNT_WIDE_TYPES) {
        expect([
          count(baseline(account, 'us-east-1'), type) > 0,
          count(baseline(account, 'eu-west-1'), type),
        ]).toEqual([true, 0]);
      }
      const calls = (action: string) =>
        REGIONS.map(
          (r) =>
            Object.values(baseline(account, r).findResources('Custom::AWS')).filter((res) =>
              JSON.stringify(res.Properties).includes(action),
            ).length,
        );
      expect(calls('UpdateAccountPasswordPolicy')).toEqual([0, 1]);
      expect(calls('PutPublicAccessBlock')).toEqual([0, 1]);
      expect(calls('EnableEbsEncryptionByDefault')).toEqual([1, 1]);
      const perAccount = (props: Record<string, unknown>, type: string) =>
        REGIONS.map((r) => count(baseline(account, r), type, props));
      expect(perAccount({ Type: 'ACCOUNT_UNUSED_ACCESS' }, 'AWS::AccessAnalyzer::Analyzer')).toEqual([0, 1]);
      expect(
        REGIONS.map((r) => Object.keys(baseline(account, r).findOutputs('AuditorRoleArn')).length),
      ).toEqual([0, 1]);
    }
  });

  test('regional resources exist in every region of every account', () => {
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        const t = baseline(account, region);
        expect(count(t, 'AWS::GuardDuty::Detector')).toBe(1);
        expect(count(t, 'AWS::SNS::Topic')).toBe(4);
        expect(count(t, 'AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' })).toBe(1);
        expect(
          Object.values(t.findResources('Custom::AWS')).filter((r) =>
            JSON.stringify(r.Properties).includes('EnableEbsEncryptionByDefault'),
          ),
        ).toHaveLength(1);
        t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 90 });
      }
    }
  });

  test("the regional stacks hold no IAM role beyond the one that applies EBS encryption (and AWS Backup's own)", () => {
    for (const account of ACCOUNTS) {
      const t = baseline(account, 'eu-west-1');
      // AWS Backup runs backups and restore tests as roles of the region's plan (prod profile).
      const roles = Object.entries(t.findResources('AWS::IAM::Role')).filter(
        ([, r]) => !JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('backup.amazonaws.com'),
      );
      expect(roles).toHaveLength(1);
      expect(JSON.stringify(t.toJSON())).not.toMatch(
        /iam:UpdateAccountPasswordPolicy|s3:PutAccountPublicAccessBlock/,
      );
    }
  });

  test('the continuous audit runs once per account and checks every target region', () => {
    for (const account of ACCOUNTS) {
      const fns = (r: string) =>
        Object.values(baseline(account, r).findResources('AWS::Lambda::Function')).filter((f) =>
          JSON.stringify(f.Properties.Environment ?? {}).includes('AUDIT_REGIONS'),
        );
      expect(fns('eu-west-1')).toHaveLength(0);
      expect(fns('us-east-1')).toHaveLength(1);
      expect(JSON.stringify(fns('us-east-1')[0].Properties.Environment)).toContain('eu-west-1,us-east-1');
    }
  });
});
