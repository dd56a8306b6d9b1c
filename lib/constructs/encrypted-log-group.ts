import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BaselineKey } from './baseline-key';

export interface EncryptedLogGroupOptions {
  /** The log group's name: known at synth so the key policy can be scoped to exactly this group. */
  readonly logGroupName: string;
  readonly encryptionKey: BaselineKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly retention?: logs.RetentionDays;
  /** @default false */
  readonly deletionProtection?: boolean;
}

/**
 * A log group as every baseline construct makes it (LOG-04, ENC-01, DATA-05): encrypted with a
 * BaselineKey whose policy lets CloudWatch Logs use it for this group only, explicit retention,
 * retained with its stack, and created after the key policy allows it.
 */
export function encryptedLogGroup(
  scope: Construct,
  id: string,
  options: EncryptedLogGroupOptions,
): logs.LogGroup {
  const stack = Stack.of(scope);
  options.encryptionKey.allowCloudWatchLogs(
    stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: options.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  const group = new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    encryptionKey: options.encryptionKey,
    retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
    deletionProtectionEnabled: options.deletionProtection,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  group.node.addDependency(options.encryptionKey);
  return group;
}

/** The ARN of a log group by name, without the `:*` that `logGroupArn` carries. */
export function logGroupArnOf(scope: Construct, logGroupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
