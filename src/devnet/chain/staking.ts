// x/staking (SDK v0.47 keeper semantics): validators, delegations with exact LegacyDec share math,
// unbonding queue, validator-set updates in EndBlock, slashing and the staking hooks.
// Simplified, on purpose: no consensus keys (the valoper stands in for the consensus address), no
// redelegation records (so no transitive-redelegation check, no redelegation slashing and no
// `complete_redelegation`), no historical info, no unbonding-on-hold (ICS) machinery.
import { fromBech32 } from '@cosmjs/encoding';
import { JItem, JMap, type Journal, key, u64Key } from '../state/journal.ts';
import { moduleAccountAddress } from './address.ts';
import type { Bank } from './bank.ts';
import { LegacyDec } from './legacy-dec.ts';
import { type Event, ModuleError, attr, coinStr, event, nsPerSecond } from './types.ts';

export type BondStatus = 'bonded' | 'unbonding' | 'unbonded';

/** Commission rates as Go LegacyDec strings ("0.100000000000000000"). */
export interface Commission {
  rate: string;
  maxRate: string;
  maxChangeRate: string;
  /** Block time (ns) of the last rate change; the SDK allows one change per 24 h. */
  updateTime?: bigint;
}

export interface Validator {
  readonly operator: string;
  /** Account whose delegation counts as self-delegation (min-self-delegation jail, unjail check). */
  readonly selfDelegator: string;
  readonly tokens: bigint;
  readonly delegatorShares: LegacyDec;
  readonly status: BondStatus;
  readonly jailed: boolean;
  readonly commission: Commission;
  readonly minSelfDelegation: bigint;
  /** Set when the validator starts unbonding (ns, block height). */
  readonly unbondingTime?: bigint;
  readonly unbondingHeight?: bigint;
}

export interface Delegation {
  readonly delegator: string;
  readonly validator: string;
  readonly shares: LegacyDec;
}

export interface DelegationInfo extends Delegation {
  /** TokensFromShares(shares).TruncateInt(), as the delegation queries report it. */
  readonly tokens: bigint;
}

export interface UnbondingEntry {
  readonly id: bigint;
  readonly delegator: string;
  readonly validator: string;
  readonly creationHeight: bigint;
  /** ns since the Unix epoch. */
  readonly completionTime: bigint;
  readonly initialBalance: bigint;
  readonly balance: bigint;
}

type HookResult = Event[] | void;

/**
 * The SDK's StakingHooks. Each returns the events it emitted (they join the caller's events).
 * Throwing aborts the operation, as a hook error does in the SDK.
 */
export interface StakingHooks {
  afterValidatorCreated?(op: string): HookResult;
  afterValidatorBonded?(op: string): HookResult;
  afterValidatorBeginUnbonding?(op: string): HookResult;
  afterValidatorRemoved?(op: string): HookResult;
  /** SDK call sites: Slash (before tokens change) and MsgEditValidator. */
  beforeValidatorModified?(op: string): HookResult;
  beforeValidatorSlashed?(op: string, effectiveFraction: LegacyDec): HookResult;
  beforeDelegationCreated?(delegator: string, op: string): HookResult;
  beforeDelegationSharesModified?(delegator: string, op: string): HookResult;
  beforeDelegationRemoved?(delegator: string, op: string): HookResult;
  afterDelegationModified?(delegator: string, op: string): HookResult;
}

export interface StakingOptions {
  bondDenom: string;
  prefix: string;
  unbondingTimeSec: bigint;
  maxValidators: number;
  /** Tokens per unit of consensus power; SDK DefaultPowerReduction = 10^6. */
  powerReduction?: bigint;
  /** MaxEntries param (unbonding entries per delegator/validator pair); SDK default 7. */
  maxEntries?: number;
}

/** Slash context; without it the infraction counts as at the current height (no unbonding entries slashed). */
export interface SlashContext {
  infractionHeight: bigint;
  height: bigint;
  /** Block time (ns), to tell matured unbonding entries apart. */
  now: bigint;
}

/** x/staking error codes (codespace `staking`, `x/staking/types/errors.go`). */
export const StakingErr = {
  noValidatorFound: 3,
  validatorOwnerExists: 4,
  validatorJailed: 7,
  commissionNegative: 9,
  commissionHuge: 10,
  commissionGTMaxRate: 11,
  commissionUpdateTime: 12,
  commissionChangeRateNegative: 13,
  commissionChangeRateGTMaxRate: 14,
  commissionGTMaxChangeRate: 15,
  noDelegation: 19,
  noDelegatorForAddress: 21,
  insufficientShares: 22,
  notEnoughDelegationShares: 24,
  maxUnbondingDelegationEntries: 27,
  selfRedelegation: 29,
  tinyRedelegationAmount: 30,
  badRedelegationDst: 31,
  delegatorShareExRateInvalid: 34,
} as const;

const MESSAGES: Record<number, string> = {
  3: 'validator does not exist',
  4: 'validator already exist for this operator address; must use new validator operator address',
  7: 'validator for this address is currently jailed',
  9: 'commission must be positive',
  10: 'commission cannot be more than 100%',
  11: 'commission cannot be more than the max rate',
  12: 'commission cannot be changed more than once in 24h',
  13: 'commission change rate must be positive',
  14: 'commission change rate cannot be more than the max rate',
  15: 'commission cannot be changed more than max change rate',
  19: 'no delegation for (address, validator) tuple',
  21: 'delegator does not contain delegation',
  22: 'insufficient delegation shares',
  24: 'not enough delegation shares',
  27: 'too many unbonding delegation entries for (delegator, validator) tuple',
  29: 'cannot redelegate to the same validator',
  30: 'too few tokens to redelegate (truncates to zero tokens)',
  31: 'redelegation destination validator not found',
  34: 'cannot delegate to validators with invalid (zero) ex-rate',
};

