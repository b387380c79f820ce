// external-staking (provider cross side, spec §1.4): replicates each contract's stakes, reward points,
// validator CRDT, pending txs and unbondings with the src/protocol rules the contract itself uses
// (src/devnet/contracts/external-staking.ts is the reference for which function runs in what order),
// and emits CrossStake / DelegationEvent / Unbonding / PendingTx / RewardEvent / ValidatorState rows.
//
// Events carry only part of the data (spec §1.0), so handlers combine them with the packets of the
// same message: the `send_packet` after a user action (validator, tx id), the `recv_packet` +
// `write_acknowledgement` around a received packet (spec §0.2: an error ack means the contract rolled
// back), and the sent packet kept in the replica for its ack / timeout (acknowledge_packet has no data).
import { DecodeError, attr, requireAmount, requireAttr, requireCoin, requireContractAddress, splitList } from '../indexer/decode/attributes.ts';
import { distributeBurn } from '../protocol/burn.ts';
import { decodeAck } from '../protocol/codec/acks.ts';
import * as esCodec from '../protocol/codec/external-staking.ts';
import { decodeConsumerPacketAnyEra, decodeProviderPacketAnyEra, type AnyEraConsumerPacket, type AnyEraProviderPacket } from '../protocol/codec/packets.ts';
import { decimal } from '../protocol/codec/schema.ts';
import * as crdt from '../protocol/crdt.ts';
import { handleSlashing } from '../protocol/cross-slash.ts';
import { type Stake, commitWithdrawn, distribute, weightAdded, weightRemoved } from '../protocol/rewards.ts';
import { nextExternalStakingTxId } from '../protocol/tx-ids.ts';
import { closeChannelUnbond, commitUnstake, internalUnstake, withdrawUnbonded, type PendingUnbond } from '../protocol/unbonding.ts';
import { commitAddSaturating, commitSub, prepareAdd, prepareSub, rollbackAddSaturating, rollbackSubSaturating } from '../protocol/value-range.ts';
import type { ChainEvent } from '../indexer/types.ts';
import type { Mapping, MappingContext } from './context.ts';
import { crossSlashId } from './converter.ts';
import { DecodeMemo } from './decode-memo.ts';
import { counterpartyChainOf, pairingId } from './ibc.ts';
import { type ExternalStakingConfig, ExternalStakingState, type PendingTxKind, type PendingTxRecord, StagedReplica, type UnbondMeta } from './external-staking-state.ts';

export { NS as EXTERNAL_STAKING_NS, ExternalStakingState } from './external-staking-state.ts';

const NS_PER_MS = 1_000_000n;
const dateOfNs = (ns: bigint): Date => new Date(Number(ns / NS_PER_MS));
const portOf = (address: string): string => `wasm.${address}`;
const hexText = (hex: string): string => Buffer.from(hex, 'hex').toString('utf8');
const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// ---- one handler run: compute on a stage, then commit and emit ---------------------------------

interface Run {
  st: ExternalStakingState;
  cfg: ExternalStakingConfig;
  /** Row writers, run only once the replica change is committed. */
  rows: Array<() => void>;
}

/**
 * Runs `f` on a staged replica. Any failure (a protocol panic means the replica and the chain
 * disagree about an input) becomes a DecodeError: dead-lettered, replica untouched, indexing goes on.
 */
async function run(ctx: MappingContext, address: string, f: (r: Run) => void): Promise<void> {
  const cfg = await ensureConfig(ctx, address);
  const stage = new StagedReplica(ctx.replica);
  const r: Run = { st: new ExternalStakingState(stage, address), cfg, rows: [] };
  try {
    f(r);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError(`external staking ${address}: ${errText(e)}`, ctx.event.type);
  }
  stage.commit();
  for (const w of r.rows) w();
}

/** Config from the instantiate message (see `onInstantiate`), else recovered by smart queries once. */
async function ensureConfig(ctx: MappingContext, address: string): Promise<ExternalStakingConfig> {
  const st = new ExternalStakingState(ctx.replica, address);
  const have = st.config();
  if (have) return have;
  let cfg: ExternalStakingConfig;
  try {
    const c = esCodec.ConfigResponse.decode(await ctx.query(address, { config: {} }), '$');
    const m = esCodec.SlashRatioResponse.decode(await ctx.query(address, { max_slash: {} }), '$');
    cfg = { denom: c.denom, vault: c.vault, unbondingPeriod: c.unbonding_period, slashRatio: { doubleSign: m.slash_ratio_dsign.toString(), offline: m.slash_ratio_offline.toString() }, source: 'query' };
  } catch (e) {
    throw new DecodeError(`external staking ${address}: no config (instantiate not seen, query failed: ${errText(e)})`);
  }
  st.setConfig(cfg);
  return cfg;
}

/**
 * Stores the config of a newly instantiated external-staking contract from its MsgInstantiateContract
 * body. Call it from the `instantiate` handler after the contract is registered (the router resolves
 * the kind before the handler runs, so this mapping never sees the instantiate event itself).
 */
