// Where a BlockStore gets its blocks: a live Chain (blocks as they are produced, validator sets and
// state for abci_query at any height) or blocks recorded by workload/block-file.ts (no state).
import type { BlockResult, Chain } from '../chain/chain.ts';
import { type ValidatorPower, chainValidators, readAt } from './validators.ts';

export interface BlockSource {
  chainId: string;
  blockTimeNs: bigint;
  /** Grows as the chain produces blocks; heights 1, 2, 3, … */
  blocks: readonly BlockResult[];
  genesisTime: bigint;
  /** SDK line of the event format: 0.47 pairs with CometBFT 0.37, 0.50 with 0.38 (cosmos-wire §0). */
  sdkVersion: '0.47' | '0.50';
  /** The bonded set after block `height` (0 = genesis). */
  validators(height: bigint): ValidatorPower[];
  /** The live chain, for abci_query; absent when serving recorded blocks. */
  chain?: Chain;
}

export function chainSource(chain: Chain): BlockSource {
  const first = chain.blocks[0];
  return {
    chainId: chain.id,
    blockTimeNs: chain.params.blockTimeNs,
    blocks: chain.blocks,
    // Before the first block the chain's clock is still at genesis.
    genesisTime: first ? first.time - chain.params.blockTimeNs : chain.time,
    sdkVersion: chain.params.sdkVersion ?? '0.50',
    validators: (h) => readAt(chain, h, () => chainValidators(chain)),
    chain,
  };
}

export interface RecordedChain {
  header: { chainId: string; blockTimeNs: string | bigint };
  blocks: BlockResult[];
}

/**
 * Recorded blocks (workload/block-file.ts `loadBlockFile`). The files hold no validator set, so one
 * stand-in validator signs unless `validators` is given.
 */
export function recordedSource(rec: RecordedChain, opts: { sdkVersion?: '0.47' | '0.50'; validators?: ValidatorPower[] } = {}): BlockSource {
  const blockTimeNs = BigInt(rec.header.blockTimeNs);
  const first = rec.blocks[0];
  const vals = opts.validators ?? [{ operator: `${rec.header.chainId}-validator-0`, power: 100n }];
  return {
    chainId: rec.header.chainId,
    blockTimeNs,
    blocks: rec.blocks,
    genesisTime: first ? first.time - blockTimeNs : 0n,
    sdkVersion: opts.sdkVersion ?? detectSdk(rec.blocks),
    validators: () => vals,
  };
}

/** SDK 0.50 appends `msg_index` to message events (cosmos-wire §3.1); the first successful tx tells. */
function detectSdk(blocks: readonly BlockResult[]): '0.47' | '0.50' {
  for (const b of blocks) {
    for (const r of b.txResults) {
      const msg = r.code === 0 ? r.events.find((e) => e.type === 'message' && e.attributes.some((a) => a.key === 'action')) : undefined;
      if (msg) return msg.attributes.some((a) => a.key === 'msg_index') ? '0.50' : '0.47';
    }
  }
  return '0.50';
}
