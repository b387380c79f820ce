// The seeded activity generator: for each block of each chain it chooses a realistic mix of user txs
// (bond, local and remote stakes, unstakes, withdrawals, unbonds, a few deliberately invalid ones) from
// per-user intent state and the chains' current state, plus the chain-level events of a live mesh:
// reward distribution, price changes, max cap to zero and back, validators jailed / unjailed /
// tombstoned on either side, packets the relayer leaves to time out, and one channel close in long runs.
// Every choice comes from the seeded Rng and deterministic state, so the same seed gives the same bytes.
import { type Distribution, EMPTY_DISTRIBUTION, type Stake, pendingReward } from '../../protocol/rewards.ts';
import type { Lien, UserInfo } from '../../protocol/vault.ts';
import type { Chain, Tx } from '../chain/chain.ts';
import { ADMIN, type Devnet, type PairingDeployment } from '../deploy.ts';
import { portOf } from '../ibc/ibc.ts';
import { epochDue } from '../modules/meshsecurity.ts';
import { type JMap, key } from '../state/journal.ts';
import type { PacketRef } from '../world.ts';
import type { RelayPolicy } from './relayer.ts';
import { Rng } from './rng.ts';
import {
  bondTx,
  closeConfirmTx,
  closeInitTx,
  proxyReleaseTx,
  proxyUnstakeTx,
  proxyWithdrawRewardsTx,
  sendTx,
  setMaxCapTx,
  setPriceTx,
  stakeLocalTx,
  stakeRemoteTx,
  unbondTx,
  unjailTx,
  unstakeTx,
  withdrawRewardsTx,
  withdrawUnbondedTx,
} from './txs.ts';

// ---- options ------------------------------------------------------------------------------

/** Relative weights of user actions (only applicable actions are drawn). */
export interface Weights {
  bond: number;
  unbond: number;
  stakeLocal: number;
  stakeRemote: number;
  unstake: number;
  withdrawUnbonded: number;
  withdrawRewards: number;
  unstakeLocal: number;
  releaseUnbonded: number;
  withdrawLocalRewards: number;
  /** Plain bank sends (not mesh txs). */
  send: number;
  /** Deliberately invalid mesh txs (unbond more than free, unstake more than staked, unknown validator…). */
  invalid: number;
}

export const DEFAULT_WEIGHTS: Weights = {
  bond: 14,
  unbond: 6,
  stakeLocal: 10,
  stakeRemote: 22,
  unstake: 10,
  withdrawUnbonded: 8,
  withdrawRewards: 8,
  unstakeLocal: 5,
  releaseUnbonded: 5,
  withdrawLocalRewards: 3,
  send: 3,
  invalid: 3,
};

export interface EventRates {
  /** Probability per block and chain that a validator is jailed for downtime. */
  jailPerBlock: number;
  /** One double-sign (tombstone) per chain in runs of at least `tombstoneMinBlocks`. */
  tombstone: boolean;
  tombstoneMinBlocks: number;
  /** Probability per block and pairing of a price change. */
  priceChangePerBlock: number;
  /** Max cap to zero and back: once per pairing, early in runs of at least `zeroMaxCapMinBlocks` (see `Generator.clean`). */
  zeroMaxCapMinBlocks: number;
  /**
   * Extra staking rewards minted and allocated every this many blocks on every chain (0 = none; the
   * topologies' chains already allocate a block reward in every BeginBlock).
   */
  rewardsEvery: number;
  /** Probability that the relayer leaves a provider `transfer_rewards` or `burn` packet (600 s timeout) to time out. */
  dropProviderPacket: number;
  /** Probability that it leaves a converter reward packet (3600 s timeout) to time out. */
  dropConverterPacket: number;
  /** Probability that the relayer skips a chain's block. */
  relayerPause: number;
  /**
   * One channel close (the last pairing) in runs of at least `closeChannelMinBlocks`, at
   * `closeChannelAt` of the run (a fraction), after that pairing's max cap episode. It happens in the
   * pairing's clean phase (see `Generator.clean`).
   */
  closeChannel: boolean;
  closeChannelMinBlocks: number;
  closeChannelAt: number;
  /** Non-zero max cap changes (after the clean phase), per block and pairing. */
  maxCapChangePerBlock: number;
}

export const DEFAULT_EVENTS: EventRates = {
  jailPerBlock: 1 / 700,
  tombstone: true,
  tombstoneMinBlocks: 1500,
  priceChangePerBlock: 1 / 120,
  zeroMaxCapMinBlocks: 400,
  rewardsEvery: 0,
  dropProviderPacket: 0.03,
  dropConverterPacket: 0.002,
  relayerPause: 0.05,
  closeChannel: true,
  closeChannelMinBlocks: 4000,
  closeChannelAt: 0.2,
  maxCapChangePerBlock: 1 / 1500,
};

export interface GeneratorOptions {
  /** Mean user txs per block per chain (default 20); each block draws from [½, 1½] of it. */
  txsPerBlock?: number;
  weights?: Partial<Weights>;
  events?: Partial<EventRates>;
  /**
   * Planned number of blocks per chain: one-off events (tombstone, planned max cap to zero, channel
   * close) are placed in it. Unset (live mode): no one-off events.
   */
  plannedBlocks?: number;
}

