// Live checks for the opt-in detection controls (issue 17): Inspector (DET-04), AWS Config (DET-03)
// and patching (OPS-01), against mocked SDK clients.
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import { BatchGetAccountStatusCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import {
  DescribePatchBaselinesCommand,
  GetPatchBaselineCommand,
  ListResourceComplianceSummariesCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { configRecorderCheck } from '../../lib/audit/checks/config-recorder';
import { inspectorCheck } from '../../lib/audit/checks/inspector';
import { patchingCheck } from '../../lib/audit/checks/patching';
import { auditResultSchema } from '../../lib/audit/schema';
import { context } from './helpers';

const inspector = mockClient(Inspector2Client);
const configService = mockClient(ConfigServiceClient);
const ssm = mockClient(SSMClient);
beforeEach(() => {
  inspector.reset();
  configService.reset();
  ssm.reset();
});

const statuses = (results: { status: string }[]) => results.map((r) => r.status);
const valid = (results: unknown[]) => results.forEach((r) => auditResultSchema.parse(r));

describe('inspector (DET-04)', () => {
  const account = (ec2: string, ecr: string, lambda: string): any => ({
    accounts: [
      {
        accountId: '111122223333',
        state: { status: 'ENABLED' },
        resourceState: {
          ec2: { status: ec2 },
          ecr: { status: ecr },
          lambda: { status: lambda },
        },
      },
    ],
  });

  test('compliant when EC2, ECR and Lambda scanning are enabled', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(account('ENABLED', 'ENABLED', 'ENABLED'));
    const results = await inspectorCheck.run(context());
    valid(results);
    expect(results).toEqual([
      expect.objectContaining({ control: 'DET-04', status: 'COMPLIANT', region: 'eu-west-1' }),
    ]);
  });

  test('non-compliant when a type was turned off, naming it', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(account('ENABLED', 'DISABLED', 'ENABLED'));
    const [result] = await inspectorCheck.run(context());
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.reason).toBe('ecr scanning DISABLED');
  });

  test('not applicable when Inspector is off altogether (opt-in)', async () => {
    inspector.on(BatchGetAccountStatusCommand).resolves(account('DISABLED', 'DISABLED', 'DISABLED'));
    const [result] = await inspectorCheck.run(context());
    expect(result.status).toBe('NOT_APPLICABLE');
    expect(result.reason).toMatch(/opt-in/);
  });

  test('not checked when the call is denied or the answer is empty', async () => {
    inspector
      .on(BatchGetAccountStatusCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    expect(statuses(await inspectorCheck.run(context()))).toEqual(['NOT_CHECKED']);
    inspector.on(BatchGetAccountStatusCommand).resolves({ accounts: [] });
    const [empty] = await inspectorCheck.run(context());
    expect(empty.status).toBe('NOT_CHECKED');
    expect(empty.reason).toMatch(/no account status/);
  });

  test('asks for exactly the permission it uses', () => {
    expect(inspectorCheck.permissions).toEqual(['inspector2:BatchGetAccountStatus']);
  });
});

describe('config (DET-03)', () => {
  const recorder = (recordingGroup?: object) => ({
    ConfigurationRecorders: [{ name: 'default', roleARN: 'arn:aws:iam::1:role/r', recordingGroup }],
  });
  const recording = (on: boolean) => ({ ConfigurationRecordersStatus: [{ name: 'default', recording: on }] });
  const channel = (key?: string) => ({
    DeliveryChannels: [{ name: 'default', s3BucketName: 'b', ...(key ? { s3KmsKeyArn: key } : {}) }],
  });

  test('compliant: all supported types, recording, KMS-encrypted delivery', async () => {
    configService.on(DescribeConfigurationRecordersCommand).resolves(recorder({ allSupported: true }));
    configService.on(DescribeConfigurationRecorderStatusCommand).resolves(recording(true));
    configService.on(DescribeDeliveryChannelsCommand).resolves(channel('arn:aws:kms:eu-west-1:1:key/k'));
    const results = await configRecorderCheck.run(context());
    valid(results);
    expect(results).toEqual([
      expect.objectContaining({ resource: 'default', status: 'COMPLIANT', control: 'DET-03' }),
    ]);
  });

  test('non-compliant: a list of types, stopped, delivery without a key; every problem named', async () => {
    configService
      .on(DescribeConfigurationRecordersCommand)
      .resolves(recorder({ allSupported: false, resourceTypes: ['AWS::S3::Bucket'] }));
    configService.on(DescribeConfigurationRecorderStatusCommand).resolves(recording(false));
    configService.on(DescribeDeliveryChannelsCommand).resolves(channel());
    const [result] = await configRecorderCheck.run(context());
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.reason).toBe(
      'records a list of resource types, not all supported ones; not recording; delivery channel default has no KMS key',
    );
  });

  test('non-compliant: all types but some excluded', async () => {
    configService.on(DescribeConfigurationRecordersCommand).resolves(
      recorder({
        allSupported: false,
        recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
        exclusionByResourceTypes: { resourceTypes: ['AWS::EC2::Instance'] },
      }),
    );
    configService.on(DescribeConfigurationRecorderStatusCommand).resolves(recording(true));
    configService.on(DescribeDeliveryChannelsCommand).resolves(channel('k'));
    const [result] = await configRecorderCheck.run(context());
    expect(result.reason).toMatch(/excludes AWS::EC2::Instance/);
  });

  test('not applicable without a recorder (opt-in); not checked when denied', async () => {
    configService.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
    expect(statuses(await configRecorderCheck.run(context()))).toEqual(['NOT_APPLICABLE']);
    configService
      .on(DescribeConfigurationRecordersCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const [denied] = await configRecorderCheck.run(context());
    expect(denied.status).toBe('NOT_CHECKED');
    expect(denied.reason).toBe('AccessDeniedException: denied');
  });
});

