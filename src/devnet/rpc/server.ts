// One CometBFT-compatible RPC endpoint per chain on 127.0.0.1 (cosmos-wire §1.1): JSON-RPC POST on
// `/` (single or batch), GET/URI form `/<method>?arg=…`, `/websocket` with event subscriptions.
// Malformed input always gets a JSON-RPC error; nothing a client sends can crash the process.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { BlockStore } from '../node/block-store.ts';
import { callRoute, handleRequest, respond } from './dispatch.ts';
import { type FaultConfig, type FaultKind, FaultInjector } from './faults.ts';
import { type Chunks, RpcError, argsFromQuery, errorEnvelope, internalError, invalidRequest, methodNotFound, parseBody } from './jsonrpc.ts';
import { ROUTES, type RouteContext } from './routes.ts';
import { serveWebsocket } from './websocket.ts';

export interface RpcServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to bind (default 127.0.0.1; `0.0.0.0` inside a container, src/devnet/serve.ts). */
  host?: string;
  faults?: FaultConfig;
  /** CometBFT's default max_body_bytes is 1 000 000. */
  maxBodyBytes?: number;
  /** How often new blocks are picked up for websocket pushes (ms, default 25). */
  pollMs?: number;
}

export interface RpcServer {
  url: string;
  /** `ws://127.0.0.1:<port>`: the base cosmjs takes (it appends `/websocket`, the endpoint path). */
  wsUrl: string;
  store: BlockStore;
  /** Replace (or with undefined, turn off) fault injection at run time. */
  setFaults(cfg: FaultConfig | undefined): void;
  faultCounts(): Record<FaultKind, number> | undefined;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;
const CACHE = 'public, max-age=86400';
const [OPEN, COMMA, END] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];

function endpointsPage(host: string): string {
  const names = Object.keys(ROUTES).filter((n) => !ROUTES[n]!.wsOnly).sort();
  const noArgs = names.filter((n) => ROUTES[n]!.args.length === 0).map((n) => `<a href="//${host}/${n}">${n}</a><br>`);
  const withArgs = names.filter((n) => ROUTES[n]!.args.length > 0).map((n) => {
    const link = `//${host}/${n}?${ROUTES[n]!.args.map(([a]) => `${a}=_`).join('&')}`;
    return `<a href="${link}">${link}</a></br>`;
  });
  return `<html><body><br>Available endpoints:<br>${noArgs.join('')}<br>Endpoints that require arguments:<br>${withArgs.join('')}</body></html>`;
}

