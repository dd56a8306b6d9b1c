import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Acknowledgements, Finding } from '../lib/compliance/acknowledge';

// Finding maps one check to its ID in every pack of the gate. These tests derive the packs' rule
// IDs from cdk-nag itself and the Control Tower rule names from the cfn-guard rule files, and
// then break each check on purpose: every mapped ID must fire, and acknowledgeFinding must
// silence exactly those IDs.

const GUARD_PREFIX = 'cdk-validator-cfnguard::';
const GUARD_RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
);

/** Every rule a cdk-nag pack applies: its finding ID and the name of the rule function behind it. */
function packRules(): { id: string; ruleName: string }[] {
  const app = new App();
  const node = new CfnResource(new Stack(app, 'Probe'), 'Probe', { type: 'AWS::S3::Bucket' });
  const rules: { id: string; ruleName: string }[] = [];
  for (const Pack of [AwsSolutionsChecks, NIST80053R5Checks, HIPAASecurityChecks, PCIDSS321Checks]) {
    const pack = new Pack(app) as unknown as NagPack & { checkResource(n: CfnResource): void };
    // Record instead of evaluating: each pack calls applyRule once per rule for every resource.
    (pack as unknown as { applyRule: (p: any) => void }).applyRule = (p) =>
      rules.push({
        id: `${pack.readPackName}-${p.ruleSuffixOverride ?? p.rule.name}`,
        ruleName: p.rule.name,
      });
    pack.checkResource(node);
  }
  return rules;
}

function guardRuleNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.guard'))
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/^rule ([a-z0-9_]+)/gm)) names.add(m[1]);
    }
  };
  walk(GUARD_RULES_DIR);
  return names;
}

describe('Finding: the same check under every pack ID', () => {
  const rules = packRules();
  const byId = new Map(rules.map((r) => [r.id, r.ruleName]));
  const guard = guardRuleNames();

  test.each(Finding.all().map((f) => [f.name, f] as const))(
    '%s: every ID exists in its pack',
    (_, finding) => {
      for (const id of finding.ids) {
        if (id.startsWith(GUARD_PREFIX)) expect(guard).toContain(id.slice(GUARD_PREFIX.length));
        else expect([...byId.keys()]).toContain(id);
      }
    },
  );

  test.each(Finding.all().map((f) => [f.name, f] as const))(
    '%s: no pack that runs the same rule is missing',
    (_, finding) => {
      const ruleNames = new Set(finding.ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!));
      const expected = rules.filter((r) => ruleNames.has(r.ruleName)).map((r) => r.id);
      expect(finding.ids.filter((id) => byId.has(id)).sort()).toEqual([...new Set(expected)].sort());
    },
  );

  test('Finding.of rejects an empty or repeated ID list', () => {
    expect(() => Finding.of('NONE', [])).toThrow(
      /Finding NONE: got ids \[\]; expected one or more distinct IDs/,
    );
    expect(() => Finding.of('TWICE', ['AwsSolutions-S1', 'AwsSolutions-S1'])).toThrow(/TWICE/);
  });

  test('acknowledgeFinding wants a reason a reviewer can check', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => Acknowledgements.acknowledgeFinding(stack, Finding.S3_REPLICATION, 'ok')).toThrow(
      /acknowledge at 'S': 1 problem\(s\):\n {2}- reason: got "ok"; expected a reason a reviewer can check/,
    );
  });
});

