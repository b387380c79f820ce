// Vault (provider) mapping: replicates every user's Account (collateral, max_lien, total_slashable,
// liens with their slashable ratio; spec §4.2) and the vault's pending txs with the same
// src/protocol/vault.ts functions the contract uses, and emits VaultPosition / Lien / LienEvent /
// PendingTx / Slash / SlashShare / Burn rows.
//
// Events carry only part of the data (spec §1.0), so each handler combines them with:
//  - the message body (`ctx.msg.json`) when the vault is the message's own target;
//  - the sibling events of the same message (module events `vault_bond`/`vault_unbond`, the
//    lien holder's `receive_virtual_stake`);
//  - replica state (the pending tx of commit/rollback, lien ratios);
//  - smart queries at the block height, only for facts no event carries (the vault config when its
//    instantiate was not seen, an external staking's `max_slash`, the amounts of a slash).
//
// Replica namespaces written here (values are plain JSON + bigint; decimals as strings):
//   vault:config        <vault>                  VaultConfig
//   vault:account       <vault>/<user>           StoredAccount
//   vault:pending_tx    <vault>/<tx id, 20 digits> StoredTx
//   vault:holder_ratio  <lien holder>            double-sign ratio (decimal string) of a cross lien holder
// Read: `pending:cross_slash` <lienholder>/<validator> → [{user, slash}] (external-staking mapping),
//       `external_staking:config` <address> (external-staking mapping, if present).
//
// Choices (documented for the lead):
//  - Lien rows are upserted with amount 0 when the lien disappears (release/rollback to 0); the write
//    buffer has no delete and a zero row keeps the history readable.
//  - bond/unbond LienEvents (collateral changes) use the vault address as `lienholder`.
//  - Cross lien ratio: our `vault:holder_ratio` cache, else the external-staking mapping's
//    `external_staking:config` entry, else `max_slash{}` queried on the lien holder at this height —
//    which is exactly what the contract does on stake_remote (spec §4.2: "cross lien = the
//    external-staking's slash_ratio.double_sign (`max_slash` query)").
//  - Local lien ratio: from the vault's MsgInstantiateContract body (`local_staking.msg` base64 →
//    native-staking init `slash_ratio_dsign`) when the vault's instantiate reaches this mapping
//    (configured vaults); a discovered vault's instantiate goes to the wasm mapping, so the config is
//    then read once with `config{}` on the vault and `max_slash{}` on its local staking.
import { Decimal } from '../protocol/decimal.ts';
import * as V from '../protocol/vault.ts';
import type { ValueRange } from '../protocol/value-range.ts';
import { DecodeError, attr, parseAmount, parseCoin, requireAmount, requireAttr, requireContractAddress, splitList } from '../indexer/decode/attributes.ts';
import type { ChainEvent } from '../indexer/types.ts';
import type { Mapping, MappingContext } from './context.ts';

// ---- replica shapes ------------------------------------------------------------------------------

export const NS_CONFIG = 'vault:config';
export const NS_ACCOUNT = 'vault:account';
export const NS_TX = 'vault:pending_tx';
export const NS_HOLDER_RATIO = 'vault:holder_ratio';
export const NS_PENDING_CROSS_SLASH = 'pending:cross_slash';
export const NS_PENDING_CROSS_SLASH_ID = 'pending:cross_slash_id';
export const NS_EXT_CONFIG = 'external_staking:config';

export interface VaultConfig {
  denom: string;
  localStaking: string | null;
  /** native-staking slash_ratio_dsign: the local lien's slashable ratio. */
  localSlashable: string | null;
  /** native-staking slash_ratio_offline (for native Slash rows). */
  localOffline: string | null;
}

interface StoredLien {
  holder: string;
  amount: ValueRange;
  slashable: string;
}

export interface StoredAccount {
  collateral: bigint;
  maxLien: ValueRange;
  totalSlashable: ValueRange;
  liens: StoredLien[];
}

export interface StoredTx {
  id: bigint;
  amount: bigint;
  slashable: string;
  user: string;
  lienholder: string;
  validator: string | null;
  height: number;
  txHash: string | null;
  time: string;
}

