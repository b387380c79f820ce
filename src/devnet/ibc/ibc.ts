// ibc-go core (04-channel) with wasmd's contract callbacks, as one chain sees it: channel
// handshake, packet send/receive/ack/timeout and close, with the events of cosmos-wire §5 and the
// receive semantics of §4.3 (a contract error becomes an error ack and rolls back its state).
import type { Chain } from '../chain/chain.ts';
import type { ChannelCloseMsg, ChannelConnectMsg, ChannelOpenMsg, IbcChannel, IbcPacket } from '../chain/contract.ts';
import { errorCode } from '../chain/chain.ts';
import { ContractPanic } from '../../protocol/uint.ts';
import { ContractError, type CosmosMsg, type Event, ModuleError, attr, event } from '../chain/types.ts';
import { JMap, type Journal, key, splitKey, u64Key } from '../state/journal.ts';
import { utf8Bytes } from '../chain/utf8.ts';
import { LightClients } from './light-clients.ts';
import { type Height, commitPacket, goBytes, heightGte, heightOf, isZeroHeight, sameBytes, sameCommitment } from './commitment.ts';
import { callbackFailed, channelCallback, channelCapabilityNotFound, channelNotFound, connectionNotFound, goTime, invalidChannelState, invalidPacket, invalidProof, packetTimeout, routeNotFound, wrapHandshake, wrapVerification, wrapped } from './errors.ts';

export type ChannelState = 'STATE_INIT' | 'STATE_TRYOPEN' | 'STATE_OPEN' | 'STATE_CLOSED';
export const UNORDERED = 'ORDER_UNORDERED';

export interface ChannelEnd {
  portId: string;
  channelId: string;
  state: ChannelState;
  ordering: 'ORDER_UNORDERED' | 'ORDER_ORDERED';
  counterpartyPortId: string;
  counterpartyChannelId: string;
  connectionId: string;
  version: string;
}

export interface Connection {
  connectionId: string;
  clientId: string;
  counterpartyChainId: string;
  counterpartyConnectionId: string;
  counterpartyClientId: string;
  /** The light client's view of the counterparty: the devnet reads it directly instead of verifying proofs. */
  counterparty: () => Chain;
}

/** A packet's channel end on its source, the connection under it and the destination chain. */
interface SentOn {
  ch: ChannelEnd;
  conn: Connection;
  dest: Chain;
}

export interface Packet {
  sequence: bigint;
  sourcePort: string;
  sourceChannel: string;
  destinationPort: string;
  destinationChannel: string;
  data: Uint8Array;
  timeoutHeight: { revisionNumber: bigint; revisionHeight: bigint };
  timeoutTimestamp: bigint;
}

/** ibc-go behaviour differences the devnet reproduces (cosmos-wire §5.1, §5.4). */
export type IbcGoVersion = 'v7' | 'v8';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
export const portOf = (contract: string): string => `wasm.${contract}`;
/** Where the source keeps a packet's commitment (store key by source port, channel, sequence). */
export const sentKey = (p: Packet): string => key(p.sourcePort, p.sourceChannel, u64Key(p.sequence));
/** Where the destination keeps a packet's receipt and ack (by destination port, channel, sequence). */
export const receivedKey = (p: Packet): string => key(p.destinationPort, p.destinationChannel, u64Key(p.sequence));
export const contractOfPort = (port: string): string | undefined => (port.startsWith('wasm.') ? port.slice(5) : undefined);

/** The error ack ibc-go writes for a failed application callback (ibc-go v7/v8 wording). */
export const abciErrorAck = (code: number): string => JSON.stringify({ error: `ABCI code: ${code}: error handling packet: see events for details` });

export class Ibc {
  readonly channels: JMap<ChannelEnd>;
  readonly connections = new Map<string, Connection>();
  readonly commitments: JMap<Packet>;
  /** Packet receipts, with the packet's timeout timestamp (0: none), for `forgetSettled`. */
  readonly receipts: JMap<bigint>;
  readonly acks: JMap<Uint8Array>;
  private readonly counters: JMap<bigint>;
  /** The light clients of the counterparties (MsgUpdateClient). */
  readonly clients: LightClients;

