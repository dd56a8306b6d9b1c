// CDK's built-in CloudFormation validation costs ~3 s and ~300 MB per synth. Unit tests
// assert template facts and do not need it; test/app.test.ts turns it back on.
process.env.CDK_VALIDATION = 'false';
// Unit tests check every template afresh; test/compliance/cache.test.ts turns the findings cache on
// in a folder of its own.
process.env.CDK_SECURITY_BASELINE_CACHE ??= 'off';
// Every App a test creates records no creation stack trace per resource (templates and findings are
// the same; the CLI shows these traces when a deployment fails). Under Jest, each capture is mapped
// through the source maps of the TypeScript it passes through: in test/config/fuzz.test.ts about a
// fifth of the CPU. An App reads this variable when it is constructed; the CDK CLI sets it afresh
// for the apps it runs (test/e2e/).
process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:disable-creation-stack-traces': true });
// The CDK CLI that test/e2e/ and the package test run would look for a newer version, fetch notices
// and send usage telemetry to AWS (through a detached process, after writing a cdk-telemetry-*.json
// file to the temporary folder): nothing a test runs reaches the network beyond the npm registry.
process.env.CDK_DISABLE_VERSION_CHECK = 'true';
process.env.CDK_CLI_NOTICES = 'false';
process.env.CDK_DISABLE_CLI_TELEMETRY = 'true';
