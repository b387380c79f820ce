// mesh-vault (spec §1.1; ms:contracts/provider/vault/src/contract.rs): users' collateral and the liens
// granted to the local (native-staking) and cross (external-staking) lien holders. The accounting is
// in src/protocol/vault.ts; this file does storage, messages, events and the upstream error texts.
import type { Decimal } from '../../protocol/decimal.ts';
import { parseJson } from '../../protocol/codec/json.ts';
import { toBase64 } from '../../protocol/codec/schema.ts';
import * as codec from '../../protocol/codec/vault.ts';
import { SlashRatioResponse } from '../../protocol/codec/common.ts';
import * as V from '../../protocol/vault.ts';
import type { ContractCode, ContractInstance, Ctx, Reply } from '../chain/contract.ts';
import { type Coin, ContractError, type CosmosMsg, type MessageInfo, type Response, ResponseBuilder, coinJson, coinStr } from '../chain/types.ts';
import { JItem, JMap, SEP, key, u64Key } from '../state/journal.ts';
import { jsonBase64 } from '../chain/utf8.ts';
import { CONTRACT_VERSION, clampPageLimit, contractErrors, encode, instantiateReply, mustPay, nonpayable, notFound, parseMsg, wasmExecute } from './cw-std.ts';

const REPLY_ID_INSTANTIATE = 1;

// ---- contract -----------------------------------------------------------------------------------

interface LocalStaking {
  contract: string;
  maxSlash: Decimal;
}

type PendingTx = { kind: 'in_flight_staking'; value: { id: bigint; amount: bigint; slashable: Decimal; user: string; lienholder: string } };

const T = (name: string) => `mesh_vault::msg::${name}`;

class Vault implements ContractInstance {
  readonly denom: string;
  /** undefined until saved (a New local staking is saved by the reply); null = none. */
  readonly localStaking: JItem<LocalStaking | null | undefined>;
  readonly liens: JMap<V.Lien>;
  readonly users: JMap<V.UserInfo>;
  readonly activeExternal: JMap<true>;
  readonly txCount: JItem<bigint>;
  readonly pending: JMap<PendingTx>;

  constructor(ctx: Ctx, denom: string) {
    const j = ctx.journal;
    this.denom = denom;
    this.localStaking = new JItem<LocalStaking | null | undefined>(j, undefined);
    this.liens = new JMap(j);
    this.users = new JMap(j);
    this.activeExternal = new JMap(j);
    this.txCount = new JItem(j, 0n);
    this.pending = new JMap(j);
  }

  // ---- storage of an Account (user info + all of the user's liens) ----

  account(user: string): V.Account {
    const prefix = user + SEP;
    return {
      user: this.users.get(user) ?? V.DEFAULT_USER,
      liens: this.liens.entries({ prefix }).map(([k, l]) => [k.slice(prefix.length), l] as const),
    };
  }

  /** Writes back the liens that changed or disappeared, and the user info. */
  save(user: string, before: V.Account, after: V.Account): void {
    const now = new Map(after.liens);
    for (const [h] of before.liens) if (!now.has(h)) this.liens.delete(key(user, h));
    const old = new Map(before.liens);
    for (const [h, l] of after.liens) if (old.get(h) !== l) this.liens.set(key(user, h), l);
    this.users.set(user, after.user);
  }

  loadUser(user: string): V.UserInfo {
    const u = this.users.get(user);
    if (!u) throw notFound('mesh_vault::state::UserInfo');
    return u;
  }

  loadLocalStaking(): LocalStaking | null {
    const ls = this.localStaking.get();
    if (ls === undefined) throw notFound('core::option::Option<mesh_vault::state::LocalStaking>');
    return ls;
  }

  checkDenom(c: Coin): void {
    if (c.denom !== this.denom) throw new ContractError(V.unexpectedDenom(this.denom).message);
  }

  nextTxId(): bigint {
    const id = this.txCount.get() + 1n;
    this.txCount.set(id);
    return id;
  }

  // ---- execute ----

