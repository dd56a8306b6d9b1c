import { CfnResource, Stack } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/baseline-app';
import { testApp } from '../helpers';

// Nothing that holds data may be replaced by an update: a changed logical ID makes CloudFormation
// create a new resource (and, with Retain, orphan the old one with its data). The fixture lists the
// stateful resources of the default app as they were before the library's API was reshaped
// (commit 86bec51); every one of them must still be there, under the same logical ID and type.
// Read from the construct tree (no synth): CfnResource logical IDs are final once built.
const FIXTURE: Record<string, Record<string, string>> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'stateful-logical-ids.json'), 'utf8'),
);

describe('stateful resources of the default app keep their logical IDs', () => {
  const app = testApp();
  buildBaselineApp(app);
  const stacks = new Map(
    app.node
      .findAll()
      .filter((c): c is Stack => Stack.isStack(c))
      .map((s) => [s.stackName, s]),
  );

  test.each(Object.keys(FIXTURE))('%s', (stackName) => {
    const stack = stacks.get(stackName);
    expect(stack).toBeDefined();
    const now = Object.fromEntries(
      stack!.node
        .findAll()
        .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
        .map((r) => [stack!.resolve(r.logicalId) as string, r.cfnResourceType]),
    );
    for (const [logicalId, type] of Object.entries(FIXTURE[stackName])) {
      expect({ logicalId, type: now[logicalId] }).toEqual({ logicalId, type });
    }
  });
});
