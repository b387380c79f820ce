// mesh-external-staking (spec §1.4, §2; ms:contracts/provider/external-staking/src/{contract,ibc,
// crdt,state}.rs): the cross-stake lien holder for one consumer chain and the IBC peer of its
// converter. Protocol math lives in src/protocol/{rewards,crdt,cross-slash,unbonding,tx-ids}.ts; this
// file does storage, messages, packets, events and the upstream error texts.
import { distributeBurn } from '../../protocol/burn.ts';
import { AckWrapper, successAck } from '../../protocol/codec/acks.ts';
import { StakeMsg, Tx } from '../../protocol/codec/common.ts';
import * as codec from '../../protocol/codec/external-staking.ts';
import { ChannelVersion, ConsumerPacket, MESH_PROTOCOL, MESH_PROTOCOL_VERSION, ProviderPacket } from '../../protocol/codec/packets.ts';
import { CodecError, decimal, encodeJson, str, taggedEnum, u64 } from '../../protocol/codec/schema.ts';
import { SlashInfo } from '../../protocol/codec/vault.ts';
import * as crdt from '../../protocol/crdt.ts';
import { handleSlashing } from '../../protocol/cross-slash.ts';
import { Decimal } from '../../protocol/decimal.ts';
import {
  ContractPanic,
  DEFAULT_STAKE,
  type Distribution,
  EMPTY_DISTRIBUTION,
  type Stake,
  alignmentToWire,
  commitWithdrawn,
  distribute,
  pendingReward,
  weightAdded,
  weightRemoved,
} from '../../protocol/rewards.ts';
import { nextExternalStakingTxId } from '../../protocol/tx-ids.ts';
import { closeChannelUnbond, commitUnstake, internalUnstake, withdrawUnbonded } from '../../protocol/unbonding.ts';
import {
  RangeBoundError,
  type ValueRange,
  commitAddSaturating,
  commitSub,
  prepareAdd,
  prepareSub,
  rollbackAddSaturating,
  rollbackSubSaturating,
} from '../../protocol/value-range.ts';
import type { ChannelCloseMsg, ChannelConnectMsg, ChannelOpenMsg, ContractCode, ContractInstance, Ctx, IbcChannel, IbcPacket } from '../chain/contract.ts';
import { type Coin, ContractError, type CosmosMsg, type IbcReceiveResponse, type MessageInfo, type Response, ResponseBuilder, attr, coinJson, coinStr, nsPerSecond } from '../chain/types.ts';
import { JItem, JMap, SEP, key, splitKey, u64Key } from '../state/journal.ts';
import { CONTRACT_VERSION, clampPageLimit, encode, nonpayable, notFound, parseMsg, wasmExecute } from './cw-std.ts';
import { utf8Bytes } from '../chain/utf8.ts';

export const CONTRACT_NAME = 'mesh-external-staking';
/** DEFAULT_TIMEOUT of every provider packet: 10 minutes from the block time (spec §2.4). */
export const PACKET_TIMEOUT_SEC = 600n;

// Type names as cosmwasm's ParseErr / NotFound print them.
const T = {
  exec: 'mesh_external_staking::msg::ExecMsg',
  query: 'mesh_external_staking::msg::QueryMsg',
  sudo: 'mesh_external_staking::msg::SudoMsg',
  instantiate: 'mesh_external_staking::msg::InstantiateMsg',
  stakeMsg: 'mesh_external_staking::msg::ReceiveVirtualStake',
  consumerPacket: 'mesh_apis::ibc::packet::ConsumerPacket',
  providerPacket: 'mesh_apis::ibc::packet::ProviderPacket',
  ack: 'mesh_apis::ibc::packet::AckWrapper',
  version: 'mesh_apis::ibc::version::ProtocolVersion',
};
const NOT_FOUND = {
  channel: 'cosmwasm_std::ibc::IbcChannel',
  tx: 'mesh_sync::txs::Tx',
  stake: 'mesh_external_staking::state::Stake',
};

