import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HeightAboveTipError, HeightPrunedError, RetriesExhaustedError, RpcError } from './errors.ts';
import { RpcPool } from './transport.ts';

type Handler = (req: any, res: ServerResponse, n: number, raw: IncomingMessage) => void;

/** A JSON-RPC server on 127.0.0.1 whose answers the test scripts; `n` counts HTTP requests. */
async function fakeNode(handler: Handler): Promise<{ url: string; requests: () => number; bodies: any[]; close: () => Promise<void> }> {
  let n = 0;
  const bodies: any[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      bodies.push(body);
      handler(body, res, ++n, raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests: () => n,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Answers every request of a (batch) body with `result(method, params)`. */
function ok(body: any, res: ServerResponse, result: (m: string, p: any) => unknown = (m) => ({ echo: m })): void {
  const one = (r: any) => ({ jsonrpc: '2.0', id: r.id, result: result(r.method, r.params) });
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(Array.isArray(body) ? body.map(one) : one(body)));
}

const fast = { backoffMs: 1, maxBackoffMs: 5, requestTimeoutMs: 300 };

const faults: Array<[string, (res: ServerResponse, raw: IncomingMessage) => void, string]> = [
  ['5xx', (res) => res.writeHead(503).end('upstream down'), 'http'],
  ['reset', (_res, raw) => raw.socket.resetAndDestroy(), 'network'],
  ['no answer (timeout)', () => undefined, 'timeout'],
  ['truncated JSON', (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"jsonrpc":"2.0","id":1,"resu'), 'bad-response'],
  ['HTML from a proxy', (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>gateway</html>'), 'bad-response'],
  [
    'connection closed mid-response',
    (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"jsonrpc":"2.0",');
      setTimeout(() => res.socket?.destroy(), 10);
    },
    'network',
  ],
];

for (const [name, fault, kind] of faults) {
  test(`${name}: retried until the node answers; only ${kind} errors when it never does`, async (t) => {
    const flaky = await fakeNode((body, res, n, raw) => (n <= 2 ? fault(res, raw) : ok(body, res)));
    const dead = await fakeNode((_b, res, _n, raw) => fault(res, raw));
    const a = new RpcPool([flaky.url], { ...fast, batch: 1 });
    const b = new RpcPool([dead.url], { ...fast, batch: 1, retries: 2 });
    t.after(async () => {
      a.close();
      b.close();
      await Promise.all([flaky.close(), dead.close()]);
    });
    const r = await a.call(a.request('block', { height: '1' }));
    assert.deepEqual(r.result, { echo: 'block' });
    assert.equal(flaky.requests(), 3);
    await assert.rejects(b.call(b.request('block', { height: '1' })), (e: unknown) => e instanceof RetriesExhaustedError && e.attempts === 3 && e.last.kind === kind);
  });
}

test('JSON-RPC errors: above-tip and invalid params are not retried; other node errors are', async (t) => {
  let calls = 0;
  const node = await fakeNode((body, res) => {
    calls++;
    const err = (code: number, data: string) => res.writeHead(200).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code, message: 'Internal error', data } }));
    if (body.params.height === '99') return err(-32603, 'height 99 must be less than or equal to the current blockchain height 42');
    if (body.params.height === 'x') return err(-32602, 'invalid 64-bit integer encoding');
    if (calls < 3) return err(-32603, 'could not find results for height #5');
    ok(body, res);
  });
  const pool = new RpcPool([node.url], { ...fast, batch: 1 });
  t.after(async () => {
    pool.close();
    await node.close();
  });
  await assert.rejects(pool.call(pool.request('block', { height: '99' })), (e: unknown) => e instanceof HeightAboveTipError && e.height === 99 && e.tip === 42 && !e.retryable);
  await assert.rejects(pool.call(pool.request('block', { height: 'x' })), (e: unknown) => e instanceof RpcError && e.kind === 'invalid-request');
  assert.equal(calls, 2);
  calls = 0;
  assert.deepEqual((await pool.call(pool.request('block_results', { height: '5' }))).result, { echo: 'block_results' });
  assert.equal(calls, 3);
});

test('a pruned height is fetched from an archive endpoint further down the list; pruned everywhere is reported', async (t) => {
  const pruned = (body: any, res: ServerResponse) =>
    res.writeHead(200).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: -32603, message: 'Internal error', data: 'height 3 is not available, lowest height is 1000' } }));
  const a = await fakeNode(pruned);
  const archive = await fakeNode((body, res) => ok(body, res));
  const p1 = new RpcPool([a.url, archive.url], fast);
  const p2 = new RpcPool([a.url, a.url], fast);
  t.after(async () => {
    p1.close();
    p2.close();
    await Promise.all([a.close(), archive.close()]);
  });
  assert.deepEqual((await p1.call(p1.request('block', { height: '3' }))).result, { echo: 'block' });
  await assert.rejects(p2.call(p2.request('block', { height: '3' })), (e: unknown) => e instanceof HeightPrunedError && e.base === 1000);
});

