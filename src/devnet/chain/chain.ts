// One simulated Cosmos SDK + wasmd chain: modules, message routing, contract entry points with
// wasmd's sub-message semantics, and the block lifecycle (begin block → txs → end block → commit).
import { toBase64 } from '../../protocol/codec/schema.ts';
import { ContractPanic } from '../../protocol/uint.ts';
import { accountAddress, accountPubKey, moduleAccountAddress, validateAddress, valoperAddress } from './address.ts';
import { Bank } from './bank.ts';
import { valconsAddress } from './consensus-key.ts';
import type { ContractCode, Ctx, Querier, QueryDelegation, QueryValidator, Reply } from './contract.ts';
import { Distribution } from './distribution.ts';
import { Mint } from './mint.ts';
import { LegacyDec } from './legacy-dec.ts';
import { Slashing } from './slashing.ts';
import { Staking } from './staking.ts';
import {
  type BlockInfo,
  type Coin,
  ContractError,
  type CosmosMsg,
  type Event,
  type MessageInfo,
  ModuleError,
  type Response,
  type SubMsg,
  attr,
  event,
  withAttribute,
} from './types.ts';
import { Wasm, contractResponseEvents, entryPointEvent, sortAttributes } from './wasm.ts';
import { Journal } from '../state/journal.ts';

export interface ChainParams {
  chainId: string;
  prefix: string;
  bondDenom: string;
  /** Seconds; the SDK default is 21 days. */
  unbondingTimeSec: bigint;
  maxValidators: number;
  powerReduction?: bigint;
  slashFractionDowntime: string;
  slashFractionDoubleSign: string;
  downtimeJailDurationSec: bigint;
  /** Nanoseconds between blocks. */
  blockTimeNs: bigint;
  /** Cosmos SDK line whose event format the chain emits: 0.47 (CometBFT 0.37) or 0.50 (CometBFT 0.38, default). */
  sdkVersion?: '0.47' | '0.50';
  /** Fee every user tx pays in the bond denom (default 0: the SDK e2e tests run without fees). */
  txFee?: bigint;
  /** Tokens x/mint creates every block as staking rewards (default 0). */
  blockReward?: bigint;
}

/** A message inside a tx, routed by its type URL to a handler that returns its events. */
export interface TxMsg {
  typeUrl: string;
  value: Record<string, unknown>;
}

export interface Tx {
  signer: string;
  msgs: TxMsg[];
  memo?: string;
  /** Filled in by the chain when the tx is delivered (ante handler). */
  fee?: { amount: Coin[]; gasLimit: bigint };
  sequence?: bigint;
  pubKey?: Uint8Array;
  signature?: Uint8Array;
}

export interface TxResult {
  code: number;
  codespace: string;
  log: string;
  /** The failing contract's or module's own error text, for assertions. */
  error?: string;
  events: Event[];
  data?: Uint8Array[];
  gasWanted?: bigint;
  gasUsed?: bigint;
}

export interface BlockResult {
  height: bigint;
  time: bigint;
  txs: Tx[];
  txResults: TxResult[];
  beginEvents: Event[];
  endEvents: Event[];
}

export type MsgHandler = (chain: Chain, signer: string, value: Record<string, unknown>) => { events: Event[]; data?: Uint8Array };
export type CustomMsgHandler = (chain: Chain, sender: string, msg: unknown) => Event[];
export type CustomQueryHandler = (chain: Chain, query: unknown) => unknown;
export type BlockHook = (chain: Chain) => Event[];

/** Errors that abort a message, with the codespace/code a tx result reports. */
export function errorCode(e: unknown): { codespace: string; code: number; message: string } {
  if (e instanceof ModuleError) return { codespace: e.codespace, code: e.code, message: e.message };
  if (e instanceof ContractPanic) return { codespace: 'wasm', code: 5, message: `Error calling the VM: Error executing Wasm: Wasmer runtime error: RuntimeError: Aborted: ${e.message}` };
  if (e instanceof ContractError) return { codespace: 'wasm', code: 5, message: e.message };
  if (e instanceof Error) return { codespace: 'wasm', code: 5, message: e.message };
  return { codespace: 'undefined', code: 1, message: String(e) };
}

