// JSON-RPC over HTTP for cosmjs's Tendermint37Client / Comet38Client (their `RpcClient` interface),
// replacing cosmjs's fetch-based HttpClient: one keep-alive agent per endpoint, a per-request
// timeout (cosmjs sets none by default), typed errors, retries with exponential backoff and jitter,
// and failover: an endpoint that keeps failing is set aside for a growing cool-down and the next one
// in the list takes over; the earlier one is preferred again once its cool-down has passed.
import { setMaxListeners } from 'node:events';
import { type ClientRequest, Agent as HttpAgent, type IncomingMessage, type RequestOptions, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RpcClient } from '@cosmjs/tendermint-rpc';
import { HeightPrunedError, RetriesExhaustedError, RpcError, classify, isConnectFailure, rpcErrorFrom } from './errors.ts';

export type JsonRpcRequest = Parameters<RpcClient['execute']>[0];
export type JsonRpcSuccess = Awaited<ReturnType<RpcClient['execute']>>;
/** Returns why a result is unusable, or undefined. */
export type Accept = (result: any) => string | undefined;

export interface TransportOptions {
  /** Whole request, connect to last byte (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** Retries after the first attempt (default 10). */
  retries?: number;
  /** First retry delay; doubles per attempt, with jitter (default 50 ms, at most `maxBackoffMs` = 5 000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures that set an endpoint aside (default 3; refused connections at once). */
  failThreshold?: number;
  /** First cool-down of a failed endpoint; doubles each time it fails again, up to 60 s (default 2 000 ms). */
  cooldownMs?: number;
  /** Sockets per endpoint (default 64). */
  maxSockets?: number;
  /**
   * Calls made in the same tick share one HTTP request as a JSON-RPC batch of up to this many
   * (default 16; 1 = never batch). Cuts the per-request HTTP cost on both sides.
   */
  batch?: number;
  log?: (msg: string) => void;
}

const MAX_COOLDOWN_MS = 60_000;

export class Endpoint {
  readonly url: URL;
  readonly agent: HttpAgent;
  readonly send: (o: RequestOptions, cb: (res: IncomingMessage) => void) => ClientRequest;
  failures = 0;
  downs = 0;
  downUntil = 0;
  /** Checked by the pool's `verify` (same chain, same CometBFT line) before first use. */
  verified = false;
  /** Serves another chain or version: never used. */
  disabled = false;
  /** Takes JSON-RPC batches (turned off when it answers one badly). */
  batching = true;
  queue: Pending[] = [];
  flushing = false;