test('failover: a dead endpoint is set aside, the next one serves, and the first is used again after its cool-down', async (t) => {
  let upFirst = false;
  const first = await fakeNode((body, res, _n, raw) => (upFirst ? ok(body, res, () => 'first') : raw.socket.resetAndDestroy()));
  const second = await fakeNode((body, res) => ok(body, res, () => 'second'));
  const logs: string[] = [];
  const pool = new RpcPool([first.url, second.url], { ...fast, cooldownMs: 200, failThreshold: 2, log: (m) => logs.push(m) });
  t.after(async () => {
    pool.close();
    await Promise.all([first.close(), second.close()]);
  });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push((await pool.call(pool.request('status'))).result);
  assert.deepEqual(answers, ['second', 'second', 'second', 'second', 'second']);
  assert.ok(first.requests() <= 3, `first endpoint tried ${first.requests()} times`);
  assert.ok(logs.some((l) => l.includes(first.url) && l.includes('set aside')));
  upFirst = true;
  await new Promise((r) => setTimeout(r, 250));
  assert.equal((await pool.call(pool.request('status'))).result, 'first');
});

test('a refused connection sets the endpoint aside at once', async (t) => {
  const gone = await fakeNode(() => undefined);
  await gone.close(); // nothing listens on its port any more
  const live = await fakeNode((body, res) => ok(body, res, () => 'live'));
  const pool = new RpcPool([gone.url, live.url], { ...fast, cooldownMs: 60_000 });
  t.after(async () => {
    pool.close();
    await live.close();
  });
  assert.equal((await pool.call(pool.request('status'))).result, 'live');
  assert.equal(pool.preferred().href, live.url);
});

test('calls in the same tick share one HTTP request (JSON-RPC batch); answers are matched by id', async (t) => {
  const node = await fakeNode((body, res) => {
    // answer in reverse order: ids, not positions, pair them up
    const out = (Array.isArray(body) ? body : [body]).map((r: any) => ({ jsonrpc: '2.0', id: r.id, result: r.params.height })).reverse();
    res.writeHead(200).end(JSON.stringify(Array.isArray(body) ? out : out[0]));
  });
  const pool = new RpcPool([node.url], { ...fast, batch: 8 });
  t.after(async () => {
    pool.close();
    await node.close();
  });
  const got = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.call(pool.request('block', { height: String(i) }))));
  assert.deepEqual(
    got.map((r) => r.result),
    Array.from({ length: 20 }, (_, i) => String(i)),
  );
  assert.deepEqual(
    node.bodies.map((b) => (Array.isArray(b) ? b.length : 1)),
    [8, 8, 4],
  );
});

test('an endpoint that refuses batches gets one request per call from then on', async (t) => {
  const node = await fakeNode((body, res) => (Array.isArray(body) ? res.writeHead(400).end('batch requests not allowed') : ok(body, res)));
  const logs: string[] = [];
  const pool = new RpcPool([node.url], { ...fast, log: (m) => logs.push(m) });
  t.after(async () => {
    pool.close();
    await node.close();
  });
  const got = await Promise.all(Array.from({ length: 5 }, () => pool.call(pool.request('status'))));
  assert.equal(got.length, 5);
  assert.ok(logs.some((l) => l.includes('does not answer batches')));
  await Promise.all(Array.from({ length: 3 }, () => pool.call(pool.request('status'))));
  assert.ok(!Array.isArray(node.bodies.at(-1)));
});

test('an abort signal or closing the pool ends calls at once, also while the node keeps them waiting', async (t) => {
  const node = await fakeNode(() => undefined);
  const pool = new RpcPool([node.url], { requestTimeoutMs: 60_000 });
  t.after(() => node.close());
  const ac = new AbortController();
  const started = Date.now();
  const a = pool.call(pool.request('block', { height: '1' }), ac.signal);
  const b = pool.call(pool.request('block', { height: '2' }));
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(a, (e: unknown) => e instanceof RpcError && e.kind === 'aborted');
  pool.close();
  await assert.rejects(b, (e: unknown) => e instanceof RpcError && e.kind === 'aborted');
  await assert.rejects(pool.call(pool.request('status')), (e: unknown) => e instanceof RpcError && e.kind === 'aborted');
  assert.ok(Date.now() - started < 1_000);
});
