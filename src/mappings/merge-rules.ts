// How rows that several events (or both chains) fill in are merged in the write buffer and the DB.
import type { Slash } from '../db/generated/entities.ts';
import { coalesceMerge } from '../indexer/store/buffer.ts';
import { ibcPacketMerge, pairingMerge } from './ibc.ts';

/**
 * A cross slash has a consumer half (the converter's report: where and when the validator was
 * slashed) and a provider half (the vault applying it). The consumer half's location wins; the
 * provider half adds the provider columns.
 */
export function slashMerge(stored: Slash, incoming: Slash): Slash {
  const merged = coalesceMerge(stored, incoming);
  const consumerHalf = stored.consumerAmount !== null ? stored : incoming.consumerAmount !== null ? incoming : undefined;
  if (!consumerHalf) return merged;
  return { ...merged, chainId: consumerHalf.chainId, height: consumerHalf.height, time: consumerHalf.time, txHash: consumerHalf.txHash };
}

export const MERGE_RULES = { IbcPacket: ibcPacketMerge, Pairing: pairingMerge, Slash: slashMerge };