const accKey = (vault: string, user: string) => `${vault}/${user}`;
const txKey = (vault: string, id: bigint) => `${vault}/${id.toString().padStart(20, '0')}`;

export function toAccount(s: StoredAccount | undefined): V.Account {
  if (!s) return V.emptyAccount();
  return {
    user: { collateral: s.collateral, maxLien: s.maxLien, totalSlashable: s.totalSlashable },
    liens: s.liens.map((l) => [l.holder, { amount: l.amount, slashable: Decimal.parse(l.slashable) }] as const),
  };
}

export function fromAccount(a: V.Account): StoredAccount {
  return {
    collateral: a.user.collateral,
    maxLien: { l: a.user.maxLien.l, h: a.user.maxLien.h },
    totalSlashable: { l: a.user.totalSlashable.l, h: a.user.totalSlashable.h },
    liens: a.liens.map(([holder, l]) => ({ holder, amount: { l: l.amount.l, h: l.amount.h }, slashable: l.slashable.toString() })),
  };
}

/** The replicated account of a user (empty when unknown), for tests and other mappings. */
export function replicatedAccount(ctx: Pick<MappingContext, 'replica'>, vault: string, user: string): V.Account {
  return toAccount(ctx.replica.get<StoredAccount>(NS_ACCOUNT, accKey(vault, user)));
}

export function replicatedTxs(ctx: Pick<MappingContext, 'replica'>, vault: string): StoredTx[] {
  return ctx.replica.entries<StoredTx>(NS_TX, `${vault}/`).map(([, t]) => t);
}

// ---- helpers ---------------------------------------------------------------------------------------

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The vault message body when this message is a MsgExecuteContract to `vault` (not a sub-message). */
function ownBody(ctx: MappingContext, vault: string): Record<string, unknown> | undefined {
  if (!ctx.msg?.typeUrl.endsWith('MsgExecuteContract')) return undefined;
  if (ctx.msg.value?.contract !== vault) return undefined;
  return obj(ctx.msg.json);
}

function decodeBase64Json(s: unknown): unknown {
  if (typeof s !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(s, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function decimalOf(s: unknown, what: string): Decimal {
  try {
    return Decimal.parse(String(s));
  } catch {
    throw new DecodeError(`${what} is not a decimal: ${String(s)}`);
  }
}

/** Wraps a protocol error (the chain did it, so the replica disagrees): a dead letter, not a crash. */
function protocol<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`${what}: replica disagrees with the chain (${e instanceof Error ? e.message : String(e)})`);
  }
}

async function config(ctx: MappingContext, vault: string): Promise<VaultConfig> {
  const c = ctx.replica.get<VaultConfig>(NS_CONFIG, vault);
  if (c) return c;
  // The vault's instantiate went to the wasm mapping (discovered contract): ask the chain once.
  let cfg: VaultConfig;
  try {
    const r = obj(await ctx.query(vault, { config: {} }));
    const local = typeof r?.local_staking === 'string' ? r.local_staking : null;
    let dsign: string | null = null;
    let offline: string | null = null;
    if (local) {
      const m = obj(await ctx.query(local, { max_slash: {} }));
      dsign = decimalOf(m?.slash_ratio_dsign, 'max_slash.slash_ratio_dsign').toString();
      offline = decimalOf(m?.slash_ratio_offline, 'max_slash.slash_ratio_offline').toString();
    }
    cfg = { denom: String(r?.denom ?? ''), localStaking: local, localSlashable: dsign, localOffline: offline };
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`vault ${vault}: config not known and not queryable (${e instanceof Error ? e.message : String(e)})`);
  }
  ctx.replica.set(NS_CONFIG, vault, cfg);
  if (cfg.localStaking && ctx.contracts.kindOf(cfg.localStaking) === undefined) ctx.contracts.add({ address: cfg.localStaking, kind: 'native_staking' });
  return cfg;
}

