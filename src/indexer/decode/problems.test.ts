import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import * as bank from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import * as wasm from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { Rng } from '../../devnet/workload/rng.ts';
import type { DecodedBlock } from '../types.ts';
import type { RawBlock, RawEvent, RawTxResult } from '../rpc/raw-block.ts';
import { decodeBlock } from './block.ts';
import { anyOf, blockOf, rawBlockOf, txBytes, utf8, workload } from './decode.testkit.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').toUpperCase();
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const ctx = { chainId: 'osmo-devnet-1' };

/** The busiest block of a short workload, raw, with its clean decoding. */
function devnetBlock(sdk: '0.47' | '0.50'): { raw: RawBlock; clean: DecodedBlock } {
  const w = workload(sdk, { users: 10 });
  w.runFast(6);
  const store = new BlockStore(w.chains[0]!);
  let best = store.at(1n)!;
  for (let h = 2n; h <= store.height; h++) if (store.at(h)!.txs.length > best.txs.length) best = store.at(h)!;
  const clean = decodeBlock(rawBlockOf(best), ctx);
  assert.deepEqual(clean.problems, []);
  assert.ok(best.txs.length >= 10);
  return { raw: rawBlockOf(best), clean };
}

const sender = 'osmo1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du';
const contract = 'osmo1qgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqxnl5yd';

for (const sdk of ['0.47', '0.50'] as const) {
  test(`SDK ${sdk}: broken txs and events become problems and the rest of the block decodes`, () => {
    const { raw, clean } = devnetBlock(sdk);
    const n = raw.txs.length;
    const mi = (i: number): Array<{ key: string; value: string }> => (sdk === '0.50' ? [{ key: 'msg_index', value: String(i) }] : []);
    const msgEvent = (action: string, i: number): RawEvent => ({ type: 'message', attributes: [{ key: 'action', value: action }, { key: 'sender', value: sender }, ...mi(i)] });
    const ante: RawEvent[] = [{ type: 'tx', attributes: [{ key: 'acc_seq', value: `${sender}/3` }] }];

    // 1. random bytes as a tx, with the events a node reported for it
    const garbage = new Uint8Array([0x0a, 0x05, 0xff, 0xfe, 0x11, 0x07, 0x12, 0x99, 0x01, 0x42]);
    const garbageResult: RawTxResult = { code: 0, codespace: '', log: '', events: [...ante, msgEvent('/cosmos.bank.v1beta1.MsgSend', 0), { type: 'transfer', attributes: [{ key: 'amount', value: '1uosmo' }, ...mi(0)] }] };
    // 2. an execute whose contract msg is not JSON, then a send that is fine
    const badJson = txBytes([anyOf(wasm.MsgExecuteContract, { sender, contract, msg: utf8('{"bond":'), funds: [] }), anyOf(bank.MsgSend, { fromAddress: sender, toAddress: contract, amount: [{ denom: 'uosmo', amount: '3' }] })]);
    const badJsonResult: RawTxResult = {
      code: 0,
      codespace: '',
      log: '',
      events: [
        ...ante,
        msgEvent('/cosmwasm.wasm.v1.MsgExecuteContract', 0),
        { type: 'execute', attributes: [{ key: '_contract_address', value: contract }, ...mi(0)] },
        // 3. malformed events: no attributes, no type, a value that is not text
        { type: 'wasm' } as RawEvent,
        { attributes: [{ key: 'a', value: 'b' }] } as unknown as RawEvent,
        { type: 'wasm-x', attributes: [{ key: 'n', value: 5 }] } as unknown as RawEvent,
        msgEvent('/cosmos.bank.v1beta1.MsgSend', 1),
        { type: 'transfer', attributes: [{ key: 'amount', value: '3uosmo' }, ...mi(1)] },
      ],
    };
    // 4. a known type whose bytes do not decode, and an unknown type
    const badMsg = txBytes([{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) }, { typeUrl: '/x.y.MsgZ', value: new Uint8Array([1]) }]);
    const broken: RawBlock = {
      ...raw,
      txs: [...raw.txs, garbage, badJson, badMsg],
      txResults: [...raw.txResults, garbageResult, badJsonResult, { code: 0, codespace: '', log: '', events: [] }],
      // 5. a block event without `attributes` is legal (CometBFT omits empty lists); one with a broken list is not
      beginEvents: [{ type: 'mint' } as RawEvent, ...raw.beginEvents],
      endEvents: [...raw.endEvents, { type: 'x', attributes: 'k=v' } as unknown as RawEvent],
    };
    const d = decodeBlock(broken, ctx);

    // the devnet txs decode exactly as without the broken ones
    assert.deepEqual(d.txs.slice(0, n), clean.txs);
    assert.equal(d.txs.length, n + 3);

    const [g, j, m] = d.txs.slice(n);
    assert.deepEqual(
      d.problems.map((p) => [p.kind, p.txHash, p.msgIndex, p.eventIndex]),
      [
        ['tx', g!.hash, undefined, undefined],
        ['tx', j!.hash, 0, undefined],
        ['event', j!.hash, undefined, 3],
        ['event', j!.hash, undefined, 4],
        ['event', j!.hash, undefined, 5],
        ['tx', m!.hash, 0, undefined],
        ['event', undefined, undefined, raw.endEvents.length],
      ],
    );
    const [pg, pj, pe3, pe4, pe5, pm, pb] = d.problems;

    // undecodable tx: kept with no messages and its events, tied by order; the bytes in the problem
    assert.equal(g!.hash, sha(garbage));
    assert.equal(pg!.raw, b64(garbage));
    assert.match(pg!.reason, /undecodable tx/);
    assert.deepEqual(g!.msgs, []);
    assert.deepEqual(
      g!.events.map((e) => [e.type, e.msgIndex]),
      [
        ['tx', undefined],
        ['message', 0],
        ['transfer', 0],
      ],
    );
    assert.equal(g!.signer, sender);

    // bad contract JSON: the message keeps its decoded value, no json, an error; the next message is fine
    assert.equal(j!.msgs[0]!.typeUrl, '/cosmwasm.wasm.v1.MsgExecuteContract');
    assert.equal((j!.msgs[0]!.value as { contract: string }).contract, contract);
    assert.equal(j!.msgs[0]!.json, undefined);
    assert.match(j!.msgs[0]!.error!, /not JSON/);
    assert.match(pj!.reason, /not JSON/);
    assert.equal(pj!.raw, b64(utf8('{"bond":')));
    assert.equal((j!.msgs[1]!.value as { fromAddress: string }).fromAddress, sender);
    // malformed events are skipped, the others keep their positions and messages
    assert.deepEqual(
      j!.events.map((e) => [e.index, e.type, e.msgIndex]),
      [
        [0, 'tx', undefined],
        [1, 'message', 0],
        [2, 'execute', 0],
        [6, 'message', 1],
        [7, 'transfer', 1],
      ],
    );
    assert.match(pe3!.reason, /wasm event has no attributes/);
    assert.match(pe4!.reason, /no type/);
    assert.match(pe5!.reason, /wasm-x\.n is not a string/);
    assert.deepEqual(JSON.parse(pe3!.raw!), { type: 'wasm' });

    // a known message that does not decode, and an unknown one (not a problem)
    assert.equal(m!.msgs[0]!.value, undefined);
    assert.match(m!.msgs[0]!.error!, /MsgSend does not decode/);
    assert.match(pm!.reason, /msg 0/);
    assert.deepEqual(m!.msgs[1], { typeUrl: '/x.y.MsgZ' });

    // block events
    assert.deepEqual(d.beginEvents[0], { type: 'mint', attributes: [], index: 0 });
    assert.deepEqual(d.beginEvents.slice(1), clean.beginEvents.map((e) => ({ ...e, index: e.index + 1 })));
    assert.deepEqual(d.endEvents, clean.endEvents);
    assert.match(pb!.reason, /^end_block event \d+: x event attributes are not a list/);
  });
}

