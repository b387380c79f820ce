// mesh-native-staking (spec §1.2; ms:contracts/provider/native-staking/src/{contract,local_staking_api,
// native_staking_callback}.rs): the vault's local lien holder. One native-staking-proxy per owner
// holds the real delegations; sudo `jailing` from x/meshsecurityprovider turns provider slashing into
// vault `local_slash` (amounts from src/protocol/native-slash.ts).
import type { Decimal } from '../../protocol/decimal.ts';
import { jailingSteps, nativeSlashInfos } from '../../protocol/native-slash.ts';
import { StakeMsg } from '../../protocol/codec/common.ts';
import * as codec from '../../protocol/codec/native-staking.ts';
import { OwnerMsg } from '../../protocol/codec/native-staking-proxy.ts';
import type { ContractCode, ContractInstance, Ctx, Reply } from '../chain/contract.ts';
import { ContractError, type CosmosMsg, type MessageInfo, type Response, ResponseBuilder, attr, coinJson } from '../chain/types.ts';
import { JItem, JMap, SEP, key } from '../state/journal.ts';
import { CONTRACT_VERSION, contractErrors, encode, instantiateReply, mustPay, nonpayable, notFound, parseMsg, wasmExecute } from './cw-std.ts';

const REPLY_ID_INSTANTIATE = 2;
const T = (name: string) => `mesh_native_staking::msg::${name}`;

interface Config {
  denom: string;
  proxyCodeId: bigint;
  vault: string;
  slashRatioDsign: Decimal;
  slashRatioOffline: Decimal;
}

const ADDR_NOT_FOUND = 'cosmwasm_std::addresses::Addr';

class NativeStaking implements ContractInstance {
  readonly config: JItem<Config>;
  readonly proxyByOwner: JMap<string>;
  readonly ownerByProxy: JMap<string>;
  /** (validator, owner) → true: every owner that ever staked to a validator (pruned when found at 0). */
  readonly delegators: JMap<true>;

  constructor(ctx: Ctx, config: Config) {
    this.config = new JItem(ctx.journal, config);
    this.proxyByOwner = new JMap(ctx.journal);
    this.ownerByProxy = new JMap(ctx.journal);
    this.delegators = new JMap(ctx.journal);
  }

  execute(ctx: Ctx, info: MessageInfo, raw: unknown): Response {
    const msg = parseMsg(codec.ExecuteMsg, raw, T('ExecMsg'));
    const cfg = this.config.get();
    return contractErrors(() => {
      switch (msg.kind) {
        case 'receive_stake': {
          if (info.sender !== cfg.vault) throw new ContractError('Unauthorized');
          mustPay(info, cfg.denom);
          const { validator } = parseMsg(StakeMsg, msg.value.msg, 'mesh_native_staking::msg::StakeMsg');
          const owner = ctx.api.addrValidate(msg.value.owner);
          this.delegators.set(key(validator, owner), true);
          const proxy = this.proxyByOwner.get(owner);
          const r = new ResponseBuilder();
          if (proxy === undefined) {
            const init = { denom: cfg.denom, owner: msg.value.owner, validator };
            const m: CosmosMsg = { kind: 'wasm_instantiate', codeId: Number(cfg.proxyCodeId), msg: init, funds: info.funds, label: `LSP for ${msg.value.owner}`, admin: ctx.env.contract.address };
            return r.submsg(REPLY_ID_INSTANTIATE, m, 'success');
          }
          return r.msg(wasmExecute(proxy, { stake: { validator } }, info.funds));
        }
        case 'burn_stake': {
          if (info.sender !== cfg.vault) throw new ContractError('Unauthorized');
          nonpayable(info);
          const owner = ctx.api.addrValidate(msg.value.owner);
          const proxy = this.proxyByOwner.get(owner);
          if (proxy === undefined) throw new ContractError(`Missing proxy contract for ${msg.value.owner}`);
          const burn = { validator: msg.value.validator ?? null, amount: coinJson(msg.value.amount) };
          return new ResponseBuilder().msg(wasmExecute(proxy, { burn }, info.funds));
        }
        case 'release_proxy_stake': {
          mustPay(info, cfg.denom);
          const owner = this.ownerByProxy.get(info.sender);
          if (owner === undefined) throw notFound(ADDR_NOT_FOUND);
          return new ResponseBuilder().msg(wasmExecute(cfg.vault, { release_local_stake: { owner } }, info.funds));
        }
        case 'test_handle_jailing':
          throw new ContractError('Unauthorized'); // test builds only
      }
    });
  }

