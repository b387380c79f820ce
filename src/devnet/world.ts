// Several devnet chains on one clock, joined by IBC connections, with a relayer that delivers
// packets, acknowledgements and timeouts the way Hermes or rly bundle them (cosmos-wire §2.2).
import { Chain, type ChainParams, type BlockResult, type Tx, type TxMsg, type TxResult } from './chain/chain.ts';
import { installStandardMsgs } from './chain/msgs.ts';
import { acknowledgement, clientUpdate, recvPacket, timeout, timeoutOnClose } from './ibc/relayer-msgs.ts';
import { Ibc, type IbcGoVersion, type Packet } from './ibc/ibc.ts';
import { LegacyDec } from './chain/legacy-dec.ts';
import { nsPerSecond } from './chain/types.ts';

export interface GenesisValidator {
  name: string;
  selfBond: bigint;
  /** Delegator shares of the self bond; the SDK's ibctesting genesis gives 1 share for 1 000 000 tokens. */
  shares?: string;
}

export interface GenesisAccount {
  name: string;
  balance: bigint;
}

export interface ChainGenesis {
  params: ChainParams;
  ibcGo?: IbcGoVersion;
  validators: GenesisValidator[];
  accounts: GenesisAccount[];
}

export interface PacketRef {
  source: Chain;
  dest: Chain;
  packet: Packet;
}

/** 2026-01-01T00:00:00Z: a fixed genesis so every run produces the same bytes. */
export const DEFAULT_GENESIS_TIME = 1_767_225_600n * nsPerSecond;

export class World {
  readonly chains = new Map<string, Chain>();
  now: bigint;
  readonly relayerName = 'relayer';

  constructor(genesisTime: bigint = DEFAULT_GENESIS_TIME) {
    this.now = genesisTime;
  }

  chain(id: string): Chain {
    const c = this.chains.get(id);
    if (!c) throw new Error(`unknown chain ${JSON.stringify(id)}`);
    return c;
  }

  addChain(g: ChainGenesis): Chain {
    if (this.chains.has(g.params.chainId)) throw new Error(`chain ${g.params.chainId} already exists`);
    const chain = new Chain(g.params, this.now);
    installStandardMsgs(chain);
    new Ibc(chain, chain.journal, g.ibcGo ?? 'v8');
    chain.journal.atomic(() => {
      for (const a of g.accounts) chain.bank.fund(chain.addr(a.name), { denom: g.params.bondDenom, amount: a.balance });
      chain.bank.fund(chain.addr(this.relayerName), { denom: g.params.bondDenom, amount: 10n ** 12n });
      for (const v of g.validators) {
        chain.staking.initGenesisValidator({ operator: chain.valoper(v.name), delegator: chain.addr(v.name), tokens: v.selfBond, shares: v.shares ? LegacyDec.parse(v.shares) : undefined });
      }
    });
    chain.journal.commitBlock(0n);
    this.chains.set(g.params.chainId, chain);
    return chain;
  }

  /** An open IBC connection (clients and connection handshake are genesis state in the devnet). */
  connect(a: Chain, b: Chain): { aConnection: string; bConnection: string } {
    // a light client starts from a counterparty header: a chain without a block makes one first
    for (const c of [a, b]) if (c.height === 0n) this.block(c);
    const ia = a.module<Ibc>('ibc');
    const ib = b.module<Ibc>('ibc');
    const ca = ia.newConnectionId();
    const cb = ib.newConnectionId();
    ia.addConnection({ ...ca, counterpartyChainId: b.id, counterpartyConnectionId: cb.connectionId, counterpartyClientId: cb.clientId, counterparty: () => b });
    ib.addConnection({ ...cb, counterpartyChainId: a.id, counterpartyConnectionId: ca.connectionId, counterpartyClientId: ca.clientId, counterparty: () => a });
    return { aConnection: ca.connectionId, bConnection: cb.connectionId };
  }

  // ---- blocks and time -------------------------------------------------------------------

  /** Produces the next block of `chain` (clock advances by its block time) with these txs. */
  block(chain: Chain, txs: Tx[] = []): BlockResult {
    this.now += chain.params.blockTimeNs;
    return chain.produceBlock(this.now, txs);
  }

  /** One tx in its own block, like the SDK e2e tests (ibctesting commits after every tx). */
  tx(chain: Chain, signer: string, msgs: TxMsg[], memo?: string): TxResult {
    return this.block(chain, [{ signer, msgs, memo }]).txResults[0]!;
  }