export type TxKind =
  | 'bond'
  | 'unbond'
  | 'stake_local'
  | 'stake_remote'
  | 'unstake'
  | 'withdraw_unbonded'
  | 'withdraw_rewards'
  | 'unstake_local'
  | 'release_unbonded'
  | 'withdraw_local_rewards'
  | 'send'
  | 'invalid_unbond'
  | 'invalid_unstake'
  | 'invalid_stake_remote'
  | 'invalid_stake_local'
  | 'unjail'
  | 'fund'
  | 'set_price'
  | 'set_max_cap'
  | 'close_init'
  | 'close_confirm';

/** Txs that are not sent to Mesh Security contracts or modules. */
const NON_MESH: ReadonlySet<TxKind> = new Set(['send', 'unjail', 'fund']);

export interface KindStats {
  sent: number;
  ok: number;
  failed: number;
}

export interface GeneratorStats {
  byKind: Record<string, KindStats>;
  meshTxs: number;
  userTxs: number;
  jails: number;
  tombstones: number;
  priceChanges: number;
  maxCapChanges: number;
  rewardMints: number;
  channelCloses: number;
  /** Planned events that were skipped, with the reason (state that would make them fail upstream). */
  skipped: string[];
  /** Receiving side: success and error acknowledgements written, by packet type. */
  acks: Record<string, { ok: number; error: number }>;
}

// ---- state ---------------------------------------------------------------------------------

interface UserSlot {
  readonly name: string;
  readonly addr: string;
  /** pairing name → consumer validators the user has cross-staked to. */
  readonly remote: Map<string, Set<string>>;
  /** provider validators the user has staked to locally. */
  readonly local: Set<string>;
  proxy?: string;
  /** Last round in which the user sent a tx (one tx per user per block). */
  lastRound: number;
}

interface PairingCtl {
  readonly d: PairingDeployment;
  readonly es: { stakes: JMap<Stake>; distribution: JMap<Distribution>; valSet: JMap<unknown> };
  readonly esPort: string;
  readonly convPort: string;
  readonly maxCap: bigint;
  /** Max cap to zero and back: idle → quieting → zero → recovering → idle (see `capEvents`). */
  cap: 'idle' | 'quieting' | 'zero' | 'recovering';
  /** quieting: consumer height whose epoch must have run before the cap goes to zero. */
  capEpochHeight: bigint;
  capRestoreAt: number;
  plannedZeroAt: number;
  /** Round after which the last zero-cap episode's internal_unstake packets have settled. */
  zeroDoneAt: number;
  priceMicro: bigint;
  readonly basePriceMicro: bigint;
  /** open → closing (CloseInit sent) → closed (CloseConfirm sent). */
  channel: 'open' | 'closing' | 'closed';
  closeAt: number;
  /** Preparing the close: users quiet; the consumer height whose epoch must have run first. */
  closePrep: boolean;
  closeEpochHeight: bigint;
  readonly vs: { bondRequests: JMap<bigint> };
}

interface ValidatorCtl {
  readonly name: string;
  readonly valoper: string;
  unjailAt: number;
}

interface ChainCtl {
  readonly chain: Chain;
  readonly users: UserSlot[];
  readonly validators: ValidatorCtl[];
  /** Present when the chain runs a vault. */
  readonly vault?: { address: string; nativeStaking: string; users: JMap<UserInfo>; liens: JMap<Lien>; proxyByOwner: JMap<string> };
  /** Pairings where this chain is the provider / the consumer. */
  readonly provides: PairingCtl[];
  readonly consumes: PairingCtl[];
  tombstoneAt: number;
  /** A jail or tombstone waiting for no stake packet to be in flight. */
  slashPlan?: { validator: ValidatorCtl; kind: 'jail' | 'tombstone' };
  /** Txs of the block being built: kind per index (after the relayer txs). */
  pendingKinds: TxKind[];
  relayerTxs: number;
}

const PRICE_SCALE = 1_000_000n;
/** Rounds after a slash during which cross stakes stay frozen: the valset_update and burn packets it causes are relayed. */
const FREEZE_AFTER_SLASH = 10;

const STAKE_PREFIXES = [Buffer.from('{"stake":'), Buffer.from('{"unstake":')];

/** A provider `stake` or `unstake` packet (ProviderPacket JSON starts with its variant name). */
const isStakingPacket = (r: PacketRef, pairings: readonly PairingCtl[]): boolean =>
  pairings.some((p) => p.esPort === r.packet.sourcePort) &&
  STAKE_PREFIXES.some((pre) => r.packet.data.length >= pre.length && Buffer.from(r.packet.data.buffer, r.packet.data.byteOffset, pre.length).equals(pre));

const priceString = (micro: bigint): string => `${micro / PRICE_SCALE}.${(micro % PRICE_SCALE).toString().padStart(6, '0')}`;

function micro(d: { toString(): string }): bigint {
  const [i, f = ''] = d.toString().split('.');
  return BigInt(i!) * PRICE_SCALE + BigInt((f + '000000').slice(0, 6));
}

// ---- generator -----------------------------------------------------------------------------

export class Generator {
  readonly weights: Weights;
  readonly events: EventRates;
  readonly txsPerBlock: number;
  readonly stats: GeneratorStats = {
    byKind: {},
    meshTxs: 0,
    userTxs: 0,
    jails: 0,
    tombstones: 0,
    priceChanges: 0,
    maxCapChanges: 0,
    rewardMints: 0,
    channelCloses: 0,
    skipped: [],
    acks: {},
  };
  private readonly chains = new Map<Chain, ChainCtl>();
  private readonly pairings: PairingCtl[] = [];
  private readonly planned: number;
  /** Final drain: no user activity, no new events, nothing dropped. */
  draining = false;
  /** Cross stakes are frozen up to this round (see `frozen`). */
  private freezeUntil = -1;
  round = 0;

