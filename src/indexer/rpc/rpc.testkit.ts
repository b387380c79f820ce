// Test helpers: a free port, and an HTTP JSON-RPC proxy on 127.0.0.1 in front of a devnet RPC server that can rewrite
// answers (e.g. into Tendermint 0.34's base64 attributes) and has no websocket (upgrades are refused).
import { createServer, request } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

/** `rewrite(method, result)` may change each answer's result in place. */
export async function rpcProxy(target: string, rewrite: (method: string, result: any) => void = () => undefined): Promise<Proxy> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString());
      const methods = new Map<unknown, string>((Array.isArray(parsed) ? parsed : [parsed]).map((r: any) => [r.id, r.method]));
      const up = request({ host: t.hostname, port: t.port, path: '/', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (ur) => {
        const out: Buffer[] = [];
        ur.on('data', (c: Buffer) => out.push(c));
        ur.on('end', () => {
          const json = JSON.parse(Buffer.concat(out).toString());
          for (const a of Array.isArray(json) ? json : [json]) if (a.result) rewrite(methods.get(a.id) ?? '', a.result);
          res.writeHead(ur.statusCode ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
        });
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  server.on('upgrade', (_req, socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const encodeEvents = (events: any[] | null | undefined) => {
  for (const e of events ?? []) for (const a of e.attributes ?? []) Object.assign(a, { key: b64(a.key), value: a.value === '' ? null : b64(a.value) });
};

/** Tendermint 0.34: attribute keys and values base64, empty values null (cosmos-wire §1.11). */
export function as034(method: string, result: any): void {
  if (method === 'status') result.node_info.version = '0.34.27';
  if (method !== 'block_results') return;
  for (const r of result.txs_results ?? []) encodeEvents(r.events);
  encodeEvents(result.begin_block_events);
  encodeEvents(result.end_block_events);
}

/** A port nothing listens on (any more). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
