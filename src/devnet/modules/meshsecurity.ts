// x/meshsecurity (spec §3.1; sdk:x/meshsecurity): the consumer chain module. Max caps per
// virtual-staking contract, the `{"virtual_stake":…}` custom messages and queries, the task scheduler
// that calls contracts from the EndBlocker (`handle_epoch`, `handle_valset_update`), and the staking
// hooks / slashing decorators that collect validator-set changes for those reports.
import { addressHex, decodeAddress, reencodeAddress, validateAddress } from '../chain/address.ts';
import type { Chain } from '../chain/chain.ts';
import type { SlashingHooks } from '../chain/slashing.ts';
import type { StakingHooks } from '../chain/staking.ts';
import { type Coin, ContractError, type Event, ModuleError, attr, coinStr, event } from '../chain/types.ts';
import { JItem, JMap, key, u64Key } from '../state/journal.ts';
import { contractSlashShare } from '../../protocol/valset-share.ts';

export const MODULE_NAME = 'meshsecurity';
export const MSG_SET_MAX_CAP = '/osmosis.meshsecurity.v1beta1.MsgSetVirtualStakingMaxCap';
export const MSG_SET_PRICE_FEED = '/osmosis.meshsecurity.v1beta1.MsgSetPriceFeedContract';

/** Scheduler task types (types/keys.go). */
export const TaskType = { handleEpoch: 1, valsetUpdate: 2 } as const;
export type TaskType = (typeof TaskType)[keyof typeof TaskType];

/** PipedValsetOperation, in store (= report) order. */
export const ValsetOp = { bonded: 1, unbonded: 2, jailed: 3, tombstoned: 4, unjailed: 5, modified: 6, slashed: 7 } as const;
export type ValsetOp = (typeof ValsetOp)[keyof typeof ValsetOp];

export interface MeshSecurityParams {
  totalContractsMaxCap: Coin;
  /** Blocks between `handle_epoch` calls. */
  epochLength: number;
  /** Gas limit of each scheduled sudo (not metered by the devnet). */
  maxGasEndBlocker: number;
}

export interface MeshSecurityOptions {
  totalContractsMaxCap?: { denom: string; amount: bigint | string };
  epochLength?: number;
  maxGasEndBlocker?: number;
  /**
   * How `update_delegation` treats a provider delegator with another bech32 prefix (spec §7 Q6):
   * `strict` (the Go module) rejects it, so every stake packet of such a pairing gets an error ack;
   * `reencode` reads the address bytes as a consumer account and keeps the string the contract sent
   * for `all_delegations`, so internal unstakes and channel closes still name the provider account.
   */
  delegatorPrefix?: 'strict' | 'reencode';
}

interface Task {
  type: TaskType;
  height: bigint;
  contract: string;
  repeat: boolean;
}

interface SlashOp {
  infractionHeight: bigint;
  power: bigint;
  totalSlashAmount: bigint;
  slashFraction: string;
}

interface PipedOp {
  op: ValsetOp;
  validator: string;
  slash?: SlashOp;
}

interface DelegationRecord {
  contract: string;
  delegator: string;
  validator: string;
  amount: bigint;
}

// ---- errors (types/errors.go and the SDK errors the keeper wraps) ----
const errInvalid = (ctx: string) => new ModuleError(MODULE_NAME, 1, `${ctx}: invalid`);
const errMaxCapExceeded = (ctx: string) => new ModuleError(MODULE_NAME, 2, `${ctx}: max cap exceeded`);
const errUnsupported = (ctx: string) => new ModuleError(MODULE_NAME, 3, `${ctx}: unsupported`);
const errUnknown = (ctx: string) => new ModuleError(MODULE_NAME, 4, `${ctx}: unknown`);
const errDuplicate = () => new ModuleError(MODULE_NAME, 5, 'contract duplicated');
const errInvalidRequest = (ctx: string) => new ModuleError('sdk', 18, `${ctx}: invalid request`);
const errUnauthorized = () => new ModuleError('sdk', 4, 'contract has no permission for mesh security operations: unauthorized');
const errJson = () => new ModuleError('sdk', 36, 'custom message: failed to unmarshal JSON bytes');
const errUnknownMsg = () => new ModuleError('wasm', 9, 'unknown message from the contract');
const errInvalidAddress = (ctx: string) => new ModuleError('sdk', 7, `${ctx}: invalid address`);

