import type {
  GetTopicAttributesCommandOutput,
  ListTagsForResourceCommandOutput,
  ListTopicsCommandOutput,
} from '@aws-sdk/client-sns';
import { call, listAll } from '../aws';
import { AuditCheck, CheckContext, mapBounded, resultsFor } from '../context';
import { AuditResult } from '../result';
import { BASELINE_TAG } from './s3-buckets';
import { CHECK_PERMISSIONS } from '../permissions';
import { snsSdk } from '../sdk';

/** ENC-01: every baseline SNS topic (tagged) is encrypted with a customer-managed key. */
export const snsCheck: AuditCheck = {
  name: 'sns',
  controls: ['ENC-01'],
  description: 'baseline SNS topics are encrypted with a customer-managed KMS key',
  permissions: CHECK_PERMISSIONS.sns,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand, SNSClient } = snsSdk();
    const sns = new SNSClient({ ...context.clientConfig, region: context.region });
    const r = resultsFor('sns', 'ENC-01', context.region, 'AWS::SNS::Topic');
    const where = `topics in ${context.region}`;
    let arns: string[];
    try {
      arns = await listAll(context, 'ListTopics', async (NextToken) => {
        const page = await call<ListTopicsCommandOutput>(context, sns, new ListTopicsCommand({ NextToken }));
        return {
          items: (page.Topics ?? []).flatMap((t) => (t.TopicArn ? [t.TopicArn] : [])),
          next: page.NextToken,
        };
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
    const results = await mapBounded(
      arns,
      context.concurrency,
      async (arn): Promise<AuditResult | undefined> => {
        try {
          const tags = await call<ListTagsForResourceCommandOutput>(
            context,
            sns,
            new ListTagsForResourceCommand({ ResourceArn: arn }),
          );
          if (!(tags.Tags ?? []).some((t) => t.Key === BASELINE_TAG)) return undefined;
          const attrs = await call<GetTopicAttributesCommandOutput>(
            context,
            sns,
            new GetTopicAttributesCommand({ TopicArn: arn }),
          );
          const key = attrs.Attributes?.KmsMasterKeyId;
          if (!key) return r.nonCompliant(arn, 'not encrypted');
          if (/alias\/aws\/sns$/.test(key))
            return r.nonCompliant(
              arn,
              'encrypted with the AWS-managed aws/sns key, not a customer-managed key',
            );
          return r.compliant(arn, `encrypted with ${key}`);
        } catch (e) {
          return r.notChecked(arn, e);
        }
      },
    );
    const found = results.filter((x): x is AuditResult => x !== undefined);
    return found.length > 0
      ? found
      : [r.notApplicable(where, `no topic tagged ${BASELINE_TAG} in this region`)];
  },
};
