import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { recordedControls } from '../../lib/compliance/controls';
import { AccessLogBucket } from '../../lib/constructs/access-log-bucket';
import { AuditTrail } from '../../lib/constructs/audit-trail';
import { SecureBucket } from '../../lib/constructs/secure-bucket';
import { resourcesOf, testStack } from '../helpers';

describe('AuditTrail S3 data events for sensitive buckets (LOG-03)', () => {
  const stack = testStack();
  const data = new SecureBucket(stack, 'Data');
  const imported = s3.Bucket.fromBucketName(stack, 'Imported', 'customer-exports');
  const trail = new AuditTrail(stack, 'Trail', { dataEventBuckets: [data.bucket, imported] });
  const template = Template.fromStack(stack);
  const [[, cfnTrail]] = resourcesOf(template, 'AWS::CloudTrail::Trail');
  const selectors: any[] = cfnTrail.Properties.AdvancedEventSelectors;

  test('advanced selectors: every management event, plus object-level events of exactly the sensitive buckets', () => {
    expect(cfnTrail.Properties.EventSelectors).toBeUndefined();
    expect(selectors).toHaveLength(2);
    expect(selectors[0].FieldSelectors).toEqual([{ Field: 'eventCategory', Equals: ['Management'] }]);
    const [category, type, arn] = selectors[1].FieldSelectors;
    expect(category).toEqual({ Field: 'eventCategory', Equals: ['Data'] });
    expect(type).toEqual({ Field: 'resources.type', Equals: ['AWS::S3::Object'] });
    expect(arn.Field).toBe('resources.ARN');
    expect(arn.StartsWith).toHaveLength(2);
    expect(JSON.stringify(arn.StartsWith[0])).toContain(
      `{"Fn::GetAtt":["${stack.getLogicalId(data.bucket.node.defaultChild as s3.CfnBucket)}","Arn"]},"/"`,
    );
    expect(JSON.stringify(arn.StartsWith[1])).toContain(':s3:::customer-exports/');
  });

  test("never the trail's own audit bucket", () => {
    const auditId = stack.getLogicalId(trail.bucket.bucket.node.defaultChild as s3.CfnBucket);
    expect(JSON.stringify(selectors)).not.toContain(auditId);
  });

  test('records LOG-03 only when data events are on', () => {
    expect(recordedControls(trail).get('Test/Trail')).toEqual([
      'LOG-01',
      'LOG-02',
      'LOG-04',
      'ENC-01',
      'LOG-03',
    ]);
    const s = testStack();
    const plain = new AuditTrail(s, 'Trail');
    expect(recordedControls(plain).get('Test/Trail')).not.toContain('LOG-03');
    const [[, t]] = resourcesOf(Template.fromStack(s), 'AWS::CloudTrail::Trail');
    expect(t.Properties.EventSelectors).toEqual([{ IncludeManagementEvents: true, ReadWriteType: 'All' }]);
    expect(t.Properties.AdvancedEventSelectors).toBeUndefined();
  });

  test("refuses the audit bucket's access-log bucket (a logging loop) and duplicates, all at once", () => {
    const s = testStack();
    const logs = new AccessLogBucket(s, 'Logs').bucket;
    const d = new SecureBucket(s, 'D', { serverAccessLogsBucket: logs });
    expect(
      () =>
        new AuditTrail(s, 'Trail', {
          serverAccessLogsBucket: logs,
          dataEventBuckets: [d.bucket, logs, d.bucket],
        }),
    ).toThrow(
      [
        "AuditTrail at 'Test/Trail': 2 invalid prop(s):",
        `  - dataEventBuckets[1]: got "Test/Logs/Resource"; the audit bucket's access-log bucket: each log-file delivery would be logged as a data event, in a loop (LOG-03)`,
        '  - dataEventBuckets[2]: got "Test/D/Resource"; each bucket once',
      ].join('\n'),
    );
  });

  test("the guard also refuses the trail's own audit bucket (unreachable through props, which exist before it)", () => {
    const t = new AuditTrail(testStack(), 'T');
    expect(() => (t as any).dataEventSelectors([t.bucket.bucket], 'Test/T')).toThrow(
      /dataEventBuckets\[0\]: got "Test\/T\/Bucket\/Resource"; the trail's own audit bucket: each log-file delivery/,
    );
  });
});