  execute(ctx: Ctx, info: MessageInfo, raw: unknown): Response {
    const msg = parseMsg(codec.ExecuteMsg, raw, T('ExecMsg'));
    return contractErrors(() => {
      switch (msg.kind) {
        case 'bond':
          return this.bond(info, msg.value.amount);
        case 'unbond':
          return this.unbond(info, msg.value.amount);
        case 'restake':
          return this.restake(info, msg.value.amount, msg.value.validator);
        case 'stake_remote':
          return this.stakeRemote(ctx, info, msg.value.contract, msg.value.amount, msg.value.msg);
        case 'stake_local':
          return this.stakeLocal(info, msg.value.amount, msg.value.msg);
        case 'release_cross_stake': {
          nonpayable(info);
          this.release(info.sender, msg.value.owner, msg.value.amount);
          return new ResponseBuilder()
            .attr('action', 'release_cross_stake')
            .attr('sender', info.sender)
            .attr('owner', msg.value.owner)
            .attr('amount', msg.value.amount.amount);
        }
        case 'release_local_stake': {
          const amount = mustPay(info, this.denom);
          this.release(info.sender, msg.value.owner, { denom: this.denom, amount });
          // sic: the same action string as release_cross_stake (spec §1.0)
          return new ResponseBuilder().attr('action', 'release_cross_stake').attr('sender', info.sender).attr('owner', msg.value.owner).attr('amount', amount);
        }
        case 'commit_tx':
          return this.finishTx(info, msg.value.tx_id, 'commit_tx');
        case 'rollback_tx':
          return this.finishTx(info, msg.value.tx_id, 'rollback_tx');
        case 'local_slash':
        case 'cross_slash': {
          nonpayable(info);
          const r = new ResponseBuilder();
          for (const m of this.slash(info.sender, msg.value.slashes, msg.value.validator)) r.msg(m);
          return r
            .attr('action', msg.kind)
            .attr('lien_holder', info.sender)
            .attr('validator', msg.value.validator)
            .attr('users', msg.value.slashes.map((s) => s.user).join(', '));
        }
      }
    });
  }

  bond(info: MessageInfo, amount: Coin): Response {
    nonpayable(info);
    this.checkDenom(amount);
    const u = this.users.get(info.sender) ?? V.DEFAULT_USER;
    this.users.set(info.sender, V.bond(u, amount.amount));
    // The provider module moves the user's tokens to the vault (spec §3.2); action says "unbond" (sic, §1.0).
    return new ResponseBuilder()
      .msg({ kind: 'custom', msg: { provider: { bond: { delegator: info.sender, amount: coinJson(amount) } } } })
      .attr('action', 'unbond')
      .attr('sender', info.sender)
      .attr('amount', amount.amount);
  }

  unbond(info: MessageInfo, amount: Coin): Response {
    nonpayable(info);
    this.checkDenom(amount);
    const u = this.users.get(info.sender) ?? V.DEFAULT_USER;
    this.users.set(info.sender, V.unbond(u, amount.amount));
    return new ResponseBuilder()
      .msg({ kind: 'custom', msg: { provider: { unbond: { delegator: info.sender, amount: coinJson(amount) } } } })
      .attr('action', 'unbond')
      .attr('sender', info.sender)
      .attr('amount', coinStr(amount)); // Coin's Display, as upstream `amount.to_string()`
  }

  /** Moves a native delegation of the user into the vault, then stakes it locally (spec §1.1, §3.2). */
  restake(info: MessageInfo, amount: Coin, validator: string): Response {
    nonpayable(info);
    this.checkDenom(amount);
    const ls = this.loadLocalStaking();
    if (!ls) throw noLocalStaking();
    const before = this.account(info.sender);
    const bonded: V.Account = { ...before, user: V.bond(before.user, amount.amount) };
    this.save(info.sender, before, V.stakeLocal(bonded, ls.contract, amount.amount, ls.maxSlash));
    return new ResponseBuilder()
      .msg({ kind: 'custom', msg: { provider: { restake: { delegator: info.sender, validator, amount: coinJson(amount) } } } })
      .msg(wasmExecute(ls.contract, { receive_stake: { owner: info.sender, msg: jsonBase64({ validator }) } }, [amount]))
      .attr('action', 'restake')
      .attr('sender', info.sender)
      .attr('amount', amount.amount);
  }