export class Chain {
  readonly journal = new Journal();
  readonly bank: Bank;
  readonly staking: Staking;
  readonly slashing: Slashing;
  readonly distribution: Distribution;
  readonly mint: Mint;
  readonly wasm: Wasm;
  readonly msgHandlers = new Map<string, MsgHandler>();
  /** Stateless checks of a message (its ValidateBasic), run on every message of a tx before the ante handler. */
  readonly msgValidators = new Map<string, (value: Record<string, unknown>) => void>();
  readonly customMsgHandlers = new Map<string, CustomMsgHandler>();
  readonly customQueryHandlers = new Map<string, CustomQueryHandler>();
  readonly beginBlockers: BlockHook[] = [];
  readonly endBlockers: BlockHook[] = [];
  /** Other components (IBC, mesh modules) keyed by name. */
  readonly modules = new Map<string, unknown>();

  height = 0n;
  time: bigint;
  readonly blocks: BlockResult[] = [];
  private pendingBegin: Array<() => Event[]> = [];
  private readonly blockListeners: Array<(b: BlockResult) => void> = [];

  /** Called after every committed block (the node renders it, the workload checks invariants). */
  onBlock(listener: (b: BlockResult) => void): () => void {
    this.blockListeners.push(listener);
    return () => {
      const i = this.blockListeners.indexOf(listener);
      if (i >= 0) this.blockListeners.splice(i, 1);
    };
  }

  /** What onBlock wired up: not state, so a snapshot leaves it out and a restore keeps the fresh chain's. */
  get wiring(): object {
    return this.blockListeners;
  }

  constructor(
    readonly params: ChainParams,
    genesisTime: bigint,
  ) {
    this.time = genesisTime;
    this.api = { prefix: params.prefix, addrValidate: (a) => this.addrValidate(a) };
    this.bank = new Bank(this.journal);
    this.staking = new Staking(this.journal, this.bank, {
      bondDenom: params.bondDenom,
      prefix: params.prefix,
      unbondingTimeSec: params.unbondingTimeSec,
      maxValidators: params.maxValidators,
      powerReduction: params.powerReduction,
    });
    this.slashing = new Slashing(this.journal, this.staking, {
      slashFractionDowntime: LegacyDec.parse(params.slashFractionDowntime),
      slashFractionDoubleSign: LegacyDec.parse(params.slashFractionDoubleSign),
      downtimeJailDurationSec: params.downtimeJailDurationSec,
      consAddress: (op) => valconsAddress(params.prefix, params.chainId, op),
    });
    this.distribution = new Distribution(this.journal, this.bank, this.staking, params.prefix, params.bondDenom);
    this.wasm = new Wasm(this.journal, params.prefix);
    this.mint = new Mint(this.bank, this.staking, params.prefix, this.moduleAddr('fee_collector'));
    // BeginBlock in wasmd's module order: x/mint (the provision goes to the fee collector), then
    // x/distribution (the fee collector's balance, last block's fees and this provision, goes to the
    // validators by power; not at height 1, as AllocateTokens), then the work scheduled for x/slashing
    // and x/evidence (produceBlock runs it after these).
    this.beginBlockers.push((c) => c.mint.beginBlock(c.params.blockReward ?? 0n));
    this.beginBlockers.push((c) => (c.height > 1n ? c.distribution.allocateCollectedFees(c.moduleAddr('fee_collector')) : []));
    this.endBlockers.push((c) => c.staking.endBlock(c.time, c.height));
  }

  get id(): string {
    return this.params.chainId;
  }

  get block(): BlockInfo {
    return { height: this.height, time: this.time, chainId: this.params.chainId };
  }

