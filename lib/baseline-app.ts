import { App } from 'aws-cdk-lib';
import { BaselineCompliance } from './compliance/baseline-compliance';
import { loadConfig } from './config/loader';
import { ProtectedWorkloadStack } from './stacks/protected-workload-stack';
import { SecurityBaselineStack } from './stacks/security-baseline-stack';

/**
 * Build the baseline into `app` from its context: `-c config=FILE` (default: the embedded default
 * configuration) and `-c env=NAME` (default: every configured environment). The configuration is
 * validated in full first; on any problem a ConfigError is thrown and no stack is created.
 */
export function buildBaselineApp(app: App): SecurityBaselineStack[] {
  const configFile = app.node.tryGetContext('config');
  const { environments } = loadConfig({
    configFile: configFile === undefined ? undefined : String(configFile),
    env: app.node.tryGetContext('env'),
  });
  // policy.maxKeyRotationDays is one value for the whole configuration.
  BaselineCompliance.enable(app, { maxKeyRotationDays: environments[0]?.keys.maxRotationPeriodDays });
  return environments.map((env) => {
    const baseline = new SecurityBaselineStack(app, env.stackName, { config: env });
    if (env.workload.enabled) {
      // The reference workload shows the data and edge controls working together (config: workload.enabled).
      new ProtectedWorkloadStack(app, `${env.stackName}-Workload`, { config: env });
    }
    return baseline;
  });
}
