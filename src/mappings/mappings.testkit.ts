// Test helpers for mappings: index a devnet chain without a database or RPC — every block the chain
// produced is rendered as a node serves it, decoded, and routed into a replica and a write buffer —
// then compare the replica with the chain's own smart queries.
import type { Chain } from '../devnet/chain/chain.ts';
import { BlockStore } from '../devnet/node/block-store.ts';
import { decodeBlock } from '../indexer/decode/block.ts';
import { rawBlockOf } from '../indexer/decode/decode.testkit.ts';
import { Contracts } from '../indexer/contracts.ts';
import { Router, mapBlock } from '../indexer/route.ts';
import { WriteBuffer } from '../indexer/store/buffer.ts';
import type { ContractKind } from '../indexer/types.ts';
import type { Mapping } from './context.ts';
import { MERGE_RULES } from './merge-rules.ts';
import { Replica } from './replica.ts';

/** Code ids as the devnet stores them (src/devnet/deploy.ts), by cw2 name. */
const KIND_OF_NAME: Record<string, ContractKind> = {
  'mesh-vault': 'vault',
  'mesh-native-staking': 'native_staking',
  'mesh-native-staking-proxy': 'native_staking_proxy',
  'mesh-external-staking': 'external_staking',
  'mesh-converter': 'converter',
  'mesh-virtual-staking': 'virtual_staking',
  'mesh-simple-price-feed': 'price_feed',
};

export function devnetCodeKinds(chain: Chain): Map<number, ContractKind> {
  const m = new Map<number, ContractKind>();
  for (const [name, kind] of Object.entries(KIND_OF_NAME)) {
    const id = chain.wasm.codeIdOf(name);
    if (id !== undefined) m.set(id, kind);
  }
  return m;
}

export interface Indexed {
  replica: Replica;
  contracts: Contracts;
  out: WriteBuffer;
  /** Index further blocks the chain produced since the last call. */
  catchUp(): Promise<void>;
}

/** Indexes every block of `chain` produced so far (and later ones with `catchUp`). */
export async function indexChain(chain: Chain, mappings: readonly Mapping[]): Promise<Indexed> {
  const replica = new Replica(chain.id);
  const contracts = new Contracts(replica, devnetCodeKinds(chain));
  const out = new WriteBuffer({ merge: MERGE_RULES });
  const router = new Router(mappings);
  const store = new BlockStore(chain);
  let next = 1n;
  const query = async (contract: string, msg: unknown, height: number) => chain.queryAt(BigInt(height), () => chain.query(contract, msg));
  const catchUp = async () => {
    store.sync();
    for (; next <= chain.height; next++) {
      const rendered = store.at(next);
      if (!rendered) throw new Error(`block ${next} of ${chain.id} is not available`);
      await mapBlock(decodeBlock(rawBlockOf(rendered), { chainId: chain.id }), router, { replica, contracts, out, mappings, query });
    }
  };
  await catchUp();
  return { replica, contracts, out, catchUp };
}