  /** A named account's address; its public key is remembered for the txs it signs. */
  addr(name: string): string {
    let a = this.namedAddrs.get(name);
    if (a === undefined) {
      a = accountAddress(this.params.prefix, name);
      this.namedAddrs.set(name, a);
      if (!this.pubKeys.has(a)) this.pubKeys.set(a, accountPubKey(name));
    }
    return a;
  }

  /** Named accounts' addresses: deriving one costs two hashes and a bech32 encoding. */
  private readonly namedAddrs = new Map<string, string>();

  valoper(name: string): string {
    return valoperAddress(this.params.prefix, name);
  }

  private readonly moduleAddrs = new Map<string, string>();

  moduleAddr(name: string): string {
    let a = this.moduleAddrs.get(name);
    if (a === undefined) this.moduleAddrs.set(name, (a = moduleAccountAddress(this.params.prefix, name)));
    return a;
  }

  module<T>(name: string): T {
    const m = this.modules.get(name);
    if (!m) throw new Error(`chain ${this.id} has no module ${name}`);
    return m as T;
  }

  // ---- blocks ---------------------------------------------------------------------------

  /** Work for the next block's BeginBlock (downtime jailing, evidence), as a chain would see it. */
  scheduleBegin(fn: () => Event[]): void {
    this.pendingBegin.push(fn);
  }

  /** Produces one block at `time` with the given txs; every tx runs atomically. */
  produceBlock(time: bigint, txs: Tx[] = []): BlockResult {
    this.height += 1n;
    this.time = time > this.time ? time : this.time + 1n;
    const beginEvents: Event[] = [];
    const begin = this.pendingBegin;
    this.pendingBegin = [];
    for (const fn of this.beginBlockers) beginEvents.push(...this.inBlockScope(() => fn(this)));
    for (const fn of begin) beginEvents.push(...this.inBlockScope(fn));
    const timer = this.txTimer;
    const txResults = timer ? txs.map((tx) => this.timedDeliverTx(tx, timer)) : txs.map((tx) => this.deliverTx(tx));
    const endEvents: Event[] = [];
    for (const fn of this.endBlockers) endEvents.push(...this.inBlockScope(() => fn(this)));
    // SDK 0.50 marks block events with their phase (cosmos-wire §3.2).
    const mode = (evs: Event[], m: string) => (this.sdk50 ? evs.map((e) => ({ type: e.type, attributes: withAttribute(e.attributes, attr('mode', m)) })) : evs);
    const result: BlockResult = { height: this.height, time: this.time, txs, txResults, beginEvents: mode(beginEvents, 'BeginBlock'), endEvents: mode(endEvents, 'EndBlock') };
    this.journal.commitBlock(this.height);
    this.blocks.push(result);
    for (const l of this.blockListeners) l(result);
    return result;
  }

  /** Set by a cost breakdown (workload/cost-meter.ts): told each tx's delivery time in ms. */
  txTimer: ((tx: Tx, result: TxResult, ms: number) => void) | undefined;

  private timedDeliverTx(tx: Tx, timer: (tx: Tx, result: TxResult, ms: number) => void): TxResult {
    const t0 = performance.now();
    const r = this.deliverTx(tx);
    timer(tx, r, performance.now() - t0);
    return r;
  }

  /** Block-level work is not revertible by a tx; a failure there would halt a real chain. */
  private inBlockScope(fn: () => Event[]): Event[] {
    return this.journal.atomic(fn);
  }

  get sdk50(): boolean {
    return this.params.sdkVersion !== '0.47';
  }