export function onInstantiate(ctx: MappingContext): void {
  const address = attr(ctx.event, '_contract_address');
  if (address === undefined || ctx.contracts.kindOf(address) !== 'external_staking') return;
  if (!ctx.msg?.typeUrl.endsWith('MsgInstantiateContract') || ctx.msg.json === undefined) return;
  let m: esCodec.InstantiateMsg;
  try {
    m = esCodec.InstantiateMsg.decode(ctx.msg.json, '$');
  } catch (e) {
    throw new DecodeError(`external staking instantiate message: ${errText(e)}`, ctx.event.type);
  }
  new ExternalStakingState(ctx.replica, address).setConfig({
    denom: m.denom,
    rewardsDenom: m.rewards_denom,
    vault: m.vault,
    unbondingPeriod: m.unbonding_period,
    slashRatio: { doubleSign: m.slash_ratio.double_sign.toString(), offline: m.slash_ratio.offline.toString() },
    source: 'instantiate',
  });
}

// ---- packets around the event --------------------------------------------------------------------

interface PacketRef {
  channel: string;
  sequence: string;
}

/** The `send_packet` this contract emitted for the action at ctx.position (the next one after it). */
function sentPacket(ctx: MappingContext, address: string): (PacketRef & { data: string }) | undefined {
  for (let i = ctx.position + 1; i < ctx.siblings.length; i++) {
    const e = ctx.siblings[i]!;
    if (e.type !== 'send_packet' || attr(e, 'packet_src_port') !== portOf(address)) continue;
    const hex = attr(e, 'packet_data_hex');
    const data = hex !== undefined ? hexText(hex) : attr(e, 'packet_data');
    if (data === undefined) throw new DecodeError('send_packet has no packet data', e.type);
    return { channel: requireAttr(e, 'packet_src_channel'), sequence: requireAttr(e, 'packet_sequence'), data };
  }
  return undefined;
}

const sentPackets = new DecodeMemo<AnyEraProviderPacket>();

function decodeSent(ctx: MappingContext, data: string): AnyEraProviderPacket | undefined {
  try {
    return sentPackets.get(data, () => decodeProviderPacketAnyEra(data).packet);
  } catch (e) {
    ctx.deadLetter('packet', `provider packet: ${errText(e)}`, data);
    return undefined;
  }
}

/**
 * The packet this contract received in this message (`recv_packet` before the event) and whether the
 * receive succeeded (`write_acknowledgement` after it). Undefined packet: dead-lettered.
 */
function receivedPacket(ctx: MappingContext, address: string): { packet?: AnyEraConsumerPacket; ok: boolean; ref?: PacketRef; connection?: string } {
  let recv: ChainEvent | undefined;
  for (let i = ctx.position - 1; i >= 0; i--) {
    const e = ctx.siblings[i]!;
    if (e.type === 'recv_packet' && attr(e, 'packet_dst_port') === portOf(address)) {
      recv = e;
      break;
    }
  }
  if (!recv) return { ok: true }; // no packet in view (hand-built input): trust the contract's event
  const ref = { channel: requireAttr(recv, 'packet_dst_channel'), sequence: requireAttr(recv, 'packet_sequence') };
  const connection = attr(recv, 'connection_id') ?? attr(recv, 'packet_connection');
  let ok = true;
  for (let i = ctx.position + 1; i < ctx.siblings.length; i++) {
    const e = ctx.siblings[i]!;
    if (e.type !== 'write_acknowledgement' || attr(e, 'packet_dst_port') !== portOf(address)) continue;
    if (attr(e, 'packet_dst_channel') !== ref.channel || attr(e, 'packet_sequence') !== ref.sequence) continue;
    const hex = attr(e, 'packet_ack_hex');
    const text = hex !== undefined ? hexText(hex) : attr(e, 'packet_ack');
    try {
      ok = decodeAck(text ?? '').kind === 'result';
    } catch (err) {
      ctx.deadLetter('ack', `write_acknowledgement: ${errText(err)}`, text);
    }
    break;
  }
  const hex = attr(recv, 'packet_data_hex');
  const data = hex !== undefined ? hexText(hex) : attr(recv, 'packet_data');
  try {
    return { packet: decodeConsumerPacketAnyEra(data ?? '').packet, ok, ref, connection };
  } catch (e) {
    ctx.deadLetter('packet', `consumer packet: ${errText(e)}`, data);
    return { ok, ref, connection };
  }
}

/**
 * The packet this contract's ack or timeout callback settles. ibc-go emits `acknowledge_packet` before
 * the callback but `timeout_packet` after it (TimeoutExecuted runs once the callback succeeded:
 * cosmos/ibc-go modules/core/keeper/msg_server.go), so an ack looks back and a timeout looks ahead.
 */