  constructor(
    private readonly chain: Chain,
    journal: Journal,
    readonly version: IbcGoVersion,
  ) {
    this.channels = new JMap(journal);
    this.commitments = new JMap(journal);
    this.receipts = new JMap(journal);
    this.acks = new JMap(journal);
    this.counters = new JMap(journal);
    this.clients = new LightClients(journal);
    chain.modules.set('ibc', this);
    chain.customMsgHandlers.set('ibc:ibc_send_packet', (_c, sender, msg) => this.sendPacketFromContract(sender, msg as Extract<CosmosMsg, { kind: 'ibc_send_packet' }>));
    chain.customMsgHandlers.set('ibc:ibc_close_channel', (_c, sender, msg) => {
      const m = msg as Extract<CosmosMsg, { kind: 'ibc_close_channel' }>;
      return this.closeInit(portOf(sender), m.channelId).filter((e) => e.type !== 'message');
    });
  }

  private next(counter: string): bigint {
    const n = this.counters.get(counter) ?? 0n;
    this.counters.set(counter, n + 1n);
    return n;
  }

  /** Genesis: an open connection to another chain (client + connection handshake done). */
  addConnection(c: Connection): void {
    const cp = c.counterparty();
    this.clients.create(c.clientId, c.counterpartyChainId, { height: cp.height, time: cp.time }, cp.staking.unbondingTimeSec);
    this.connections.set(c.connectionId, c);
  }

  /** The light client under a connection. */
  clientOf(connectionId: string): string {
    const conn = this.connections.get(connectionId);
    if (!conn) throw connectionNotFound(connectionId);
    return conn.clientId;
  }

  /** The light client under a channel end's connection. */
  clientOfEnd(portId: string, channelId: string): string {
    return this.clientOf(this.channel(portId, channelId).connectionId);
  }

  newConnectionId(): { connectionId: string; clientId: string } {
    const n = this.connections.size;
    return { connectionId: `connection-${n}`, clientId: `07-tendermint-${n}` };
  }

  channel(portId: string, channelId: string): ChannelEnd {
    const c = this.channels.get(key(portId, channelId));
    if (!c) throw channelNotFound(portId, channelId);
    return c;
  }

  tryChannel(portId: string, channelId: string): ChannelEnd | undefined {
    return this.channels.get(key(portId, channelId));
  }

  /** The channel end a message names, found as ibc-go's msg server finds it first: by its capability. */
  private capabilityOf(portId: string, channelId: string): ChannelEnd {
    const c = this.tryChannel(portId, channelId);
    if (!c) throw channelCapabilityNotFound(portId, channelId);
    return c;
  }

  allChannels(): ChannelEnd[] {
    return this.channels.values();
  }

  private saveChannel(c: ChannelEnd): void {
    this.channels.set(key(c.portId, c.channelId), c);
  }

  private contractFor(port: string): string {
    const contract = contractOfPort(port);
    if (!contract || !this.chain.wasm.tryContract(contract)) throw routeNotFound(contract ? 'wasm' : port);
    return contract;
  }

  private cwChannel(c: ChannelEnd): IbcChannel {
    return {
      endpoint: { port_id: c.portId, channel_id: c.channelId },
      counterparty_endpoint: { port_id: c.counterpartyPortId, channel_id: c.counterpartyChannelId },
      order: c.ordering,
      version: c.version,
      connection_id: c.connectionId,
    };
  }

  private cwPacket(p: Packet): IbcPacket {
    return {
      data: p.data,
      src: { port_id: p.sourcePort, channel_id: p.sourceChannel },
      dest: { port_id: p.destinationPort, channel_id: p.destinationChannel },
      sequence: p.sequence,
      timeout: { timestamp: p.timeoutTimestamp },
    };
  }

  private channelEventAttrs(c: ChannelEnd): ReturnType<typeof attr>[] {
    return [
      attr('port_id', c.portId),
      attr('channel_id', c.channelId),
      attr('counterparty_port_id', c.counterpartyPortId),
      attr('counterparty_channel_id', c.counterpartyChannelId),
      attr('connection_id', c.connectionId),
    ];
  }

  private callOpen(port: string, msg: ChannelOpenMsg): string | undefined {
    const contract = this.contractFor(port);
    const inst = this.chain.wasm.contract(contract).instance;
    if (!inst.ibcChannelOpen) throw new ContractError('contract does not support IBC');
    return inst.ibcChannelOpen(this.chain.ctx(contract), msg);
  }

