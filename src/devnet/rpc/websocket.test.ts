import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { WebSocket } from 'ws';
import { BlockStore } from '../node/block-store.ts';
import type { Chain } from '../chain/chain.ts';
import { send, tinyDevnet } from '../node/devnet.testkit.ts';
import type { World } from '../world.ts';
import { startRpcServer } from './server.ts';

const next = <T>(stream: { subscribe(l: { next: (v: T) => void; error: (e: unknown) => void }): { unsubscribe(): void } }): Promise<T> =>
  new Promise((resolve, reject) => {
    const sub = stream.subscribe({
      next: (v) => {
        sub.unsubscribe();
        resolve(v);
      },
      error: reject,
    });
  });

/**
 * cosmjs' ReconnectingSocket reconnects even after disconnect() (its Disconnected handler always
 * schedules a reconnect), which keeps the test process alive; stop that before disconnecting.
 */
function disconnectForGood(client: Comet38Client | Tendermint37Client): void {
  const rs = (client as unknown as { client?: { socket?: { socket?: { reconnect?: () => void } } } }).client?.socket;
  if (rs?.socket) rs.socket.reconnect = () => undefined;
  client.disconnect();
}

test('websocket: cosmjs subscribeNewBlock gets the next block (0.38 and 0.37)', async () => {
  for (const sdkVersion of ['0.50', '0.47'] as const) {
    const { world, chain } = tinyDevnet({ sdkVersion });
    world.block(chain);
    const srv = await startRpcServer(new BlockStore(chain), { pollMs: 10 });
    const client = sdkVersion === '0.50' ? await Comet38Client.connect(srv.wsUrl) : await Tendermint37Client.connect(srv.wsUrl);
    try {
      assert.equal((await client.status()).syncInfo.latestBlockHeight, 1); // plain RPC over the socket
      const got = next(client.subscribeNewBlock());
      await new Promise((r) => setTimeout(r, 50));
      world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
      const block = await got;
      assert.equal(block.header.height, 2);
      assert.equal(block.txs.length, 1);
    } finally {
      disconnectForGood(client);
      await srv.close();
    }
  }
});

test('websocket: raw subscribe/unsubscribe, Tx events with tx.hash and the events map', async (t) => {
  const { world, chain, c: { send: sendRaw, receive, call } } = await servedDevnet(t, { pollMs: 10 });
  const query = "tm.event='Tx' AND message.action='/cosmos.bank.v1beta1.MsgSend'";
  assert.deepEqual(await call('tx-sub', 'subscribe', { query }), { jsonrpc: '2.0', id: 'tx-sub', result: {} });
  assert.equal((await call(2, 'subscribe', { query })).error.data, 'already subscribed');
  assert.equal((await call(3, 'subscribe', { query: 'tm.event=' })).error.code, -32603);
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const ev = await receive();
  assert.equal(ev.id, 'tx-sub');
  assert.equal(ev.result.data.type, 'tendermint/event/Tx');
  assert.equal(ev.result.data.value.TxResult.height, '1');
  assert.equal(ev.result.events['tm.event'][0], 'Tx');
  assert.match(ev.result.events['tx.hash'][0], /^[0-9A-F]{64}$/);
  assert.deepEqual(await call(4, 'unsubscribe_all', {}), { jsonrpc: '2.0', id: 4, result: {} });
  sendRaw('not json');
  assert.equal((await receive()).error.code, -32700);
});

