// Helpers for the detection and response construct tests (issue 17): the project's own test app and
// gate run (test/helpers.ts, test/compliance/gate-helpers.ts), in the shape these tests read.
import { App } from 'aws-cdk-lib';
import { reportedViolations, synthGate } from '../compliance/gate-helpers';

export { regionalArn, testApp, testStack } from '../helpers';

/**
 * Build an app with `build`, turn the whole gate on and synthesize it: whether synth threw, every
 * violation the plugins reported (acknowledged ones excluded), and what the gate counted as failing.
 */
export function synthWithGate(build: (app: App) => void): {
  threw: boolean;
  violations: string[];
  problems: unknown[];
} {
  const run = synthGate(build);
  return { threw: run.threw, violations: reportedViolations(run), problems: [...run.problems] };
}
