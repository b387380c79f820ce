// x/distribution, simplified but exact in integers. The SDK keeps rewards per *token* in periods
// and replays slash events to find a delegator's stake; here rewards accrue per *share*, which is the
// same split (a validator's tokens are spread over its shares uniformly) without slash bookkeeping.
// Kept from the SDK: commission split (Dec.Mul), current rewards folded into the cumulative ratio
// only when a period ends (QuoTruncate), rewards = shares × Δratio (MulTruncate), payout truncated
// with the remainder to the community pool, outstanding-rewards cap, withdraw on every delegation
// change (staking hooks), the fee collector's balance moved in and split by power each block
// (allocateCollectedFees). Left out: community tax, proposer reward.
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { JItem, JMap, type Journal, key } from '../state/journal.ts';
import { moduleAccountAddress } from './address.ts';
import type { Bank } from './bank.ts';
import { LegacyDec } from './legacy-dec.ts';
import type { Staking, StakingHooks } from './staking.ts';
import { type Event, ModuleError, attr, coinStr, event } from './types.ts';

interface ValidatorRewards {
  /** Σ over ended periods of current rewards / delegator shares (the SDK's historical ratio, per share). */
  readonly ratio: LegacyDec;
  /** Delegators' rewards of the current period, not yet in `ratio`. */
  readonly current: LegacyDec;
  /** Allocated and not yet paid out (delegator rewards + commission). */
  readonly outstanding: LegacyDec;
  readonly commission: LegacyDec;
}

const ZERO_REWARDS: ValidatorRewards = {
  ratio: LegacyDec.ZERO,
  current: LegacyDec.ZERO,
  outstanding: LegacyDec.ZERO,
  commission: LegacyDec.ZERO,
};

/** x/distribution error codes (`x/distribution/types/errors.go`). */
export const DistributionErr = {
  emptyDelegationDistInfo: 5,
  noValidatorDistInfo: 6,
  noValidatorCommission: 7,
} as const;

const distrError = (code: number, msg: string): ModuleError => new ModuleError('distribution', code, msg);

export class Distribution {
  readonly moduleAddress: string;
  readonly denom: string;
  private readonly rewards: JMap<ValidatorRewards>;
  /** Starting ratio per (validator, delegator): the SDK's DelegatorStartingInfo. */
  private readonly starts: JMap<LegacyDec>;
  private readonly withdrawAddrs: JMap<string>;
  private readonly community: JItem<LegacyDec>;

  /**
   * Registers itself as a staking module hook: construct it before genesis validators/delegations.
   * `prefix` and `denom` default to the staking module's (rewards are paid in the bond denom).
   */
  constructor(
    private readonly journal: Journal,
    private readonly bank: Bank,
    private readonly staking: Staking,
    prefix: string = staking.prefix,
    denom: string = staking.bondDenom,
  ) {
    this.moduleAddress = moduleAccountAddress(prefix, 'distribution');
    this.denom = denom;
    this.rewards = new JMap(journal);
    this.starts = new JMap(journal);
    this.withdrawAddrs = new JMap(journal);
    this.community = new JItem(journal, LegacyDec.ZERO);
    staking.addModuleHooks(this.stakingHooks());
  }

  // ---- queries ----

  /** Rewards withdraw would pay now (truncated), including the open period. */
  pending(delegator: string, op: string): bigint {
    return this.pendingDec(delegator, op).truncateInt();
  }

  /** The DelegationRewards query: undivided DecCoins amount. */
  pendingDec(delegator: string, op: string): LegacyDec {
    const start = this.starts.get(key(op, delegator));
    const d = this.staking.delegation(delegator, op);
    const v = this.staking.validator(op);
    if (start === undefined || !d || !v) return LegacyDec.ZERO;
    const r = this.rewards.get(op) ?? ZERO_REWARDS;
    const ratio = v.delegatorShares.isZero() ? r.ratio : r.ratio.add(r.current.quoTruncate(v.delegatorShares));
    return d.shares.mulTruncate(ratio.sub(start));
  }

  outstanding(op: string): LegacyDec {
    return this.rewards.get(op)?.outstanding ?? LegacyDec.ZERO;
  }

  accumulatedCommission(op: string): LegacyDec {
    return this.rewards.get(op)?.commission ?? LegacyDec.ZERO;
  }

  communityPool(): LegacyDec {
    return this.community.get();
  }

  withdrawAddress(delegator: string): string {
    return this.withdrawAddrs.get(delegator) ?? delegator;
  }

  // ---- allocation ----

