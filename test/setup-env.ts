// CDK's built-in CloudFormation validation costs ~3 s and ~300 MB per synth. Unit tests
// assert template facts and do not need it; test/app.test.ts turns it back on.
process.env.CDK_VALIDATION = 'false';
// Unit tests check every template afresh; test/compliance/cache.test.ts turns the findings cache on
// in a folder of its own.
process.env.CDK_SECURITY_BASELINE_CACHE ??= 'off';