  private callConnect(port: string, msg: ChannelConnectMsg): Event[] {
    const contract = this.contractFor(port);
    const inst = this.chain.wasm.contract(contract).instance;
    if (!inst.ibcChannelConnect) throw new ContractError('contract does not support IBC');
    return this.chain.handleResponse(contract, inst.ibcChannelConnect(this.chain.ctx(contract), msg)).events;
  }

  private callClose(port: string, msg: ChannelCloseMsg): Event[] {
    const contract = this.contractFor(port);
    const inst = this.chain.wasm.contract(contract).instance;
    if (!inst.ibcChannelClose) throw new ContractError('contract does not support IBC');
    return this.chain.handleResponse(contract, inst.ibcChannelClose(this.chain.ctx(contract), msg)).events;
  }

  private connectionMustExist(connectionId: string): void {
    if (!this.connections.has(connectionId)) throw connectionNotFound(connectionId);
  }

  // ---- handshake (MsgChannelOpenInit/Try/Ack/Confirm, MsgChannelCloseInit/Confirm) ----------
  // As ibc-go's msg server: what the channel keeper refuses reads "channel handshake <step> failed: …",
  // what the app callback refuses "channel <step> callback failed for port ID: …, channel ID: …: …".

  openInit(portId: string, connectionId: string, counterpartyPortId: string, version: string, ordering: ChannelEnd['ordering'] = UNORDERED): { channelId: string; events: Event[] } {
    wrapHandshake('open init', () => this.connectionMustExist(connectionId));
    const channelId = `channel-${this.next('channel')}`;
    const draft: ChannelEnd = { portId, channelId, state: 'STATE_INIT', ordering, counterpartyPortId, counterpartyChannelId: '', connectionId, version };
    const v = channelCallback('open init', portId, channelId, () => this.callOpen(portId, { open_init: { channel: this.cwChannel(draft) } })) ?? version;
    const ch = { ...draft, version: v };
    this.saveChannel(ch);
    const attrs = [attr('port_id', portId), attr('channel_id', channelId), attr('counterparty_port_id', counterpartyPortId)];
    if (this.version === 'v7') attrs.push(attr('counterparty_channel_id', ''));
    attrs.push(attr('connection_id', connectionId), attr('version', v));
    return { channelId, events: [event('channel_open_init', ...attrs), event('message', attr('module', 'ibc_channel'))] };
  }

  openTry(portId: string, connectionId: string, counterpartyPortId: string, counterpartyChannelId: string, counterpartyVersion: string, ordering: ChannelEnd['ordering'] = UNORDERED, proofHeight?: Height): { channelId: string; events: Event[] } {
    wrapHandshake('open try', () => {
      this.connectionMustExist(connectionId);
      this.channelProvenAt(connectionId, proofHeight);
    });
    const channelId = `channel-${this.next('channel')}`;
    const draft: ChannelEnd = { portId, channelId, state: 'STATE_TRYOPEN', ordering, counterpartyPortId, counterpartyChannelId, connectionId, version: counterpartyVersion };
    const open_try = { channel: this.cwChannel(draft), counterparty_version: counterpartyVersion };
    const v = channelCallback('open try', portId, channelId, () => this.callOpen(portId, { open_try })) ?? counterpartyVersion;
    const ch = { ...draft, version: v };
    this.saveChannel(ch);
    return { channelId, events: [event('channel_open_try', ...this.channelEventAttrs(ch), attr('version', v)), event('message', attr('module', 'ibc_channel'))] };
  }

  openAck(portId: string, channelId: string, counterpartyChannelId: string, counterpartyVersion: string, proofHeight?: Height): Event[] {
    const ch = this.capabilityOf(portId, channelId);
    wrapHandshake('open ack', () => {
      if (ch.state !== 'STATE_INIT') throw invalidChannelState(`channel state should be INIT (got ${ch.state})`);
      this.channelProvenAt(ch.connectionId, proofHeight);
    });
    const open: ChannelEnd = { ...ch, state: 'STATE_OPEN', counterpartyChannelId, version: counterpartyVersion };
    this.saveChannel(open);
    // ibc-go runs the app callback before WriteOpenAckChannel emits the channel event.
    const open_ack = { channel: this.cwChannel(open), counterparty_version: counterpartyVersion };
    const events = channelCallback('open ack', portId, channelId, () => this.callConnect(portId, { open_ack }));
    return [...events, event('channel_open_ack', ...this.channelEventAttrs(open)), event('message', attr('module', 'ibc_channel'))];
  }