/** One resource (or a few) that breaks each Finding's check, under a construct named after it. */
const FIXTURES: Record<string, (scope: Construct) => void> = {
  bucket: (scope) => new s3.CfnBucket(scope, 'Resource'),
  function: (scope) =>
    new lambda.CfnFunction(scope, 'Resource', {
      code: { zipFile: 'exports.handler = async () => 1;' },
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      role: 'arn:aws:iam::123456789012:role/fixture',
    }),
  logGroup: (scope) => new logs.CfnLogGroup(scope, 'Resource'),
  inlinePolicy: (scope) => {
    const role = new iam.CfnRole(scope, 'Role', {
      assumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
    });
    new iam.CfnPolicy(scope, 'Resource', {
      policyName: 'inline',
      roles: [role.ref],
      policyDocument: {
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' }],
      },
    });
  },
  stage: (scope) => {
    const api = new apigw.CfnRestApi(scope, 'Api', { name: 'fixture' });
    const deployment = new apigw.CfnDeployment(scope, 'Deployment', { restApiId: api.ref });
    new apigw.CfnStage(scope, 'Resource', {
      restApiId: api.ref,
      deploymentId: deployment.ref,
      stageName: 'v1',
    });
  },
  database: (scope) =>
    new rds.CfnDBInstance(scope, 'Resource', {
      engine: 'postgres',
      dbInstanceClass: 'db.t4g.micro',
      allocatedStorage: '20',
      multiAz: false,
    }),
  route: (scope) => {
    const vpc = new ec2.CfnVPC(scope, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    const igw = new ec2.CfnInternetGateway(scope, 'Igw');
    const table = new ec2.CfnRouteTable(scope, 'Table', { vpcId: vpc.ref });
    new ec2.CfnRoute(scope, 'Resource', {
      routeTableId: table.ref,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.ref,
    });
  },
};

const FIXTURE_OF: Record<string, keyof typeof FIXTURES> = {
  S3_SERVER_ACCESS_LOGS: 'bucket',
  S3_REPLICATION: 'bucket',
  S3_DEFAULT_ENCRYPTION_KMS: 'bucket',
  S3_VERSIONING: 'bucket',
  S3_SSL_REQUESTS_ONLY: 'bucket',
  S3_OBJECT_LOCK: 'bucket',
  LAMBDA_INSIDE_VPC: 'function',
  LAMBDA_DLQ: 'function',
  LAMBDA_CONCURRENCY: 'function',
  LOG_GROUP_ENCRYPTED: 'logGroup',
  LOG_GROUP_RETENTION: 'logGroup',
  IAM_NO_INLINE_POLICY: 'inlinePolicy',
  API_GW_EXECUTION_LOGGING: 'stage',
  API_GW_CACHE_ENCRYPTED: 'stage',
  API_GW_CLIENT_CERTIFICATE: 'stage',
  API_GW_WAF: 'stage',
  API_GW_XRAY: 'stage',
  RDS_MULTI_AZ: 'database',
  RDS_IN_BACKUP_PLAN: 'database',
  VPC_ROUTE_TO_IGW: 'route',
};

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}

/**
 * Synthesize every fixture (one construct per Finding) under the four cdk-nag packs and the Control
 * Tower rules; with `acknowledged`, each fixture acknowledges its Finding first. Returns the IDs
 * that fired per fixture path, in the form an acknowledgement names them.
 */
function firedIds(acknowledged: boolean): Map<string, Set<string>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'finding-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Fixtures');
  for (const finding of Finding.all()) {
    const scope = new Construct(stack, finding.name);
    FIXTURES[FIXTURE_OF[finding.name]](scope);
    if (acknowledged)
      Acknowledgements.acknowledgeFinding(
        scope,
        finding,
        `Test fixture that breaks ${finding.name} on purpose.`,
      );
  }
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app),
    new PCIDSS321Checks(app),
    new CfnGuardValidator({ controlTowerRulesEnabled: true }),
  );
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch {
    // Expected: the fixtures break most rules.
  } finally {
    spy.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  fs.rmSync(outdir, { recursive: true, force: true });
  const fired = new Map<string, Set<string>>();
  for (const plugin of report.pluginReports as { pluginName: string; violations: Violation[] }[]) {
    for (const v of plugin.violations) {
      const id = plugin.pluginName === 'cdk-validator-cfnguard' ? `${GUARD_PREFIX}${v.ruleName}` : v.ruleName;
      for (const c of v.violatingConstructs) {
        const top = c.constructPath.split('/').slice(0, 2).join('/');
        if (!fired.has(top)) fired.set(top, new Set());
        fired.get(top)!.add(id);
      }
    }
  }
  return fired;
}

describe('Finding: every mapped ID fires on a resource that breaks the check', () => {
  expect(Object.keys(FIXTURE_OF).sort()).toEqual(
    Finding.all()
      .map((f) => f.name)
      .sort(),
  );
  const fired = firedIds(false);
  const afterAcknowledging = firedIds(true);

  test.each(Finding.all().map((f) => [f.name, f] as const))('%s', (_, finding) => {
    const ids = fired.get(`Fixtures/${finding.name}`) ?? new Set();
    for (const id of finding.ids) expect([...ids]).toContain(id);
  });

  test.each(Finding.all().map((f) => [f.name, f] as const))(
    '%s: acknowledgeFinding silences exactly its IDs, in every pack',
    (_, finding) => {
      const before = fired.get(`Fixtures/${finding.name}`) ?? new Set<string>();
      const after = afterAcknowledging.get(`Fixtures/${finding.name}`) ?? new Set<string>();
      for (const id of finding.ids) expect([...after]).not.toContain(id);
      // Findings of other checks on the same fixture are still reported.
      expect([...after].sort()).toEqual([...before].filter((id) => !finding.ids.includes(id)).sort());
    },
  );
});
