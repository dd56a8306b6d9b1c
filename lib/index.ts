// The public API of cdk-security-baseline: re-exports only.

export * from './constructs/baseline-key';
export * from './constructs/secure-bucket';
export * from './constructs/access-log-bucket';
export * from './constructs/audit-trail';
export * from './constructs/auditor-role';
export * from './constructs/continuous-audit';
export * from './constructs/account-hardening';
export * from './constructs/access-roles';
export * from './constructs/access-analyzers';
export * from './constructs/severity';
export * from './constructs/security-alerts';
export * from './constructs/threat-detection';
export * from './constructs/cis-monitoring';
export * from './constructs/security-hub';
export * from './constructs/rate-limited-web-acl';
export * from './constructs/secure-vpc';
export * from './constructs/secure-database';
export * from './stacks/security-baseline-stack';
export * from './stacks/baseline-stack-set';
export { composeBaseline } from './stacks/baseline-composition';
export type { BaselineParts, ComposeOptions } from './stacks/baseline-composition';
export * from './compliance/baseline-compliance';
export * from './compliance/security-policy-checks';
export * from './compliance/secure-defaults';
export { nagResource } from './compliance/nag-ids';
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