  stakeRemote(ctx: Ctx, info: MessageInfo, contract: string, amount: Coin, payload: Uint8Array): Response {
    nonpayable(info);
    const holder = ctx.api.addrValidate(contract);
    const ratio = SlashRatioResponse.decode(ctx.querier.wasmSmart(holder, { max_slash: {} })).slash_ratio_dsign;
    this.checkDenom(amount);
    const before = this.account(info.sender);
    this.save(info.sender, before, V.stakeRemote(before, holder, amount.amount, ratio));
    const id = this.nextTxId();
    this.pending.set(u64Key(id), { kind: 'in_flight_staking', value: { id, amount: amount.amount, slashable: ratio, user: info.sender, lienholder: holder } });
    this.activeExternal.set(holder, true);
    const call = { receive_virtual_stake: { owner: info.sender, amount: coinJson(amount), tx_id: Number(id), msg: toBase64(payload) } };
    return new ResponseBuilder()
      .msg(wasmExecute(holder, call))
      .attr('action', 'stake_remote')
      .attr('sender', info.sender)
      .attr('amount', amount.amount)
      .attr('tx_id', id);
  }

  stakeLocal(info: MessageInfo, amount: Coin, payload: Uint8Array): Response {
    nonpayable(info);
    const ls = this.loadLocalStaking();
    if (!ls) throw noLocalStaking();
    this.checkDenom(amount);
    const before = this.account(info.sender);
    this.save(info.sender, before, V.stakeLocal(before, ls.contract, amount.amount, ls.maxSlash));
    return new ResponseBuilder()
      .msg(wasmExecute(ls.contract, { receive_stake: { owner: info.sender, msg: toBase64(payload) } }, [amount]))
      .attr('action', 'stake_local')
      .attr('sender', info.sender)
      .attr('amount', amount.amount);
  }

  /** The contract's `unstake`, called by a lien holder (release_cross_stake / release_local_stake). */
  release(holder: string, owner: string, amount: Coin): void {
    this.checkDenom(amount);
    const before = this.account(owner);
    if (!V.lienOf(before, holder)) throw new ContractError("The lienholder doesn't have any claims");
    if (!this.users.has(owner)) throw notFound('mesh_vault::state::UserInfo');
    this.save(owner, before, V.release(before, holder, amount.amount));
  }

  finishTx(info: MessageInfo, txId: bigint, action: 'commit_tx' | 'rollback_tx'): Response {
    const tx = this.pending.get(u64Key(txId));
    if (!tx) throw notFound('mesh_sync::txs::Tx');
    const { amount, slashable, user, lienholder } = tx.value;
    if (lienholder !== info.sender) throw new ContractError(`The tx ${txId} exists but comes from the wrong address: ${info.sender}`);
    if (!this.liens.has(key(user, lienholder))) throw notFound('mesh_vault::state::Lien');
    const before = { ...this.account(user), user: this.loadUser(user) };
    const after = action === 'commit_tx' ? V.commitStake(before, lienholder, amount) : V.rollbackStake(before, lienholder, amount, slashable);
    this.save(user, before, after);
    this.pending.delete(u64Key(txId));
    return new ResponseBuilder().attr('action', action).attr('sender', info.sender).attr('tx_id', txId);
  }

  slash(holder: string, slashes: Array<{ user: string; slash: bigint }>, validator: string): CosmosMsg[] {
    const msgs: CosmosMsg[] = [];
    for (const s of slashes) {
      if (!this.liens.has(key(s.user, holder))) throw notFound('mesh_vault::state::Lien');
      const before = { ...this.account(s.user), user: this.loadUser(s.user) };
      const r = V.slash(before, holder, s.slash, validator);
      this.save(s.user, before, r.account);
      if (r.burns.length === 0) continue;
      const local = this.loadLocalStaking();
      for (const b of r.burns) {
        const body = { owner: s.user, amount: coinJson({ denom: this.denom, amount: b.amount }), validator: b.validator ?? null };
        msgs.push(wasmExecute(b.holder, local && local.contract === b.holder ? { burn_stake: body } : { burn_virtual_stake: body }));
      }
    }
    return msgs;
  }

  // ---- reply: the local staking contract was instantiated ----

  reply(ctx: Ctx, reply: Reply): Response {
    if (reply.id !== REPLY_ID_INSTANTIATE) throw new ContractError(`Invalid reply id: ${reply.id}`);
    const { address } = instantiateReply(reply);
    const { slash_ratio_dsign } = SlashRatioResponse.decode(ctx.querier.wasmSmart(address, { max_slash: {} }));
    this.localStaking.set({ contract: address, maxSlash: slash_ratio_dsign });
    return new ResponseBuilder();
  }

  // ---- queries ----

