// mesh-native-staking-proxy (spec §1.3; ms:contracts/provider/native-staking-proxy/src/contract.rs):
// one per owner, instantiated by native-staking; holds the real delegations. Burns undelegate and are
// remembered in `burned` so those tokens never go back to the vault (§4.3.4).
import { distributeBurn } from '../../protocol/burn.ts';
import * as codec from '../../protocol/codec/native-staking-proxy.ts';
import type { ContractCode, ContractInstance, Ctx } from '../chain/contract.ts';
import { type Coin, ContractError, type MessageInfo, type Response, ResponseBuilder, coinJson } from '../chain/types.ts';
import { JItem, type Journal } from '../state/journal.ts';
import { CONTRACT_VERSION, contractErrors, encode, jsonBytes, mustPay, nonpayable, parseMsg, wasmExecute } from './cw-std.ts';

const T = (name: string) => `mesh_native_staking_proxy::msg::${name}`;

interface Config {
  denom: string;
  /** native-staking */
  parent: string;
  owner: string;
}

export class Proxy implements ContractInstance {
  readonly config: JItem<Config>;
  readonly burned: JItem<bigint>;

  constructor(journal: Journal, config: Config) {
    this.config = new JItem(journal, config);
    this.burned = new JItem(journal, 0n);
  }

  /** `stake`: delegate info.funds (parent only; also run by instantiate). */
  stake(info: MessageInfo, validator: string): ResponseBuilder {
    const cfg = this.config.get();
    if (info.sender !== cfg.parent) throw new ContractError('Unauthorized');
    const amount = mustPay(info, cfg.denom);
    return new ResponseBuilder().msg({ kind: 'staking_delegate', validator, amount: { denom: cfg.denom, amount } });
  }

  private owner(info: MessageInfo): Config {
    const cfg = this.config.get();
    if (info.sender !== cfg.owner) throw new ContractError('Unauthorized');
    nonpayable(info);
    return cfg;
  }

  private checkDenom(cfg: Config, amount: Coin): void {
    if (amount.denom !== cfg.denom) throw new ContractError(`Try to send wrong denom: ${amount.denom}`);
  }

  execute(ctx: Ctx, info: MessageInfo, raw: unknown): Response {
    const msg = parseMsg(codec.ExecuteMsg, raw, T('ExecMsg'));
    return contractErrors(() => {
      switch (msg.kind) {
        case 'stake':
          return this.stake(info, msg.value.validator);
        case 'burn':
          return this.burn(ctx, info, msg.value.validator, msg.value.amount);
        case 'restake': {
          const cfg = this.owner(info);
          this.checkDenom(cfg, msg.value.amount);
          return new ResponseBuilder().msg({ kind: 'staking_redelegate', src: msg.value.src_validator, dst: msg.value.dst_validator, amount: msg.value.amount });
        }
        case 'vote':
          this.owner(info);
          return new ResponseBuilder().msg({ kind: 'gov_vote', proposalId: msg.value.proposal_id, vote: msg.value.vote });
        case 'vote_weighted':
          this.owner(info);
          return new ResponseBuilder().msg({
            kind: 'gov_vote_weighted',
            proposalId: msg.value.proposal_id,
            options: msg.value.vote.map((o) => ({ option: o.option, weight: o.weight.toString() })),
          });
        case 'withdraw_rewards': {
          this.owner(info);
          const r = new ResponseBuilder();
          for (const d of ctx.querier.allDelegations(ctx.env.contract.address)) r.msg({ kind: 'distribution_withdraw', validator: d.validator });
          return r;
        }
        case 'unstake': {
          const cfg = this.owner(info);
          this.checkDenom(cfg, msg.value.amount);
          // x/meshsecurityprovider undelegates from this proxy: instant if the validator is not bonded (§3.2)
          const body = { delegator: info.sender, validator: msg.value.validator, amount: coinJson(msg.value.amount) };
          return new ResponseBuilder().msg({ kind: 'custom', msg: { provider: { unstake: body } } });
        }
        case 'release_unbonded': {
          const cfg = this.owner(info);
          const balance = ctx.querier.balance(ctx.env.contract.address, cfg.denom).amount;
          const burned = this.burned.get();
          const amount = balance > burned ? balance - burned : 0n; // liquid balance minus burned stake
          if (amount === 0n) return new ResponseBuilder();
          return new ResponseBuilder().msg(wasmExecute(cfg.parent, { release_proxy_stake: {} }, [{ denom: cfg.denom, amount }]));
        }
      }
    });
  }

  /** Undelegate `amount` from one validator, or spread over all delegations (distribute_burn). */
  private burn(ctx: Ctx, info: MessageInfo, validator: string | undefined, amount: Coin): Response {
    const cfg = this.config.get();
    if (info.sender !== cfg.parent) throw new ContractError('Unauthorized');
    nonpayable(info);
    this.checkDenom(cfg, amount);
    const self = ctx.env.contract.address;
    let delegations: Array<[string, bigint]>;
    if (validator !== undefined) {
      const d = ctx.querier.delegation(self, validator);
      delegations = d ? [[d.validator, d.amount.amount]] : [];
    } else {
      delegations = ctx.querier.allDelegations(self).map((d) => [d.validator, d.amount.amount]);
    }
    const insufficient = () => new ContractError(`Native proxy ${self} has not enough delegated funds: ${amount.amount}`);
    if (delegations.length === 0) throw insufficient();
    const { burned, burns } = distributeBurn(delegations, amount.amount);
    if (burned < amount.amount) throw insufficient();
    const r = new ResponseBuilder();
    // FIXME upstream: a normal (not instant) undelegation, one message per burn entry.
    for (const b of burns) r.msg({ kind: 'staking_undelegate', validator: b.validator, amount: { denom: cfg.denom, amount: b.amount } });
    this.burned.set(this.burned.get() + amount.amount);
    return r;
  }

  query(_ctx: Ctx, raw: unknown): unknown {
    parseMsg(codec.QueryMsg, raw, T('QueryMsg'));
    const cfg = this.config.get();
    return encode(codec.ConfigResponse, { denom: cfg.denom, parent: cfg.parent, owner: cfg.owner });
  }
}

export const nativeStakingProxyCode: ContractCode = {
  name: 'mesh-native-staking-proxy',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(codec.InstantiateMsg, raw, T('InstantiateMsg'));
    const owner = ctx.api.addrValidate(msg.owner);
    const proxy = new Proxy(ctx.journal, { denom: msg.denom, parent: info.sender, owner });
    const r = contractErrors(() => proxy.stake(info, msg.validator));
    // Rewards go to the owner; the owner is passed to native-staking's reply as data.
    r.msg({ kind: 'distribution_set_withdraw_address', address: owner });
    r.setData(jsonBytes(codec.OwnerMsg, { owner: msg.owner }));
    return { instance: proxy, response: r };
  },
};