  /**
   * AllocateTokensToValidator: the tokens must already sit in the distribution module account.
   * Emits `commission` and `rewards` (DecCoins strings, "" when zero) like the SDK's BeginBlock.
   */
  allocate(op: string, amount: bigint): Event[] {
    return this.journal.atomic(() => {
      const v = this.staking.validator(op);
      if (!v) throw distrError(DistributionErr.noValidatorDistInfo, 'no validator distribution info');
      const tokens = LegacyDec.fromInt(amount);
      const commission = tokens.mul(LegacyDec.parse(v.commission.rate));
      const shared = tokens.sub(commission);
      const r = this.rewards.get(op) ?? ZERO_REWARDS;
      this.rewards.set(op, {
        ...r,
        current: r.current.add(shared),
        commission: r.commission.add(commission),
        outstanding: r.outstanding.add(tokens),
      });
      return [
        event('commission', attr('amount', this.decCoin(commission)), attr('validator', op)),
        event('rewards', attr('amount', this.decCoin(tokens)), attr('validator', op)),
      ];
    });
  }

  /** Mints `amount` into the distribution module account and allocates it all to `op`. */
  fundAndAllocate(op: string, amount: bigint): Event[] {
    return this.journal.atomic(() => {
      if (!this.staking.validator(op)) throw distrError(DistributionErr.noValidatorDistInfo, 'no validator distribution info');
      if (amount <= 0n) return [];
      const events = this.bank.mint(this.moduleAddress, { denom: this.denom, amount });
      events.push(...this.allocate(op, amount));
      return events;
    });
  }

  /** Mints `amount` into the distribution module account and splits it among bonded validators by power. */
  fundAndAllocateByPower(amount: bigint): Event[] {
    return this.journal.atomic(() => {
      if (amount <= 0n) return [];
      return [...this.bank.mint(this.moduleAddress, { denom: this.denom, amount }), ...this.allocateByPower(amount)];
    });
  }

  /**
   * BeginBlock AllocateTokens: the fee collector's whole balance (the previous block's fees and this
   * block's mint) moves to this module, every block, even when empty (SendCoinsFromModuleToModule emits
   * its events with an empty amount), and goes to the bonded validators by power.
   */
  allocateCollectedFees(feeCollector: string): Event[] {
    const amount = this.bank.balance(feeCollector, this.denom);
    const events = this.bank.moduleSend(feeCollector, this.moduleAddress, { denom: this.denom, amount });
    if (amount > 0n) events.push(...this.allocateByPower(amount));
    return events;
  }

  /**
   * Splits tokens already in the module account among bonded validators by power (floor), the
   * remainder going to the first (highest power). No bonded power: community pool.
   */
  private allocateByPower(amount: bigint): Event[] {
    const events: Event[] = [];
    const bonded = this.staking.bondedValidators();
    const powers = bonded.map((v) => this.staking.power(v.operator));
    const total = powers.reduce((a, b) => a + b, 0n);
    if (total === 0n) {
      this.community.set(this.community.get().add(LegacyDec.fromInt(amount)));
      return events;
    }
    const parts = powers.map((p) => (amount * p) / total);
    parts[0] = parts[0]! + amount - parts.reduce((a, b) => a + b, 0n);
    bonded.forEach((v, i) => {
      if (parts[i]! > 0n) events.push(...this.allocate(v.operator, parts[i]!));
    });
    return events;
  }

  // ---- messages ----

  /** MsgWithdrawDelegatorReward. Pays to the withdraw address; emits `withdraw_rewards`. */
  withdraw(delegator: string, op: string): { events: Event[]; amount: bigint } {
    return this.journal.atomic(() => {
      if (!this.staking.validator(op)) throw distrError(DistributionErr.noValidatorDistInfo, 'no validator distribution info');
      if (!this.staking.delegation(delegator, op)) {
        throw distrError(DistributionErr.emptyDelegationDistInfo, 'no delegation distribution info');
      }
      const r = this.withdrawRewards(delegator, op);
      this.initializeDelegation(delegator, op);
      return r;
    });
  }

  /** MsgSetWithdrawAddress: module accounts are blocked addresses. */
  setWithdrawAddress(delegator: string, withdrawAddress: string): Event[] {
    return this.journal.atomic(() => {
      const blocked = [this.moduleAddress, this.staking.bondedPool, this.staking.notBondedPool];
      if (blocked.includes(withdrawAddress)) {
        throw new ModuleError('sdk', 4, `${withdrawAddress} is not allowed to receive external funds: unauthorized`);
      }
      if (withdrawAddress === delegator) this.withdrawAddrs.delete(delegator);
      else this.withdrawAddrs.set(delegator, withdrawAddress);
      return [event('set_withdraw_address', attr('withdraw_address', withdrawAddress))];
    });
  }

  /** MsgWithdrawValidatorCommission: pays the truncated commission to the operator's account. */
  withdrawCommission(op: string): { events: Event[]; amount: bigint } {
    return this.journal.atomic(() => {
      const r = this.rewards.get(op);
      if (!r || r.commission.isZero()) throw distrError(DistributionErr.noValidatorCommission, 'no validator commission to withdraw');
      const amount = r.commission.truncateInt();
      const paid = LegacyDec.fromInt(amount);
      this.rewards.set(op, { ...r, commission: r.commission.sub(paid), outstanding: r.outstanding.sub(paid) });
      const events: Event[] = [];
      if (amount > 0n) {
        events.push(...this.bank.send(this.moduleAddress, this.withdrawAddress(this.operatorAccount(op)), [{ denom: this.denom, amount }]));
      }
      events.push(event('withdraw_commission', attr('amount', amount > 0n ? this.coin(amount) : '')));
      return { events, amount };
    });
  }