// Error texts (ms:contracts/provider/external-staking/src/error.rs, packages/apis/src/ibc/version.rs).
const E = {
  unauthorized: 'Unauthorized',
  invalidDenom: (d: string) => `Invalid denom, ${d} expected`,
  missingDenom: (d: string) => `Must send reserve token '${d}'`,
  notEnoughStake: (low: bigint) => `Not enough tokens staked, up to ${low} can be unbond`,
  validatorNotActive: (v: string) => `Cannot stake to ${v}, not listed as an active validator on consumer`,
  channelAlreadyOpen: 'Contract already has an open IBC channel',
  openInitDisallowed: "You must start the channel handshake on the other side, it doesn't support OpenInit",
  closeConfirmDisallowed: 'You must start the channel close on this side',
  invalidEndpoint: (c: string, p: string) => `Invalid authorized endpoint: AuthorizedEndpoint { connection_id: ${JSON.stringify(c)}, port_id: ${JSON.stringify(p)} }`,
  noRewards: 'No staking rewards to be withdrawn',
  insufficientDelegations: (owner: string, amount: bigint) => `User ${owner} has not enough delegated funds: ${amount}`,
  // Text not found upstream; native-staking's variant of the same name reads like this.
  invalidSlashRatio: 'You cannot specify a slash ratio over 1.0 (100%)',
  unordered: 'Channel must be unordered',
};

type PendingTx = codec.Tx;

interface Config {
  denom: string;
  rewardsDenom: string;
  vault: string;
  unbondingPeriod: bigint;
  slashRatio: { doubleSign: Decimal; offline: Decimal };
}

/** sudo `tombstone` of the newest contract (spec silent; research notes §2, "from mesh-security-sdk"). */
const SudoMsg = taggedEnum('SudoMsg', { tombstone: { valoper: str, height: u64, time: u64 } });

/** RangeError of mesh_sync with its Display text. */
function range<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeBoundError) throw new ContractError(e.kind === 'Underflow' ? 'Underflow minimum value' : 'Overflow maximum value');
    throw e;
  }
}

/** mesh_sync::Tx Debug form, as WrongTypeTx prints it. */
function txDebug(tx: PendingTx): string {
  const v = tx.value as Record<string, unknown>;
  const name = tx.kind.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
  const parts = Object.entries(v).map(([k, x]) => {
    if (k === 'id') return `${k}: ${x}`;
    if (k === 'amount') return `${k}: Uint128(${x})`;
    if (k === 'slashable') return `${k}: Decimal(${x})`;
    if (k === 'user' || k === 'staker' || k === 'lienholder') return `${k}: Addr(${JSON.stringify(x)})`;
    return `${k}: ${JSON.stringify(x)}`;
  });
  return `${name} { ${parts.join(', ')} }`;
}
const wrongTypeTx = (id: bigint, tx: PendingTx) => new ContractError(`The tx ${id} exists but is of the wrong type: ${txDebug(tx)}`);

// ---- IBC version negotiation (ms:packages/apis/src/ibc/version.rs) ------------------------------

interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
  build: string;
  text: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function parseVersion(s: string): SemVer {
  const m = SEMVER.exec(s);
  if (!m) throw new ContractError(`Invalid version: ${s}`);
  return { major: BigInt(m[1]!), minor: BigInt(m[2]!), patch: BigInt(m[3]!), pre: m[4] ? m[4].split('.') : [], build: m[5] ?? '', text: s };
}

function cmpIdent(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** semver 1.x ordering: numbers, then pre-release (none sorts last), then build metadata. */
function cmpVersion(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) {
    if (a.pre.length !== b.pre.length) return a.pre.length === 0 ? 1 : -1;
  } else {
    for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
      const c = cmpIdent(a.pre[i]!, b.pre[i]!);
      if (c !== 0) return c;
    }
    if (a.pre.length !== b.pre.length) return a.pre.length < b.pre.length ? -1 : 1;
  }
  if (a.build === b.build) return 0;
  if (a.build === '' || b.build === '') return a.build === '' ? -1 : 1;
  return cmpIdent(a.build, b.build);
}

/**
 * ProtocolVersion::build_response(supported, min): protocol must be `mesh-security`; below min →
 * VersionTooOld, higher major → VersionTooNew, else min(proposed, supported). Upstream fills the
 * `supported` placeholder of both errors with the proposed version string (sic).
 */
export function negotiateVersion(counterpartyVersion: string, supported = MESH_PROTOCOL_VERSION, min = MESH_PROTOCOL_VERSION): string {
  const v = parseMsg(ChannelVersion, utf8Bytes(counterpartyVersion), T.version);
  const sup = parseVersion(supported);
  const minV = parseVersion(min);
  if (v.protocol !== MESH_PROTOCOL) throw new ContractError(`Invalid protocol name: ${v.protocol}`);
  const proposed = parseVersion(v.version);
  if (cmpVersion(proposed, minV) < 0) throw new ContractError(`Proposed version ${proposed.text} older than min supported ${v.version}`);
  if (proposed.major > sup.major) throw new ContractError(`Proposed version ${proposed.text} has breaking changes ahead of supported ${v.version}`);
  const chosen = cmpVersion(proposed, sup) <= 0 ? proposed : sup;
  return encodeJson(ChannelVersion, { protocol: MESH_PROTOCOL, version: chosen.text });
}

