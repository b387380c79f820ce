import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type WebSocket, WebSocketServer } from 'ws';
import { watchNewBlocks } from './subscribe.ts';

/** A websocket endpoint on 127.0.0.1; `onSubscribe(ws, id, n)` runs for the n-th subscription. */
async function fakeWs(onSubscribe: (ws: WebSocket, id: unknown, n: number) => void): Promise<{ url: string; subscriptions: () => number; close: () => Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/websocket' });
  await new Promise<void>((r) => wss.once('listening', r));
  let n = 0;
  wss.on('connection', (ws) =>
    ws.on('message', (raw) => {
      const req = JSON.parse(raw.toString());
      if (req.method !== 'subscribe' || req.params.query !== "tm.event='NewBlock'") return;
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: {} }));
      onSubscribe(ws, req.id, ++n);
    }),
  );
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/websocket`,
    subscriptions: () => n,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

const newBlock = (id: unknown, h: number) =>
  JSON.stringify({ jsonrpc: '2.0', id, result: { query: "tm.event='NewBlock'", data: { type: 'tendermint/event/NewBlock', value: { block: { header: { height: String(h) } } } } } });

const until = async (cond: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('websocket drops: polling covers the gap, the subscription is made again, heights only grow', async (t) => {
  let tip = 10;
  const srv = await fakeWs((ws, id, n) => {
    if (n === 1) {
      for (const h of [11, 12, 12, 11]) ws.send(newBlock(id, h)); // repeats and reordering are ignored
      setTimeout(() => ws.terminate(), 20);
    } else {
      ws.send(newBlock(id, 20));
    }
  });
  t.after(() => srv.close());
  const seen: number[] = [];
  const stop = watchNewBlocks((h) => seen.push(h), { wsUrl: () => srv.url, poll: async () => tip, pollMs: 20, reconnectMs: 200 });
  t.after(stop);
  await until(() => seen.includes(12));
  tip = 15; // while the websocket is down, polling reports the tip
  await until(() => seen.includes(15));
  await until(() => seen.includes(20));
  assert.equal(srv.subscriptions(), 2);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  assert.equal(new Set(seen).size, seen.length);
  assert.ok(seen[0] === 10 && seen.includes(11));
});

test('a subscription that goes silent while the chain advances is replaced', async (t) => {
  let tip = 1;
  const srv = await fakeWs(() => undefined); // acknowledges, then never pushes
  t.after(() => srv.close());
  const seen: number[] = [];
  const logs: string[] = [];
  const stop = watchNewBlocks((h) => seen.push(h), { wsUrl: () => srv.url, poll: async () => tip, pollMs: 5_000, idleMs: 100, reconnectMs: 10, log: (m) => logs.push(m) });
  t.after(stop);
  await until(() => srv.subscriptions() === 1);
  await new Promise((r) => setTimeout(r, 150)); // past the catch-up poll right after subscribing
  tip = 2;
  await until(() => srv.subscriptions() >= 2);
  assert.ok(seen.includes(2));
  assert.ok(logs.some((l) => l.includes('silent')));
});

test('no websocket at all: polling alone reports the tip; stopping ends everything', async () => {
  let tip = 3;
  let polls = 0;
  const seen: number[] = [];
  const stop = watchNewBlocks((h) => seen.push(h), {
    wsUrl: () => 'ws://127.0.0.1:1/websocket',
    poll: async () => {
      polls++;
      return tip;
    },
    pollMs: 10,
  });
  await until(() => seen.includes(3));
  tip = 4;
  await until(() => seen.includes(4));
  stop();
  const after = polls;
  tip = 9;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(polls, after);
  assert.deepEqual(seen, [3, 4]);
});
