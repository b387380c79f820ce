// Test helpers for the fetcher: a workload devnet served over RPC on 127.0.0.1, and the check that a
// fetched block is exactly what the chain produced and the node rendered.
import assert from 'node:assert/strict';
import type { Chain } from '../../devnet/chain/chain.ts';
import { BlockStore } from '../../devnet/node/block-store.ts';
import { Workload } from '../../devnet/workload/run.ts';
import { defaultTopology } from '../../devnet/workload/topologies.ts';
import type { RawBlock, RawEvent } from '../rpc/client.ts';

/** A small default-topology workload; `sdk: '0.47'` makes the store serve CometBFT 0.37 JSON. */
export function workloadChain(opts: { sdk?: '0.47' | '0.50'; blocks?: number; seed?: number } = {}): { chain: Chain; store: BlockStore; workload: Workload } {
  const topology = defaultTopology({ users: 8, validators: 3 });
  if (opts.sdk === '0.47') for (const c of topology.chains) Object.assign(c, { sdkVersion: '0.47', ibcGo: 'v7' });
  const workload = new Workload({ topology, blocks: opts.blocks ?? 30, invariants: false, seed: opts.seed ?? 7 });
  workload.runFast();
  const chain = workload.chains[0]!;
  return { chain, store: new BlockStore(chain), workload };
}

/** The fetched block equals the chain's block (events, times) and the node's rendering (bytes, hashes, results). */
export function assertSameAsChain(raw: RawBlock, chain: Chain, store: BlockStore): void {
  const h = raw.height;
  const produced = chain.blocks.find((b) => b.height === BigInt(h));
  const rendered = store.at(BigInt(h));
  assert.ok(produced && rendered, `height ${h} exists`);
  assert.equal(raw.timeNs, produced.time, `time at ${h}`);
  assert.equal(raw.hash, rendered.hash);
  assert.deepEqual(raw.txs, rendered.txs.map((t) => new Uint8Array(t.bytes)), `tx bytes at ${h}`);
  assert.equal(raw.txResults.length, produced.txResults.length);
  raw.txResults.forEach((r, i) => {
    const json = JSON.parse(rendered.txs[i]!.resultJson) as { code: number; codespace: string; log: string; data: string | null; gas_wanted: string; gas_used: string };
    assert.equal(r.code, produced.txResults[i]!.code);
    assert.equal(r.codespace, json.codespace);
    assert.equal(r.log, json.log);
    assert.equal(Buffer.from(r.data ?? []).toString('base64'), json.data ?? '');
    assert.equal(r.gasWanted, BigInt(json.gas_wanted));
    assert.equal(r.gasUsed, BigInt(json.gas_used));
    assert.deepEqual(keyValues(r.events), plain(produced.txResults[i]!.events), `events of tx ${i} at ${h}`);
  });
  assert.deepEqual(keyValues(raw.beginEvents), plain(produced.beginEvents), `begin events at ${h}`);
  assert.deepEqual(keyValues(raw.endEvents), plain(produced.endEvents), `end events at ${h}`);
}

/** Raw attributes come as parsed, CometBFT's `index` flag included: compare keys and values. */
const keyValues = (events: RawEvent[]) => events.map((e) => ({ type: e.type, attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value })) }));
const plain = (events: Chain['blocks'][number]['beginEvents']) => events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) }));

/** Collects an async iterator. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
