import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { recordControls } from '../compliance/controls';
import { BaselineKey } from './baseline-key';
import { childPath, PropErrors } from './errors';
import { uniqueLowerName } from './unique-name';

export interface EncryptedLogGroupOptions {
  /** The log group's name: known at synth so the key policy can be scoped to exactly this group. */
  readonly logGroupName: string;
  readonly encryptionKey: BaselineKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly retention?: logs.RetentionDays;
  /** @default false */
  readonly deletionProtection?: boolean;
}

export interface EncryptedLogGroupProps {
  /**
   * The log group's name. It is needed at synth, so the key policy lets CloudWatch Logs use the
   * key for exactly this group (ENC-03).
   * @default - `/security-baseline/<unique id of this construct>`
   */
  readonly logGroupName?: string;

  /**
   * The key that encrypts the log group (ENC-01, LOG-04). A BaselineKey in the same stack, whose
   * key policy this construct extends for CloudWatch Logs.
   * @default - a new BaselineKey for this log group
   */
  readonly encryptionKey?: BaselineKey;

  /**
   * How long log events are kept (LOG-04). Never `INFINITE`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * CloudWatch Logs deletion protection.
   * @default false
   */
  readonly deletionProtection?: boolean;
}

/**
 * A CloudWatch Logs log group as the baseline makes every log group (LOG-04, ENC-01, DATA-05):
 * encrypted with a customer-managed BaselineKey whose policy lets CloudWatch Logs use it for this
 * group only, explicit retention (one year by default), retained when its stack is deleted, and
 * created after the key policy allows it. Use `logGroup` wherever CDK asks for an `ILogGroup`.
 */
export class EncryptedLogGroup extends Construct {
  /** The log group. */
  public readonly logGroup: logs.LogGroup;
  /** The key that encrypts it. */
  public readonly encryptionKey: BaselineKey;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps = {}) {
    super(scope, id);
    const errors = new PropErrors('EncryptedLogGroup', childPath(scope.node.path, id));
    if (props.retention === logs.RetentionDays.INFINITE)
      errors.add('retention', 'INFINITE', 'an explicit retention (LOG-04)');
    const name = props.logGroupName;
    if (name !== undefined && !Token.isUnresolved(name) && !/^[\w\-_/.#]{1,512}$/.test(name))
      errors.add('logGroupName', name, 'letters, digits and _ - / . # only, 1..512 characters');
    if (name !== undefined && Token.isUnresolved(name))
      errors.add('logGroupName', name, 'a name known at synth (the key policy is scoped to it)');
    errors.throwIfAny();
    const uniqueId = uniqueLowerName(this);
    this.encryptionKey =
      props.encryptionKey ??
      new BaselineKey(this, 'Key', {
        alias: `security-baseline/${uniqueId}`,
        description: `cdk-security-baseline: encrypts the log group ${this.node.path}`,
      });
    this.logGroup = encryptedLogGroup(this, 'Resource', {
      logGroupName: name ?? `/security-baseline/${uniqueId}`,
      encryptionKey: this.encryptionKey,
      retention: props.retention,
      deletionProtection: props.deletionProtection,
    });
    recordControls(this, 'LOG-04', 'ENC-01', 'DATA-05');
  }
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