  openConfirm(portId: string, channelId: string, proofHeight?: Height): Event[] {
    const ch = this.capabilityOf(portId, channelId);
    wrapHandshake('open confirm', () => {
      if (ch.state !== 'STATE_TRYOPEN') throw invalidChannelState(`channel state is not TRYOPEN (got ${ch.state})`);
      this.channelProvenAt(ch.connectionId, proofHeight);
    });
    const open: ChannelEnd = { ...ch, state: 'STATE_OPEN' };
    this.saveChannel(open);
    const events = channelCallback('open confirm', portId, channelId, () => this.callConnect(portId, { open_confirm: { channel: this.cwChannel(open) } }));
    return [...events, event('channel_open_confirm', ...this.channelEventAttrs(open)), event('message', attr('module', 'ibc_channel'))];
  }

  closeInit(portId: string, channelId: string): Event[] {
    return this.close(portId, channelId, 'close_init');
  }

  closeConfirm(portId: string, channelId: string, proofHeight?: Height): Event[] {
    return this.close(portId, channelId, 'close_confirm', proofHeight);
  }

  /**
   * The app callback runs first (it may refuse: external staking refuses CloseConfirm, spec §2.1), then
   * the channel keeper's checks (so a close of a closed channel reaches the app too), then the event.
   */
  private close(portId: string, channelId: string, step: 'close_init' | 'close_confirm', proofHeight?: Height): Event[] {
    const ch = this.capabilityOf(portId, channelId);
    const msg = step === 'close_init' ? { close_init: { channel: this.cwChannel(ch) } } : { close_confirm: { channel: this.cwChannel(ch) } };
    const name = step === 'close_init' ? 'close init' : 'close confirm';
    const events = channelCallback(name, portId, channelId, () => this.callClose(portId, msg));
    wrapHandshake(name, () => {
      if (ch.state === 'STATE_CLOSED') throw invalidChannelState('channel is already CLOSED');
      this.channelProvenAt(ch.connectionId, proofHeight);
    });
    const closed: ChannelEnd = { ...ch, state: 'STATE_CLOSED' };
    this.saveChannel(closed);
    return [...events, event(`channel_${step}`, ...this.channelEventAttrs(closed)), event('message', attr('module', 'ibc_channel'))];
  }

  // ---- packets ---------------------------------------------------------------------------

  /** Timeout, sequence and both ends: the packet attributes every packet event has (acknowledge and timeout events add ordering and connection). */
  private packetLifecycleAttrs(p: Packet): ReturnType<typeof attr>[] {
    return [
      attr('packet_timeout_height', `${p.timeoutHeight.revisionNumber}-${p.timeoutHeight.revisionHeight}`),
      attr('packet_timeout_timestamp', p.timeoutTimestamp),
      attr('packet_sequence', p.sequence),
      attr('packet_src_port', p.sourcePort),
      attr('packet_src_channel', p.sourceChannel),
      attr('packet_dst_port', p.destinationPort),
      attr('packet_dst_channel', p.destinationChannel),
    ];
  }

  /** The packet with its data (send, receive, write ack): the data attributes, then the lifecycle ones. */
  private packetAttrs(p: Packet, ch: ChannelEnd, withOrdering: boolean): ReturnType<typeof attr>[] {
    const a = [attr('packet_data', utf8(p.data)), attr('packet_data_hex', hex(p.data)), ...this.packetLifecycleAttrs(p)];
    if (withOrdering) a.push(attr('packet_channel_ordering', ch.ordering));
    return a;
  }

  private sendPacketFromContract(contract: string, msg: Extract<CosmosMsg, { kind: 'ibc_send_packet' }>): Event[] {
    const port = portOf(contract);
    const ch = this.channel(port, msg.channelId);
    if (ch.state !== 'STATE_OPEN') throw invalidChannelState(`channel is not OPEN (got ${ch.state})`);
    if (msg.timeout.timestamp <= this.chain.time) throw packetTimeout(`receiving chain block timestamp >= packet timeout timestamp (${goTime(this.chain.time)} >= ${goTime(msg.timeout.timestamp)})`);
    const sequence = this.next(`seq:${port}:${msg.channelId}`) + 1n;
    const p: Packet = {
      sequence,
      sourcePort: port,
      sourceChannel: msg.channelId,
      destinationPort: ch.counterpartyPortId,
      destinationChannel: ch.counterpartyChannelId,
      data: msg.data,
      timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
      timeoutTimestamp: msg.timeout.timestamp,
    };
    this.commitments.set(sentKey(p), p);
    const attrs = [...this.packetAttrs(p, ch, true), attr('packet_connection', ch.connectionId), attr('connection_id', ch.connectionId)];
    // `message{module:ibc_channel}` follows and is dropped by wasmd for sub-messages (cosmos-wire §4.2).
    return [event('send_packet', ...attrs), event('message', attr('module', 'ibc_channel'))];
  }

