#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildBaselineApp } from '../lib/baseline-app';
import { ConfigError } from '../lib/config/loader';

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
app.synth();