/** slash_ratio.double_sign of a cross lien holder (see the header for the order of sources). */
async function holderRatio(ctx: MappingContext, holder: string): Promise<Decimal> {
  const cached = ctx.replica.get<string>(NS_HOLDER_RATIO, holder);
  if (cached !== undefined) return Decimal.parse(cached);
  const ext = obj(ctx.replica.get<unknown>(NS_EXT_CONFIG, holder));
  const fromExt = obj(ext?.slashRatio)?.doubleSign ?? obj(ext?.slash_ratio)?.double_sign ?? ext?.slashRatioDsign;
  let ratio: Decimal;
  if (fromExt !== undefined) ratio = decimalOf(typeof fromExt === 'object' && fromExt !== null ? String(fromExt) : fromExt, 'external_staking:config double sign ratio');
  else {
    let r: Record<string, unknown> | undefined;
    try {
      r = obj(await ctx.query(holder, { max_slash: {} }));
    } catch (e) {
      throw new DecodeError(`max_slash of ${holder} not queryable: ${e instanceof Error ? e.message : String(e)}`);
    }
    ratio = decimalOf(r?.slash_ratio_dsign, 'max_slash.slash_ratio_dsign');
  }
  ctx.replica.set(NS_HOLDER_RATIO, holder, ratio.toString());
  return ratio;
}

// ---- rows --------------------------------------------------------------------------------------

function writePosition(ctx: MappingContext, vault: string, user: string, a: V.Account): void {
  const u = a.user;
  const free = V.freeCollateral(u);
  ctx.out.upsert('VaultPosition', {
    chainId: ctx.chainId,
    vault,
    staker: user,
    collateral: u.collateral,
    maxLienLow: u.maxLien.l,
    maxLienHigh: u.maxLien.h,
    totalSlashableLow: u.totalSlashable.l,
    totalSlashableHigh: u.totalSlashable.h,
    freeLow: free.l,
    freeHigh: free.h,
    height: ctx.block.height,
    time: ctx.block.time,
  });
}

function writeLien(ctx: MappingContext, vault: string, user: string, holder: string, a: V.Account, fallbackRatio: Decimal): void {
  const l = V.lienOf(a, holder);
  ctx.out.upsert('Lien', {
    chainId: ctx.chainId,
    vault,
    staker: user,
    lienholder: holder,
    amountLow: l?.amount.l ?? 0n,
    amountHigh: l?.amount.h ?? 0n,
    slashable: (l?.slashable ?? fallbackRatio).toString(),
    height: ctx.block.height,
    time: ctx.block.time,
  });
}

function lienEvent(ctx: MappingContext, vault: string, user: string, holder: string, kind: string, amount: bigint, a: V.Account, txId: bigint | null = null, suffix?: string): void {
  const l = V.lienOf(a, holder);
  ctx.out.insert('LienEvent', {
    id: ctx.rowId(suffix),
    chainId: ctx.chainId,
    vault,
    staker: user,
    lienholder: holder,
    kind,
    amount,
    amountLowAfter: l?.amount.l ?? 0n,
    amountHighAfter: l?.amount.h ?? 0n,
    collateralAfter: a.user.collateral,
    txId,
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
    msgIndex: ctx.msgIndex ?? null,
    eventIndex: ctx.event.index,
  });
}

function save(ctx: MappingContext, vault: string, user: string, before: V.Account, after: V.Account): void {
  ctx.replica.set<StoredAccount>(NS_ACCOUNT, accKey(vault, user), fromAccount(after));
  writePosition(ctx, vault, user, after);
  const holders = new Set([...before.liens.map(([h]) => h), ...after.liens.map(([h]) => h)]);
  for (const h of holders) {
    const b = V.lienOf(before, h);
    const n = V.lienOf(after, h);
    if (b && n && b.amount.l === n.amount.l && b.amount.h === n.amount.h) continue;
    writeLien(ctx, vault, user, h, after, (n ?? b)!.slashable);
  }
}

// ---- bond / unbond ----------------------------------------------------------------------------

/**
 * Vault `bond` and `unbond` both say action=unbond (spec §1.0 caveats, §7 Q2). Decided by, in order:
 * the message body when the vault is the message's target; the provider module event that the
 * vault's custom message produced (`vault_bond` / `vault_unbond` with this delegator, before the
 * next event of this vault); the amount's form (bond prints the bare amount, unbond a Coin).
 */