export async function startRpcServer(store: BlockStore, opts: RpcServerOptions = {}): Promise<RpcServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  let faults = opts.faults ? new FaultInjector(opts.faults) : undefined;
  const sockets = new Set<Socket>();
  const held = new Set<ReturnType<typeof setTimeout>>();
  const ctx: RouteContext = { store, rpcAddress: '' };
  let port = 0;

  /** Writes the chunks without joining them (cached block JSON is never copied). */
  const write = (res: ServerResponse, status: number, chunks: Chunks, headers: Record<string, string>) => {
    if (res.destroyed) return;
    let len = 0;
    for (const c of chunks) len += c.length;
    res.writeHead(status, { ...headers, 'Content-Length': String(len) });
    if (chunks.length === 1) return void res.end(chunks[0]);
    res.cork();
    for (const c of chunks) res.write(c);
    res.end();
    res.uncork();
  };

  const send = (res: ServerResponse, status: number, body: Chunks | string, headers: Record<string, string> = JSON_HEADERS, fault?: FaultKind) => {
    const chunks = typeof body === 'string' ? [Buffer.from(body)] : body;
    if (fault === 'truncated') {
      const all = Buffer.concat(chunks);
      write(res, status, [all.subarray(0, Math.max(1, Math.floor(all.length / 2)))], headers);
    } else if (fault === 'slow') {
      const t = setTimeout(() => {
        held.delete(t);
        write(res, status, chunks, headers);
      }, faults?.slowMs ?? 1500);
      held.add(t);
    } else {
      write(res, status, chunks, headers);
    }
  };

  /** Faults that replace the answer; `slow`/`truncated` are applied when the answer is sent. */
  const injectEarly = (req: IncomingMessage, res: ServerResponse): FaultKind | 'handled' | undefined => {
    const f = faults?.next();
    if (f === '5xx') {
      res.writeHead(faults!.status(), { 'Content-Type': 'text/plain' }).end('injected fault: server error\n');
      return 'handled';
    }
    if (f === 'reset') {
      req.socket.resetAndDestroy();
      return 'handled';
    }
    if (f === 'timeout') {
      const t = setTimeout(() => {
        held.delete(t);
        req.socket.destroy();
      }, faults!.timeoutMs);
      held.add(t);
      return 'handled';
    }
    return f;
  };

  const syncStore = (): RpcError | undefined => {
    try {
      store.sync();
      return undefined;
    } catch (e) {
      return internalError(`rendering blocks failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const handleJsonRpc = (body: Buffer, res: ServerResponse, fault: FaultKind | undefined) => {
    if (body.length === 0) return send(res, 200, endpointsPage(`${host}:${port}`), { 'Content-Type': 'text/html' }, fault);
    let parsed;
    try {
      parsed = parseBody(body.toString('utf8'));
    } catch (e) {
      const err = e instanceof RpcError ? e : internalError(String(e));
      return send(res, 500, errorEnvelope(undefined, err), JSON_HEADERS, fault);
    }
    const syncErr = syncStore();
    const out: Chunks[] = [];
    let cacheable = true;
    for (const r of parsed.requests) {
      if (syncErr && r.id !== undefined) {
        out.push(errorEnvelope(r.id, syncErr));
        cacheable = false;
        continue;
      }
      const o = handleRequest(ctx, r);
      if (!o) continue;
      out.push(o.body);
      cacheable &&= o.cacheable;
    }
    if (out.length === 0) return send(res, 200, '', {}, fault);
    // Batch quirk: exactly one response is written as a bare object (§1.1).
    const payload = out.length === 1 ? out[0]! : [OPEN, ...out.flatMap((b, i) => (i === 0 ? b : [COMMA, ...b])), END];
    send(res, 200, payload, cacheable ? { ...JSON_HEADERS, 'Cache-Control': CACHE } : JSON_HEADERS, fault);
  };

  const handleUri = (method: string, url: URL, res: ServerResponse, fault: FaultKind | undefined) => {
    const route = Object.hasOwn(ROUTES, method) ? ROUTES[method] : undefined;
    if (!route) return send(res, 404, '404 page not found\n', { 'Content-Type': 'text/plain; charset=utf-8' }, fault);
    if (route.wsOnly) return send(res, 404, errorEnvelope(-1, methodNotFound()), JSON_HEADERS, fault);
    let args;
    try {
      args = argsFromQuery(route.args, url.searchParams);
    } catch (e) {
      return send(res, 500, errorEnvelope(-1, e instanceof RpcError ? e : internalError(String(e))), JSON_HEADERS, fault);
    }
    const syncErr = syncStore();
    const r = syncErr ? { error: syncErr } : callRoute(ctx, route, args);
    if (r.error) return send(res, 500, respond(-1, r), JSON_HEADERS, fault);
    send(res, 200, respond(-1, r), route.cacheable?.(args) ? { ...JSON_HEADERS, 'Cache-Control': CACHE } : JSON_HEADERS, fault);
  };

  const server = createServer((req, res) => {
    const early = injectEarly(req, res);
    if (early === 'handled') return;
    const fault = early;
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return send(res, 400, errorEnvelope(undefined, invalidRequest('malformed request URL')));
    }
    const path = url.pathname.replace(/^\/+|\/+$/g, '');
    if (path !== '' && path !== 'v1') return handleUri(path.startsWith('v1/') ? path.slice(3) : path, url, res, fault);
    // JSON-RPC on `/`: read the body up to the limit (http_json_handler.go + MaxBytesReader).
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > maxBody;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(c);
      if (size > maxBody * 4) req.destroy(); // don't drain an endless body
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (tooLarge) {
        // http_json_handler.go: a failed body read (MaxBytesReader's limit) is HTTP 400, not 413
        const err = invalidRequest('error reading request body: http: request body too large');
        return send(res, 400, errorEnvelope(undefined, err), { ...JSON_HEADERS, Connection: 'close' });
      }
      try {
        handleJsonRpc(Buffer.concat(chunks), res, fault);
      } catch (e) {
        send(res, 500, errorEnvelope(undefined, internalError(e instanceof Error ? e.message : String(e))));
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
    if (path !== '/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveWebsocket(ws, ctx, store));
  });

  // New blocks are picked up on every request and on this timer (for websocket pushes).
  const timer = setInterval(() => void syncStore(), opts.pollMs ?? 25);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, errors (e.g. out of file descriptors) must not take the process down.
  server.on('error', () => undefined);
  wss.on('error', () => undefined);
  port = (server.address() as AddressInfo).port;
  ctx.rpcAddress = `tcp://${host}:${port}`;

  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    store,
    setFaults: (cfg) => {
      faults = cfg ? new FaultInjector(cfg) : undefined;
    },
    faultCounts: () => (faults ? { ...faults.counts } : undefined),
    close: async () => {
      clearInterval(timer);
      for (const t of held) clearTimeout(t);
      held.clear();
      for (const c of wss.clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
