import { App, Stack } from 'aws-cdk-lib';
import { BaselineCompliance } from '../lib/compliance/baseline-compliance';
import { AccountHardening } from '../lib/constructs/account-hardening';
const app = new App({ outdir: 'scratch/out', context: require('../cdk.json').context });
const s = new Stack(app, 'Hard');
new AccountHardening(s, 'Account');
BaselineCompliance.enable(app, { report: false });
app.synth();