function settledPacketRef(ctx: MappingContext, address: string, type: 'acknowledge_packet' | 'timeout_packet'): PacketRef | undefined {
  const port = portOf(address);
  const step = type === 'timeout_packet' ? 1 : -1;
  for (let i = ctx.position + step; i >= 0 && i < ctx.siblings.length; i += step) {
    const e = ctx.siblings[i]!;
    if (e.type === type && attr(e, 'packet_src_port') === port) return { channel: requireAttr(e, 'packet_src_channel'), sequence: requireAttr(e, 'packet_sequence') };
  }
  return undefined;
}

// ---- rows ----------------------------------------------------------------------------------------

function loc(ctx: MappingContext) {
  return { height: ctx.block.height, time: ctx.block.time, txHash: ctx.tx?.hash ?? null };
}

function crossStakeRow(ctx: MappingContext, r: Run, user: string, validator: string): () => void {
  const s = r.st.stake(user, validator);
  const a = s.pointsAlignment;
  return () =>
    ctx.out.upsert('CrossStake', {
      chainId: ctx.chainId,
      externalStaking: r.st.address,
      staker: user,
      validator,
      stakeLow: s.stake.l,
      stakeHigh: s.stake.h,
      pointsAlignment: a < 0n ? -a : a,
      pointsAlignmentNegative: a < 0n,
      withdrawnFunds: s.withdrawnFunds,
      height: ctx.block.height,
      time: ctx.block.time,
    });
}

function delegationRow(
  ctx: MappingContext,
  r: Run,
  d: { user: string; validator: string | null; kind: string; amount: bigint; txId?: bigint; status?: string; suffix?: string },
): () => void {
  const s = d.validator === null ? undefined : r.st.stake(d.user, d.validator);
  return () =>
    ctx.out.insert('DelegationEvent', {
      id: ctx.rowId(d.suffix ?? `del/${d.user}/${d.validator ?? '-'}`),
      chainId: ctx.chainId,
      contract: r.st.address,
      staker: d.user,
      validator: d.validator,
      kind: d.kind,
      amount: d.amount,
      stakeLowAfter: s?.stake.l ?? null,
      stakeHighAfter: s?.stake.h ?? null,
      txId: d.txId ?? null,
      status: d.status ?? null,
      ...loc(ctx),
      msgIndex: ctx.msgIndex ?? null,
      eventIndex: ctx.event.index,
    });
}

function pendingTxRow(ctx: MappingContext, r: Run, t: PendingTxRecord, status: 'pending' | 'committed' | 'rolled_back'): () => void {
  const settled = status !== 'pending';
  return () =>
    ctx.out.upsert('PendingTx', {
      chainId: ctx.chainId,
      contract: r.st.address,
      txId: t.id,
      kind: t.kind,
      staker: t.user,
      amount: t.amount,
      validator: t.validator,
      lienholder: null,
      status,
      createdHeight: t.createdHeight,
      createdTime: new Date(t.createdTimeMs),
      createdTxHash: t.createdTxHash,
      settledHeight: settled ? ctx.block.height : null,
      settledTime: settled ? ctx.block.time : null,
      settledTxHash: settled ? (ctx.tx?.hash ?? null) : null,
    });
}

function unbondingRow(ctx: MappingContext, r: Run, user: string, validator: string, meta: UnbondMeta, p: PendingUnbond, released: boolean): () => void {
  return () =>
    ctx.out.upsert('Unbonding', {
      id: meta.id,
      chainId: ctx.chainId,
      contract: r.st.address,
      staker: user,
      validator,
      amount: p.amount,
      releaseAt: dateOfNs(p.releaseAt),
      kind: meta.kind,
      state: released ? 'released' : 'pending',
      height: meta.height,
      time: new Date(meta.timeMs),
      txHash: meta.txHash,
      releasedHeight: released ? ctx.block.height : null,
      releasedTxHash: released ? (ctx.tx?.hash ?? null) : null,
    });
}

/** A new pending unbond was appended to the stake (the last entry): its metadata and row. */
function unbondAdded(ctx: MappingContext, r: Run, user: string, validator: string, kind: UnbondMeta['kind']): void {
  const s = r.st.stake(user, validator);
  const p = s.pendingUnbonds[s.pendingUnbonds.length - 1]!;
  const meta: UnbondMeta = { id: ctx.rowId(`unbond/${user}/${validator}`), kind, height: ctx.block.height, timeMs: ctx.block.time.getTime(), txHash: ctx.tx?.hash ?? null };
  // Metadata lists may lag behind stakes that predate the indexer's start: pad so entries line up.
  const metas = padMetas(ctx, r.st.unbonds(user, validator), s.pendingUnbonds.length - 1);
  r.st.setUnbonds(user, validator, [...metas, meta]);
  r.rows.push(unbondingRow(ctx, r, user, validator, meta, p, false));
}