  constructor(
    readonly devnet: Devnet,
    private readonly rng: Rng,
    opts: GeneratorOptions = {},
  ) {
    this.weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
    this.events = { ...DEFAULT_EVENTS, ...opts.events };
    this.txsPerBlock = opts.txsPerBlock ?? 20;
    this.planned = opts.plannedBlocks ?? Infinity;
    const world = devnet.world;
    const plan = rng.fork('plan');

    for (const p of devnet.pairings.values()) {
      const es = p.provider.wasm.contract(p.externalStaking).instance as unknown as PairingCtl['es'];
      const price = micro(p.config.price);
      this.pairings.push({
        d: p,
        es,
        esPort: portOf(p.externalStaking),
        convPort: portOf(p.converter),
        maxCap: p.config.maxCap,
        cap: 'idle',
        capEpochHeight: -1n,
        capRestoreAt: -1,
        // early in the run, in the pairing's clean phase (see `clean`)
        plannedZeroAt: !Number.isFinite(this.planned)
          ? 60 + plan.int(60)
          : this.planned >= this.events.zeroMaxCapMinBlocks
            ? Math.max(30, Math.floor(this.planned * (0.05 + 0.07 * plan.float())))
            : -1,
        zeroDoneAt: -1,
        priceMicro: price,
        basePriceMicro: price,
        channel: p.providerChannel && p.consumerChannel ? 'open' : 'closed',
        closeAt: -1,
        closePrep: false,
        closeEpochHeight: -1n,
        vs: p.consumer.wasm.contract(p.virtualStaking).instance as unknown as PairingCtl['vs'],
      });
    }
    if (this.events.closeChannel && this.planned >= this.events.closeChannelMinBlocks && this.pairings.length > 0) {
      this.pairings[this.pairings.length - 1]!.closeAt = Math.floor(this.planned * this.events.closeChannelAt);
    }

    for (const cfg of devnet.config.chains) {
      const chain = world.chain(cfg.id);
      const prov = devnet.providers.get(cfg.id);
      let vault: ChainCtl['vault'];
      if (prov) {
        const v = chain.wasm.contract(prov.vault).instance as unknown as { users: JMap<UserInfo>; liens: JMap<Lien> };
        const ns = chain.wasm.contract(prov.nativeStaking).instance as unknown as { proxyByOwner: JMap<string> };
        vault = { address: prov.vault, nativeStaking: prov.nativeStaking, users: v.users, liens: v.liens, proxyByOwner: ns.proxyByOwner };
      }
      const users = cfg.accounts.map((a) => ({ name: a.name, addr: chain.addr(a.name), remote: new Map(), local: new Set<string>(), lastRound: -1 }) satisfies UserSlot);
      this.chains.set(chain, {
        chain,
        users,
        validators: cfg.validators.map((v) => ({ name: v.name, valoper: chain.valoper(v.name), unjailAt: -1 })),
        vault,
        provides: this.pairings.filter((p) => p.d.provider === chain),
        consumes: this.pairings.filter((p) => p.d.consumer === chain),
        tombstoneAt: this.events.tombstone && this.planned >= this.events.tombstoneMinBlocks ? Math.floor(this.planned * (0.3 + 0.3 * plan.float())) : -1,
        pendingKinds: [],
        relayerTxs: 0,
      });
    }
  }

  // ---- relayer policy ----

  /** Which packets the relayer leaves to time out. */
  readonly relayPolicy: RelayPolicy = {
    drop: (r: PacketRef) => {
      if (this.draining) return false;
      const pc = this.pairingOfPort(r.packet.sourcePort);
      if (!pc || pc.channel !== 'open') return false;
      // not in the clean phase: the max cap episode and the close wait for an empty channel
      if (this.clean(pc)) return false;
      const remaining = this.planned - this.round;
      const data = Buffer.from(r.packet.data.subarray(0, 24)).toString('utf8');
      // Provider packets time out after 600 s (the final drain fast-forwards the clock if needed).
      // Only `transfer_rewards` and `burn`: a stake or unstake in flight for 600 s would hold back
      // every slash (see `frozen`), and a stake's rollback after a slash panics.
      if (r.packet.sourcePort === pc.esPort) return (data.startsWith('{"transfer_rewards"') || data.startsWith('{"burn"')) && this.rng.chance(this.events.dropProviderPacket);
      // converter: only reward packets (1 h timeout, then re-sent); a valset_update times out only after 24 h
      return data.startsWith('{"distribute') && remaining > 3700 && this.rng.chance(this.events.dropConverterPacket);
    },
  };

  private pairingOfPort(port: string): PairingCtl | undefined {
    for (const p of this.pairings) if (p.esPort === port || p.convPort === port) return p;
    return undefined;
  }

  /** Whether the relayer submits txs in this chain's next block. */
  relayerActive(chain: Chain): boolean {
    if (this.draining || this.frozen()) return true;
    const ctl = this.chains.get(chain)!;
    // always relay around a channel close
    if ([...ctl.provides, ...ctl.consumes].some((p) => p.channel === 'closing' || (p.closeAt >= 0 && Math.abs(this.round - p.closeAt) < 3))) return true;
    return !this.rng.chance(this.events.relayerPause);
  }

  // ---- blocks ----