/** errorsmod.Wrap(err, ctx) renders as "ctx: err". */
const stakingError = (code: number, context?: string): ModuleError =>
  new ModuleError('staking', code, context === undefined ? MESSAGES[code]! : `${context}: ${MESSAGES[code]!}`);
const invalidRequest = (context: string): ModuleError => new ModuleError('sdk', 18, `${context}: invalid request`);

// ---- Validator share math (x/staking/types/validator.go), pure functions over a Validator ----

/** InvalidExRate: tokens gone (slashed to zero) while shares remain. */
export const invalidExRate = (v: Validator): boolean => v.tokens === 0n && v.delegatorShares.isPositive();

/** TokensFromShares = shares.MulInt(tokens).Quo(delegatorShares) (banker's rounding). */
export const tokensFromShares = (v: Validator, shares: LegacyDec): LegacyDec =>
  shares.mulInt(v.tokens).quo(v.delegatorShares);

/** TokensFromSharesTruncated = shares.MulInt(tokens).QuoTruncate(delegatorShares). */
export const tokensFromSharesTruncated = (v: Validator, shares: LegacyDec): LegacyDec =>
  shares.mulInt(v.tokens).quoTruncate(v.delegatorShares);

/** SharesFromTokens = delegatorShares.MulInt(amt).QuoInt(tokens); errors on a zero-token validator. */
export function sharesFromTokens(v: Validator, amount: bigint): LegacyDec {
  if (v.tokens === 0n) throw stakingError(StakingErr.insufficientShares);
  return v.delegatorShares.mulInt(amount).quoInt(v.tokens);
}

/** SharesFromTokensTruncated = delegatorShares.MulInt(amt).QuoTruncate(NewDecFromInt(tokens)). */
export function sharesFromTokensTruncated(v: Validator, amount: bigint): LegacyDec {
  if (v.tokens === 0n) throw stakingError(StakingErr.insufficientShares);
  return v.delegatorShares.mulInt(amount).quoTruncate(LegacyDec.fromInt(v.tokens));
}

/** AddTokensFromDel: the first delegation (zero shares) sets the exchange rate to 1. */
export function addTokensFromDel(v: Validator, amount: bigint): { validator: Validator; issued: LegacyDec } {
  const issued = v.delegatorShares.isZero() ? LegacyDec.fromInt(amount) : sharesFromTokens(v, amount);
  return {
    validator: { ...v, tokens: v.tokens + amount, delegatorShares: v.delegatorShares.add(issued) },
    issued,
  };
}

/** RemoveDelShares: the last shares take every remaining token; otherwise TokensFromShares truncated. */
export function removeDelShares(v: Validator, shares: LegacyDec): { validator: Validator; issued: bigint } {
  const remaining = v.delegatorShares.sub(shares);
  let issued: bigint;
  if (remaining.isZero()) {
    issued = v.tokens;
  } else {
    issued = tokensFromShares(v, shares).truncateInt();
    if (issued > v.tokens) throw new Error('attempting to remove more tokens than available in validator');
  }
  return { validator: { ...v, tokens: v.tokens - issued, delegatorShares: remaining }, issued };
}