  constructor(
    readonly href: string,
    maxSockets: number,
  ) {
    this.url = new URL(href);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`RPC endpoint must be http(s)://, got ${href}`);
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets }) : new HttpAgent({ keepAlive: true, maxSockets });
    this.send = https ? httpsRequest : httpRequest;
  }

  /** `ws(s)://host/path/websocket` (CometBFT serves the websocket on that path). */
  get wsUrl(): string {
    const u = new URL(this.url.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/websocket`;
    return u.href;
  }
}

export class RpcPool {
  readonly endpoints: Endpoint[];
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly failThreshold: number;
  private readonly cooldownMs: number;
  private readonly batchMax: number;
  private readonly log: (msg: string) => void;
  private readonly closing = new AbortController();
  private nextId = 1;
  /** Throws (not an RpcError) when an endpoint's `status` result shows it is unusable. */
  verify?: (status: Record<string, any>, endpoint: string) => void;

  constructor(urls: string[], opts: TransportOptions = {}) {
    if (urls.length === 0) throw new Error('at least one RPC endpoint is needed');
    this.endpoints = urls.map((u) => new Endpoint(u, opts.maxSockets ?? 64));
    this.timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.retries = opts.retries ?? 10;
    this.backoffMs = opts.backoffMs ?? 50;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5_000;
    this.failThreshold = opts.failThreshold ?? 3;
    this.cooldownMs = opts.cooldownMs ?? 2_000;
    this.batchMax = Math.max(1, opts.batch ?? 16);
    this.log = opts.log ?? (() => undefined);
    setMaxListeners(0, this.closing.signal); // one listener per request in flight
  }

  /** Calls one HTTP request may carry (the `batch` option). */
  get maxBatch(): number {
    return this.batchMax;
  }

  /** A fresh JSON-RPC request (ids are unique per pool). */
  request(method: string, params: Record<string, unknown> = {}): JsonRpcRequest {
    return { jsonrpc: '2.0', id: this.nextId++, method, params } as JsonRpcRequest;
  }

  /** A cosmjs RpcClient whose calls end when `signal` aborts. */
  client(signal?: AbortSignal): RpcClient {
    return { execute: (r) => this.call(r, signal), disconnect: () => undefined };
  }

  /** The endpoint new work goes to (first healthy one in list order). */
  preferred(): Endpoint {
    return this.pick();
  }

  /**
   * One JSON-RPC call with retries and failover. `accept` checks the result's shape and returns an
   * error text for an answer to retry (a proxy's garbage is treated like a truncated answer).
   */
  async call(request: JsonRpcRequest, signal?: AbortSignal, accept?: Accept): Promise<JsonRpcSuccess> {
    // our own id on the wire: cosmjs numbers its requests separately, and ids must be unique in a batch
    const wire = { ...request, id: this.nextId++ } as JsonRpcRequest;
    const body = JSON.stringify(wire);
    const method = request.method;
    let avoid: Endpoint | undefined;
    let exclude: Set<Endpoint> | undefined;
    for (let attempt = 0; ; ) {
      this.checkAborted(method, signal);
      const ep = this.pick(avoid, exclude);
      try {
        if (!ep.verified && this.verify) await this.verifyEndpoint(ep, signal);
        const res = await this.post(ep, body, wire, signal, accept);
        ep.failures = 0;
        ep.downs = 0;
        ep.downUntil = 0;
        return { jsonrpc: '2.0', id: request.id, result: res.result };
      } catch (e) {
        if (!(e instanceof RpcError)) {
          // verify rejected the endpoint (other chain or version): drop it, use the others
          ep.disabled = true;
          this.log(`RPC endpoint ${ep.href} disabled: ${(e as Error).message}`);
          if (this.endpoints.every((x) => x.disabled)) throw e;
          continue;
        }
        if (e.kind === 'aborted') throw e;
        if (e instanceof HeightPrunedError) {
          // an archive node further down the list may still have it
          (exclude ??= new Set()).add(ep);
          if (this.endpoints.every((x) => x.disabled || exclude!.has(x))) throw e;
          continue;
        }
        if (!e.retryable) throw e;
        this.failed(ep, e);
        if (attempt >= this.retries) throw new RetriesExhaustedError(method, attempt + 1, e);
        avoid = ep;
        await this.sleep(this.backoff(attempt++), method, signal);
      }
    }
  }

  /** One `status` call to one endpoint, no retries (startup probe). */
  async probe(ep: Endpoint, signal?: AbortSignal): Promise<Record<string, any>> {
    const req = this.request('status');
    return (await this.post(ep, JSON.stringify(req), req, signal)).result as Record<string, any>;
  }

  close(): void {
    this.closing.abort();
    for (const ep of this.endpoints) {
      for (const i of ep.queue.splice(0)) settle(i, new RpcError('aborted', `${i.request.method}: aborted`, { endpoint: ep.href }));
      ep.agent.destroy();
    }
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /**
   * One HTTP POST of `requests` (made by request(): unique ids) as a JSON-RPC batch to the preferred
   * endpoint (at most `maxBatch` of them). Resolves when the answer starts (a complete HTTP 200 header) to its body, left unread
   * until `read()`: meanwhile it waits in the socket (kernel buffers, then the server's), not in
   * this process's memory. No retries and no failover; undefined (or a read() of undefined) when
   * the endpoint is not ready for it (unverified, set aside, refusing batches) or anything fails —
   * the caller then uses call(), which does all of that. For fetching ahead of need.
   */
  async postRaw(requests: JsonRpcRequest[], signal?: AbortSignal): Promise<RawAnswer | undefined> {
    const ep = this.pick();
    if (this.closed || signal?.aborted || requests.length > this.batchMax || !ep.batching || ep.disabled || ep.downUntil > Date.now() || (!ep.verified && this.verify)) return undefined;
    const body = JSON.stringify(requests);
    return new Promise((resolve) => {
      let over = false;
      let timer = setTimeout(() => fail(), this.timeoutMs);
      let onBody: ((chunks: Buffer[] | undefined) => void) | undefined;
      const finish = () => {
        over = true;
        clearTimeout(timer);
        this.closing.signal.removeEventListener('abort', fail);
        signal?.removeEventListener('abort', fail);
      };
      const fail = () => {
        if (over) return;
        finish();
        req.destroy();
        resolve(undefined); // no-op once resolved with the answer
        onBody?.(undefined);
      };
      const req = ep.send(
        postOptions(ep, body),
        (res) => {
          if (res.statusCode !== 200) return fail();
          res.pause(); // read when asked
          res.on('error', fail);
          res.on('close', () => (res.complete ? undefined : fail()));
          clearTimeout(timer);
          const length = Number(res.headers['content-length']);
          resolve({
            bytes: Number.isFinite(length) ? length : undefined,
            read: () =>
              new Promise<Buffer[] | undefined>((done) => {
                if (over) return done(undefined);
                onBody = done;
                timer = setTimeout(fail, this.timeoutMs);
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => {
                  if (over) return;
                  finish();
                  done(res.complete ? chunks : undefined);
                });
                res.resume();
              }),
          });
        },
      );
      this.closing.signal.addEventListener('abort', fail, { once: true });
      signal?.addEventListener('abort', fail, { once: true });
      req.on('error', fail);
      req.end(body);
    });
  }

  private async verifyEndpoint(ep: Endpoint, signal?: AbortSignal): Promise<void> {
    const status = await this.probe(ep, signal);
    this.verify!(status, ep.href);
    ep.verified = true;
  }

  private pick(avoid?: Endpoint, exclude?: Set<Endpoint>): Endpoint {
    const now = Date.now();
    let fallback: Endpoint | undefined;
    let soonest: Endpoint | undefined;
    for (const ep of this.endpoints) {
      if (ep.disabled || exclude?.has(ep)) continue;
      if (ep.downUntil <= now) {
        if (ep !== avoid) return ep;
        fallback = ep;
      } else if (!soonest || ep.downUntil < soonest.downUntil) {
        soonest = ep;
      }
    }
    // all set aside: probe the one that comes back first
    return (fallback ?? soonest)!;
  }

  private failed(ep: Endpoint, e: RpcError): void {
    const now = Date.now();
    if (ep.downUntil > now) return; // already set aside by a concurrent request
    if (++ep.failures < this.failThreshold && !isConnectFailure(e)) return;
    const ms = Math.min(MAX_COOLDOWN_MS, this.cooldownMs * 2 ** ep.downs++);
    ep.downUntil = now + ms;
    ep.failures = 0;
    if (this.endpoints.length > 1) this.log(`RPC endpoint ${ep.href} set aside for ${ms} ms: ${e.message}`);
  }

  /** Full jitter on the upper half: spreads the retries of a whole window apart. */
  private backoff(attempt: number): number {
    const d = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return d / 2 + Math.random() * (d / 2);
  }

  private checkAborted(method: string, signal?: AbortSignal): void {
    if (this.closing.signal.aborted || signal?.aborted) throw new RpcError('aborted', `${method}: aborted`);
  }

  private sleep(ms: number, method: string, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: RpcError) => {
        clearTimeout(t);
        this.closing.signal.removeEventListener('abort', onAbort);
        signal?.removeEventListener('abort', onAbort);
        err ? reject(err) : resolve();
      };
      const onAbort = () => done(new RpcError('aborted', `${method}: aborted`));
      const t = setTimeout(done, ms);
      this.closing.signal.addEventListener('abort', onAbort, { once: true });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private refuseBatches(ep: Endpoint, why: string): void {
    if (!ep.batching) return;
    ep.batching = false;
    this.log(`RPC endpoint ${ep.href} does not answer batches (${why}): one request per call from now on`);
  }

  /** Queues one request for `ep`; requests queued in the same tick share one HTTP request (a batch). */
  private post(ep: Endpoint, body: string, request: JsonRpcRequest, signal?: AbortSignal, accept?: Accept): Promise<JsonRpcSuccess> {
    return new Promise((resolve, reject) => {
      const item: Pending = { request, body, accept, resolve, reject, signal, done: false, onAbort: () => settle(item, new RpcError('aborted', `${request.method}: aborted`, { endpoint: ep.href, method: request.method })) };
      if (signal?.aborted) return item.onAbort();
      signal?.addEventListener('abort', item.onAbort, { once: true });
      if (this.batchMax <= 1 || !ep.batching) return this.send(ep, [item]);
      ep.queue.push(item);
      if (ep.queue.length >= this.batchMax) this.flush(ep);
      else if (!ep.flushing) {
        ep.flushing = true;
        setImmediate(() => this.flush(ep));
      }
    });
  }

  private flush(ep: Endpoint): void {
    ep.flushing = false;
    while (ep.queue.length > 0) this.send(ep, ep.queue.splice(0, this.batchMax).filter((i) => !i.done));
  }

  /** One HTTP POST carrying one request or a batch; every item is settled exactly once. */
  private send(ep: Endpoint, items: Pending[]): void {
    if (items.length === 0) return;
    if (this.closed) {
      for (const i of items) settle(i, new RpcError('aborted', `${i.request.method}: aborted`, { endpoint: ep.href }));
      return;
    }
    const batch = items.length > 1;
    const info = { endpoint: ep.href, method: batch ? `batch of ${items.length}` : items[0]!.request.method };
    const body = batch ? `[${items.map((i) => i.body).join(',')}]` : items[0]!.body;
    let over = false;
    const end = (err?: unknown) => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      this.closing.signal.removeEventListener('abort', onClose);
      if (err !== undefined) {
        req.destroy();
        const e = classify(err, info);
        for (const i of items) settle(i, e);
      }
    };
    const onClose = () => end(new RpcError('aborted', `${info.method}: aborted`, info));
    const req = ep.send(
      postOptions(ep, body),
      (res) => {
        // decoded as it arrives: no concatenated copy of a multi-megabyte batch answer
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('error', (e) => end(e));
        res.on('close', () => {
          if (!res.complete) end(new RpcError('network', `${info.method}: connection closed mid-response (${ep.href})`, info));
        });
        res.on('end', () => {
          let answers: Map<unknown, any>;
          try {
            answers = parseBody(res.statusCode ?? 0, text, items, info);
          } catch (e) {
            if (batch && e instanceof RpcError && e.kind === 'http' && !e.retryable) {
              // a 4xx for a batch: a proxy that refuses batches; the items retry one by one
              this.refuseBatches(ep, e.message);
              return end(new RpcError('bad-response', `${e.message}; retrying without batches`, info));
            }
            return end(e);
          }
          end();
          if (batch && !items.every((i) => answers.has(i.request.id))) this.refuseBatches(ep, 'answers missing from a batch');
          for (const i of items) settleAnswer(i, answers, info);
        });
      },
    );
    const timer = setTimeout(() => end(new RpcError('timeout', `${info.method}: no answer within ${this.timeoutMs} ms (${ep.href})`, info)), this.timeoutMs);
    this.closing.signal.addEventListener('abort', onClose, { once: true });
    req.on('error', (e) => end(e));
    req.end(body);
  }
}

/** An answer whose body is still in the socket. */
export interface RawAnswer {
  /** Content-Length, when the server sent one. */
  bytes?: number;
  /** The body's chunks, read now; undefined when it fails or was aborted. Call once. */
  read(): Promise<Buffer[] | undefined>;
}

interface Pending {
  request: JsonRpcRequest;
  body: string;
  accept?: Accept;
  signal?: AbortSignal;
  resolve: (r: JsonRpcSuccess) => void;
  reject: (e: RpcError) => void;
  onAbort: () => void;
  done: boolean;
}

function settle(i: Pending, err: RpcError | undefined, value?: JsonRpcSuccess): void {
  if (i.done) return;
  i.done = true;
  i.signal?.removeEventListener('abort', i.onAbort);
  if (err) i.reject(err);
  else i.resolve(value!);
}

/** Settles one item from the answers of its HTTP request (by id). */
function settleAnswer(i: Pending, answers: Map<unknown, any>, info: RpcError['info']): void {
  const ctx = { ...info, method: i.request.method };
  const a = answers.get(i.request.id);
  if (a === undefined) return settle(i, new RpcError('bad-response', `${i.request.method}: no answer for request id ${i.request.id} (${info.endpoint})`, ctx));
  if (a.error) return settle(i, rpcErrorFrom(a.error, ctx));
  if (a.result === undefined) return settle(i, new RpcError('bad-response', `${i.request.method}: answer without result (${info.endpoint})`, ctx));
  const bad = i.accept?.(a.result);
  if (bad) return settle(i, new RpcError('bad-response', `${bad} (${info.endpoint})`, ctx));
  settle(i, undefined, a as JsonRpcSuccess);
}

/** A JSON POST of `body` to the endpoint, with Basic auth when its URL carries credentials. */
function postOptions(ep: Endpoint, body: string): RequestOptions {
  const { url } = ep;
  const auth: Record<string, string> = url.username
    ? { Authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` }
    : {};
  return {
    agent: ep.agent,
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...auth },
  };
}

