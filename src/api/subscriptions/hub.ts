// Fans the indexer's commits out to subscribers. Commits are handled one at a time in arrival order;
// for each, only the topics that have subscribers are queried, once per commit whatever the number of
// subscribers (account changes: one query set for all subscribed addresses), and every subscriber
// gets the rows its filter selects. After the LISTEN connection comes back, the heights committed
// meanwhile are read from `chains` and handled as one commit per chain, so nothing is missed; a
// height is never delivered twice, and heights whose delivery failed go with the chain's next commit
// (clipCommit).
import type pg from 'pg';
import { clipCommit, type Commit } from './commit.ts';
import { PushQueue } from './push-queue.ts';
import {
  type AccountChangedPayload,
  accountChangesIn,
  type PacketUpdatedPayload,
  packetsIn,
  type SlashAddedPayload,
  slashesIn,
} from './rows.ts';

export type Subscription =
  | { topic: 'slash'; chainId: string | null; queue: PushQueue<SlashAddedPayload> }
  | { topic: 'packet'; pairingId: string | null; queue: PushQueue<PacketUpdatedPayload> }
  | { topic: 'account'; address: string; queue: PushQueue<AccountChangedPayload> };

export interface CommitHubOptions {
  /** Events a subscriber may fall behind before it is ended. */
  queueLimit?: number;
  log(line: string): void;
  /** Told the number of live subscriptions whenever it changes. */
  onCount?(n: number): void;
}

export class CommitHub {
  private readonly subs = new Set<Subscription>();
  /** Highest height handled per chain. */
  private readonly lastSeen = new Map<string, number>();
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Pick<pg.Pool, 'query'>,
    private readonly opts: CommitHubOptions,
  ) {}

  get size(): number {
    return this.subs.size;
  }

  /** Learns where each chain is, so the first catch-up does not replay history. */
  async init(): Promise<void> {
    try {
      const { rows } = await this.db.query<{ chain_id: string; indexed_height: number }>('SELECT chain_id, indexed_height FROM chains');
      for (const r of rows) if (!this.lastSeen.has(r.chain_id)) this.lastSeen.set(r.chain_id, r.indexed_height);
    } catch (err) {
      this.opts.log(`subscriptions: could not read chains: ${(err as Error).message}`);
    }
  }

  /** Queues a commit for delivery (called by the LISTEN connection). */
  publish(commit: Commit): void {
    this.enqueue(async () => this.deliver(commit));
  }

  /** After a reconnect: handles whatever was committed while no notification could arrive. */
  catchUp(): void {
    this.enqueue(async () => {
      const { rows } = await this.db.query<{ chain_id: string; indexed_height: number; indexed_time: Date | null }>(
        'SELECT chain_id, indexed_height, indexed_time FROM chains ORDER BY chain_id',
      );
      for (const r of rows) {
        const last = this.lastSeen.get(r.chain_id);
        if (last !== undefined && r.indexed_height <= last) continue;
        await this.deliver({ chainId: r.chain_id, fromHeight: (last ?? 0) + 1, toHeight: r.indexed_height, time: r.indexed_time?.toISOString() ?? null });
      }
    });
  }

  subscribeSlashes(chainId: string | null): PushQueue<SlashAddedPayload> {
    return this.add<SlashAddedPayload>((queue) => ({ topic: 'slash', chainId, queue }));
  }

  subscribePackets(pairingId: string | null): PushQueue<PacketUpdatedPayload> {
    return this.add<PacketUpdatedPayload>((queue) => ({ topic: 'packet', pairingId, queue }));
  }

  subscribeAccount(address: string): PushQueue<AccountChangedPayload> {
    return this.add<AccountChangedPayload>((queue) => ({ topic: 'account', address, queue }));
  }

  /** Ends every subscription. */
  stop(): void {
    this.stopped = true;
    for (const s of [...this.subs]) void s.queue.return();
  }

  private add<T>(make: (queue: PushQueue<T>) => Subscription): PushQueue<T> {
    let sub!: Subscription;
    const queue = new PushQueue<T>(this.opts.queueLimit ?? 1000, (reason) => {
      this.subs.delete(sub);
      this.opts.onCount?.(this.subs.size);
      if (reason === 'overflow') this.opts.log(`subscriptions: ended a ${sub.topic} subscriber that fell ${this.opts.queueLimit ?? 1000} events behind`);
    });
    sub = make(queue);
    if (this.stopped) void queue.return();
    else {
      this.subs.add(sub);
      this.opts.onCount?.(this.subs.size);
    }
    return queue;
  }

  private enqueue(task: () => Promise<void>): void {
    this.tail = this.tail.then(task).catch((err) => this.opts.log(`subscriptions: a commit could not be delivered: ${(err as Error).message}`));
  }

  /** Waits until every queued commit has been handled (tests, shutdown). */
  drain(): Promise<void> {
    return this.tail;
  }

  private async deliver(raw: Commit): Promise<void> {
    const commit = clipCommit(raw, this.lastSeen.get(raw.chainId));
    if (!commit) return;
    const subs = [...this.subs];
    const slashSubs = subs.filter((s) => s.topic === 'slash');
    const packetSubs = subs.filter((s) => s.topic === 'packet');
    const accountSubs = subs.filter((s) => s.topic === 'account');
    const [slashes, packets, accounts] = await Promise.all([
      slashSubs.length ? slashesIn(this.db, commit) : [],
      packetSubs.length ? packetsIn(this.db, commit) : [],
      accountSubs.length ? accountChangesIn(this.db, commit, [...new Set(accountSubs.map((s) => s.address))]) : [],
    ]);
    // only now: when a query fails, the next commit of the chain covers these heights too
    this.lastSeen.set(commit.chainId, commit.toHeight);
    for (const s of slashSubs) for (const e of slashes) if (s.chainId === null || s.chainId === e.chainId) s.queue.push(e);
    for (const s of packetSubs) for (const e of packets) if (s.pairingId === null || s.pairingId === e.pairingId) s.queue.push(e);
    const byAddress = new Map(accounts.map((a) => [a.address, a]));
    for (const s of accountSubs) {
      const e = byAddress.get(s.address);
      if (e) s.queue.push(e);
    }
  }
}
