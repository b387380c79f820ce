// `mesh-indexer verify`: every indexed position compared with the chain's own smart queries at the
// indexed height (raw abci_query with a height): vault accounts + liens + pending txs, external-staking
// stakes + pending unbonds + pending rewards + validators + pending txs, virtual stakes, prices.
// The comparisons are pure functions of the replica and an async query, so tests can run them
// against a devnet chain directly as well as over RPC.
import type pg from 'pg';
import * as esCodec from '../protocol/codec/external-staking.ts';
import * as crdt from '../protocol/crdt.ts';
import { alignmentToWire, pendingReward } from '../protocol/rewards.ts';
import * as V from '../protocol/vault.ts';
import { ExternalStakingState } from '../mappings/external-staking-state.ts';
import { replicatedPrice } from '../mappings/price-feed.ts';
import { Replica } from '../mappings/replica.ts';
import { NS_ACCOUNT, replicatedAccount, replicatedTxs } from '../mappings/vault.ts';
import { vsState } from '../mappings/virtual-staking.ts';
import { smartQuery } from './chain-indexer.ts';
import type { ChainProject } from './config/project.ts';
import { Contracts } from './contracts.ts';
import { connectChain } from './rpc/client.ts';
import { loadCursor } from './store/writer.ts';

/** A smart query of one contract at the verified height. */
export type Query = (contract: string, msg: unknown) => Promise<any>;

export interface VerifyResult {
  chainId: string;
  height: number;
  /** Positions compared, per kind. */
  checked: Record<string, number>;
  mismatches: string[];
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
/** Numbers vs numeric strings do not count as a difference (Uint128 vs u64 on the wire). */
const norm = (x: unknown) => json(x).replace(/"(\d+)"/g, '$1');
const lh = (v: { l: unknown; h: unknown }) => ({ l: String(v.l), h: String(v.h) });

async function pages<T>(fetch: (startAfter: string | undefined) => Promise<T[]>, key: (t: T) => string, limit = 30): Promise<T[]> {
  const out: T[] = [];
  for (let start: string | undefined; ; ) {
    const page = await fetch(start);
    out.push(...page);
    if (page.length < limit) return out;
    start = key(page[page.length - 1]!);
  }
}

/** Vault: account details, claims (liens) per user, pending txs. */
export async function compareVault(replica: Replica, vault: string, q: Query, out: string[], checked: Record<string, number>): Promise<void> {
  const users = new Set(replica.entries(NS_ACCOUNT, `${vault}/`).map(([k]) => k.slice(vault.length + 1)));
  const listed = await pages((start) => q(vault, { all_accounts: { start_after: start, limit: 30 } }).then((r) => r.accounts as any[]), (a) => a.user);
  for (const a of listed) users.add(a.user);
  for (const user of [...users].sort()) {
    const a = replicatedAccount({ replica }, vault, user);
    const mine = {
      details: { bonded: a.user.collateral.toString(), free: lh(V.freeCollateral(a.user)), max_lien: lh(a.user.maxLien), total_slashable: lh(a.user.totalSlashable) },
      claims: a.liens.map(([holder, l]) => ({ lienholder: holder, amount: lh(l.amount), slashable: l.slashable.toString() })),
    };
    const d = await q(vault, { account_details: { account: user } });
    const claims = await pages((start) => q(vault, { account_claims: { account: user, start_after: start, limit: 30 } }).then((r) => r.claims as any[]), (c) => c.lienholder);
    const theirs = {
      details: { bonded: String(d.bonded), free: lh(d.free), max_lien: lh(d.max_lien), total_slashable: lh(d.total_slashable) },
      claims: await Promise.all(
        claims.map(async (c) => ({ lienholder: c.lienholder, amount: lh(c.amount), slashable: String((await q(vault, { claim: { account: user, lienholder: c.lienholder } })).slashable) })),
      ),
    };
    checked.vault_accounts = (checked.vault_accounts ?? 0) + 1;
    checked.liens = (checked.liens ?? 0) + theirs.claims.length;
    if (json(mine) !== json(theirs)) out.push(`vault ${vault} account ${user}: indexed ${json(mine)} chain ${json(theirs)}`);
  }
  const chainTxs = ((await q(vault, { all_pending_txs_desc: { limit: 100000 } })).txs as any[]).map((t) => {
    const v = t.in_flight_staking;
    return { id: String(v.id), amount: String(v.amount), user: v.user, lienholder: v.lienholder, slashable: String(v.slashable) };
  });
  const mineTxs = replicatedTxs({ replica }, vault)
    .map((t) => ({ id: t.id.toString(), amount: t.amount.toString(), user: t.user, lienholder: t.lienholder, slashable: t.slashable }))
    .reverse();
  checked.vault_pending_txs = (checked.vault_pending_txs ?? 0) + chainTxs.length;
  if (json(mineTxs) !== json(chainTxs)) out.push(`vault ${vault} pending txs: indexed ${json(mineTxs)} chain ${json(chainTxs)}`);
}

/** External staking: every indexed (user, validator) stake with its pending unbonds and rewards; validators; pending txs. */
export async function compareExternalStaking(replica: Replica, address: string, q: Query, out: string[], checked: Record<string, number>): Promise<void> {
  const st = new ExternalStakingState(replica, address);
  for (const [user, validator] of st.allStakes()) {
    const s = st.stake(user, validator);
    const mine = esCodec.Stake.encode({
      stake: s.stake,
      pending_unbonds: s.pendingUnbonds.map((x) => ({ amount: x.amount, release_at: x.releaseAt })),
      points_alignment: BigInt(alignmentToWire(s.pointsAlignment)),
      withdrawn_funds: s.withdrawnFunds,
    });
    const theirs = await q(address, { stake: { user, validator } });
    checked.stakes = (checked.stakes ?? 0) + 1;
    if (json(mine) !== json(theirs)) out.push(`external staking ${address} stake ${user} ${validator}: indexed ${json(mine)} chain ${json(theirs)}`);
    const r1 = attempt(() => pendingReward(s, st.dist(validator)).toString());
    const r2 = await q(address, { pending_rewards: { user, validator } }).then(
      (r) => String(r.rewards.amount),
      (e) => `error ${(e as Error).message}`,
    );
    checked.pending_rewards = (checked.pending_rewards ?? 0) + 1;
    if (r1 !== r2 && !(r1.startsWith('error') && r2.startsWith('error'))) out.push(`external staking ${address} pending_rewards ${user} ${validator}: indexed ${r1} chain ${r2}`);
  }
  const vals = st.allValsets().map(([validator, h]) => ({ validator, state: { [crdt.latestStatus(h)]: {} } }));
  const chainVals = (await q(address, { list_validators: { limit: 100000 } })).validators;
  checked.validators = (checked.validators ?? 0) + vals.length;
  if (json(vals) !== json(chainVals)) out.push(`external staking ${address} list_validators: indexed ${json(vals)} chain ${json(chainVals)}`);
  const txs = st
    .allTxs()
    .sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0))
    .map((t) => ({ [t.kind]: t.kind === 'in_flight_transfer_funds' ? { id: t.id, amount: t.amount, staker: t.user, validator: t.validator } : { id: t.id, amount: t.amount, user: t.user, validator: t.validator } }));
  const chainTxs = (await q(address, { all_pending_txs_desc: { limit: 100000 } })).txs;
  checked.external_pending_txs = (checked.external_pending_txs ?? 0) + txs.length;
  if (norm(txs) !== norm(chainTxs)) out.push(`external staking ${address} pending txs: indexed ${json(txs)} chain ${json(chainTxs)}`);
}

