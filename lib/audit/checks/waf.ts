import {
  GetWebACLCommand,
  ListWebACLsCommand,
  Scope,
  WAFV2Client,
  WebACLSummary,
} from '@aws-sdk/client-wafv2';
import { AuditCheck, CheckContext, mapBounded } from '../context';
import { AuditResult, describeError } from '../result';

/** NET-03: every web ACL has a rate-based rule that blocks. CloudFront web ACLs are checked in us-east-1. */
export const wafCheck: AuditCheck = {
  name: 'waf',
  control: 'NET-03',
  description: 'every WAFv2 web ACL has a blocking rate-based rule',
  permissions: ['wafv2:ListWebACLs', 'wafv2:GetWebACL'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const client = new WAFV2Client({ ...context.clientConfig, region: context.region });
    const scopes: Scope[] = context.region === 'us-east-1' ? ['REGIONAL', 'CLOUDFRONT'] : ['REGIONAL'];
    const acls: [Scope, WebACLSummary][] = [];
    const base = {
      check: 'waf',
      control: 'NET-03',
      region: context.region,
      resourceType: 'AWS::WAFv2::WebACL',
    };
    try {
      for (const scope of scopes) {
        let marker: string | undefined;
        do {
          const page = await client.send(
            new ListWebACLsCommand({ Scope: scope, NextMarker: marker, Limit: 100 }),
          );
          for (const acl of page.WebACLs ?? []) acls.push([scope, acl]);
          marker = page.NextMarker && (page.WebACLs ?? []).length > 0 ? page.NextMarker : undefined;
        } while (marker);
      }
    } catch (e) {
      return [
        { ...base, resource: `web ACLs in ${context.region}`, status: 'ERROR', reason: describeError(e) },
      ];
    }
    return mapBounded(acls, context.concurrency, async ([scope, acl]): Promise<AuditResult> => {
      const resource = acl.ARN ?? acl.Name ?? 'unknown web ACL';
      try {
        const { WebACL } = await client.send(
          new GetWebACLCommand({ Scope: scope, Id: acl.Id, Name: acl.Name }),
        );
        const rate = (WebACL?.Rules ?? []).find((r) => r.Statement?.RateBasedStatement && r.Action?.Block);
        return rate
          ? {
              ...base,
              resource,
              status: 'COMPLIANT',
              reason: `rule "${rate.Name}" blocks above ${rate.Statement?.RateBasedStatement?.Limit} requests per window`,
            }
          : { ...base, resource, status: 'NON_COMPLIANT', reason: 'no rate-based rule with a Block action' };
      } catch (e) {
        return { ...base, resource, status: 'ERROR', reason: describeError(e) };
      }
    });
  },
};
