import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Stack } from 'aws-cdk-lib';
import { recordedControls } from '../../lib/compliance/controls';
import { PatchManagement, PatchOperatingSystem } from '../../lib/constructs/patch-management';
import { synthWithGate, testStack } from './response-helpers';

describe('PatchManagement (OPS-01)', () => {
  const stack = testStack('Patch');
  const patching = new PatchManagement(stack, 'Patching');
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, any>;

  test('one security-only baseline per operating system, approving on release day, for the patch group', () => {
    const baselines = Object.values(resources).filter((r) => r.Type === 'AWS::SSM::PatchBaseline');
    expect(baselines.map((b) => b.Properties.OperatingSystem).sort()).toEqual(
      Object.values(PatchOperatingSystem).sort(),
    );
    for (const b of baselines) {
      expect(b.Properties.PatchGroups).toEqual(['security-baseline']);
      const rules = b.Properties.ApprovalRules.PatchRules;
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        ApproveAfterDays: 0,
        EnableNonSecurity: false,
        ComplianceLevel: 'CRITICAL',
      });
      const classification = rules[0].PatchFilterGroup.PatchFilters.find(
        (f: any) => f.Key === 'CLASSIFICATION',
      );
      expect(classification.Values).toEqual(
        b.Properties.OperatingSystem === 'WINDOWS' ? ['SecurityUpdates', 'CriticalUpdates'] : ['Security'],
      );
    }
  });

  test('every tagged instance is scanned daily (patch compliance)', () => {
    template.hasResourceProperties('AWS::SSM::Association', {
      Name: 'AWS-RunPatchBaseline',
      Parameters: { Operation: ['Scan'] },
      ScheduleExpression: 'rate(1 day)',
      Targets: [{ Key: 'tag:PatchGroup', Values: ['security-baseline'] }],
    });
  });

  test('a daily window installs approved patches on the tagged instances, output to an encrypted log group', () => {
    template.hasResourceProperties('AWS::SSM::MaintenanceWindow', {
      Schedule: 'cron(0 3 ? * * *)',
      ScheduleTimezone: 'Etc/UTC',
      Duration: 3,
      Cutoff: 1,
      AllowUnassociatedTargets: false,
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTarget', {
      ResourceType: 'INSTANCE',
      Targets: [{ Key: 'tag:PatchGroup', Values: ['security-baseline'] }],
    });
    template.hasResourceProperties('AWS::SSM::MaintenanceWindowTask', {
      TaskType: 'RUN_COMMAND',
      TaskArn: 'AWS-RunPatchBaseline',
      Targets: [
        { Key: 'WindowTargetIds', Values: [{ Ref: Match.stringLikeRegexp('^PatchingWindowTarget') }] },
      ],
      TaskInvocationParameters: {
        MaintenanceWindowRunCommandParameters: {
          Parameters: { Operation: ['Install'], RebootOption: ['RebootIfNeeded'] },
          CloudWatchOutputConfig: {
            CloudWatchOutputEnabled: true,
            CloudWatchLogGroupName: { Ref: stack.getLogicalId(patching.logGroup.node.defaultChild as any) },
          },
        },
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: Match.anyValue(), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('records OPS-01 and warns about nothing by default', () => {
    expect(recordedControls(stack).get('Patch/Patching')).toEqual(['OPS-01', 'LOG-04']);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('OPS-01'))).toEqual([]);
  });
});

describe('PatchManagement options', () => {
  test('approving later than a day is allowed explicitly and warns, naming OPS-01', () => {
    const stack = testStack();
    new PatchManagement(stack, 'P', {
      approveAfterDays: 7,
      operatingSystems: [PatchOperatingSystem.WINDOWS],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::PatchBaseline', {
      ApprovalRules: { PatchRules: [Match.objectLike({ ApproveAfterDays: 7 })] },
    });
    expect(
      Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('\\[OPS-01 weakened\\] approveAfterDays is 7'),
      ),
    ).toHaveLength(1);
  });

  test('rejects bad props, all at once, with the value received', () => {
    const stack = testStack();
    expect(
      () =>
        new PatchManagement(stack, 'Bad', {
          patchGroup: 'has spaces',
          operatingSystems: [],
          approveAfterDays: -1,
          schedule: 'every day',
          windowHours: 0,
        }),
    ).toThrow(
      new RegExp(
        [
          "PatchManagement at 'Test/Bad': 5 invalid prop\\(s\\)",
          'patchGroup: got "has spaces"',
          'operatingSystems: got \\[\\]; at least one',
          'approveAfterDays: got -1',
          'schedule: got "every day"',
          'windowHours: got 0',
        ].join('[\\s\\S]*'),
      ),
    );
  });
});

test('the compliance gate passes an app with PatchManagement', () => {
  expect(synthWithGate((app) => new PatchManagement(new Stack(app, 'Patch'), 'Patching'))).toEqual({
    threw: false,
    violations: [],
    problems: [],
  });
});

test('baseline(os) returns a deployed baseline and refuses an operating system not chosen', () => {
  const p = new PatchManagement(testStack(), 'P', { operatingSystems: [PatchOperatingSystem.WINDOWS] });
  expect(p.baseline(PatchOperatingSystem.WINDOWS).operatingSystem).toBe('WINDOWS');
  expect(() => p.baseline(PatchOperatingSystem.AMAZON_LINUX_2)).toThrow(/no baseline for AMAZON_LINUX_2/);
});