/** A raw websocket client: JSON-RPC calls, and the pushes of new blocks collected up to an answer. */
async function rawSocket(t: { after(fn: () => unknown): void }, wsUrl: string) {
  const ws = new WebSocket(`${wsUrl}/websocket`);
  t.after(() => ws.close());
  await new Promise((r) => ws.once('open', r));
  const inbox: any[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (m) => {
    inbox.push(JSON.parse(m.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const receive = async () => {
    while (inbox.length === 0) await new Promise<void>((r) => waiters.push(r));
    return inbox.shift();
  };
  const send = (msg: unknown) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  const call = async (id: unknown, method: string, params?: unknown) => {
    send({ jsonrpc: '2.0', id, method, params });
    return receive();
  };
  /** Pushes up to the answer to a call: the server picks up new blocks (and pushes them) before answering. */
  const pushes = async (): Promise<any[]> => {
    send({ jsonrpc: '2.0', id: 'sync', method: 'health' });
    const out: any[] = [];
    for (let m = await receive(); m.id !== 'sync'; m = await receive()) out.push(m);
    return out;
  };
  return { send, receive, call, pushes };
}

/** A tiny devnet served over RPC, with a raw websocket client; `prepare` runs before the store follows the chain. */
async function servedDevnet(t: { after(fn: () => unknown): void }, opts: { sdkVersion?: '0.47'; pollMs?: number; prepare?: (world: World, chain: Chain) => void } = {}) {
  const { world, chain } = tinyDevnet({ sdkVersion: opts.sdkVersion });
  opts.prepare?.(world, chain);
  const srv = await startRpcServer(new BlockStore(chain), opts.pollMs === undefined ? {} : { pollMs: opts.pollMs });
  t.after(() => srv.close());
  return { world, chain, srv, c: await rawSocket(t, srv.wsUrl) };
}

/** `type.key` → values of block events, as the event bus builds the map. */
function mapOf(events: Array<{ type: string; attributes?: Array<{ key: string; value: string }> }>, tmEvent: string) {
  const m: Record<string, string[]> = {};
  for (const e of events) for (const a of e.attributes ?? []) (m[`${e.type}.${a.key}`] ??= []).push(a.value);
  (m['tm.event'] ??= []).push(tmEvent);
  return m;
}

const pushOf = (all: any[], id: string) => all.filter((m) => m.id === id).map((m) => m.result);

test('websocket 0.38: NewBlock carries the finalize-block events and tm.event, NewBlockHeader tm.event alone; no block.height (types/event_bus.go)', async (t) => {
  const { world, chain, c } = await servedDevnet(t, { pollMs: 60_000, prepare: (w, ch) => w.block(ch) });
  const queries = {
    nb: "tm.event='NewBlock'",
    nbh: "tm.event='NewBlockHeader'",
    nbhEvents: "tm.event='NewBlockHeader' AND coin_received.receiver EXISTS",
    height: "tm.event='NewBlock' AND block.height = 2",
  };
  for (const [id, query] of Object.entries(queries)) assert.deepEqual(await c.call(id, 'subscribe', { query }), { jsonrpc: '2.0', id, result: {} });
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const all = await c.pushes();
  const finalizeEvents = (await c.call(9, 'block_results', { height: '2' })).result.finalize_block_events;
  const [nb] = pushOf(all, 'nb');
  assert.ok(finalizeEvents.length > 0 && 'coin_received.receiver' in nb.events);
  assert.deepEqual(nb.events, mapOf(finalizeEvents, 'NewBlock'));
  const [nbh] = pushOf(all, 'nbh');
  assert.deepEqual(nbh.events, { 'tm.event': ['NewBlockHeader'] });
  assert.deepEqual(Object.keys(nbh.data.value), ['header']);
  // a query on block events or block.height matches no push
  assert.deepEqual(pushOf(all, 'nbhEvents'), []);
  assert.deepEqual(pushOf(all, 'height'), []);
});

test('regression: a Tx subscription on a composite key with more dots gets its push (wasm.a.b is attribute a.b of wasm too)', async (t) => {
  // registered before the store: the tx carries an attribute key with a dot when the store renders it
  const { world, chain, c } = await servedDevnet(t, { pollMs: 60_000, prepare: (_w, ch) => void ch.onBlock((b) => b.txResults[0]?.events.push({ type: 'wasm', attributes: [{ key: 'a.b', value: 'x' }] })) });
  await c.call('dotted', 'subscribe', { query: "tm.event='Tx' AND wasm.a.b='x'" });
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const [p] = pushOf(await c.pushes(), 'dotted');
  assert.deepEqual(p?.events['wasm.a.b'], ['x']);
});

test('websocket: a Tx push encodes the result by its json tags, leaving out zero values (EventDataTx by value: libs/json cannot reach the jsonpb MarshalJSON)', async (t) => {
  const { world, chain, srv, c } = await servedDevnet(t, {
    pollMs: 60_000,
    // an attribute whose value is the string "0": a string, so not a zero value
    prepare: (_w, ch) => void ch.onBlock((b) => b.txResults[0]?.events.push({ type: 'note', attributes: [{ key: 'n', value: '0' }] })),
  });
  await c.call('txs', 'subscribe', { query: "tm.event='Tx'" });
  // a success first (index 0, code 0), then a tx signed by the wrong account (fails in the ante handler)
  world.block(chain, [
    { signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] },
    { signer: chain.addr('alice'), msgs: [send(chain, 'bob', 'alice', 1n)] },
  ]);
  const [ok, failed] = pushOf(await c.pushes(), 'txs').map((p) => p.data.value.TxResult);
  const stored = (await c.call(20, 'tx_search', { query: 'tx.height=1' })).result.txs.map((x: any) => x.tx_result);
  assert.deepEqual(Object.keys(ok), ['height', 'tx', 'result'], 'no index for the first tx');
  assert.deepEqual(Object.keys(failed), ['height', 'index', 'tx', 'result']);
  assert.equal(failed.index, 1);
  assert.equal(stored[0].code, 0);
  assert.equal('code' in ok.result, false, 'no code for a success');
  assert.equal('codespace' in ok.result, false);
  assert.equal(ok.result.gas_used, stored[0].gas_used);
  assert.deepEqual(ok.result.events.length, stored[0].events.length);
  assert.deepEqual(ok.result.events.at(-1), { type: 'note', attributes: [{ key: 'n', value: '0', index: true }] });
  assert.deepEqual([failed.result.code, failed.result.codespace], [stored[1].code, stored[1].codespace]);
  assert.ok(failed.result.code > 0);
  // cosmjs' Comet38 decoder reads this form (it defaults a missing code to 0)
  const client = await Comet38Client.connect(srv.wsUrl);
  t.after(() => disconnectForGood(client));
  const got = next(client.subscribeTx());
  await new Promise((r) => setTimeout(r, 50));
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 2n)] }]);
  const ev = await got;
  assert.deepEqual([ev.height, ev.result.code, ev.result.events.length > 0], [2, 0, true]);
});

