import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';

// Test set-up for integration tests against moto (python3 -m moto.server), on 127.0.0.1 only.

/**
 * The Python modules moto's server needs (moto with its `server` extra). The probe looks them up
 * without importing them: importing moto.server costs about 0.4 s of CPU, and the server started
 * next imports it anyway (and fails loudly if it cannot).
 */
export const MOTO_SERVER_MODULES = ['moto', 'flask', 'flask_cors', 'werkzeug'];

/**
 * Whether `modules` are installed for python3 (looked up, not imported); the reason when they are
 * not, naming `what` and the missing modules.
 */
export function pythonModulesAvailable(
  what: string,
  modules: readonly string[],
): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync(
    'python3',
    [
      '-c',
      'import importlib.util, sys\n' +
        'missing = [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]\n' +
        "sys.exit('No module named ' + ', '.join(missing) if missing else 0)",
      ...modules,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  );
  if (probe.error) return { ok: false, reason: `python3 is not available (${probe.error.message})` };
  if (probe.status !== 0)
    return {
      ok: false,
      reason: `${what} is not installed for python3 (${probe.stderr.trim().split('\n').pop()})`,
    };
  return { ok: true };
}

/** Whether moto's server can run here; the reason when it cannot (printed by the caller). */
export function motoAvailability(): { ok: true } | { ok: false; reason: string } {
  return pythonModulesAvailable('moto', MOTO_SERVER_MODULES);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Moto {
  readonly url: string;
  stop(): Promise<void>;
}

/** Start moto's server on a free loopback port and wait until it answers. */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // AWS managed policies (AdministratorAccess) exist only when moto loads them.
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}): ${stderr}`);
    const up = await new Promise<boolean>((resolve) =>
      http
        .get(`${url}/moto-api/`, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false)),
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`moto did not start within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // moto's server can linger on SIGTERM with connections open (seen: over 5 s on a busy machine,
        // 1.3 s typically); it keeps nothing worth a clean exit (in-memory state only).
        setTimeout(() => child.kill('SIGKILL'), 500).unref();
      }),
  };
}

/**
 * A loopback proxy in front of moto that fills the moto 5.2.1 gaps the audit meets, so that a
 * correctly configured account looks correct (test set-up, never product code):
 * - KMS: moto accepts EnableKeyRotation's RotationPeriodInDays but GetKeyRotationStatus never
 *   returns it; the proxy remembers it per key and adds it to the answer.
 * - WAFv2: moto does not implement ListResourcesForWebACL; the proxy remembers AssociateWebACL.
 * - IAM Access Analyzer (CreateAnalyzer, ListAnalyzers), Security Hub standards
 *   (BatchEnableStandards, GetEnabledStandards), Inspector (Enable, BatchGetAccountStatus) and SSM
 *   GetPatchBaseline / ListResourceComplianceSummaries are not served by moto; the proxy keeps them.
 * Everything else is forwarded unchanged.
 */
export async function startGapProxy(motoUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(motoUrl);
  const periods = new Map<string, number>();
  const associations = new Map<string, string[]>();
  const keyIdOf = (k: string) => String(k).split('/').pop()!;
  const analyzers: Record<string, unknown>[] = [];
  const standards: Record<string, unknown>[] = [];
  const inspectorTypes = new Set<string>();
  const patchBaselines = new Map<string, Record<string, unknown>>();
  const patchGroups = new Map<string, string[]>();
  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '');
      const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
        String(req.headers.authorization ?? ''),
      )?.[1];
      const path = (req.url ?? '').split('?')[0];
      if (service === 'access-analyzer' && path === '/analyzer') {
        if (req.method === 'PUT') {
          const input = JSON.parse(body.toString('utf8'));
          const arn = `arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/${input.analyzerName}`;
          analyzers.push({
            arn,
            name: input.analyzerName,
            type: input.type,
            status: 'ACTIVE',
            createdAt: new Date().toISOString(),
          });
          return json(res, { arn });
        }
        return json(res, { analyzers });
      }
      if (service === 'securityhub' && path === '/standards/register') {
        const input = JSON.parse(body.toString('utf8'));
        for (const r of input.StandardsSubscriptionRequests ?? [])
          standards.push({
            StandardsArn: r.StandardsArn,
            StandardsSubscriptionArn: `${r.StandardsArn}/subscription`,
            StandardsInput: {},
            StandardsStatus: 'READY',
          });
        return json(res, { StandardsSubscriptions: standards });
      }
      if (service === 'securityhub' && path === '/standards/get')
        return json(res, { StandardsSubscriptions: standards });
      if (service === 'inspector2' && path === '/enable') {
        for (const t of JSON.parse(body.toString('utf8')).resourceTypes ?? [])
          inspectorTypes.add(String(t).toLowerCase());
        return json(res, { accounts: [], failedAccounts: [] });
      }
      if (service === 'inspector2' && path === '/status/batch/get') {
        const state = (t: string) => ({ status: inspectorTypes.has(t) ? 'ENABLED' : 'DISABLED' });
        return json(res, {
          accounts: [
            {
              accountId: '123456789012',
              state: { status: inspectorTypes.size > 0 ? 'ENABLED' : 'DISABLED' },
              resourceState: { ec2: state('ec2'), ecr: state('ecr'), lambda: state('lambda') },
            },
          ],
          failedAccounts: [],
        });
      }
      const input = op ? JSON.parse(body.toString('utf8') || '{}') : {};
      if (op === 'AmazonSSM.RegisterPatchBaselineForPatchGroup')
        patchGroups.set(input.BaselineId, [...(patchGroups.get(input.BaselineId) ?? []), input.PatchGroup]);
      if (op === 'AmazonSSM.GetPatchBaseline') {
        const b = patchBaselines.get(input.BaselineId) ?? {};
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({
            ...b,
            BaselineId: input.BaselineId,
            PatchGroups: patchGroups.get(input.BaselineId) ?? [],
          }),
        );
        return;
      }
      if (op === 'AmazonSSM.ListResourceComplianceSummaries') {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ResourceComplianceSummaryItems: [] }));
        return;
      }
      if (op === 'TrentService.EnableKeyRotation' && input.RotationPeriodInDays)
        periods.set(keyIdOf(input.KeyId), input.RotationPeriodInDays);
      if (op === 'TrentService.DisableKeyRotation') periods.delete(keyIdOf(input.KeyId));
      if (op === 'AWSWAF_20190729.AssociateWebACL')
        associations.set(input.WebACLArn, [...(associations.get(input.WebACLArn) ?? []), input.ResourceArn]);
      if (op === 'AWSWAF_20190729.ListResourcesForWebACL') {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ResourceArns: associations.get(input.WebACLArn) ?? [] }));
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            let payload = Buffer.concat(out);
            if (op === 'AmazonSSM.CreatePatchBaseline' && up.statusCode === 200)
              patchBaselines.set(JSON.parse(payload.toString('utf8')).BaselineId, {
                Name: input.Name,
                OperatingSystem: input.OperatingSystem,
                ApprovalRules: input.ApprovalRules,
              });
            if (op === 'TrentService.GetKeyRotationStatus' && up.statusCode === 200) {
              const answer = JSON.parse(payload.toString('utf8'));
              const period = periods.get(keyIdOf(input.KeyId));
              if (answer.KeyRotationEnabled && period) answer.RotationPeriodInDays = period;
              payload = Buffer.from(JSON.stringify(answer));
            }
            const headers = { ...up.headers, 'content-length': String(payload.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, headers);
            res.end(payload);
          });
        },
      );
      upstream.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
