// One chain's indexing loop: connect (failover, version check), migrate, load the cursor and the
// replica, then fetch → decode → map → flush. A batch (entity rows + replica changes + cursor) is
// written in ONE transaction, so a crash anywhere resumes from the cursor with nothing lost or twice.
//
// The stages overlap, with bounded memory: `window` heights are fetched ahead while blocks are
// decoded and mapped into the open batch, and one closed batch is written while the next one fills
// (the next commit waits for it). Everything runs on one thread, so the loop gives the event loop a
// turn after every block: the writer's round trips and the fetcher's requests go on while mapping.
import pg from 'pg';
import { QuerySmartContractStateRequest, QuerySmartContractStateResponse } from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { migrate } from '../db/migrate.ts';
import { ALL_MAPPINGS, MERGE_RULES } from '../mappings/index.ts';
import { Replica } from '../mappings/replica.ts';
import type { ChainProject } from './config/project.ts';
import { Contracts } from './contracts.ts';
import { decodeBlock } from './decode/block.ts';
import { fetchBlocks, followHead } from './fetch/fetcher.ts';
import { Router, mapBlock } from './route.ts';
import { type ChainClient, type RawBlock, connectChain } from './rpc/client.ts';
import { RetriesExhaustedError, RpcError } from './rpc/errors.ts';
import type { TransportOptions } from './rpc/transport.ts';
import { WriteBuffer } from './store/buffer.ts';
import { type Cursor, flush, loadCursor, registerChain } from './store/writer.ts';

export interface ChainStats {
  chainId: string;
  /** Last height committed to the DB. */
  height: number;
  /** Last height mapped (committed or in the open batch). */
  mapped: number;
  /** Chain tip as last seen. */
  tip: number;
  blocks: number;
  events: number;
  deadLetters: number;
  flushes: number;
  lastFlushMs: number;
  /** Wall time of the last committed block's arrival minus its block time, ms (head lag). */
  lagMs: number;
  phase: 'starting' | 'syncing' | 'following' | 'stopped';
}

export interface ChainIndexerOptions extends TransportOptions {
  chain: ChainProject;
  db: pg.Pool;
  /** Flush after this many blocks… (default 500) */
  batchBlocks?: number;
  /** …or this many ms since the batch's first block (default 250); at the tip every block. */
  batchMs?: number;
  /** Heights fetched ahead while catching up (default 16). */
  window?: number;
  /** Stop after this height ('tip': the tip seen at start); default: follow the head forever. */
  until?: number | 'tip';
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Called after every flush (progress, metrics). */
  onFlush?: (s: Readonly<ChainStats>, flushMs: number) => void;
  /** Called when the tip moves. */
  onTip?: (s: Readonly<ChainStats>) => void;
}

const SMART = '/cosmwasm.wasm.v1.Query/SmartContractState';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** One turn of the event loop (I/O callbacks run), unlike an await on a settled promise. */
const turn = () => new Promise<void>((r) => setImmediate(r));
const PAUSE_MS = 1;

/** A failed smart query answered by the chain (code ≠ 0): data, not an outage. */
export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
}

/**
 * CosmWasm smart query at a height via raw abci_query (cosmjs' queryContractSmart takes no height).
 * Transport failures are retried by the pool; outages beyond that are waited out when `patient`.
 */
export async function smartQuery(client: ChainClient, contract: string, msg: unknown, height: number, patient = false): Promise<unknown> {
  const data = QuerySmartContractStateRequest.encode({ address: contract, queryData: new TextEncoder().encode(JSON.stringify(msg)) }).finish();
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await client.comet.abciQuery({ path: SMART, data, height });
      if (r.code !== 0) throw new QueryFailedError(`smart query ${contract} ${JSON.stringify(msg)} at ${height}: code ${r.code} ${r.log ?? ''}`);
      return JSON.parse(Buffer.from(QuerySmartContractStateResponse.decode(r.value).data).toString('utf8'));
    } catch (e) {
      if (!patient || !(e instanceof RetriesExhaustedError || (e instanceof RpcError && e.retryable))) throw e;
      await sleep(Math.min(30_000, 200 * 2 ** attempt));
    }
  }
}

const countEvents = (raw: RawBlock): number => {
  let n = raw.beginEvents.length + raw.endEvents.length;
  for (const t of raw.txResults) n += t.events.length;
  return n;
};

