// Follows one chain (live or recorded) and keeps every block rendered once as CometBFT JSON (0.37 or
// 0.38 per store), with a tx index by hash, so the RPC server answers block/block_results/tx from
// serialized bytes. `sync()` renders blocks produced since the last call; the server calls it per
// request and on a short timer (the chain has no block callback).
import { type BlockResult, Chain } from '../chain/chain.ts';
import { type BlockSource, chainSource } from './block-source.ts';
import { type CometVersion, sha256 } from './comet-json.ts';
import { type Condition, heightRange, keySplits, matches } from './event-query.ts';
import { type BlockLink, type RenderedBlock, type RenderedTx, blockLink, renderBlock } from './render.ts';
import { type CometValidator, cometSet, sameSet } from './validators.ts';
import { utf8Bytes } from '../chain/utf8.ts';

export interface BlockStoreOptions {
  /** CometBFT JSON flavour (cosmos-wire §8); default from the source's SDK line (0.47 → 0.37, 0.50 → 0.38). */
  version?: CometVersion;
  /** `node_info.version`; cosmjs picks its client by its prefix (§1.4). */
  nodeVersion?: string;
  /** `abci_info.response.version` (the app's SDK version). */
  appVersion?: string;
  moniker?: string;
  /** Keep only the latest n rendered blocks (older heights answer "not available", like a pruned node). */
  retainBlocks?: number;
  /** Render each block as the chain commits it (live serving); otherwise blocks render on demand. */
  follow?: boolean;
}

export type BlockListener = (b: RenderedBlock) => void;

/** Where a store stands, kept in a devnet snapshot: enough to render the next block as it would have. */
export interface StoreResumePoint {
  link: BlockLink;
  /** Next sequence per signer. */
  sequences: Map<string, bigint>;
}

const TX_BUILTINS = new Set(['tx.height', 'tx.hash', 'tm.event']);

/** A UTF-16 surrogate without its other half: JSON escapes it (`\udXXX`) when it stands alone. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Bytes a tx's stored result must contain to meet the event conditions, so that a block or a tx
 * without them is passed over before its events are parsed: each event type and attribute key, and
 * each text value compared with `=` or `CONTAINS`, as JSON writes them inside a string. Numeric
 * comparisons give only their type and key; a value with a lone surrogate gives none.
 */
function textNeedles(conds: Condition[]): Buffer[] {
  const texts = new Set<string>();
  for (const c of conds) {
    if (TX_BUILTINS.has(c.key)) continue;
    const splits = keySplits(c.key);
    if (splits.length === 0) continue;
    // a key with more dots names more than one (type, attribute key) pair: no text of either is certain
    if (splits.length === 1) {
      texts.add(`"type":${JSON.stringify(splits[0]![0])}`);
      texts.add(`"key":${JSON.stringify(splits[0]![1])}`);
    }
    if (c.value && ((c.op === '=' && !c.numeric) || c.op === 'CONTAINS') && !LONE_SURROGATE.test(c.value)) texts.add(JSON.stringify(c.value).slice(1, -1));
  }
  return [...texts].map((t) => Buffer.from(t));
}

export class BlockStore {
  readonly version: CometVersion;
  readonly chainId: string;
  readonly genesisTime: bigint;
  readonly nodeVersion: string;
  readonly appVersion: string;
  readonly moniker: string;
  readonly genesisValset: CometValidator[];
  readonly genesisAppHash: Uint8Array;
  private readonly blocks: RenderedBlock[] = [];
  /** Height of blocks[0]. */
  private first = 1n;
  /** The last rendered block, kept across pruning; undefined after `resumeAfter` until the next one. */
  private tip: RenderedBlock | undefined;
  /** What the next header links to: the last rendered block, or the resume point's. */
  private link: BlockLink | undefined;
  private readonly retain: number;
  private readonly txIndex = new Map<string, RenderedTx>();
  private readonly blockIndex = new Map<string, RenderedBlock>();
  private readonly listeners = new Set<BlockListener>();
  private sequences = new Map<string, bigint>();
  private syncing = false;

  readonly source: BlockSource;

  constructor(source: BlockSource | Chain, opts: BlockStoreOptions = {}) {
    this.source = source instanceof Chain ? chainSource(source) : source;
    this.version = opts.version ?? (this.source.sdkVersion === '0.47' ? '0.37' : '0.38');
    this.chainId = this.source.chainId;
    this.genesisTime = this.source.genesisTime;
    this.nodeVersion = opts.nodeVersion ?? (this.version === '0.38' ? '0.38.12' : '0.37.4');
    this.appVersion = opts.appVersion ?? (this.version === '0.38' ? '0.50.9' : '0.47.5');
    this.moniker = opts.moniker ?? `${this.chainId}-node0`;
    this.genesisValset = cometSet(this.chainId, this.source.validators(0n));
    this.genesisAppHash = sha256(utf8Bytes(`devnet-genesis:${this.chainId}:${this.genesisTime}`));
    this.retain = opts.retainBlocks ?? Infinity;
    this.sync();
    if (opts.follow && source instanceof Chain) source.onBlock(() => this.sync());
  }