function padMetas(ctx: MappingContext, metas: readonly UnbondMeta[], n: number): readonly UnbondMeta[] {
  if (metas.length === n) return metas;
  if (metas.length > n) return metas.slice(metas.length - n);
  const pad: UnbondMeta[] = [];
  for (let i = metas.length; i < n; i++) pad.push({ id: ctx.rowId(`unbond-unknown/${i}`), kind: 'cross', height: ctx.block.height, timeMs: ctx.block.time.getTime(), txHash: null });
  return [...pad, ...metas];
}

function saveStake(r: Run, user: string, validator: string, s: Stake): void {
  r.st.setStake(user, validator, s);
}

function loadStake(r: Run, user: string, validator: string): Stake {
  if (!r.st.hasStake(user, validator)) throw new DecodeError(`no stake of ${user} on ${validator} in the replica`);
  return r.st.stake(user, validator);
}

// ---- user actions (spec §1.4 execute table) ------------------------------------------------------

/** receive_virtual_stake (vault stake_remote): prepare_add, pending tx keyed by the vault tx id, stake packet. */
async function receiveVirtualStake(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const owner = requireAttr(ctx.event, 'owner');
  const amount = requireAmount(ctx.event, 'amount');
  const txId = requireAmount(ctx.event, 'tx_id');
  const sent = sentPacket(ctx, address);
  if (!sent) throw new DecodeError('receive_virtual_stake without its stake packet', ctx.event.type);
  const p = decodeSent(ctx, sent.data);
  if (!p) return;
  if (p.kind !== 'stake' || !('tx_id' in p.value) || p.value.tx_id !== txId) throw new DecodeError(`receive_virtual_stake tx ${txId}: the sent packet is not its stake packet`, ctx.event.type);
  const validator = p.value.validator;
  await run(ctx, address, (r) => {
    const s = r.st.stake(owner, validator);
    saveStake(r, owner, validator, { ...s, stake: prepareAdd(s.stake, amount) });
    const t: PendingTxRecord = { kind: 'in_flight_remote_staking', id: txId, amount, user: owner, validator, createdHeight: ctx.block.height, createdTimeMs: ctx.block.time.getTime(), createdTxHash: ctx.tx?.hash ?? null };
    r.st.setTx(t);
    r.st.setPacket(sent.channel, sent.sequence, { data: sent.data, height: ctx.block.height });
    r.rows.push(crossStakeRow(ctx, r, owner, validator), delegationRow(ctx, r, { user: owner, validator, kind: 'stake', amount, txId, status: 'pending' }), pendingTxRow(ctx, r, t, 'pending'));
  });
}

/** unstake: needs stake.l ≥ amount; prepare_sub; our next tx id (spec §4.9); unstake packet. */
async function unstake(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const owner = requireAttr(ctx.event, 'owner');
  const amount = requireAmount(ctx.event, 'amount');
  const sent = sentPacket(ctx, address);
  if (!sent) throw new DecodeError('unstake without its unstake packet', ctx.event.type);
  const p = decodeSent(ctx, sent.data);
  if (!p) return;
  if (p.kind !== 'unstake' || !('tx_id' in p.value)) throw new DecodeError('unstake: the sent packet is not an unstake packet', ctx.event.type);
  const { validator, tx_id: txId } = p.value;
  await run(ctx, address, (r) => {
    const s = r.st.stake(owner, validator);
    if (s.stake.l < amount) throw new DecodeError(`unstake of ${amount} but the replica has only ${s.stake.l} committed`);
    saveStake(r, owner, validator, { ...s, stake: prepareSub(s.stake, amount, 0n) });
    const expected = nextExternalStakingTxId(r.st.txCount());
    if (expected !== txId) throw new DecodeError(`unstake tx id ${txId}, the replica expected ${expected}`);
    r.st.setTxCount(txId);
    const t: PendingTxRecord = { kind: 'in_flight_remote_unstaking', id: txId, amount, user: owner, validator, createdHeight: ctx.block.height, createdTimeMs: ctx.block.time.getTime(), createdTxHash: ctx.tx?.hash ?? null };
    r.st.setTx(t);
    r.st.setPacket(sent.channel, sent.sequence, { data: sent.data, height: ctx.block.height });
    r.rows.push(crossStakeRow(ctx, r, owner, validator), delegationRow(ctx, r, { user: owner, validator, kind: 'unstake', amount, txId, status: 'pending' }), pendingTxRow(ctx, r, t, 'pending'));
  });
}

/** withdraw_unbonded: releases matured pending unbonds of all the user's validators (spec §4.7). */
async function withdrawUnbondedHandler(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const owner = requireAttr(ctx.event, 'owner');
  const amount = requireAmount(ctx.event, 'amount');
  await run(ctx, address, (r) => {
    const { total, changed } = withdrawUnbonded(r.st.userStakes(owner), ctx.block.timeNs);
    if (total !== amount) throw new DecodeError(`withdraw_unbonded released ${amount}, the replica has ${total} releasable`);
    for (const [v, s] of changed) {
      const before = r.st.stake(owner, v).pendingUnbonds;
      const n = before.length - s.pendingUnbonds.length;
      const metas = padMetas(ctx, r.st.unbonds(owner, v), before.length);
      for (let i = 0; i < n; i++) r.rows.push(unbondingRow(ctx, r, owner, v, metas[i]!, before[i]!, true));
      r.st.setUnbonds(owner, v, metas.slice(n));
      saveStake(r, owner, v, s);
    }
  });
}

