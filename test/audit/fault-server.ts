import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Fault } from './fake-kms-server';

// A loopback endpoint that answers EVERY AWS request (any service, any protocol) with one fault:
// throttling past retries, access denied, 5xx, a hang, a malformed 200 answer or expired
// credentials. Pointed at by AWS_ENDPOINT_URL, it shows how every check behaves when AWS misbehaves.

type Protocol = 'json' | 'query' | 'ec2' | 'restxml';

function protocolOf(req: http.IncomingMessage, body: string): Protocol {
  const type = String(req.headers['content-type'] ?? '');
  // The signing name in the Authorization header says which service is called.
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
    String(req.headers.authorization ?? ''),
  )?.[1];
  if (req.headers['x-amz-target'] || type.includes('json')) return 'json';
  if (['guardduty', 'access-analyzer', 'securityhub', 'inspector2', 'backup'].includes(service ?? ''))
    return 'json'; // REST-JSON
  if (service === 'ec2' || /Version=2016-11-15/.test(body)) return 'ec2';
  if (body.startsWith('Action=')) return 'query';
  return 'restxml';
}

const CODES: Record<Exclude<Fault, 'hang' | 'malformed'>, { status: number; json: string; xml: string }> = {
  throttle: { status: 400, json: 'ThrottlingException', xml: 'Throttling' },
  deny: { status: 403, json: 'AccessDeniedException', xml: 'AccessDenied' },
  '5xx': { status: 500, json: 'InternalFailure', xml: 'InternalError' },
  expired: { status: 400, json: 'ExpiredTokenException', xml: 'ExpiredToken' },
};

export interface FaultServer {
  readonly url: string;
  readonly requests: () => number;
  /** When the first request arrived (Date.now()), or undefined before any. */
  readonly firstRequestAt: () => number | undefined;
  close(): Promise<void>;
}

export async function startFaultServer(fault: Fault): Promise<FaultServer> {
  let requests = 0;
  let firstRequestAt: number | undefined;
  const server = http.createServer((req, res) => {
    firstRequestAt ??= Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (fault === 'hang') return; // never answer
      const body = Buffer.concat(chunks).toString('utf8');
      const protocol = protocolOf(req, body);
      if (fault === 'malformed') {
        res.writeHead(200, { 'content-type': protocol === 'json' ? 'application/json' : 'text/xml' });
        return res.end(protocol === 'json' ? '{"truncated": ' : '<Response><unclosed');
      }
      const { status, json, xml } = CODES[fault];
      const message = `injected fault: ${fault}`;
      if (protocol === 'json') {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': json });
        return res.end(JSON.stringify({ __type: json, message }));
      }
      res.writeHead(status, { 'content-type': 'text/xml' });
      if (protocol === 'query')
        return res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${xml}</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
        );
      if (protocol === 'ec2')
        return res.end(
          `<Response><Errors><Error><Code>${xml}</Code><Message>${message}</Message></Error></Errors><RequestID>r</RequestID></Response>`,
        );
      return res.end(
        `<Error><Code>${xml}</Code><Message>${message}</Message><RequestId>r</RequestId></Error>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    firstRequestAt: () => firstRequestAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
