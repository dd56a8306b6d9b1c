// Imported first by bin/app.ts, before aws-cdk-lib and the app's own modules load: starts the child
// process that will run CloudFormation validation, so its engine starts while the app is built
// (lib/compliance/early-validation.ts). Loads nothing but Node's own modules.
import { startValidationEarly } from '../lib/compliance/early-validation';

startValidationEarly();
