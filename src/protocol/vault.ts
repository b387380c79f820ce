// Vault accounting (spec §4.2, §4.3.3; ms:contracts/provider/vault/src/{contract,state}.rs) as pure
// functions over immutable values, so the devnet vault and the indexer compute positions identically.
// An Account is one user's UserInfo plus all of their liens, ordered by lien holder (storage order).
import { Decimal, mulCeil, mulFloor } from './decimal.ts';
import { ContractPanic } from './uint.ts';
import {
  RangePanic,
  type ValueRange,
  ZERO_RANGE,
  addRange,
  commitAdd,
  maxRange,
  prepareAdd,
  range,
  rangeDebug,
  reduceMaxRange,
  rollbackAdd,
  subRange,
} from './value-range.ts';

export interface UserInfo {
  readonly collateral: bigint;
  readonly maxLien: ValueRange;
  readonly totalSlashable: ValueRange;
}

export interface Lien {
  readonly amount: ValueRange;
  /** Fixed when the lien is created (local: native-staking dsign ratio; cross: ext-staking dsign ratio). */
  readonly slashable: Decimal;
}

export interface Account {
  readonly user: UserInfo;
  /** [holder, lien] sorted ascending by holder, as `liens.prefix(user)` iterates. */
  readonly liens: ReadonlyArray<readonly [holder: string, lien: Lien]>;
}

export const DEFAULT_USER: UserInfo = { collateral: 0n, maxLien: ZERO_RANGE, totalSlashable: ZERO_RANGE };
export const emptyAccount = (user: UserInfo = DEFAULT_USER): Account => ({ user, liens: [] });

/** Vault ContractError variants with their Display texts (errors.md §4). */
export class VaultError extends Error {
  constructor(
    readonly kind: 'UnexpectedDenom' | 'ClaimsLocked' | 'InsufficentBalance' | 'UnknownLienholder' | 'InsufficientLien',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export const unexpectedDenom = (denom: string) => new VaultError('UnexpectedDenom', `All denoms are expected to be ${denom}`);
const claimsLocked = (free: ValueRange) => new VaultError('ClaimsLocked', `Claim is locked, only ${rangeDebug(free)} can be unbonded`);
const insufficentBalance = () => new VaultError('InsufficentBalance', "The address doesn't have sufficient balance for this operation");
const unknownLienholder = () => new VaultError('UnknownLienholder', "The lienholder doesn't have any claims");
const insufficientLien = () => new VaultError('InsufficientLien', "The lienholder doesn't have enough claims for the action");

// Uint128 `-` panics on underflow in the contract.
const usub = (a: bigint, b: bigint): bigint => {
  if (b > a) throw new RangePanic('attempt to subtract with overflow');
  return a - b;
};

/** Maps a bounded range failure to another contract error (`.map_err(|_| …)`). */
function mapErr<T>(fn: () => T, err: () => VaultError): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContractPanic) throw e;
    throw err();
  }
}

// ---- derived values (state.rs) -----------------------------------------------------------------

/** used = max_range(max_lien, total_slashable). */
export const usedCollateral = (u: UserInfo): ValueRange => maxRange(u.maxLien, u.totalSlashable);

/** free = {l: collateral − used.h, h: collateral − used.l}; the e2e tests read free.l. */
export function freeCollateral(u: UserInfo): ValueRange {
  const used = usedCollateral(u);
  return range(usub(u.collateral, used.h), usub(u.collateral, used.l));
}

export const verifyCollateral = (u: UserInfo): boolean => u.collateral >= usedCollateral(u).h;

/** recalculate_max_lien: max_range folded over every lien of the user, from {0,0}. */
export const recomputeMaxLien = (liens: Account['liens']): ValueRange => reduceMaxRange(liens.map(([, l]) => l.amount));

export function lienOf(a: Account, holder: string): Lien | undefined {
  return a.liens.find(([h]) => h === holder)?.[1];
}

/** Replaces (or inserts, keeping holder order) a lien; `undefined` removes it. */
export function withLien(a: Account, holder: string, lien: Lien | undefined): Account {
  const rest = a.liens.filter(([h]) => h !== holder);
  if (lien) rest.push([holder, lien]);
  rest.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return { user: a.user, liens: rest };
}

const withUser = (a: Account, user: Partial<UserInfo>): Account => ({ user: { ...a.user, ...user }, liens: a.liens });

