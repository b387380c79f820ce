// mesh-virtual-staking (spec §1.6, §4.5, §4.6; ms:contracts/consumer/virtual-staking/src/contract.rs):
// keeps the provider's bond requests per validator, applies them once per epoch under the
// x/meshsecurity max cap with `{"virtual_stake":…}` custom messages, collects rewards for the
// converter and forwards validator-set reports. The rebalance math lives in src/protocol/max-cap.ts.
import type { ContractCode, ContractInstance, Ctx, Reply } from '../chain/contract.ts';
import { type Coin, ContractError, type CosmosMsg, type MessageInfo, ResponseBuilder, attr } from '../chain/types.ts';
import { JItem, JMap } from '../state/journal.ts';
import { distributeBurn } from '../../protocol/burn.ts';
import { type InactiveValidator, type Stakes, epochRebalance, updateInactive, withdrawTargets } from '../../protocol/max-cap.ts';
import * as chainCodec from '../../protocol/codec/chain-msgs.ts';
import * as converterCodec from '../../protocol/codec/converter.ts';
import { type Schema } from '../../protocol/codec/schema.ts';
import { ExecuteMsg, InstantiateMsg, QueryMsg, SudoMsg, type ValidatorSlash } from '../../protocol/codec/virtual-staking.ts';
import { CONTRACT_VERSION, nonpayable, parseMsg } from './cw-std.ts';

const CRATE = 'mesh_virtual_staking';
export const REPLY_REWARDS_ID = 1;

// ContractError Display texts (errors.md §9).
const unauthorized = () => new ContractError('Unauthorized');
const wrongDenom = (denom: string) => new ContractError(`Wrong denom. Cannot stake ${denom}`);
const insufficientBond = (validator: string, amount: bigint) =>
  new ContractError(`Cannot unbond ${amount} tokens from validator ${validator}, not enough staked`);
const insufficientDelegations = (contract: string, amount: bigint) =>
  new ContractError(`Virtual staking ${contract} has not enough delegated funds: ${amount}`);
/** StdError::NotFound of `bond_requests.load` (cosmwasm-std 1.x type path). */
const UINT128_NOT_FOUND = 'cosmwasm_std::math::uint128::Uint128 not found';

interface Config {
  denom: string;
  converter: string;
  maxRetrieve: number;
  /** Stored but never read by the contract (spec §7 Q7). */
  tombstonedUnbondEnable: boolean;
}

interface RewardInfo {
  validator: string;
  reward: bigint;
}

/** `{"virtual_stake":{…}}` as a CosmosMsg::Custom. */
const virtualStake = (value: chainCodec.VirtualStakeCustomMsg['value']): CosmosMsg => ({
  kind: 'custom',
  msg: chainCodec.VirtualStakeCustomMsg.encode({ kind: 'virtual_stake', value }) as Record<string, unknown>,
});

class VirtualStaking implements ContractInstance {
  constructor(
    private readonly config: JItem<Config>,
    /** Requested bonds per validator (provider wants), consumer units. */
    private readonly bondRequests: JMap<bigint>,
    /** What was bonded at the last epoch, in `bond_requests` order. */
    private readonly bonded: JItem<Stakes>,
    private readonly slashRequests: JItem<ValidatorSlash[]>,
    private readonly inactive: JItem<InactiveValidator[]>,
    /** Accounting only: burned amounts per validator. */
    private readonly burned: JMap<bigint>,
    /** Validators of the pending withdraw replies, reversed (popped from the end). */
    private readonly rewardTargets: JItem<string[]>,
    private readonly batch: JItem<{ rewards: RewardInfo[]; total: bigint }>,
  ) {}

  private checkConverter(info: MessageInfo, amount?: Coin): Config {
    nonpayable(info);
    const cfg = this.config.get();
    if (info.sender !== cfg.converter) throw unauthorized();
    if (amount && amount.denom !== cfg.denom) throw wrongDenom(cfg.denom);
    return cfg;
  }

  private requests(): Array<[string, bigint]> {
    return this.bondRequests.entries();
  }

