import * as http from 'node:http';
import { AddressInfo } from 'node:net';

// A local stand-in for the KMS API (AWS JSON 1.1 protocol) on 127.0.0.1: enough of ListKeys,
// DescribeKey and GetKeyRotationStatus for baseline-audit, with optional latency, a request-rate
// limit answered with ThrottlingException (as KMS does), and keys that deny access. Used by the
// end-to-end CLI test (through AWS_ENDPOINT_URL) and by the audit benchmark.

export interface FakeKey {
  readonly id: string;
  readonly keyManager?: 'CUSTOMER' | 'AWS';
  readonly keySpec?: string;
  readonly origin?: string;
  readonly keyState?: string;
  readonly multiRegionType?: 'PRIMARY' | 'REPLICA';
  readonly rotationEnabled?: boolean;
  readonly rotationPeriodInDays?: number;
  /** DescribeKey answers AccessDeniedException. */
  readonly denied?: boolean;
  /** Key policy document; @default one that gives the account root kms:* */
  readonly policy?: unknown;
}

/** How an operation misbehaves (fault injection). */
export type Fault = 'throttle' | 'deny' | '5xx' | 'hang' | 'malformed' | 'expired';

export interface FakeKmsOptions {
  readonly keys: readonly FakeKey[];
  readonly region?: string;
  readonly account?: string;
  /** Delay before every answer. */
  readonly latencyMs?: number;
  /** Requests per second accepted; above that, ThrottlingException. @default unlimited */
  readonly requestsPerSecond?: number;
  /** Throttle the first N requests whatever the rate. */
  readonly throttleFirst?: number;
  /** Throttle these requests (1-based, in order of arrival) whatever the rate. */
  readonly throttleRequests?: readonly number[];
  readonly pageSize?: number;
  /** Operations that always answer with a fault, e.g. `{ ListKeys: 'hang' }`. */
  readonly faults?: Readonly<Record<string, Fault>>;
  /** ListKeys: every page says Truncated with the same NextMarker (a looping endpoint). */
  readonly loopMarker?: boolean;
  /** ListKeys: every page says Truncated with a new NextMarker, forever. */
  readonly endlessPages?: boolean;
}

/** The answer for `fault` (status, body), or undefined for a hang. */
export function faultAnswer(fault: Fault): { status: number; body: string } | undefined {
  switch (fault) {
    case 'throttle':
      return {
        status: 400,
        body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
      };
    case 'deny':
      return {
        status: 400,
        body: JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized' }),
      };
    case '5xx':
      return {
        status: 500,
        body: JSON.stringify({ __type: 'KMSInternalException', message: 'internal error' }),
      };
    case 'expired':
      return {
        status: 400,
        body: JSON.stringify({
          __type: 'ExpiredTokenException',
          message: 'The security token included in the request is expired',
        }),
      };
    case 'malformed':
      return { status: 200, body: '{"Keys": [ {"KeyId": ' };
    case 'hang':
      return undefined;
  }
}

export interface FakeKms {
  readonly url: string;
  readonly stats: { requests: number; throttled: number; byOperation: Record<string, number> };
  close(): Promise<void>;
}