/** withdraw_rewards: pending `in_flight_transfer_funds` with our next tx id; transfer_rewards packet. */
async function withdrawRewards(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const owner = requireAttr(ctx.event, 'owner');
  const validator = requireAttr(ctx.event, 'validator');
  const recipient = requireAttr(ctx.event, 'recipient');
  const amount = requireAmount(ctx.event, 'amount');
  const sent = sentPacket(ctx, address);
  if (!sent) throw new DecodeError('withdraw_rewards without its transfer_rewards packet', ctx.event.type);
  const p = decodeSent(ctx, sent.data);
  if (!p) return;
  if (p.kind !== 'transfer_rewards' || !('tx_id' in p.value)) throw new DecodeError('withdraw_rewards: the sent packet is not a transfer_rewards packet', ctx.event.type);
  const txId = p.value.tx_id;
  const denom = p.value.rewards.denom;
  await run(ctx, address, (r) => {
    const expected = nextExternalStakingTxId(r.st.txCount());
    if (expected !== txId) throw new DecodeError(`withdraw_rewards tx id ${txId}, the replica expected ${expected}`);
    r.st.setTxCount(txId);
    const t: PendingTxRecord = { kind: 'in_flight_transfer_funds', id: txId, amount, user: owner, validator, createdHeight: ctx.block.height, createdTimeMs: ctx.block.time.getTime(), createdTxHash: ctx.tx?.hash ?? null };
    r.st.setTx(t);
    r.st.setPacket(sent.channel, sent.sequence, { data: sent.data, height: ctx.block.height });
    r.rows.push(pendingTxRow(ctx, r, t, 'pending'), () =>
      ctx.out.insert('RewardEvent', {
        id: ctx.rowId('reward'),
        chainId: ctx.chainId,
        contract: address,
        kind: 'withdrawal',
        validator,
        staker: owner,
        recipient,
        amount,
        denom,
        txId,
        packetId: null,
        ...loc(ctx),
        msgIndex: ctx.msgIndex ?? null,
        eventIndex: ctx.event.index,
      }),
    );
  });
}

/** burn_virtual_stake (vault slash propagation, spec §4.3.4): distribute_burn over the high values (§4.3.5). */
async function burnVirtualStake(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const owner = requireAttr(ctx.event, 'owner');
  const validators = splitList(requireAttr(ctx.event, 'validators')); // joined with ", " (spec §1.0)
  const amount = requireCoin(ctx.event, 'amount').amount; // a Coin string here
  const sent = sentPacket(ctx, address);
  await run(ctx, address, (r) => {
    if (validators.length === 0) throw new DecodeError('burn_virtual_stake lists no validator');
    const { burned, burns } = distributeBurn(
      validators.map((v) => [v, r.st.stake(owner, v).stake.h] as const),
      amount,
    );
    if (burned < amount) throw new DecodeError(`burn_virtual_stake of ${amount}: the replica can burn only ${burned}`);
    for (const b of burns) {
      const s = loadStake(r, owner, b.validator);
      if (s.stake.l < b.amount) throw new DecodeError(`burn of ${b.amount} on ${b.validator} exceeds the committed stake ${s.stake.l}`);
      const w = weightRemoved({ ...s, stake: commitSub(prepareSub(s.stake, b.amount), b.amount) }, r.st.dist(b.validator), b.amount);
      saveStake(r, owner, b.validator, w.stake);
      r.st.setDist(b.validator, w.dist);
      r.rows.push(crossStakeRow(ctx, r, owner, b.validator), delegationRow(ctx, r, { user: owner, validator: b.validator, kind: 'burn', amount: b.amount, status: 'committed' }));
    }
    if (sent) r.st.setPacket(sent.channel, sent.sequence, { data: sent.data, height: ctx.block.height });
  });
}

// ---- acks and timeouts of our packets (spec §2.5) ---------------------------------------------------

/** The packet a settle event is about: the stored sent packet, else packet_type + tx_id of the event. */
function settledPacket(ctx: MappingContext, r: Run, ref: PacketRef | undefined): { kind: string; txId?: bigint } {
  const kind = requireAttr(ctx.event, 'packet_type');
  const txAttr = attr(ctx.event, 'tx_id');
  let txId = txAttr === undefined ? undefined : requireAmount(ctx.event, 'tx_id');
  if (ref) {
    const stored = r.st.packet(ref.channel, ref.sequence);
    if (stored) {
      r.st.deletePacket(ref.channel, ref.sequence);
      const p = decodeProviderPacketAnyEra(stored.data).packet;
      if (p.kind !== kind) throw new DecodeError(`ack says ${kind}, the sent packet was ${p.kind}`);
      if ('tx_id' in p.value) txId = p.value.tx_id;
    }
  }
  return { kind, txId };
}

