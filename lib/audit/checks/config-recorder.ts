import type {
  DescribeConfigurationRecordersCommandOutput,
  DescribeConfigurationRecorderStatusCommandOutput,
  DescribeDeliveryChannelsCommandOutput,
} from '@aws-sdk/client-config-service';
import { call } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { configServiceSdk } from '../sdk';

/**
 * DET-03 (per region, opt-in): the AWS Config recorder records all supported resource types, is
 * recording, and delivers to a bucket with a KMS key. No recorder is NOT_APPLICABLE (the control is
 * opt-in).
 */
export const configRecorderCheck: AuditCheck = {
  name: 'config',
  controls: ['DET-03'],
  description: 'AWS Config records all supported resource types and delivers KMS-encrypted',
  permissions: CHECK_PERMISSIONS.config,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const {
      ConfigServiceClient,
      DescribeConfigurationRecorderStatusCommand,
      DescribeConfigurationRecordersCommand,
      DescribeDeliveryChannelsCommand,
    } = configServiceSdk();
    const r = resultsFor('config', 'DET-03', context.region, 'AWS::Config::ConfigurationRecorder');
    const where = `AWS Config recorder in ${context.region}`;
    const client = new ConfigServiceClient({ ...context.clientConfig, region: context.region });
    try {
      const recorders = await call<DescribeConfigurationRecordersCommandOutput>(
        context,
        client,
        new DescribeConfigurationRecordersCommand({}),
      );
      const list = recorders.ConfigurationRecorders ?? [];
      if (list.length === 0) return [r.notApplicable(where, 'no configuration recorder; DET-03 is opt-in')];
      const [status, channels] = await Promise.all([
        call<DescribeConfigurationRecorderStatusCommandOutput>(
          context,
          client,
          new DescribeConfigurationRecorderStatusCommand({}),
        ),
        call<DescribeDeliveryChannelsCommandOutput>(context, client, new DescribeDeliveryChannelsCommand({})),
      ]);
      const channel = channels.DeliveryChannels?.[0];
      return list.map((recorder) => {
        const name = recorder.name ?? 'default';
        const problems: string[] = [];
        const group = recorder.recordingGroup;
        const all =
          group === undefined ||
          group.allSupported === true ||
          group.recordingStrategy?.useOnly === 'ALL_SUPPORTED_RESOURCE_TYPES';
        const excluded = group?.exclusionByResourceTypes?.resourceTypes ?? [];
        if (!all) problems.push('records a list of resource types, not all supported ones');
        if (excluded.length > 0) problems.push(`excludes ${excluded.join(', ')}`);
        const s = status.ConfigurationRecordersStatus?.find((x) => x.name === recorder.name);
        if (s?.recording !== true) problems.push('not recording');
        if (!channel) problems.push('no delivery channel');
        else if (!channel.s3KmsKeyArn) problems.push(`delivery channel ${channel.name} has no KMS key`);
        return r.verdict(name, problems, 'records all supported types, recording, KMS-encrypted delivery');
      });
    } catch (e) {
      return [r.notChecked(where, e)];
    }
  },
};