  /** Ante handler (fee, sequence, signature) then the messages; a failing message reverts all messages. */
  deliverTx(tx: Tx): TxResult {
    const invalid = this.validateBasic(tx);
    if (invalid) return invalid;
    const gasWanted = 200_000n + 150_000n * BigInt(tx.msgs.length);
    let ante: Event[];
    try {
      ante = this.journal.atomic(() => this.ante(tx, gasWanted));
    } catch (e) {
      const { codespace, code, message } = errorCode(e);
      return { code, codespace, log: message, error: message, events: [], gasWanted, gasUsed: 0n };
    }
    const cp = this.journal.checkpoint();
    const events: Event[] = [...ante];
    const data: Uint8Array[] = [];
    try {
      tx.msgs.forEach((m, i) => {
        const handler = this.msgHandlers.get(m.typeUrl);
        if (!handler) throw new TxMsgError(i, new ModuleError('sdk', 2, `unrecognized message type: ${m.typeUrl}`));
        let r: { events: Event[]; data?: Uint8Array };
        try {
          r = handler(this, tx.signer, m.value);
        } catch (e) {
          throw new TxMsgError(i, e);
        }
        // baseapp createEvents: `module` only when no handler event carries one (cosmos-wire §3.1).
        const lead = event('message', attr('action', m.typeUrl), attr('sender', tx.signer));
        if (!r.events.some((e) => e.attributes.some((a) => a.key === 'module'))) lead.attributes = withAttribute(lead.attributes, attr('module', m.typeUrl.split('.')[1] ?? ''));
        // handlers return fresh events that nothing else holds: msg_index goes onto them directly
        const index = this.sdk50 ? attr('msg_index', i) : undefined;
        if (index) lead.attributes = withAttribute(lead.attributes, index);
        events.push(lead);
        for (const e of r.events) {
          if (index) e.attributes = withAttribute(e.attributes, index);
          events.push(e);
        }
        data.push(r.data ?? new Uint8Array());
      });
      this.journal.release();
      return { code: 0, codespace: '', log: '', events, data, gasWanted, gasUsed: gasUsedFor(tx, events, gasWanted) };
    } catch (e) {
      this.journal.revert(cp);
      const inner = e instanceof TxMsgError ? e.cause : e;
      const { codespace, code, message } = errorCode(inner);
      const idx = e instanceof TxMsgError ? e.index : 0;
      const suffix = inner instanceof ContractError ? ': execute wasm contract failed' : '';
      return {
        code,
        codespace,
        log: `failed to execute message; message index: ${idx}: ${message}${suffix}`,
        error: message,
        events: ante,
        gasWanted,
        gasUsed: gasUsedFor(tx, ante, gasWanted),
      };
    }
  }

  /**
   * baseapp's validateBasicTxMsgs, before the ante handler: a failure is the bare error, with no
   * events, no fee taken and no gas (a node's CheckTx would keep such a tx out of its blocks).
   */
  private validateBasic(tx: Tx): TxResult | undefined {
    for (const m of tx.msgs) {
      const check = this.msgValidators.get(m.typeUrl);
      if (!check) continue;
      try {
        check(m.value);
      } catch (e) {
        const { codespace, code, message } = errorCode(e);
        return { code, codespace, log: message, error: message, events: [], gasWanted: 0n, gasUsed: 0n };
      }
    }
    return undefined;
  }

  private readonly sequences = new Map<string, bigint>();
  private readonly pubKeys = new Map<string, Uint8Array>();

  /** Fee deduction, sequence increment and signature: the SDK ante events (cosmos-wire §3.1). */
  private ante(tx: Tx, gasLimit: bigint): Event[] {
    const events: Event[] = [];
    const moduleSigner = tx.signer === this.moduleAddr('gov');
    const fee = moduleSigner ? 0n : (this.params.txFee ?? 0n);
    const amount = fee > 0n ? [{ denom: this.params.bondDenom, amount: fee }] : [];
    tx.fee = { amount, gasLimit };
    if (fee > 0n) events.push(...this.bank.send(tx.signer, this.moduleAddr('fee_collector'), amount));
    const seq = this.sequences.get(tx.signer) ?? 0n;
    const undo = this.sequences.has(tx.signer);
    this.sequences.set(tx.signer, seq + 1n);
    this.journal.record(() => (undo ? this.sequences.set(tx.signer, seq) : this.sequences.delete(tx.signer)));
    tx.sequence = seq;
    tx.pubKey = this.pubKeys.get(tx.signer);
    tx.signature = pseudoSignature(this.id, tx.signer, seq);
    events.push(event('tx', attr('fee', fee > 0n ? `${fee}${this.params.bondDenom}` : ''), attr('fee_payer', tx.signer)));
    events.push(event('tx', attr('acc_seq', `${tx.signer}/${seq}`)));
    events.push(event('tx', attr('signature', toBase64(tx.signature))));
    return events;
  }