test('websocket 0.37: NewBlock and NewBlockHeader carry the begin- and end-block events and tm.event; no block.height (types/event_bus.go)', async (t) => {
  const { world, chain, c } = await servedDevnet(t, { sdkVersion: '0.47', pollMs: 60_000, prepare: (w, ch) => w.block(ch) });
  await c.call('nb', 'subscribe', { query: "tm.event='NewBlock' AND coin_received.receiver EXISTS" });
  await c.call('nbh', 'subscribe', { query: "tm.event='NewBlockHeader' AND coin_received.receiver EXISTS" });
  await c.call('height', 'subscribe', { query: 'block.height = 2' });
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const all = await c.pushes();
  const r = (await c.call(9, 'block_results', { height: '2' })).result;
  const blockEvents = [...(r.begin_block_events ?? []), ...(r.end_block_events ?? [])];
  assert.ok(blockEvents.length > 0);
  assert.deepEqual(pushOf(all, 'nb').map((p) => p.events), [mapOf(blockEvents, 'NewBlock')]);
  assert.deepEqual(pushOf(all, 'nbh').map((p) => p.events), [mapOf(blockEvents, 'NewBlockHeader')]);
  assert.deepEqual(pushOf(all, 'height'), []);
});

test('websocket 0.37: NewBlockHeader is {header, num_txs (a string), result_begin_block, result_end_block} (types/events.go)', async (t) => {
  const { world, chain, c } = await servedDevnet(t, { sdkVersion: '0.47', pollMs: 60_000, prepare: (w, ch) => w.block(ch) });
  await c.call('nbh', 'subscribe', { query: "tm.event='NewBlockHeader'" });
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const [p] = pushOf(await c.pushes(), 'nbh');
  const r = (await c.call(9, 'block_results', { height: '2' })).result;
  assert.equal(p.data.type, 'tendermint/event/NewBlockHeader');
  assert.deepEqual(p.data.value, {
    header: (await c.call(10, 'header', { height: '2' })).result.header,
    num_txs: '1',
    result_begin_block: { events: r.begin_block_events },
    result_end_block: { validator_updates: [], consensus_param_updates: r.consensus_param_updates, events: [] },
  });
});

