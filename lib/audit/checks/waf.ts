import type {
  GetLoggingConfigurationCommandOutput,
  GetWebACLCommandOutput,
  ListResourcesForWebACLCommandOutput,
  ListWebACLsCommandOutput,
  Scope,
  WebACL,
  WebACLSummary,
} from '@aws-sdk/client-wafv2';
import { call, errorName, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { wafv2Sdk } from '../sdk';

/** NET-04: the AWS managed rule groups every web ACL uses. */
export const REQUIRED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

/** NET-03's blocking rate rule (within `maxLimit` when given), or the problem. */
export function rateRuleProblem(acl: WebACL, maxLimit: number | undefined): string | undefined {
  const rules = (acl.Rules ?? []).filter((r) => r.Statement?.RateBasedStatement && r.Action?.Block);
  if (rules.length === 0) return 'no rate-based rule with a Block action';
  if (maxLimit === undefined) return undefined;
  const within = rules.some((r) => (r.Statement?.RateBasedStatement?.Limit ?? Infinity) <= maxLimit);
  return within ? undefined : `rate limit above the configured ${maxLimit} requests per window`;
}

/**
 * NET-03 (blocking rate rule within policy, associated with a resource), NET-04 (managed rule
 * groups), NET-05 (logging with the authorization header redacted). CloudFront ACLs in us-east-1.
 */
export const wafCheck: AuditCheck = {
  name: 'waf',
  controls: ['NET-03', 'NET-04', 'NET-05'],
  description: 'web ACLs rate-limit, use the managed rule groups, log with redaction and protect a resource',
  permissions: CHECK_PERMISSIONS.waf,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const {
      GetLoggingConfigurationCommand,
      GetWebACLCommand,
      ListResourcesForWebACLCommand,
      ListWebACLsCommand,
      WAFV2Client,
    } = wafv2Sdk();
    const client = new WAFV2Client({ ...context.clientConfig, region: context.region });
    const scopes: Scope[] = context.region === 'us-east-1' ? ['REGIONAL', 'CLOUDFRONT'] : ['REGIONAL'];
    const r = resultsFor('waf', 'NET-03', context.region, 'AWS::WAFv2::WebACL');
    const where = `web ACLs in ${context.region}`;
    const acls: [Scope, WebACLSummary][] = [];
    try {
      for (const scope of scopes) {
        const found = await listAll(context, `ListWebACLs ${scope}`, async (NextMarker) => {
          const page = await call<ListWebACLsCommandOutput>(
            context,
            client,
            new ListWebACLsCommand({ Scope: scope, NextMarker, Limit: 100 }),
          );
          // WAF returns a marker even on the last page; an empty page ends the listing.
          return { items: page.WebACLs, next: (page.WebACLs ?? []).length > 0 ? page.NextMarker : undefined };
        });
        acls.push(...found.map((a): [Scope, WebACLSummary] => [scope, a]));
      }
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    if (acls.length === 0) {
      if (context.expect.webAcl === true)
        return [
          r.nonCompliant(
            where,
            'no web ACL, but the config deploys a protected workload here (workload.enabled)',
          ),
        ];
      return [
        r.notApplicable(
          where,
          context.expect.webAcl === false
            ? 'no web ACL, and the config deploys no public endpoint here'
            : 'no web ACL in this region (pass --config to hold the account to its configuration)',
        ),
      ];
    }
    const perAcl = await mapBounded(acls, context.concurrency, async ([scope, summary]) => {
      const resource = summary.ARN ?? summary.Name ?? 'unknown web ACL';
      const results: AuditResult[] = [];
      let acl: WebACL | undefined;
      try {
        acl = (
          await call<GetWebACLCommandOutput>(
            context,
            client,
            new GetWebACLCommand({ Scope: scope, Id: summary.Id, Name: summary.Name }),
          )
        ).WebACL;
        if (!acl) throw new Error('GetWebACL returned no web ACL');
      } catch (e) {
        return ['NET-03', 'NET-04', 'NET-05'].map((c) => r.notChecked(resource, e, c));
      }
      const rate = rateRuleProblem(acl, context.expect.maxRateLimit);
      try {
        const problems = rate ? [rate] : [];
        if (scope === 'REGIONAL') {
          const attached = await call<ListResourcesForWebACLCommandOutput>(
            context,
            client,
            new ListResourcesForWebACLCommand({ WebACLArn: acl.ARN }),
          );
          if ((attached.ResourceArns ?? []).length === 0) problems.push('not associated with any resource');
        }
        results.push(r.verdict(resource, problems, 'blocking rate-based rule within policy, associated'));
      } catch (e) {
        results.push(r.notChecked(resource, e));
      }
      const groups = new Set(
        (acl.Rules ?? [])
          .map((x) => x.Statement?.ManagedRuleGroupStatement?.Name)
          .filter((n): n is string => !!n),
      );
      const missing = REQUIRED_RULE_GROUPS.filter((g) => !groups.has(g));
      results.push(
        r.verdict(
          resource,
          missing.length ? [`managed rule groups missing: ${missing.join(', ')}`] : [],
          'all managed rule groups in use',
          'NET-04',
        ),
      );
      try {
        const logging = await call<GetLoggingConfigurationCommandOutput>(
          context,
          client,
          new GetLoggingConfigurationCommand({ ResourceArn: acl.ARN }),
        );
        const redacted = (logging.LoggingConfiguration?.RedactedFields ?? []).some(
          (f) => f.SingleHeader?.Name?.toLowerCase() === 'authorization',
        );
        results.push(
          r.verdict(
            resource,
            redacted ? [] : ['the authorization header is not redacted in the logs'],
            'logged, authorization header redacted',
            'NET-05',
          ),
        );
      } catch (e) {
        results.push(
          errorName(e) === 'WAFNonexistentItemException'
            ? r.nonCompliant(resource, 'logging is off', 'NET-05')
            : r.notChecked(resource, e, 'NET-05'),
        );
      }
      return results;
    });
    return perAcl.flat();
  },
};
