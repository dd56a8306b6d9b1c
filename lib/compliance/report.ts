import { Stack, Stage } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTROL_CATALOGUE } from './catalogue';
import { controlsForPublicRule } from './check-map';
import { recordedControls } from './controls';
import { POLICY_SOURCES, SEED_FILES } from './policy-sources';
import type { GateProblem } from './gate';
import { PackResults } from './results';
import { POLICY_RULES } from './rules';
import { IConstruct } from 'constructs';
import { z } from 'zod';
import { reportSchema } from './report-schema';
import { appCostEstimate } from './cost/from-app';
import { renderCostMarkdown } from './cost/markdown';

/** Version of the report's JSON schema (docs/compliance-report.schema.json). Major bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = '1.2';
export const REPORT_JSON = 'compliance-report.json';
export const REPORT_MARKDOWN = 'compliance-report.md';

/** The report's types, derived from its schema (report-schema.ts) so the two cannot drift apart. */
export type ControlsReport = z.infer<typeof reportSchema>;
export type ControlStatus = ControlsReport['controls'][number]['status'];
export type ReportControl = ControlsReport['controls'][number];
export type ReportCheck = ReportControl['checks'][number];
export type ReportPack = ControlsReport['packs'][number];

/** Metadata type under which the composition records controls a setting has turned off. */
export const SWITCHED_OFF_METADATA_TYPE = 'cdk-security-baseline:switched-off';

/**
 * Record that `setting` (a config path such as `environments.prod.workload.enabled`) turned off
 * the part that implements `ids`. The composition calls this wherever it leaves a part out, so a
 * control nobody implements is "not applicable" exactly when a setting turned it off, and "not
 * implemented" otherwise: no hand-kept list of configurable controls.
 */
export function recordSwitchedOff(scope: IConstruct, setting: string, ...ids: string[]): void {
  const known = new Set(CONTROL_CATALOGUE.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new Error(`recordSwitchedOff(${scope.node.path}): unknown control ID(s) ${unknown.join(', ')}`);
  scope.node.addMetadata(SWITCHED_OFF_METADATA_TYPE, { setting, ids: [...ids] }, { stackTrace: false });
}

/** Control ID → the settings under `root` that turned it off. */
function switchedOff(root: IConstruct): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata.filter((x) => x.type === SWITCHED_OFF_METADATA_TYPE)) {
      const { setting, ids } = m.data as { setting: string; ids: string[] };
      for (const id of ids) result.set(id, [...new Set([...(result.get(id) ?? []), setting])]);
    }
  }
  return result;
}

/** Controls that are a property of the repository, not of any synthesized app. */
const NOT_OF_THE_APP: ReadonlyMap<string, string> = new Map([
  [
    'SUP-01',
    'a property of the cdk-security-baseline repository (SECURITY.md, pinned dependencies, lockfile), not of the synthesized app',
  ],
]);

/** Build the controls report from the construct tree under `root` and the packs' results. */
export function buildControlsReport(
  root: IConstruct,
  packs: readonly PackResults[],
  version: string,
  problems: readonly GateProblem[] = [],
): ControlsReport {
  const implementedBy = new Map<string, string[]>();
  for (const [constructPath, ids] of recordedControls(root)) {
    for (const id of ids) implementedBy.set(id, [...(implementedBy.get(id) ?? []), constructPath || '(app)']);
  }
  const ownRuleControls = new Map(POLICY_RULES.map((r) => [`SecurityPolicy-${r.id}`, r.controls]));
  const checksByControl = new Map<string, ReportCheck[]>();
  for (const pack of packs) {
    const byRule = new Map<string, PackResults['findings']>();
    for (const f of pack.findings) {
      const rule = f.ruleId.endsWith(']') ? f.ruleId.replace(/\[.*\]$/, '') : f.ruleId;
      const list = byRule.get(rule);
      if (list) list.push(f);
      else byRule.set(rule, [f]);
    }
    for (const [ruleId, findings] of byRule) {
      const controls = ownRuleControls.get(ruleId) ?? controlsForPublicRule(pack.pack, ruleId);
      const check: ReportCheck = {
        pack: pack.pack,
        ruleId,
        pass: findings.filter((f) => f.outcome === 'pass').length,
        fail: findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error').length,
        notApplicable: findings.filter((f) => f.outcome === 'not-applicable').length,
        failing: findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error').map((f) => f.path),
        acknowledged: findings
          .filter((f) => f.outcome === 'acknowledged')
          .map((f) => ({ finding: f.ruleId, path: f.path, reason: f.reason ?? '' })),
      };
      if (check.pass + check.fail + check.acknowledged.length === 0) continue; // never applied here
      for (const id of controls) {
        const list = checksByControl.get(id);
        if (list) list.push(check);
        else checksByControl.set(id, [check]);
      }
    }
  }

  const offBy = switchedOff(root);
  const controls = CONTROL_CATALOGUE.map((c): ReportControl => {
    const paths = implementedBy.get(c.id) ?? [];
    const checks = checksByControl.get(c.id) ?? [];
    const [status, statusReason] = statusOf(c.id, paths, checks, offBy.get(c.id) ?? []);
    return {
      id: c.id,
      title: c.title,
      default: c.default,
      status,
      statusReason,
      policySources: (POLICY_SOURCES[c.id] ?? []).map(([seed, heading, statement]) => ({
        seed,
        file: SEED_FILES[seed],
        heading,
        statement,
      })),
      implementedBy: paths,
      checks,
    };
  });
  const summary = { implemented: 0, acknowledged: 0, failing: 0, 'not-applicable': 0, 'not-implemented': 0 };
  for (const c of controls) summary[c.status]++;
  // The cost estimate (issue 19), from the templates synthesis wrote; absent outside a synth.
  const cost = appCostEstimate(root);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedBy: `cdk-security-baseline ${version}`,
    generatedAt: new Date().toISOString(),
    // Every stack of the cloud assembly (nested stages' too), by its deployed name.
    stacks: root.node
      .findAll()
      .filter(
        (c): c is Stack => Stack.isStack(c) && c.node.scope !== undefined && Stage.isStage(c.node.scope),
      )
      .map((c) => c.stackName),
    packs: packs.map((p) => ({
      name: p.pack,
      rules: p.ruleCount,
      pass: p.passesKnown ? p.count('pass') : null,
      fail: p.count('fail') + p.count('error'),
      acknowledged: p.count('acknowledged'),
      notApplicable: p.count('not-applicable'),
      errors: p.count('error'),
    })),
    summary,
    gate: { passed: problems.length === 0, unacknowledged: problems.length, problems: [...problems] },
    controls,
    ...(cost ? { cost } : {}),
  };
}

