// The opt-in controls' settings (issues 16, 17): every mistake is a ConfigError with its path and
// the value received, all at once, before any stack exists.
import { ConfigError, resolveConfig } from '../../lib/config/loader';

function problems(prod: Record<string, unknown>): { path: string; received: unknown }[] {
  try {
    resolveConfig({ environments: { prod } }, 'test');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => ({ path: p.path, received: p.received }));
    throw e;
  }
  return [];
}

describe('opt-in control settings', () => {
  test('every switch is off by default, and backups and data events are on in the prod profile', () => {
    const [dev] = resolveConfig({ environments: { dev: {} } }, 'test');
    const [prod] = resolveConfig({ environments: { prod: {} } }, 'test');
    for (const e of [dev, prod]) {
      expect([
        e.incidentResponse.runbooks,
        e.threatDetection.config,
        e.threatDetection.inspector,
        e.patching.enabled,
        e.ddos.shieldAdvanced,
        e.workload.signIn,
        e.workload.piiDiscovery,
      ]).toEqual([false, false, false, false, false, false, false]);
    }
    expect([dev.backup.enabled, dev.auditLog.allBucketDataEvents]).toEqual([false, false]);
    expect([
      prod.backup.enabled,
      prod.backup.lockMode,
      prod.backup.restoreTesting,
      prod.auditLog.allBucketDataEvents,
    ]).toEqual([true, 'COMPLIANCE', true, true]);
  });

  test('Shield Advanced with nothing to protect, and every malformed value, are reported together', () => {
    expect(
      problems({
        ddos: { shieldAdvanced: true },
        incidentResponse: { autoIsolateFindingTypes: ['not a finding type'], announceClass: 'URGENT' },
        patching: { approveAfterDays: 400, schedule: 'every night' },
        backup: { lockMode: 'FOREVER', copyRegion: 'mars-1', dailyRetentionDays: 3 },
        workload: { signInCallbackUrls: ['http://app.example.com/callback'] },
      }).sort((a, b) => a.path.localeCompare(b.path)),
    ).toEqual([
      { path: 'environments.prod.backup.copyRegion', received: 'mars-1' },
      { path: 'environments.prod.backup.dailyRetentionDays', received: 3 },
      { path: 'environments.prod.backup.lockMode', received: 'FOREVER' },
      { path: 'environments.prod.ddos.resources', received: undefined },
      { path: 'environments.prod.incidentResponse.announceClass', received: 'URGENT' },
      {
        path: 'environments.prod.incidentResponse.autoIsolateFindingTypes[0]',
        received: 'not a finding type',
      },
      { path: 'environments.prod.patching.approveAfterDays', received: 400 },
      { path: 'environments.prod.patching.schedule', received: 'every night' },
      {
        path: 'environments.prod.workload.signInCallbackUrls[0]',
        received: 'http://app.example.com/callback',
      },
    ]);
  });
});