// ---- bond / unbond -----------------------------------------------------------------------------

export function bond(u: UserInfo, amount: bigint): UserInfo {
  return { ...u, collateral: u.collateral + amount };
}

/** unbond: needs free.l ≥ amount ("Claim is locked, only ValueRange {…} can be unbonded"). */
export function unbond(u: UserInfo, amount: bigint): UserInfo {
  const free = freeCollateral(u);
  if (free.l < amount) throw claimsLocked(free);
  return { ...u, collateral: u.collateral - amount };
}

// ---- staking (the contract's internal `stake`) -------------------------------------------------

/**
 * stake_local: lien.add(a, max = collateral), max_lien = max_range(max_lien, lien),
 * total_slashable.add(floor(a × lien.slashable), max = collateral), then collateral ≥ used.h.
 * A new lien takes `slashable`; an existing lien keeps its original ratio.
 */
export function stakeLocal(a: Account, holder: string, amount: bigint, slashable: Decimal): Account {
  return stake(a, holder, amount, slashable, false);
}

/** stake_remote (prepare): the same with prepare_add; commit_tx / rollback_tx finish it. */
export function stakeRemote(a: Account, holder: string, amount: bigint, slashable: Decimal): Account {
  return stake(a, holder, amount, slashable, true);
}

function stake(a: Account, holder: string, amount: bigint, slashable: Decimal, remote: boolean): Account {
  const old = lienOf(a, holder) ?? { amount: ZERO_RANGE, slashable };
  const u = a.user;
  const op = remote ? prepareAdd : addRange;
  const lienAmount = mapErr(() => op(old.amount, amount, u.collateral), insufficentBalance);
  const maxLien = maxRange(u.maxLien, lienAmount);
  const totalSlashable = mapErr(() => op(u.totalSlashable, mulFloor(amount, old.slashable), u.collateral), insufficentBalance);
  const user = { ...u, maxLien, totalSlashable };
  if (!verifyCollateral(user)) throw insufficentBalance();
  return withLien({ user, liens: a.liens }, holder, { amount: lienAmount, slashable: old.slashable });
}

/** commit_tx: lien.commit_add(a); max_lien = max_range(max_lien, lien); total_slashable.commit_add(floor(a × lien.slashable)). */
export function commitStake(a: Account, holder: string, amount: bigint): Account {
  const lien = lienOf(a, holder);
  if (!lien) throw new Error('mesh_vault::state::Lien not found');
  const l2 = { ...lien, amount: commitAdd(lien.amount, amount) };
  const user = {
    ...a.user,
    maxLien: maxRange(a.user.maxLien, l2.amount),
    totalSlashable: commitAdd(a.user.totalSlashable, mulFloor(amount, lien.slashable)),
  };
  return withLien({ user, liens: a.liens }, holder, l2);
}

/**
 * rollback_tx: lien.rollback_add(a) (removed at h = 0), max_lien recomputed from all liens,
 * total_slashable.rollback_add(floor(a × tx.slashable)) — the ratio recorded in the tx, not the lien's.
 */
export function rollbackStake(a: Account, holder: string, amount: bigint, txSlashable: Decimal): Account {
  const lien = lienOf(a, holder);
  if (!lien) throw new Error('mesh_vault::state::Lien not found');
  const amt = rollbackAdd(lien.amount, amount);
  const b = withLien(a, holder, amt.h === 0n ? undefined : { ...lien, amount: amt });
  return withUser(b, { maxLien: recomputeMaxLien(b.liens), totalSlashable: rollbackAdd(a.user.totalSlashable, mulFloor(amount, txSlashable)) });
}

/**
 * release_cross_stake / release_local_stake (the contract's `unstake`): lien.sub(a, 0), removed at
 * h = 0, max_lien recomputed, total_slashable.sub(floor(a × lien.slashable), 0). Collateral is unchanged.
 */
export function release(a: Account, holder: string, amount: bigint): Account {
  const lien = lienOf(a, holder);
  if (!lien) throw unknownLienholder();
  const amt = mapErr(() => subRange(lien.amount, amount, 0n), insufficientLien);
  const b = withLien(a, holder, amt.h === 0n ? undefined : { ...lien, amount: amt });
  return withUser(b, { maxLien: recomputeMaxLien(b.liens), totalSlashable: subRange(a.user.totalSlashable, mulFloor(amount, lien.slashable), 0n) });
}