  advanceTime(seconds: bigint): void {
    this.now += seconds * nsPerSecond;
  }

  advanceBlocks(chain: Chain, n: number): BlockResult[] {
    const out: BlockResult[] = [];
    for (let i = 0; i < n; i++) out.push(this.block(chain));
    return out;
  }

  // ---- relaying -------------------------------------------------------------------------

  /** Packets committed on some chain and not yet received on the other side. */
  unreceivedPackets(filter?: (p: PacketRef) => boolean): PacketRef[] {
    const out: PacketRef[] = [];
    for (const source of this.chains.values()) {
      const ibc = source.module<Ibc>('ibc');
      for (const packet of ibc.pendingCommitments()) {
        const dest = this.counterpartyOf(source, packet);
        if (dest.module<Ibc>('ibc').hasReceipt(packet.destinationPort, packet.destinationChannel, packet.sequence)) continue;
        const ref = { source, dest, packet };
        if (!filter || filter(ref)) out.push(ref);
      }
    }
    return out;
  }

  /** Packets received with an acknowledgement written, whose source still holds the commitment. */
  unacknowledgedPackets(filter?: (p: PacketRef) => boolean): Array<PacketRef & { ack: Uint8Array }> {
    const out: Array<PacketRef & { ack: Uint8Array }> = [];
    for (const source of this.chains.values()) {
      for (const packet of source.module<Ibc>('ibc').pendingCommitments()) {
        const dest = this.counterpartyOf(source, packet);
        const ack = dest.module<Ibc>('ibc').ack(packet.destinationPort, packet.destinationChannel, packet.sequence);
        if (!ack) continue;
        const ref = { source, dest, packet, ack };
        if (!filter || filter(ref)) out.push(ref);
      }
    }
    return out;
  }

  /**
   * The light client `chain` keeps of `counterparty`, where one connection joins them. With two, each
   * has its own client: ask `Ibc.clientOf(connection)` or `Ibc.clientOfEnd(port, channel)` instead.
   */
  clientIdOn(chain: Chain, counterparty: Chain): string {
    const ids = new Set<string>();
    for (const c of chain.module<Ibc>('ibc').connections.values()) if (c.counterpartyChainId === counterparty.id) ids.add(c.clientId);
    if (ids.size === 0) throw new Error(`${chain.id} has no client of ${counterparty.id}`);
    if (ids.size > 1) throw new Error(`${chain.id} has ${ids.size} clients of ${counterparty.id} (${[...ids].join(', ')}): name the connection or channel`);
    return [...ids][0]!;
  }

  counterpartyOf(source: Chain, packet: Packet): Chain {
    const ibc = source.module<Ibc>('ibc');
    const ch = ibc.channel(packet.sourcePort, packet.sourceChannel);
    return ibc.connections.get(ch.connectionId)!.counterparty();
  }

  /**
   * Delivers every pending packet and acknowledgement (and times out expired packets when
   * `timeouts` is set) until nothing is left; returns the relayer txs it sent.
   */
  relay(opts: { filter?: (p: PacketRef) => boolean; timeouts?: boolean; maxRounds?: number } = {}): RelayReport {
    const report: RelayReport = { received: 0, acknowledged: 0, timedOut: 0, txs: [] };
    for (let round = 0; round < (opts.maxRounds ?? 50); round++) {
      let progress = false;
      // A packet is relayable if the destination's next block is still before its timeout.
      const expired = (r: PacketRef) => r.packet.timeoutTimestamp !== 0n && this.now + r.dest.params.blockTimeNs >= r.packet.timeoutTimestamp;
      const live = (kind: string) => (r: PacketRef) => !this.stuck.has(`${packetKey(r)}:${kind}`) && (!opts.filter || opts.filter(r));
      if (opts.timeouts) {
        const due = this.unreceivedPackets(live('timeout')).filter((r) => r.packet.timeoutTimestamp !== 0n && this.now >= r.packet.timeoutTimestamp);
        if (due.length > 0) {
          const t = this.timeoutPackets(due);
          report.timedOut += t.timedOut;
          report.txs.push(...t.txs);
          progress = true;
        }
      }
      const recv = this.unreceivedPackets(live('recv')).filter((r) => !expired(r));
      for (const [dest, refs] of groupBy(recv, (r) => r.dest)) {
        report.received += refs.length;
        this.relayTx(dest, refs, (r) => recvPacket(r.packet, dest.addr(this.relayerName), r.source), report, 'recv');
        progress = true;
      }
      const acks = this.unacknowledgedPackets(live('ack'));
      for (const [source, refs] of groupBy(acks, (r) => r.source)) {
        report.acknowledged += refs.length;
        this.relayTx(source, refs, (r) => acknowledgement(r.packet, r.ack, source.addr(this.relayerName), r.dest), report, 'ack');
        progress = true;
      }
      if (!progress) return report;
    }
    throw new Error('relayer: packets keep coming after 50 rounds');
  }

