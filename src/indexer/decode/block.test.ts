import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BlockResult, Chain } from '../../devnet/chain/chain.ts';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { decodeMsg, encodeMsg } from '../../devnet/node/msg-registry.ts';
import type { DecodedBlock } from '../types.ts';
import { attr } from './attributes.ts';
import { decodeBlock } from './block.ts';
import { rawBlockOf, workload } from './decode.testkit.ts';

interface Run {
  chains: Chain[];
  /** chain id → decoded blocks, index = height - 1 */
  decoded: Map<string, DecodedBlock[]>;
  stores: Map<string, BlockStore>;
}

// One seed on both SDK lines: the same blocks, except that only 0.50 marks events with msg_index.
function run(sdk: '0.47' | '0.50'): Run {
  const w = workload(sdk);
  w.runFast(25);
  const decoded = new Map<string, DecodedBlock[]>();
  const stores = new Map<string, BlockStore>();
  for (const c of w.chains) {
    const store = new BlockStore(c);
    stores.set(c.id, store);
    const out: DecodedBlock[] = [];
    for (let h = 1n; h <= store.height; h++) out.push(decodeBlock(rawBlockOf(store.at(h)!), { chainId: c.id }));
    decoded.set(c.id, out);
  }
  return { chains: w.chains, decoded, stores };
}

const runs = { '0.47': run('0.47'), '0.50': run('0.50') };

/** The JSON a devnet wasm message value carries (an object, or already text or bytes). */
const chainJson = (msg: unknown): unknown =>
  msg instanceof Uint8Array ? JSON.parse(Buffer.from(msg).toString()) : typeof msg === 'string' ? JSON.parse(msg) : JSON.parse(JSON.stringify(msg));

for (const sdk of ['0.47', '0.50'] as const) {
  test(`SDK ${sdk}: every block decodes to what the chain executed`, () => {
    const { chains, decoded, stores } = runs[sdk];
    let msgs = 0;
    let jsons = 0;
    for (const chain of chains) {
      const blocks = decoded.get(chain.id)!;
      assert.equal(blocks.length, chain.blocks.length);
      for (const [i, d] of blocks.entries()) {
        const b: BlockResult = chain.blocks[i]!;
        const r = stores.get(chain.id)!.at(b.height)!;
        assert.deepEqual(d.problems, [], `${chain.id}@${b.height}`);
        assert.equal(d.chainId, chain.id);
        assert.equal(d.height, Number(b.height));
        assert.equal(d.timeNs, b.time);
        assert.equal(d.time.getTime(), Number(b.time / 1_000_000n));
        assert.equal(d.hash, r.hash);
        assert.equal(d.txs.length, b.txs.length);
        for (const [j, t] of d.txs.entries()) {
          const tx = b.txs[j]!;
          const res = b.txResults[j]!;
          assert.equal(t.hash, r.txs[j]!.hash);
          assert.equal(t.index, j);
          assert.equal(t.code, res.code);
          assert.equal(t.codespace, res.codespace);
          assert.equal(t.signer, tx.signer);
          assert.equal(t.msgs.length, tx.msgs.length);
          for (const [k, m] of t.msgs.entries()) {
            const want = tx.msgs[k]!;
            assert.equal(m.typeUrl, want.typeUrl);
            assert.equal(m.error, undefined);
            assert.deepEqual(m.value, decodeMsg(want.typeUrl, encodeMsg(want.typeUrl, want.value)));
            if (want.typeUrl.startsWith('/cosmwasm.wasm.v1.Msg')) {
              assert.deepEqual(m.json, chainJson(want.value.msg));
              jsons++;
            } else assert.equal(m.json, undefined);
            msgs++;
          }
          // events as emitted (attributes untouched, msg_index included), positions kept
          assert.deepEqual(
            t.events.map((e) => ({ type: e.type, attributes: e.attributes.map(({ key, value }) => ({ key, value })) })),
            res.events,
          );
          t.events.forEach((e, k) => assert.equal(e.index, k));
        }
        for (const [got, want] of [
          [d.beginEvents, b.beginEvents],
          [d.endEvents, b.endEvents],
        ] as const) {
          assert.deepEqual(
            got.map((e) => ({ type: e.type, attributes: e.attributes })),
            want,
          );
          got.forEach((e, k) => {
            assert.equal(e.index, k);
            assert.equal(e.msgIndex, undefined);
          });
        }
      }
    }
    assert.ok(msgs > 500 && jsons > 400, `${msgs} msgs, ${jsons} wasm JSON msgs`);
  });

  test(`SDK ${sdk}: events are tied to the message that emitted them`, () => {
    const { chains, decoded } = runs[sdk];
    let failed = 0;
    let multi = 0;
    for (const chain of chains) {
      for (const d of decoded.get(chain.id)!) {
        for (const t of d.txs) {
          const hasIndexAttr = t.events.some((e) => attr(e, 'msg_index') !== undefined);
          assert.equal(hasIndexAttr, sdk === '0.50' && t.code === 0);
          if (t.code !== 0) {
            // only the ante handler's events survive a failed tx (cosmos-wire §3.1)
            failed++;
            for (const e of t.events) assert.equal(e.msgIndex, undefined, `${t.hash} ${e.type}`);
            continue;
          }
          if (t.msgs.length > 1) multi++;
          let prev = -1;
          for (const e of t.events) {
            if (sdk === '0.50') assert.equal(e.msgIndex, attr(e, 'msg_index') === undefined ? undefined : Number(attr(e, 'msg_index')));
            if (e.msgIndex === undefined) {
              assert.equal(prev, -1, 'ante events come before every message event');
              continue;
            }
            if (e.msgIndex !== prev) {
              // each message opens with message{action: its type URL}
              assert.equal(e.msgIndex, prev + 1);
              assert.equal(e.type, 'message');
              assert.equal(attr(e, 'action'), t.msgs[e.msgIndex]!.typeUrl);
              prev = e.msgIndex;
            }
          }
          assert.equal(prev, t.msgs.length - 1, 'every message has its events');
        }
      }
    }
    assert.ok(failed > 10, `${failed} failed txs`);
    assert.ok(multi > 20, `${multi} multi-message txs`);
  });
}

test('SDK 0.47 ordering gives the same msgIndex as the 0.50 msg_index attribute', () => {
  let events = 0;
  for (const chain of runs['0.50'].chains) {
    const a = runs['0.47'].decoded.get(chain.id)!;
    const b = runs['0.50'].decoded.get(chain.id)!;
    assert.equal(a.length, b.length);
    for (const [i, d] of a.entries()) {
      assert.equal(d.txs.length, b[i]!.txs.length);
      for (const [j, t] of d.txs.entries()) {
        assert.deepEqual(
          t.events.map((e) => [e.type, e.msgIndex]),
          b[i]!.txs[j]!.events.map((e) => [e.type, e.msgIndex]),
        );
        events += t.events.length;
      }
    }
  }
  assert.ok(events > 10_000, `${events} events compared`);
});