export function bondDirection(events: readonly ChainEvent[], position: number, vault: string, body?: Record<string, unknown>): 'bond' | 'unbond' {
  if (body) {
    if ('bond' in body) return 'bond';
    if ('unbond' in body) return 'unbond';
  }
  const e = events[position]!;
  const sender = attr(e, 'sender');
  for (let i = position + 1; i < events.length; i++) {
    const x = events[i]!;
    if (x.type === 'wasm' && attr(x, '_contract_address') === vault) break;
    if ((x.type === 'vault_bond' || x.type === 'vault_unbond') && attr(x, 'delegator') === sender) return x.type === 'vault_bond' ? 'bond' : 'unbond';
  }
  const amount = attr(e, 'amount') ?? '';
  if (/^\d+$/.test(amount)) return 'bond';
  if (/^\d+[a-zA-Z]/.test(amount)) return 'unbond';
  throw new DecodeError('vault action=unbond: cannot tell bond from unbond');
}

/** The amount of a bond/unbond event: a bare Uint128 (bond) or a Coin string (unbond). */
function bondAmount(e: ChainEvent): bigint {
  const v = requireAttr(e, 'amount');
  if (/^\d+$/.test(v)) return parseAmount(v);
  return parseCoin(v).amount;
}

async function onBondOrUnbond(ctx: MappingContext): Promise<void> {
  const vault = requireContractAddress(ctx.event);
  const user = requireAttr(ctx.event, 'sender');
  const amount = bondAmount(ctx.event);
  const dir = bondDirection(ctx.siblings, ctx.position, vault, ownBody(ctx, vault));
  const before = replicatedAccount(ctx, vault, user);
  const user2 = protocol(dir, () => (dir === 'bond' ? V.bond(before.user, amount) : V.unbond(before.user, amount)));
  const after: V.Account = { user: user2, liens: before.liens };
  save(ctx, vault, user, before, after);
  lienEvent(ctx, vault, user, vault, dir, amount, after);
}

// ---- staking -----------------------------------------------------------------------------------

async function localLienholder(ctx: MappingContext, vault: string): Promise<{ holder: string; ratio: Decimal }> {
  const cfg = await config(ctx, vault);
  if (!cfg.localStaking || !cfg.localSlashable) throw new DecodeError(`vault ${vault} has no local staking`);
  return { holder: cfg.localStaking, ratio: Decimal.parse(cfg.localSlashable) };
}

async function onStakeLocal(ctx: MappingContext): Promise<void> {
  const vault = requireContractAddress(ctx.event);
  const user = requireAttr(ctx.event, 'sender');
  const amount = requireAmount(ctx.event, 'amount');
  const { holder, ratio } = await localLienholder(ctx, vault);
  const before = replicatedAccount(ctx, vault, user);
  const after = protocol('stake_local', () => V.stakeLocal(before, holder, amount, ratio));
  save(ctx, vault, user, before, after);
  lienEvent(ctx, vault, user, holder, 'stake_local', amount, after);
}

/** restake: collateral += amount, then a local stake (spec §1.1). */
async function onRestake(ctx: MappingContext): Promise<void> {
  const vault = requireContractAddress(ctx.event);
  const user = requireAttr(ctx.event, 'sender');
  const amount = requireAmount(ctx.event, 'amount');
  const { holder, ratio } = await localLienholder(ctx, vault);
  const before = replicatedAccount(ctx, vault, user);
  const bonded: V.Account = { user: V.bond(before.user, amount), liens: before.liens };
  const after = protocol('restake', () => V.stakeLocal(bonded, holder, amount, ratio));
  save(ctx, vault, user, before, after);
  lienEvent(ctx, vault, user, vault, 'bond', amount, bonded, null, 'bond');
  lienEvent(ctx, vault, user, holder, 'stake_local', amount, after);
}

