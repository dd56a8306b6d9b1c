import { createHash } from 'node:crypto';
import { AuditOutput, AuditResult, AuditStatus } from './result';

// OCSF 1.1 "Compliance Finding" (class 2003), one JSON object per result in a JSON array: the
// vendor-neutral schema Prowler writes (`--output-formats json-ocsf`) and Amazon Security Lake,
// Splunk and other SIEMs ingest. See README ("Output formats") for why OCSF and not ASFF.

export const OCSF_VERSION = '1.1.0';

/** compliance.status_id: 0 Unknown, 1 Pass, 2 Warning, 3 Fail, 99 Other. */
const COMPLIANCE: Record<AuditStatus, { id: number; name: string; code: string }> = {
  COMPLIANT: { id: 1, name: 'Pass', code: 'PASS' },
  NON_COMPLIANT: { id: 3, name: 'Fail', code: 'FAIL' },
  NOT_APPLICABLE: { id: 99, name: 'Not Applicable', code: 'NOT_APPLICABLE' },
  NOT_CHECKED: { id: 0, name: 'Unknown', code: 'NOT_CHECKED' },
};

export function toOcsfFinding(r: AuditResult, output: AuditOutput): Record<string, unknown> {
  const time = Date.parse(output.generatedAt);
  const c = COMPLIANCE[r.status];
  const uid = createHash('sha256')
    .update([output.account ?? '', r.region, r.check, r.control, r.resource].join('|'))
    .digest('hex')
    .slice(0, 32);
  const failed = r.status === 'NON_COMPLIANT';
  return {
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'baseline-audit', vendor_name: 'cdk-security-baseline', feature: { name: r.check } },
      event_code: `${r.check}:${r.control}`,
      profiles: ['cloud'],
    },
    category_uid: 2,
    category_name: 'Findings',
    class_uid: 2003,
    class_name: 'Compliance Finding',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200301,
    type_name: 'Compliance Finding: Create',
    time,
    severity_id: failed ? 3 : 1,
    severity: failed ? 'Medium' : 'Informational',
    status_id: 1,
    status: 'New',
    status_code: c.code,
    status_detail: r.reason,
    finding_info: {
      uid,
      title: `${r.control} ${r.check}: ${r.resource}`,
      desc: r.reason,
      created_time: time,
      types: [r.control],
    },
    compliance: {
      control: r.control,
      standards: ['cdk-security-baseline controls (CONTROLS.md)'],
      status_id: c.id,
      status: c.name,
      status_detail: r.reason,
    },
    resources: [{ uid: r.resource, type: r.resourceType, region: r.region, cloud_partition: 'aws' }],
    cloud: {
      provider: 'AWS',
      region: r.region,
      ...(output.account ? { account: { uid: output.account, type: 'AWS Account', type_id: 10 } } : {}),
    },
  };
}

export function toOcsf(output: AuditOutput): Record<string, unknown>[] {
  return output.results.map((r) => toOcsfFinding(r, output));
}