/** Raw address bytes as hex: store keys order like the Go store (byte order). */
function addrHex(a: string): string {
  try {
    return addressHex(a);
  } catch {
    return Buffer.from(a, 'utf8').toString('hex');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** wasmkeeper.ConvertWasmCoinToSdkCoin, also accepting the devnet's bigint amounts. */
function toCoin(raw: unknown, what = 'coin'): Coin {
  if (!isObject(raw)) throw new ModuleError('sdk', 10, `${what}: invalid coins`);
  const { denom, amount } = raw;
  const a = typeof amount === 'bigint' ? amount : typeof amount === 'string' && /^[0-9]+$/.test(amount) ? BigInt(amount) : undefined;
  if (typeof denom !== 'string' || a === undefined) throw new ModuleError('sdk', 10, `${JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}: invalid coins`);
  if (!/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(denom)) throw new ModuleError('sdk', 10, `invalid denom: ${denom}: invalid coins`);
  return { denom, amount: a };
}

type CoinJson = { denom: string; amount: string };
const coinJson = (c: Coin): CoinJson => ({ denom: c.denom, amount: c.amount.toString() });

/** How a failed scheduled call reads in `scheduler_execution.error` (wasmd wraps contract errors). */
function taskError(e: unknown): string {
  if (e instanceof ContractError) return `${e.message}: execute wasm contract failed`;
  return e instanceof Error ? e.message : String(e);
}

export class MeshSecurity {
  readonly params: JItem<MeshSecurityParams>;
  /** Max cap per contract (a stored 0 still authorizes the contract). */
  private readonly maxCaps: JMap<{ contract: string; amount: bigint }>;
  private readonly totalDelegatedByContract: JMap<bigint>;
  private readonly tasks: JMap<Task>;
  /** The per-block memory store of validator-set operations. */
  private readonly pipedOps: JMap<PipedOp>;
  /** Persistent "tombstoned by double sign" flags, read into the next report. */
  private readonly tombstoneFlags: JMap<true>;
  /** update_delegation records per (contract, delegator, validator). */
  private readonly records: JMap<DelegationRecord>;

  private readonly delegatorPrefix: 'strict' | 'reencode';

  constructor(
    readonly chain: Chain,
    opts: MeshSecurityOptions = {},
  ) {
    const j = chain.journal;
    const denom = chain.params.bondDenom;
    const cap = opts.totalContractsMaxCap;
    this.delegatorPrefix = opts.delegatorPrefix ?? 'strict';
    this.params = new JItem(j, {
      totalContractsMaxCap: cap ? { denom: cap.denom, amount: BigInt(cap.amount) } : { denom, amount: 10_000_000_000n },
      epochLength: opts.epochLength ?? 1_000,
      maxGasEndBlocker: opts.maxGasEndBlocker ?? 500_000,
    });
    this.maxCaps = new JMap(j);
    this.totalDelegatedByContract = new JMap(j);
    this.tasks = new JMap(j);
    this.pipedOps = new JMap(j);
    this.tombstoneFlags = new JMap(j);
    this.records = new JMap(j);
  }

  private get bondDenom(): string {
    return this.chain.params.bondDenom;
  }

  private get moduleAccount(): string {
    return this.chain.moduleAddr(MODULE_NAME);
  }

  // ---- keeper state ----

  hasMaxCapLimit(contract: string): boolean {
    return this.maxCaps.has(addrHex(contract));
  }

  maxCap(contract: string): Coin {
    return { denom: this.bondDenom, amount: this.maxCaps.get(addrHex(contract))?.amount ?? 0n };
  }

  totalDelegated(contract: string): Coin {
    const v = this.totalDelegatedByContract.get(contract) ?? 0n;
    return { denom: this.bondDenom, amount: v < 0n ? 0n : v };
  }

  /** Contracts with a max cap entry, in address-byte order. */
  contracts(): string[] {
    return this.maxCaps.values().map((m) => m.contract);
  }

  /** gRPC VirtualStakingMaxCapLimit as the gateway renders it: `{delegated, cap}`, amounts as strings. */
  maxCapLimit(contract: string): { delegated: CoinJson; cap: CoinJson } {
    return { delegated: coinJson(this.totalDelegated(contract)), cap: coinJson(this.maxCap(contract)) };
  }

  /** gRPC VirtualStakingMaxCapLimits: `{max_cap_infos:[{contract, delegated, cap}]}`. */
  maxCapLimits(): { max_cap_infos: Array<{ contract: string; delegated: CoinJson; cap: CoinJson }> } {
    return { max_cap_infos: this.contracts().map((contract) => ({ contract, ...this.maxCapLimit(contract) })) };
  }

  /** The delegation records of a contract (what `all_delegations` answers), store order. */
  delegationRecords(contract: string): DelegationRecord[] {
    return this.records.values({ prefix: key(addrHex(contract), '') });
  }

  isTombstonedStatus(validator: string): boolean {
    return this.tombstoneFlags.has(validator);
  }

  // ---- max caps (keeper.SetMaxCapLimit) ----

  setMaxCapLimit(contract: string, cap: Coin): Event[] {
    if (cap.denom !== this.bondDenom) throw new ModuleError('sdk', 10, 'invalid coins');
    const total = this.params.get().totalContractsMaxCap;
    const others = this.maxCaps.values().reduce((s, m) => (m.contract === contract ? s : s + m.amount), 0n);
    if (others + cap.amount > total.amount) {
      throw errInvalid(`amount exceeds total available max cap (used ${others} of ${coinStr(total)})`);
    }
    this.maxCaps.set(addrHex(contract), { contract, amount: cap.amount });
    return [event('max_cap_limit_updated', attr('module', MODULE_NAME), attr('virtual_staking_contract', contract), attr('amount', coinStr(cap)))];
  }

  // ---- scheduler (keeper/scheduler.go) ----

  private taskKey(type: TaskType, height: bigint, contract: string): string {
    return key(type, u64Key(height), addrHex(contract));
  }

  private registered(contract: string, height: bigint, repeat: boolean): Event {
    return event(
      'scheduler_registered',
      attr('module', MODULE_NAME),
      attr('virtual_staking_contract', contract),
      attr('next_exececution_block', height), // sic: the upstream attribute key
      attr('repeat', repeat),
    );
  }

  scheduleRepeatingTask(type: TaskType, contract: string, height: bigint): Event[] {
    if (height < this.chain.height) throw errInvalid(`can not schedule for past block: ${height}`);
    this.tasks.set(this.taskKey(type, height, contract), { type, height, contract, repeat: true });
    return [this.registered(contract, height, true)];
  }

  /** Duplicates (same type, height, contract) are silently ignored, without an event. */
  scheduleOneShotTask(type: TaskType, contract: string, height: bigint): Event[] {
    if (height < this.chain.height) throw errInvalid(`can not schedule for past block: ${height}`);
    const k = this.taskKey(type, height, contract);
    if (this.tasks.has(k)) return [];
    this.tasks.set(k, { type, height, contract, repeat: false });
    return [this.registered(contract, height, false)];
  }

  scheduleRegularRebalanceTask(contract: string): Event[] {
    if (!this.chain.wasm.tryContract(contract)) throw errUnknown(`contract: ${contract}`);
    return this.scheduleRepeatingTask(TaskType.handleEpoch, contract, this.chain.height + BigInt(this.params.get().epochLength));
  }

  hasScheduledTask(type: TaskType, contract: string, repeat: boolean): boolean {
    return this.tasks.values({ prefix: key(type, '') }).some((t) => t.contract === contract && t.repeat === repeat);
  }

  /** The lowest scheduled height of a contract's tasks of a type (what the e2e `ExecNewEpoch` waits for). */
  nextScheduledTaskHeight(type: TaskType, contract: string): bigint | undefined {
    return this.tasks.values({ prefix: key(type, '') }).find((t) => t.contract === contract)?.height;
  }

  deleteAllScheduledTasks(type: TaskType, contract: string): void {
    for (const [k, t] of this.tasks.entries({ prefix: key(type, '') })) if (t.contract === contract) this.tasks.delete(k);
  }

  scheduledTasks(): Task[] {
    return this.tasks.values();
  }

  /**
   * ExecScheduledTasks: every task due by now runs in its own cache scope; `scheduler_execution`
   * is emitted either way (a failed task's own events are dropped); repeating tasks are scheduled
   * again at height + epoch_length — unless the run deleted them (`delete_all_scheduled_tasks`).
   */
  private execScheduledTasks(type: TaskType, run: (contract: string) => Event[]): Event[] {
    const height = this.chain.height;
    const epochLength = BigInt(this.params.get().epochLength);
    const due = this.tasks.entries({ prefix: key(type, '') }).filter(([, t]) => t.height <= height);
    const events: Event[] = [];
    for (const [k, t] of due) {
      let err: unknown;
      try {
        events.push(...this.chain.journal.atomic(() => run(t.contract)));
      } catch (e) {
        err = e;
      }
      const exec = [attr('module', MODULE_NAME), attr('virtual_staking_contract', t.contract), attr('execution_success', err === undefined)];
      if (err !== undefined) exec.push(attr('error', taskError(err)));
      events.push(event('scheduler_execution', ...exec));
      if (t.repeat && epochLength !== 0n && this.tasks.has(k)) events.push(...this.scheduleRepeatingTask(type, t.contract, height + epochLength));
      this.tasks.delete(k);
    }
    return events;
  }

  // ---- validator-set operations (keeper/valset_updates.go) ----

  private opKey(op: ValsetOp, validator: string, slash?: SlashOp): string {
    const parts: Array<string | number | bigint> = [op, addrHex(validator)];
    if (slash) parts.push(u64Key(slash.infractionHeight), u64Key(slash.power), slash.totalSlashAmount.toString(), slash.slashFraction);
    return key(...parts);
  }

  /** sendAsync: remember the operation for this block and schedule a report for every contract with a cap > 0. */
  private sendAsync(op: ValsetOp, validator: string, slash?: SlashOp): Event[] {
    const k = this.opKey(op, validator, slash);
    if (!this.pipedOps.has(k)) this.pipedOps.set(k, { op, validator, ...(slash ? { slash } : {}) });
    const events: Event[] = [];
    for (const m of this.maxCaps.values()) {
      if (m.amount > 0n) events.push(...this.scheduleOneShotTask(TaskType.valsetUpdate, m.contract, this.chain.height));
    }
    return events;
  }

  /** Piped operations of the current block, in report order. */
  pendingValsetOps(): PipedOp[] {
    return this.pipedOps.values();
  }

  /** wasmvmtypes.Validator from ConvertSdkValidatorToWasm. */
  private wasmValidator(op: string) {
    const v = this.chain.staking.validator(op);
    if (!v) throw errUnknown(`validator ${op}`);
    return { address: v.operator, commission: v.commission.rate, max_commission: v.commission.maxRate, max_change_rate: v.commission.maxChangeRate };
  }

  /** ValsetUpdateReport plus the per-contract slash share (EndBlocker step 1, spec §3.1). */
  valsetReport(contract: string) {
    const report = {
      additions: [] as Array<ReturnType<MeshSecurity['wasmValidator']>>,
      removals: [] as string[],
      updated: [] as Array<ReturnType<MeshSecurity['wasmValidator']>>,
      jailed: [] as string[],
      unjailed: [] as string[],
      tombstoned: [] as string[],
      slashed: [] as Array<Record<string, unknown>>,
    };
    const height = this.chain.height;
    const time = this.chain.time / 1_000_000_000n;
    for (const o of this.pipedOps.values()) {
      switch (o.op) {
        case ValsetOp.bonded:
          report.additions.push(this.wasmValidator(o.validator));
          break;
        case ValsetOp.unbonded:
          report.removals.push(o.validator);
          break;
        case ValsetOp.jailed:
          report.jailed.push(o.validator);
          break;
        case ValsetOp.tombstoned:
          report.tombstoned.push(o.validator);
          break;
        case ValsetOp.unjailed:
          report.unjailed.push(o.validator);
          break;
        case ValsetOp.modified:
          report.updated.push(this.wasmValidator(o.validator));
          break;
        case ValsetOp.slashed: {
          const s = o.slash!;
          const v = this.chain.staking.validator(o.validator);
          if (!v) throw new Error(`validator ${o.validator} not found`);
          const shares = this.chain.staking.delegation(contract, o.validator)?.shares.atomics ?? 0n;
          const isTombstoned = this.tombstoneFlags.has(o.validator);
          if (isTombstoned) this.tombstoneFlags.delete(o.validator);
          report.slashed.push({
            address: o.validator,
            height: Number(height),
            time: Number(time),
            infraction_height: Number(s.infractionHeight),
            infraction_time: 0, // always 0 upstream (spec §7 Q8)
            power: Number(s.power),
            slash_amount: contractSlashShare(shares, v.delegatorShares.atomics, s.totalSlashAmount).toString(),
            slash_ratio: s.slashFraction,
            is_tombstoned: isTombstoned,
          });
          break;
        }
      }
    }
    return report;
  }

  // ---- EndBlocker (abci.go) ----

  endBlock(): Event[] {
    const events = this.execScheduledTasks(TaskType.valsetUpdate, (contract) => {
      const report = this.valsetReport(contract);
      return this.chain.sudo(contract, { handle_valset_update: report }).events;
    });
    for (const k of this.pipedOps.keys()) this.pipedOps.delete(k);
    events.push(...this.execScheduledTasks(TaskType.handleEpoch, (contract) => this.chain.sudo(contract, { handle_epoch: {} }).events));
    return events;
  }

  // ---- hooks ----

  readonly stakingHooks: StakingHooks = {
    afterValidatorBonded: (op) => this.sendAsync(ValsetOp.bonded, op),
    afterValidatorBeginUnbonding: (op) => this.sendAsync(ValsetOp.unbonded, op),
    beforeValidatorModified: (op) => this.sendAsync(ValsetOp.modified, op),
  };

  readonly slashingHooks: SlashingHooks = {
    // StakingDecorator.SlashWithInfractionReason: after the real slash, with its total amount
    afterSlash: (op, info) => {
      if (info.doubleSign) this.tombstoneFlags.set(op, true);
      return this.sendAsync(ValsetOp.slashed, op, {
        infractionHeight: info.infractionHeight,
        power: info.power,
        totalSlashAmount: info.amount,
        slashFraction: info.fraction.toString(),
      });
    },
    onJail: (op) => this.sendAsync(ValsetOp.jailed, op),
    onUnjail: (op) => this.sendAsync(ValsetOp.unjailed, op),
    onTombstone: (op) => this.sendAsync(ValsetOp.tombstoned, op),
  };

  // ---- tx messages (msg_server.go) ----

  private checkAuthority(signer: string, value: Record<string, unknown>): void {
    const gov = this.chain.moduleAddr('gov');
    if (signer !== value.authority) throw new ModuleError('sdk', 4, 'signer does not match authority: unauthorized');
    if (value.authority !== gov) {
      throw new ModuleError('gov', 13, `invalid authority; expected ${gov}, got ${String(value.authority)}: expected gov account as only signer for proposal message`);
    }
  }

  private contractAddress(v: unknown): string {
    const s = typeof v === 'string' ? v : '';
    if (!validateAddress(s, this.chain.params.prefix)) throw errInvalidAddress(`contract: decoding bech32 failed: invalid address ${s}`);
    return s;
  }

  /** MsgSetVirtualStakingMaxCap. */
  setVirtualStakingMaxCap(signer: string, value: Record<string, unknown>): { events: Event[] } {
    this.checkAuthority(signer, value);
    const contract = this.contractAddress(value.contract);
    const cap = toCoin(value.maxCap ?? value.max_cap, 'max cap');
    const events = this.setMaxCapLimit(contract, cap);
    // spec §3.1: only a contract without a repeating epoch task gets one. A cap change (also to 0)
    // takes effect at the next regular epoch, and the task keeps running at cap 0 until the
    // contract deletes it (`delete_all_scheduled_tasks`, spec §4.5).
    if (!this.hasScheduledTask(TaskType.handleEpoch, contract, true)) events.push(...this.scheduleRegularRebalanceTask(contract));
    return { events };
  }

  /** MsgSetPriceFeedContract: a repeating `handle_epoch` for a price feed. */
  setPriceFeedContract(signer: string, value: Record<string, unknown>): { events: Event[] } {
    this.checkAuthority(signer, value);
    const contract = this.contractAddress(value.contract);
    if (this.hasScheduledTask(TaskType.handleEpoch, contract, true)) throw errDuplicate();
    return { events: this.scheduleRegularRebalanceTask(contract) };
  }

  // ---- custom messages (keeper/handler_plugin.go, keeper/stake.go) ----

  dispatch(contract: string, msg: unknown): Event[] {
    if (!isObject(msg)) throw errJson();
    if (!this.hasMaxCapLimit(contract)) throw errUnauthorized();
    if (msg.bond != null) return this.bond(contract, msg.bond);
    if (msg.unbond != null) return this.unbond(contract, msg.unbond);
    if (msg.update_delegation != null) return this.updateDelegation(contract, msg.update_delegation);
    if (msg.delete_all_scheduled_tasks != null) {
      this.deleteAllScheduledTasks(TaskType.handleEpoch, contract);
      return [];
    }
    throw errUnknownMsg();
  }

  private validator(raw: unknown): string {
    const s = typeof raw === 'string' ? raw : '';
    if (!validateAddress(s, `${this.chain.params.prefix}valoper`)) throw errInvalidAddress(`decoding bech32 failed: invalid validator address ${s}`);
    return s;
  }

  private checkAmount(c: Coin): void {
    if (c.amount <= 0n) throw errInvalidRequest('amount');
    if (c.denom !== this.bondDenom) throw errInvalidRequest(`invalid coin denomination: got ${c.denom}, expected ${this.bondDenom}`);
  }

  /** Keeper.Delegate: mint, send to the contract, delegate; total delegated ≤ max cap. */
  private bond(contract: string, raw: unknown): Event[] {
    const m = isObject(raw) ? raw : {};
    const amount = toCoin(m.amount);
    const validator = this.validator(m.validator);
    this.checkAmount(amount);
    const staking = this.chain.staking;
    if (!staking.validator(validator)) throw new ModuleError('staking', 3, 'validator does not exist');
    const newTotal = this.totalDelegated(contract).amount + amount.amount;
    const max = this.maxCap(contract);
    if (max.amount < newTotal) throw errMaxCapExceeded(`${coinStr({ denom: this.bondDenom, amount: newTotal })} exceeds ${coinStr(max)}`);
    const events = this.chain.bank.mint(this.moduleAccount, amount);
    events.push(...this.chain.bank.send(this.moduleAccount, contract, [amount]));
    // the keeper call emits no `delegate` event (that one belongs to the staking msg server)
    events.push(...staking.delegate(contract, validator, amount.amount).filter((e) => e.type !== 'delegate'));
    this.totalDelegatedByContract.set(contract, newTotal);
    events.push(event('instant_delegate', attr('module', MODULE_NAME), attr('validator', validator), attr('amount', coinStr(amount)), attr('delegator', contract)));
    return events;
  }

  /** Keeper.Undelegate: instant undelegate and burn; a missing delegation is a silent no-op. */
  private unbond(contract: string, raw: unknown): Event[] {
    const m = isObject(raw) ? raw : {};
    const amount = toCoin(m.amount);
    const validator = this.validator(m.validator);
    this.checkAmount(amount);
    const total = this.totalDelegated(contract).amount;
    if (total < amount.amount) throw errInvalidRequest('amount exceeds total delegated');
    const staking = this.chain.staking;
    const events: Event[] = [];
    let shares;
    try {
      shares = staking.validateUnbondAmount(contract, validator, amount.amount);
    } catch (e) {
      if (!(e instanceof ModuleError && e.codespace === 'staking' && e.code === 19)) throw e;
    }
    if (shares) {
      const r = staking.instantUndelegateShares(contract, validator, shares);
      events.push(...r.events);
      if (r.returned > 0n) {
        const returned = { denom: this.bondDenom, amount: r.returned };
        events.push(...this.chain.bank.send(contract, this.moduleAccount, [returned]));
        events.push(...this.chain.bank.burn(this.moduleAccount, returned));
      }
      // reduced by the tokens actually returned (less than asked after a slash), floored at 0
      this.totalDelegatedByContract.set(contract, total > r.returned ? total - r.returned : 0n);
    }
    events.push(event('instant_unbond', attr('module', MODULE_NAME), attr('validator', validator), attr('amount', coinStr(amount)), attr('sender', contract)));
    return events;
  }

  /** Record of provider-side delegations; the delegator must parse as a consumer account (spec §7 Q6). */
  private updateDelegation(contract: string, raw: unknown): Event[] {
    const m = isObject(raw) ? raw : {};
    const amount = toCoin(m.amount);
    const delegator = typeof m.delegator === 'string' ? m.delegator : '';
    let prefix: string | undefined;
    try {
      prefix = decodeAddress(delegator).prefix;
    } catch (e) {
      throw new ModuleError('undefined', 1, `decoding bech32 failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const local = this.chain.params.prefix;
    if (prefix !== local && this.delegatorPrefix === 'strict') throw new ModuleError('undefined', 1, `invalid Bech32 prefix; expected ${local}, got ${prefix}`);
    const validator = this.validator(m.validator);
    const k = key(addrHex(contract), addrHex(delegator), addrHex(validator));
    const prev = this.records.get(k)?.amount ?? 0n;
    const next = m.is_deduct === true ? prev - amount.amount : prev + amount.amount;
    // deleted at zero; a deduction below zero also drops the record (devnet simplification)
    if (next <= 0n) this.records.delete(k);
    else this.records.set(k, { contract, delegator, validator, amount: next });
    return [
      event(
        'update_delegation',
        attr('module', MODULE_NAME),
        // Go prints the parsed AccAddress, i.e. in the consumer's prefix.
        attr('delegator', prefix === local ? delegator : reencodeAddress(delegator, local)),
        attr('validator', validator),
        attr('amount', coinStr(amount)),
        attr('sender', contract),
      ),
    ];
  }

  // ---- custom queries (keeper/query_plugin.go) ----

  query(q: unknown): unknown {
    if (!isObject(q)) throw new ContractError('Unknown virtual_stake query');
    const contractOf = (v: unknown): string => {
      const s = typeof v === 'string' ? v : '';
      if (!validateAddress(s, this.chain.params.prefix)) throw new ContractError(`mesh-security query: ${s}: invalid address`);
      return s;
    };
    if (isObject(q.bond_status)) {
      const contract = contractOf(q.bond_status.contract);
      return { cap: coinJson(this.maxCap(contract)), delegated: coinJson(this.totalDelegated(contract)) };
    }
    if (isObject(q.slash_ratio)) {
      const f = this.chain.slashing.slashFractions();
      return { slash_fraction_downtime: f.downtime.toString(), slash_fraction_double_sign: f.doubleSign.toString() };
    }
    if (isObject(q.total_delegation)) {
      const contract = contractOf(q.total_delegation.contract);
      const validator = String(q.total_delegation.validator ?? '');
      // TokensFromShares(shares).TruncateInt()
      const tokens = this.chain.staking.delegation(contract, validator)?.tokens ?? 0n;
      return { delegation: coinJson({ denom: this.bondDenom, amount: tokens }) };
    }
    if (isObject(q.all_delegations)) {
      const contract = contractOf(q.all_delegations.contract);
      const max = Number(q.all_delegations.max_retrieve ?? 0);
      const delegations = this.delegationRecords(contract)
        .slice(0, max)
        .map((r) => ({ delegator: r.delegator, validator: r.validator, amount: r.amount.toString() }));
      return { delegations };
    }
    throw new ContractError('Unsupported query type: unknown virtual_stake query variant');
  }
}

/**
 * Installs x/meshsecurity on a chain: tx messages, the `virtual_stake` custom message and query
 * handlers, the integrity check on staking messages of capped contracts, the staking hooks and
 * slashing decorators (composed with any already installed), and the EndBlocker.
 */
export function installMeshSecurity(chain: Chain, params: MeshSecurityOptions = {}): MeshSecurity {
  const m = new MeshSecurity(chain, params);
  chain.modules.set(MODULE_NAME, m);
  chain.msgHandlers.set(MSG_SET_MAX_CAP, (_c, signer, value) => m.setVirtualStakingMaxCap(signer, value));
  chain.msgHandlers.set(MSG_SET_PRICE_FEED, (_c, signer, value) => m.setPriceFeedContract(signer, value));
  chain.customMsgHandlers.set('virtual_stake', (_c, sender, msg) => m.dispatch(sender, msg));
  chain.customQueryHandlers.set('virtual_stake', (_c, q) => m.query(q));

  // NewIntegrityHandler: contracts with a max cap may not send staking messages.
  const dispatch = chain.dispatch.bind(chain);
  chain.dispatch = (sender, msg) => {
    if ((msg.kind === 'staking_delegate' || msg.kind === 'staking_undelegate' || msg.kind === 'staking_redelegate') && m.hasMaxCapLimit(sender)) {
      throw errUnsupported('message type for contracts with max cap set');
    }
    return dispatch(sender, msg);
  };

  // Staking.setHooks / Slashing.setHooks replace their lists: keep what is installed, add ours.
  const stakingHooks = (chain.staking as unknown as { appHooks?: StakingHooks[] }).appHooks ?? [];
  chain.staking.setHooks(...stakingHooks, m.stakingHooks);
  const slashingHooks = (chain.slashing as unknown as { hookList?: SlashingHooks[] }).hookList ?? [];
  chain.slashing.setHooks(...slashingHooks, m.slashingHooks);

  chain.endBlockers.push(() => m.endBlock());
  return m;
}


const moduleOf = (chain: Chain): MeshSecurity => chain.module<MeshSecurity>(MODULE_NAME);

/** `/osmosis/meshsecurity/v1beta1/max_cap_limit/{address}` answer. */
export const maxCapLimit = (chain: Chain, contract: string) => moduleOf(chain).maxCapLimit(contract);

/** `/osmosis/meshsecurity/v1beta1/max_cap_limits` answer. */
export const maxCapLimits = (chain: Chain) => moduleOf(chain).maxCapLimits();

/** Height of the contract's next `handle_epoch` run, if one is scheduled (the e2e `ExecNewEpoch` target). */
export const epochDue = (chain: Chain, contract: string): bigint | undefined => moduleOf(chain).nextScheduledTaskHeight(TaskType.handleEpoch, contract);
