import type { BatchGetAccountStatusCommandOutput } from '@aws-sdk/client-inspector2';
import { call } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { inspector2Sdk } from '../sdk';

/** The scan types VulnerabilityScanning enables (DET-04). */
export const INSPECTOR_SCAN_TYPES = ['ec2', 'ecr', 'lambda'] as const;

/**
 * DET-04 (per region, opt-in): Amazon Inspector scans EC2, ECR and Lambda. Inspector off for every
 * type is NOT_APPLICABLE (the control is opt-in); on for some types only is NON_COMPLIANT (scanning
 * was turned on, then partly off).
 */
export const inspectorCheck: AuditCheck = {
  name: 'inspector',
  controls: ['DET-04'],
  description: 'Amazon Inspector scans EC2, ECR and Lambda in the region',
  permissions: CHECK_PERMISSIONS.inspector,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { BatchGetAccountStatusCommand, Inspector2Client } = inspector2Sdk();
    const r = resultsFor('inspector', 'DET-04', context.region, 'AWS::Inspector2::AccountStatus');
    const resource = `Amazon Inspector in ${context.region}`;
    try {
      const out = await call<BatchGetAccountStatusCommandOutput>(
        context,
        new Inspector2Client({ ...context.clientConfig, region: context.region }),
        new BatchGetAccountStatusCommand({}),
      );
      const account = out.accounts?.[0];
      if (!account) return [r.notChecked(resource, 'BatchGetAccountStatus returned no account status')];
      const state = account.resourceState as Record<string, { status?: string } | undefined> | undefined;
      const statusOf = (type: string) => state?.[type]?.status ?? 'DISABLED';
      const off = INSPECTOR_SCAN_TYPES.filter((t) => statusOf(t) !== 'ENABLED');
      if (off.length === INSPECTOR_SCAN_TYPES.length)
        return [
          r.notApplicable(
            resource,
            `Inspector does not scan EC2, ECR or Lambda here (${INSPECTOR_SCAN_TYPES.map((t) => `${t} ${statusOf(t)}`).join(', ')}); DET-04 is opt-in`,
          ),
        ];
      return [
        r.verdict(
          resource,
          off.map((t) => `${t} scanning ${statusOf(t)}`),
          'EC2, ECR and Lambda scanning enabled',
        ),
      ];
    } catch (e) {
      return [r.notChecked(resource, e)];
    }
  },
};
