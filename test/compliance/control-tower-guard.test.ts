import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ControlTowerGuard } from '../../lib/compliance/control-tower-guard';

describe('ControlTowerGuard (CMP-03)', () => {
  const guard = new ControlTowerGuard();

  test('knows all the bundled Control Tower rules', () => {
    expect(guard.ruleIds.length).toBeGreaterThan(200);
  });

  test('runs the rules for the resource types present, and rules that name no type', () => {
    const s3Only = guard.relevantRules(new Set(['AWS::S3::Bucket']));
    expect(s3Only.some((f) => f.includes(`${path.sep}s3${path.sep}`))).toBe(true);
    expect(s3Only.some((f) => f.includes(`${path.sep}dynamodb${path.sep}`))).toBe(false);
    expect(s3Only.length).toBeLessThan(guard.ruleIds.length);
    expect(guard.relevantRules(new Set())).toEqual(guard.relevantRules(new Set(['AWS::Fake::Thing'])));
  });

  test('still finds what the full rule set finds in a template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
    const file = path.join(dir, 'Plain.template.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ Resources: { Plain: { Type: 'AWS::S3::Bucket', Properties: {} } } }),
    );
    const report = guard.validate({ templatePaths: [file] } as never);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['s3_bucket_object_lock_enabled_check', 's3_bucket_logging_enabled_check']),
    );
  });
});