function settle(ctx: MappingContext, r: Run, kind: string, txId: bigint | undefined, ok: boolean): void {
  if (kind === 'burn') return; // nothing to undo or commit (spec §7 item 13)
  if (txId === undefined) throw new DecodeError(`${kind} ack without tx_id`);
  const t = r.st.tx(txId);
  if (!t) throw new DecodeError(`${kind} ack of tx ${txId}: no such pending tx in the replica`);
  const want: Record<string, PendingTxKind> = { stake: 'in_flight_remote_staking', unstake: 'in_flight_remote_unstaking', transfer_rewards: 'in_flight_transfer_funds' };
  if (want[kind] !== t.kind) throw new DecodeError(`${kind} ack of tx ${txId}, which is ${t.kind}`);
  const { user, validator, amount } = t;
  const status = ok ? 'committed' : 'rolled_back';
  r.st.deleteTx(txId);
  r.rows.push(pendingTxRow(ctx, r, t, status));
  switch (t.kind) {
    case 'in_flight_remote_staking': {
      const s = loadStake(r, user, validator);
      if (ok) {
        const w = weightAdded({ ...s, stake: commitAddSaturating(s.stake, amount) }, r.st.dist(validator), amount);
        saveStake(r, user, validator, w.stake);
        r.st.setDist(validator, w.dist);
      } else saveStake(r, user, validator, { ...s, stake: rollbackAddSaturating(s.stake, amount) });
      r.rows.push(crossStakeRow(ctx, r, user, validator), delegationRow(ctx, r, { user, validator, kind: 'stake', amount, txId, status }));
      return;
    }
    case 'in_flight_remote_unstaking': {
      const s = loadStake(r, user, validator);
      if (ok) {
        const c = commitUnstake(s, r.st.dist(validator), amount, ctx.block.timeNs, r.cfg.unbondingPeriod, crdt.latestStatus(r.st.valset(validator)));
        saveStake(r, user, validator, c.stake);
        r.st.setDist(validator, c.dist);
        unbondAdded(ctx, r, user, validator, 'cross');
        r.rows.push(delegationRow(ctx, r, { user, validator, kind: 'unstake', amount: c.unbond.amount, txId, status }));
      } else {
        saveStake(r, user, validator, { ...s, stake: rollbackSubSaturating(s.stake, amount) });
        r.rows.push(delegationRow(ctx, r, { user, validator, kind: 'unstake', amount, txId, status }));
      }
      r.rows.push(crossStakeRow(ctx, r, user, validator));
      return;
    }
    case 'in_flight_transfer_funds': {
      if (ok) {
        saveStake(r, user, validator, commitWithdrawn(loadStake(r, user, validator), amount));
        r.rows.push(crossStakeRow(ctx, r, user, validator));
      }
      r.rows.push(() =>
        ctx.out.insert('RewardEvent', {
          id: ctx.rowId('reward'),
          chainId: ctx.chainId,
          contract: r.st.address,
          kind: ok ? 'withdrawal_committed' : 'withdrawal_rolled_back',
          validator,
          staker: user,
          recipient: null,
          amount,
          denom: r.cfg.rewardsDenom ?? null,
          txId,
          packetId: null,
          ...loc(ctx),
          msgIndex: ctx.msgIndex ?? null,
          eventIndex: ctx.event.index,
        }),
      );
    }
  }
}

/** `wasm` without action: the ack handler's Result/Error attributes (spec §1.0). */
async function ackEvent(ctx: MappingContext): Promise<void> {
  if (attr(ctx.event, 'packet_type') === undefined) return; // not an ack event
  const address = requireContractAddress(ctx.event);
  const ok = attr(ctx.event, 'success') === 'true';
  if (!ok && attr(ctx.event, 'error') === undefined) throw new DecodeError('ack event with neither success nor error', ctx.event.type);
  const ref = settledPacketRef(ctx, address, 'acknowledge_packet');
  await run(ctx, address, (r) => {
    const { kind, txId } = settledPacket(ctx, r, ref);
    settle(ctx, r, kind, txId, ok);
  });
}

async function timeoutEvent(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const ref = settledPacketRef(ctx, address, 'timeout_packet');
  await run(ctx, address, (r) => {
    const { kind, txId } = settledPacket(ctx, r, ref);
    settle(ctx, r, kind, txId, false);
  });
}

// ---- packets from the converter (spec §2.5 receiving side) ----------------------------------------

const STATUS_ROW: Record<crdt.ValidatorStatus, string> = { active: 'active', unbonded: 'unbonded', jailed: 'jailed', tombstoned: 'tombstoned', unknown: 'unknown' };