test('random bytes never throw and are always reported', () => {
  const rng = new Rng('decode-fuzz');
  const txs: Uint8Array[] = [];
  for (let i = 0; i < 500; i++) txs.push(Uint8Array.from({ length: 1 + rng.int(300) }, () => rng.int(256)));
  const d = decodeBlock(blockOf(txs), ctx);
  assert.equal(d.txs.length, 500);
  assert.equal(d.problems.length, 500);
  for (const [i, p] of d.problems.entries()) {
    assert.equal(p.kind, 'tx');
    assert.equal(p.txHash, d.txs[i]!.hash);
    assert.deepEqual(d.txs[i]!.msgs, []);
  }
});

test('tx results that do not match the txs, and msg_index naming no message, are problems', () => {
  const tx = txBytes([anyOf(bank.MsgSend, { fromAddress: sender, toAddress: contract, amount: [] })]);
  const events: RawEvent[] = [
    { type: 'message', attributes: [{ key: 'action', value: '/cosmos.bank.v1beta1.MsgSend' }, { key: 'msg_index', value: '0' }] },
    { type: 'transfer', attributes: [{ key: 'msg_index', value: '1' }] },
    { type: 'transfer', attributes: [{ key: 'msg_index', value: 'x' }] },
  ];
  const d = decodeBlock(blockOf([tx, tx], [{ code: 0, events }]), ctx);
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.eventIndex]),
    [
      ['block', undefined],
      ['event', 1],
      ['event', 2],
    ],
  );
  assert.deepEqual(
    d.txs[0]!.events.map((e) => e.msgIndex),
    [0, undefined, undefined],
  );
  // the second tx has no result: kept, marked failed, no events
  assert.equal(d.txs[1]!.code, -1);
  assert.deepEqual(d.txs[1]!.events, []);
  assert.equal(d.txs[1]!.msgs.length, 1);
  // no ante events: the signer is the message's sender
  assert.equal(d.txs[0]!.signer, sender);
});

test('SDK 0.47: more message{action} events than messages are a problem', () => {
  const tx = txBytes([anyOf(bank.MsgSend, { fromAddress: sender, toAddress: contract, amount: [] })]);
  const msg = (a: string): RawEvent => ({ type: 'message', attributes: [{ key: 'action', value: a }] });
  const d = decodeBlock(blockOf([tx], [{ code: 0, events: [msg('/cosmos.bank.v1beta1.MsgSend'), { type: 'transfer', attributes: [] }, msg('/x'), { type: 'transfer', attributes: [] }] }]), ctx);
  assert.deepEqual(
    d.txs[0]!.events.map((e) => e.msgIndex),
    [0, 0, undefined, undefined],
  );
  assert.deepEqual(
    d.problems.map((p) => [p.kind, p.eventIndex]),
    [['event', 2]],
  );
});