  execute(ctx: Ctx, info: MessageInfo, raw: unknown) {
    const msg = parseMsg(ExecuteMsg, raw, `${CRATE}::contract::sv::ContractExecMsg`);
    const res = new ResponseBuilder();
    switch (msg.kind) {
      case 'bond': {
        const { delegator, validator, amount } = msg.value;
        this.checkConverter(info, amount);
        this.bondRequests.set(validator, (this.bondRequests.get(validator) ?? 0n) + amount.amount);
        return res.msg(virtualStake({ kind: 'update_delegation', value: { amount, is_deduct: false, delegator, validator } }));
      }
      case 'unbond': {
        const { delegator, validator, amount } = msg.value;
        this.checkConverter(info, amount);
        this.subRequest(validator, amount.amount);
        return res.msg(virtualStake({ kind: 'update_delegation', value: { amount, is_deduct: true, delegator, validator } }));
      }
      case 'burn': {
        const { validators, amount } = msg.value;
        this.checkConverter(info, amount);
        const bonds: Array<[string, bigint]> = [];
        for (const v of validators) {
          const stake = this.bondRequests.get(v) ?? 0n;
          if (stake !== 0n) bonds.push([v, stake]);
        }
        const contract = ctx.env.contract.address;
        if (bonds.length === 0) throw insufficientDelegations(contract, amount.amount);
        // spec §4.3.4: lowers the requests; the unbond happens at the next epoch
        const { burned, burns } = distributeBurn(bonds, amount.amount);
        for (const b of burns) {
          this.bondRequests.set(b.validator, (this.bondRequests.get(b.validator) ?? 0n) - b.amount);
          this.burned.set(b.validator, (this.burned.get(b.validator) ?? 0n) + b.amount);
        }
        if (burned < amount.amount) throw insufficientDelegations(contract, amount.amount);
        return res;
      }
      case 'internal_unbond': {
        // zero max cap: the provider acknowledged internal_unstake, unbond at once (spec §1.6)
        const { delegator, validator, amount } = msg.value;
        this.checkConverter(info, amount);
        this.subRequest(validator, amount.amount);
        this.bonded.set(this.requests());
        return res
          .msg(virtualStake({ kind: 'update_delegation', value: { amount, is_deduct: true, delegator, validator } }))
          .msg(virtualStake({ kind: 'unbond', value: { amount, validator } }));
      }
      case 'handle_close_channel': {
        // channel closed: stop epochs and unbond every recorded delegation (spec §2.1, §1.6)
        const cfg = this.checkConverter(info);
        res.msg(virtualStake({ kind: 'delete_all_scheduled_tasks', value: {} }));
        for (const d of this.allDelegations(ctx, cfg)) {
          const amount = { denom: cfg.denom, amount: d.amount };
          res.msg(virtualStake({ kind: 'update_delegation', value: { amount, is_deduct: true, delegator: d.delegator, validator: d.validator } }));
          res.msg(virtualStake({ kind: 'unbond', value: { amount, validator: d.validator } }));
        }
        for (const [v, a] of this.requests()) if (a !== 0n) this.bondRequests.set(v, 0n);
        this.bonded.set(this.requests());
        return res;
      }
    }
  }

  private subRequest(validator: string, amount: bigint): void {
    const have = this.bondRequests.get(validator);
    if (have === undefined) throw new ContractError(UINT128_NOT_FOUND);
    if (have < amount) throw insufficientBond(validator, amount);
    this.bondRequests.set(validator, have - amount);
  }

  private allDelegations(ctx: Ctx, cfg: Config) {
    const r = ctx.querier.custom(
      chainCodec.VirtualStakeCustomQuery.encode({
        kind: 'virtual_stake',
        value: { kind: 'all_delegations', value: { contract: ctx.env.contract.address, max_retrieve: cfg.maxRetrieve } },
      }) as Record<string, unknown>,
    );
    return chainCodec.AllDelegationsResponse.decode(r).delegations;
  }

