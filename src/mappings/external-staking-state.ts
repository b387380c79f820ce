// The replica of one external-staking contract (spec §1.4): config, stakes, reward distributions,
// the validator CRDT, pending txs, tx counter, channel and the packets it sent (for acks). Every key
// starts with the contract address, so several external-staking contracts share one chain replica.
// Values are immutable (a new object per change), bigints throughout.
import type { ValidatorHistory } from '../protocol/crdt.ts';
import { DEFAULT_STAKE, type Distribution, EMPTY_DISTRIBUTION, type Stake } from '../protocol/rewards.ts';
import type { Replica } from './replica.ts';

/** What the state needs of a replica: the Replica itself, or a StagedReplica over it. */
export interface ReplicaLike {
  get<T>(ns: string, key: string): T | undefined;
  set<T>(ns: string, key: string, value: T): void;
  delete(ns: string, key: string): void;
  entries<T>(ns: string, prefix?: string): Array<[string, T]>;
}

const DELETED = Symbol('deleted');

/**
 * Changes held back until commit(): a handler computes everything on the stage, and only a
 * computation that went through reaches the replica (a failing one leaves it untouched).
 */
export class StagedReplica implements ReplicaLike {
  private readonly overlay = new Map<string, Map<string, unknown>>();

  constructor(private readonly base: Replica) {}

  get<T>(ns: string, key: string): T | undefined {
    const o = this.overlay.get(ns);
    if (o?.has(key)) {
      const v = o.get(key);
      return v === DELETED ? undefined : (v as T);
    }
    return this.base.get<T>(ns, key);
  }

  set<T>(ns: string, key: string, value: T): void {
    let o = this.overlay.get(ns);
    if (!o) this.overlay.set(ns, (o = new Map()));
    o.set(key, value);
  }

  delete(ns: string, key: string): void {
    this.set(ns, key, DELETED);
  }

  entries<T>(ns: string, prefix = ''): Array<[string, T]> {
    const o = this.overlay.get(ns);
    if (!o || o.size === 0) return this.base.entries<T>(ns, prefix); // nothing staged: already in order
    const m = new Map<string, unknown>(this.base.entries<unknown>(ns, prefix));
    for (const [k2, v] of o) {
      if (!k2.startsWith(prefix)) continue;
      if (v === DELETED) m.delete(k2);
      else m.set(k2, v);
    }
    return ([...m] as Array<[string, T]>).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  commit(): void {
    for (const [ns, o] of this.overlay) for (const [key, v] of o) v === DELETED ? this.base.delete(ns, key) : this.base.set(ns, key, v);
    this.overlay.clear();
  }
}

/** Namespaces. `external_staking:config` is read by the vault mapping (slash_ratio.double_sign). */
export const NS = {
  config: 'external_staking:config',
  stake: 'external_staking:stake',
  dist: 'external_staking:dist',
  valset: 'external_staking:valset',
  tx: 'external_staking:tx',
  txCount: 'external_staking:tx_count',
  channel: 'external_staking:channel',
  packet: 'external_staking:packet',
  /** Unbonding row metadata, parallel to each stake's pending_unbonds. */
  unbonds: 'external_staking:unbonds',
  /** Per-user cross slashes of one valset_update, for the vault mapping: key `<externalStaking>/<validator>`. */
  pendingCrossSlash: 'pending:cross_slash',
  /** The Slash row id that goes with `pending:cross_slash` (same key). */
  pendingCrossSlashId: 'pending:cross_slash_id',
} as const;

export interface ExternalStakingConfig {
  denom: string;
  /** Undefined when the config was recovered by smart queries (no query answers it). */
  rewardsDenom?: string;
  vault: string;
  /** Seconds. */
  unbondingPeriod: bigint;
  /** Decimal strings as in the instantiate message. */
  slashRatio: { doubleSign: string; offline: string };
  source: 'instantiate' | 'query';
}

export type PendingTxKind = 'in_flight_remote_staking' | 'in_flight_remote_unstaking' | 'in_flight_transfer_funds';

export interface PendingTxRecord {
  kind: PendingTxKind;
  id: bigint;
  amount: bigint;
  user: string;
  validator: string;
  createdHeight: number;
  /** ms since epoch (Date is not kept in the replica). */
  createdTimeMs: number;
  createdTxHash: string | null;
}

export interface UnbondMeta {
  /** Unbonding row id. */
  id: string;
  kind: 'cross' | 'internal' | 'channel_close';
  height: number;
  timeMs: number;
  txHash: string | null;
}

export interface SentPacket {
  /** Packet JSON text as sent. */
  data: string;
  height: number;
}

export interface CrossSlashEntry {
  user: string;
  slash: bigint;
}

const k = (...parts: Array<string | bigint>): string => parts.join('/');

/** Typed access to one contract's part of the chain replica. */
export class ExternalStakingState {
  constructor(
    readonly r: ReplicaLike,
    readonly address: string,
  ) {}