/** The lien holder and validator of a stake_remote: message body, else the holder's receive_virtual_stake. */
function remoteTarget(ctx: MappingContext, vault: string, txId: bigint): { holder: string; validator: string | null } {
  const body = obj(ownBody(ctx, vault)?.stake_remote);
  let holder = typeof body?.contract === 'string' ? body.contract : undefined;
  let validator: string | null = null;
  const payload = obj(decodeBase64Json(body?.msg));
  if (typeof payload?.validator === 'string') validator = payload.validator;
  if (holder === undefined) {
    for (let i = ctx.position + 1; i < ctx.siblings.length; i++) {
      const e = ctx.siblings[i]!;
      if (e.type === 'wasm' && attr(e, 'action') === 'receive_virtual_stake' && attr(e, 'tx_id') === txId.toString()) {
        holder = attr(e, '_contract_address');
        break;
      }
    }
  }
  if (validator === null) {
    // the stake packet sent by the holder in the same message names the validator (spec §2.2)
    for (let i = ctx.position + 1; i < ctx.siblings.length; i++) {
      const e = ctx.siblings[i]!;
      if (e.type !== 'send_packet') continue;
      const hex = attr(e, 'packet_data_hex');
      try {
        const p = obj(obj(JSON.parse(Buffer.from(hex ?? '', 'hex').toString('utf8')))?.stake);
        if (p && String(p.tx_id) === txId.toString() && typeof p.validator === 'string') {
          validator = p.validator;
          break;
        }
      } catch {
        /* not ours */
      }
    }
  }
  if (holder === undefined) throw new DecodeError(`stake_remote tx ${txId}: lien holder not found (no body, no receive_virtual_stake)`);
  return { holder, validator };
}

async function onStakeRemote(ctx: MappingContext): Promise<void> {
  const vault = requireContractAddress(ctx.event);
  const user = requireAttr(ctx.event, 'sender');
  const amount = requireAmount(ctx.event, 'amount');
  const txId = requireAmount(ctx.event, 'tx_id');
  const { holder, validator } = remoteTarget(ctx, vault, txId);
  const ratio = await holderRatio(ctx, holder);
  const before = replicatedAccount(ctx, vault, user);
  const after = protocol('stake_remote', () => V.stakeRemote(before, holder, amount, ratio));
  save(ctx, vault, user, before, after);
  // the tx keeps the ratio queried at stake time (rollback uses it: spec §4.2)
  const tx: StoredTx = { id: txId, amount, slashable: ratio.toString(), user, lienholder: holder, validator, height: ctx.block.height, txHash: ctx.tx?.hash ?? null, time: ctx.block.time.toISOString() };
  ctx.replica.set<StoredTx>(NS_TX, txKey(vault, txId), tx);
  ctx.out.upsert('PendingTx', {
    chainId: ctx.chainId,
    contract: vault,
    txId,
    kind: 'in_flight_staking',
    staker: user,
    amount,
    validator,
    lienholder: holder,
    status: 'pending',
    createdHeight: ctx.block.height,
    createdTime: ctx.block.time,
    createdTxHash: ctx.tx?.hash ?? null,
    settledHeight: null,
    settledTime: null,
    settledTxHash: null,
  });
  lienEvent(ctx, vault, user, holder, 'stake_remote', amount, after, txId);
}

function finishTx(action: 'commit_tx' | 'rollback_tx') {
  return (ctx: MappingContext): void => {
    const vault = requireContractAddress(ctx.event);
    const txId = requireAmount(ctx.event, 'tx_id');
    const tx = ctx.replica.get<StoredTx>(NS_TX, txKey(vault, txId));
    if (!tx) throw new DecodeError(`${action}: vault tx ${txId} is not pending in the replica`);
    const before = replicatedAccount(ctx, vault, tx.user);
    const after = protocol(action, () =>
      action === 'commit_tx' ? V.commitStake(before, tx.lienholder, tx.amount) : V.rollbackStake(before, tx.lienholder, tx.amount, Decimal.parse(tx.slashable)),
    );
    save(ctx, vault, tx.user, before, after);
    ctx.replica.delete(NS_TX, txKey(vault, txId));
    ctx.out.upsert('PendingTx', {
      chainId: ctx.chainId,
      contract: vault,
      txId,
      kind: 'in_flight_staking',
      staker: tx.user,
      amount: tx.amount,
      validator: tx.validator,
      lienholder: tx.lienholder,
      status: action === 'commit_tx' ? 'committed' : 'rolled_back',
      createdHeight: tx.height,
      createdTime: new Date(tx.time),
      createdTxHash: tx.txHash,
      settledHeight: ctx.block.height,
      settledTime: ctx.block.time,
      settledTxHash: ctx.tx?.hash ?? null,
    });
    lienEvent(ctx, vault, tx.user, tx.lienholder, action === 'commit_tx' ? 'commit' : 'rollback', tx.amount, after, txId);
  };
}