/** wasm-valset_update: CRDT (§4.8) and cross slashing (§4.3.2), in the contract's order. */
async function valsetUpdate(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const { packet, ok, connection } = receivedPacket(ctx, address);
  const consumerChain = connection === undefined ? undefined : counterpartyChainOf(ctx.replica, connection);
  const pairing = pairingId(ctx.chainId, address);
  if (!ok || !packet) return; // error ack: the contract rolled back; bad packet: dead-lettered
  if (packet.kind !== 'valset_update') {
    ctx.deadLetter('packet', `wasm-valset_update for a ${packet.kind} packet`);
    return;
  }
  const v = packet.value;
  await run(ctx, address, (r) => {
    const u = crdt.valsetUpdateOf(v);
    const before = new Map<string, crdt.ValidatorHistory | undefined>();
    const store: crdt.ValsetStore = {
      get: (x) => r.st.valset(x),
      set: (x, h) => {
        if (!before.has(x)) before.set(x, r.st.valset(x));
        r.st.setValset(x, h);
      },
    };
    const now = ctx.block.timeNs;
    const tombstoned = new Set(v.tombstoned);
    crdt.applyValsetUpdate(store, u, now / 1_000_000_000n, r.cfg.unbondingPeriod, (s) => {
      const nominal = decimal.decode(s.slashRatio, '$.slash_ratio');
      // The converter's half of this row has the id crossSlashId(consumer chain, validator, consumer
      // height), and the packet's `height` is that consumer height (spec §2.2).
      const slashId = consumerChain !== undefined ? crossSlashId(consumerChain, s.address, v.height) : crossSlashId(`${ctx.chainId}:${address}`, s.address, v.height);
      r.rows.push(() =>
        ctx.out.merge('Slash', {
          id: slashId,
          chainId: consumerChain ?? ctx.chainId,
          validator: s.address,
          kind: 'cross',
          pairingId: pairing,
          infractionHeight: Number(s.infractionHeight),
          ratio: nominal.toString(),
          tombstoned: tombstoned.has(s.address),
          consumerAmount: null,
          providerAmount: s.slashAmount.amount,
          providerChainId: ctx.chainId,
          providerHeight: ctx.block.height,
          providerTime: ctx.block.time,
          providerTxHash: ctx.tx?.hash ?? null,
          packetId: null,
          ...loc(ctx),
        }),
      );
      const res = handleSlashing({
        users: r.st.validatorStakes(s.address),
        dist: r.st.dist(s.address),
        slashAmount: s.slashAmount.amount,
        nominalRatio: nominal,
        infractionTimeSec: s.infractionTime,
        nowNs: now,
        unbondingPeriodSec: r.cfg.unbondingPeriod,
      });
      if (!res) return;
      for (const x of res.stakes) {
        const old = r.st.stake(x.user, s.address);
        saveStake(r, x.user, s.address, x.stake);
        r.rows.push(crossStakeRow(ctx, r, x.user, s.address));
        // Pending unbonds cut by the nominal ratio: their rows get the new amounts.
        const metas = padMetas(ctx, r.st.unbonds(x.user, s.address), x.stake.pendingUnbonds.length);
        x.stake.pendingUnbonds.forEach((p, i) => {
          if (p !== old.pendingUnbonds[i]) r.rows.push(unbondingRow(ctx, r, x.user, s.address, metas[i]!, p, false));
        });
      }
      r.st.setDist(s.address, res.dist);
      for (const x of res.slashes) r.rows.push(delegationRow(ctx, r, { user: x.user, validator: s.address, kind: 'slash', amount: x.slash, status: 'committed', suffix: `slash/${x.user}/${s.address}` }));
      // For the vault mapping: its cross_slash event comes later in this message.
      r.st.setPendingCrossSlash(s.address, res.slashes.map((x) => ({ user: x.user, slash: x.slash })), slashId);
    });
    for (const [valoper, old] of before) {
      const h = r.st.valset(valoper)!;
      const head = h[0];
      if (!head || (old?.[0] && old[0].state === head.state && old[0].startHeight === head.startHeight && old[0].pubKey === head.pubKey)) continue;
      r.rows.push(() =>
        ctx.out.insert('ValidatorState', {
          id: ctx.rowId(`crdt/${valoper}`),
          chainId: ctx.chainId,
          view: 'provider_crdt',
          pairingId: pairing,
          validator: valoper,
          state: STATUS_ROW[head.state],
          startHeight: Number(head.startHeight),
          startTime: new Date(Number(head.startTime) * 1000),
          ...loc(ctx),
        }),
      );
    }
  });
}