function statusOf(
  id: string,
  paths: readonly string[],
  checks: readonly ReportCheck[],
  offBy: readonly string[],
): [ControlStatus, string] {
  if (paths.length === 0) {
    const notOfTheApp = NOT_OF_THE_APP.get(id);
    if (notOfTheApp) return ['not-applicable', notOfTheApp];
    return offBy.length > 0
      ? ['not-applicable', `off in this configuration: ${offBy.join(', ')}`]
      : ['not-implemented', 'no construct in this app implements it'];
  }
  const failing = checks.filter((c) => c.fail > 0);
  if (failing.length > 0)
    return ['failing', `unacknowledged findings: ${failing.map((c) => c.ruleId).join(', ')}`];
  const acknowledged = checks.filter((c) => c.acknowledged.length > 0);
  if (acknowledged.length > 0)
    return [
      'acknowledged',
      `implemented, with acknowledged findings: ${acknowledged.map((c) => c.ruleId).join(', ')}`,
    ];
  return [
    'implemented',
    `${paths.length} construct(s) implement it; ${checks.length} check(s) cover it, all passing`,
  ];
}

/** Write the report as JSON and Markdown into `outdir`; returns the Markdown file's path. */
export function writeControlsReport(outdir: string, report: ControlsReport): string {
  fs.writeFileSync(path.join(outdir, REPORT_JSON), JSON.stringify(report, null, 2) + '\n');
  const md = path.join(outdir, REPORT_MARKDOWN);
  fs.writeFileSync(md, renderMarkdown(report));
  return md;
}

export function renderMarkdown(report: ControlsReport): string {
  const out: string[] = [];
  const s = report.summary;
  out.push('# Controls report', '');
  out.push(
    `${report.generatedBy}, ${report.generatedAt}. Stacks: ${report.stacks.join(', ') || '(none)'}.`,
    '',
  );
  out.push(
    `${report.controls.length} controls: ${s.implemented} implemented, ${s.acknowledged} implemented with acknowledged findings, ` +
      `${s.failing} failing, ${s['not-applicable']} not applicable to this configuration, ${s['not-implemented']} not implemented.`,
    '',
  );
  out.push(
    report.gate.passed
      ? 'Compliance gate: passed (0 unacknowledged findings).'
      : `Compliance gate: **synth failed: ${report.gate.unacknowledged} unacknowledged finding(s)**.`,
    '',
  );
  for (const p of report.gate.problems) {
    out.push(`- \`${p.ruleId}\` (${p.pack}) on \`${p.path || '(app)'}\`: ${escape(p.message)}`);
  }
  if (report.gate.problems.length > 0) out.push('');
  out.push(
    '## Checks',
    '',
    '| Pack | Rules | Pass | Fail | Acknowledged | Not applicable |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const p of report.packs) {
    out.push(
      `| ${p.name} | ${p.rules} | ${p.pass ?? 'n/a'} | ${p.fail} | ${p.acknowledged} | ${p.pass === null ? 'n/a' : p.notApplicable} |`,
    );
  }
  out.push('', '## Controls', '', '| ID | Control | Status | Implemented by |', '| --- | --- | --- | --- |');
  for (const c of report.controls) {
    out.push(`| ${c.id} | ${escape(c.title)} | ${c.status} | ${c.implementedBy.length} construct(s) |`);
  }
  for (const c of report.controls) {
    out.push(
      '',
      `### ${c.id}: ${escape(c.title)}`,
      '',
      `**Status:** ${c.status}: ${escape(c.statusReason)}`,
      '',
    );
    out.push('Policy:');
    for (const p of c.policySources)
      out.push(`- ${p.seed} (${p.file}), "${p.heading}": "${escape(p.statement)}"`);
    if (c.implementedBy.length > 0) {
      out.push('', 'Implemented by:');
      for (const p of c.implementedBy) out.push(`- \`${p}\``);
    }
    if (c.checks.length > 0) {
      out.push('', 'Checks:');
      for (const k of c.checks) {
        out.push(
          `- \`${k.ruleId}\` (${k.pack}): ${k.pass} pass, ${k.fail} fail, ${k.acknowledged.length} acknowledged`,
        );
        for (const f of k.failing) out.push(`  - FAIL \`${f}\``);
        for (const a of k.acknowledged)
          out.push(`  - acknowledged \`${a.finding}\` on \`${a.path}\`: ${escape(a.reason)}`);
      }
    }
  }
  if (report.cost) out.push('', ...renderCostMarkdown(report.cost));
  return out.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