/** release_cross_stake and release_local_stake (both say action=release_cross_stake, spec §1.0). */
function onRelease(ctx: MappingContext): void {
  const vault = requireContractAddress(ctx.event);
  const holder = requireAttr(ctx.event, 'sender');
  const user = requireAttr(ctx.event, 'owner');
  const amount = requireAmount(ctx.event, 'amount');
  const before = replicatedAccount(ctx, vault, user);
  const after = protocol('release', () => V.release(before, holder, amount));
  save(ctx, vault, user, before, after);
  lienEvent(ctx, vault, user, holder, 'release', amount, after);
}

// ---- slashing ----------------------------------------------------------------------------------

/** All events of the block in the order the router maps them (begin, successful txs by message, end). */
function blockOrder(ctx: MappingContext): ChainEvent[] {
  const out: ChainEvent[] = [...ctx.block.beginEvents];
  for (const tx of ctx.block.txs) {
    if (tx.code !== 0) continue;
    const byMsg = new Map<number, ChainEvent[]>();
    for (const e of tx.events) {
      if (e.msgIndex === undefined) continue;
      let l = byMsg.get(e.msgIndex);
      if (!l) byMsg.set(e.msgIndex, (l = []));
      l.push(e);
    }
    for (const [, es] of [...byMsg].sort((a, b) => a[0] - b[0])) out.push(...es);
  }
  out.push(...ctx.block.endEvents);
  return out;
}

/**
 * How much the user's collateral changes after the current event, later in this block, by events
 * whose amounts are known: bond, unbond, restake; slashes of the same user make it ambiguous.
 */
function laterCollateralDelta(ctx: MappingContext, vault: string, user: string): { delta: bigint; ambiguous: boolean } {
  const all = blockOrder(ctx);
  const at = all.indexOf(ctx.event);
  let delta = 0n;
  let ambiguous = false;
  if (at < 0) return { delta, ambiguous: true };
  for (let i = at + 1; i < all.length; i++) {
    const e = all[i]!;
    if (e.type !== 'wasm' || attr(e, '_contract_address') !== vault) continue;
    const action = attr(e, 'action');
    try {
      if (action === 'unbond' && attr(e, 'sender') === user) {
        const group = all; // module events follow in the same message, in order
        delta += bondDirection(group, i, vault) === 'bond' ? bondAmount(e) : -bondAmount(e);
      } else if (action === 'restake' && attr(e, 'sender') === user) delta += requireAmount(e, 'amount');
      else if ((action === 'local_slash' || action === 'cross_slash') && splitList(attr(e, 'users')).includes(user)) ambiguous = true;
    } catch {
      ambiguous = true;
    }
  }
  return { delta, ambiguous };
}