  /** Packets this chain sent that are still committed (neither acknowledged nor timed out). */
  pendingCommitments(): Packet[] {
    return this.commitments.values();
  }

  hasReceipt(port: string, channel: string, seq: bigint): boolean {
    return this.receipts.has(key(port, channel, u64Key(seq)));
  }

  ack(port: string, channel: string, seq: bigint): Uint8Array | undefined {
    return this.acks.get(key(port, channel, u64Key(seq)));
  }

  /**
   * Forgets the receipts and acks of packets no message can reach any more: the source has deleted the
   * commitment (the ack was relayed) and the timeout has passed here, so a repeated MsgRecvPacket fails
   * on the timeout (and on its proof) before the receipt is read, and a MsgAcknowledgement or MsgTimeout
   * is a NOOP for want of the commitment before it would read the ack or the receipt. ibc-go keeps them
   * forever, but nothing reads them back; in memory they are most of a long live run's growth (about
   * 0.5 KiB a packet). A deleted key keeps its versions for reads at past heights until the journal is
   * pruned, so this saves memory only where it is.
   * Call between blocks; returns how many packets were forgotten.
   */
  forgetSettled(): number {
    const now = this.chain.time;
    let n = 0;
    for (const [k, timeout] of this.receipts.unordered()) {
      if (timeout === 0n || now < timeout) continue;
      const [port = '', channel = '', seq = ''] = splitKey(k);
      const ch = this.tryChannel(port, channel);
      const source = ch && this.connections.get(ch.connectionId)?.counterparty().module<Ibc>('ibc');
      if (!ch || !source || source.commitments.has(key(ch.counterpartyPortId, ch.counterpartyChannelId, seq))) continue;
      this.receipts.delete(k);
      this.acks.delete(k);
      n++;
    }
    return n;
  }

  /**
   * A message's proof height, checked as the connection keeper's verification does before the proof:
   * the client holds it (light-clients.ts), the error wrapped as ibc-go wraps it. Direct calls without
   * a message (unit tests of the channel logic) pass none.
   */
  private provenAt(conn: Connection, proofHeight: Height | undefined, prefix: string): void {
    if (proofHeight) wrapped(prefix, () => this.clients.verifyProofHeight(conn.clientId, proofHeight));
  }

  /**
   * A handshake message's proof of the counterparty's channel end: its height, as VerifyChannelState
   * checks it (the devnet does not verify the counterparty's end itself).
   */
  private channelProvenAt(connectionId: string, proofHeight: Height | undefined): void {
    const conn = this.connections.get(connectionId);
    if (conn) this.provenAt(conn, proofHeight, `failed channel state verification for client (${conn.clientId})`);
  }

  /** The connection a channel end runs over, and the chain at its other end (its light client's view). */
  private counterpartyOf(ch: ChannelEnd): { conn: Connection; chain: Chain } {
    const conn = this.connections.get(ch.connectionId);
    if (!conn) throw connectionNotFound(ch.connectionId);
    return { conn, chain: conn.counterparty() };
  }

