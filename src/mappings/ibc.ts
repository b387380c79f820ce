// IBC on both chains (spec §2, cosmos-wire §5): one IbcPacket row per packet, merged from the halves
// each chain sees — send (`send_packet`), receive (`recv_packet` + `write_acknowledgement`),
// acknowledgement (`acknowledge_packet`) or timeout (`timeout_packet`) — channel handshakes
// (Channel rows) and the pairings they open (a provider external-staking port ↔ a consumer converter
// port). The packet outcome is read from the ack bytes, never from `ibc_packet_received` (spec §0.2
// version caveat). Packet JSON is decoded with the any-era codecs (spec §2.7).
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { DecodeError, attr, requireAttr } from '../indexer/decode/attributes.ts';
import type { MergeFn } from '../indexer/store/buffer.ts';
import type { ChainEvent, ContractKind } from '../indexer/types.ts';
import type { IbcPacket, Pairing } from '../db/generated/entities.ts';
import { decodeAck } from '../protocol/codec/acks.ts';
import { decodeConsumerPacketAnyEra, decodeProviderPacketAnyEra } from '../protocol/codec/packets.ts';
import type { Mapping, MappingContext } from './context.ts';
import { DecodeMemo } from './decode-memo.ts';
import type { Replica } from './replica.ts';
import { applyCloseChannel, converterConfig } from './virtual-staking.ts';

export const CONNECTION_NS = 'ibc:connection';
export const CHANNEL_NS = 'ibc:channel';

const MSG_UPDATE_CLIENT = '/ibc.core.client.v1.MsgUpdateClient';

// ---------------------------------------------------------------- ids and lookups

export const packetId = (sourceChain: string, port: string, channel: string, sequence: bigint | string): string => `${sourceChain}/${port}/${channel}/${sequence}`;
export const pairingId = (providerChain: string, externalStaking: string): string => `${providerChain}/${externalStaking}`;
export const contractOfPort = (port: string): string | undefined => (port.startsWith('wasm.') ? port.slice(5) : undefined);

/** A channel end as this chain knows it (from its handshake events). */
export interface KnownChannel {
  portId: string;
  channelId: string;
  counterpartyPortId: string;
  counterpartyChannelId: string;
  connectionId: string;
  version: string | null;
  state: 'INIT' | 'TRYOPEN' | 'OPEN' | 'CLOSED';
  openedHeight: number | null;
  closedHeight: number | null;
}

export const knownChannel = (replica: Replica, port: string, channel: string): KnownChannel | undefined => replica.get<KnownChannel>(CHANNEL_NS, `${port}/${channel}`);
export const counterpartyChainOf = (replica: Replica, connectionId: string): string | undefined => replica.get<string>(CONNECTION_NS, connectionId);

/** The chain ids this tx's MsgUpdateClient headers name (a relayer tx starts with one). */
function updateClientChains(ctx: MappingContext): string[] {
  const out = new Set<string>();
  for (const m of ctx.tx?.msgs ?? []) {
    if (m.typeUrl !== MSG_UPDATE_CLIENT) continue;
    const cm = m.value?.clientMessage as { typeUrl?: string; value?: Uint8Array } | undefined;
    if (!cm?.value || !cm.typeUrl?.endsWith('tendermint.v1.Header')) continue;
    try {
      const id = Header.decode(cm.value).signedHeader?.header?.chainId;
      if (id) out.add(id);
    } catch {
      /* not a tendermint header: nothing learned */
    }
  }
  return [...out];
}

/**
 * Learns which chain a connection leads to from the relayer tx's client update (one counterparty per
 * tx), and fills in what waited for it: the Channel rows and Pairing halves of that connection.
 */
function learnConnection(ctx: MappingContext, connectionId: string | undefined): void {
  if (!connectionId || counterpartyChainOf(ctx.replica, connectionId) !== undefined) return;
  const chains = updateClientChains(ctx);
  if (chains.length !== 1) return;
  ctx.replica.set(CONNECTION_NS, connectionId, chains[0]!);
  for (const [, ch] of ctx.replica.entries<KnownChannel>(CHANNEL_NS)) {
    if (ch.connectionId !== connectionId) continue;
    emitChannel(ctx, ch);
    emitPairingHalf(ctx, ch);
  }
}

// ---------------------------------------------------------------- packet payloads

type Direction = 'provider' | 'consumer';