// ---- the contract --------------------------------------------------------------------------------

const stakeKey = (user: string, validator: string) => key(user, validator);
/** cw-storage-plus orders composite (Addr, &str) keys by the length-prefixed user first. */
const byUser = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export class ExternalStaking implements ContractInstance {
  readonly config: JItem<Config>;
  readonly authEndpoint: JItem<{ connection_id: string; port_id: string }>;
  readonly channel: JItem<IbcChannel | undefined>;
  /** (owner, validator) → Stake */
  readonly stakes: JMap<Stake>;
  /** validator → Distribution */
  readonly distribution: JMap<Distribution>;
  readonly txCount: JItem<bigint | undefined>;
  readonly pendingTxs: JMap<PendingTx>;
  /** valoper → CRDT history */
  readonly valSet: JMap<crdt.ValidatorHistory>;

  constructor(ctx: Ctx, config: Config, endpoint: { connection_id: string; port_id: string }) {
    const j = ctx.journal;
    this.config = new JItem(j, config);
    this.authEndpoint = new JItem(j, endpoint);
    this.channel = new JItem<IbcChannel | undefined>(j, undefined);
    this.stakes = new JMap(j);
    this.distribution = new JMap(j);
    this.txCount = new JItem<bigint | undefined>(j, undefined);
    this.pendingTxs = new JMap(j);
    this.valSet = new JMap(j);
  }

  // ---- storage helpers ----

  stake(user: string, validator: string): Stake {
    return this.stakes.get(stakeKey(user, validator)) ?? DEFAULT_STAKE;
  }

  loadStake(user: string, validator: string): Stake {
    const s = this.stakes.get(stakeKey(user, validator));
    if (!s) throw notFound(NOT_FOUND.stake);
    return s;
  }

  saveStake(user: string, validator: string, s: Stake): void {
    this.stakes.set(stakeKey(user, validator), s);
  }

  dist(validator: string): Distribution {
    return this.distribution.get(validator) ?? EMPTY_DISTRIBUTION;
  }

  /** The user's stakes, ascending by validator. */
  userStakes(user: string, startAfter?: string): Array<[string, Stake]> {
    const prefix = user + SEP;
    return this.stakes
      .entries({ prefix })
      .map(([k, s]) => [k.slice(prefix.length), s] as [string, Stake])
      .filter(([v]) => startAfter === undefined || v > startAfter);
  }

  /** Stakers of a validator in index order (stakes.idx.rev.sub_prefix(validator)). */
  validatorStakes(validator: string): Array<{ user: string; stake: Stake }> {
    const out: Array<{ user: string; stake: Stake }> = [];
    for (const [k, stake] of this.stakes.entries()) {
      const [user, v] = splitKey(k) as [string, string];
      if (v === validator) out.push({ user, stake });
    }
    return out.sort((a, b) => byUser(a.user, b.user));
  }

  nextTxId(): bigint {
    const id = nextExternalStakingTxId(this.txCount.get());
    this.txCount.set(id);
    return id;
  }

  loadTx(id: bigint): PendingTx {
    const tx = this.pendingTxs.get(u64Key(id));
    if (!tx) throw notFound(NOT_FOUND.tx);
    return tx;
  }

  loadChannel(): IbcChannel {
    const c = this.channel.get();
    if (!c) throw notFound(NOT_FOUND.channel);
    return c;
  }

  latestStatus(validator: string): crdt.ValidatorStatus {
    return crdt.latestStatus(this.valSet.get(validator));
  }

  sendPacket(ctx: Ctx, packet: ProviderPacket): CosmosMsg {
    return {
      kind: 'ibc_send_packet',
      channelId: this.loadChannel().endpoint.channel_id,
      data: utf8Bytes(encodeJson(ProviderPacket, packet)),
      timeout: { timestamp: ctx.env.block.time + PACKET_TIMEOUT_SEC * nsPerSecond },
    };
  }

  checkDenom(c: Coin): void {
    const cfg = this.config.get();
    if (c.denom !== cfg.denom) throw new ContractError(E.invalidDenom(cfg.denom));
  }

  // ---- execute ----

  execute(ctx: Ctx, info: MessageInfo, raw: unknown): Response {
    const msg = parseMsg(codec.ExecuteMsg, raw, T.exec);
    switch (msg.kind) {
      case 'receive_virtual_stake':
        return this.receiveVirtualStake(ctx, info, msg.value.owner, msg.value.amount, msg.value.tx_id, msg.value.msg);
      case 'burn_virtual_stake':
        return this.burnVirtualStake(ctx, info, msg.value.owner, msg.value.amount, msg.value.validator);
      case 'unstake':
        return this.unstake(ctx, info, msg.value.validator, msg.value.amount);
      case 'withdraw_unbonded':
        return this.withdrawUnbonded(ctx, info);
      case 'withdraw_rewards':
        return this.withdrawRewards(ctx, info, msg.value.validator, msg.value.remote_recipient);
    }
  }

  /** CrossStakingApi, from the vault's stake_remote: a pending stake, a `stake` packet. */
  receiveVirtualStake(ctx: Ctx, info: MessageInfo, owner: string, amount: Coin, txId: bigint, payload: Uint8Array): Response {
    const cfg = this.config.get();
    if (info.sender !== cfg.vault) throw new ContractError(E.unauthorized);
    this.checkDenom(amount);
    owner = ctx.api.addrValidate(owner);
    const { validator } = parseMsg(StakeMsg, payload, T.stakeMsg);
    if (!crdt.isActive(this.valSet.get(validator))) throw new ContractError(E.validatorNotActive(validator));
    const s = this.stake(owner, validator);
    this.saveStake(owner, validator, { ...s, stake: range(() => prepareAdd(s.stake, amount.amount)) });
    this.pendingTxs.set(u64Key(txId), { kind: 'in_flight_remote_staking', value: { id: txId, amount: amount.amount, user: owner, validator } });
    const packet = this.sendPacket(ctx, { kind: 'stake', value: { delegator: owner, validator, stake: amount, tx_id: txId } });
    return new ResponseBuilder()
      .msg(packet)
      .attr('action', 'receive_virtual_stake')
      .attr('owner', owner)
      .attr('amount', amount.amount)
      .attr('tx_id', txId);
  }

  /**
   * CrossStakingApi, from the vault's slash propagation: lowers the user's stakes at once and sends a
   * fire-and-forget `burn` packet (not transactional, spec §7 item 13).
   */
  burnVirtualStake(ctx: Ctx, info: MessageInfo, owner: string, amount: Coin, validator: string | undefined): Response {
    const cfg = this.config.get();
    if (info.sender !== cfg.vault) throw new ContractError(E.unauthorized);
    this.checkDenom(amount);
    owner = ctx.api.addrValidate(owner);
    // Burns take precedence over pending txs: they use the high values.
    const stakes: Array<[string, bigint]> =
      validator !== undefined ? [[validator, this.stake(owner, validator).stake.h]] : this.userStakes(owner).map(([v, s]) => [v, s.stake.h]);
    if (stakes.length === 0) throw new ContractError(E.insufficientDelegations(owner, amount.amount));
    const { burned, burns } = distributeBurn(stakes, amount.amount);
    if (burned < amount.amount) throw new ContractError(E.insufficientDelegations(owner, amount.amount));
    for (const b of burns) {
      const s = this.loadStake(owner, b.validator);
      // ValueRange::sub(v, None): no minimum check, a plain `low - v` that panics below zero.
      if (s.stake.l < b.amount) throw new ContractPanic('attempt to subtract with overflow');
      const r = weightRemoved({ ...s, stake: commitSub(prepareSub(s.stake, b.amount), b.amount) }, this.dist(b.validator), b.amount);
      this.saveStake(owner, b.validator, r.stake);
      this.distribution.set(b.validator, r.dist);
    }
    const packet = this.sendPacket(ctx, { kind: 'burn', value: { validators: burns.map((b) => b.validator), burn: amount } });
    return new ResponseBuilder()
      .msg(packet)
      .attr('action', 'burn_virtual_stake')
      .attr('owner', owner)
      .attr('validators', stakes.map(([v]) => v).join(', '))
      .attr('amount', coinStr(amount));
  }

  unstake(ctx: Ctx, info: MessageInfo, validator: string, amount: Coin): Response {
    nonpayable(info);
    this.checkDenom(amount);
    const s = this.stake(info.sender, validator);
    if (s.stake.l < amount.amount) throw new ContractError(E.notEnoughStake(s.stake.l));
    this.saveStake(info.sender, validator, { ...s, stake: range(() => prepareSub(s.stake, amount.amount, 0n)) });
    const id = this.nextTxId();
    this.pendingTxs.set(u64Key(id), { kind: 'in_flight_remote_unstaking', value: { id, amount: amount.amount, user: info.sender, validator } });
    const r = new ResponseBuilder().attr('action', 'unstake').attr('amount', amount.amount).attr('owner', info.sender);
    return r.msg(this.sendPacket(ctx, { kind: 'unstake', value: { delegator: info.sender, validator, unstake: amount, tx_id: id } }));
  }

  withdrawUnbonded(ctx: Ctx, info: MessageInfo): Response {
    nonpayable(info);
    const cfg = this.config.get();
    const { total, changed } = withdrawUnbonded(this.userStakes(info.sender), ctx.env.block.time);
    for (const [v, s] of changed) this.saveStake(info.sender, v, s);
    const r = new ResponseBuilder().attr('action', 'withdraw_unbonded').attr('owner', info.sender).attr('amount', total);
    if (total > 0n) r.msg(wasmExecute(cfg.vault, { release_cross_stake: { owner: info.sender, amount: coinJson({ denom: cfg.denom, amount: total }) } }));
    return r;
  }

  /** Sends the pending rewards as a `transfer_rewards` packet; in-flight withdrawals are not subtracted (spec §7 item 5). */
  withdrawRewards(ctx: Ctx, info: MessageInfo, validator: string, recipient: string): Response {
    nonpayable(info);
    const amount = pendingReward(this.stake(info.sender, validator), this.dist(validator));
    if (amount === 0n) throw new ContractError(E.noRewards);
    const r = new ResponseBuilder()
      .attr('action', 'withdraw_rewards')
      .attr('owner', info.sender)
      .attr('validator', validator)
      .attr('recipient', recipient)
      .attr('amount', amount);
    const id = this.nextTxId();
    this.pendingTxs.set(u64Key(id), { kind: 'in_flight_transfer_funds', value: { id, amount, staker: info.sender, validator } });
    const rewards = { denom: this.config.get().rewardsDenom, amount };
    return r.msg(this.sendPacket(ctx, { kind: 'transfer_rewards', value: { rewards, recipient, tx_id: id } }));
  }

  sudo(ctx: Ctx, raw: unknown): Response {
    const msg = parseMsg(SudoMsg, raw, T.sudo);
    const { valoper, height, time } = msg.value;
    const cutoff = ctx.env.block.time / nsPerSecond - this.config.get().unbondingPeriod;
    const h = crdt.drainOlder(crdt.tombstoneValidator(this.valSet.get(valoper) ?? [], height, time), cutoff < 0n ? 0n : cutoff);
    this.valSet.set(valoper, h);
    return new ResponseBuilder().attr('tombstoned', valoper);
  }

  // ---- two-phase commit of our own packets (spec §2.5) ----

  commitStake(id: bigint): CosmosMsg {
    const tx = this.loadTx(id);
    if (tx.kind !== 'in_flight_remote_staking') throw wrongTypeTx(id, tx);
    const { amount, user, validator } = tx.value;
    const s = this.loadStake(user, validator);
    const r = weightAdded({ ...s, stake: commitAddSaturating(s.stake, amount) }, this.dist(validator), amount);
    this.saveStake(user, validator, r.stake);
    this.distribution.set(validator, r.dist);
    this.pendingTxs.delete(u64Key(id));
    return wasmExecute(this.config.get().vault, { commit_tx: { tx_id: id } });
  }

  rollbackStake(id: bigint): CosmosMsg {
    const tx = this.loadTx(id);
    if (tx.kind !== 'in_flight_remote_staking') throw wrongTypeTx(id, tx);
    const { amount, user, validator } = tx.value;
    const s = this.loadStake(user, validator);
    this.saveStake(user, validator, { ...s, stake: rollbackAddSaturating(s.stake, amount) });
    this.pendingTxs.delete(u64Key(id));
    return wasmExecute(this.config.get().vault, { rollback_tx: { tx_id: id } });
  }

  commitUnstake(ctx: Ctx, id: bigint): void {
    const tx = this.loadTx(id);
    if (tx.kind !== 'in_flight_remote_unstaking') throw wrongTypeTx(id, tx);
    const { amount, user, validator } = tx.value;
    const cfg = this.config.get();
    const s = this.loadStake(user, validator);
    const r = commitUnstake(s, this.dist(validator), amount, ctx.env.block.time, cfg.unbondingPeriod, this.latestStatus(validator));
    this.saveStake(user, validator, r.stake);
    this.distribution.set(validator, r.dist);
    this.pendingTxs.delete(u64Key(id));
  }

  rollbackUnstake(id: bigint): void {
    const tx = this.loadTx(id);
    if (tx.kind !== 'in_flight_remote_unstaking') throw wrongTypeTx(id, tx);
    const { amount, user, validator } = tx.value;
    const s = this.loadStake(user, validator);
    this.saveStake(user, validator, { ...s, stake: rollbackSubSaturating(s.stake, amount) });
    this.pendingTxs.delete(u64Key(id));
  }

  commitWithdrawRewards(id: bigint): void {
    const tx = this.loadTx(id);
    this.pendingTxs.delete(u64Key(id)); // removed before the type check, as upstream
    if (tx.kind !== 'in_flight_transfer_funds') throw wrongTypeTx(id, tx);
    const { amount, staker, validator } = tx.value;
    this.saveStake(staker, validator, commitWithdrawn(this.loadStake(staker, validator), amount));
  }

  rollbackWithdrawRewards(id: bigint): void {
    const tx = this.loadTx(id);
    if (tx.kind !== 'in_flight_transfer_funds') throw wrongTypeTx(id, tx);
    this.pendingTxs.delete(u64Key(id));
  }

  // ---- IBC: handshake (spec §2.1, provider side) ----

  ibcChannelOpen(_ctx: Ctx, msg: ChannelOpenMsg): string | undefined {
    if (this.channel.get()) throw new ContractError(E.channelAlreadyOpen);
    if ('open_init' in msg) throw new ContractError(E.openInitDisallowed);
    const { channel, counterparty_version } = msg.open_try;
    if (channel.order !== 'ORDER_UNORDERED') throw new ContractError(E.unordered);
    const auth = this.authEndpoint.get();
    if (auth.connection_id !== channel.connection_id || auth.port_id !== channel.counterparty_endpoint.port_id) throw new ContractError(E.unauthorized);
    return negotiateVersion(counterparty_version);
  }

  ibcChannelConnect(_ctx: Ctx, msg: ChannelConnectMsg): Response {
    if (this.channel.get()) throw new ContractError(E.channelAlreadyOpen);
    if ('open_ack' in msg) throw new ContractError(E.openInitDisallowed);
    this.channel.set(msg.open_confirm.channel);
    return new ResponseBuilder();
  }

  /** CloseInit of our channel: every stake's low value becomes an immediately releasable unbond (spec §2.1). */
  ibcChannelClose(ctx: Ctx, msg: ChannelCloseMsg): Response {
    if ('close_confirm' in msg) throw new ContractError(E.closeConfirmDisallowed);
    const stored = this.loadChannel();
    const c = msg.close_init.channel;
    if (stored.endpoint.channel_id !== c.endpoint.channel_id || stored.endpoint.port_id !== c.endpoint.port_id) throw new ContractError(E.unauthorized);
    for (const [k, s] of this.stakes.entries()) {
      const [user, validator] = splitKey(k) as [string, string];
      const r = closeChannelUnbond(s, this.dist(validator), ctx.env.block.time);
      this.saveStake(user, validator, r.stake);
      this.distribution.set(validator, r.dist);
    }
    return new ResponseBuilder();
  }

  // ---- IBC: packets from the converter ----

  ibcPacketReceive(ctx: Ctx, packet: IbcPacket): IbcReceiveResponse {
    const p = parseMsg(ConsumerPacket, packet.data, T.consumerPacket);
    const r = new ResponseBuilder();
    switch (p.kind) {
      case 'valset_update':
        this.valsetUpdate(ctx, p.value, r);
        break;
      case 'internal_unstake': {
        const { delegator, validator, inverted_amount } = p.value;
        const s = this.loadStake(delegator, validator);
        const u = range(() => internalUnstake(s, this.dist(validator), inverted_amount.amount, ctx.env.block.time));
        this.saveStake(delegator, validator, u.stake);
        this.distribution.set(validator, u.dist);
        r.event('internal_unstake', attr('delegator', delegator), attr('validator', validator), attr('amount', u.amount));
        break;
      }
      case 'distribute': {
        const { validator, rewards } = p.value;
        if (rewards.denom !== this.config.get().rewardsDenom) throw new ContractError(E.missingDenom(rewards.denom));
        r.addEvent(this.distributeRewards(validator, rewards.amount));
        break;
      }
      case 'distribute_batch': {
        const cfg = this.config.get();
        if (p.value.denom !== cfg.rewardsDenom) throw new ContractError(E.invalidDenom(cfg.rewardsDenom));
        for (const { validator, reward } of p.value.rewards) r.addEvent(this.distributeRewards(validator, reward));
        break;
      }
    }
    return Object.assign(r, { acknowledgement: utf8Bytes(successAck()) });
  }

  /** Reward points for one validator; a validator with no committed stake aborts (spec §7 item 14). */
  distributeRewards(validator: string, amount: bigint) {
    this.distribution.set(validator, distribute(this.dist(validator), amount));
    return { type: 'distribute_rewards', attributes: [attr('validator', validator), attr('amount', amount)] };
  }

  /** CRDT update + cross slashing (spec §4.8, §4.3.2): one vault `cross_slash` per slashed validator. */
  valsetUpdate(ctx: Ctx, v: Extract<ConsumerPacket, { kind: 'valset_update' }>['value'], r: ResponseBuilder): void {
    const cfg = this.config.get();
    const u = crdt.valsetUpdateOf(v);
    const store: crdt.ValsetStore = { get: (x) => this.valSet.get(x), set: (x, h) => this.valSet.set(x, h) };
    const now = ctx.env.block.time;
    crdt.applyValsetUpdate(store, u, now / nsPerSecond, cfg.unbondingPeriod, (s) => {
      let nominal: Decimal;
      try {
        nominal = decimal.decode(s.slashRatio);
      } catch (e) {
        if (e instanceof CodecError) throw new ContractError(E.invalidSlashRatio);
        throw e;
      }
      const res = handleSlashing({
        users: this.validatorStakes(s.address),
        dist: this.dist(s.address),
        slashAmount: s.slashAmount.amount,
        nominalRatio: nominal,
        infractionTimeSec: s.infractionTime,
        nowNs: now,
        unbondingPeriodSec: cfg.unbondingPeriod,
      });
      if (!res) return;
      for (const x of res.stakes) this.saveStake(x.user, s.address, x.stake);
      this.distribution.set(s.address, res.dist);
      const slashes = res.slashes.map((x) => SlashInfo.encode(x));
      r.msg(wasmExecute(cfg.vault, { cross_slash: { slashes, validator: s.address } }));
    });
    r.event('valset_update', ...crdt.valsetUpdateAttributes(u).map(([k, val]) => attr(k, val)));
  }

  // ---- IBC: acks and timeouts of our packets ----

  ibcPacketAck(ctx: Ctx, ackBytes: Uint8Array, packet: IbcPacket): Response {
    const p = parseMsg(ProviderPacket, packet.data, T.providerPacket);
    const ack = parseMsg(AckWrapper, ackBytes, T.ack);
    const r = new ResponseBuilder();
    const outcome = (txId?: bigint): ResponseBuilder => {
      if (ack.kind === 'result') r.attr('success', 'true');
      else r.attr('error', ack.value);
      if (txId !== undefined) r.attr('tx_id', txId);
      return r.attr('packet_type', p.kind);
    };
    const ok = ack.kind === 'result';
    switch (p.kind) {
      case 'stake':
        r.msg(ok ? this.commitStake(p.value.tx_id) : this.rollbackStake(p.value.tx_id));
        return outcome(p.value.tx_id);
      case 'unstake':
        if (ok) this.commitUnstake(ctx, p.value.tx_id);
        else this.rollbackUnstake(p.value.tx_id);
        return outcome(p.value.tx_id);
      case 'burn':
        // Nothing to undo: the burn already happened (spec §7 item 13).
        outcome();
        if (!ok) r.attr('validators', p.value.validators.join(',')).attr('amount', p.value.burn.amount);
        return r;
      case 'transfer_rewards':
        if (ok) this.commitWithdrawRewards(p.value.tx_id);
        else this.rollbackWithdrawRewards(p.value.tx_id);
        return outcome(p.value.tx_id);
    }
  }

  ibcPacketTimeout(_ctx: Ctx, packet: IbcPacket): Response {
    const p = parseMsg(ProviderPacket, packet.data, T.providerPacket);
    const r = new ResponseBuilder().attr('action', 'ibc_packet_timeout');
    switch (p.kind) {
      case 'stake':
        r.msg(this.rollbackStake(p.value.tx_id));
        return r.attr('error', 'timeout').attr('tx_id', p.value.tx_id).attr('packet_type', 'stake');
      case 'unstake':
        this.rollbackUnstake(p.value.tx_id);
        return r.attr('error', 'timeout').attr('tx_id', p.value.tx_id).attr('packet_type', 'unstake');
      case 'burn':
        return r.attr('error', 'timeout').attr('packet_type', 'burn').attr('validators', p.value.validators.join(',')).attr('amount', p.value.burn.amount);
      case 'transfer_rewards':
        this.rollbackWithdrawRewards(p.value.tx_id);
        return r.attr('error', 'timeout').attr('tx_id', p.value.tx_id).attr('packet_type', 'transfer_rewards');
    }
  }

  // ---- queries (spec §1.4) ----

  query(ctx: Ctx, raw: unknown): unknown {
    const msg = parseMsg(codec.QueryMsg, raw, T.query);
    const cfg = this.config.get();
    switch (msg.kind) {
      case 'config':
        return encode(codec.ConfigResponse, { denom: cfg.denom, vault: cfg.vault, unbonding_period: cfg.unbondingPeriod });
      case 'authorized_endpoint':
        return encode(codec.AuthorizedEndpoint, this.authEndpoint.get());
      case 'ibc_channel':
        return encode(codec.IbcChannelResponse, { channel: this.loadChannel() });
      case 'list_active_validators':
      case 'list_validators': {
        const limit = msg.value.limit ?? 100;
        const after = msg.value.start_after;
        let vals = this.valSet.entries().filter(([v]) => after === undefined || v > after);
        if (msg.kind === 'list_active_validators') {
          vals = vals.filter(([, h]) => crdt.isActive(h));
          return encode(codec.ListActiveValidatorsResponse, { validators: vals.slice(0, limit).map(([v]) => v) });
        }
        const validators = vals.slice(0, limit).map(([validator, h]) => ({ validator, state: { kind: crdt.latestStatus(h), value: {} } }));
        return encode(codec.ListValidatorsResponse, { validators });
      }
      case 'stake': {
        const user = ctx.api.addrValidate(msg.value.user);
        return encode(codec.Stake, stakeWire(this.stake(user, msg.value.validator)));
      }
      case 'stakes': {
        const user = ctx.api.addrValidate(msg.value.user);
        const stakes = this.userStakes(user, msg.value.start_after)
          .slice(0, clampPageLimit(msg.value.limit))
          .map(([validator, s]) => ({ owner: user, validator, stake: stakeWire(s) }));
        return encode(codec.StakesResponse, { stakes });
      }
      case 'pending_tx':
        return encode(Tx, this.loadTx(msg.value.tx_id));
      case 'all_pending_txs_desc': {
        const after = msg.value.start_after;
        const txs = this.pendingTxs
          .entries({ descending: true, startAfter: after === undefined ? undefined : u64Key(after) })
          .slice(0, clampPageLimit(msg.value.limit))
          .map(([, tx]) => tx);
        return encode(codec.AllTxsResponse, { txs });
      }
      case 'pending_rewards': {
        const user = ctx.api.addrValidate(msg.value.user);
        const amount = pendingReward(this.stake(user, msg.value.validator), this.dist(msg.value.validator));
        return encode(codec.PendingRewards, { rewards: { denom: cfg.rewardsDenom, amount } });
      }
      case 'all_pending_rewards': {
        const user = ctx.api.addrValidate(msg.value.user);
        const rewards = this.userStakes(user, msg.value.start_after)
          .slice(0, clampPageLimit(msg.value.limit))
          .map(([validator, s]) => ({ validator, rewards: { rewards: { denom: cfg.rewardsDenom, amount: pendingReward(s, this.dist(validator)) } } }));
        return encode(codec.AllPendingRewards, { rewards });
      }
      case 'max_slash':
        return encode(codec.SlashRatioResponse, { slash_ratio_dsign: cfg.slashRatio.doubleSign, slash_ratio_offline: cfg.slashRatio.offline });
    }
  }
}