  /**
   * Times out unreceived packets whose timeout the clock has passed. The proof needs a
   * destination block at or after the timeout, so one is produced first where missing. A packet whose
   * destination channel end is closed goes in a MsgTimeoutOnClose, as Hermes sends it: MsgTimeout
   * needs the source end open.
   */
  timeoutPackets(refs: PacketRef[]): RelayReport {
    const report: RelayReport = { received: 0, acknowledged: 0, timedOut: 0, txs: [] };
    for (const r of refs) {
      if (r.packet.timeoutTimestamp === 0n || this.now < r.packet.timeoutTimestamp) throw new Error(`packet ${r.packet.sequence} has not timed out yet`);
      if (r.dest.time < r.packet.timeoutTimestamp) this.block(r.dest);
    }
    for (const [source, rs] of groupBy(refs, (r) => r.source)) {
      report.timedOut += rs.length;
      this.relayTx(source, rs, (r) => (destClosed(r) ? timeoutOnClose : timeout)(r.packet, source.addr(this.relayerName), r.dest, r.packet.sequence), report, 'timeout');
    }
    return report;
  }

  /** Packets whose relaying failed on their own (e.g. an ack the sender contract rejects). */
  private readonly stuck = new Set<string>();

  /**
   * Relayer tx = MsgUpdateClient + packet messages, one per client (two connections between the same
   * chains have a client each); on failure each packet goes alone.
   */
  private relayTx<R extends PacketRef>(chain: Chain, refs: R[], toMsg: (r: R) => TxMsg, report: RelayReport, kind: 'recv' | 'ack' | 'timeout'): void {
    const byClient = groupBy(refs, (r) => packetClient(chain, r));
    if (byClient.size > 1) {
      for (const group of byClient.values()) this.relayTx(chain, group, toMsg, report, kind);
      return;
    }
    const [client] = byClient.keys();
    const signer = chain.addr(this.relayerName);
    const first = refs[0]!;
    const counterparty = first.source === chain ? first.dest : first.source;
    const r = this.tx(chain, signer, [...clientUpdate(chain, signer, client!, counterparty), ...refs.map(toMsg)]);
    report.txs.push({ chain: chain.id, result: r });
    if (r.code === 0) return;
    if (refs.length === 1) {
      this.stuck.add(`${packetKey(refs[0]!)}:${kind}`);
      report.failed = [...(report.failed ?? []), { chain: chain.id, log: r.log }];
      return;
    }
    for (const ref of refs) this.relayTx(chain, [ref], toMsg, report, kind);
  }
}

const packetKey = (r: PacketRef): string => `${r.source.id}/${r.packet.sourcePort}/${r.packet.sourceChannel}/${r.packet.sequence}`;

export interface RelayReport {
  received: number;
  acknowledged: number;
  timedOut: number;
  txs: Array<{ chain: string; result: TxResult }>;
  failed?: Array<{ chain: string; log: string }>;
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** The light client on `chain` under the packet's channel end there (its destination or source end). */
export function packetClient(chain: Chain, r: PacketRef): string {
  const p = r.packet;
  const ibc = chain.module<Ibc>('ibc');
  return r.dest === chain ? ibc.clientOfEnd(p.destinationPort, p.destinationChannel) : ibc.clientOfEnd(p.sourcePort, p.sourceChannel);
}

/** Whether the packet's destination channel end is closed (then only MsgTimeoutOnClose settles it). */
export function destClosed(r: PacketRef): boolean {
  const p = r.packet;
  return r.dest.module<Ibc>('ibc').tryChannel(p.destinationPort, p.destinationChannel)?.state === 'STATE_CLOSED';
}
