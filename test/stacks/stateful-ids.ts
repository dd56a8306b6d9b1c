import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/** The configurations the fixture records: the default one, organization.example.json, targets.example.json. */
export type Configuration = 'default' | 'organization' | 'targets';

/**
 * `<template file>: <type> <logical ID>` for every stateful resource of every template an app wrote
 * (its synthesized `assembly` in `outdir`), sorted.
 */
export function statefulIds(assembly: CloudAssembly, outdir: string): string[] {
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
  return templates
    .flatMap(([f, template]) => {
      const resources = (template as { Resources?: Record<string, { Type: string }> }).Resources ?? {};
      return Object.entries(resources)
        .filter(([, r]) => STATEFUL_TYPES.has(r.Type))
        .map(([id, r]) => `${f}: ${r.Type} ${id}`);
    })
    .sort();
}

/**
 * The recorded IDs of `name` that are missing from `actual` (new stateful resources may appear, none
 * of the recorded ones may go or be renamed). With UPDATE_STATEFUL_FIXTURE=1, records `actual` first.
 */
export function missingStatefulIds(name: Configuration, actual: string[]): string[] {
  if (process.env.UPDATE_STATEFUL_FIXTURE === '1') {
    const current = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, string[]>;
    fs.writeFileSync(FIXTURE, JSON.stringify({ ...current, [name]: actual }, null, 2) + '\n');
  }
  const expected = (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<Configuration, string[]>)[name];
  expect(expected.length).toBeGreaterThan(10);
  const present = new Set(actual);
  return expected.filter((id) => !present.has(id));
}

/** The configurations the fixture holds. */
export function fixtureConfigurations(): Configuration[] {
  return Object.keys(JSON.parse(fs.readFileSync(FIXTURE, 'utf8'))) as Configuration[];
}