describe('patching (OPS-01)', () => {
  const baseline = (approveAfterDays: number | undefined, patchGroups: string[] = ['security-baseline']) => ({
    BaselineId: 'pb-1',
    Name: 'Response-WINDOWS-security',
    PatchGroups: patchGroups,
    ApprovalRules: {
      PatchRules: [
        {
          ApproveAfterDays: approveAfterDays,
          PatchFilterGroup: {
            PatchFilters: [{ Key: 'CLASSIFICATION' as const, Values: ['SecurityUpdates'] }],
          },
        },
      ],
    },
  });
  const oneBaseline = () =>
    ssm.on(DescribePatchBaselinesCommand).resolves({ BaselineIdentities: [{ BaselineId: 'pb-1' }] });

  test('compliant baseline and instances; non-compliant instance with its missing-patch count', async () => {
    oneBaseline();
    ssm.on(GetPatchBaselineCommand).resolves(baseline(0));
    ssm.on(ListResourceComplianceSummariesCommand).resolves({
      ResourceComplianceSummaryItems: [
        { ResourceId: 'i-1', ResourceType: 'ManagedInstance', Status: 'COMPLIANT' },
        {
          ResourceId: 'i-2',
          ResourceType: 'ManagedInstance',
          Status: 'NON_COMPLIANT',
          OverallSeverity: 'CRITICAL',
          NonCompliantSummary: { NonCompliantCount: 3 },
        },
      ],
    });
    const results = await patchingCheck.run(context());
    valid(results);
    expect(results.map((r) => [r.resourceType, r.resource, r.status])).toEqual([
      ['AWS::SSM::PatchBaseline', 'Response-WINDOWS-security (pb-1)', 'COMPLIANT'],
      ['AWS::SSM::ManagedInstance', 'i-1', 'COMPLIANT'],
      ['AWS::SSM::ManagedInstance', 'i-2', 'NON_COMPLIANT'],
    ]);
    expect(results[2].reason).toBe('3 approved patch(es) missing (severity CRITICAL)');
    // The compliance listing is filtered to patch compliance.
    expect(ssm.commandCalls(ListResourceComplianceSummariesCommand)[0].args[0].input.Filters).toEqual([
      { Key: 'ComplianceType', Values: ['Patch'], Type: 'EQUAL' },
    ]);
  });

  test('non-compliant: a baseline in use that approves security patches after 7 days', async () => {
    oneBaseline();
    ssm.on(GetPatchBaselineCommand).resolves(baseline(7));
    ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [] });
    const [result] = await patchingCheck.run(context());
    expect(result.status).toBe('NON_COMPLIANT');
    expect(result.reason).toBe('approves security patches 7 days after release');
  });

  test('a baseline no patch group uses is not judged; nothing in use is not applicable (opt-in)', async () => {
    oneBaseline();
    ssm.on(GetPatchBaselineCommand).resolves(baseline(30, []));
    ssm.on(ListResourceComplianceSummariesCommand).resolves({ ResourceComplianceSummaryItems: [] });
    const results = await patchingCheck.run(context());
    expect(statuses(results)).toEqual(['NOT_APPLICABLE']);
    expect(results[0].reason).toMatch(/opt-in/);
  });

  test('pages through compliance summaries; a failing listing is NOT_CHECKED, the rest still reported', async () => {
    oneBaseline();
    ssm.on(GetPatchBaselineCommand).resolves(baseline(1));
    ssm
      .on(ListResourceComplianceSummariesCommand)
      .resolvesOnce({
        ResourceComplianceSummaryItems: [{ ResourceId: 'i-1', Status: 'COMPLIANT' }],
        NextToken: 't',
      })
      .resolvesOnce({ ResourceComplianceSummaryItems: [{ ResourceId: 'i-2', Status: 'COMPLIANT' }] });
    expect((await patchingCheck.run(context())).map((r) => r.resource)).toEqual([
      'Response-WINDOWS-security (pb-1)',
      'i-1',
      'i-2',
    ]);
    ssm.reset();
    oneBaseline();
    ssm.on(GetPatchBaselineCommand).resolves(baseline(0));
    ssm
      .on(ListResourceComplianceSummariesCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    expect(statuses(await patchingCheck.run(context()))).toEqual(['COMPLIANT', 'NOT_CHECKED']);
  });
});