/** Which packet enum a port speaks, from the kind of the contract behind it on this chain. */
function directionOf(ctx: MappingContext, port: string, side: 'source' | 'dest'): Direction | undefined {
  const c = contractOfPort(port);
  const kind: ContractKind | undefined = c === undefined ? undefined : ctx.contracts.kindOf(c);
  if (kind === 'external_staking') return side === 'source' ? 'provider' : 'consumer';
  if (kind === 'converter') return side === 'source' ? 'consumer' : 'provider';
  return undefined;
}

export interface DecodedPayload {
  kind: string;
  payload: unknown | null;
  era: string | null;
  error?: string;
}

const payloads = new DecodeMemo<DecodedPayload>();

/** Decodes packet bytes of a mesh control channel; anything else (or bad JSON) is kind `unknown`. */
export function decodePacketData(data: Uint8Array, direction: Direction | undefined): DecodedPayload {
  if (direction === undefined) return { kind: 'unknown', payload: null, era: null };
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  return payloads.get(`${direction}\n${text}`, () => decodePayloadText(text, direction));
}

function decodePayloadText(text: string, direction: Direction): DecodedPayload {
  try {
    const d = direction === 'provider' ? decodeProviderPacketAnyEra(text) : decodeConsumerPacketAnyEra(text);
    return { kind: d.packet.kind, payload: JSON.parse(text) as unknown, era: d.era };
  } catch (e) {
    return { kind: 'unknown', payload: null, era: null, error: e instanceof Error ? e.message : String(e) };
  }
}

function hexBytes(e: ChainEvent, key: string): Uint8Array {
  const h = requireAttr(e, key);
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new DecodeError(`${e.type}.${key} is not hex`, e.type, key);
  return new Uint8Array(Buffer.from(h, 'hex'));
}

function u64Attr(e: ChainEvent, key: string): bigint {
  const v = requireAttr(e, key);
  if (!/^\d+$/.test(v)) throw new DecodeError(`${e.type}.${key} is not an unsigned integer: "${v}"`, e.type, key);
  return BigInt(v);
}

/** The packet of the relayer message (MsgAcknowledgement, MsgTimeout and MsgTimeoutOnClose carry it whole). */
function msgPacketData(ctx: MappingContext): Uint8Array | undefined {
  const p = ctx.msg?.value?.packet as { data?: Uint8Array } | undefined;
  return p?.data instanceof Uint8Array ? p.data : undefined;
}

interface PacketRef {
  sequence: bigint;
  srcPort: string;
  srcChannel: string;
  dstPort: string;
  dstChannel: string;
  timeoutTimestamp: bigint | null;
  connectionId: string | undefined;
}

function packetRef(e: ChainEvent): PacketRef {
  const ts = attr(e, 'packet_timeout_timestamp');
  return {
    sequence: u64Attr(e, 'packet_sequence'),
    srcPort: requireAttr(e, 'packet_src_port'),
    srcChannel: requireAttr(e, 'packet_src_channel'),
    dstPort: requireAttr(e, 'packet_dst_port'),
    dstChannel: requireAttr(e, 'packet_dst_channel'),
    timeoutTimestamp: ts !== undefined && /^\d+$/.test(ts) ? BigInt(ts) : null,
    connectionId: attr(e, 'connection_id') ?? attr(e, 'packet_connection'),
  };
}

/** An IbcPacket half with every column this half does not know left null. */
export function packetHalf(base: Pick<IbcPacket, 'id' | 'sourceChainId' | 'sourcePort' | 'sourceChannel' | 'sequence' | 'kind' | 'outcome'> & Partial<IbcPacket>): IbcPacket {
  return {
    pairingId: null,
    destChainId: null,
    destPort: null,
    destChannel: null,
    payload: null,
    era: null,
    timeoutTimestamp: null,
    sendHeight: null,
    sendTime: null,
    sendTxHash: null,
    recvHeight: null,
    recvTime: null,
    recvTxHash: null,
    recvSuccess: null,
    ack: null,
    ackError: null,
    ackHeight: null,
    ackTime: null,
    ackTxHash: null,
    timeoutHeight: null,
    timeoutTime: null,
    timeoutTxHash: null,
    latencyMs: null,
    ...base,
  };
}

