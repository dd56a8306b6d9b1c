import { Template } from 'aws-cdk-lib/assertions';
import { NagRuleCompliance } from 'cdk-nag';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import { recordedControls } from '../../lib/compliance/controls';
import { CfnView, CloudTrailAuditTrail } from '../../lib/compliance/rules';
import { AuditTrail } from '../../lib/constructs/audit-trail';
import { testStack } from '../helpers';
import { DEFAULT_OPTIONS } from '../compliance/rules/helpers';

describe('AuditTrail({ allBucketDataEvents }) (LOG-03, prod)', () => {
  const stack = testStack();
  const audit = new AuditTrail(stack, 'Audit', { allBucketDataEvents: true });
  const template = Template.fromStack(stack);
  const selectors = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0].Properties
    .AdvancedEventSelectors as { FieldSelectors: Record<string, unknown>[] }[];

  test('keeps every management event and records S3 data events of every bucket but its own delivery buckets', () => {
    expect(selectors[0].FieldSelectors).toEqual([{ Field: 'eventCategory', Equals: ['Management'] }]);
    const arn = selectors[1].FieldSelectors.find((f) => f.Field === 'resources.ARN')!;
    expect(arn.NotStartsWith).toHaveLength(2);
    const bucketId = stack.resolve((audit.bucket.bucket.node.defaultChild as cloudtrail.CfnTrail).logicalId);
    expect(JSON.stringify(arn.NotStartsWith)).toContain(bucketId);
  });

  test('records LOG-03 and still passes the complete-trail rule', () => {
    expect([...recordedControls(stack)].flatMap(([, ids]) => ids)).toContain('LOG-03');
    const cfn = new CfnView(audit.trail as cloudtrail.CfnTrail);
    expect(CloudTrailAuditTrail.check(cfn, DEFAULT_OPTIONS)).toBe(NagRuleCompliance.COMPLIANT);
  });
});
