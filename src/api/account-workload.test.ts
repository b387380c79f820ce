// On a seeded workload (two chains providing to each other), every account with a vault position gets
// the same answer from `account(address)` as from the chains' own smart queries at the indexed height:
// the vault account and its claims (liens), the external-staking stakes with their pending unbonds and
// reward points, pending rewards, pending txs, and the native-staking proxy's delegations. Compared
// twice: with the indexer stopped mid-run (txs in flight) and at the tip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import type { Chain } from '../devnet/chain/chain.ts';
import { serve, testDb, workloadDevnet } from '../indexer/indexer.testkit.ts';
import { runIndexers } from '../indexer/run.ts';
import { Decimal } from '../protocol/decimal.ts';
import { alignmentFromWire } from '../protocol/rewards.ts';
import { gqlRequest } from './api.testkit.ts';
import { startApiServer } from './server.ts';

const ACCOUNT = `query($a: String!) { account(address: $a) {
  chains { chainId indexedHeight }
  vaults { chainId vault collateral freeCollateral { low high } maxLien { low high } totalSlashable { low high }
    liens { lienholder amount { low high } slashable } }
  crossStakes { chainId externalStaking validator stake { low high } pointsAlignment withdrawnRewards
    pendingUnbondings { amount releaseAt } reward { amount error } }
  localStakes { chainId proxy validator amount }
  pendingTxs { chainId contract txId kind amount validator lienholder }
  sameKey { address }
} }`;

const rng = (r: { l: string; h: string }) => ({ low: String(r.l), high: String(r.h) });
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).localeCompare(key(b));
const iso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();

/** Every page of a contract list query (the contracts' pages are never smaller than 30, spec §7 Q17). */
function pages<T>(fetch: (startAfter: string | undefined) => T[], key: (t: T) => string): T[] {
  const out: T[] = [];
  for (let start: string | undefined; ; ) {
    const page = fetch(start);
    out.push(...page);
    if (page.length < 30) return out;
    start = key(page[page.length - 1]!);
  }
}

interface Contracts {
  vault: string;
  nativeStaking: string;
  externalStakings: string[];
}

/** What the chain answers for one staker at `height`, in the API's shape. */
function chainView(chain: Chain, c: Contracts, user: string, height: bigint) {
  return chain.queryAt(height, () => {
    const q = (contract: string, msg: unknown) => chain.query(contract, msg) as any;
    const d = q(c.vault, { account_details: { account: user } });
    const claims = pages((start) => q(c.vault, { account_claims: { account: user, start_after: start, limit: 30 } }).claims as any[], (x) => x.lienholder);
    const vault = {
      chainId: chain.id,
      vault: c.vault,
      collateral: String(d.bonded),
      freeCollateral: rng(d.free),
      maxLien: rng(d.max_lien),
      totalSlashable: rng(d.total_slashable),
      liens: claims
        .map((x) => ({ lienholder: x.lienholder, amount: rng(x.amount), slashable: Decimal.parse(q(c.vault, { claim: { account: user, lienholder: x.lienholder } }).slashable).toString() }))
        .sort(byKey((l) => l.lienholder)),
    };
    const crossStakes = c.externalStakings.flatMap((es) =>
      pages((start) => q(es, { stakes: { user, start_after: start, limit: 30 } }).stakes as any[], (x) => x.validator).map((x) => {
        let reward: { amount: string | null; error: boolean };
        try {
          reward = { amount: String(q(es, { pending_rewards: { user, validator: x.validator } }).rewards.amount), error: false };
        } catch {
          reward = { amount: null, error: true };
        }
        return {
          chainId: chain.id,
          externalStaking: es,
          validator: x.validator,
          stake: rng(x.stake.stake),
          pointsAlignment: alignmentFromWire(String(x.stake.points_alignment)).toString(),
          withdrawnRewards: String(x.stake.withdrawn_funds),
          pendingUnbondings: (x.stake.pending_unbonds as any[]).map((u) => ({ amount: String(u.amount), releaseAt: iso(String(u.release_at)) })),
          reward,
        };
      }),
    );
    const vaultTxs = (q(c.vault, { all_pending_txs_desc: { limit: 1000 } }).txs as any[])
      .map((t) => t.in_flight_staking)
      .filter((t) => t.user === user)
      .map((t) => ({ chainId: chain.id, contract: c.vault, txId: String(t.id), kind: 'IN_FLIGHT_STAKING', amount: String(t.amount), lienholder: t.lienholder }));
    const esTxs = c.externalStakings.flatMap((es) =>
      (q(es, { all_pending_txs_desc: { limit: 1000 } }).txs as any[])
        .map((t) => Object.entries(t)[0] as [string, any])
        .filter(([, v]) => (v.user ?? v.staker) === user)
        .map(([kind, v]) => ({ chainId: chain.id, contract: es, txId: String(v.id), kind: kind.toUpperCase(), amount: String(v.amount), validator: v.validator })),
    );
    let localStakes: Array<{ chainId: string; proxy: string; validator: string; amount: string }> = [];
    const proxy = (() => {
      try {
        return q(c.nativeStaking, { proxy_by_owner: { owner: user } }).proxy as string;
      } catch {
        return undefined; // never staked locally
      }
    })();
    if (proxy) {
      // no slashes in this workload, so a delegation's tokens are its principal
      localStakes = chain.staking
        .delegationsOf(proxy)
        .filter((x) => x.tokens > 0n)
        .map((x) => ({ chainId: chain.id, proxy, validator: x.validator, amount: x.tokens.toString() }));
    }
    return { vault, crossStakes, pendingTxs: [...vaultTxs, ...esTxs], localStakes };
  });
}

