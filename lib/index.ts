// The public API of cdk-security-baseline: re-exports only.

export * from './constructs/baseline-key';
export * from './constructs/secure-bucket';
export * from './constructs/access-log-bucket';
export * from './constructs/audit-trail';
export * from './stacks/security-baseline-stack';
export * from './compliance/baseline-compliance';
export {
  recordControls,
  recordedControls,
  warnWeakened,
  CONTROLS_METADATA_TYPE,
} from './compliance/controls';
export { CONTROL_CATALOGUE } from './compliance/catalogue';
export type { ControlDefinition } from './compliance/catalogue';
export type { EnvironmentConfig } from './config/types';
export { loadConfig, resolveConfig, ConfigError } from './config/loader';
export type { ConfigProblem, LoadConfigOptions, LoadedConfig } from './config/loader';
export { DEFAULT_CONFIG } from './config/default-config';
export { PROFILES } from './config/profiles';
export { buildBaselineApp } from './baseline-app';
