import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { RenderedTemplates } from './rendered';

/** Options every rule of the SecurityPolicy pack sees. */
export interface PolicyRuleOptions {
  /** The written policy's longest key rotation period in days (ENC-02). */
  readonly maxKeyRotationDays: number;
  /**
   * The most requests one client IP may make per 5 minutes before a WAF rate-based rule blocks it
   * (NET-03); limits in other evaluation windows are scaled to 5 minutes.
   */
  readonly maxRequestsPerFiveMinutes: number;
}

/**
 * One rule of our own pack: a small pure function over one CloudFormation resource.
 *
 * `check` receives the resource as it will be deployed (`cfn`, with property overrides applied and
 * tokens resolved to CloudFormation intrinsics) and returns compliant / non-compliant / not
 * applicable, or a list of findings that can be acknowledged one by one.
 */
export interface PolicyRule {
  /** Rule ID suffix; the full ID is `SecurityPolicy-<id>`. */
  readonly id: string;
  /** Control IDs (CONTROLS.md) this rule proves. */
  readonly controls: readonly string[];
  readonly level: NagMessageLevel;
  /** Why the rule was triggered (shown with each finding). */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
  readonly check: (cfn: CfnView, options: PolicyRuleOptions) => NagRuleResult;
  /**
   * For a failing resource: the value found and how to fix it, e.g. "RotationPeriodInDays is 365; use
   * BaselineKey or set rotationPeriod to at most 90 days". Shown with the finding.
   */
  readonly found?: (cfn: CfnView, options: PolicyRuleOptions) => string;
}

/**
 * A rule whose finding has parts, each acknowledged on its own (`<id>[<part>]`): `problems` lists,
 * for a resource of one of `types`, each failing part with what was found.
 */
export function partsRule(
  rule: Omit<PolicyRule, 'check' | 'found'> & {
    readonly types: readonly string[];
    readonly problems: (cfn: CfnView, options: PolicyRuleOptions) => [part: string, found: string][];
  },
): PolicyRule {
  const { types, problems, ...rest } = rule;
  return {
    ...rest,
    check: (cfn, options) => {
      if (!types.includes(cfn.type)) return NagRuleCompliance.NOT_APPLICABLE;
      const parts = problems(cfn, options).map(([part]) => part);
      return parts.length === 0 ? NagRuleCompliance.COMPLIANT : parts;
    },
    found: (cfn, options) =>
      problems(cfn, options)
        .map(([, why]) => why)
        .join('; '),
  };
}

/** A resource as CloudFormation will see it, plus access to its stack's other resources. */
export class CfnView {
  public readonly type: string;
  public readonly logicalId: string;
  public readonly properties: Record<string, unknown>;
  public readonly deletionPolicy?: string;
  public readonly updateReplacePolicy?: string;

  /**
   * @param node the resource
   * @param templates where rendered templates come from (shared by the views of one synth)
   */
  constructor(
    public readonly node: CfnResource,
    private readonly templates: RenderedTemplates = new RenderedTemplates(),
  ) {
    // The synthesized template shows the resource exactly as deployed, raw overrides included,
    // which the L1 construct's properties alone do not.
    const [logicalId, resource] = templates.resource(node);
    this.logicalId = logicalId;
    this.type = resource?.Type ?? node.cfnResourceType;
    this.properties = resource?.Properties ?? {};
    this.deletionPolicy = resource?.DeletionPolicy;
    this.updateReplacePolicy = resource?.UpdateReplacePolicy;
  }

  /** Other resources of the same stack, optionally of one type. */
  public siblings(type?: string): CfnView[] {
    const stack = Stack.of(this.node);
    return stack.node
      .findAll()
      .filter(
        (c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack && c !== this.node,
      )
      .filter((c) => type === undefined || c.cfnResourceType === type)
      .map((c) => new CfnView(c, this.templates));
  }

  /**
   * The resource of this stack that `value` refers to ({Ref} or {Fn::GetAtt}), or whose
   * `nameProperty` equals a literal `value`. Undefined when it is outside the stack.
   */
  public referenced(value: unknown, type: string, nameProperty?: string): CfnView | undefined {
    const target = refTarget(value);
    const candidates = this.siblings(type);
    if (target !== undefined) return candidates.find((c) => c.logicalId === target);
    if (typeof value === 'string' && nameProperty)
      return candidates.find((c) => c.properties[nameProperty] === value);
    return undefined;
  }
}

/** The logical ID a `{Ref}` or `{Fn::GetAtt}` points at, if `value` is one. */
export function refTarget(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** True for a CloudFormation intrinsic (`{ "Ref": ... }`, `{ "Fn::...": ... }`): a value known only at deploy time. */
export function isIntrinsic(value: unknown): boolean {
  return (
    isObject(value) && Object.keys(value).length === 1 && /^(Ref|Fn::|Condition)/.test(Object.keys(value)[0])
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a list (CloudFormation allows a single item where a list is expected). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export { NagMessageLevel, NagRuleCompliance };
