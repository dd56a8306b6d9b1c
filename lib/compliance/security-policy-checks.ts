import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CfnView, POLICY_RULES, PolicyRuleOptions } from './rules';
import { RenderedTemplates } from './rules/rendered';
import { isKmsRotationPeriod, POLICY_ROTATION_DAYS } from '../validation/aws';

export interface SecurityPolicyChecksProps extends NagPackProps {
  /**
   * The written policy's longest key rotation period, in days (ENC-02).
   * @default 90 - policy 003
   */
  readonly maxKeyRotationDays?: number;

  /**
   * The most requests one client IP may make per 5 minutes before a WAF rate-based rule must block
   * it (NET-03). Limits in other evaluation windows are scaled to 5 minutes.
   * @default 2000
   */
  readonly maxRequestsPerFiveMinutes?: number;
}

/**
 * The project's own cdk-nag pack (CMP-02): what the written policies promise and no public pack
 * checks, such as a 90-day key rotation period, Object Lock on audit buckets, TLS 1.2 in bucket
 * policies, rate-based WAF rules and retention of everything that holds data. Rule IDs are
 * `SecurityPolicy-<rule>`; each rule lives in its own file under `rules/<service>/`.
 */
export class SecurityPolicyChecks extends NagPack {
  public static readonly PACK_NAME = 'SecurityPolicy';
  public readonly name = SecurityPolicyChecks.PACK_NAME;
  private readonly options: PolicyRuleOptions;

  constructor(scope?: IConstruct, props: SecurityPolicyChecksProps = {}) {
    super(scope, props);
    this.packName = SecurityPolicyChecks.PACK_NAME;
    const max = props.maxKeyRotationDays ?? POLICY_ROTATION_DAYS;
    if (!isKmsRotationPeriod(max)) {
      throw new Error(
        `SecurityPolicyChecks: maxKeyRotationDays: got ${JSON.stringify(max)}; expected a whole number of days, 90..2560`,
      );
    }
    const rate = props.maxRequestsPerFiveMinutes ?? 2000;
    if (!Number.isInteger(rate) || rate < 10) {
      throw new Error(
        `SecurityPolicyChecks: maxRequestsPerFiveMinutes: got ${JSON.stringify(rate)}; expected a whole number, at least 10 (WAF's minimum limit)`,
      );
    }
    this.options = { maxKeyRotationDays: max, maxRequestsPerFiveMinutes: rate };
  }

  /** Rendered templates of the synth being validated (read once per synth). */
  private templates = new RenderedTemplates();

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.templates = new RenderedTemplates();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    let view: CfnView | undefined;
    for (const rule of POLICY_RULES) {
      const params = {
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        // Rendered once per resource, and only when a rule runs.
        rule: (n: CfnResource) => {
          const cfn = (view ??= new CfnView(n, this.templates));
          const result = rule.check(cfn, this.options);
          // The finding says what was found and how to fix it (cdk-nag shows `info` with it).
          if (
            result !== NagRuleCompliance.COMPLIANT &&
            result !== NagRuleCompliance.NOT_APPLICABLE &&
            rule.found
          )
            params.info = `${rule.info} Found: ${rule.found(cfn, this.options)}`;
          return result;
        },
      };
      this.applyRule(params);
    }
  }
}
