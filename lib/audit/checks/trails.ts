import type { DescribeTrailsCommandOutput, Trail } from '@aws-sdk/client-cloudtrail';
import { call } from '../aws';
import { CheckContext } from '../context';
import { cloudTrailSdk } from '../sdk';

/**
 * The trails of `context.region` (`cloudtrail:DescribeTrails`). With `shadowTrails`, also multi-region
 * trails homed in another region, which log this one too.
 */
export async function describeTrails(context: CheckContext, shadowTrails: boolean): Promise<Trail[]> {
  const { CloudTrailClient, DescribeTrailsCommand } = cloudTrailSdk();
  const client = new CloudTrailClient({ ...context.clientConfig, region: context.region });
  const out = await call<DescribeTrailsCommandOutput>(
    context,
    client,
    new DescribeTrailsCommand({ includeShadowTrails: shadowTrails }),
  );
  return out.trailList ?? [];
}