/** Pairing of a channel end on this chain, when the pairing's both chains are known. */
function pairingOfChannel(ctx: MappingContext, port: string, counterpartyPort: string, connectionId: string | undefined): string | null {
  const here = contractOfPort(port);
  const there = contractOfPort(counterpartyPort);
  if (here === undefined || there === undefined) return null;
  const kind = ctx.contracts.kindOf(here);
  if (kind === 'external_staking') return pairingId(ctx.chainId, here);
  if (kind === 'converter') {
    const provider = connectionId === undefined ? undefined : counterpartyChainOf(ctx.replica, connectionId);
    return provider === undefined ? null : pairingId(provider, there);
  }
  return null;
}

// ---------------------------------------------------------------- packet outcome merge

/** Rank of an outcome: later states win; `error` (an error ack, seen on either chain) and `timed_out` are final. */
const OUTCOME_RANK: Record<string, number> = { pending: 0, received: 1, acknowledged: 2, error: 3, timed_out: 4 };

/**
 * MergeFn of IbcPacket (register it for 'IbcPacket' in the WriteBuffer merge rules). Columns: each
 * non-null value wins (the halves fill disjoint columns; shared ones — ids, payload — agree);
 * `kind` prefers a decoded kind over `unknown`; `outcome` is the highest-ranked state (pending <
 * received < acknowledged < error < timed_out); `latencyMs` is recomputed from the merged
 * send and ack/timeout times. Commutative, associative and idempotent.
 */
export const ibcPacketMerge: MergeFn<'IbcPacket'> = (stored, incoming) => {
  const out = { ...stored } as Record<string, unknown>;
  for (const [k, v] of Object.entries(incoming)) if (v != null && out[k] == null) out[k] = v;
  // deterministic choice where both halves set a column: the larger value (string order)
  for (const [k, v] of Object.entries(incoming)) {
    const s = out[k];
    if (v == null || s == null || k === 'kind' || k === 'outcome' || k === 'latencyMs') continue;
    if (typeof v === 'string' && typeof s === 'string' && v > s) out[k] = v;
  }
  const r = out as unknown as IbcPacket;
  r.kind = stored.kind !== 'unknown' ? stored.kind : incoming.kind;
  if (stored.kind !== 'unknown' && incoming.kind !== 'unknown' && incoming.kind > stored.kind) r.kind = incoming.kind;
  r.outcome = (OUTCOME_RANK[incoming.outcome] ?? 0) > (OUTCOME_RANK[stored.outcome] ?? 0) ? incoming.outcome : stored.outcome;
  const end = r.ackTime ?? r.timeoutTime;
  r.latencyMs = r.sendTime && end ? Math.max(0, end.getTime() - r.sendTime.getTime()) : null;
  return r;
};

const PAIRING_STATE_RANK: Record<string, number> = { pending: 0, open: 1, closed: 2 };

/** MergeFn of Pairing: non-null columns win, `state` by rank (pending < open < closed). */
export const pairingMerge: MergeFn<'Pairing'> = (stored, incoming) => {
  const out = { ...stored } as Record<string, unknown>;
  for (const [k, v] of Object.entries(incoming)) if (v != null) out[k] = v;
  const r = out as unknown as Pairing;
  r.state = (PAIRING_STATE_RANK[incoming.state] ?? 0) > (PAIRING_STATE_RANK[stored.state] ?? 0) ? incoming.state : stored.state;
  return r;
};

// ---------------------------------------------------------------- packet handlers

function payloadOrDeadLetter(ctx: MappingContext, data: Uint8Array, dir: Direction | undefined, deadLetter: boolean): DecodedPayload {
  const d = decodePacketData(data, dir);
  if (d.error !== undefined && deadLetter) ctx.deadLetter('packet', `packet data does not decode: ${d.error}`, Buffer.from(data).toString('utf8'));
  return d;
}

/** `send_packet`: the send half (source = this chain). */
function sendPacket(ctx: MappingContext): void {
  const p = packetRef(ctx.event);
  const d = payloadOrDeadLetter(ctx, hexBytes(ctx.event, 'packet_data_hex'), directionOf(ctx, p.srcPort, 'source'), true);
  ctx.out.merge('IbcPacket', sourceHalf(ctx, p, d, 'pending', { sendHeight: ctx.block.height, sendTime: ctx.block.time, sendTxHash: ctx.tx?.hash ?? null }));
}

export interface AckInfo {
  ack: string;
  success: boolean | undefined;
  error: string | null;
}