  /**
   * MsgRecvPacket, checked in ibc-go's order (04-channel RecvPacket): the channel, that the packet comes
   * from its counterparty, the timeouts, the source's commitment (the proof), then the receipt. Returns
   * no events for an already received packet (ibc-go NOOP).
   */
  recvPacket(p: Packet, relayer: string, proofHeight?: Height): { events: Event[]; ack?: Uint8Array } {
    const ch = this.capabilityOf(p.destinationPort, p.destinationChannel);
    wrapVerification('receive', () => {
      if (ch.state !== 'STATE_OPEN') throw invalidChannelState(`channel state is not OPEN (got ${ch.state})`);
      if (p.sourcePort !== ch.counterpartyPortId) throw invalidPacket(`packet source port doesn't match the counterparty's port (${p.sourcePort} ≠ ${ch.counterpartyPortId})`);
      if (p.sourceChannel !== ch.counterpartyChannelId) throw invalidPacket(`packet source channel doesn't match the counterparty's channel (${p.sourceChannel} ≠ ${ch.counterpartyChannelId})`);
      const { conn, chain: source } = this.counterpartyOf(ch);
      const self = heightOf(this.chain);
      const th = p.timeoutHeight;
      if (!isZeroHeight(th) && heightGte(self, th)) {
        throw packetTimeout(`block height >= packet timeout height (${self.revisionNumber}-${self.revisionHeight} >= ${th.revisionNumber}-${th.revisionHeight})`);
      }
      if (p.timeoutTimestamp !== 0n && this.chain.time >= p.timeoutTimestamp) {
        throw packetTimeout(`block timestamp >= packet timeout timestamp (${goTime(this.chain.time)} >= ${goTime(p.timeoutTimestamp)})`);
      }
      this.provenAt(conn, proofHeight, `couldn't verify counterparty packet commitment: failed packet commitment verification for client (${conn.clientId})`);
      const sent = source.module<Ibc>('ibc').commitments.get(sentKey(p));
      if (!sent || !sameCommitment(sent, p)) {
        const why = sent ? `the counterparty committed ${goBytes(commitPacket(sent))}, not ${goBytes(commitPacket(p))}` : `the counterparty holds no commitment for packet sequence ${p.sequence}`;
        throw invalidProof(`couldn't verify counterparty packet commitment: failed packet commitment verification for client (${conn.clientId}): ${why}`);
      }
    });
    const rk = receivedKey(p);
    if (this.receipts.has(rk)) return { events: [] };
    this.receipts.set(rk, p.timeoutTimestamp);
    const events: Event[] = [
      event('recv_packet', ...this.packetAttrs(p, ch, true), attr('packet_connection', ch.connectionId), attr('connection_id', ch.connectionId)),
      event('message', attr('module', 'ibc_channel')),
    ];
    const contract = this.contractFor(p.destinationPort);
    const inst = this.chain.wasm.contract(contract).instance;
    let ackBytes: Uint8Array;
    const cp = this.chain.journal.checkpoint();
    try {
      if (!inst.ibcPacketReceive) throw new ContractError('contract does not support IBC');
      let res;
      try {
        res = inst.ibcPacketReceive(this.chain.ctx(contract), this.cwPacket(p), relayer);
      } catch (e) {
        throw new ContractReturnedError(e);
      }
      const r = this.chain.handleResponse(contract, res);
      this.chain.journal.release();
      ackBytes = res.acknowledgement;
      events.push(...r.events, event('ibc_packet_received', attr('module', 'wasm'), attr('_contract_address', contract), attr('success', 'true')));
    } catch (e) {
      this.chain.journal.revert(cp);
      // A panic (or VM error) is no contract result: wasmd aborts the relayer's whole tx and no ack is written.
      if (e instanceof ContractPanic || (e instanceof ContractReturnedError && e.cause instanceof ContractPanic)) throw e instanceof ContractReturnedError ? e.cause : e;
      // wasmd ≥ v0.40: a contract Err becomes {"error":"<msg>"}; a failing sub-message gives ibc-go's
      // redacted error ack (cosmos-wire §4.3). The contract's events and the failed
      // `ibc_packet_received` are dropped: ibc-go v7.3.0 / v8.0.0 discard app events on error acks (§5.4).
      ackBytes = utf8Bytes(e instanceof ContractReturnedError ? JSON.stringify({ error: e.message }) : abciErrorAck(errorCode(e).code));
    }
    this.acks.set(rk, ackBytes);
    events.push(
      event(
        'write_acknowledgement',
        ...this.packetAttrs(p, ch, false),
        attr('packet_ack', utf8(ackBytes)),
        attr('packet_ack_hex', hex(ackBytes)),
        attr('packet_connection', ch.connectionId),
        attr('connection_id', ch.connectionId),
      ),
      event('message', attr('module', 'ibc_channel')),
    );
    return { events, ack: ackBytes };
  }

