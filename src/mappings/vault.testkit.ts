// Test helpers for the provider local side: index a provider chain with the vault, native staking
// and provider-module mappings, and compare every replicated vault position with the chain's answers.
import type { Chain } from '../devnet/chain/chain.ts';
import * as V from '../protocol/vault.ts';
import { indexChain, type Indexed } from './mappings.testkit.ts';
import { nativeStakingMapping } from './native-staking.ts';
import { providerModuleMapping } from './provider-module.ts';
import { NS_ACCOUNT, replicatedAccount, replicatedTxs, vaultMapping } from './vault.ts';
import { wasmMapping } from './wasm.ts';

export const PROVIDER_MAPPINGS = [wasmMapping, vaultMapping, nativeStakingMapping, providerModuleMapping];

export function indexProvider(chain: Chain): Promise<Indexed> {
  return indexChain(chain, PROVIDER_MAPPINGS);
}

const r = (v: { l: bigint; h: bigint }) => ({ l: v.l.toString(), h: v.h.toString() });

/** What the replica says, in the vault's query answer shapes. */
export function replicaAnswers(ix: Indexed, vault: string, user: string) {
  const a = replicatedAccount(ix, vault, user);
  return {
    details: { bonded: a.user.collateral.toString(), free: r(V.freeCollateral(a.user)), max_lien: r(a.user.maxLien), total_slashable: r(a.user.totalSlashable) },
    claims: a.liens.map(([holder, l]) => ({ lienholder: holder, amount: r(l.amount), slashable: l.slashable.toString() })),
  };
}

/** What the chain says (at `height`, default: now). */
export function chainAnswers(chain: Chain, vault: string, user: string, height?: bigint) {
  const q = (msg: unknown) => (height === undefined ? chain.query(vault, msg) : chain.queryAt(height, () => chain.query(vault, msg))) as any;
  const d = q({ account_details: { account: user } });
  const claims = (q({ account_claims: { account: user, limit: 30 } }).claims as any[]).map((c) => {
    const one = q({ claim: { account: user, lienholder: c.lienholder } });
    return { lienholder: c.lienholder, amount: { l: String(c.amount.l), h: String(c.amount.h) }, slashable: String(one.slashable) };
  });
  return {
    details: { bonded: String(d.bonded), free: { l: String(d.free.l), h: String(d.free.h) }, max_lien: { l: String(d.max_lien.l), h: String(d.max_lien.h) }, total_slashable: { l: String(d.total_slashable.l), h: String(d.total_slashable.h) } },
    claims,
  };
}

/** Users the replica knows in a vault plus those the chain lists. */
export function vaultUsers(ix: Indexed, chain: Chain, vault: string): string[] {
  const s = new Set(ix.replica.entries(NS_ACCOUNT, `${vault}/`).map(([k]) => k.slice(vault.length + 1)));
  let start: string | undefined;
  for (;;) {
    const page = (chain.query(vault, { all_accounts: { start_after: start, limit: 30 } }) as any).accounts as any[];
    for (const a of page) s.add(a.user);
    if (page.length < 30) break;
    start = page[page.length - 1].user;
  }
  return [...s].sort();
}

export function pendingTxAnswers(ix: Indexed, chain: Chain, vault: string) {
  const chainTxs = ((chain.query(vault, { all_pending_txs_desc: { limit: 30 } }) as any).txs as any[]).map((t) => {
    const v = t.in_flight_staking;
    return { id: String(v.id), amount: String(v.amount), user: v.user, lienholder: v.lienholder, slashable: String(v.slashable) };
  });
  const mine = replicatedTxs(ix, vault)
    .map((t) => ({ id: t.id.toString(), amount: t.amount.toString(), user: t.user, lienholder: t.lienholder, slashable: t.slashable }))
    .reverse();
  return { chain: chainTxs, replica: mine };
}