  /**
   * Renders blocks the chain produced since the last call; returns how many. A source that drops
   * old blocks (workload `retainBlocks`) must let the store sync first, or those heights are skipped.
   */
  sync(): number {
    const src = this.source.blocks;
    if (this.syncing || src.length === 0 || src[src.length - 1]!.height <= this.height) return 0;
    this.syncing = true;
    let n = 0;
    try {
      const srcFirst = src[0]!.height;
      if (srcFirst > this.height + 1n) {
        // Heights we never saw are gone from the source: continue after the gap, as a pruned node.
        this.prune(this.blocks.length);
        this.first = srcFirst;
      }
      for (let i = Math.max(0, Number(this.height + 1n - srcFirst)); i < src.length; i++) {
        this.add(src[i]!);
        n++;
      }
      if (this.blocks.length > this.retain + Math.max(64, this.retain / 8)) this.prune(this.blocks.length - this.retain);
    } finally {
      this.syncing = false;
    }
    return n;
  }

  private add(b: BlockResult): void {
    const prev = this.link;
    let valsetAfter = cometSet(this.chainId, this.source.validators(b.height));
    const before = prev?.valsetAfter ?? this.genesisValset;
    if (sameSet(before, valsetAfter)) valsetAfter = before;
    const r = renderBlock(b, { chainId: this.chainId, version: this.version, prev, genesisAppHash: this.genesisAppHash, genesisValset: this.genesisValset, valsetAfter, sequences: this.sequences });
    this.blocks.push(r);
    this.tip = r;
    this.link = r;
    this.blockIndex.set(r.hash, r);
    for (const t of r.txs) this.txIndex.set(t.hash, t);
    for (const l of this.listeners) {
      try {
        l(r);
      } catch {
        // a listener (websocket push) must not stop the store
      }
    }
  }

  private prune(count: number): void {
    for (const b of this.blocks.splice(0, count)) {
      this.blockIndex.delete(b.hash);
      for (const t of b.txs) this.txIndex.delete(t.hash);
    }
    this.first += BigInt(count);
  }

  /** Latest rendered height (0 before the first block). */
  get height(): bigint {
    return this.link?.height ?? 0n;
  }

  /** Where this store stands (a live chain between blocks), for a devnet snapshot. */
  resumePoint(): StoreResumePoint {
    if (!this.link) throw new Error(`${this.chainId}: no block rendered yet`);
    return { link: blockLink(this.link), sequences: new Map(this.sequences) };
  }

  /**
   * Forgets every block and goes on after the resume point's, as a node restored from a state sync:
   * heights up to it answer "not available" and the next block links to it.
   */
  resumeAfter(p: StoreResumePoint): void {
    this.prune(this.blocks.length);
    this.first = p.link.height + 1n;
    this.tip = undefined;
    this.link = p.link;
    this.sequences = new Map(p.sequences);
  }

  onBlock(l: BlockListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The live chain (abci_query), if any. */
  get chain(): Chain | undefined {
    return this.source.chain;
  }

  /** Lowest available height (CometBFT `base`); 0 when empty. */
  get base(): bigint {
    return this.blocks.length > 0 ? this.first : 0n;
  }

  at(height: bigint): RenderedBlock | undefined {
    return height >= this.first ? this.blocks[Number(height - this.first)] : undefined;
  }

  latest(): RenderedBlock | undefined {
    return this.tip;
  }

  byHash(hashHex: string): RenderedBlock | undefined {
    return this.blockIndex.get(hashHex.toUpperCase());
  }

  tx(hashHex: string): RenderedTx | undefined {
    return this.txIndex.get(hashHex.toUpperCase());
  }

  /** The signer set of block `height` (`validators` route). */
  valsetAt(height: bigint): CometValidator[] {
    return this.at(height)?.valset ?? this.genesisValset;
  }

  /** Txs matching a parsed query (cosmos-wire §1.10), ascending by height and index. */
  searchTxs(query: Condition[]): RenderedTx[] {
    const conds = query.map((c) => (c.key === 'tx.hash' && c.value ? { ...c, value: c.value.toUpperCase() } : c));
    const hashCond = conds.find((c) => c.key === 'tx.hash' && c.op === '=');
    if (hashCond) {
      const t = this.tx(hashCond.value ?? '');
      return t && this.txMatches(conds, t) ? [t] : [];
    }
    const out: RenderedTx[] = [];
    const needles = textNeedles(conds);
    for (const b of this.scan(conds, 'tx.height')) {
      // a tx's events are parsed from its stored result only if the block's results, then the tx's, hold every needle
      if (needles.some((n) => b.resultsBuf.indexOf(n) < 0)) continue;
      for (const t of b.txs) if (needles.every((n) => t.contains(n)) && this.txMatches(conds, t)) out.push(t);
    }
    return out;
  }

  searchBlocks(conds: Condition[]): RenderedBlock[] {
    return this.scan(conds, 'block.height').filter((b) => matches(conds, { 'block.height': b.height.toString(), 'tm.event': 'NewBlock' }, [...b.beginEvents, ...b.endEvents]));
  }

  txMatches(conds: Condition[], t: RenderedTx): boolean {
    return matches(conds, { 'tx.height': t.height.toString(), 'tx.hash': t.hash, 'tm.event': 'Tx' }, () => t.events);
  }

  private scan(conds: Condition[], key: string): RenderedBlock[] {
    const { min, max } = heightRange(conds, key);
    const lo = min !== undefined && min > this.first ? Number(min - this.first) : 0;
    const hi = max !== undefined && max < this.height ? Number(max - this.first) : this.blocks.length - 1;
    return lo > hi ? [] : this.blocks.slice(lo, hi + 1);
  }
}