export class ChainIndexer {
  readonly stats: ChainStats;
  private client?: ChainClient;
  private readonly replica: Replica;
  private readonly contracts: Contracts;
  private readonly router = new Router(ALL_MAPPINGS);
  private buffer = new WriteBuffer({ merge: MERGE_RULES });
  private flushing: Promise<void> = Promise.resolve();
  /** A batch is being written. */
  private writing = false;
  private readonly log: (line: string) => void;
  /** Block time of the tip (`stats.tip`), when known. */
  private tipTimeNs: bigint | undefined;

  constructor(private readonly opts: ChainIndexerOptions) {
    const id = opts.chain.id;
    this.stats = { chainId: id, height: 0, mapped: 0, tip: 0, blocks: 0, events: 0, deadLetters: 0, flushes: 0, lastFlushMs: 0, lagMs: 0, phase: 'starting' };
    this.replica = new Replica(id);
    this.contracts = new Contracts(this.replica, opts.chain.codeIds);
    this.log = opts.log ?? (() => {});
  }

  /** Runs until `until` is reached or the signal aborts; throws on config/connection/DB problems. */
  async run(): Promise<ChainStats> {
    const { chain, db, signal } = this.opts;
    const client = (this.client = await connectChain({ ...this.opts, chainId: chain.id, endpoints: chain.rpc, log: this.opts.log }));
    // One indexer per chain. The lock also makes a restart after a crash wait until the dead
    // process's last transaction has committed or aborted, before the cursor is read.
    const lock = await db.connect();
    lock.on('error', () => {});
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`mesh-indexer:${chain.id}`]);
      await migrate(db);
      await registerChain(db, { chainId: chain.id, bech32Prefix: chain.bech32Prefix, cometVersion: client.nodeVersion });
      const cursor = await loadCursor(db, chain.id);
      const { rows } = await db.query('SELECT namespace, key, value FROM replica_state WHERE chain_id = $1', [chain.id]);
      this.replica.load(rows);
      for (const c of chain.contracts) this.contracts.add(c);
      const from = Math.max(cursor?.height ?? 0, chain.startHeight - 1) + 1;
      this.stats.height = this.stats.mapped = from - 1;
      const status = await client.status(signal);
      this.stats.tip = status.latestHeight;
      this.tipTimeNs = status.latestTimeNs;
      this.opts.onTip?.(this.stats);
      const until = this.opts.until === 'tip' ? this.stats.tip : this.opts.until;
      this.log(`${chain.id}: CometBFT ${client.nodeVersion}, resuming at ${from} (tip ${this.stats.tip}${until !== undefined ? `, until ${until}` : ''})`);
      const unsubscribe = client.subscribeNewBlocks((h, timeNs) => this.seeTip(h, timeNs));
      try {
        if (until === undefined || until >= from) await this.loop(client, from, until);
      } finally {
        unsubscribe();
      }
      await this.flushing;
      return this.stats;
    } finally {
      this.stats.phase = 'stopped';
      client.close();
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`mesh-indexer:${chain.id}`]).catch(() => {});
      lock.release();
    }
  }

  /** A height the chain has reached (status, new-block push, a fetched block), with its time when known. */
  private seeTip(height: number, timeNs: bigint | undefined): void {
    if (height > this.stats.tip) {
      this.stats.tip = height;
      this.tipTimeNs = timeNs;
      this.opts.onTip?.(this.stats);
    } else if (height === this.stats.tip && this.tipTimeNs === undefined) {
      this.tipTimeNs = timeNs;
    }
  }

  private async loop(client: ChainClient, from: number, until: number | undefined): Promise<void> {
    const { signal } = this.opts;
    const batchBlocks = this.opts.batchBlocks ?? 500;
    const batchMs = this.opts.batchMs ?? 250;
    const window = this.opts.window ?? 16;
    const blocks: AsyncIterator<RawBlock> =
      until === undefined ? followHead(client, { from, signal, window, onError: (e) => this.log(`${this.opts.chain.id}: ${e.message}`) }) : fetchBlocks(client, { from, to: until, window, signal });
    const query = (contract: string, msg: unknown, height: number) => smartQuery(client, contract, msg, height, true);
    // While a batch is being written, the writer's next statement waits for this thread: give the
    // event loop a turn at least every PAUSE_MS, also in the middle of a block.
    let lastTurn = performance.now();
    const pause = () => {
      if (!this.writing || performance.now() - lastTurn < PAUSE_MS) return undefined;
      lastTurn = performance.now();
      return turn();
    };
    const targets = { replica: this.replica, contracts: this.contracts, out: this.buffer, mappings: ALL_MAPPINGS, query, pause };
    let inBatch = 0;
    let batchStart = 0;
    let batchFrom = 0;
    /** Resolves when the open batch is due by time (made once per batch). */
    let due: Promise<typeof TICK> | undefined;
    let last: RawBlock | undefined;
    const TICK: unique symbol = Symbol('tick');
    const close = async (raw: RawBlock) => {
      await this.commit(raw, batchFrom, targets);
      inBatch = 0;
      due = undefined;
    };
    this.stats.phase = 'syncing';
    let next = blocks.next();
    try {
      for (;;) {
        // An open batch is flushed on time even when no block comes (slow chain, outage).
        const r: IteratorResult<RawBlock> | typeof TICK = due ? await Promise.race([next, due]) : await next;
        if (r === TICK) {
          await close(last!);
          continue;
        }
        if (r.done) break;
        next = blocks.next();
        const raw = r.value;
        const block = decodeBlock(raw, { chainId: this.opts.chain.id });
        targets.out = this.buffer;
        try {
          await mapBlock(block, this.router, targets);
        } catch (e) {
          // A mapping bug or data no mapping expected: record it, keep indexing.
          this.buffer.deadLetter({ chainId: block.chainId, height: block.height, kind: 'block', reason: `mapping failed: ${(e as Error).message}`, createdAt: block.time });
        }
        this.stats.mapped = raw.height;
        this.stats.blocks++;
        this.stats.events += countEvents(raw);
        if (inBatch++ === 0) {
          batchStart = performance.now();
          batchFrom = raw.height;
          due = sleep(batchMs).then((): typeof TICK => TICK);
        }
        last = raw;
        this.seeTip(raw.height, raw.timeNs);
        const atTip = raw.height >= this.stats.tip;
        if (atTip && until === undefined) this.stats.phase = 'following';
        if (inBatch >= batchBlocks || atTip || performance.now() - batchStart >= batchMs || signal?.aborted) await close(raw);
        if (signal?.aborted) break;
        // let the writer's and the fetcher's I/O go on (awaiting a fetched block is only a microtask)
        lastTurn = performance.now();
        await turn();
      }
    } catch (e) {
      if (!signal?.aborted) throw e;
    } finally {
      await blocks.return?.(undefined).catch(() => {});
    }
    if (inBatch > 0 && last) await this.commit(last, batchFrom, targets); // graceful stop: what is complete
  }

  /** Hands the batch to the writer (double-buffered: the next batch maps while this one writes). */
  private async commit(last: RawBlock, fromHeight: number, targets: { out: WriteBuffer }): Promise<void> {
    await this.flushing;
    const buf = this.buffer;
    for (const row of this.replica.takeChanges()) buf.upsert('ReplicaState', row);
    this.buffer = targets.out = new WriteBuffer({ merge: MERGE_RULES });
    const dead = buf.batches().find((b) => b.entity === 'DeadLetter')?.rows.size ?? 0;
    const time = new Date(Number(last.timeNs / 1_000_000n));
    const tipTime = this.tipTimeNs === undefined ? null : new Date(Number(this.tipTimeNs / 1_000_000n));
    const cursor: Cursor = { chainId: this.opts.chain.id, height: last.height, time, hash: last.hash, fromHeight, tip: { height: this.stats.tip, time: tipTime } };
    this.writing = true;
    this.flushing = this.write(buf, cursor).then((ms) => {
      this.writing = false;
      this.stats.height = cursor.height;
      this.stats.deadLetters += dead;
      this.stats.flushes++;
      this.stats.lastFlushMs = ms;
      this.stats.lagMs = Date.now() - time.getTime();
      this.opts.onFlush?.(this.stats, ms);
    });
    // surface a failed write on the next commit / at the end, not as an unhandled rejection
    this.flushing.catch(() => (this.writing = false));
  }

  /** DB hiccups (restart, failover) are retried a few times; the batch is intact until it commits. */
  private async write(buf: WriteBuffer, cursor: Cursor): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await flush(this.opts.db, buf, cursor)).ms;
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        // deadlocks: the writer retries 3 times; two chains' batches touching the same rows can take more
        const transient = /^(08|57P0|53|40P01|40001)/.test(code) || /ECONNRE|terminat|Connection/i.test((e as Error).message);
        if (!transient || attempt >= 8) throw e;
        this.log(`${cursor.chainId}: flush failed (${(e as Error).message}), retrying`);
        await sleep(Math.min(5_000, 50 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }
}