  /** x/meshsecurityprovider calls this BEFORE the chain slashes, so delegations are pre-slash (spec §3.2). */
  sudo(ctx: Ctx, raw: unknown): Response {
    const msg = parseMsg(codec.SudoMsg, raw, T('SudoMsg'));
    const jailed = msg.value.jailed ?? [];
    const tombstoned = msg.value.tombstoned ?? [];
    const cfg = this.config.get();
    const r = new ResponseBuilder();
    const msgs: CosmosMsg[] = [];
    for (const step of jailingSteps(jailed, tombstoned, { slashRatioDsign: cfg.slashRatioDsign, slashRatioOffline: cfg.slashRatioOffline })) {
      const m = this.handleSlashing(ctx, cfg, step.validator, step.ratio);
      if (m) msgs.push(m);
    }
    const ev = [];
    if (jailed.length > 0) ev.push(attr('jailed', jailed.join(',')));
    if (tombstoned.length > 0) ev.push(attr('tombstoned', tombstoned.join(',')));
    r.event('jailing', ...ev);
    for (const m of msgs) r.msg(m);
    return r;
  }

  private handleSlashing(ctx: Ctx, cfg: Config, validator: string, ratio: Decimal): CosmosMsg | undefined {
    const prefix = validator + SEP;
    const owners = this.delegators.keys({ prefix }).map((k) => k.slice(prefix.length));
    if (owners.length === 0) return undefined;
    const delegations = owners.map((owner) => {
      const proxy = this.proxyByOwner.get(owner);
      if (proxy === undefined) throw notFound(ADDR_NOT_FOUND);
      return [owner, ctx.querier.delegation(proxy, validator)?.amount.amount ?? 0n] as const;
    });
    const { slashes, dropped } = nativeSlashInfos(delegations, ratio);
    for (const owner of dropped) this.delegators.delete(key(validator, owner));
    if (slashes.length === 0) return undefined;
    const body = { slashes: slashes.map((s) => ({ user: s.user, slash: s.slash.toString() })), validator };
    return wasmExecute(cfg.vault, { local_slash: body });
  }

  /** The proxy's instantiate reply: remember owner ↔ proxy. */
  reply(ctx: Ctx, reply: Reply): Response {
    if (reply.id !== REPLY_ID_INSTANTIATE) throw new ContractError(`Invalid reply id: ${reply.id}`);
    const { address, data } = instantiateReply(reply);
    if (!data) throw new ContractError('Missing instantiate reply data');
    const { owner } = parseMsg(OwnerMsg, data, 'mesh_native_staking_proxy::msg::OwnerMsg');
    const ownerAddr = ctx.api.addrValidate(owner);
    this.proxyByOwner.set(ownerAddr, address);
    this.ownerByProxy.set(address, ownerAddr);
    return new ResponseBuilder();
  }

  query(ctx: Ctx, raw: unknown): unknown {
    const q = parseMsg(codec.QueryMsg, raw, T('QueryMsg'));
    const cfg = this.config.get();
    const R = codec.QUERY_RESPONSES;
    switch (q.kind) {
      case 'config':
        return encode(R.config, {
          denom: cfg.denom,
          proxy_code_id: cfg.proxyCodeId,
          vault: cfg.vault,
          slash_ratio_dsign: cfg.slashRatioDsign,
          slash_ratio_offline: cfg.slashRatioOffline,
        });
      case 'proxy_by_owner': {
        const proxy = this.proxyByOwner.get(ctx.api.addrValidate(q.value.owner));
        if (proxy === undefined) throw notFound(ADDR_NOT_FOUND);
        return encode(R.proxy_by_owner, { proxy });
      }
      case 'owner_by_proxy': {
        const owner = this.ownerByProxy.get(ctx.api.addrValidate(q.value.proxy));
        if (owner === undefined) throw notFound(ADDR_NOT_FOUND);
        return encode(R.owner_by_proxy, { owner });
      }
      case 'max_slash':
        return encode(R.max_slash, { slash_ratio_dsign: cfg.slashRatioDsign, slash_ratio_offline: cfg.slashRatioOffline });
    }
  }
}

export const nativeStakingCode: ContractCode = {
  name: 'mesh-native-staking',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(codec.InstantiateMsg, raw, T('InstantiateMsg'));
    if (msg.slash_ratio_dsign.atomics > 10n ** 18n || msg.slash_ratio_offline.atomics > 10n ** 18n) {
      throw new ContractError('You cannot specify a slash ratio over 1.0 (100%)');
    }
    const instance = new NativeStaking(ctx, {
      denom: msg.denom,
      proxyCodeId: msg.proxy_code_id,
      vault: info.sender, // the instantiating vault
      slashRatioDsign: msg.slash_ratio_dsign,
      slashRatioOffline: msg.slash_ratio_offline,
    });
    return { instance, response: new ResponseBuilder() };
  },
};
