import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The namespace aws-cdk-lib files an acknowledgement without one under (`Annotation::<id>`). */
const ANNOTATION_NAMESPACE = 'Annotation';

/** One acknowledgement found in the construct tree. */
export interface Acknowledgement {
  /** The acknowledged ID as aws-cdk-lib stores it: `<namespace>::<rule>`, e.g. `Annotation::AwsSolutions-S1`. */
  readonly id: string;
  readonly reason: string;
  /** Construct path the acknowledgement was made on. */
  readonly at: string;
}

/** Every acknowledgement in the tree under `root`. */
export function collectAcknowledgements(root: IConstruct): Acknowledgement[] {
  const result: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        result.push({ id: qualify(id, ANNOTATION_NAMESPACE), reason: String(reason), at: c.node.path });
      }
    }
  }
  return result;
}

/**
 * How a plugin's findings are acknowledged.
 * - `cdk`: aws-cdk-lib's own suppression, which every validation plugin gets: the acknowledged ID
 *   must name the plugin's namespace (`cdk-validator-cfnguard::s3_bucket_logging_enabled_check`).
 * - `nag`: cdk-nag packs also honour the bare rule ID (`AwsSolutions-S1`), which they check
 *   themselves, besides aws-cdk-lib's qualified form.
 */
export type AcknowledgementStyle = 'cdk' | 'nag';

/**
 * The acknowledgement that covers finding `ruleName` of plugin `pluginName` on the construct at
 * `path` (made on it or on an ancestor, the closest one winning), exactly as the finding will be
 * treated at synth: anything this does not match is an unacknowledged finding.
 */
export function acknowledgementFor(
  acks: readonly Acknowledgement[],
  style: AcknowledgementStyle,
  pluginName: string,
  ruleName: string,
  path: string,
): Acknowledgement | undefined {
  const ids = new Set([qualify(ruleName, namespaceOf(pluginName))]);
  if (style === 'nag') ids.add(qualify(ruleName, ANNOTATION_NAMESPACE));
  let best: Acknowledgement | undefined;
  for (const a of acks) {
    if (!ids.has(a.id)) continue;
    if (a.at !== '' && a.at !== path && !path.startsWith(`${a.at}/`)) continue;
    if (!best || a.at.length > best.at.length) best = a;
  }
  return best;
}

/** A plugin's namespace in acknowledgement IDs (aws-cdk-lib replaces spaces with dashes). */
export function namespaceOf(pluginName: string): string {
  return pluginName === 'Construct Annotations' ? ANNOTATION_NAMESPACE : pluginName.replace(/ /g, '-');
}

/**
 * `id` as `<namespace>::<rule>`: an ID with a top-level `::` keeps its namespace (outside brackets:
 * `AwsSolutions-IAM5[Resource::*]` has none), others get `defaultNamespace`. Spaces become dashes,
 * and the annotation namespaces are one, as in aws-cdk-lib.
 */
export function qualify(id: string, defaultNamespace: string): string {
  let depth = 0;
  let separator = -1;
  for (let i = 0; i < id.length; i++) {
    const c = id[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === ':' && id[i + 1] === ':' && depth === 0) {
      separator = i;
      break;
    }
  }
  const namespace = (separator >= 0 ? id.slice(0, separator) : defaultNamespace).replace(/ /g, '-');
  const rule = (separator >= 0 ? id.slice(separator + 2) : id).replace(/ /g, '-');
  const ns = ['annotation', 'Construct-Annotations'].includes(namespace) ? ANNOTATION_NAMESPACE : namespace;
  return `${ns}::${rule}`;
}