/** Go time.Format(time.RFC3339) of a UTC block time: whole seconds, "Z". */
export function rfc3339(ns: bigint): string {
  const ms = ns / 1_000_000n;
  return new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function validateCommission(c: Commission): Commission {
  const rate = LegacyDec.parse(c.rate);
  const maxRate = LegacyDec.parse(c.maxRate);
  const maxChange = LegacyDec.parse(c.maxChangeRate);
  // CommissionRates.Validate order.
  if (maxRate.isNegative()) throw stakingError(StakingErr.commissionNegative);
  if (maxRate.gt(LegacyDec.ONE)) throw stakingError(StakingErr.commissionHuge);
  if (rate.isNegative()) throw stakingError(StakingErr.commissionNegative);
  if (rate.gt(maxRate)) throw stakingError(StakingErr.commissionGTMaxRate);
  if (maxChange.isNegative()) throw stakingError(StakingErr.commissionChangeRateNegative);
  if (maxChange.gt(maxRate)) throw stakingError(StakingErr.commissionChangeRateGTMaxRate);
  return {
    rate: rate.toString(),
    maxRate: maxRate.toString(),
    maxChangeRate: maxChange.toString(),
    ...(c.updateTime !== undefined ? { updateTime: c.updateTime } : {}),
  };
}

const DEFAULT_COMMISSION: Commission = { rate: '0.1', maxRate: '0.2', maxChangeRate: '0.01' };
const ZERO_COMMISSION: Commission = { rate: '0', maxRate: '0', maxChangeRate: '0' };

/** Power-index order: power desc, then operator address bytes asc (the SDK key stores inverted bytes). */
const addrBytesCache = new Map<string, Buffer>();
function addrBytes(op: string): Buffer {
  let b = addrBytesCache.get(op);
  if (!b) {
    try {
      // Explicit length limit: @cosmjs/encoding 0.39 defaults to Infinity, which @scure/base 2 rejects.
      b = Buffer.from(fromBech32(op, 1023).data);
    } catch {
      b = Buffer.from(op, 'utf8');
    }
    addrBytesCache.set(op, b);
  }
  return b;
}
const compareAddr = (a: string, b: string): number => Buffer.compare(addrBytes(a), addrBytes(b));

export class Staking {
  readonly bondDenom: string;
  readonly prefix: string;
  readonly unbondingTimeSec: bigint;
  readonly maxValidators: number;
  readonly powerReduction: bigint;
  readonly maxEntries: number;
  readonly bondedPool: string;
  readonly notBondedPool: string;

  private readonly vals: JMap<Validator>;
  /** LastValidatorPower: the set CometBFT knows, as of the last EndBlock. */
  private readonly lastPowers: JMap<bigint>;
  private readonly dels: JMap<Delegation>;
  /** Index (validator, delegator) → present. */
  private readonly delsByVal: JMap<true>;
  /** Unbonding entries keyed (delegator, validator, id): a pair's entries in creation order. */
  private readonly ubds: JMap<UnbondingEntry>;
  /** UBD queue: (completion time, seq) → pair; one slot per undelegation, like the SDK's time slices. */
  private readonly ubdQueue: JMap<{ delegator: string; validator: string }>;
  private readonly nextId: JItem<bigint>;

  private moduleHooks: StakingHooks[] = [];
  private appHooks: StakingHooks[] = [];

  constructor(
    private readonly journal: Journal,
    private readonly bank: Bank,
    opts: StakingOptions,
  ) {
    this.bondDenom = opts.bondDenom;
    this.prefix = opts.prefix;
    this.unbondingTimeSec = opts.unbondingTimeSec;
    this.maxValidators = opts.maxValidators;
    this.powerReduction = opts.powerReduction ?? 1_000_000n;
    this.maxEntries = opts.maxEntries ?? 7;
    this.bondedPool = moduleAccountAddress(opts.prefix, 'bonded_tokens_pool');
    this.notBondedPool = moduleAccountAddress(opts.prefix, 'not_bonded_tokens_pool');
    this.vals = new JMap(journal);
    this.lastPowers = new JMap(journal);
    this.dels = new JMap(journal);
    this.delsByVal = new JMap(journal);
    this.ubds = new JMap(journal);
    this.ubdQueue = new JMap(journal);
    this.nextId = new JItem(journal, 1n);
  }

  // ---- hooks ----

  /** The app's hooks (e.g. x/meshsecurity); replaces earlier app hooks. They run after module hooks. */
  setHooks(...hooks: StakingHooks[]): void {
    this.appHooks = hooks;
  }

  /** Appends app hooks (composes modules such as x/meshsecurity and x/meshsecurityprovider). */
  addHooks(hooks: StakingHooks): void {
    this.appHooks = [...this.appHooks, hooks];
  }

  /** Sibling modules (x/distribution) register here; they run first, as in the SDK's MultiStakingHooks(distr, …). */
  addModuleHooks(hooks: StakingHooks): void {
    this.moduleHooks.push(hooks);
  }

  private hooks(call: (h: StakingHooks) => HookResult): Event[] {
    const out: Event[] = [];
    for (const h of [...this.moduleHooks, ...this.appHooks]) {
      const r = call(h);
      if (r) out.push(...r);
    }
    return out;
  }

  // ---- queries ----

  validator(op: string): Validator | undefined {
    return this.vals.get(op);
  }

  /** All validators, by operator string. */
  validators(): Validator[] {
    return this.vals.values();
  }

  /** Bonded validators in power-index order (power desc, then address bytes). */
  bondedValidators(): Validator[] {
    return this.byPower(this.vals.values().filter((v) => v.status === 'bonded'));
  }

  /** Consensus power = tokens / powerReduction (SDK TokensToConsensusPower). */
  power(op: string): bigint {
    const v = this.vals.get(op);
    return v ? v.tokens / this.powerReduction : 0n;
  }

  /** The power CometBFT has for a validator (set in the last EndBlock); undefined if not in the set. */
  lastPower(op: string): bigint | undefined {
    return this.lastPowers.get(op);
  }

  /** Powers CometBFT got in the last EndBlock (operator → power). */
  lastValidatorPowers(): Array<{ operator: string; power: bigint }> {
    return this.lastPowers.entries().map(([operator, power]) => ({ operator, power }));
  }

  delegation(delegator: string, op: string): DelegationInfo | undefined {
    const d = this.dels.get(key(delegator, op));
    return d ? this.info(d) : undefined;
  }

  delegationsOf(delegator: string): DelegationInfo[] {
    return this.dels.values({ prefix: key(delegator, '') }).map((d) => this.info(d));
  }

  delegationsTo(op: string): DelegationInfo[] {
    return this.delsByVal
      .keys({ prefix: key(op, '') })
      .map((k) => this.dels.get(key(k.slice(op.length + 1), op))!)
      .map((d) => this.info(d));
  }

  unbondingDelegations(delegator: string): UnbondingEntry[] {
    return this.ubds.values({ prefix: key(delegator, '') });
  }

  /** Alias of unbondingDelegations. */
  unbondingEntries(delegator: string): UnbondingEntry[] {
    return this.unbondingDelegations(delegator);
  }

  unbondingDelegationsFrom(op: string): UnbondingEntry[] {
    return this.ubds.values().filter((e) => e.validator === op);
  }

  tokensFromShares(op: string, shares: LegacyDec): LegacyDec {
    return tokensFromShares(this.mustValidator(op), shares);
  }
  tokensFromSharesTruncated(op: string, shares: LegacyDec): LegacyDec {
    return tokensFromSharesTruncated(this.mustValidator(op), shares);
  }
  sharesFromTokens(op: string, amount: bigint): LegacyDec {
    return sharesFromTokens(this.mustValidator(op), amount);
  }
  sharesFromTokensTruncated(op: string, amount: bigint): LegacyDec {
    return sharesFromTokensTruncated(this.mustValidator(op), amount);
  }

  /** Σ tokens of bonded validators (the bonded pool should hold exactly this). */
  totalBondedTokens(): bigint {
    return this.vals.values().reduce((s, v) => (v.status === 'bonded' ? s + v.tokens : s), 0n);
  }

  /** Throws if pools, validator tokens, unbonding balances or share sums disagree (SDK invariants). */
  checkInvariants(): void {
    let bonded = 0n;
    let notBonded = 0n;
    for (const v of this.vals.values()) {
      if (v.status === 'bonded') bonded += v.tokens;
      else notBonded += v.tokens;
      const sum = this.delegationsTo(v.operator).reduce((s, d) => s.add(d.shares), LegacyDec.ZERO);
      if (!sum.eq(v.delegatorShares)) throw new Error(`staking invariant: ${v.operator} shares ${v.delegatorShares} ≠ Σ delegations ${sum}`);
    }
    for (const e of this.ubds.values()) notBonded += e.balance;
    const bp = this.bank.balance(this.bondedPool, this.bondDenom);
    const nbp = this.bank.balance(this.notBondedPool, this.bondDenom);
    if (bp !== bonded) throw new Error(`staking invariant: bonded pool ${bp} ≠ bonded tokens ${bonded}`);
    if (nbp !== notBonded) throw new Error(`staking invariant: not-bonded pool ${nbp} ≠ not-bonded tokens ${notBonded}`);
  }

  // ---- genesis ----

  /**
   * A genesis validator with an explicit exchange rate. SDK e2e chains (ibc-go testing
   * SetupWithGenesisValSet) start validators with 10^6 tokens but 1.0 delegator shares, which is
   * why the mesh tests speak of "shares 45" for 45 000 000 tokens: pass `shares: LegacyDec.ONE`.
   * The tokens are minted into the pool (genesis allocation); no events.
   */
  initGenesisValidator(g: {
    operator: string;
    delegator: string;
    tokens: bigint;
    shares?: LegacyDec;
    commission?: Commission;
    bonded?: boolean;
    minSelfDelegation?: bigint;
  }): void {
    this.journal.atomic(() => {
      if (this.vals.has(g.operator)) throw stakingError(StakingErr.validatorOwnerExists);
      // A zero-power validator cannot be in the CometBFT set, so it starts unbonded.
      const bonded = (g.bonded ?? true) && g.tokens / this.powerReduction > 0n;
      const shares = g.shares ?? LegacyDec.fromInt(g.tokens);
      const v: Validator = {
        operator: g.operator,
        selfDelegator: g.delegator,
        tokens: g.tokens,
        delegatorShares: shares,
        status: bonded ? 'bonded' : 'unbonded',
        jailed: false,
        commission: validateCommission(g.commission ?? ZERO_COMMISSION),
        minSelfDelegation: g.minSelfDelegation ?? 0n,
      };
      this.vals.set(v.operator, v);
      this.bank.fund(bonded ? this.bondedPool : this.notBondedPool, { denom: this.bondDenom, amount: g.tokens });
      if (bonded) this.lastPowers.set(v.operator, g.tokens / this.powerReduction);
      // InitGenesis runs these hooks for non-exported genesis (distribution needs its records).
      this.hooks((h) => h.afterValidatorCreated?.(v.operator));
      this.hooks((h) => h.beforeDelegationCreated?.(g.delegator, v.operator));
      this.setDelegation({ delegator: g.delegator, validator: v.operator, shares });
      this.hooks((h) => h.afterDelegationModified?.(g.delegator, v.operator));
    });
  }

  // ---- messages ----

  /** MsgCreateValidator: an unbonded validator plus its self-delegation; it bonds at the next endBlock. */
  createValidator(operator: string, selfDelegator: string, amount: bigint, commission?: Commission): Event[] {
    return this.journal.atomic(() => {
      if (amount <= 0n) throw invalidRequest('invalid delegation amount');
      if (this.vals.has(operator)) throw stakingError(StakingErr.validatorOwnerExists);
      const v: Validator = {
        operator,
        selfDelegator,
        tokens: 0n,
        delegatorShares: LegacyDec.ZERO,
        status: 'unbonded',
        jailed: false,
        commission: validateCommission(commission ?? DEFAULT_COMMISSION),
        minSelfDelegation: 1n,
      };
      this.vals.set(operator, v);
      const events = this.hooks((h) => h.afterValidatorCreated?.(operator));
      events.push(...this.delegateInternal(selfDelegator, operator, amount, 'unbonded', true).events);
      events.push(event('create_validator', attr('validator', operator), attr('amount', this.coin(amount))));
      return events;
    });
  }

  /** MsgEditValidator (commission only): one change per 24 h, within max rate and max change rate. */
  editValidator(op: string, commissionRate: string, now: bigint): Event[] {
    return this.journal.atomic(() => {
      const v = this.mustValidator(op);
      const rate = LegacyDec.parse(commissionRate);
      const c = v.commission;
      if (c.updateTime !== undefined && now - c.updateTime < 86_400n * nsPerSecond) {
        throw stakingError(StakingErr.commissionUpdateTime);
      }
      if (rate.isNegative()) throw stakingError(StakingErr.commissionNegative);
      if (rate.gt(LegacyDec.parse(c.maxRate))) throw stakingError(StakingErr.commissionGTMaxRate);
      if (rate.sub(LegacyDec.parse(c.rate)).abs().gt(LegacyDec.parse(c.maxChangeRate))) {
        throw stakingError(StakingErr.commissionGTMaxChangeRate);
      }
      const events = this.hooks((h) => h.beforeValidatorModified?.(op));
      this.vals.set(op, { ...this.mustValidator(op), commission: { ...c, rate: rate.toString(), updateTime: now } });
      events.push(
        event('edit_validator', attr('commission_rate', rate.toString()), attr('min_self_delegation', v.minSelfDelegation)),
      );
      return events;
    });
  }

  /** MsgDelegate: coins go to the bonded or not-bonded pool by validator status. */
  delegate(delegator: string, op: string, amount: bigint): Event[] {
    return this.journal.atomic(() => {
      if (amount <= 0n) throw invalidRequest('invalid delegation amount');
      this.mustValidator(op);
      const { events, newShares } = this.delegateInternal(delegator, op, amount, 'unbonded', true);
      events.push(
        event(
          'delegate',
          attr('validator', op),
          attr('delegator', delegator),
          attr('amount', this.coin(amount)),
          attr('new_shares', newShares.toString()),
        ),
      );
      return events;
    });
  }

  /** ValidateUnbondAmount: tokens → shares to remove, capped at the delegation's shares. */
  validateUnbondAmount(delegator: string, op: string, amount: bigint): LegacyDec {
    const v = this.mustValidator(op);
    const d = this.dels.get(key(delegator, op));
    if (!d) throw stakingError(StakingErr.noDelegation);
    let shares = sharesFromTokens(v, amount);
    const sharesTruncated = sharesFromTokensTruncated(v, amount);
    if (sharesTruncated.gt(d.shares)) throw invalidRequest('invalid shares amount');
    // Rounding may put shares slightly above the delegation; cap so a full withdrawal works.
    if (shares.gt(d.shares)) shares = d.shares;
    return shares;
  }

  /** MsgUndelegate: tokens wait in the not-bonded pool until `endBlock` passes the completion time. */
  undelegate(
    delegator: string,
    op: string,
    amount: bigint,
    now: bigint,
    height: bigint,
  ): { events: Event[]; returned: bigint; completionTime: bigint } {
    return this.journal.atomic(() => {
      if (amount <= 0n) throw invalidRequest('invalid shares amount');
      const shares = this.validateUnbondAmount(delegator, op, amount);
      const v = this.mustValidator(op);
      if (this.ubds.keys({ prefix: key(delegator, op, '') }).length >= this.maxEntries) {
        throw stakingError(StakingErr.maxUnbondingDelegationEntries);
      }
      const { events, amount: returned } = this.unbond(delegator, op, shares);
      if (v.status === 'bonded') events.push(...this.bondedToNotBonded(returned));
      const completionTime = now + this.unbondingTimeSec * nsPerSecond;
      this.addUnbondingEntry(delegator, op, height, completionTime, returned);
      events.push(
        event(
          'unbond',
          attr('validator', op),
          attr('delegator', delegator),
          attr('amount', this.coin(returned)),
          attr('completion_time', rfc3339(completionTime)),
        ),
      );
      return { events, returned, completionTime };
    });
  }

  /**
   * Osmosis-fork InstantUndelegate as x/meshsecurity uses it: ValidateUnbondAmount, Unbond, then the
   * tokens leave the validator's pool for the delegator at once. No staking event of its own.
   */
  instantUndelegate(delegator: string, op: string, amount: bigint): { events: Event[]; returned: bigint } {
    return this.journal.atomic(() => {
      if (amount <= 0n) throw invalidRequest('invalid shares amount');
      return this.instantUndelegateShares(delegator, op, this.validateUnbondAmount(delegator, op, amount));
    });
  }

  instantUndelegateShares(delegator: string, op: string, shares: LegacyDec): { events: Event[]; returned: bigint } {
    return this.journal.atomic(() => {
      const v = this.vals.get(op);
      if (!v) throw stakingError(StakingErr.noDelegatorForAddress);
      const { events, amount } = this.unbond(delegator, op, shares);
      const pool = v.status === 'bonded' ? this.bondedPool : this.notBondedPool;
      events.push(...this.undelegateCoins(pool, delegator, amount));
      return { events, returned: amount };
    });
  }

  /**
   * MsgBeginRedelegate without redelegation records: shares move at once (tokens switch pools when
   * the two statuses differ). completion_time is what the SDK would report. `height` would be the
   * redelegation entry's creation height; accepted for symmetry with `undelegate`, unused.
   */
  redelegate(
    delegator: string,
    src: string,
    dst: string,
    amount: bigint,
    now: bigint,
    _height?: bigint,
  ): { events: Event[]; completionTime: bigint } {
    return this.journal.atomic(() => {
      if (amount <= 0n) throw invalidRequest('invalid shares amount');
      const shares = this.validateUnbondAmount(delegator, src, amount);
      if (src === dst) throw stakingError(StakingErr.selfRedelegation);
      if (!this.vals.has(dst)) throw stakingError(StakingErr.badRedelegationDst);
      const srcStatus = this.mustValidator(src).status;
      const { events, amount: returned } = this.unbond(delegator, src, shares);
      if (returned === 0n) throw stakingError(StakingErr.tinyRedelegationAmount);
      events.push(...this.delegateInternal(delegator, dst, returned, srcStatus, false).events);
      // getBeginInfo: unbonded source completes now (Go zero time in the event), unbonding keeps its time.
      const after = this.vals.get(src);
      let completionTime = now + this.unbondingTimeSec * nsPerSecond;
      let shown = rfc3339(completionTime);
      if (after?.status === 'unbonded') {
        completionTime = now;
        shown = '0001-01-01T00:00:00Z';
      } else if (after?.status === 'unbonding' && after.unbondingTime !== undefined) {
        completionTime = after.unbondingTime;
        shown = rfc3339(completionTime);
      }
      events.push(
        event(
          'redelegate',
          attr('source_validator', src),
          attr('destination_validator', dst),
          attr('amount', this.coin(amount)),
          attr('completion_time', shown),
        ),
      );
      return { events, completionTime };
    });
  }

  // ---- slashing entry points (called by x/slashing and x/evidence) ----

  /**
   * Keeper.Slash: slashAmount = (power × powerReduction × fraction) truncated; unbonding entries
   * created at/after the infraction pay their part first (when `ctx` says the infraction is in the
   * past); the validator pays the rest, capped at its tokens, burned from its pool. Returns the
   * amount burned from the validator (the SDK's return value). Redelegations are not slashed.
   * Hook events are dropped here; use `slashWithEvents` to keep them.
   */
  slash(op: string, infractionPower: bigint, fraction: LegacyDec, ctx?: SlashContext): bigint {
    return this.slashWithEvents(op, infractionPower, fraction, ctx).amount;
  }

  slashWithEvents(
    op: string,
    infractionPower: bigint,
    fraction: LegacyDec,
    ctx?: SlashContext,
  ): { amount: bigint; events: Event[] } {
    return this.journal.atomic(() => {
      if (fraction.isNegative()) throw new Error(`attempted to slash with a negative slash factor: ${fraction}`);
      const slashAmount = LegacyDec.fromInt(infractionPower * this.powerReduction).mul(fraction).truncateInt();
      const v0 = this.vals.get(op);
      if (!v0) return { amount: 0n, events: [] }; // SDK: logs "validator not found" and returns 0
      if (v0.status === 'unbonded') throw new Error(`should not be slashing unbonded validator: ${op}`);
      const events = this.hooks((h) => h.beforeValidatorModified?.(op));
      let remaining = slashAmount;
      if (ctx && ctx.infractionHeight > ctx.height) {
        throw new Error(`impossible attempt to slash future infraction at height ${ctx.infractionHeight} but we are at height ${ctx.height}`);
      }
      if (ctx && ctx.infractionHeight < ctx.height) {
        const pairs = [...new Set(this.unbondingDelegationsFrom(op).map((e) => e.delegator))].sort(compareAddr);
        for (const delegator of pairs) {
          const r = this.slashUnbondingDelegation(delegator, op, ctx, fraction);
          remaining -= r.total;
          events.push(...r.events);
        }
      }
      const v = this.mustValidator(op);
      let burn = remaining < v.tokens ? remaining : v.tokens;
      if (burn < 0n) burn = 0n;
      if (v.tokens > 0n) {
        let effective = LegacyDec.fromInt(burn).quoRoundUp(LegacyDec.fromInt(v.tokens));
        if (effective.gt(LegacyDec.ONE)) effective = LegacyDec.ONE;
        events.push(...this.hooks((h) => h.beforeValidatorSlashed?.(op, effective)));
      }
      const cur = this.mustValidator(op);
      this.vals.set(op, { ...cur, tokens: cur.tokens - burn });
      if (burn > 0n) {
        const pool = cur.status === 'bonded' ? this.bondedPool : this.notBondedPool;
        events.push(...this.bank.burn(pool, { denom: this.bondDenom, amount: burn }));
      }
      return { amount: burn, events };
    });
  }

  /** jailValidator: out of the power index; leaves the bonded set at the next endBlock. No hooks (SDK). */
  jail(op: string): void {
    this.journal.atomic(() => {
      const v = this.mustValidator(op);
      if (v.jailed) throw new Error(`cannot jail already jailed validator, validator: ${op}`);
      this.vals.set(op, { ...v, jailed: true });
    });
  }

  unjail(op: string): void {
    this.journal.atomic(() => {
      const v = this.mustValidator(op);
      if (!v.jailed) throw new Error(`cannot unjail already unjailed validator, validator: ${op}`);
      this.vals.set(op, { ...v, jailed: false });
    });
  }

  // ---- EndBlock ----

  /**
   * BlockValidatorUpdates: apply the validator set (top maxValidators non-jailed by power), finish
   * matured unbonding validators, then pay out matured unbonding delegations.
   */
  endBlock(now: bigint, height: bigint): Event[] {
    return this.journal.atomic(() => {
      const events: Event[] = [];
      // ApplyAndReturnValidatorSetUpdates
      const last = new Map(this.lastPowers.entries());
      const candidates = this.byPower(this.vals.values().filter((v) => !v.jailed));
      let count = 0;
      let toBonded = 0n;
      let toNotBonded = 0n;
      for (const v of candidates) {
        if (count >= this.maxValidators) break;
        const power = v.tokens / this.powerReduction;
        if (power === 0n) break;
        if (v.status !== 'bonded') {
          toBonded += v.tokens;
          this.vals.set(v.operator, { ...v, status: 'bonded' });
          events.push(...this.hooks((h) => h.afterValidatorBonded?.(v.operator)));
        }
        last.delete(v.operator);
        if (this.lastPowers.get(v.operator) !== power) this.lastPowers.set(v.operator, power);
        count++;
      }
      for (const op of [...last.keys()].sort(compareAddr)) {
        const v = this.mustValidator(op);
        if (v.status !== 'bonded') throw new Error(`unexpected validator status for ${op}`);
        toNotBonded += v.tokens;
        this.vals.set(op, {
          ...v,
          status: 'unbonding',
          unbondingTime: now + this.unbondingTimeSec * nsPerSecond,
          unbondingHeight: height,
        });
        events.push(...this.hooks((h) => h.afterValidatorBeginUnbonding?.(op)));
        this.lastPowers.delete(op);
      }
      // Only the net amount moves between the pools, as in the SDK.
      if (toBonded > toNotBonded) events.push(...this.notBondedToBonded(toBonded - toNotBonded));
      else if (toNotBonded > toBonded) events.push(...this.bondedToNotBonded(toNotBonded - toBonded));

      // UnbondAllMatureValidators
      const matured = this.vals
        .values()
        .filter((v) => v.status === 'unbonding' && v.unbondingTime! <= now && v.unbondingHeight! <= height)
        .sort((a, b) => (a.unbondingTime! < b.unbondingTime! ? -1 : a.unbondingTime! > b.unbondingTime! ? 1 : compareAddr(a.operator, b.operator)));
      for (const v of matured) {
        this.vals.set(v.operator, { ...v, status: 'unbonded' });
        if (v.delegatorShares.isZero()) events.push(...this.removeValidator(v.operator));
      }

      // DequeueAllMatureUBDQueue + CompleteUnbonding per queued pair
      for (const [qk, pair] of this.ubdQueue.entries()) {
        const t = BigInt(qk.slice(0, 20));
        if (t > now) break;
        this.ubdQueue.delete(qk);
        const r = this.completeUnbonding(pair.delegator, pair.validator, now);
        if (!r) continue; // ErrNoUnbondingDelegation: skipped silently
        events.push(...r.events);
        events.push(
          event(
            'complete_unbonding',
            attr('amount', r.total > 0n ? this.coin(r.total) : ''),
            attr('validator', pair.validator),
            attr('delegator', pair.delegator),
          ),
        );
      }
      return events;
    });
  }

  // ---- internals ----

  private coin(amount: bigint): string {
    return coinStr({ denom: this.bondDenom, amount });
  }

  private mustValidator(op: string): Validator {
    const v = this.vals.get(op);
    if (!v) throw stakingError(StakingErr.noValidatorFound);
    return v;
  }

  private info(d: Delegation): DelegationInfo {
    const v = this.vals.get(d.validator)!;
    const tokens = v.delegatorShares.isZero() ? 0n : tokensFromShares(v, d.shares).truncateInt();
    return { ...d, tokens };
  }

  private byPower(vs: Validator[]): Validator[] {
    return vs.sort((a, b) => {
      const pa = a.tokens / this.powerReduction;
      const pb = b.tokens / this.powerReduction;
      if (pa !== pb) return pa > pb ? -1 : 1;
      return compareAddr(a.operator, b.operator);
    });
  }

  private setDelegation(d: Delegation): void {
    this.dels.set(key(d.delegator, d.validator), d);
    if (!this.delsByVal.has(key(d.validator, d.delegator))) this.delsByVal.set(key(d.validator, d.delegator), true);
  }

  private removeDelegation(delegator: string, op: string): void {
    this.dels.delete(key(delegator, op));
    this.delsByVal.delete(key(op, delegator));
  }

  /** Keeper.Delegate. tokenSrc says which pool redelegated tokens come from when not from the account. */
  private delegateInternal(
    delegator: string,
    op: string,
    amount: bigint,
    tokenSrc: BondStatus,
    subtractAccount: boolean,
  ): { events: Event[]; newShares: LegacyDec } {
    const v0 = this.mustValidator(op);
    if (invalidExRate(v0)) throw stakingError(StakingErr.delegatorShareExRateInvalid);
    const found = this.dels.has(key(delegator, op));
    const events = found
      ? this.hooks((h) => h.beforeDelegationSharesModified?.(delegator, op))
      : this.hooks((h) => h.beforeDelegationCreated?.(delegator, op));
    const v = this.mustValidator(op);
    if (subtractAccount) {
      events.push(...this.delegateCoins(delegator, v.status === 'bonded' ? this.bondedPool : this.notBondedPool, amount));
    } else if (tokenSrc === 'bonded' && v.status !== 'bonded') {
      events.push(...this.bondedToNotBonded(amount));
    } else if (tokenSrc !== 'bonded' && v.status === 'bonded') {
      events.push(...this.notBondedToBonded(amount));
    }
    const { validator, issued } = addTokensFromDel(v, amount);
    this.vals.set(op, validator);
    const prev = this.dels.get(key(delegator, op))?.shares ?? LegacyDec.ZERO;
    this.setDelegation({ delegator, validator: op, shares: prev.add(issued) });
    events.push(...this.hooks((h) => h.afterDelegationModified?.(delegator, op)));
    return { events, newShares: issued };
  }

  /** Keeper.Unbond: remove shares from the delegation and tokens from the validator. */
  private unbond(delegator: string, op: string, shares: LegacyDec): { events: Event[]; amount: bigint } {
    if (!this.dels.has(key(delegator, op))) throw stakingError(StakingErr.noDelegatorForAddress);
    const events = this.hooks((h) => h.beforeDelegationSharesModified?.(delegator, op));
    const d = this.dels.get(key(delegator, op))!;
    if (d.shares.lt(shares)) throw stakingError(StakingErr.notEnoughDelegationShares, d.shares.toString());
    let v = this.mustValidator(op);
    const remaining = d.shares.sub(shares);
    // Self-delegation falling under the minimum jails the validator (no hooks, as in the SDK).
    if (
      delegator === v.selfDelegator &&
      !v.jailed &&
      tokensFromShares(v, remaining).truncateInt() < v.minSelfDelegation
    ) {
      v = { ...v, jailed: true };
      this.vals.set(op, v);
    }
    if (remaining.isZero()) {
      events.push(...this.hooks((h) => h.beforeDelegationRemoved?.(delegator, op)));
      this.removeDelegation(delegator, op);
    } else {
      this.setDelegation({ ...d, shares: remaining });
      events.push(...this.hooks((h) => h.afterDelegationModified?.(delegator, op)));
    }
    const { validator, issued } = removeDelShares(this.mustValidator(op), shares);
    this.vals.set(op, validator);
    if (validator.delegatorShares.isZero() && validator.status === 'unbonded') events.push(...this.removeValidator(op));
    return { events, amount: issued };
  }

  private removeValidator(op: string): Event[] {
    const v = this.mustValidator(op);
    if (v.status !== 'unbonded') throw new Error('cannot call RemoveValidator on bonded or unbonding validators');
    if (v.tokens > 0n) throw new Error('attempting to remove a validator which still contains tokens');
    this.vals.delete(op);
    this.lastPowers.delete(op);
    return this.hooks((h) => h.afterValidatorRemoved?.(op));
  }

  /** SetUnbondingDelegationEntry (entries with equal creation height and completion time merge) + InsertUBDQueue. */
  private addUnbondingEntry(delegator: string, op: string, height: bigint, completionTime: bigint, balance: bigint): void {
    const same = this.ubds
      .values({ prefix: key(delegator, op, '') })
      .find((e) => e.creationHeight === height && e.completionTime === completionTime);
    const id = this.nextId.get();
    this.nextId.set(id + 1n);
    if (same) {
      this.ubds.set(key(delegator, op, u64Key(same.id)), {
        ...same,
        balance: same.balance + balance,
        initialBalance: same.initialBalance + balance,
      });
    } else {
      this.ubds.set(key(delegator, op, u64Key(id)), {
        id,
        delegator,
        validator: op,
        creationHeight: height,
        completionTime,
        initialBalance: balance,
        balance,
      });
    }
    this.ubdQueue.set(key(u64Key(completionTime), u64Key(id)), { delegator, validator: op });
  }

  private completeUnbonding(delegator: string, op: string, now: bigint): { events: Event[]; total: bigint } | undefined {
    const entries = this.ubds.entries({ prefix: key(delegator, op, '') });
    if (entries.length === 0) return undefined;
    const events: Event[] = [];
    let total = 0n;
    for (const [k, e] of entries) {
      if (e.completionTime > now) continue;
      this.ubds.delete(k);
      if (e.balance > 0n) {
        events.push(...this.undelegateCoins(this.notBondedPool, delegator, e.balance));
        total += e.balance;
      }
    }
    return { events, total };
  }

  /** SlashUnbondingDelegation: entries created at/after the infraction and not yet mature lose fraction × initial balance. */
  private slashUnbondingDelegation(
    delegator: string,
    op: string,
    ctx: SlashContext,
    fraction: LegacyDec,
  ): { total: bigint; events: Event[] } {
    let total = 0n;
    let burned = 0n;
    for (const [k, e] of this.ubds.entries({ prefix: key(delegator, op, '') })) {
      if (e.creationHeight < ctx.infractionHeight) continue;
      if (e.completionTime <= ctx.now) continue;
      const slashAmount = fraction.mulInt(e.initialBalance).truncateInt();
      total += slashAmount;
      const cut = slashAmount < e.balance ? slashAmount : e.balance;
      if (cut === 0n) continue;
      burned += cut;
      this.ubds.set(k, { ...e, balance: e.balance - cut });
    }
    const events = burned > 0n ? this.bank.burn(this.notBondedPool, { denom: this.bondDenom, amount: burned }) : [];
    return { total, events };
  }

  /** bank DelegateCoins: coin_spent + coin_received, no transfer event. */
  private delegateCoins(from: string, pool: string, amount: bigint): Event[] {
    const have = this.bank.balance(from, this.bondDenom);
    if (have < amount) {
      throw new ModuleError('sdk', 5, `failed to delegate; ${this.coin(have)} is smaller than ${this.coin(amount)}: insufficient funds`);
    }
    this.bank.moveSilently(from, pool, { denom: this.bondDenom, amount });
    const s = this.coin(amount);
    return [event('coin_spent', attr('spender', from), attr('amount', s)), event('coin_received', attr('receiver', pool), attr('amount', s))];
  }

  /** bank UndelegateCoins: coin_spent + coin_received (empty amount string for zero, as sdk.Coins renders). */
  private undelegateCoins(pool: string, to: string, amount: bigint): Event[] {
    if (amount > 0n) this.bank.moveSilently(pool, to, { denom: this.bondDenom, amount });
    const s = amount > 0n ? this.coin(amount) : '';
    return [event('coin_spent', attr('spender', pool), attr('amount', s)), event('coin_received', attr('receiver', to), attr('amount', s))];
  }

  /** pool.go bondedTokensToNotBonded: a module-to-module send, with x/bank's transfer events. */
  private bondedToNotBonded(amount: bigint): Event[] {
    return this.bank.moduleSend(this.bondedPool, this.notBondedPool, { denom: this.bondDenom, amount });
  }

  private notBondedToBonded(amount: bigint): Event[] {
    return this.bank.moduleSend(this.notBondedPool, this.bondedPool, { denom: this.bondDenom, amount });
  }
}