  /**
   * The generator's txs for `chain`'s next block (system txs, then user txs); also schedules the
   * block's BeginBlock events. `relayerTxs` is how many relayer txs precede them in the block.
   */
  txsFor(chain: Chain, relayerTxs: number, pending: PacketRef[]): Tx[] {
    const ctl = this.chains.get(chain)!;
    ctl.relayerTxs = relayerTxs;
    const kinds: TxKind[] = [];
    const txs: Tx[] = [];
    const add = (kind: TxKind, tx: Tx) => {
      kinds.push(kind);
      txs.push(tx);
    };
    this.channelEvents(ctl, pending, add);
    if (this.round === 1) {
      // validator operators self-bonded everything at genesis: a float for the fees of MsgUnjail
      const admin = chain.addr(ADMIN);
      for (const v of ctl.validators) add('fund', sendTx(chain, admin, chain.addr(v.name), 1_000_000_000n));
    }
    if (!this.draining) {
      this.validatorEvents(ctl, pending, add);
      this.consumerEvents(ctl, pending, add);
      if (this.events.rewardsEvery > 0 && this.round % this.events.rewardsEvery === 0) {
        const amount = this.rng.bigint(2_000_000n, 20_000_000n);
        chain.mint.addToNextProvision(amount);
        this.stats.rewardMints++;
      }
      this.userTxs(ctl, add);
    } else {
      this.restoreCaps(ctl, add);
    }
    ctl.pendingKinds = kinds;
    return txs;
  }

