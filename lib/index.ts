// The public API of cdk-security-baseline: re-exports only.
//
// This entry point (package.json "types") is the jsii surface: constructs and compliance classes,
// usable from TypeScript today and compilable with jsii for other languages (scripts/jsii-check.sh
// runs in CI). Exported functions and constants are invisible to other languages, so what a user
// needs is reachable through classes (e.g. `Finding`, `Acknowledgements`, `Controls`).
//
// The configuration loader, the app builder and the stacks that take a config object are
// TypeScript-only (their types come from zod): import them from `cdk-security-baseline/app`
// (lib/app.ts).
//
// Other engineers: append `export * from './constructs/<your-file>';` lines below.

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
export * from './constructs/encrypted-log-group';
export * from './constructs/hardened-function';
export * from './constructs/secure-rest-api';
export * from './constructs/managed-policy-role';
export * from './compliance/baseline-compliance';
export * from './compliance/gate-api';
export * from './compliance/security-policy-checks';
export * from './compliance/secure-defaults';
export { Acknowledgements, Finding } from './compliance/acknowledge';
export { Controls } from './compliance/controls-api';
export * from './constructs/secure-backup';
export * from './constructs/backup-restore-testing';
export * from './constructs/backup-job-alerts';
export * from './constructs/sensitive-data-discovery';
export * from './constructs/containment-runbooks';
export * from './constructs/config-recording';
export * from './constructs/vulnerability-scanning';
export * from './constructs/patch-management';
export * from './constructs/ddos-protection';
export * from './constructs/application-sign-in';
