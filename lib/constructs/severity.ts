// Policy 003's incident classes (ALR-01) and how numeric finding severities map to them.

/** Incident classes of policy 003, most severe first. */
export enum IncidentClass {
  /** System breach, data theft. */
  CRITICAL = 'CRITICAL',
  /** Unauthorized access attempts, suspicious activities. */
  HIGH = 'HIGH',
  /** Minor security policy violations. */
  MEDIUM = 'MEDIUM',
  /** Potential security risks. */
  LOW = 'LOW',
}

export const INCIDENT_CLASSES: readonly IncidentClass[] = [
  IncidentClass.CRITICAL,
  IncidentClass.HIGH,
  IncidentClass.MEDIUM,
  IncidentClass.LOW,
];

/** What policy 003 says each class means (used in alert messages and docs). */
export const CLASS_MEANING: Readonly<Record<IncidentClass, string>> = {
  CRITICAL: 'system breach, data theft',
  HIGH: 'unauthorized access attempts, suspicious activities',
  MEDIUM: 'minor security policy violations',
  LOW: 'potential security risks',
};

/**
 * GuardDuty numeric severity ranges per class: `min <= severity < max`, except CRITICAL, which
 * includes 10.0. Together they cover 1.0..10.0 without gaps or overlaps (tested).
 * GuardDuty documents them as Critical 9.0-10.0, High 7.0-8.9, Medium 4.0-6.9, Low 1.0-3.9.
 */
export const GUARDDUTY_SEVERITY_RANGES: ReadonlyArray<{
  readonly incidentClass: IncidentClass;
  readonly min: number;
  readonly max: number;
  readonly maxInclusive: boolean;
}> = [
  { incidentClass: IncidentClass.CRITICAL, min: 9, max: 10, maxInclusive: true },
  { incidentClass: IncidentClass.HIGH, min: 7, max: 9, maxInclusive: false },
  { incidentClass: IncidentClass.MEDIUM, min: 4, max: 7, maxInclusive: false },
  { incidentClass: IncidentClass.LOW, min: 1, max: 4, maxInclusive: false },
];

/** Whether `incidentClass` is at least as severe as `minimum`. */
export function atLeast(incidentClass: IncidentClass, minimum: IncidentClass): boolean {
  return INCIDENT_CLASSES.indexOf(incidentClass) <= INCIDENT_CLASSES.indexOf(minimum);
}
