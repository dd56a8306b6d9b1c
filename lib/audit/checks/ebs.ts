import type { GetEbsEncryptionByDefaultCommandOutput } from '@aws-sdk/client-ec2';
import { call } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { ec2Sdk } from '../sdk';

/** DATA-07 (per region): EBS encryption by default is on. */
export const ebsCheck: AuditCheck = {
  name: 'ebs',
  controls: ['DATA-07'],
  description: 'EBS encryption by default is on in the region',
  permissions: CHECK_PERMISSIONS.ebs,
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { EC2Client, GetEbsEncryptionByDefaultCommand } = ec2Sdk();
    const r = resultsFor('ebs', 'DATA-07', context.region, 'AWS::EC2::EBSEncryptionByDefault');
    const resource = `EBS encryption by default in ${context.region}`;
    try {
      const out = await call<GetEbsEncryptionByDefaultCommandOutput>(
        context,
        new EC2Client({ ...context.clientConfig, region: context.region }),
        new GetEbsEncryptionByDefaultCommand({}),
      );
      return [r.verdict(resource, out.EbsEncryptionByDefault === true ? [] : ['off'], 'on')];
    } catch (e) {
      return [r.notChecked(resource, e)];
    }
  },
};