/** Per-user slash amounts of a local_slash / cross_slash event. */
async function slashAmounts(ctx: MappingContext, kind: 'local_slash' | 'cross_slash', vault: string, holder: string, validator: string, users: string[]): Promise<Array<{ user: string; slash: bigint }>> {
  if (kind === 'cross_slash') {
    const k = `${holder}/${validator}`;
    const pending = ctx.replica.get<Array<{ user: string; slash: bigint | string }>>(NS_PENDING_CROSS_SLASH, k);
    if (pending) {
      ctx.replica.delete(NS_PENDING_CROSS_SLASH, k);
      const m = new Map(pending.map((p) => [p.user, BigInt(p.slash)]));
      return users.map((user) => {
        const slash = m.get(user);
        if (slash === undefined) throw new DecodeError(`cross_slash: no amount for ${user} in ${NS_PENDING_CROSS_SLASH}`);
        return { user, slash };
      });
    }
  }
  // Local slashes (spec §4.3.1: amounts from pre-slash delegations no event shows), and cross slashes
  // without the external-staking mapping: collateral before (replica) − collateral after (query at
  // this height, corrected for later same-block changes of known amount).
  const out: Array<{ user: string; slash: bigint }> = [];
  for (const user of users) {
    let r: Record<string, unknown> | undefined;
    try {
      r = obj(await ctx.query(vault, { account_details: { account: user } }));
    } catch (e) {
      throw new DecodeError(`${kind}: account_details of ${user} not queryable: ${e instanceof Error ? e.message : String(e)}`);
    }
    const end = parseAmount(String(r?.bonded ?? ''));
    const { delta, ambiguous } = laterCollateralDelta(ctx, vault, user);
    const before = replicatedAccount(ctx, vault, user).user.collateral;
    const slash = before - (end - delta);
    if (slash < 0n) throw new DecodeError(`${kind}: negative slash for ${user}`);
    if (ambiguous) ctx.deadLetter('event', `${kind}: ${user} is slashed again later in the block; amount ${slash} assumed for this event`);
    out.push({ user, slash });
  }
  return out;
}

const PROPAGATION = { A: 'liens_adjustment', B: 'total_slashable_adjustment' } as const;

function slashHandler(kind: 'local_slash' | 'cross_slash') {
  return async (ctx: MappingContext): Promise<void> => {
    const vault = requireContractAddress(ctx.event);
    const holder = requireAttr(ctx.event, 'lien_holder');
    const validator = requireAttr(ctx.event, 'validator');
    const users = splitList(attr(ctx.event, 'users'));
    const cfg = await config(ctx, vault);
    const slashes = await slashAmounts(ctx, kind, vault, holder, validator, users);
    // Compute everything first (the vault fails as a whole), then write.
    let accounts = new Map<string, V.Account>();
    const results: Array<{ user: string; slash: bigint; before: V.Account; r: V.SlashResult }> = [];
    for (const { user, slash } of slashes) {
      const before = accounts.get(user) ?? replicatedAccount(ctx, vault, user);
      const r = protocol(kind, () => V.slash(before, holder, slash, validator));
      accounts.set(user, r.account);
      results.push({ user, slash, before, r });
    }
    // One Slash row per native slash event (cross slashes: the external-staking mapping writes it).
    // Cross slashes: the external-staking mapping may leave the id of its Slash row in
    // `pending:cross_slash_id` under the same key; else this event's id.
    const slashId = (kind === 'cross_slash' ? ctx.replica.get<string>(NS_PENDING_CROSS_SLASH_ID, `${holder}/${validator}`) : undefined) ?? ctx.rowId('slash');
    if (kind === 'cross_slash') ctx.replica.delete(NS_PENDING_CROSS_SLASH_ID, `${holder}/${validator}`);
    if (kind === 'local_slash') {
      const jailing = ctx.siblings.slice(0, ctx.position).reverse().find((e) => e.type === 'wasm-jailing');
      const tombstoned = splitList(jailing ? attr(jailing, 'tombstoned') : undefined).includes(validator);
      ctx.out.merge('Slash', {
        id: slashId,
        chainId: ctx.chainId,
        validator,
        kind: 'native',
        pairingId: null,
        infractionHeight: null,
        ratio: (tombstoned ? cfg.localSlashable : cfg.localOffline) ?? null,
        tombstoned,
        consumerAmount: null,
        providerAmount: results.reduce((s, x) => s + x.slash, 0n),
        providerChainId: ctx.chainId,
        providerHeight: ctx.block.height,
        providerTime: ctx.block.time,
        providerTxHash: ctx.tx?.hash ?? null,
        packetId: null,
        height: ctx.block.height,
        time: ctx.block.time,
        txHash: ctx.tx?.hash ?? null,
      });
    }
    accounts = new Map();
    for (const { user, slash, before, r } of results) {
      save(ctx, vault, user, before, r.account);
      lienEvent(ctx, vault, user, holder, 'slash', slash, r.account, null, `slash/${user}`);
      ctx.out.upsert('SlashShare', {
        slashId,
        chainId: ctx.chainId,
        vault,
        staker: user,
        amount: slash,
        propagation: r.propagation ? PROPAGATION[r.propagation] : 'none',
        collateralAfter: r.account.user.collateral,
        height: ctx.block.height,
      });
      if (kind === 'local_slash') {
        ctx.out.insert('DelegationEvent', {
          id: ctx.rowId(`local_slash/${user}`),
          chainId: ctx.chainId,
          contract: holder,
          staker: user,
          validator,
          kind: 'local_slash',
          amount: slash,
          stakeLowAfter: null,
          stakeHighAfter: null,
          txId: null,
          status: null,
          height: ctx.block.height,
          time: ctx.block.time,
          txHash: ctx.tx?.hash ?? null,
          msgIndex: ctx.msgIndex ?? null,
          eventIndex: ctx.event.index,
        });
      }
      for (const b of r.burns) {
        lienEvent(ctx, vault, user, b.holder, 'propagation', b.amount, r.account, null, `propagation/${user}/${b.holder}`);
        ctx.out.insert('Burn', {
          id: ctx.rowId(`burn/${user}/${b.holder}`),
          slashId,
          chainId: ctx.chainId,
          stage: b.holder === cfg.localStaking ? 'native_staking' : 'external_staking',
          lienholder: b.holder,
          staker: user,
          validators: b.validator ? [b.validator] : null,
          amount: b.amount,
          packetId: null,
          height: ctx.block.height,
          time: ctx.block.time,
          txHash: ctx.tx?.hash ?? null,
        });
      }
    }
  };
}

