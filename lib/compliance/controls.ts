import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CONTROL_CATALOGUE } from './catalogue';

/** Metadata type under which a construct records the control IDs it implements. */
export const CONTROLS_METADATA_TYPE = 'cdk-security-baseline:controls';

const KNOWN_IDS = new Set(CONTROL_CATALOGUE.map((c) => c.id));

/**
 * Record that `scope` implements the given controls (IDs from CONTROLS.md).
 *
 * The record is construct metadata, so the controls report is derived from the construct tree,
 * not maintained by hand. An ID that is not in the catalogue is a programming error and throws.
 */
export function recordControls(scope: IConstruct, ...ids: string[]): void {
  const unknown = ids.filter((id) => !KNOWN_IDS.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `recordControls(${scope.node.path}): unknown control ID(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}; ` +
        'IDs come from CONTROLS.md (lib/compliance/catalogue.ts)',
    );
  }
  scope.node.addMetadata(CONTROLS_METADATA_TYPE, [...ids], { stackTrace: false });
}

/** The controls recorded under `root`, as construct path → control IDs (in tree order). */
export function recordedControls(root: IConstruct): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    const ids = c.node.metadata
      .filter((m) => m.type === CONTROLS_METADATA_TYPE)
      .flatMap((m) => m.data as string[]);
    if (ids.length > 0) result.set(c.node.path, ids);
  }
  return result;
}

/**
 * Flag an explicit weakening of a control: a CDK warning annotation naming the control ID, so the
 * choice is visible in `cdk synth` output and in the validation report.
 */
export function warnWeakened(scope: IConstruct, controlId: string, message: string): void {
  if (!KNOWN_IDS.has(controlId))
    throw new Error(`warnWeakened: unknown control ID ${JSON.stringify(controlId)}`);
  Annotations.of(scope).addWarningV2(
    `cdk-security-baseline:weakened:${controlId}`,
    `[${controlId} weakened] ${message}`,
  );
}