  accountSequence(address: string): bigint {
    return this.sequences.get(address) ?? 0n;
  }

  // ---- contract entry points ------------------------------------------------------------

  ctx(contract: string): Ctx {
    return {
      env: { block: this.block, contract: { address: contract } },
      querier: this.querier,
      api: this.api,
      journal: this.journal,
      chainId: this.id,
    };
  }

  /** One per chain: a closure built per call is costly under tsx (esbuild's keepNames names each one). */
  private readonly api: Ctx['api'];

  /** Addresses that passed addr_validate: bech32 decoding is costly and the answer never changes. */
  private readonly validAddrs = new Set<string>();

  addrValidate(address: string): string {
    if (this.validAddrs.has(address)) return address;
    if (!validateAddress(address, this.params.prefix) && !validateAddress(address, `${this.params.prefix}valoper`)) {
      throw new ContractError(`Generic error: addr_validate errored: decoding bech32 failed: invalid address ${address}`);
    }
    this.validAddrs.add(address);
    return address;
  }

  instantiate(sender: string, codeId: number, msg: unknown, funds: Coin[], label: string, admin?: string): { address: string; events: Event[]; data?: Uint8Array } {
    const code = this.wasm.code(codeId);
    const address = this.wasm.nextAddress(codeId);
    const events: Event[] = [];
    if (funds.length > 0) events.push(...dropMessage(this.bank.send(sender, address, funds)));
    events.push(event('instantiate', attr('_contract_address', address), attr('code_id', codeId)));
    const { instance, response } = code.instantiate(this.ctx(address), { sender, funds }, msg);
    this.wasm.register({ address, codeId, label, admin, creator: sender, instance });
    const r = this.handleResponse(address, response);
    events.push(...r.events);
    return { address, events, data: r.data };
  }

  execute(sender: string, contract: string, msg: unknown, funds: Coin[]): { events: Event[]; data?: Uint8Array } {
    const info = this.wasm.contract(contract);
    const events: Event[] = [];
    if (funds.length > 0) events.push(...dropMessage(this.bank.send(sender, contract, funds)));
    events.push(entryPointEvent('execute', contract));
    const mi: MessageInfo = { sender, funds };
    const response = info.instance.execute(this.ctx(contract), mi, msg);
    const r = this.handleResponse(contract, response);
    events.push(...r.events);
    return { events, data: r.data };
  }

  sudo(contract: string, msg: unknown): { events: Event[]; data?: Uint8Array } {
    const info = this.wasm.contract(contract);
    if (!info.instance.sudo) throw new ContractError('sudo not implemented');
    const response = info.instance.sudo(this.ctx(contract), msg);
    const r = this.handleResponse(contract, response);
    return { events: [entryPointEvent('sudo', contract), ...r.events], data: r.data };
  }

  /** Runs a read against the state as of the end of block `height` (abci_query at a past height). */
  queryAt<T>(height: bigint, fn: () => T): T {
    if (height > this.height) throw new ModuleError('sdk', 26, `cannot query with height in the future; please provide a valid height: invalid height`);
    // the store's text for a pruned version (cosmos-sdk baseapp createQueryContext)
    if (height < this.journal.prunedBelow) throw new ModuleError('sdk', 26, `failed to load state at height ${height}; version does not exist (latest height: ${this.height}): invalid height`);
    return height === this.height ? fn() : this.journal.readAt(height, fn);
  }

