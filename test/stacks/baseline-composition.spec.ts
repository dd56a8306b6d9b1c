import { CfnCondition, CfnResource, Fn, Aws, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildControlsReport } from '../../lib/compliance/report';
import { DEFAULT_CONFIG } from '../../lib/config/default-config';
import { resolveConfig } from '../../lib/config/loader';
import { BASELINE_PARTS } from '../../lib/stacks/baseline-parts';
import { BaselinePart, composeBaseline, Placement } from '../../lib/stacks/baseline-composition';
import { deployOnlyWhen } from '../../lib/stacks/conditional-references';
import { testApp } from '../helpers';

// The composition's extension point: a part declares where it goes and what switches it off; the
// composition places it and reports it, with no list to update elsewhere.

const [dev] = resolveConfig(DEFAULT_CONFIG, 'default');

/** A stand-in for a new construct (think AWS Backup or Macie): two resources under one construct. */
class Widget extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new CfnResource(this, 'A', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'a' } });
    new CfnResource(this, 'B', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'b' } });
  }
}

const widget = (placement: Placement, on = true): BaselinePart => ({
  id: 'Widget',
  placement,
  switch: { setting: 'workload.enabled', isOn: () => on, controls: ['DATA-06'] },
  build: (ctx) => {
    new Widget(ctx.stack, 'Widget');
  },
});

function compose(part: BaselinePart, accountResources: boolean) {
  const app = testApp();
  const stack = new Stack(app, 'S');
  const parts = composeBaseline(stack, dev, accountResources, { parts: [...BASELINE_PARTS, part] });
  return { app, stack, parts };
}

describe('a new part', () => {
  test('ACCOUNT: built in the home-region stack only, and listed as account-wide without being named', () => {
    const home = compose(widget(Placement.ACCOUNT), true);
    const widgetIn = (s: Stack) => s.node.tryFindChild('Widget');
    expect(widgetIn(home.stack)).toBeDefined();
    expect(home.parts.accountWide).toContain(widgetIn(home.stack));
    const other = compose(widget(Placement.ACCOUNT), false);
    expect(widgetIn(other.stack)).toBeUndefined();
  });

  test('REGIONAL: built in every stack, never account-wide', () => {
    for (const accountResources of [true, false]) {
      const { stack, parts } = compose(widget(Placement.REGIONAL), accountResources);
      expect(stack.node.tryFindChild('Widget')).toBeDefined();
      expect(parts.accountWide).not.toContain(stack.node.tryFindChild('Widget'));
    }
  });

  test('its account-wide resources get the home-region condition like the built-in ones', () => {
    const { app, stack, parts } = compose(widget(Placement.ACCOUNT), true);
    deployOnlyWhen(
      parts.accountWide,
      new CfnCondition(stack, 'IsHome', { expression: Fn.conditionEquals(Aws.REGION, 'x') }),
    );
    const template = app.synth().getStackByName('S').template;
    const widgetResources = Object.entries(
      template.Resources as Record<string, { Type: string; Condition?: string }>,
    )
      .filter(([id]) => id.startsWith('Widget'))
      .map(([, r]) => r.Condition);
    expect(widgetResources).toEqual(['IsHome', 'IsHome']);
    const trail = Object.values(
      template.Resources as Record<string, { Type: string; Condition?: string }>,
    ).find((r) => r.Type === 'AWS::CloudTrail::Trail');
    expect(trail?.Condition).toBe('IsHome');
  });

  test('switched off: not built, and its controls are reported not applicable with the setting', () => {
    const { app, stack } = compose(widget(Placement.REGIONAL, false), true);
    expect(stack.node.tryFindChild('Widget')).toBeUndefined();
    const macie = buildControlsReport(app, [], 'test').controls.find((c) => c.id === 'DATA-06')!;
    expect([macie.status, macie.statusReason]).toEqual([
      'not-applicable',
      'off in this configuration: environments.dev.workload.enabled: false',
    ]);
  });

  test('a part that needs another part built first says which', () => {
    const needsTrail: BaselinePart = {
      ...BASELINE_PARTS.find((p) => p.id === 'CisMonitoring')!,
      id: 'Early',
    };
    const app = testApp();
    expect(() => composeBaseline(new Stack(app, 'S'), dev, true, { parts: [needsTrail] })).toThrow(
      'CisMonitoring needs the audit trail: list the part that builds it first',
    );
  });
});

describe('the built-in parts', () => {
  test('each declares a placement, and the construct IDs are unique', () => {
    expect(BASELINE_PARTS.map((p) => p.placement).every((p) => Object.values(Placement).includes(p))).toBe(
      true,
    );
    expect(new Set(BASELINE_PARTS.map((p) => p.id)).size).toBe(BASELINE_PARTS.length);
  });

  test('a switch names controls the part records when it is on', () => {
    const [prod] = resolveConfig(
      {
        environments: {
          prod: {
            threatDetection: { securityHub: true, config: true, inspector: true },
            incidentResponse: { runbooks: true },
            patching: { enabled: true },
            ddos: {
              shieldAdvanced: true,
              resources: [
                {
                  name: 'alb',
                  resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/a/1',
                },
              ],
            },
          },
        },
      },
      'x',
    );
    const app = testApp();
    composeBaseline(new Stack(app, 'S'), prod, true);
    const report = buildControlsReport(app, [], 'test');
    for (const part of BASELINE_PARTS) {
      for (const id of part.switch?.controls ?? []) {
        expect([part.id, id, report.controls.find((c) => c.id === id)!.status]).toEqual([
          part.id,
          id,
          'implemented',
        ]);
      }
    }
  });
});