  /**
   * The checks of a message about a packet this chain sent (MsgAcknowledgement, MsgTimeout,
   * MsgTimeoutOnClose), in ibc-go's order and under its msg server's prefix: the channel (open, for
   * `open`), that the packet went to its counterparty, the connection, then `beforeCommitment`; no
   * commitment is a NOOP (already relayed: undefined); else `withCommitment` checks the rest.
   */
  private verifySent(
    p: Packet,
    step: string,
    opts: { open: boolean; beforeCommitment?: (on: SentOn) => void; withCommitment: (on: SentOn, sent: Packet) => void },
  ): { ch: ChannelEnd; ck: string } | undefined {
    const ck = sentKey(p);
    const ch = this.capabilityOf(p.sourcePort, p.sourceChannel);
    let verified: { ch: ChannelEnd; ck: string } | undefined;
    wrapVerification(step, () => {
      if (opts.open && ch.state !== 'STATE_OPEN') throw invalidChannelState(`channel state is not OPEN (got ${ch.state})`);
      if (p.destinationPort !== ch.counterpartyPortId) throw invalidPacket(`packet destination port doesn't match the counterparty's port (${p.destinationPort} ≠ ${ch.counterpartyPortId})`);
      if (p.destinationChannel !== ch.counterpartyChannelId) {
        throw invalidPacket(`packet destination channel doesn't match the counterparty's channel (${p.destinationChannel} ≠ ${ch.counterpartyChannelId})`);
      }
      const { conn, chain } = this.counterpartyOf(ch);
      const on: SentOn = { ch, conn, dest: chain };
      opts.beforeCommitment?.(on);
      const sent = this.commitments.get(ck);
      if (!sent) return;
      opts.withCommitment(on, sent);
      verified = { ch, ck };
    });
    return verified;
  }

  /** The packet this chain committed to must be the one relayed back: same data and timeouts. */
  private static sameAsSent(sent: Packet, p: Packet, step: 'ack' | 'timeout'): void {
    if (sameCommitment(sent, p)) return;
    const [stored, relayed] = [goBytes(commitPacket(sent)), goBytes(commitPacket(p))];
    // ibc-go words the two differently and swaps got and expected
    throw invalidPacket(step === 'ack' ? `commitment bytes are not equal: got (${relayed}), expected (${stored})` : `packet commitment bytes are not equal: got (${stored}), expected (${relayed})`);
  }

  /**
   * MsgAcknowledgement, checked in ibc-go's order (04-channel AcknowledgePacket): the channel and its
   * counterparty, the commitment (none: a NOOP), then the ack the destination wrote (the proof). A
   * contract error in the callback fails the relayer tx (cosmos-wire §4.3).
   */
  acknowledgePacket(p: Packet, ack: Uint8Array, relayer: string, proofHeight?: Height): Event[] {
    const v = this.verifySent(p, 'acknowledge', {
      open: true,
      withCommitment: (on, sent) => {
        Ibc.sameAsSent(sent, p, 'ack');
        this.provenAt(on.conn, proofHeight, `failed packet acknowledgement verification for client (${on.conn.clientId})`);
        const written = on.dest.module<Ibc>('ibc').ack(p.destinationPort, p.destinationChannel, p.sequence);
        if (!written || !sameBytes(written, ack)) {
          const why = written ? 'the counterparty wrote another acknowledgement' : `the counterparty wrote no acknowledgement for packet sequence ${p.sequence}`;
          throw invalidProof(`failed packet acknowledgement verification for client (${on.conn.clientId}): ${why}`);
        }
      },
    });
    if (!v) return [];
    const { ch, ck } = v;
    this.commitments.delete(ck);
    const events: Event[] = [
      event('acknowledge_packet', ...this.packetLifecycleAttrs(p), attr('packet_channel_ordering', ch.ordering), attr('packet_connection', ch.connectionId), attr('connection_id', ch.connectionId)),
      event('message', attr('module', 'ibc_channel')),
    ];
    const contract = this.contractFor(p.sourcePort);
    const inst = this.chain.wasm.contract(contract).instance;
    if (!inst.ibcPacketAck) throw new ContractError('contract does not support IBC');
    const callback = () => this.chain.handleResponse(contract, inst.ibcPacketAck!(this.chain.ctx(contract), ack, this.cwPacket(p), relayer)).events;
    events.push(...callbackFailed('acknowledge packet callback failed: on ack', callback));
    return events;
  }

