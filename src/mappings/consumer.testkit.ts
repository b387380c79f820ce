// Test helpers for the consumer-side and IBC mappings: index every chain of a devnet with them, merge
// the IBC halves of all chains as the core does, and compare the replica with the chains' queries.
import type { Chain } from '../devnet/chain/chain.ts';
import type { Devnet } from '../devnet/deploy.ts';
import { maxCapLimit } from '../devnet/modules/meshsecurity.ts';
import type { Entities, EntityName } from '../db/generated/entities.ts';
import type { Mapping } from './context.ts';
import { converterMapping } from './converter.ts';
import { ibcMapping, ibcPacketMerge } from './ibc.ts';
import { type Indexed, indexChain } from './mappings.testkit.ts';
import { meshSecurityModuleMapping, replicatedMaxCap } from './meshsecurity-module.ts';
import { priceFeedMapping, replicatedPrice } from './price-feed.ts';
import { virtualStakingMapping, vsState } from './virtual-staking.ts';
import { wasmMapping } from './wasm.ts';

/** wasm discovery + the price feed's initial price (the hook wasm.ts is asked to call). */
export const CONSUMER_MAPPINGS: readonly Mapping[] = [
  wasmMapping,
  meshSecurityModuleMapping,
  ibcMapping,
  converterMapping,
  virtualStakingMapping,
  priceFeedMapping,
];

export function rowsOf<E extends EntityName>(ix: Indexed, entity: E): Array<Entities[E]> {
  const b = ix.out.batches().find((t) => t.entity === entity);
  return b ? ([...b.rows.values()] as Array<Entities[E]>) : [];
}

export async function indexDevnet(devnet: Devnet, mappings: readonly Mapping[] = CONSUMER_MAPPINGS): Promise<Map<string, Indexed>> {
  const out = new Map<string, Indexed>();
  for (const c of devnet.world.chains.values()) out.set(c.id, await indexChain(c, mappings));
  return out;
}

/** IbcPacket rows of all chains merged with ibcPacketMerge (the core's merge). */
export function mergedPackets(indexed: Map<string, Indexed>): Map<string, Entities['IbcPacket']> {
  const m = new Map<string, Entities['IbcPacket']>();
  for (const ix of indexed.values()) {
    for (const r of rowsOf(ix, 'IbcPacket')) {
      const prev = m.get(r.id);
      m.set(r.id, prev ? ibcPacketMerge(prev, r) : r);
    }
  }
  return m;
}

/** Every send_packet event the chain emitted (successful txs and block events), as packet ids. */
export function sentPacketIds(chain: Chain): string[] {
  const ids: string[] = [];
  const take = (events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>) => {
    for (const e of events) {
      if (e.type !== 'send_packet') continue;
      const a = (k: string) => e.attributes.find((x) => x.key === k)?.value;
      ids.push(`${chain.id}/${a('packet_src_port')}/${a('packet_src_channel')}/${a('packet_sequence')}`);
    }
  };
  for (const b of chain.blocks) {
    take(b.beginEvents);
    b.txResults.forEach((r) => {
      if (r.code === 0) take(r.events);
    });
    take(b.endEvents);
  }
  return ids;
}

export interface ConsumerCheck {
  stakes: number;
  validatorsCompared: number;
  caps: number;
  prices: number;
  mismatches: string[];
}

/** Compares replicated virtual stakes, max caps and prices with the consumer chains' answers at `height` (default: tip). */
export function checkConsumers(devnet: Devnet, indexed: Map<string, Indexed>, height?: (c: Chain) => bigint): ConsumerCheck {
  const r: ConsumerCheck = { stakes: 0, validatorsCompared: 0, caps: 0, prices: 0, mismatches: [] };
  for (const p of devnet.pairings.values()) {
    const c = p.consumer;
    const ix = indexed.get(c.id)!;
    const h = height?.(c) ?? c.height;
    c.queryAt(h, () => {
      const all = c.query(p.virtualStaking, { get_all_stake: {} }) as { stakes: Array<[string, string]> };
      const mine = vsState(ix.replica, p.virtualStaking).bonded.map(([v, a]) => [v, a.toString()]);
      r.stakes++;
      r.validatorsCompared += all.stakes.length;
      if (JSON.stringify(all.stakes) !== JSON.stringify(mine)) r.mismatches.push(`${c.id} ${p.virtualStaking} get_all_stake ${JSON.stringify(all.stakes)} ≠ replica ${JSON.stringify(mine)}`);
      const cap = maxCapLimit(c, p.virtualStaking).cap.amount;
      r.caps++;
      const rc = replicatedMaxCap(ix.replica, p.virtualStaking) ?? 0n;
      if (cap !== rc.toString()) r.mismatches.push(`${c.id} max cap ${cap} ≠ replica ${rc}`);
      const price = (c.query(p.priceFeed, { price: {} }) as { native_per_foreign: string }).native_per_foreign;
      r.prices++;
      const rp = replicatedPrice(ix.replica, p.priceFeed);
      if (price !== rp) r.mismatches.push(`${c.id} price ${price} ≠ replica ${rp}`);
    });
  }
  return r;
}