  private customQuery<T>(ctx: Ctx, value: chainCodec.VirtualStakeCustomQuery['value'], answer: Schema<T>): T {
    const q = chainCodec.VirtualStakeCustomQuery.encode({ kind: 'virtual_stake', value }) as Record<string, unknown>;
    return answer.decode(ctx.querier.custom(q));
  }

  sudo(ctx: Ctx, raw: unknown) {
    const msg = parseMsg(SudoMsg, raw, `${CRATE}::contract::sv::ContractSudoMsg`);
    return msg.kind === 'handle_epoch' ? this.handleEpoch(ctx) : this.handleValsetUpdate(msg.value);
  }

  /** spec §4.5: withdraw rewards, then rebalance under the max cap (or unstake everything at cap 0). */
  private handleEpoch(ctx: Ctx) {
    const contract = ctx.env.contract.address;
    const cfg = this.config.get();
    const res = new ResponseBuilder();
    const bonded = this.bonded.get();
    const targets = withdrawTargets(bonded, this.inactive.get());
    this.rewardTargets.set([...targets].reverse());
    for (const validator of targets) res.submsg(REPLY_REWARDS_ID, { kind: 'distribution_withdraw', validator }, 'always');

    const cap = this.customQuery(ctx, { kind: 'bond_status', value: { contract } }, chainCodec.BondStatusResponse).cap.amount;
    const out = epochRebalance({
      bondRequests: this.requests(),
      bonded,
      slashes: this.slashRequests.get().map((s) => ({ address: s.address, slashAmount: s.slash_amount, isTombstoned: s.is_tombstoned })),
      inactive: this.inactive.get(),
      cap,
      delegationOf: (validator) =>
        this.customQuery(ctx, { kind: 'total_delegation', value: { contract, validator } }, chainCodec.TotalDelegationResponse).delegation.amount,
    });
    if (out.kind === 'zero_cap') {
      // spec §4.5 step 2: ask the provider to unstake every recorded delegation; stop epochs when none are left
      const delegations = this.allDelegations(ctx, cfg);
      if (delegations.length === 0) res.msg(virtualStake({ kind: 'delete_all_scheduled_tasks', value: {} }));
      for (const d of delegations) {
        const body = converterCodec.ExecuteMsg.encode({
          kind: 'internal_unstake',
          value: { delegator: d.delegator, validator: d.validator, amount: { denom: cfg.denom, amount: d.amount } },
        });
        res.msg({ kind: 'wasm_execute', contract: cfg.converter, msg: body, funds: [] });
      }
      this.bonded.set([]);
      return res;
    }
    for (const [v, a] of out.bondRequests) if (this.bondRequests.get(v) !== a) this.bondRequests.set(v, a);
    if (this.slashRequests.get().length > 0) this.slashRequests.set([]);
    this.inactive.set(out.inactive);
    this.bonded.set(out.bonded);
    for (const m of out.msgs) {
      res.msg(virtualStake({ kind: m.kind, value: { amount: { denom: cfg.denom, amount: m.amount }, validator: m.validator } }));
    }
    return res;
  }

  /** spec §4.5: queue slashes, maintain the inactive list, forward the report to the converter. */
  private handleValsetUpdate(v: Extract<chainCodec.VirtualStakingSudoMsg, { kind: 'handle_valset_update' }>['value']) {
    const cfg = this.config.get();
    const additions = v.additions ?? [];
    const removals = v.removals ?? [];
    const tombstoned = v.tombstoned ?? [];
    const slashed = v.slashed ?? [];
    if (slashed.length > 0) this.slashRequests.set([...this.slashRequests.get(), ...slashed]);
    const inactive = this.inactive.get();
    const next = updateInactive(inactive, { additions: additions.map((a) => a.address), removals, tombstoned });
    if (additions.length > 0 || removals.length > 0 || tombstoned.length > 0) this.inactive.set(next);
    const body = converterCodec.ExecuteMsg.encode({
      kind: 'valset_update',
      value: {
        additions,
        removals,
        updated: v.updated ?? [],
        jailed: v.jailed ?? [],
        unjailed: v.unjailed ?? [],
        tombstoned,
        slashed: slashed.map((s) => ({
          address: s.address,
          infraction_height: s.infraction_height,
          infraction_time: s.infraction_time,
          power: s.power,
          slash_amount: { denom: cfg.denom, amount: s.slash_amount },
          slash_ratio: s.slash_ratio,
        })),
      },
    });
    return new ResponseBuilder().msg({ kind: 'wasm_execute', contract: cfg.converter, msg: body, funds: [] });
  }