  /**
   * MsgTimeout, proven against the counterparty's latest block (its height, time and packet receipts),
   * checked in ibc-go v7/v8's order (04-channel TimeoutPacket): the channel and its counterparty, the
   * timeout, the commitment (none: a NOOP, e.g. a packet already acknowledged), the channel being open,
   * the commitment's content, then the receipt's absence.
   */
  timeoutPacket(p: Packet, relayer: string, proofHeight?: Height): Event[] {
    const v = this.verifySent(p, 'timeout', {
      open: false,
      beforeCommitment: ({ dest, conn }) => {
        // the counterparty's height and time at the proof height, as the client holds them
        const at = proofHeight ?? heightOf(dest);
        const time = proofHeight ? this.clients.timestampAt(conn.clientId, proofHeight) : dest.time;
        const th = p.timeoutHeight;
        const heightPassed = !isZeroHeight(th) && heightGte(at, th);
        const timePassed = p.timeoutTimestamp !== 0n && time >= p.timeoutTimestamp;
        if (!heightPassed && !timePassed) throw packetTimeout('packet timeout has not been reached for height or timestamp');
      },
      withCommitment: (on, sent) => {
        if (on.ch.state !== 'STATE_OPEN') throw invalidChannelState(`channel state is not OPEN (got ${on.ch.state})`);
        Ibc.sameAsSent(sent, p, 'timeout');
        this.notReceived(on, p, proofHeight);
      },
    });
    return v ? this.timedOut(p, v.ch, v.ck, relayer, false) : [];
  }

  /**
   * MsgTimeoutOnClose: a packet that can no longer be received because the counterparty's channel end
   * is closed, timeout reached or not. Checked in ibc-go v7/v8's order (04-channel TimeoutOnClose): the
   * channel and its counterparty, the commitment (none: a NOOP) and its content, the counterparty's
   * channel end being CLOSED, then the receipt's absence. This chain's own end may be in any state.
   */
  timeoutOnClose(p: Packet, relayer: string, proofHeight?: Height): Event[] {
    const v = this.verifySent(p, 'timeout on close', {
      open: false,
      withCommitment: (on, sent) => {
        Ibc.sameAsSent(sent, p, 'timeout');
        this.provenAt(on.conn, proofHeight, `failed channel state verification for client (${on.conn.clientId})`);
        const theirs = on.dest.module<Ibc>('ibc').tryChannel(on.ch.counterpartyPortId, on.ch.counterpartyChannelId);
        if (theirs?.state !== 'STATE_CLOSED') {
          throw invalidProof(`failed channel state verification for client (${on.conn.clientId}): the counterparty's channel end is ${theirs ? theirs.state : 'missing'}, not STATE_CLOSED`);
        }
        this.notReceived(on, p, proofHeight);
      },
    });
    return v ? this.timedOut(p, v.ch, v.ck, relayer, true) : [];
  }

  /** The receipt-absence proof of both timeouts (unordered channels). */
  private notReceived({ dest, conn }: SentOn, p: Packet, proofHeight: Height | undefined): void {
    this.provenAt(conn, proofHeight, `failed packet receipt absence verification for client (${conn.clientId})`);
    if (dest.module<Ibc>('ibc').hasReceipt(p.destinationPort, p.destinationChannel, p.sequence)) {
      throw invalidProof(`failed packet receipt absence verification for client (${conn.clientId}): the counterparty holds a receipt for packet sequence ${p.sequence}`);
    }
  }

  /**
   * What both timeouts do once verified: the contract's callback, then TimeoutExecuted, which deletes
   * the commitment and emits `timeout_packet`. So the contract's events come before `timeout_packet`,
   * unlike an ack's (cosmos/ibc-go modules/core/keeper/msg_server.go Timeout and TimeoutOnClose).
   */
  private timedOut(p: Packet, ch: ChannelEnd, ck: string, relayer: string, onClose: boolean): Event[] {
    const contract = this.contractFor(p.sourcePort);
    const inst = this.chain.wasm.contract(contract).instance;
    if (!inst.ibcPacketTimeout) throw new ContractError('contract does not support IBC');
    const callback = () => this.chain.handleResponse(contract, inst.ibcPacketTimeout!(this.chain.ctx(contract), this.cwPacket(p), relayer)).events;
    const events = [...callbackFailed(`${onClose ? 'timeout on close' : 'timeout packet'} callback failed: on timeout`, callback)];
    this.commitments.delete(ck);
    events.push(
      event('timeout_packet', ...this.packetLifecycleAttrs(p), attr('connection_id', ch.connectionId), attr('packet_channel_ordering', ch.ordering)),
      event('message', attr('module', 'ibc_channel')),
    );
    return events;
  }
}

/** The receiving contract itself returned Err (as opposed to one of its sub-messages failing). */
class ContractReturnedError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