  /** Learns the outcome of the block's txs (stats; failed system txs are retried). */
  afterBlock(chain: Chain, txResults: readonly { code: number; events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }> }[]): void {
    const ctl = this.chains.get(chain)!;
    for (let i = 0; i < ctl.relayerTxs; i++) this.countAcks(txResults[i]?.events ?? []);
    ctl.pendingKinds.forEach((kind, j) => {
      const r = txResults[ctl.relayerTxs + j];
      if (!r) return;
      const s = (this.stats.byKind[kind] ??= { sent: 0, ok: 0, failed: 0 });
      s.sent++;
      if (r.code === 0) s.ok++;
      else s.failed++;
    });
    ctl.pendingKinds = [];
  }

  private countAcks(events: ReadonlyArray<{ type: string; attributes: Array<{ key: string; value: string }> }>): void {
    for (const e of events) {
      if (e.type !== 'write_acknowledgement') continue;
      let data = '';
      let ack = '';
      for (const a of e.attributes) {
        if (a.key === 'packet_data') data = a.value;
        else if (a.key === 'packet_ack') ack = a.value;
      }
      const end = data.indexOf('"', 2);
      const type = data.startsWith('{"') && end > 2 ? data.slice(2, end) : 'unknown';
      const s = (this.stats.acks[type] ??= { ok: 0, error: 0 });
      if (ack.startsWith('{"error"')) s.error++;
      else s.ok++;
    }
  }

  // ---- chain-level events ----

  /**
   * The planned channel close: CloseInit on the provider, CloseConfirm on the consumer's next block.
   * Both ends run cleanup that fails on drifted state (virtual-staking unbonds every delegation record
   * at once; external-staking moves every stake's low value out of the validator's total), so the close
   * waits for a quiet channel and an epoch that has delegated every record, and is skipped when
   * `closeBlocker` still finds drift.
   */
  private channelEvents(ctl: ChainCtl, pending: PacketRef[], add: (k: TxKind, tx: Tx) => void): void {
    const relayer = this.devnet.world.relayerName;
    for (const p of ctl.provides) {
      if (p.channel !== 'open' || p.closeAt < 0 || this.round < p.closeAt || this.draining) continue;
      if (p.cap !== 'idle' || p.plannedZeroAt >= 0 || this.round <= p.zeroDoneAt) continue;
      if (!p.closePrep) {
        p.closePrep = true;
        p.closeEpochHeight = -1n;
        continue;
      }
      const busy = pending.some((r) => r.packet.sourcePort === p.esPort || r.packet.sourcePort === p.convPort);
      if (p.closeEpochHeight < 0n) {
        const due = busy ? undefined : epochDue(p.d.consumer, p.d.virtualStaking);
        if (due !== undefined) p.closeEpochHeight = due;
        continue;
      }
      if (busy || p.d.consumer.height < p.closeEpochHeight) continue;
      const why = this.closeBlocker(p);
      if (why) {
        this.stats.skipped.push(`round ${this.round}: close of ${p.d.config.name}: ${why}`);
        p.closeAt = -1;
        p.closePrep = false;
        continue;
      }
      add('close_init', closeInitTx(p.d, relayer));
      p.channel = 'closing';
      this.stats.channelCloses++;
    }
    for (const p of ctl.consumes) {
      if (p.channel !== 'closing') continue;
      add('close_confirm', closeConfirmTx(p.d, relayer));
      p.channel = 'closed';
    }
  }

  /** Delegation records per validator (x/meshsecurity `all_delegations`, as virtual-staking reads them). */
  private records(p: PairingCtl): Map<string, bigint> {
    const r = p.d.consumer.querier.custom({ virtual_stake: { all_delegations: { contract: p.d.virtualStaking, max_retrieve: 1_000_000_000 } } }) as {
      delegations: Array<{ validator: string; amount: string }>;
    };
    const sum = new Map<string, bigint>();
    for (const d of r.delegations) sum.set(d.validator, (sum.get(d.validator) ?? 0n) + BigInt(d.amount));
    return sum;
  }

  /**
   * Why undoing every delegation record at once would fail (spec §7 Q11: records drift), or
   * undefined: a record above the validator's bond request (virtual-staking: "not enough staked") or
   * above the contract's delegation (x/meshsecurity: "invalid shares amount").
   */
  private recordDrift(p: PairingCtl): string | undefined {
    for (const [v, sum] of this.records(p)) {
      const requested = p.vs.bondRequests.get(v) ?? 0n;
      const delegated = p.d.consumer.staking.delegation(p.d.virtualStaking, v)?.tokens ?? 0n;
      if (sum > requested) return `records on ${v} sum to ${sum}, above the bond request ${requested}`;
      if (sum > delegated) return `records on ${v} sum to ${sum}, above the delegation ${delegated}`;
    }
    return undefined;
  }

  /** recordDrift, and on the provider: the stakes' low values must fit in each validator's total stake. */
  private closeBlocker(p: PairingCtl): string | undefined {
    const drift = this.recordDrift(p);
    if (drift) return drift;
    const low = new Map<string, bigint>();
    for (const [k, st] of p.es.stakes.entries()) {
      const v = k.slice(k.indexOf('\u0000') + 1);
      low.set(v, (low.get(v) ?? 0n) + st.stake.l);
    }
    for (const [v, sum] of low) {
      const total = p.es.distribution.get(v)?.totalStake ?? 0n;
      if (sum > total) return `stakes on ${v} sum to ${sum}, above its total stake ${total}`;
    }
    return undefined;
  }

  private validatorEvents(ctl: ChainCtl, pending: PacketRef[], add: (k: TxKind, tx: Tx) => void): void {
    const c = ctl.chain;
    // unjail validators whose jail time is over
    for (const v of ctl.validators) {
      if (v.unjailAt < 0 || this.round < v.unjailAt) continue;
      const val = c.staking.validator(v.valoper);
      if (!val || !val.jailed || c.slashing.isTombstoned(v.valoper)) {
        v.unjailAt = -1;
        continue;
      }
      add('unjail', unjailTx(c, v.name));
      v.unjailAt = this.round + 10; // retried if it was too early
    }
    // a planned slash happens once no stake or unstake packet is in flight anywhere (see `frozen`)
    if (ctl.slashPlan) {
      if (pending.some((r) => isStakingPacket(r, this.pairings))) return;
      const { validator: v, kind } = ctl.slashPlan;
      ctl.slashPlan = undefined;
      if (!this.slashCandidates(ctl).includes(v)) return; // no longer a safe target
      this.freezeUntil = this.round + FREEZE_AFTER_SLASH;
      if (kind === 'tombstone') {
        c.scheduleBegin(() => c.slashing.doubleSign(v.valoper, c.staking.power(v.valoper), c.height, c.time, c.height));
        this.stats.tombstones++;
      } else {
        c.scheduleBegin(() => c.slashing.jailForDowntime(v.valoper, c.time, c.height));
        const jailBlocks = Number((c.params.downtimeJailDurationSec * 1_000_000_000n) / c.params.blockTimeNs);
        v.unjailAt = this.round + jailBlocks + 2 + this.rng.int(60);
        this.stats.jails++;
      }
      return;
    }
    if (!this.slashingAllowed() || this.frozen()) return;
    const tombstone = ctl.tombstoneAt >= 0 && this.round >= ctl.tombstoneAt;
    if (!tombstone && !this.rng.chance(this.events.jailPerBlock)) return;
    const candidates = this.slashCandidates(ctl);
    if (candidates.length === 0) return;
    if (tombstone) ctl.tombstoneAt = -1;
    ctl.slashPlan = { validator: this.rng.pick(candidates), kind: tombstone ? 'tombstone' : 'jail' };
  }

  /**
   * Validators that may be slashed: bonded, not jailed, enough others left active, and (on a consumer
   * chain) with cross stake on every open pairing — a slash of a consumer validator without cross
   * stake aborts external-staking (spec §7 Q14: Decimal::from_ratio(_, 0) panics), so that
   * valset_update could never be received.
   */
  private slashCandidates(ctl: ChainCtl): ValidatorCtl[] {
    const c = ctl.chain;
    const active = ctl.validators.filter((v) => {
      const val = c.staking.validator(v.valoper);
      return val && val.status === 'bonded' && !val.jailed;
    });
    const minActive = Math.max(2, Math.ceil(ctl.validators.length * 0.6));
    if (active.length <= minActive) return [];
    return active.filter((v) => ctl.consumes.every((p) => p.channel !== 'open' || (p.es.distribution.get(v.valoper)?.totalStake ?? 0n) > 0n));
  }

  /**
   * Cross stakes and unstakes are frozen while a slash is planned and for a few rounds after it, so
   * that no stake or unstake packet is in flight when a slash — or the burns it propagates to every
   * lien holder of the affected users — lowers stakes and liens. Upstream contracts cannot take that
   * interleaving, and each case is a panic in a packet, ack or timeout handler, so the packet could
   * never settle: the vault clamps the lien's high value (spec §4.3.3 case A) and an in-flight
   * stake's `commit_tx` then breaks `low ≤ high`; external-staking's rollback of a stake after a cut
   * underflows; a propagated `burn_virtual_stake` larger than a stake's low value (lowered by an
   * in-flight unstake) underflows inside the valset_update that carries the slash.
   */
  private frozen(): boolean {
    if (this.round <= this.freezeUntil) return true;
    for (const ctl of this.chains.values()) if (ctl.slashPlan) return true;
    return false;
  }


  /**
   * Slashes (jail, tombstone) wait until every pairing has left its clean phase: a slash lowers
   * virtual-staking bond requests and delegations but not the x/meshsecurity delegation records
   * (spec §7 Q11), and a record above them makes the max-cap-zero `internal_unstake` acks and the
   * channel close fail for good.
   */
  private slashingAllowed(): boolean {
    return this.pairings.every((p) => !this.clean(p));
  }

  /**
   * A pairing's clean phase: until its max cap has been to zero and back and (if planned) its channel
   * has closed. Both undo every x/meshsecurity delegation record at once and fail on drift (spec §7
   * Q11), so the phase has no drift sources: no unstakes and no price changes on the pairing (an
   * unstake converted at another price or rounded differently than its stakes over-deducts a record,
   * which is then dropped at zero while the bond request shrinks), and no slashes anywhere (a slash
   * or burn lowers requests and delegations, not records).
   */
  private clean(p: PairingCtl): boolean {
    return p.plannedZeroAt >= 0 || p.cap !== 'idle' || this.round <= p.zeroDoneAt || (p.closeAt >= 0 && p.channel === 'open');
  }

  private consumerEvents(ctl: ChainCtl, pending: PacketRef[], add: (k: TxKind, tx: Tx) => void): void {
    for (const p of ctl.consumes) {
      if (p.channel !== 'open') continue;
      const clean = this.clean(p);
      if (!clean && this.rng.chance(this.events.maxCapChangePerBlock)) {
        // anywhere from far below the users' requests (delegations scaled down) to the full cap
        add('set_max_cap', setMaxCapTx(p.d, this.rng.logAmount(p.maxCap / 1000n, p.maxCap)));
        this.stats.maxCapChanges++;
      }
      if (!clean && this.rng.chance(this.events.priceChangePerBlock)) {
        const factor = this.rng.bigint(850_000n, 1_180_000n);
        let next = (p.priceMicro * factor) / PRICE_SCALE;
        if (next < p.basePriceMicro / 4n) next = p.basePriceMicro / 4n;
        if (next > p.basePriceMicro * 4n) next = p.basePriceMicro * 4n;
        if (next < 1n) next = 1n;
        p.priceMicro = next;
        add('set_price', setPriceTx(p.d, priceString(next)));
        this.stats.priceChanges++;
      }
      this.capEvents(ctl, p, pending, add);
    }
  }

  /**
   * Max cap to zero and back, so that every `internal_unstake` it causes can be acknowledged. With the
   * cap at 0 each epoch sends the x/meshsecurity delegation records back as `internal_unstake`, and
   * the success ack undelegates the record's amount at once. Records grow when a stake packet arrives,
   * delegations only at the next epoch, so a record not yet delegated makes that undelegation fail
   * ("invalid shares amount") and the ack can never be relayed. Hence:
   *   quieting: users send no cross-stake packets for the pairing; once none is in flight and an epoch
   *             has run since, delegations equal the records → cap 0;
   *   zero:     3–6 epochs, still quiet (a stake now would again be a record without delegation);
   *   recovering: cap restored, quiet for two more epochs while the last acks arrive.
   */
  private capEvents(ctl: ChainCtl, p: PairingCtl, pending: PacketRef[], add: (k: TxKind, tx: Tx) => void): void {
    const consumer = ctl.chain;
    const epoch = this.epochLength(consumer);
    switch (p.cap) {
      case 'idle':
        if (p.plannedZeroAt >= 0 && this.round >= p.plannedZeroAt) {
          p.plannedZeroAt = -1;
          p.cap = 'quieting';
          p.capEpochHeight = -1n;
        }
        return;
      case 'quieting': {
        if (p.capEpochHeight < 0n) {
          if (pending.some((r) => r.packet.sourcePort === p.esPort)) return;
          const due = epochDue(consumer, p.d.virtualStaking);
          if (due === undefined) return;
          p.capEpochHeight = due;
          return;
        }
        if (consumer.height < p.capEpochHeight) return;
        const why = this.recordDrift(p);
        if (why) {
          this.stats.skipped.push(`round ${this.round}: max cap to zero on ${p.d.config.name}: ${why}`);
          p.cap = 'idle';
          return;
        }
        add('set_max_cap', setMaxCapTx(p.d, 0n));
        p.cap = 'zero';
        p.capRestoreAt = this.round + epoch * this.rng.range(3, 6);
        this.stats.maxCapChanges++;
        return;
      }
      case 'zero':
        if (this.round < p.capRestoreAt) return;
        add('set_max_cap', setMaxCapTx(p.d, p.maxCap));
        p.cap = 'recovering';
        p.zeroDoneAt = this.round + 2 * epoch;
        this.stats.maxCapChanges++;
        return;
      case 'recovering':
        if (this.round > p.zeroDoneAt) p.cap = 'idle';
        return;
    }
  }

  private restoreCaps(ctl: ChainCtl, add: (k: TxKind, tx: Tx) => void): void {
    for (const p of ctl.consumes) {
      if (p.cap === 'quieting') p.cap = 'idle';
      if (p.cap !== 'zero' || p.channel !== 'open') continue;
      add('set_max_cap', setMaxCapTx(p.d, p.maxCap));
      p.cap = 'idle';
      this.stats.maxCapChanges++;
    }
  }

  private epochLength(c: Chain): number {
    return this.devnet.config.chains.find((x) => x.id === c.id)?.consumer?.epochLength ?? 15;
  }

  // ---- users ----

  private userTxs(ctl: ChainCtl, add: (k: TxKind, tx: Tx) => void): void {
    const n = this.txsPerBlock <= 0 ? 0 : this.rng.range(Math.ceil(this.txsPerBlock / 2), Math.floor((this.txsPerBlock * 3) / 2));
    if (ctl.users.length === 0) return;
    for (let i = 0; i < n; i++) {
      let u: UserSlot | undefined;
      for (let tries = 0; tries < 4 && !u; tries++) {
        const cand = ctl.users[this.rng.int(ctl.users.length)]!;
        if (cand.lastRound !== this.round) u = cand;
      }
      if (!u) continue;
      const choice = this.chooseUserTx(ctl, u);
      if (!choice) continue;
      u.lastRound = this.round;
      add(choice[0], choice[1]);
      this.stats.userTxs++;
      if (!NON_MESH.has(choice[0])) this.stats.meshTxs++;
    }
  }

  private chooseUserTx(ctl: ChainCtl, u: UserSlot): [TxKind, Tx] | undefined {
    const c = ctl.chain;
    const w = this.weights;
    const rng = this.rng;
    const denom = c.params.bondDenom;
    const balance = c.bank.balance(u.addr, denom);
    const cands: Array<[number, () => [TxKind, Tx] | undefined]> = [];
    const cand = (weight: number, f: () => [TxKind, Tx] | undefined) => {
      if (weight > 0) cands.push([weight, f]);
    };

    if (balance > 1_000_000n) {
      cand(w.send, () => {
        const to = ctl.users[rng.int(ctl.users.length)]!;
        return ['send', sendTx(c, u.addr, to.addr, rng.logAmount(1_000n, 10_000_000n))];
      });
    }

    const v = ctl.vault;
    if (v) {
      const info = v.users.get(u.addr);
      const free = info ? freeLow(info) : 0n;
      if (balance > 10_000_000n) {
        const max = balance / 3n < 20_000_000_000n ? balance / 3n : 20_000_000_000n;
        cand(w.bond, () => ['bond', bondTx(c, v.address, u.addr, rng.logAmount(1_000_000n, max))]);
      }
      if (free > 0n) cand(w.unbond, () => ['unbond', unbondTx(c, v.address, u.addr, part(rng, free, 0.2, 1))]);
      if (info && info.collateral > 0n) {
        // Liens to different holders share the same collateral (spec §4.2): each lien holder's lien
        // may grow up to the collateral, as long as total slashable stays within it.
        const collateral = info.collateral;
        const slashRoom = collateral > info.totalSlashable.h ? collateral - info.totalSlashable.h : 0n;
        const headroom = (holder: string): bigint => {
          const l = v.liens.get(key(u.addr, holder));
          const room = l ? (collateral > l.amount.h ? collateral - l.amount.h : 0n) : collateral;
          return room < slashRoom * 10n ? room : slashRoom * 10n;
        };
        const localRoom = headroom(v.nativeStaking);
        if (localRoom > 10_000n) {
          cand(w.stakeLocal, () => {
            const val = this.pickBonded(ctl);
            if (!val) return undefined;
            u.local.add(val);
            return ['stake_local', stakeLocalTx(c, v.address, u.addr, val, part(rng, localRoom, 0.1, 0.6))];
          });
        }
        const open = this.frozen() ? [] : ctl.provides.filter((p) => p.channel === 'open' && !this.quiet(p) && headroom(p.d.externalStaking) > 10_000n);
        if (open.length > 0) {
          cand(w.stakeRemote, () => {
            const p = rng.pick(open);
            const val = this.pickRemoteValidator(p);
            if (!val) return undefined;
            let set = u.remote.get(p.d.config.name);
            if (!set) u.remote.set(p.d.config.name, (set = new Set()));
            set.add(val);
            return ['stake_remote', stakeRemoteTx(p.d, v.address, u.addr, val, part(rng, headroom(p.d.externalStaking), 0.1, 0.7))];
          });
        }
        // deliberately invalid: more than the free collateral / the collateral, an unknown validator
        cand(w.invalid * 0.3, () => ['invalid_unbond', unbondTx(c, v.address, u.addr, free + rng.bigint(1n, 1_000_000n))]);
        cand(w.invalid * 0.2, () => {
          const val = this.pickBonded(ctl);
          return val ? ['invalid_stake_local', stakeLocalTx(c, v.address, u.addr, val, collateral + rng.bigint(1n, 1_000_000n))] : undefined;
        });
        const anyOpen = ctl.provides.filter((p) => p.channel === 'open' && !this.quiet(p));
        if (anyOpen.length > 0) {
          cand(w.invalid * 0.2, () => {
            const p = rng.pick(anyOpen);
            return ['invalid_stake_remote', stakeRemoteTx(p.d, v.address, u.addr, p.d.consumer.valoper('ghost-validator'), part(rng, collateral, 0.01, 0.5))];
          });
        }
      }

      // cross stakes: unstake, withdraw unbonded, withdraw rewards
      const now = c.time;
      const frozen = this.frozen();
      const unstakable: Array<[PairingCtl, string, Stake]> = [];
      const rewarding: Array<[PairingCtl, string]> = [];
      let matured: PairingCtl | undefined;
      for (const p of ctl.provides) {
        const set = u.remote.get(p.d.config.name);
        if (!set) continue;
        for (const val of set) {
          const s = p.es.stakes.get(key(u.addr, val));
          if (!s) continue;
          if (!matured && s.pendingUnbonds.length > 0 && s.pendingUnbonds[0]!.releaseAt <= now) matured = p;
          if (p.channel !== 'open' || this.quiet(p)) continue;
          if (s.stake.l > 0n && !this.clean(p) && !frozen) unstakable.push([p, val, s]);
          if (s.stake.l > 0n && rewardOf(s, p.es.distribution.get(val) ?? EMPTY_DISTRIBUTION) > 0n) rewarding.push([p, val]);
        }
      }
      if (unstakable.length > 0) {
        cand(w.unstake, () => {
          const [p, val, s] = rng.pick(unstakable);
          // a third unstake everything (after a price rise this can exceed the consumer bond → error ack)
          const amount = rng.chance(0.33) ? s.stake.l : part(rng, s.stake.l, 0.1, 0.9);
          return ['unstake', unstakeTx(p.d, u.addr, val, amount)];
        });
        cand(w.invalid * 0.3, () => {
          const [p, val, s] = rng.pick(unstakable);
          return ['invalid_unstake', unstakeTx(p.d, u.addr, val, s.stake.l + rng.bigint(1n, 1_000_000n))];
        });
      }
      if (matured) {
        const p = matured;
        cand(w.withdrawUnbonded, () => ['withdraw_unbonded', withdrawUnbondedTx(p.d, u.addr)]);
      }
      if (rewarding.length > 0) {
        cand(w.withdrawRewards, () => {
          const [p, val] = rng.pick(rewarding);
          const recipient = this.consumerAddr(p.d.consumer, u.name);
          return ['withdraw_rewards', withdrawRewardsTx(p.d, u.addr, val, recipient)];
        });
      }

      // local stakes through the user's proxy
      if (u.local.size > 0) {
        if (u.proxy === undefined) u.proxy = v.proxyByOwner.get(u.addr);
        const proxy = u.proxy;
        if (proxy) {
          const tokensWith = (val: string): bigint => c.staking.delegation(proxy, val)?.tokens ?? 0n;
          // the full list only when unstake_local is drawn: a delegation's tokens take share arithmetic
          let delegates = false;
          for (const val of u.local) if ((delegates = tokensWith(val) > 0n)) break;
          if (delegates) {
            cand(w.unstakeLocal, () => {
              const delegated: Array<[string, bigint]> = [];
              for (const val of u.local) {
                const tokens = tokensWith(val);
                if (tokens > 0n) delegated.push([val, tokens]);
              }
              const [val, tokens] = rng.pick(delegated);
              return ['unstake_local', proxyUnstakeTx(c, proxy, u.addr, val, rng.chance(0.3) ? tokens : part(rng, tokens, 0.1, 0.9))];
            });
            cand(w.withdrawLocalRewards, () => ['withdraw_local_rewards', proxyWithdrawRewardsTx(proxy, u.addr)]);
          }
          if (c.bank.balance(proxy, denom) > 0n) cand(w.releaseUnbonded, () => ['release_unbonded', proxyReleaseTx(proxy, u.addr)]);
        }
      }
    }

    // draw among the applicable actions; fall back to the others if a builder declines
    while (cands.length > 0) {
      const i = rng.weighted(cands.map(([wt]) => wt));
      const r = cands[i]![1]();
      if (r) return r;
      cands.splice(i, 1);
    }
    return undefined;
  }

  private readonly addrCache = new Map<string, string>();

  /** A user's account on another chain (same name, same key: spec §7 Q6). */
  private consumerAddr(c: Chain, name: string): string {
    const k = `${c.id}/${name}`;
    let a = this.addrCache.get(k);
    if (a === undefined) {
      a = c.addr(name);
      this.addrCache.set(k, a);
    }
    return a;
  }

  /** No new cross-stake packets from users: around a max cap of zero, and before the channel closes. */
  private quiet(p: PairingCtl): boolean {
    return p.cap !== 'idle' || p.closePrep;
  }

  private pickBonded(ctl: ChainCtl): string | undefined {
    const c = ctl.chain;
    const ok = ctl.validators.filter((v) => {
      const val = c.staking.validator(v.valoper);
      return val && val.status === 'bonded' && !val.jailed;
    });
    return ok.length > 0 ? this.rng.pick(ok).valoper : undefined;
  }

  /** A consumer validator the provider believes active; now and then a stale (jailed) one. */
  private pickRemoteValidator(p: PairingCtl): string | undefined {
    const consumer = this.chains.get(p.d.consumer)!;
    const all = consumer.validators.filter((v) => !p.d.consumer.slashing.isTombstoned(v.valoper));
    if (all.length === 0) return undefined;
    if (this.rng.chance(0.03)) return this.rng.pick(all).valoper;
    const active = all.filter((v) => p.d.consumer.staking.validator(v.valoper)?.status === 'bonded');
    return active.length > 0 ? this.rng.pick(active).valoper : undefined;
  }

  /** Each pairing's channel: open, closing or closed (for reports). */
  channelStates(): Record<string, string> {
    return Object.fromEntries(this.pairings.map((p) => [p.d.config.name, p.channel]));
  }
}

/**
 * Pending reward as the contract computes it. While an unstake is in flight the stake's low value has
 * already dropped but the points alignment has not, so the contract's formula can underflow (a panic
 * upstream, which makes `withdraw_rewards` fail): counted as nothing to withdraw.
 */
function rewardOf(s: Stake, d: Distribution): bigint {
  try {
    return pendingReward(s, d);
  } catch {
    return 0n;
  }
}

function freeLow(u: UserInfo): bigint {
  const used = u.maxLien.h > u.totalSlashable.h ? u.maxLien.h : u.totalSlashable.h;
  return u.collateral > used ? u.collateral - used : 0n;
}

/** A random part of `total` between lo and hi (fractions), at least 1. */
function part(rng: Rng, total: bigint, lo: number, hi: number): bigint {
  const f = lo + (hi - lo) * rng.float();
  const v = (total * BigInt(Math.floor(f * 1_000_000))) / 1_000_000n;
  return v < 1n ? 1n : v;
}
