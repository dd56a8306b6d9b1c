// CDK's built-in CloudFormation validation costs ~3 s and ~300 MB per synth. Unit tests
// assert template facts and do not need it; test/app.test.ts turns it back on.
process.env.CDK_VALIDATION = 'false';