  // ---- internals ----

  private coin(amount: bigint): string {
    return coinStr({ denom: this.denom, amount });
  }

  private decCoin(d: LegacyDec): string {
    return d.isZero() ? '' : `${d.toString()}${this.denom}`;
  }

  /** sdk.AccAddress(valAddr): same bytes, account prefix. */
  private operatorAccount(op: string): string {
    // Explicit length limit: @cosmjs/encoding 0.39 defaults to Infinity, which @scure/base 2 rejects.
    return toBech32(this.staking.prefix, fromBech32(op, 1023).data);
  }

  /** IncrementValidatorPeriod: fold current rewards into the ratio (no shares → community pool). */
  private incrementPeriod(op: string): void {
    const r = this.rewards.get(op);
    if (!r || r.current.isZero()) return;
    const v = this.staking.validator(op);
    if (!v || v.delegatorShares.isZero()) {
      this.community.set(this.community.get().add(r.current));
      this.rewards.set(op, { ...r, current: LegacyDec.ZERO, outstanding: r.outstanding.sub(r.current) });
      return;
    }
    // Truncate so delegators can never withdraw more than was allocated.
    this.rewards.set(op, { ...r, ratio: r.ratio.add(r.current.quoTruncate(v.delegatorShares)), current: LegacyDec.ZERO });
  }

  private initializeDelegation(delegator: string, op: string): void {
    this.starts.set(key(op, delegator), (this.rewards.get(op) ?? ZERO_REWARDS).ratio);
  }

  /** withdrawDelegationRewards: ends the period, pays the truncated amount, drops the starting info. */
  private withdrawRewards(delegator: string, op: string): { events: Event[]; amount: bigint } {
    const start = this.starts.get(key(op, delegator));
    if (start === undefined) throw distrError(DistributionErr.emptyDelegationDistInfo, 'no delegation distribution info');
    this.incrementPeriod(op);
    const r = this.rewards.get(op) ?? ZERO_REWARDS;
    const d = this.staking.delegation(delegator, op);
    const raw = d ? d.shares.mulTruncate(r.ratio.sub(start)) : LegacyDec.ZERO;
    // Intersect with outstanding: a defensive cap against rounding drift.
    const owed = LegacyDec.min(raw, r.outstanding);
    const amount = owed.truncateInt();
    const remainder = owed.sub(LegacyDec.fromInt(amount));
    const events: Event[] = [];
    if (amount > 0n) {
      events.push(...this.bank.send(this.moduleAddress, this.withdrawAddress(delegator), [{ denom: this.denom, amount }]));
    }
    this.rewards.set(op, { ...r, outstanding: r.outstanding.sub(owed) });
    if (!remainder.isZero()) this.community.set(this.community.get().add(remainder));
    this.starts.delete(key(op, delegator));
    // SDK ≥0.46 reports a zero withdrawal as a zero coin ("0stake"), not an empty string.
    events.push(
      event(
        'withdraw_rewards',
        attr('amount', this.coin(amount)),
        attr('validator', op),
        attr('delegator', delegator),
      ),
    );
    return { events, amount };
  }

  /** AfterValidatorRemoved: pay out commission, send leftover dust to the community pool. */
  private validatorRemoved(op: string): Event[] {
    const r = this.rewards.get(op);
    if (!r) return [];
    const events: Event[] = [];
    let outstanding = r.outstanding;
    if (!r.commission.isZero()) {
      outstanding = outstanding.sub(r.commission);
      const amount = r.commission.truncateInt();
      this.community.set(this.community.get().add(r.commission.sub(LegacyDec.fromInt(amount))));
      if (amount > 0n) {
        events.push(...this.bank.send(this.moduleAddress, this.withdrawAddress(this.operatorAccount(op)), [{ denom: this.denom, amount }]));
      }
    }
    this.community.set(this.community.get().add(outstanding));
    this.rewards.delete(op);
    for (const k of this.starts.keys({ prefix: key(op, '') })) this.starts.delete(k);
    return events;
  }

  private stakingHooks(): StakingHooks {
    return {
      afterValidatorCreated: (op) => {
        if (!this.rewards.has(op)) this.rewards.set(op, ZERO_REWARDS);
      },
      beforeDelegationCreated: (_delegator, op) => {
        this.incrementPeriod(op);
      },
      // The SDK withdraws all rewards before any change of a delegation's shares.
      // Delegations older than this module (no starting info) have nothing to settle.
      beforeDelegationSharesModified: (delegator, op) =>
        this.starts.has(key(op, delegator)) ? this.withdrawRewards(delegator, op).events : [],
      afterDelegationModified: (delegator, op) => {
        this.initializeDelegation(delegator, op);
      },
      afterValidatorRemoved: (op) => this.validatorRemoved(op),
      // Rewards are per share and a slash leaves shares untouched: nothing to record.
    };
  }
}