  reply(ctx: Ctx, reply: Reply) {
    if (reply.id !== REPLY_REWARDS_ID) throw new ContractError(`Invalid Reply ID. Don't recognize ${reply.id}`);
    if ('err' in reply.result) {
      // keep the target list in step; report the failure and go on (spec §4.6)
      const { target } = this.popTarget();
      return new ResponseBuilder().event('rewards_error', attr('error', reply.result.err), attr('target', target));
    }
    return this.replyRewards(ctx);
  }

  private popTarget(): { target: string; finished: boolean } {
    const targets = [...this.rewardTargets.get()];
    const target = targets.pop();
    if (target === undefined) throw new Error('called `Option::unwrap()` on a `None` value');
    this.rewardTargets.set(targets);
    return { target, finished: targets.length === 0 };
  }

  /** Attributes the balance growth since the last reply to the popped validator (spec §4.6). */
  private replyRewards(ctx: Ctx) {
    const { target, finished } = this.popTarget();
    const cfg = this.config.get();
    const res = new ResponseBuilder();
    const total = ctx.querier.balance(ctx.env.contract.address, cfg.denom).amount;
    if (total === 0n) return res;
    const batch = this.batch.get();
    if (total < batch.total) throw new Error('attempt to subtract with overflow');
    const fresh = total - batch.total;
    const all = (): RewardInfo[] => {
      if (fresh === 0n) return batch.rewards;
      const info = { validator: target, reward: fresh };
      return total === fresh ? [info] : [...batch.rewards, info];
    };
    if (finished) {
      const payments = all();
      this.batch.set({ rewards: [], total: 0n });
      const body = converterCodec.ExecuteMsg.encode({ kind: 'distribute_rewards', value: { payments } });
      return res.msg({ kind: 'wasm_execute', contract: cfg.converter, msg: body, funds: [{ denom: cfg.denom, amount: total }] });
    }
    if (fresh !== 0n) this.batch.set({ rewards: all(), total });
    return res;
  }

  query(_ctx: Ctx, raw: unknown): unknown {
    const msg = parseMsg(QueryMsg, raw, `${CRATE}::contract::sv::ContractQueryMsg`);
    switch (msg.kind) {
      case 'config': {
        const { denom, converter } = this.config.get();
        return { denom, converter };
      }
      case 'get_stake': {
        const entry = this.bonded.get().find(([v]) => v === msg.value.validator);
        return { stake: (entry?.[1] ?? 0n).toString() };
      }
      case 'get_all_stake':
        return { stakes: this.bonded.get().map(([v, a]) => [v, a.toString()]) };
    }
  }
}

export const virtualStakingCode: ContractCode = {
  name: 'mesh-virtual-staking',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(InstantiateMsg, raw, `${CRATE}::contract::sv::InstantiateMsg`);
    nonpayable(info);
    const j = ctx.journal;
    const config = new JItem<Config>(j, {
      denom: ctx.querier.bondedDenom(),
      converter: info.sender,
      maxRetrieve: msg.max_retrieve,
      tombstonedUnbondEnable: msg.tombstoned_unbond_enable,
    });
    const instance = new VirtualStaking(
      config,
      new JMap(j),
      new JItem<Stakes>(j, []),
      new JItem<ValidatorSlash[]>(j, []),
      new JItem<InactiveValidator[]>(j, []),
      new JMap(j),
      new JItem<string[]>(j, []),
      new JItem(j, { rewards: [] as RewardInfo[], total: 0n }),
    );
    return { instance, response: new ResponseBuilder() };
  },
};
