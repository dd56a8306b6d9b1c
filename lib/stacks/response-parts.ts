import { ConfigRecording } from '../constructs/config-recording';
import { ContainmentRunbooks, Runbook } from '../constructs/containment-runbooks';
import { DdosProtection } from '../constructs/ddos-protection';
import { PatchManagement } from '../constructs/patch-management';
import { IncidentClass } from '../constructs/severity';
import { VulnerabilityScanning } from '../constructs/vulnerability-scanning';
import { BaselinePart, built, Placement } from './part';

// The opt-in detection and response parts (issue 17): each off by default, one switch away.

/** Containment runbooks (ALR-03): revoke sessions, deactivate keys, isolate an instance; a responder runs them. */
export const containment: BaselinePart = {
  id: 'Containment',
  placement: Placement.REGIONAL,
  switch: {
    setting: 'incidentResponse.runbooks',
    isOn: (c) => c.incidentResponse.runbooks,
    controls: ['ALR-03'],
  },
  build: (ctx) => {
    const ir = ctx.config.incidentResponse;
    const alerts = built(ctx.alerts, 'the security alerts', 'Containment');
    ctx.containment = new ContainmentRunbooks(ctx.stack, 'Containment', {
      alertTopics: [alerts.topic(ir.announceClass as IncidentClass)],
      // Document names are per account and region, like an environment's stack.
      documentNamePrefix: `SecurityBaseline-${ctx.config.name}`.slice(0, 100),
      // Blocking an IP needs a web ACL's IP set: the reference workload has its own runbook for it.
      runbooks: [Runbook.REVOKE_ROLE_SESSIONS, Runbook.DEACTIVATE_USER_KEYS, Runbook.ISOLATE_INSTANCE],
      autoIsolateFindingTypes: [...ir.autoIsolateFindingTypes],
    });
  },
};

/** AWS Config recorder and rules for the baseline's controls (DET-03); drift is a Medium alert. */
export const configRecording: BaselinePart = {
  id: 'Config',
  placement: Placement.REGIONAL,
  switch: { setting: 'threatDetection.config', isOn: (c) => c.threatDetection.config, controls: ['DET-03'] },
  build: (ctx) => {
    const alerts = built(ctx.alerts, 'the security alerts', 'Config');
    new ConfigRecording(ctx.stack, 'Config', {
      alertTopic: alerts.topic(IncidentClass.MEDIUM),
      // Rules about account-wide settings (password policy, root MFA) once per account.
      accountWide: ctx.accountResources,
      adoptExistingRecorder: ctx.config.threatDetection.adoptExistingConfigRecorder,
      minimumPasswordLength: ctx.config.identity.minimumPasswordLength,
      serverAccessLogsBucket: built(ctx.accessLogs, 'the access-log bucket', 'Config').bucket,
    });
  },
};

/** Amazon Inspector scanning (DET-04); after AccountHardening, whose custom-resource role it shares. */
export const vulnerabilityScanning: BaselinePart = {
  id: 'Inspector',
  placement: Placement.REGIONAL,
  switch: {
    setting: 'threatDetection.inspector',
    isOn: (c) => c.threatDetection.inspector,
    controls: ['DET-04'],
  },
  build: (ctx) => {
    const alerts = built(ctx.alerts, 'the security alerts', 'Inspector');
    new VulnerabilityScanning(ctx.stack, 'Inspector', {
      alertTopics: {
        critical: alerts.topic(IncidentClass.CRITICAL),
        high: alerts.topic(IncidentClass.HIGH),
        medium: alerts.topic(IncidentClass.MEDIUM),
        low: alerts.topic(IncidentClass.LOW),
      },
      lambdaCodeScanning: ctx.config.threatDetection.inspectorLambdaCode,
    });
  },
};

/** Security patches approved within a day and installed in a window, by PatchGroup tag (OPS-01). */
export const patching: BaselinePart = {
  id: 'Patching',
  placement: Placement.REGIONAL,
  switch: { setting: 'patching.enabled', isOn: (c) => c.patching.enabled, controls: ['OPS-01'] },
  build: (ctx) => {
    const p = ctx.config.patching;
    new PatchManagement(ctx.stack, 'Patching', {
      patchGroup: p.patchGroup,
      approveAfterDays: p.approveAfterDays,
      schedule: p.schedule,
      scheduleTimezone: p.scheduleTimezone,
      windowHours: p.windowHours,
    });
  },
};

/** Shield Advanced protections for named resources (NET-06); the subscription is never created here. */
export const ddosProtection: BaselinePart = {
  id: 'Ddos',
  placement: Placement.ACCOUNT,
  switch: { setting: 'ddos.shieldAdvanced', isOn: (c) => c.ddos.shieldAdvanced, controls: ['NET-06'] },
  build: (ctx) => {
    new DdosProtection(ctx.stack, 'Ddos', {
      resources: ctx.config.ddos.resources.map((r) => ({ name: r.name, resourceArn: r.resourceArn })),
      alertTopic: built(ctx.alerts, 'the security alerts', 'Ddos').topic(IncidentClass.HIGH),
    });
  },
};
