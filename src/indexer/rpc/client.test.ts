import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { tinyDevnet, sendBlocks } from '../../devnet/node/devnet.testkit.ts';
import { startRpcServer } from '../../devnet/rpc/server.ts';
import { assertSameAsChain, collect, workloadChain } from '../fetch/fetch.testkit.ts';
import { fetchBlocks } from '../fetch/fetcher.ts';
import { cometLine, connectChain } from './client.ts';
import { ChainMismatchError, UnsupportedNodeVersionError } from './errors.ts';
import { rfc3339ToNs } from './raw-block.ts';
import { as034, freePort, rpcProxy } from './rpc.testkit.ts';

test('the CometBFT line comes from node_info.version', () => {
  assert.equal(cometLine('0.38.12'), '0.38');
  assert.equal(cometLine('v0.37.4'), '0.37');
  assert.equal(cometLine('0.34.27-terra.1'), '0.34');
  for (const v of ['0.39.1', '1.0.0', '0.33.9', '', 'v0.38']) assert.equal(cometLine(v), undefined, v);
});

test('RFC 3339 times keep their nanoseconds (0–9 fraction digits)', () => {
  assert.equal(rfc3339ToNs('2024-03-01T12:00:00.123456789Z'), 1_709_294_400_123_456_789n);
  assert.equal(rfc3339ToNs('2024-03-01T12:00:00.5Z'), 1_709_294_400_500_000_000n);
  assert.equal(rfc3339ToNs('2024-03-01T12:00:00Z'), 1_709_294_400_000_000_000n);
  assert.equal(rfc3339ToNs('2024-03-01T13:00:00.000000001+01:00'), 1_709_294_400_000_000_001n);
  assert.throws(() => rfc3339ToNs('2024-03-01 12:00'), /bad RFC 3339/);
});

test('connect: the cosmjs client matches the node (0.38 → Comet38Client, 0.37 → Tendermint37Client); status', async (t) => {
  for (const sdk of ['0.50', '0.47'] as const) {
    const { world, chain } = tinyDevnet({ sdkVersion: sdk });
    sendBlocks(world, chain);
    const srv = await startRpcServer(new BlockStore(chain));
    const client = await connectChain({ chainId: chain.id, endpoints: [srv.url] });
    t.after(async () => {
      client.close();
      await srv.close();
    });
    assert.equal(client.line, sdk === '0.50' ? '0.38' : '0.37');
    assert.ok(sdk === '0.50' ? client.comet instanceof Comet38Client : client.comet instanceof Tendermint37Client);
    const s = await client.status();
    assert.deepEqual(s, {
      chainId: chain.id,
      nodeVersion: client.nodeVersion,
      latestHeight: 5,
      latestTimeNs: chain.blocks[4]!.time,
      earliestHeight: 1,
      catchingUp: false,
    });
    // the cosmjs client runs on the same transport
    assert.equal((await client.comet.block(2)).block.txs.length, 2);
  }
});

test('an unsupported node version is a startup error naming it and the supported ones', async (t) => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const srv = await startRpcServer(new BlockStore(chain, { nodeVersion: '0.39.1' }));
  t.after(() => srv.close());
  await assert.rejects(
    connectChain({ chainId: chain.id, endpoints: [srv.url] }),
    (e: unknown) => e instanceof UnsupportedNodeVersionError && /"0\.39\.1"/.test(e.message) && /0\.34\.x, 0\.37\.x, 0\.38\.x/.test(e.message) && e.message.includes(srv.url),
  );
});

test('an endpoint of another chain is a startup error', async (t) => {
  const a = tinyDevnet({ chainId: 'right-1' });
  const b = tinyDevnet({ chainId: 'wrong-1' });
  sendBlocks(a.world, a.chain);
  sendBlocks(b.world, b.chain);
  const right = await startRpcServer(new BlockStore(a.chain));
  const wrong = await startRpcServer(new BlockStore(b.chain));
  t.after(() => Promise.all([right.close(), wrong.close()]));
  await assert.rejects(connectChain({ chainId: 'right-1', endpoints: [wrong.url] }), (e: unknown) => e instanceof ChainMismatchError && /serves chain "wrong-1", expected "right-1"/.test(e.message));
  await assert.rejects(connectChain({ chainId: 'right-1', endpoints: [right.url, wrong.url] }), ChainMismatchError);
  // mixed versions among the endpoints of one chain
  const other = await startRpcServer(new BlockStore(a.chain, { version: '0.37' }));
  t.after(() => other.close());
  await assert.rejects(connectChain({ chainId: 'right-1', endpoints: [right.url, other.url] }), /runs CometBFT 0\.37\.4, but the other endpoints of right-1 run 0\.38\.x/);
});

test('no endpoint answering is a startup error after the retries', async () => {
  const port = await freePort();
  await assert.rejects(connectChain({ chainId: 'x-1', endpoints: [`http://127.0.0.1:${port}`], retries: 2, backoffMs: 1 }), /no RPC endpoint answered .*ECONNREFUSED/);
});

test('an endpoint that was down at startup is checked before its first use and dropped when it serves another chain', async (t) => {
  const a = tinyDevnet({ chainId: 'right-1' });
  const b = tinyDevnet({ chainId: 'wrong-1' });
  sendBlocks(a.world, a.chain);
  sendBlocks(b.world, b.chain);
  const port = await freePort();
  const right = await startRpcServer(new BlockStore(a.chain));
  const logs: string[] = [];
  const client = await connectChain({ chainId: 'right-1', endpoints: [`http://127.0.0.1:${port}`, right.url], cooldownMs: 50, log: (m) => logs.push(m) });
  const wrong = await startRpcServer(new BlockStore(b.chain), { port });
  t.after(async () => {
    client.close();
    await Promise.all([right.close(), wrong.close()]);
  });
  await new Promise((r) => setTimeout(r, 80)); // the first endpoint's cool-down passes; it is preferred again
  const blocks = await collect(fetchBlocks(client, { from: 1, to: 5 }));
  for (const blk of blocks) assertSameAsChain(blk, a.chain, right.store);
  assert.ok(logs.some((l) => l.includes(`:${port}`) && l.includes('disabled') && l.includes('wrong-1')), logs.join('\n'));
});

test('Tendermint 0.34: base64 attributes (null when empty) are decoded; blocks equal the chain', async (t) => {
  const { chain, store } = workloadChain({ sdk: '0.47', blocks: 10 });
  const srv = await startRpcServer(store);
  const proxy = await rpcProxy(srv.url, as034);
  const client = await connectChain({ chainId: chain.id, endpoints: [proxy.url] });
  t.after(async () => {
    client.close();
    await proxy.close();
    await srv.close();
  });
  assert.equal(client.line, '0.34');
  assert.equal(client.nodeVersion, '0.34.27');
  const blocks = await collect(fetchBlocks(client, { from: 1, to: Number(store.height) }));
  assert.equal(blocks.length, Number(store.height));
  for (const b of blocks) assertSameAsChain(b, chain, store);
});
