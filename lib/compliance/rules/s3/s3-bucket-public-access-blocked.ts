import { CfnView, isObject, NagMessageLevel, NagRuleCompliance, PolicyRule } from '../rule';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
const PUBLIC_ACLS = ['PublicRead', 'PublicReadWrite', 'AuthenticatedRead'];

/**
 * Every bucket blocks all public access with its own four settings and has no public canned ACL
 * (DATA-01), as rendered: an escape hatch that turns one setting off is caught, which the public packs
 * (reading the L1 construct's properties) do not see. A setting known only at deploy time fails closed.
 */
export const S3BucketPublicAccessBlocked: PolicyRule = {
  id: 'S3BucketPublicAccessBlocked',
  controls: ['DATA-01'],
  level: NagMessageLevel.ERROR,
  info: 'The S3 bucket does not block all public access, or grants a public canned ACL.',
  explanation:
    'DATA-01: all public access blocked. Set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, ' +
    'IgnorePublicAcls and RestrictPublicBuckets all true (s3.BlockPublicAccess.BLOCK_ALL; SecureBucket does) and ' +
    'no PublicRead/PublicReadWrite/AuthenticatedRead AccessControl.',
  check: (cfn: CfnView) => {
    if (cfn.type !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
    return problems(cfn).length === 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  found: (cfn: CfnView) =>
    `${problems(cfn).join('; ')}; use blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL`,
};

function problems(cfn: CfnView): string[] {
  const out: string[] = [];
  const block = cfn.properties.PublicAccessBlockConfiguration;
  if (!isObject(block)) out.push('PublicAccessBlockConfiguration is not set');
  else
    for (const k of SETTINGS)
      if (block[k] !== true) out.push(`${k} is ${JSON.stringify(block[k] ?? 'unset')}`);
  const acl = cfn.properties.AccessControl;
  if (typeof acl === 'string' && PUBLIC_ACLS.includes(acl)) out.push(`AccessControl is ${acl}`);
  return out;
}