function stakeWire(s: Stake): codec.Stake {
  return {
    stake: s.stake as ValueRange,
    pending_unbonds: s.pendingUnbonds.map((p) => ({ amount: p.amount, release_at: p.releaseAt })),
    points_alignment: BigInt(alignmentToWire(s.pointsAlignment)),
    withdrawn_funds: s.withdrawnFunds,
  };
}

export const externalStakingCode: ContractCode = {
  name: CONTRACT_NAME,
  version: CONTRACT_VERSION,
  instantiate(ctx, _info, raw) {
    const msg = parseMsg(codec.InstantiateMsg, raw, T.instantiate);
    const vault = ctx.api.addrValidate(msg.vault);
    const { double_sign, offline } = msg.slash_ratio;
    if (double_sign.gt(Decimal.one) || offline.gt(Decimal.one)) throw new ContractError(E.invalidSlashRatio);
    const { connection_id, port_id } = msg.remote_contact;
    if (connection_id === '' || port_id === '') throw new ContractError(E.invalidEndpoint(connection_id, port_id));
    const config: Config = {
      denom: msg.denom,
      rewardsDenom: msg.rewards_denom,
      vault,
      unbondingPeriod: msg.unbonding_period,
      slashRatio: { doubleSign: double_sign, offline },
    };
    return { instance: new ExternalStaking(ctx, config, { connection_id, port_id }), response: new ResponseBuilder() };
  },
};