test('websocket 0.38: result_finalize_block is the SDK response as libs/json writes it: no events left out (a nil list), tx_results and validator_updates [] (lists the SDK makes)', async (t) => {
  const { world, chain, c } = await servedDevnet(t, { pollMs: 60_000 });
  await c.call('nb', 'subscribe', { query: "tm.event='NewBlock'" });
  world.block(chain); // no events, no txs
  const [empty] = pushOf(await c.pushes(), 'nb');
  const r1 = (await c.call(9, 'block_results', { height: '1' })).result;
  assert.deepEqual(empty.data.value.result_finalize_block, { tx_results: [], validator_updates: [], consensus_param_updates: r1.consensus_param_updates, app_hash: r1.app_hash });
  assert.deepEqual(Object.keys(empty.data.value.result_finalize_block), ['tx_results', 'validator_updates', 'consensus_param_updates', 'app_hash']);
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const [full] = pushOf(await c.pushes(), 'nb');
  const r2 = (await c.call(10, 'block_results', { height: '2' })).result;
  assert.deepEqual(full.data.value.result_finalize_block, {
    events: r2.finalize_block_events,
    tx_results: r2.txs_results,
    validator_updates: [],
    consensus_param_updates: r2.consensus_param_updates,
    app_hash: r2.app_hash,
  });
  assert.deepEqual(Object.keys(full.data.value.result_finalize_block), ['events', 'tx_results', 'validator_updates', 'consensus_param_updates', 'app_hash']);
});

test('websocket 0.37: result_begin_block and result_end_block as the SDK makes them: events and validator_updates [] when empty (MarkEventsToIndex, module manager EndBlock)', async (t) => {
  const { world, chain, c } = await servedDevnet(t, { sdkVersion: '0.47', pollMs: 60_000 });
  await c.call('nb', 'subscribe', { query: "tm.event='NewBlock'" });
  world.block(chain); // no events
  const [p] = pushOf(await c.pushes(), 'nb');
  const r = (await c.call(9, 'block_results', { height: '1' })).result;
  assert.deepEqual(Object.keys(p.data.value), ['block', 'result_begin_block', 'result_end_block']);
  assert.deepEqual(p.data.value.result_begin_block, { events: [] });
  assert.deepEqual(p.data.value.result_end_block, { validator_updates: [], consensus_param_updates: r.consensus_param_updates, events: [] });
  assert.deepEqual(Object.keys(p.data.value.result_end_block), ['validator_updates', 'consensus_param_updates', 'events']);
});

test('websocket: a parameter that does not convert is -32603 Internal error, not -32602 (ws_handler.go)', async (t) => {
  const { c } = await servedDevnet(t, { prepare: (w, ch) => w.block(ch) });
  assert.deepEqual(await c.call(5, 'block', { height: 'abc' }), {
    jsonrpc: '2.0',
    id: 5,
    error: { code: -32603, message: 'Internal error', data: "error converting json params to arguments: invalid character 'a' looking for beginning of value" },
  });
  assert.deepEqual(await c.call(6, 'subscribe', { query: 5 }), {
    jsonrpc: '2.0',
    id: 6,
    error: { code: -32603, message: 'Internal error', data: 'error converting json params to arguments: json: cannot unmarshal number into Go value of type string' },
  });
});

test('websocket: a batch (JSON array) is a parse error: the handler decodes one request (ws_handler.go)', async (t) => {
  const { c } = await servedDevnet(t, { prepare: (w, ch) => w.block(ch) });
  c.send([{ jsonrpc: '2.0', id: 1, method: 'health' }]);
  assert.deepEqual(await c.receive(), {
    jsonrpc: '2.0',
    error: {
      code: -32700,
      message: 'Parse error. Invalid JSON',
      data: 'error unmarshaling request: json: cannot unmarshal array into Go value of type struct { JSONRPC string "json:\\"jsonrpc\\""; ID interface {} "json:\\"id,omitempty\\""; Method string "json:\\"method\\""; Params json.RawMessage "json:\\"params\\"" }',
    },
  });
});
