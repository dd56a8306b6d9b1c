import { asList, CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

const MIN_TLS = 1.2;

/**
 * Every bucket's policy denies requests made with TLS older than 1.2 (`s3:TlsVersion`), to everyone
 * and for every S3 action (ENC-05). Public packs check only `aws:SecureTransport`.
 */
export const S3BucketDeniesOldTls: PolicyRule = {
  id: 'S3BucketDeniesOldTls',
  controls: ['ENC-05'],
  level: NagMessageLevel.ERROR,
  info: 'The S3 bucket policy does not deny requests that use TLS older than 1.2.',
  explanation:
    'ENC-05: data in transit uses TLS 1.2 or later. Add a Deny statement for all principals and s3:* with ' +
    'Condition NumericLessThan s3:TlsVersion 1.2 (SecureBucket does; in CDK: enforceSSL with minimumTLSVersion: 1.2).',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    const policies = cfn.siblings('AWS::S3::BucketPolicy').filter((p) => refersTo(p, cfn));
    const denies = policies.some((p) => {
      const doc = p.properties.PolicyDocument;
      return isObject(doc) && asList(doc.Statement).some(deniesOldTls);
    });
    return denies ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) =>
    `${cfn.siblings('AWS::S3::BucketPolicy').filter((p) => refersTo(p, cfn)).length} bucket polic(ies) in the stack, none denying ` +
    's3:* to everyone below s3:TlsVersion 1.2; set enforceSSL: true and minimumTLSVersion: 1.2 (SecureBucket does)',
};

/** Whether bucket policy `policy` is attached to `bucket` (by Ref or by literal name). */
function refersTo(policy: CfnView, bucket: CfnView): boolean {
  const target = policy.properties.Bucket;
  if (isObject(target) && target.Ref === bucket.logicalId) return true;
  return typeof target === 'string' && target === bucket.properties.BucketName;
}

function deniesOldTls(statement: unknown): boolean {
  if (!isObject(statement) || statement.Effect !== 'Deny') return false;
  const principal = statement.Principal;
  const everyone = principal === '*' || (isObject(principal) && asList(principal.AWS).includes('*'));
  const allActions = asList(statement.Action).some((a) => a === 's3:*' || a === '*');
  const condition = isObject(statement.Condition) ? statement.Condition.NumericLessThan : undefined;
  const version = isObject(condition) ? Number(asList(condition['s3:TlsVersion'])[0]) : NaN;
  return everyone && allActions && version >= MIN_TLS;
}