/** Ack bytes → text, success and error (spec §2.3); undecodable acks are dead-lettered. */
function readAck(ctx: MappingContext, bytes: Uint8Array): AckInfo {
  const text = Buffer.from(bytes).toString('utf8');
  try {
    const a = decodeAck(text);
    return a.kind === 'result' ? { ack: text, success: true, error: null } : { ack: text, success: false, error: a.value };
  } catch (e) {
    ctx.deadLetter('ack', `acknowledgement does not decode: ${e instanceof Error ? e.message : String(e)}`, text);
    return { ack: text, success: undefined, error: null };
  }
}

/** `recv_packet` (+ the `write_acknowledgement` of the same message): the receive half. */
function recvPacket(ctx: MappingContext): void {
  const p = packetRef(ctx.event);
  const data = hexBytes(ctx.event, 'packet_data_hex');
  const ch = knownChannel(ctx.replica, p.dstPort, p.dstChannel);
  const conn = p.connectionId ?? ch?.connectionId;
  learnConnection(ctx, conn);
  const source = conn === undefined ? undefined : counterpartyChainOf(ctx.replica, conn);
  if (source === undefined) throw new DecodeError(`recv_packet: the chain behind connection ${conn ?? '?'} is not known (no client update seen)`);
  const wa = ctx.siblings.find(
    (e, i) => i > ctx.position && e.type === 'write_acknowledgement' && attr(e, 'packet_sequence') === String(p.sequence) && attr(e, 'packet_dst_channel') === p.dstChannel && attr(e, 'packet_dst_port') === p.dstPort,
  );
  const ack = wa === undefined ? undefined : readAck(ctx, hexBytes(wa, 'packet_ack_hex'));
  const d = payloadOrDeadLetter(ctx, data, directionOf(ctx, p.dstPort, 'dest'), true);
  ctx.out.merge(
    'IbcPacket',
    packetHalf({
      id: packetId(source, p.srcPort, p.srcChannel, p.sequence),
      sourceChainId: source,
      sourcePort: p.srcPort,
      sourceChannel: p.srcChannel,
      sequence: p.sequence,
      destChainId: ctx.chainId,
      destPort: p.dstPort,
      destChannel: p.dstChannel,
      pairingId: pairingOfChannel(ctx, p.dstPort, p.srcPort, conn),
      kind: d.kind,
      payload: d.payload,
      era: d.era,
      timeoutTimestamp: p.timeoutTimestamp,
      recvHeight: ctx.block.height,
      recvTime: ctx.block.time,
      recvTxHash: ctx.tx?.hash ?? null,
      recvSuccess: ack?.success ?? null,
      ack: ack?.ack ?? null,
      ackError: ack?.error ?? null,
      outcome: ack?.success === false ? 'error' : 'received',
    }),
  );
}

/** The payload an ack or timeout message carries (`packet.data` of MsgAcknowledgement, MsgTimeout, MsgTimeoutOnClose). */
function msgPayload(ctx: MappingContext, p: PacketRef): DecodedPayload {
  const data = msgPacketData(ctx);
  return data === undefined ? { kind: 'unknown', payload: null, era: null } : decodePacketData(data, directionOf(ctx, p.srcPort, 'source'));
}

/** The source chain's half of a packet row: its send, or its ack or timeout. */
function sourceHalf(ctx: MappingContext, p: PacketRef, d: DecodedPayload, outcome: string, extra: Partial<IbcPacket>): IbcPacket {
  const conn = p.connectionId ?? knownChannel(ctx.replica, p.srcPort, p.srcChannel)?.connectionId;
  return packetHalf({
    id: packetId(ctx.chainId, p.srcPort, p.srcChannel, p.sequence),
    sourceChainId: ctx.chainId,
    sourcePort: p.srcPort,
    sourceChannel: p.srcChannel,
    sequence: p.sequence,
    destChainId: conn === undefined ? null : counterpartyChainOf(ctx.replica, conn) ?? null,
    destPort: p.dstPort,
    destChannel: p.dstChannel,
    pairingId: pairingOfChannel(ctx, p.srcPort, p.dstPort, conn),
    kind: d.kind,
    payload: d.payload,
    era: d.era,
    timeoutTimestamp: p.timeoutTimestamp,
    outcome,
    ...extra,
  });
}