function attempt(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `error ${(e as Error).message}`;
  }
}

/** Virtual staking: the bonded amount per validator. */
export async function compareVirtualStaking(replica: Replica, vs: string, q: Query, out: string[], checked: Record<string, number>): Promise<void> {
  const all = ((await q(vs, { get_all_stake: {} })).stakes as Array<[string, string]>).map(([v, a]) => [v, String(a)]);
  const mine = vsState(replica, vs).bonded.map(([v, a]) => [v, a.toString()]);
  checked.virtual_stakes = (checked.virtual_stakes ?? 0) + all.length;
  if (json(all) !== json(mine)) out.push(`virtual staking ${vs} get_all_stake: indexed ${json(mine)} chain ${json(all)}`);
}

export async function comparePriceFeed(replica: Replica, feed: string, q: Query, out: string[], checked: Record<string, number>): Promise<void> {
  const price = await q(feed, { price: {} }).then((r) => String(r.native_per_foreign), (e) => `error ${(e as Error).message}`);
  const mine = replicatedPrice(replica, feed) ?? 'none';
  checked.prices = (checked.prices ?? 0) + 1;
  if (price !== mine && !(mine === 'none' && price.startsWith('error'))) out.push(`price feed ${feed}: indexed ${mine} chain ${price}`);
}

/** Compares a replica (all contracts it knows) with `q` answers. */
export async function compareReplica(replica: Replica, contracts: Contracts, q: Query): Promise<{ checked: Record<string, number>; mismatches: string[] }> {
  const out: string[] = [];
  const checked: Record<string, number> = {};
  for (const v of contracts.all('vault')) await compareVault(replica, v, q, out, checked);
  for (const es of contracts.all('external_staking')) await compareExternalStaking(replica, es, q, out, checked);
  for (const vs of contracts.all('virtual_staking')) await compareVirtualStaking(replica, vs, q, out, checked);
  for (const pf of contracts.all('price_feed')) await comparePriceFeed(replica, pf, q, out, checked);
  return { checked, mismatches: out };
}

/**
 * Loads the chain's indexed replica from the DB and compares it with the chain at the indexed height.
 * `height` must equal the indexed height (the DB holds only the state at its cursor).
 */
export async function verifyChain(db: pg.Pool, chain: ChainProject, opts: { height?: number; retries?: number } = {}): Promise<VerifyResult> {
  const cursor = await loadCursor(db, chain.id);
  if (!cursor || cursor.height === 0) throw new Error(`${chain.id}: nothing indexed yet`);
  if (opts.height !== undefined && opts.height !== cursor.height) throw new Error(`${chain.id}: the database holds the state at height ${cursor.height}, not ${opts.height}`);
  const replica = new Replica(chain.id);
  replica.load((await db.query('SELECT namespace, key, value FROM replica_state WHERE chain_id = $1', [chain.id])).rows);
  const contracts = new Contracts(replica, chain.codeIds);
  const client = await connectChain({ chainId: chain.id, endpoints: chain.rpc, retries: opts.retries });
  try {
    const q: Query = (contract, msg) => smartQuery(client, contract, msg, cursor.height) as Promise<any>;
    const r = await compareReplica(replica, contracts, q);
    return { chainId: chain.id, height: cursor.height, ...r };
  } finally {
    client.close();
  }
}