  query(contract: string, msg: unknown): unknown {
    const info = this.wasm.contract(contract);
    // Queries never write; run them in a scope that is always reverted, to be safe.
    const cp = this.journal.checkpoint();
    try {
      return info.instance.query(this.ctx(contract), msg);
    } finally {
      this.journal.revert(cp);
    }
  }

  /** Contract response → events, then its sub-messages (wasmd dispatch rules). */
  handleResponse(contract: string, res: Response): { events: Event[]; data?: Uint8Array } {
    const events = contractResponseEvents(contract, res);
    let data = res.data;
    for (const sub of res.messages) {
      const r = this.dispatchSubmessage(contract, sub);
      events.push(...r.events);
      if (r.data !== undefined) data = r.data;
    }
    return { events, data };
  }

  private dispatchSubmessage(contract: string, sub: SubMsg): { events: Event[]; data?: Uint8Array } {
    const cp = this.journal.checkpoint();
    let result: { events: Event[]; data?: Uint8Array };
    try {
      result = this.dispatch(contract, sub.msg);
      this.journal.release();
    } catch (e) {
      this.journal.revert(cp);
      if (sub.replyOn !== 'error' && sub.replyOn !== 'always') throw e;
      const { codespace, code } = errorCode(e);
      // wasmd redacts the error handed to reply (cosmos-wire §4.2).
      return this.runReply(contract, { id: sub.id, payload: sub.payload, result: { err: `codespace: ${codespace}, code: ${code}` } });
    }
    let events = result.events.filter((e) => e.type !== 'message');
    if (sub.msg.kind === 'wasm_execute' || sub.msg.kind === 'wasm_instantiate') events = sortAttributes(events);
    if (sub.replyOn === 'success' || sub.replyOn === 'always') {
      const r = this.runReply(contract, { id: sub.id, payload: sub.payload, result: { ok: { events, data: result.data } } });
      return { events: [...events, ...r.events], data: r.data ?? undefined };
    }
    return { events };
  }

  private runReply(contract: string, reply: Reply): { events: Event[]; data?: Uint8Array } {
    const info = this.wasm.contract(contract);
    if (!info.instance.reply) throw new ContractError('reply not implemented');
    const response = info.instance.reply(this.ctx(contract), reply);
    const r = this.handleResponse(contract, response);
    return { events: [entryPointEvent('reply', contract), ...r.events], data: r.data };
  }

  /** Routes a CosmosMsg sent by `sender` (a contract) to the module that handles it. */
  dispatch(sender: string, msg: CosmosMsg): { events: Event[]; data?: Uint8Array } {
    switch (msg.kind) {
      case 'wasm_execute':
        return this.execute(sender, msg.contract, msg.msg, msg.funds);
      case 'wasm_instantiate': {
        const r = this.instantiate(sender, msg.codeId, msg.msg, msg.funds, msg.label, msg.admin);
        return { events: r.events, data: r.data };
      }
      case 'bank_send':
        return { events: this.bank.send(sender, msg.to, msg.amount) };
      case 'staking_delegate':
        return { events: this.staking.delegate(sender, msg.validator, msg.amount.amount) };
      case 'staking_undelegate':
        return { events: this.staking.undelegate(sender, msg.validator, msg.amount.amount, this.time, this.height).events };
      case 'staking_redelegate':
        return { events: this.staking.redelegate(sender, msg.src, msg.dst, msg.amount.amount, this.time, this.height).events };
      case 'distribution_withdraw':
        return { events: this.distribution.withdraw(sender, msg.validator).events };
      case 'distribution_set_withdraw_address':
        this.distribution.setWithdrawAddress(sender, msg.address);
        return { events: [event('set_withdraw_address', attr('withdraw_address', msg.address))] };
      case 'gov_vote':
      case 'gov_vote_weighted':
        return {
          events: [event('proposal_vote', attr('option', JSON.stringify(msg.kind === 'gov_vote' ? msg.vote : msg.options)), attr('proposal_id', msg.proposalId))],
        };
      case 'ibc_send_packet':
      case 'ibc_close_channel': {
        const h = this.customMsgHandlers.get(`ibc:${msg.kind}`);
        if (!h) throw new ModuleError('ibc', 1, 'IBC is not enabled on this chain');
        return { events: h(this, sender, msg) };
      }
      case 'custom': {
        const [k] = Object.keys(msg.msg);
        const h = k === undefined ? undefined : this.customMsgHandlers.get(k);
        if (!h || k === undefined) throw new ModuleError('wasm', 9, `Unknown custom message: ${JSON.stringify(msg.msg)}`);
        return { events: h(this, sender, msg.msg[k]) };
      }
    }
  }

