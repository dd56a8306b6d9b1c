import type { GetPublicAccessBlockCommandOutput, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { call, errorName } from '../aws';
import { AuditCheck, CheckContext, resultsFor } from '../context';
import { AuditResult } from '../result';
import { CHECK_PERMISSIONS } from '../permissions';
import { s3ControlSdk, stsSdk } from '../sdk';

/**
 * The endpoint the S3 Control client should use. S3 Control puts the account ID in front of the
 * endpoint's host (`<account>.host`), which cannot work for an IP address ("Invalid URL") and does
 * not resolve for `localhost` on most machines. For a loopback endpoint (an emulator on 127.0.0.1,
 * [::1] or localhost) the client is given `http://localhost:PORT` (a valid URL) and `loopbackHost`
 * says where to actually send the request (see `sendToLoopback`); any other IP is refused with a
 * clear reason (set AWS_ENDPOINT_URL_S3_CONTROL to a hostname).
 */
export function s3ControlEndpoint(
  clientConfig: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): { endpoint?: string; loopbackHost?: string; problem?: string } {
  const configured =
    (typeof clientConfig.endpoint === 'string' ? clientConfig.endpoint : undefined) ??
    env.AWS_ENDPOINT_URL_S3_CONTROL ??
    env.AWS_ENDPOINT_URL;
  if (!configured) return {};
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return { problem: `the S3 Control endpoint "${configured}" is not a URL` };
  }
  const host = url.hostname;
  if (host === '127.0.0.1' || host === '[::1]' || host === 'localhost') {
    const loopbackHost = host;
    url.hostname = 'localhost';
    return { endpoint: url.toString().replace(/\/$/, ''), loopbackHost };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('['))
    return {
      problem:
        `S3 Control prefixes the account ID to the endpoint host, which cannot work with the IP address ${host}; ` +
        'set AWS_ENDPOINT_URL_S3_CONTROL to a hostname',
    };
  return { endpoint: configured };
}

/** Send the client's requests to `host` instead of `<account>.localhost` (a loopback emulator). */
export function sendToLoopback(client: S3ControlClient, host: string): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = (args as { request?: { hostname?: string; headers?: Record<string, string> } }).request;
      if (request?.hostname?.endsWith('.localhost')) {
        request.hostname = host;
        if (request.headers?.host) request.headers.host = request.headers.host.replace(/^[^:]+/, host);
      }
      return next(args);
    },
    { step: 'build', name: 'baselineAuditLoopbackHost' },
  );
}

/** DATA-07 (account-wide): all four S3 Block Public Access settings are on for the account. */
export const s3AccountCheck: AuditCheck = {
  name: 's3-account',
  controls: ['DATA-07'],
  global: true,
  description: 'account-level S3 Block Public Access is fully on',
  permissions: CHECK_PERMISSIONS['s3-account'],
  async run(context: CheckContext): Promise<AuditResult[]> {
    const { GetCallerIdentityCommand, STSClient } = stsSdk();
    const { GetPublicAccessBlockCommand, S3ControlClient } = s3ControlSdk();
    const config = { ...context.clientConfig, region: context.region };
    const r = resultsFor('s3-account', 'DATA-07', 'global', 'AWS::S3::AccountPublicAccessBlock');
    let account: string | undefined;
    try {
      account = (
        await call<GetCallerIdentityCommandOutput>(
          context,
          new STSClient(config),
          new GetCallerIdentityCommand({}),
        )
      ).Account;
      const { endpoint, loopbackHost, problem } = s3ControlEndpoint(context.clientConfig, process.env);
      if (problem) return [r.notChecked(`account ${account}`, problem)];
      const control = new S3ControlClient({ ...config, ...(endpoint ? { endpoint } : {}) });
      if (loopbackHost) sendToLoopback(control, loopbackHost);
      const block = await call<GetPublicAccessBlockCommandOutput>(
        context,
        control,
        new GetPublicAccessBlockCommand({ AccountId: account }),
      );
      const c = block.PublicAccessBlockConfiguration ?? {};
      const off = (
        ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const
      ).filter((k) => c[k] !== true);
      return [
        r.verdict(
          `account ${account}`,
          off.length ? [`off: ${off.join(', ')}`] : [],
          'all four account-level public access blocks are on',
        ),
      ];
    } catch (e) {
      const resource = `account ${account ?? '(unknown)'}`;
      return [
        errorName(e) === 'NoSuchPublicAccessBlockConfiguration'
          ? r.nonCompliant(resource, 'no account-level public access block is configured')
          : r.notChecked(resource, e),
      ];
    }
  },
};