/** `acknowledge_packet` on the source chain: the ack bytes come from MsgAcknowledgement. */
function acknowledgePacket(ctx: MappingContext): void {
  const p = packetRef(ctx.event);
  const raw = ctx.msg?.value?.acknowledgement;
  const ack = raw instanceof Uint8Array ? readAck(ctx, raw) : undefined;
  const where = { ackHeight: ctx.block.height, ackTime: ctx.block.time, ackTxHash: ctx.tx?.hash ?? null };
  learnConnection(ctx, p.connectionId);
  ctx.out.merge('IbcPacket', sourceHalf(ctx, p, msgPayload(ctx, p), ack?.success === false ? 'error' : 'acknowledged', { ack: ack?.ack ?? null, ackError: ack?.error ?? null, ...where }));
}

/** `timeout_packet` on the source chain. */
function timeoutPacket(ctx: MappingContext): void {
  const p = packetRef(ctx.event);
  learnConnection(ctx, p.connectionId);
  ctx.out.merge('IbcPacket', sourceHalf(ctx, p, msgPayload(ctx, p), 'timed_out', { timeoutHeight: ctx.block.height, timeoutTime: ctx.block.time, timeoutTxHash: ctx.tx?.hash ?? null }));
}

// ---------------------------------------------------------------- channels and pairings

function emitChannel(ctx: MappingContext, ch: KnownChannel): void {
  ctx.out.upsert('Channel', {
    chainId: ctx.chainId,
    portId: ch.portId,
    channelId: ch.channelId,
    counterpartyChainId: counterpartyChainOf(ctx.replica, ch.connectionId) ?? null,
    counterpartyPortId: ch.counterpartyPortId || null,
    counterpartyChannelId: ch.counterpartyChannelId || null,
    connectionId: ch.connectionId || null,
    version: ch.version,
    state: ch.state,
    openedHeight: ch.openedHeight,
    closedHeight: ch.closedHeight,
  });
}

/** This chain's half of a pairing, once the chain on the other end of the connection is known. */
function emitPairingHalf(ctx: MappingContext, ch: KnownChannel): void {
  const here = contractOfPort(ch.portId);
  const there = contractOfPort(ch.counterpartyPortId);
  const other = counterpartyChainOf(ctx.replica, ch.connectionId);
  if (here === undefined || there === undefined || other === undefined) return;
  const kind = ctx.contracts.kindOf(here);
  const state = ch.state === 'CLOSED' ? 'closed' : ch.state === 'OPEN' ? 'open' : 'pending';
  const base = {
    converter: null,
    virtualStaking: null,
    priceFeed: null,
    providerChannel: null,
    consumerChannel: null,
    providerConnection: null,
    consumerConnection: null,
    discount: null,
    remoteDenom: null,
    rewardsDenom: null,
    unbondingPeriodSeconds: null,
    state,
  };
  if (kind === 'external_staking') {
    ctx.out.merge('Pairing', { ...base, id: pairingId(ctx.chainId, here), providerChainId: ctx.chainId, consumerChainId: other, externalStaking: here, converter: there, providerChannel: ch.channelId || null, providerConnection: ch.connectionId || null });
  } else if (kind === 'converter') {
    const cfg = ctx.replica.get<{ virtualStaking: string; priceFeed: string }>('converter:config', here);
    ctx.out.merge('Pairing', {
      ...base,
      id: pairingId(other, there),
      providerChainId: other,
      consumerChainId: ctx.chainId,
      externalStaking: there,
      converter: here,
      virtualStaking: cfg?.virtualStaking ?? null,
      priceFeed: cfg?.priceFeed || null,
      consumerChannel: ch.channelId || null,
      consumerConnection: ch.connectionId || null,
    });
  }
}

const STATE_OF: Record<string, KnownChannel['state']> = {
  channel_open_init: 'INIT',
  channel_open_try: 'TRYOPEN',
  channel_open_ack: 'OPEN',
  channel_open_confirm: 'OPEN',
  channel_close_init: 'CLOSED',
  channel_close_confirm: 'CLOSED',
};

