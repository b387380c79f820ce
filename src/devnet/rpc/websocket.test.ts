import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { WebSocket } from 'ws';
import { BlockStore } from '../node/block-store.ts';
import { send, tinyDevnet } from '../node/devnet.testkit.ts';
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
  const { world, chain } = tinyDevnet();
  const srv = await startRpcServer(new BlockStore(chain), { pollMs: 10 });
  t.after(() => srv.close());
  const ws = new WebSocket(`${srv.wsUrl}/websocket`);
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
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'tx-sub', method: 'subscribe', params: { query: "tm.event='Tx' AND message.action='/cosmos.bank.v1beta1.MsgSend'" } }));
  assert.deepEqual(await receive(), { jsonrpc: '2.0', id: 'tx-sub', result: {} });
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'subscribe', params: { query: "tm.event='Tx' AND message.action='/cosmos.bank.v1beta1.MsgSend'" } }));
  assert.equal((await receive()).error.data, 'already subscribed');
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'subscribe', params: { query: 'tm.event=' } }));
  assert.equal((await receive()).error.code, -32603);
  world.block(chain, [{ signer: chain.addr('alice'), msgs: [send(chain, 'alice', 'bob', 1n)] }]);
  const ev = await receive();
  assert.equal(ev.id, 'tx-sub');
  assert.equal(ev.result.data.type, 'tendermint/event/Tx');
  assert.equal(ev.result.data.value.TxResult.height, '1');
  assert.equal(ev.result.events['tm.event'][0], 'Tx');
  assert.match(ev.result.events['tx.hash'][0], /^[0-9A-F]{64}$/);
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'unsubscribe_all', params: {} }));
  assert.deepEqual(await receive(), { jsonrpc: '2.0', id: 4, result: {} });
  ws.send('not json');
  assert.equal((await receive()).error.code, -32700);
});