  // ---- querier ---------------------------------------------------------------------------

  readonly querier: Querier = {
    wasmSmart: (contract, msg) => {
      try {
        return jsonRoundTrip(this.query(contract, msg));
      } catch (e) {
        throw new ContractError(`Generic error: Querier contract error: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    balance: (address, denom) => ({ denom, amount: this.bank.balance(address, denom) }),
    bondedDenom: () => this.params.bondDenom,
    allValidators: () => this.staking.bondedValidators().map((v) => this.queryValidator(v.operator)!),
    validator: (address) => this.queryValidator(address),
    delegation: (delegator, validator) => {
      const d = this.staking.delegation(delegator, validator);
      if (!d) return undefined;
      return { delegator, validator, amount: { denom: this.params.bondDenom, amount: d.tokens } } satisfies QueryDelegation;
    },
    allDelegations: (delegator) =>
      this.staking.delegationsOf(delegator).map((d) => ({
        delegator,
        validator: d.validator,
        amount: { denom: this.params.bondDenom, amount: d.tokens },
      })),
    custom: (q) => {
      const [k] = Object.keys(q);
      const h = k === undefined ? undefined : this.customQueryHandlers.get(k);
      if (!h || k === undefined) throw new ContractError(`Unsupported query type: custom ${JSON.stringify(q)}`);
      return h(this, q[k]);
    },
  };

  private queryValidator(address: string): QueryValidator | undefined {
    const v = this.staking.validator(address);
    if (!v || v.status !== 'bonded') return undefined;
    return { address: v.operator, commission: v.commission.rate, max_commission: v.commission.maxRate, max_change_rate: v.commission.maxChangeRate };
  }
}

class TxMsgError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const dropMessage = (events: Event[]): Event[] => events.filter((e) => e.type !== 'message');

/** Query answers cross the VM boundary as bytes: the caller gets its own copy. */
function jsonRoundTrip(v: unknown): unknown {
  return structuredClone(v);
}

/**
 * Deterministic stand-in for a secp256k1 signature (64 bytes, r ‖ s). Nothing verifies it, so it only
 * has to look random, differ between txs and be the same for the same seed: two 32-bit string hashes
 * stretched by murmur3's finalizer, a fraction of the cost of a SHA-512 (one per tx; issue 3).
 */
function pseudoSignature(chainId: string, signer: string, seq: bigint): Uint8Array {
  const text = `${chainId}/${signer}/${seq}`;
  let h1 = 0x811c9dc5; // FNV-1a
  let h2 = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const out = new Uint8Array(64);
  const view = new DataView(out.buffer);
  for (let w = 0; w < 16; w++) {
    let x = ((w & 1 ? h2 : h1) + Math.imul(w + 1, 0x9e3779b9)) | 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    view.setUint32(w * 4, (x ^ (x >>> 16)) >>> 0);
  }
  return out;
}

/** A plausible, deterministic gas figure: grows with the work a tx did. */
function gasUsedFor(tx: Tx, events: Event[], gasWanted: bigint): bigint {
  const used = 60_000n + 25_000n * BigInt(tx.msgs.length) + 1_200n * BigInt(events.length);
  return used < gasWanted ? used : gasWanted;
}
