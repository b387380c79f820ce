// Test helpers: the external-staking replica against the chain's own smart queries (stake,
// pending_rewards, list_validators, all_pending_txs_desc), at the chain's latest height or an earlier one.
import type { Chain } from '../devnet/chain/chain.ts';
import type { ExternalStaking } from '../devnet/contracts/external-staking.ts';
import { SEP } from '../devnet/state/journal.ts';
import * as esCodec from '../protocol/codec/external-staking.ts';
import * as crdt from '../protocol/crdt.ts';
import { alignmentToWire, pendingReward } from '../protocol/rewards.ts';
import { wasmMapping } from './wasm.ts';
import type { Mapping } from './context.ts';
import { ExternalStakingState } from './external-staking-state.ts';
import { externalStakingIbcMapping, externalStakingMapping, onInstantiate } from './external-staking.ts';
import type { Replica } from './replica.ts';

const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** wasm discovery + the external-staking config hook, as the lead would wire `instantiate`. */
export const discoveryWithConfig: Mapping = {
  source: 'module',
  handlers: {
    instantiate: (ctx) => {
      wasmMapping.handlers.instantiate!(ctx);
      onInstantiate(ctx);
    },
  },
};

export const ES_MAPPINGS: readonly Mapping[] = [discoveryWithConfig, externalStakingMapping, externalStakingIbcMapping];

export interface CompareStats {
  stakes: number;
  rewards: number;
  validators: number;
  txs: number;
}

/**
 * Compares one contract's replica with the chain; returns mismatch descriptions (empty = equal).
 * `users` defaults to the replica's stakers plus, at the latest height, the contract's own keys.
 */
export function compareExternalStaking(chain: Chain, address: string, replica: Replica, height?: bigint, stats?: CompareStats): string[] {
  const st = new ExternalStakingState(replica, address);
  const q = (msg: unknown): unknown => (height === undefined || height === chain.height ? chain.query(address, msg) : chain.queryAt(height, () => chain.query(address, msg)));
  const out: string[] = [];
  const pairs = new Set(st.allStakes().map(([u, v]) => `${u}\n${v}`));
  if (height === undefined || height === chain.height) {
    const inst = chain.wasm.contract(address).instance as ExternalStaking;
    for (const k of inst.stakes.keys()) pairs.add(k.split(SEP).join('\n'));
  }
  for (const p of pairs) {
    const [user, validator] = p.split('\n') as [string, string];
    const s = st.stake(user, validator);
    const mine = esCodec.Stake.encode({
      stake: s.stake,
      pending_unbonds: s.pendingUnbonds.map((x) => ({ amount: x.amount, release_at: x.releaseAt })),
      points_alignment: BigInt(alignmentToWire(s.pointsAlignment)),
      withdrawn_funds: s.withdrawnFunds,
    });
    const theirs = q({ stake: { user, validator } });
    if (json(mine) !== json(theirs)) out.push(`stake ${user} ${validator}: replica ${json(mine)} chain ${json(theirs)}`);
    if (stats) stats.stakes++;
    let r1: string;
    let r2: string;
    try {
      r1 = pendingReward(s, st.dist(validator)).toString();
    } catch (e) {
      r1 = `error ${(e as Error).message}`;
    }
    try {
      r2 = String((q({ pending_rewards: { user, validator } }) as { rewards: { amount: string } }).rewards.amount);
    } catch (e) {
      r2 = `error ${(e as Error).message}`;
    }
    if (r1 !== r2) out.push(`pending_rewards ${user} ${validator}: replica ${r1} chain ${r2}`);
    if (stats) stats.rewards++;
  }
  const vals = st.allValsets().map(([validator, h]) => ({ validator, state: { [crdt.latestStatus(h)]: {} } }));
  const chainVals = q({ list_validators: { limit: 100000 } }) as { validators: unknown[] };
  if (json(vals) !== json(chainVals.validators)) out.push(`list_validators: replica ${json(vals)} chain ${json(chainVals.validators)}`);
  if (stats) stats.validators += vals.length;
  const txs = st
    .allTxs()
    .sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
    .map((t) => ({ [t.kind]: t.kind === 'in_flight_transfer_funds' ? { id: t.id, amount: t.amount, staker: t.user, validator: t.validator } : { id: t.id, amount: t.amount, user: t.user, validator: t.validator } }));
  const chainTxs = (q({ all_pending_txs_desc: { limit: 100000 } }) as { txs: unknown[] }).txs;
  const norm = (x: unknown) => json(x).replace(/"(\d+)"/g, '$1');
  if (norm(txs) !== norm(chainTxs)) out.push(`pending txs: replica ${json(txs)} chain ${json(chainTxs)}`);
  if (stats) stats.txs += txs.length;
  return out;
}

/**
 * Indexes `chain` block by block (as indexChain does) and, after every `every`-th block, compares each
 * external-staking contract with the chain's queries at that height. Returns the mismatches (first
 * `limit`), the indexed state and how many comparisons ran.
 */
export async function indexAndCheck(chain: Chain, opts: { every?: number; limit?: number } = {}) {
  const { BlockStore } = await import('../devnet/node/block-store.ts');
  const { decodeBlock } = await import('../indexer/decode/block.ts');
  const { rawBlockOf } = await import('../indexer/decode/decode.testkit.ts');
  const { Contracts } = await import('../indexer/contracts.ts');
  const { Router, mapBlock } = await import('../indexer/route.ts');
  const { WriteBuffer } = await import('../indexer/store/buffer.ts');
  const { Replica } = await import('./replica.ts');
  const { devnetCodeKinds } = await import('./mappings.testkit.ts');
  const replica = new Replica(chain.id);
  const contracts = new Contracts(replica, devnetCodeKinds(chain));
  const out = new WriteBuffer();
  const router = new Router(ES_MAPPINGS);
  const store = new BlockStore(chain);
  store.sync();
  const query = async (contract: string, msg: unknown, height: number) => chain.queryAt(BigInt(height), () => chain.query(contract, msg));
  const mismatches: string[] = [];
  const stats: CompareStats = { stakes: 0, rewards: 0, validators: 0, txs: 0 };
  let checks = 0;
  const every = opts.every ?? 1;
  for (let h = 1n; h <= chain.height; h++) {
    const rendered = store.at(h);
    if (!rendered) throw new Error(`block ${h} of ${chain.id} is not available`);
    await mapBlock(decodeBlock(rawBlockOf(rendered), { chainId: chain.id }), router, { replica, contracts, out, mappings: ES_MAPPINGS, query });
    if (h % BigInt(every) !== 0n && h !== chain.height) continue;
    for (const address of contracts.all('external_staking')) {
      checks++;
      for (const m of compareExternalStaking(chain, address, replica, h, h === chain.height ? stats : undefined)) if (mismatches.length < (opts.limit ?? 20)) mismatches.push(`h${h} ${address}: ${m}`);
    }
  }
  return { replica, contracts, out, mismatches, checks, stats };
}