// ---- slashing ----------------------------------------------------------------------------------

/** A burn the vault sends to a lien holder (burn_stake to local staking, burn_virtual_stake otherwise). */
export interface VaultBurn {
  holder: string;
  amount: bigint;
  /** The slashed validator, only for the lien holder that reported the slash. */
  validator?: string;
}

export interface SlashResult {
  account: Account;
  burns: VaultBurn[];
  /** 'A' liens adjustment, 'B' total slashable adjustment, undefined when free collateral covered it. */
  propagation?: 'A' | 'B';
  /** X − free (the part the free collateral could not absorb). */
  claimed?: bigint;
}

/**
 * slash + propagate_slash for one `{user, slash}` reported by `holder` (spec §4.3.3).
 * Errors as upstream: Lien not found, RangeError Underflow, panics on Uint128 underflow.
 */
export function slash(a: Account, holder: string, amount: bigint, validator: string): SlashResult {
  const lien = lienOf(a, holder);
  if (!lien) throw new Error('mesh_vault::state::Lien not found');
  const newCollateral = usub(a.user.collateral, amount);
  // 1. the reporting lien and total slashable (the lien is kept even at 0)
  let acc = withLien(a, holder, { ...lien, amount: subRange(lien.amount, amount, 0n) });
  acc = withUser(acc, { totalSlashable: subRange(acc.user.totalSlashable, mulFloor(amount, lien.slashable), 0n) });
  acc = withUser(acc, { maxLien: recomputeMaxLien(acc.liens) });
  // 2. free collateral with the old collateral, after the lien cut
  const free = freeCollateral(acc.user).l;
  let burns: VaultBurn[] = [];
  let propagation: SlashResult['propagation'];
  let claimed: bigint | undefined;
  if (free < amount) {
    claimed = amount - free;
    const p = propagateSlash(acc, newCollateral, claimed, holder, validator);
    ({ account: acc, burns, propagation } = p);
  }
  acc = withUser(acc, { collateral: newCollateral });
  acc = withUser(acc, { maxLien: recomputeMaxLien(acc.liens) });
  return { account: acc, burns, propagation, claimed };
}

/** propagate_slash: case A clamps the liens above the new collateral, case B cuts every lien. */
export function propagateSlash(
  a: Account,
  newCollateral: bigint,
  claimed: bigint,
  slashedHolder: string,
  slashedValidator: string,
): { account: Account; burns: VaultBurn[]; propagation: 'A' | 'B' } {
  const burns: VaultBurn[] = [];
  const burn = (holder: string, amount: bigint) =>
    burns.push(holder === slashedHolder ? { holder, amount, validator: slashedValidator } : { holder, amount });
  let acc = a;
  if (a.user.maxLien.h >= a.user.totalSlashable.h) {
    // Case A (liens adjustment): every lien with h > new collateral is clamped to it.
    for (const [holder, lien] of a.liens) {
      if (lien.amount.h <= newCollateral) continue;
      const low = lien.amount.l < newCollateral ? lien.amount.l : newCollateral;
      const high = newCollateral;
      const adjLow = lien.amount.l - low;
      const adjHigh = lien.amount.h - high;
      const ts = acc.user.totalSlashable;
      acc = withUser(acc, { totalSlashable: range(usub(ts.l, mulFloor(adjLow, lien.slashable)), usub(ts.h, mulFloor(adjHigh, lien.slashable))) });
      acc = withLien(acc, holder, { ...lien, amount: range(low, high) });
      burn(holder, adjHigh); // "High amount for simplicity"
    }
    return { account: acc, burns, propagation: 'A' };
  }
  // Case B (total slashable adjustment): cut = ceil(claimed × inv(Σ slashable)) from every lien.
  const sum = a.liens.reduce((s, [, l]) => s.add(l.slashable), Decimal.zero);
  const inv = sum.inv();
  if (!inv) throw new ContractPanic('called `Option::unwrap()` on a `None` value');
  const cut = mulCeil(claimed, inv);
  for (const [holder, lien] of a.liens) {
    acc = withUser(acc, { totalSlashable: subRange(acc.user.totalSlashable, mulFloor(cut, lien.slashable), 0n) });
    acc = withLien(acc, holder, { ...lien, amount: subRange(lien.amount, cut, 0n) });
    burn(holder, cut);
  }
  return { account: acc, burns, propagation: 'B' };
}
