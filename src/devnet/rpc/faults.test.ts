import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BlockStore } from '../node/block-store.ts';
import { sendBlocks, tinyDevnet } from '../node/devnet.testkit.ts';
import { FAULT_KINDS, FaultInjector } from './faults.ts';
import { startRpcServer } from './server.ts';

const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'block', params: { height: '2' } });

test('fault injection: each kind does what it says; off by default', async (t) => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  const srv = await startRpcServer(new BlockStore(chain));
  t.after(() => srv.close());
  const post = (timeoutMs = 2000) => fetch(srv.url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });

  assert.equal(srv.faultCounts(), undefined);
  assert.equal((await post()).status, 200);

  srv.setFaults({ rate: 1, kinds: ['5xx'], seed: 1 });
  const r = await post();
  assert.ok(r.status >= 500 && r.status <= 504, `status ${r.status}`);
  await r.text();

  srv.setFaults({ rate: 1, kinds: ['reset'] });
  await assert.rejects(post());

  srv.setFaults({ rate: 1, kinds: ['timeout'], timeoutMs: 5_000 });
  await assert.rejects(post(200), /abort|timeout/i);

  srv.setFaults({ rate: 1, kinds: ['slow'], slowMs: 300 });
  const t0 = performance.now();
  const slow = await post();
  assert.ok(performance.now() - t0 >= 280);
  assert.equal(((await slow.json()) as { id: number }).id, 1);

  srv.setFaults({ rate: 1, kinds: ['truncated'] });
  const cut = await post();
  assert.equal(cut.status, 200);
  const text = await cut.text();
  assert.throws(() => JSON.parse(text));
  assert.ok(text.startsWith('{"jsonrpc":"2.0","id":1,"result":'));
  assert.deepEqual(srv.faultCounts(), { '5xx': 0, reset: 0, timeout: 0, slow: 0, truncated: 1 });

  srv.setFaults(undefined);
  assert.equal((await post()).status, 200);
});

test('fault draws are deterministic per seed and follow the rate', () => {
  const draw = (seed: number) => {
    const f = new FaultInjector({ rate: 0.2, seed });
    return Array.from({ length: 2000 }, () => f.next() ?? '-');
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  const faults = draw(7).filter((k) => k !== '-');
  assert.ok(faults.length > 300 && faults.length < 500, `${faults.length} faults`);
  for (const k of FAULT_KINDS) assert.ok(faults.includes(k), k);
  assert.throws(() => new FaultInjector({ rate: 2 }));
});