// ---- instantiate (configured vaults only: discovered ones go to the wasm mapping) -------------------

/** Vault config from its MsgInstantiateContract body (spec §1.1: local_staking.msg → native-staking init). */
export function configFromInstantiate(json: unknown): VaultConfig | undefined {
  const init = obj(json);
  if (!init || typeof init.denom !== 'string') return undefined;
  const ls = obj(init.local_staking);
  if (!ls) return { denom: init.denom, localStaking: null, localSlashable: null, localOffline: null };
  const nsInit = obj(decodeBase64Json(ls.msg));
  if (!nsInit) return undefined;
  return {
    denom: init.denom,
    localStaking: null, // learnt from the native-staking instantiate that follows
    localSlashable: decimalOf(nsInit.slash_ratio_dsign, 'native-staking slash_ratio_dsign').toString(),
    localOffline: decimalOf(nsInit.slash_ratio_offline, 'native-staking slash_ratio_offline').toString(),
  };
}

function onInstantiate(ctx: MappingContext): void {
  const vault = requireContractAddress(ctx.event);
  if (!ctx.msg?.typeUrl.endsWith('MsgInstantiateContract')) return;
  const cfg = configFromInstantiate(ctx.msg.json);
  if (!cfg) return;
  // The local staking contract is the next instantiate in the message (the vault's sub-message).
  const next = ctx.siblings.slice(ctx.position + 1).find((e) => e.type === 'instantiate');
  const local = next ? attr(next, '_contract_address') : undefined;
  if (!ctx.replica.get(NS_CONFIG, vault) && (local || !cfg.localSlashable)) ctx.replica.set(NS_CONFIG, vault, { ...cfg, localStaking: local ?? null });
}

export const vaultMapping: Mapping = {
  source: 'vault',
  handlers: {
    instantiate: onInstantiate,
    'wasm:unbond': onBondOrUnbond,
    'wasm:bond': onBondOrUnbond, // pre-July-2024 vaults (payable bond{}, action=bond)
    'wasm:restake': onRestake,
    'wasm:stake_local': onStakeLocal,
    'wasm:stake_remote': onStakeRemote,
    'wasm:release_cross_stake': onRelease,
    'wasm:commit_tx': finishTx('commit_tx'),
    'wasm:rollback_tx': finishTx('rollback_tx'),
    'wasm:local_slash': slashHandler('local_slash'),
    'wasm:cross_slash': slashHandler('cross_slash'),
  },
};
