import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { testApp } from '../helpers';

/**
 * Resources that hold data (or guard it): a changed logical ID makes CloudFormation create a new one
 * and drop the old one from the stack. Refactoring the composition must leave these IDs alone.
 */
const STATEFUL_TYPES = new Set([
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::SecretsManager::Secret',
  'AWS::CloudTrail::Trail',
  'AWS::SNS::Topic',
  'AWS::GuardDuty::Detector',
  'AWS::CloudFormation::StackSet',
]);
const FIXTURE = path.join(__dirname, 'fixtures', 'stateful-logical-ids.json');
const ROOT = path.join(__dirname, '..', '..');

/** `<template file>: <type> <logical ID>` for every stateful resource of every template the app writes. */
function statefulIds(context: Record<string, unknown>): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'baseline-ids-'));
  try {
    const app = testApp({ outdir, context });
    buildBaselineApp(app);
    const assembly = app.synth();
    // Named by stack name, as when the fixture was taken: nested stages (the reference workload's)
    // name their template files by artifact ID.
    const templates = [
      ...assembly.stacksRecursively.map((st) => [`${st.stackName}.template.json`, st.template] as const),
      // StackSet templates are file assets of their parent stack, not stacks.
      ...fs
        .readdirSync(outdir)
        .filter(
          (f) =>
            f.endsWith('.template.json') && !assembly.stacksRecursively.some((st) => st.templateFile === f),
        )
        .map((f) => [f, JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'))] as const),
    ];
    return templates.flatMap(([f, template]) => {
      const resources = (template as { Resources?: Record<string, { Type: string }> }).Resources ?? {};
      return Object.entries(resources)
        .filter(([, r]) => STATEFUL_TYPES.has(r.Type))
        .map(([id, r]) => `${f}: ${r.Type} ${id}`);
    });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('logical IDs of stateful resources stay what they were', () => {
  const actual = {
    default: statefulIds({}).sort(),
    organization: statefulIds({ config: path.join(ROOT, 'config', 'organization.example.json') }).sort(),
    targets: statefulIds({ config: path.join(ROOT, 'config', 'targets.example.json') }).sort(),
  };
  if (process.env.UPDATE_STATEFUL_FIXTURE === '1') {
    fs.writeFileSync(FIXTURE, JSON.stringify(actual, null, 2) + '\n');
  }
  const expected = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as typeof actual;

  // New stateful resources may appear (a new construct); none of the recorded ones may go or be renamed.
  test.each(Object.keys(expected) as (keyof typeof actual)[])('%s configuration', (name) => {
    expect(expected[name].length).toBeGreaterThan(10);
    const present = new Set(actual[name]);
    expect(expected[name].filter((id) => !present.has(id))).toEqual([]);
  });
});