async function channelEvent(ctx: MappingContext): Promise<void> {
  const e = ctx.event;
  const portId = requireAttr(e, 'port_id');
  const channelId = requireAttr(e, 'channel_id');
  const state = STATE_OF[e.type]!;
  const prev = knownChannel(ctx.replica, portId, channelId);
  const ch: KnownChannel = {
    portId,
    channelId,
    counterpartyPortId: attr(e, 'counterparty_port_id') || prev?.counterpartyPortId || '',
    counterpartyChannelId: attr(e, 'counterparty_channel_id') || prev?.counterpartyChannelId || '',
    connectionId: attr(e, 'connection_id') || prev?.connectionId || '',
    version: attr(e, 'version') ?? prev?.version ?? null,
    state,
    openedHeight: state === 'OPEN' ? prev?.openedHeight ?? ctx.block.height : prev?.openedHeight ?? null,
    closedHeight: state === 'CLOSED' ? ctx.block.height : prev?.closedHeight ?? null,
  };
  // A converter's pairing half names its virtual staking and price feed (converter `config{}`).
  const here = contractOfPort(portId);
  if (here !== undefined && ctx.contracts.kindOf(here) === 'converter') {
    const cfg = await converterConfig(ctx, here);
    // any close: the converter calls virtual-staking `handle_close_channel` (spec §2.1)
    if (state === 'CLOSED') applyCloseChannel(ctx.replica, cfg.virtualStaking);
  }
  learnConnection(ctx, ch.connectionId);
  ctx.replica.set<KnownChannel>(CHANNEL_NS, `${portId}/${channelId}`, ch);
  emitChannel(ctx, ch);
  emitPairingHalf(ctx, ch);
}

function writeAcknowledgement(ctx: MappingContext): void {
  // read with its recv_packet; an ack written later (async) would need its own half — not used by mesh contracts
  requireAttr(ctx.event, 'packet_ack_hex');
}

export const ibcMapping: Mapping = {
  source: 'ibc',
  handlers: {
    send_packet: sendPacket,
    recv_packet: recvPacket,
    write_acknowledgement: writeAcknowledgement,
    acknowledge_packet: acknowledgePacket,
    timeout_packet: timeoutPacket,
    channel_open_init: channelEvent,
    channel_open_try: channelEvent,
    channel_open_ack: channelEvent,
    channel_open_confirm: channelEvent,
    channel_close_init: channelEvent,
    channel_close_confirm: channelEvent,
  },
};

/** The packet id of the packet received in this message (for rows a receiving contract emits). */
export function receivedPacketId(ctx: MappingContext): string | null {
  const e = ctx.siblings.find((x) => x.type === 'recv_packet');
  if (!e) return null;
  const conn = attr(e, 'connection_id') ?? attr(e, 'packet_connection');
  const dstPort = attr(e, 'packet_dst_port');
  const dstChannel = attr(e, 'packet_dst_channel');
  const ch = dstPort && dstChannel ? knownChannel(ctx.replica, dstPort, dstChannel) : undefined;
  const c = conn ?? ch?.connectionId;
  const source = c === undefined ? undefined : counterpartyChainOf(ctx.replica, c) ?? (updateClientChains(ctx).length === 1 ? updateClientChains(ctx)[0] : undefined);
  const seq = attr(e, 'packet_sequence');
  const sp = attr(e, 'packet_src_port');
  const sc = attr(e, 'packet_src_channel');
  return source && seq && sp && sc ? packetId(source, sp, sc, seq) : null;
}

/** The id of the first packet this message sends from `port` after `from` (for rows a sending contract emits). */
export function sentPacketId(ctx: MappingContext, port: string, from = ctx.position): string | null {
  const e = ctx.siblings.find((x, i) => i > from && x.type === 'send_packet' && attr(x, 'packet_src_port') === port);
  if (!e) return null;
  return packetId(ctx.chainId, port, attr(e, 'packet_src_channel') ?? '', attr(e, 'packet_sequence') ?? '');
}

/** The send_packet event this message sends from `port` after `from`. */
export function sentPacket(ctx: MappingContext, port: string, from = ctx.position): ChainEvent | undefined {
  return ctx.siblings.find((x, i) => i > from && x.type === 'send_packet' && attr(x, 'packet_src_port') === port);
}

/** Whether the recv in this message was acknowledged with success (the receiving contract's state stands). */
export function recvSucceeded(ctx: MappingContext): boolean {
  const wa = ctx.siblings.find((e) => e.type === 'write_acknowledgement');
  if (!wa) return true; // no ack written in this message: not an IBC receive
  const hex = attr(wa, 'packet_ack_hex');
  if (hex === undefined) return false;
  try {
    return decodeAck(Buffer.from(hex, 'hex').toString('utf8')).kind === 'result';
  } catch {
    return false;
  }
}
