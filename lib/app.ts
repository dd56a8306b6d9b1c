// TypeScript-only entry point: `import { ... } from 'cdk-security-baseline/app'`.
//
// Everything in the main entry point, plus the parts whose types jsii cannot express (config types
// inferred from zod, function-typed rule definitions, readonly collections): the configuration
// loader, the app builder, the stacks that take a config object, the composition, the report
// writer, the SecurityPolicy pack's rule list and the plain helper functions.

export * from './index';
export * from './stacks/security-baseline-stack';
export * from './stacks/baseline-stack-set';
export * from './stacks/protected-workload-stack';
export { composeBaseline } from './stacks/baseline-composition';
export type { BaselineParts, ComposeOptions } from './stacks/baseline-composition';
export { nagResource } from './compliance/nag-ids';
export { acknowledge, inFrameworkPacks, acknowledgeCustomResourceHandler } from './compliance/acknowledge';
export { ControlTowerGuard } from './compliance/control-tower-guard';
export { POLICY_RULES, CfnView } from './compliance/rules';
export type { PolicyRule, PolicyRuleOptions } from './compliance/rules';
export {
  buildControlsReport,
  renderMarkdown,
  REPORT_JSON,
  REPORT_MARKDOWN,
  REPORT_SCHEMA_VERSION,
} from './compliance/report';
export type {
  ControlsReport,
  ReportControl,
  ReportCheck,
  ReportPack,
  ControlStatus,
} from './compliance/report';
export {
  recordControls,
  recordedControls,
  warnWeakened,
  CONTROLS_METADATA_TYPE,
} from './compliance/controls';
export { CONTROL_CATALOGUE } from './compliance/catalogue';
export type { ControlDefinition } from './compliance/catalogue';
export type { EnvironmentConfig, DeploymentTarget, OrganizationConfig } from './config/types';
export { KNOWN_REGIONS } from './config/schema';
export { loadConfig, resolveConfig, ConfigError } from './config/loader';
export type { ConfigProblem, LoadConfigOptions, LoadedConfig } from './config/loader';
export { DEFAULT_CONFIG } from './config/default-config';
export { PROFILES } from './config/profiles';
export { buildBaselineApp } from './baseline-app';