/** The API's answer for one staker on one chain, in the same shape. */
function apiView(account: any, chainId: string, vault: string) {
  const onChain = (x: { chainId: string }) => x.chainId === chainId;
  const v = account.vaults.find((x: any) => x.chainId === chainId && x.vault === vault);
  return {
    vault: v && { ...v, liens: v.liens.map((l: any) => ({ ...l, slashable: Decimal.parse(l.slashable).toString() })).sort(byKey((l: any) => l.lienholder)) },
    crossStakes: account.crossStakes.filter(onChain).map((x: any) => ({ ...x, reward: { amount: x.reward.amount, error: x.reward.error !== null } })),
    pendingTxs: account.pendingTxs
      .filter(onChain)
      .map((t: any) => (t.kind === 'IN_FLIGHT_STAKING' ? { chainId, contract: t.contract, txId: t.txId, kind: t.kind, amount: t.amount, lienholder: t.lienholder } : { chainId, contract: t.contract, txId: t.txId, kind: t.kind, amount: t.amount, validator: t.validator })),
    localStakes: account.localStakes.filter(onChain),
  };
}

const sortView = (x: ReturnType<typeof apiView>) => ({
  ...x,
  crossStakes: [...x.crossStakes].sort(byKey((c: any) => `${c.externalStaking}/${c.validator}`)),
  pendingTxs: [...x.pendingTxs].sort(byKey((t: any) => `${t.contract}/${t.txId.padStart(20, '0')}`)),
  localStakes: [...x.localStakes].sort(byKey((l: any) => l.validator)),
});

test('workload: every staker\'s account view equals the chains\' own answers at the indexed height, mid-run and at the tip', async (t) => {
  const w = workloadDevnet({ seed: 23, blocks: 160, users: 12 });
  const served = await serve(w.chains);
  const { db, close } = await testDb();
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  t.after(async () => (await api?.close(), await close(), await served.close()));
  const contracts = new Map<string, Contracts>(
    w.chains.map((c) => {
      const p = w.devnet.providers.get(c.id)!;
      const es = [...w.devnet.pairings.values()].filter((x) => x.provider.id === c.id).map((x) => x.externalStaking);
      return [c.id, { vault: p.vault, nativeStaking: p.nativeStaking, externalStakings: es }];
    }),
  );
  const mid = Math.min(...w.chains.map((c) => Number(c.height))) - 40;
  await Promise.all(w.chains.map((c) => runIndexers({ project: served.project, databaseUrl: db.url, chains: [c.id], until: mid })));
  api = await startApiServer({ databaseUrl: db.url, port: 0, subscriptions: false });
  const graphqlUrl = api.graphqlUrl;

  const compare = async (heights: Map<string, number>) => {
    let accounts = 0;
    let inFlight = 0;
    const stakers = new Map<string, Set<string>>();
    for (const chain of w.chains) {
      const c = contracts.get(chain.id)!;
      const users = chain.queryAt(BigInt(heights.get(chain.id)!), () =>
        pages((start) => (chain.query(c.vault, { all_accounts: { start_after: start, limit: 30 } }) as any).accounts as any[], (a) => a.user).map((a) => a.user as string),
      );
      stakers.set(chain.params.prefix, new Set(users));
      for (const user of users) {
        const r = await gqlRequest<any>(graphqlUrl, ACCOUNT, { a: user });
        assert.equal(r.status, 200);
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        const account = r.data.account;
        assert.ok(account, `${user} has a vault account on ${chain.id}`);
        assert.deepEqual(account.chains, [{ chainId: chain.id, indexedHeight: heights.get(chain.id) }]);
        const theirs = chainView(chain, c, user, BigInt(heights.get(chain.id)!));
        assert.deepEqual(sortView(apiView(account, chain.id, c.vault)), sortView(theirs), `${user} on ${chain.id} at ${heights.get(chain.id)}`);
        accounts++;
        inFlight += theirs.pendingTxs.length;
      }
    }
    // the same key on the other chain (another prefix) is listed when the indexer has seen it there
    for (const chain of w.chains) {
      for (const user of stakers.get(chain.params.prefix)!) {
        const { data } = fromBech32(user, 128);
        const others = [...stakers].filter(([p]) => p !== chain.params.prefix).flatMap(([p, set]) => (set.has(toBech32(p, data)) ? [toBech32(p, data)] : []));
        const r = await gqlRequest<any>(graphqlUrl, ACCOUNT, { a: user });
        for (const o of others) assert.ok(r.data.account.sameKey.some((a: any) => a.address === o), `${user}: sameKey lists ${o}`);
      }
    }
    return { accounts, inFlight };
  };

  const m = await compare(new Map(w.chains.map((c) => [c.id, mid])));
  assert.ok(m.accounts >= 2 * 12, `every user of both chains has a vault account (${m.accounts})`);

  await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  const tip = await compare(new Map(w.chains.map((c) => [c.id, Number(c.height)])));
  assert.equal(tip.accounts, m.accounts);
  t.diagnostic(`accounts compared: ${m.accounts} mid-run (${m.inFlight} txs in flight) and ${tip.accounts} at the tip (${tip.inFlight} in flight)`);
});
