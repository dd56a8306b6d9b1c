import { App } from 'aws-cdk-lib';
import { BaselineCompliance } from './compliance/baseline-compliance';
import { loadConfig } from './config/loader';
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
  return environments.map((env) => new SecurityBaselineStack(app, env.stackName, { config: env }));
}
