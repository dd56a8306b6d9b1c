import { ArnFormat, Duration, Reference, RemovalPolicy, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { recordControls, warnWeakened } from '../compliance/controls';
import { KMS_MAX_ROTATION_DAYS, KMS_MIN_ROTATION_DAYS, POLICY_ROTATION_DAYS } from '../validation/aws';
import { childPath, PropErrors } from './errors';

/** KMS's 90..2560-day rotation bounds and policy 003's 90 days, defined once in lib/validation/aws.ts. */
export { KMS_MAX_ROTATION_DAYS, KMS_MIN_ROTATION_DAYS, POLICY_ROTATION_DAYS };
/** ENC-04: keys can only be deleted after a 30-day waiting period (KMS allows 7..30). */
export const POLICY_PENDING_WINDOW_DAYS = 30;

export interface BaselineKeyProps {
  /**
   * The key's alias, with or without the `alias/` prefix, e.g. `security-baseline/audit-logs`.
   * One key per purpose (ENC-03): name the purpose.
   */
  readonly alias: string;

  /**
   * Description shown in the KMS console.
   * @default - `cdk-security-baseline key <alias>`
   */
  readonly description?: string;

  /**
   * How often KMS rotates the key material (ENC-02). Must lie within KMS's 90..2560 days and not
   * exceed `maxRotationPeriod`.
   * @default Duration.days(90)
   */
  readonly rotationPeriod?: Duration;

  /**
   * The longest rotation period your written policy allows. Raising it above 90 days weakens
   * ENC-02 and adds a warning naming the control.
   * @default Duration.days(90) - policy 003
   */
  readonly maxRotationPeriod?: Duration;

  /**
   * Waiting period before a scheduled deletion takes effect (ENC-04). KMS allows 7..30 days; less
   * than 30 weakens ENC-04 and adds a warning.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * Extra principals allowed to administer (not use) the key. The account itself always keeps
   * administration through IAM, so the key cannot be locked out.
   * @default - the account only
   */
  readonly admins?: iam.IPrincipal[];
}

/**
 * A customer-managed, symmetric KMS key that rotates every 90 days (ENC-02), keeps the account as
 * administrator and grants services only scoped access (ENC-03), and is retained when its stack
 * is deleted or the resource replaced, with a 30-day deletion window (ENC-04).
 *
 * It is a `kms.Key`, so it can be passed anywhere a `kms.IKey` is accepted.
 */
export class BaselineKey extends kms.Key {
  constructor(scope: Construct, id: string, props: BaselineKeyProps) {
    const rotation = props.rotationPeriod ?? Duration.days(POLICY_ROTATION_DAYS);
    const maxRotation = props.maxRotationPeriod ?? Duration.days(POLICY_ROTATION_DAYS);
    const pendingWindow = props.pendingWindow ?? Duration.days(POLICY_PENDING_WINDOW_DAYS);
    const alias = props.alias.startsWith('alias/') ? props.alias : `alias/${props.alias}`;

    const errors = new PropErrors('BaselineKey', childPath(scope.node.path, id));
    validateDays(
      errors,
      'rotationPeriod',
      rotation,
      KMS_MIN_ROTATION_DAYS,
      KMS_MAX_ROTATION_DAYS,
      'KMS rotates every 90..2560 days',
    );
    validateDays(
      errors,
      'maxRotationPeriod',
      maxRotation,
      KMS_MIN_ROTATION_DAYS,
      KMS_MAX_ROTATION_DAYS,
      'a policy limit KMS can honour is 90..2560 days',
    );
    if (
      !rotation.isUnresolved() &&
      !maxRotation.isUnresolved() &&
      rotation.toDays({ integral: false }) > maxRotation.toDays({ integral: false })
    ) {
      errors.add(
        'rotationPeriod',
        rotation,
        `the security policy allows at most ${maxRotation.toDays({ integral: false })} days between rotations (ENC-02)`,
      );
    }
    validateDays(
      errors,
      'pendingWindow',
      pendingWindow,
      7,
      30,
      'KMS allows a deletion waiting period of 7..30 days',
    );
    if (!/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(alias) || alias.startsWith('alias/aws/')) {
      errors.add(
        'alias',
        props.alias,
        "use letters, digits, '/', '_' and '-', and not the reserved 'aws/' prefix",
      );
    }
    errors.throwIfAny();

    super(scope, id, {
      alias,
      description: props.description ?? `cdk-security-baseline key ${alias}`,
      enableKeyRotation: true,
      rotationPeriod: rotation,
      pendingWindow,
      admins: props.admins,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      // ENC-04 / DATA-05: a key outlives its stack; deleting it is a deliberate act with a 30-day wait.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.aliasName = alias;
    // Alias names are unique per account and region: two keys with one alias synthesize fine and
    // fail at deployment. Say so at synth, naming both.
    this.node.addValidation({ validate: () => aliasCollisions(this) });

    if (!maxRotation.isUnresolved() && maxRotation.toDays({ integral: false }) > POLICY_ROTATION_DAYS) {
      warnWeakened(
        this,
        'ENC-02',
        `maxRotationPeriod is ${maxRotation.toDays({ integral: false })} days; policy 003 rotates keys every 90 days`,
      );
    }
    if (
      !pendingWindow.isUnresolved() &&
      pendingWindow.toDays({ integral: false }) < POLICY_PENDING_WINDOW_DAYS
    ) {
      warnWeakened(
        this,
        'ENC-04',
        `pendingWindow is ${pendingWindow.toDays({ integral: false })} days; the baseline waits 30 days before deleting a key`,
      );
    }
    // ENC-03, AWS Control Tower CT.KMS.PR.3: only AWS services (on behalf of a resource) may create
    // grants; a principal cannot hand its key access to someone else by grant.
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    recordControls(this, 'ENC-02', 'ENC-03', 'ENC-04');
  }

  /**
   * Let CloudTrail encrypt the log files of exactly one trail with this key: `kms:GenerateDataKey*`
   * with the trail's encryption context, and `kms:DescribeKey`, both only for requests whose
   * `aws:SourceArn` is that trail.
   */
  public allowCloudTrail(trailArn: string): void {
    const stack = Stack.of(this);
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToEncryptLogs',
        principals: [principal],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`,
          },
        },
      }),
    );
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudTrailToDescribeKey',
        principals: [principal],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );
  }

  /**
   * Let CloudWatch Logs in this stack's region use the key for exactly one log group (the
   * `aws:logs:arn` encryption context must equal `logGroupArn`).
   *
   * `logGroupArn` may be a log group's `logGroupArn` attribute when that group is encrypted with
   * this key: a key policy that referenced the group while the group references the key would be
   * a circular dependency, so the ARN is rebuilt from the group's name (which must then be set
   * at synth, as every baseline log group's is).
   */
  public allowCloudWatchLogs(logGroupArn: string): void {
    const stack = Stack.of(this);
    const arn = this.literalLogGroupArn(logGroupArn);
    this.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `AllowCloudWatchLogs${this.logStatementCount++ || ''}`,
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn } },
      }),
    );
  }

  /** `arn` with references to a CfnLogGroup replaced by the group's ARN built from its name. */
  private literalLogGroupArn(arn: string): string {
    if (!Token.isUnresolved(arn)) return arn;
    const groups = Tokenization.reverseString(arn)
      .tokens.filter((t): t is Reference => t instanceof Reference)
      .map((t) => t.target)
      .filter((t): t is logs.CfnLogGroup => t instanceof logs.CfnLogGroup);
    if (groups.length === 0) return arn;
    const name = groups[0].logGroupName;
    if (name === undefined || Token.isUnresolved(name)) {
      throw new Error(
        `BaselineKey at '${this.node.path}': allowCloudWatchLogs(${groups[0].node.path}): got a log group whose name is ` +
          'generated at deployment; give it a logGroupName, so the key policy can name it without a circular dependency',
      );
    }
    return Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private logStatementCount = 0;

  /** The key's alias, with the `alias/` prefix. */
  public readonly aliasName: string;
}

const KEYS_BY_ROOT = new WeakMap<IConstruct, Map<string, BaselineKey[]>>();

/** Other BaselineKeys of the app with the same alias that could land in the same account and region. */
function aliasCollisions(key: BaselineKey): string[] {
  const root = key.node.root;
  let byAlias = KEYS_BY_ROOT.get(root);
  if (!byAlias) {
    byAlias = new Map();
    for (const c of root.node.findAll())
      if (c instanceof BaselineKey) byAlias.set(c.aliasName, [...(byAlias.get(c.aliasName) ?? []), c]);
    KEYS_BY_ROOT.set(root, byAlias);
  }
  const mine = Stack.of(key);
  // Different stacks collide when both name the same concrete account and region.
  const same = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a === b;
  return (byAlias.get(key.aliasName) ?? [])
    .filter((other) => other !== key)
    .filter((other) => {
      const theirs = Stack.of(other);
      return theirs === mine || (same(theirs.account, mine.account) && same(theirs.region, mine.region));
    })
    .map(
      (other) =>
        `BaselineKey at '${key.node.path}': alias ${JSON.stringify(key.aliasName)} is also the alias of '${other.node.path}'; ` +
        'KMS alias names are unique per account and region, so the deployment would fail. Give one of them another alias.',
    );
}

function validateDays(
  errors: PropErrors,
  path: string,
  value: Duration,
  min: number,
  max: number,
  allowed: string,
): void {
  if (value.isUnresolved()) return;
  const days = value.toDays({ integral: false });
  if (!Number.isInteger(days) || days < min || days > max)
    errors.add(path, value, `${allowed}, in whole days`);
}
