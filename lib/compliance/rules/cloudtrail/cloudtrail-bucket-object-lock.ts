import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

/**
 * A trail's log files land in an Object-Lock-enabled bucket with a default retention, so nobody can
 * rewrite or delete the audit record before its retention ends (LOG-02).
 */
export const CloudTrailBucketObjectLock: PolicyRule = {
  id: 'CloudTrailBucketObjectLock',
  controls: ['LOG-02'],
  level: NagMessageLevel.ERROR,
  info: "The trail's S3 bucket does not have S3 Object Lock with a default retention.",
  explanation:
    'Audit logs must be immutable (LOG-02). Enable Object Lock with a default retention on the bucket the trail ' +
    'delivers to (AuditTrail does). A bucket outside this stack cannot be checked here; verify it with baseline-audit.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::CloudTrail::Trail') return NagRuleCompliance.NOT_APPLICABLE;
    const bucket = cfn.referenced(cfn.properties.S3BucketName, 'AWS::S3::Bucket', 'BucketName');
    if (bucket === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const lock = bucket.properties.ObjectLockConfiguration;
    const retention = isObject(lock) && isObject(lock.Rule) ? lock.Rule.DefaultRetention : undefined;
    const enabled =
      bucket.properties.ObjectLockEnabled === true && isObject(lock) && lock.ObjectLockEnabled === 'Enabled';
    return enabled && isObject(retention) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) => {
    const bucket = cfn.referenced(cfn.properties.S3BucketName, 'AWS::S3::Bucket', 'BucketName');
    const lock = bucket?.properties.ObjectLockConfiguration;
    return (
      `bucket ${bucket?.logicalId ?? '?'} has ObjectLockEnabled ${JSON.stringify(bucket?.properties.ObjectLockEnabled ?? 'unset')} ` +
      `and ${isObject(lock) && isObject(lock.Rule) ? 'a default retention' : 'no default retention'}; use AuditTrail, or objectLockRetention on SecureBucket`
    );
  },
};
