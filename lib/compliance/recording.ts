import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IApplyRule, NagPack, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { basename } from 'node:path';
import {
  Acknowledgement,
  acknowledgementFor,
  AcknowledgementStyle,
  collectAcknowledgements,
} from './acknowledgements';
import { constructPathsByLogicalId, Finding, PackResults } from './results';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NagPackClass = abstract new (...args: any[]) => NagPack;

/** A pack instance that records its outcomes in `results`. */
export interface IRecordingPack {
  /** Where the pack's outcomes go; set before synth. */
  results?: PackResults;
}

/**
 * A cdk-nag pack class whose instances also record every rule evaluation (compliant, non-compliant,
 * not applicable, error) in `results`, so the summary and the controls report count passes as well
 * as failures, and the gate can tell a pack that checked nothing from one that found nothing.
 * A subclass through cdk-nag's extension points (`applyRule` is protected, `validateScope` public):
 * what the pack decides is unchanged.
 */
export function recordingPack<T extends NagPackClass>(
  Base: T,
): new (...args: ConstructorParameters<T>) => InstanceType<T> & IRecordingPack {
  abstract class RecordingPack extends Base implements IRecordingPack {
    /** Where this pack's outcomes go; set before synth. */
    public results?: PackResults;
    private acks: Acknowledgement[] = [];

    public validateScope(scope: IConstruct): PolicyValidationPluginReport {
      const results = this.results;
      if (!results) return super.validateScope(scope);
      results.reset();
      this.acks = collectAcknowledgements(scope.node.root);
      const report = super.validateScope(scope);
      // Anything the pack reports that no evaluation recorded still fails (never lost between the two).
      recordViolations(results, report, 'nag', this.readPackName, this.acks, undefined, true);
      results.ran = true;
      return report;
    }

    protected applyRule(params: IApplyRule): void {
      const results = this.results;
      if (!results) return super.applyRule(params);
      const suffix = params.ruleSuffixOverride ?? params.rule.name;
      const pack = this.readPackName;
      const ruleId = `${pack}-${suffix}`;
      const node = params.node;
      const path = node.node.path;
      const rule = params.rule;
      results.rulesSeen.add(ruleId);
      results.ruleCount = results.rulesSeen.size;
      const violation = (id: string, outcome: 'fail' | 'error'): Finding => {
        const ack = acknowledgementFor(this.acks, 'nag', pack, id, path);
        return ack
          ? { ruleId: id, path, outcome: 'acknowledged', reason: ack.reason }
          : { ruleId: id, path, outcome, message: params.info };
      };
      super.applyRule({
        ...params,
        ruleSuffixOverride: suffix,
        rule: (n: CfnResource) => {
          let result;
          try {
            result = rule(n);
          } catch (e) {
            results.cover(node, true);
            results.findings.push(violation(ruleId, 'error'));
            throw e;
          }
          results.cover(node, result !== NagRuleCompliance.NOT_APPLICABLE);
          if (result === NagRuleCompliance.COMPLIANT)
            results.findings.push({ ruleId, path, outcome: 'pass' });
          else if (result === NagRuleCompliance.NOT_APPLICABLE)
            results.findings.push({ ruleId, path, outcome: 'not-applicable' });
          else if (result === NagRuleCompliance.NON_COMPLIANT)
            results.findings.push(violation(ruleId, 'fail'));
          else for (const part of result) results.findings.push(violation(`${ruleId}[${part}]`, 'fail'));
          return result;
        },
      });
    }
  }
  // Concrete whenever `Base` is: the subclass adds no abstract member.
  return RecordingPack as unknown as new (
    ...args: ConstructorParameters<T>
  ) => InstanceType<T> & IRecordingPack;
}

/**
 * Record the violations a plugin reported, resolving acknowledgements exactly as synth will
 * (`acknowledgementFor`). With `onlyMissing`, only violations no evaluation recorded as failing are
 * added. A violation without a severity (cfn-guard reports none) is given `error`, so aws-cdk-lib's
 * own recount after removing acknowledged findings fails too; `info` is information, not a finding.
 */
export function recordViolations(
  results: PackResults,
  report: PolicyValidationPluginReport,
  style: AcknowledgementStyle,
  pluginName: string,
  acks: readonly Acknowledgement[],
  root: IConstruct | undefined,
  onlyMissing = false,
): void {
  let paths: Map<string, string> | undefined;
  const recorded = new Set(
    results.findings
      .filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable')
      .map((f) => `${f.ruleId}#${f.path}`),
  );
  for (const v of report.violations) {
    if (v.severity === undefined) (v as { severity?: string }).severity = 'error';
    if (v.severity?.toLowerCase() === 'info') continue;
    for (const r of v.violatingResources) {
      let path = r.constructPath;
      if (!path && root && r.templatePath && r.resourceLogicalId) {
        paths ??= constructPathsByLogicalId(root);
        path = paths.get(`${basename(r.templatePath)}#${r.resourceLogicalId}`);
      }
      path ??= `${basename(r.templatePath ?? '')}#${r.resourceLogicalId ?? '?'}`;
      if (onlyMissing && recorded.has(`${v.ruleName}#${path}`)) continue;
      const ack = acknowledgementFor(acks, style, pluginName, v.ruleName, path);
      results.findings.push(
        ack
          ? { ruleId: v.ruleName, path, outcome: 'acknowledged', reason: ack.reason }
          : { ruleId: v.ruleName, path, outcome: 'fail', message: v.description },
      );
    }
  }
}

/** The app under validation (aws-cdk-lib passes it as `appConstruct`). */
export function appConstructOf(context: IPolicyValidationContext): IConstruct | undefined {
  return (context as { appConstruct?: IConstruct }).appConstruct;
}