  config(): ExternalStakingConfig | undefined {
    return this.r.get<ExternalStakingConfig>(NS.config, this.address);
  }
  setConfig(c: ExternalStakingConfig): void {
    this.r.set(NS.config, this.address, c);
  }

  stake(user: string, validator: string): Stake {
    return this.r.get<Stake>(NS.stake, k(this.address, user, validator)) ?? DEFAULT_STAKE;
  }
  hasStake(user: string, validator: string): boolean {
    return this.r.get<Stake>(NS.stake, k(this.address, user, validator)) !== undefined;
  }
  setStake(user: string, validator: string, s: Stake): void {
    this.r.set(NS.stake, k(this.address, user, validator), s);
  }
  /** The user's stakes ascending by validator (the contract's prefix range). */
  userStakes(user: string): Array<[string, Stake]> {
    const prefix = k(this.address, user, '');
    return this.r.entries<Stake>(NS.stake, prefix).map(([key, s]) => [key.slice(prefix.length), s]);
  }
  /** Every stake: [user, validator, stake], in key order. */
  allStakes(): Array<[string, string, Stake]> {
    const prefix = k(this.address, '');
    return this.r.entries<Stake>(NS.stake, prefix).map(([key, s]) => {
      const [user, validator] = key.slice(prefix.length).split('/') as [string, string];
      return [user, validator, s];
    });
  }
  /** Stakers of a validator in the contract's index order (length-prefixed user first). */
  validatorStakes(validator: string): Array<{ user: string; stake: Stake }> {
    return this.allStakes()
      .filter(([, v]) => v === validator)
      .map(([user, , stake]) => ({ user, stake }))
      .sort((a, b) => a.user.length - b.user.length || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  dist(validator: string): Distribution {
    return this.r.get<Distribution>(NS.dist, k(this.address, validator)) ?? EMPTY_DISTRIBUTION;
  }
  setDist(validator: string, d: Distribution): void {
    this.r.set(NS.dist, k(this.address, validator), d);
  }

  valset(validator: string): ValidatorHistory | undefined {
    return this.r.get<ValidatorHistory>(NS.valset, k(this.address, validator));
  }
  setValset(validator: string, h: ValidatorHistory): void {
    this.r.set(NS.valset, k(this.address, validator), h);
  }
  allValsets(): Array<[string, ValidatorHistory]> {
    const prefix = k(this.address, '');
    return this.r.entries<ValidatorHistory>(NS.valset, prefix).map(([key, h]) => [key.slice(prefix.length), h]);
  }

  tx(id: bigint): PendingTxRecord | undefined {
    return this.r.get<PendingTxRecord>(NS.tx, k(this.address, id));
  }
  setTx(t: PendingTxRecord): void {
    this.r.set(NS.tx, k(this.address, t.id), t);
  }
  deleteTx(id: bigint): void {
    this.r.delete(NS.tx, k(this.address, id));
  }
  allTxs(): PendingTxRecord[] {
    return this.r.entries<PendingTxRecord>(NS.tx, k(this.address, '')).map(([, t]) => t);
  }

  txCount(): bigint | undefined {
    return this.r.get<bigint>(NS.txCount, this.address);
  }
  setTxCount(id: bigint): void {
    this.r.set(NS.txCount, this.address, id);
  }

  channel(): { portId: string; channelId: string } | undefined {
    return this.r.get(NS.channel, this.address);
  }
  setChannel(c: { portId: string; channelId: string }): void {
    this.r.set(NS.channel, this.address, c);
  }

  packet(channel: string, sequence: string): SentPacket | undefined {
    return this.r.get<SentPacket>(NS.packet, k(this.address, channel, sequence));
  }
  setPacket(channel: string, sequence: string, p: SentPacket): void {
    this.r.set(NS.packet, k(this.address, channel, sequence), p);
  }
  deletePacket(channel: string, sequence: string): void {
    this.r.delete(NS.packet, k(this.address, channel, sequence));
  }

  unbonds(user: string, validator: string): readonly UnbondMeta[] {
    return this.r.get<UnbondMeta[]>(NS.unbonds, k(this.address, user, validator)) ?? [];
  }
  setUnbonds(user: string, validator: string, u: readonly UnbondMeta[]): void {
    if (u.length === 0) this.r.delete(NS.unbonds, k(this.address, user, validator));
    else this.r.set(NS.unbonds, k(this.address, user, validator), u);
  }

  setPendingCrossSlash(validator: string, slashes: CrossSlashEntry[], slashId: string): void {
    this.r.set(NS.pendingCrossSlash, k(this.address, validator), slashes);
    this.r.set(NS.pendingCrossSlashId, k(this.address, validator), slashId);
  }
}