  query(ctx: Ctx, raw: unknown): unknown {
    const q = parseMsg(codec.QueryMsg, raw, T('QueryMsg'));
    const R = codec.QUERY_RESPONSES;
    return contractErrors(() => {
      switch (q.kind) {
        case 'account': {
          const u = this.users.get(ctx.api.addrValidate(q.value.account)) ?? V.DEFAULT_USER;
          return encode(R.account, { denom: this.denom, bonded: u.collateral, free: V.freeCollateral(u) });
        }
        case 'account_details': {
          const u = this.users.get(ctx.api.addrValidate(q.value.account)) ?? V.DEFAULT_USER;
          return encode(R.account_details, {
            denom: this.denom,
            bonded: u.collateral,
            free: V.freeCollateral(u),
            max_lien: u.maxLien,
            total_slashable: u.totalSlashable,
          });
        }
        case 'config': {
          const ls = this.loadLocalStaking();
          return encode(R.config, { denom: this.denom, local_staking: ls?.contract });
        }
        case 'active_external_staking':
          return encode(R.active_external_staking, { contracts: this.activeExternal.keys() });
        case 'claim': {
          const account = ctx.api.addrValidate(q.value.account);
          const holder = ctx.api.addrValidate(q.value.lienholder);
          const lien = this.liens.get(key(account, holder));
          if (!lien) throw noClaim();
          return encode(R.claim, { amount: lien.amount, slashable: lien.slashable });
        }
        case 'account_claims': {
          // `account` and `start_after` are not validated upstream (Addr::unchecked).
          const prefix = q.value.account + SEP;
          const startAfter = q.value.start_after === undefined ? undefined : prefix + q.value.start_after;
          const claims = this.liens
            .entries({ prefix, startAfter })
            .slice(0, clampPageLimit(q.value.limit))
            .map(([k, l]) => ({ lienholder: k.slice(prefix.length), amount: l.amount }));
          return encode(R.account_claims, { claims });
        }
        case 'all_accounts': {
          const accounts = this.users
            .entries({ startAfter: q.value.start_after })
            .filter(([, u]) => !q.value.with_collateral || u.collateral !== 0n)
            .slice(0, clampPageLimit(q.value.limit))
            .map(([user, u]) => ({ user, account: { denom: this.denom, bonded: u.collateral, free: V.freeCollateral(u) } }));
          return encode(R.all_accounts, { accounts });
        }
        case 'pending_tx': {
          const tx = this.pending.get(u64Key(q.value.tx_id));
          if (!tx) throw notFound('mesh_sync::txs::Tx');
          return encode(R.pending_tx, tx);
        }
        case 'all_pending_txs_desc': {
          const sa = q.value.start_after;
          const txs = this.pending
            .entries({ descending: true, startAfter: sa === undefined ? undefined : u64Key(sa) })
            .slice(0, clampPageLimit(q.value.limit))
            .map(([, tx]) => tx);
          return encode(R.all_pending_txs_desc, { txs });
        }
      }
    });
  }
}

// NoLocalStaking / NoClaim: their #[error] texts were not found upstream (errors.md §12); best guesses.
const noLocalStaking = () => new ContractError('Local staking contract is not set');
const noClaim = () => new ContractError('Claim not found');

export const vaultCode: ContractCode = {
  name: 'mesh-vault',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(codec.InstantiateMsg, raw, T('InstantiateMsg'));
    nonpayable(info);
    const vault = new Vault(ctx, msg.denom);
    const r = new ResponseBuilder();
    const ls = msg.local_staking;
    if (ls === undefined) {
      vault.localStaking.set(null);
    } else if ('existing' in ls) {
      const { slash_ratio_dsign } = SlashRatioResponse.decode(ctx.querier.wasmSmart(ls.existing, { max_slash: {} }));
      vault.localStaking.set({ contract: ctx.api.addrValidate(ls.existing), maxSlash: slash_ratio_dsign });
    } else {
      let init: unknown;
      try {
        init = parseJson(ls.msg);
      } catch {
        init = ls.msg; // the callee rejects it with its own parse error
      }
      const label = ls.label ?? 'Mesh Security Local Staking';
      r.submsg(REPLY_ID_INSTANTIATE, { kind: 'wasm_instantiate', codeId: Number(ls.code_id), msg: init, funds: [], label, ...(ls.admin ? { admin: ls.admin } : {}) }, 'success');
    }
    return { instance: vault, response: r };
  },
};