/** wasm-internal_unstake (zero max cap, §2.5): removed now, releasable now (§4.7). */
async function internalUnstakeEvent(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const delegator = requireAttr(ctx.event, 'delegator');
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireAmount(ctx.event, 'amount');
  const { packet, ok } = receivedPacket(ctx, address);
  if (!ok) return;
  if (packet && packet.kind !== 'internal_unstake') {
    ctx.deadLetter('packet', `wasm-internal_unstake for a ${packet.kind} packet`);
    return;
  }
  // The event's amount is the packet's inverted_amount capped at stake.h: the same input for the rule.
  const inverted = packet && 'inverted_amount' in packet.value ? packet.value.inverted_amount.amount : amount;
  await run(ctx, address, (r) => {
    const s = loadStake(r, delegator, validator);
    const u = internalUnstake(s, r.st.dist(validator), inverted, ctx.block.timeNs);
    if (u.amount !== amount) throw new DecodeError(`internal_unstake of ${amount}, the replica computes ${u.amount}`);
    saveStake(r, delegator, validator, u.stake);
    r.st.setDist(validator, u.dist);
    unbondAdded(ctx, r, delegator, validator, 'internal');
    r.rows.push(crossStakeRow(ctx, r, delegator, validator), delegationRow(ctx, r, { user: delegator, validator, kind: 'internal_unstake', amount, status: 'committed' }));
  });
}

/** wasm-distribute_rewards (one per validator of a distribute / distribute_batch packet, §4.6). */
async function distributeRewards(ctx: MappingContext): Promise<void> {
  const address = requireContractAddress(ctx.event);
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireAmount(ctx.event, 'amount');
  const { packet, ok } = receivedPacket(ctx, address);
  if (!ok) return;
  if (packet && packet.kind !== 'distribute' && packet.kind !== 'distribute_batch') {
    ctx.deadLetter('packet', `wasm-distribute_rewards for a ${packet.kind} packet`);
    return;
  }
  const denom = packet?.kind === 'distribute' ? packet.value.rewards.denom : packet?.kind === 'distribute_batch' ? packet.value.denom : null;
  await run(ctx, address, (r) => {
    r.st.setDist(validator, distribute(r.st.dist(validator), amount));
    r.rows.push(() =>
      ctx.out.insert('RewardEvent', {
        id: ctx.rowId('reward'),
        chainId: ctx.chainId,
        contract: address,
        kind: 'distribution',
        validator,
        staker: null,
        recipient: null,
        amount,
        denom,
        txId: null,
        packetId: null,
        ...loc(ctx),
        msgIndex: ctx.msgIndex ?? null,
        eventIndex: ctx.event.index,
      }),
    );
  });
}

// ---- channel (IBC events: no contract event carries them) ---------------------------------------

function contractOfPortEvent(ctx: MappingContext): string | undefined {
  const port = attr(ctx.event, 'port_id');
  if (!port?.startsWith('wasm.')) return undefined;
  const address = port.slice('wasm.'.length);
  return ctx.contracts.kindOf(address) === 'external_staking' ? address : undefined;
}

/** channel_open_confirm on our port: the contract stores the channel (spec §2.1). */
function channelOpenConfirm(ctx: MappingContext): void {
  const address = contractOfPortEvent(ctx);
  if (!address) return;
  new ExternalStakingState(ctx.replica, address).setChannel({ portId: portOf(address), channelId: requireAttr(ctx.event, 'channel_id') });
}

/** channel_close_init on our port: every stake's low value becomes releasable now (spec §2.1, §4.7). */
async function channelCloseInit(ctx: MappingContext): Promise<void> {
  const address = contractOfPortEvent(ctx);
  if (!address) return;
  await run(ctx, address, (r) => {
    for (const [user, validator, s] of r.st.allStakes()) {
      const c = closeChannelUnbond(s, r.st.dist(validator), ctx.block.timeNs);
      saveStake(r, user, validator, c.stake);
      r.st.setDist(validator, c.dist);
      unbondAdded(ctx, r, user, validator, 'channel_close');
      r.rows.push(crossStakeRow(ctx, r, user, validator), delegationRow(ctx, r, { user, validator, kind: 'channel_close', amount: c.amount, status: 'committed' }));
    }
  });
}

export const externalStakingMapping: Mapping = {
  source: 'external_staking',
  handlers: {
    instantiate: onInstantiate,
    'wasm:receive_virtual_stake': receiveVirtualStake,
    'wasm:unstake': unstake,
    'wasm:withdraw_unbonded': withdrawUnbondedHandler,
    'wasm:withdraw_rewards': withdrawRewards,
    'wasm:burn_virtual_stake': burnVirtualStake,
    'wasm:ibc_packet_timeout': timeoutEvent,
    // Ack attributes carry no `action`: the router falls back to the event type.
    wasm: ackEvent,
    'wasm-valset_update': valsetUpdate,
    'wasm-internal_unstake': internalUnstakeEvent,
    'wasm-distribute_rewards': distributeRewards,
  },
};

/** The channel events of external-staking ports (the router runs them after the IBC mapping's). */
export const externalStakingChannelHandlers = { channel_open_confirm: channelOpenConfirm, channel_close_init: channelCloseInit };
export const externalStakingIbcMapping: Mapping = { source: 'ibc', handlers: externalStakingChannelHandlers };
