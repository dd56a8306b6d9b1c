#!/usr/bin/env node
// First: the template checks' slowest start-up begins while the rest loads (see the module).
import './start-checks-early';
import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from '../lib/baseline-app';
import { ConfigError } from '../lib/config/loader';
import { stackSetTemplateProblems } from '../lib/stacks/conditional-references';

const app = new App();
try {
  buildBaselineApp(app);
} catch (e) {
  if (e instanceof ConfigError) {
    // Nothing has been synthesized: report every problem and stop before any template is written.
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
const assembly = app.synth();
// StackSet templates are file assets, not stacks: read them back and fail on a reference that
// breaks in a region where its target is not deployed.
const problems = stackSetTemplateProblems(app, assembly.directory);
if (problems.length > 0) {
  console.error(
    `StackSet templates refer to resources that are not deployed everywhere:\n  - ${problems.join('\n  - ')}`,
  );
  process.exit(1);
}