export async function startFakeKms(options: FakeKmsOptions): Promise<FakeKms> {
  const region = options.region ?? 'eu-west-1';
  const account = options.account ?? '111122223333';
  const arn = (id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const byId = new Map(options.keys.map((k) => [k.id, k]));
  const stats = { requests: 0, throttled: 0, byOperation: {} as Record<string, number> };
  // Token bucket refilled continuously at requestsPerSecond, holding at most one second's worth.
  const rate = options.requestsPerSecond;
  let tokens = rate ?? 0;
  let last = Date.now();

  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    const send = () => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': `req-${stats.requests}`,
      });
      res.end(JSON.stringify(body));
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith('TrentService.')) {
        // Not KMS (e.g. STS GetCallerIdentity when AWS_ENDPOINT_URL points here): not served.
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not KMS');
      }
      const operation = target.replace('TrentService.', '');
      stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
      const input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      if (rate !== undefined) {
        const now = Date.now();
        tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
        last = now;
      }
      const throttle =
        (options.throttleFirst !== undefined && stats.requests <= options.throttleFirst) ||
        options.throttleRequests?.includes(stats.requests) === true ||
        (rate !== undefined && tokens < 1);
      if (throttle) {
        stats.throttled++;
        return answer(res, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      if (rate !== undefined) tokens -= 1;

      const fault = options.faults?.[operation];
      if (fault) {
        const a = faultAnswer(fault);
        if (!a) return; // hang: never answer
        res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.1' });
        return res.end(a.body);
      }
      const keyOf = (keyId: string) => byId.get(String(keyId).split('/').pop()!);
      switch (operation) {
        case 'ListKeys': {
          const pageSize = Math.min(input.Limit ?? 100, options.pageSize ?? 100);
          const start = input.Marker ? Number(input.Marker) : 0;
          if (options.loopMarker || options.endlessPages)
            return answer(res, 200, {
              Keys: [],
              Truncated: true,
              NextMarker: options.loopMarker ? '1' : String(start + 1),
            });
          const page = options.keys.slice(start, start + pageSize);
          const more = start + pageSize < options.keys.length;
          return answer(res, 200, {
            Keys: page.map((k) => ({ KeyId: k.id, KeyArn: arn(k.id) })),
            Truncated: more,
            ...(more ? { NextMarker: String(start + pageSize) } : {}),
          });
        }
        case 'DescribeKey': {
          const k = keyOf(input.KeyId);
          if (!k)
            return answer(res, 400, {
              __type: 'NotFoundException',
              message: `Key '${input.KeyId}' does not exist`,
            });
          if (k.denied)
            return answer(res, 400, {
              __type: 'AccessDeniedException',
              message: `User is not authorized to perform: kms:DescribeKey on resource: ${arn(k.id)}`,
            });
          return answer(res, 200, {
            KeyMetadata: {
              KeyId: k.id,
              Arn: arn(k.id),
              AWSAccountId: account,
              KeyManager: k.keyManager ?? 'CUSTOMER',
              KeySpec: k.keySpec ?? 'SYMMETRIC_DEFAULT',
              KeyUsage: (k.keySpec ?? 'SYMMETRIC_DEFAULT').startsWith('HMAC')
                ? 'GENERATE_VERIFY_MAC'
                : 'ENCRYPT_DECRYPT',
              Origin: k.origin ?? 'AWS_KMS',
              KeyState: k.keyState ?? 'Enabled',
              Enabled: (k.keyState ?? 'Enabled') === 'Enabled',
              MultiRegion: k.multiRegionType !== undefined,
              ...(k.multiRegionType
                ? { MultiRegionConfiguration: { MultiRegionKeyType: k.multiRegionType } }
                : {}),
            },
          });
        }
        case 'GetKeyRotationStatus': {
          const k = keyOf(input.KeyId);
          if (!k) return answer(res, 400, { __type: 'NotFoundException', message: 'not found' });
          return answer(res, 200, {
            KeyId: arn(k.id),
            KeyRotationEnabled: k.rotationEnabled ?? false,
            ...(k.rotationEnabled && k.rotationPeriodInDays
              ? { RotationPeriodInDays: k.rotationPeriodInDays }
              : {}),
          });
        }
        case 'GetKeyPolicy': {
          const k = keyOf(input.KeyId);
          if (!k) return answer(res, 400, { __type: 'NotFoundException', message: 'not found' });
          const policy = k.policy ?? {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          };
          return answer(res, 200, { Policy: JSON.stringify(policy), PolicyName: 'default' });
        }
        default:
          return answer(res, 400, { __type: 'UnknownOperationException', message: operation });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