/** The JSON-RPC answers of one HTTP response by id (a batch answered by one object is a CometBFT quirk, §1.1). */
function parseBody(status: number, body: string, items: Pending[], info: RpcError['info']): Map<unknown, any> {
  const what = `${info.method}: HTTP ${status}`;
  let json: any;
  try {
    json = JSON.parse(body);
  } catch (e) {
    if (status >= 300) throw new RpcError('http', `${what}: ${body.slice(0, 120).trim()} (${info.endpoint})`, { ...info, status });
    throw new RpcError('bad-response', `${what}: unparsable JSON (${body.length} chars): ${(e as Error).message} (${info.endpoint})`, { ...info, status, cause: e });
  }
  const list: any[] = Array.isArray(json) ? json : [json];
  const answers = new Map<unknown, any>();
  for (const a of list) if (a !== null && typeof a === 'object' && a.jsonrpc === '2.0') answers.set(a.id, a);
  if (answers.size === 0) {
    throw new RpcError(status >= 300 ? 'http' : 'bad-response', `${what}: not a JSON-RPC response (${info.endpoint})`, { ...info, status });
  }
  // a lone request answered by an id-less error (the node could not read it) gets that error
  if (items.length === 1 && !answers.has(items[0]!.request.id) && list[0]?.error) throw rpcErrorFrom(list[0].error, { ...info, status });
  if (status >= 300 && !list.some((a) => a?.error)) throw new RpcError('http', `${what} (${info.endpoint})`, { ...info, status });
  return answers;
}
