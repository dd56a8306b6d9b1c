import { IConstruct } from 'constructs';
import { CONTROL_CATALOGUE } from './catalogue';
import { recordControls, recordedControls, warnWeakened } from './controls';

/**
 * The controls catalogue from code: record which controls a construct implements (the controls
 * report is derived from these records) and flag a deliberate weakening. A class of static
 * methods so that languages other than TypeScript can call it (jsii drops plain functions).
 */
export class Controls {
  /** Record that `scope` implements the given control IDs (e.g. `ENC-01`); unknown IDs throw. */
  public static record(scope: IConstruct, ...ids: string[]): void {
    recordControls(scope, ...ids);
  }

  /** A CDK warning annotation on `scope` naming `controlId`, for a setting weakened on purpose. */
  public static warnWeakened(scope: IConstruct, controlId: string, message: string): void {
    warnWeakened(scope, controlId, message);
  }

  /** The control IDs recorded on `scope` and its children, without duplicates, in tree order. */
  public static recordedIn(scope: IConstruct): string[] {
    return [...new Set([...recordedControls(scope).values()].flat())];
  }

  /** Every control ID of the catalogue (docs/CONTROLS.md), in catalogue order. */
  public static ids(): string[] {
    return CONTROL_CATALOGUE.map((c) => c.id);
  }

  private constructor() {}
}
