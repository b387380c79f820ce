// The workload's relayer: instead of producing blocks of its own (World.relay), it hands each chain
// the relayer txs for that chain's next block — MsgRecvPacket for packets waiting on it, MsgAcknowledgement
// and MsgTimeout for its own packets — the way Hermes submits them: one tx per counterparty and kind,
// MsgUpdateClient first. A tx that fails is retried with one packet per tx; a packet whose own tx fails
// is "stuck" and reported (the end-of-run settlement check counts it as unsettled).
// As for Hermes, a packet or ack written in a chain's block H is provable from that chain's header H+1
// (whose app hash commits to the state after H): it is relayed once that block exists.
import type { Chain, Tx, TxMsg, TxResult } from '../chain/chain.ts';
import type { Ibc, Packet } from '../ibc/ibc.ts';
import { type PacketRef, type World, destClosed, packetClient } from '../world.ts';
import { acknowledgement, recvPacket, timeout, timeoutOnClose } from '../ibc/relayer-msgs.ts';
import { relayerTx } from './txs.ts';

export type RelayKind = 'recv' | 'ack' | 'timeout';

export interface RelayPolicy {
  /** Asked once per packet, when the relayer first sees it: true = ignore it until it can time out. */
  drop?(ref: PacketRef): boolean;
}

export interface RelayStats {
  received: number;
  acknowledged: number;
  timedOut: number;
  failedTxs: number;
  dropped: number;
}

interface Planned {
  kind: RelayKind;
  keys: string[];
}

export const packetKey = (source: Chain, p: Packet): string => `${source.id}/${p.sourcePort}/${p.sourceChannel}/${p.sequence}`;

export class BlockRelayer {
  readonly stats: RelayStats = { received: 0, acknowledged: 0, timedOut: 0, failedTxs: 0, dropped: 0 };
  /** Packets whose own relayer tx failed, with the log. */
  readonly stuck = new Map<string, string>();
  private readonly dropped = new Set<string>();
  /** Packets seen, with their source's height then: the block that committed them (the relayer looks every block). */
  private readonly seen = new Map<string, bigint>();
  /** Acks seen, with their destination's height then: the block that wrote them. */
  private readonly acksSeen = new Map<string, bigint>();
  private readonly solo = new Set<string>();
  private readonly plans = new Map<Chain, Planned[]>();
  private readonly destCache = new Map<string, Chain>();
  /** Set to false to stop dropping new packets (final drain); dropped ones still time out. */
  dropping = true;

  constructor(
    readonly world: World,
    private readonly policy: RelayPolicy = {},
  ) {}

  private dest(source: Chain, p: Packet): Chain {
    const k = `${source.id}/${p.sourcePort}/${p.sourceChannel}`;
    let d = this.destCache.get(k);
    if (!d) {
      d = this.world.counterpartyOf(source, p);
      this.destCache.set(k, d);
    }
    return d;
  }

  /** Every committed packet on every chain (neither acknowledged nor timed out), with its destination. */
  pending(): PacketRef[] {
    const out: PacketRef[] = [];
    for (const source of this.world.chains.values()) {
      for (const packet of source.module<Ibc>('ibc').pendingCommitments()) out.push({ source, dest: this.dest(source, packet), packet });
    }
    return out;
  }

  /** The relayer txs for `chain`'s next block, produced at `nextTime` (ns). */
  txsFor(chain: Chain, nextTime: bigint, pending: PacketRef[] = this.pending()): Tx[] {
    // by the client on `chain` of the packet's connection: one update per client (two connections
    // between the same chains have a client each)
    const recv = new Map<string, PacketRef[]>();
    const acks = new Map<string, Array<PacketRef & { ack: Uint8Array }>>();
    const timeouts = new Map<string, PacketRef[]>();
    const ibc = chain.module<Ibc>('ibc');
    for (const r of pending) {
      const k = packetKey(r.source, r.packet);
      if (this.stuck.has(k)) continue;
      let committedAt = this.seen.get(k);
      if (committedAt === undefined) {
        this.seen.set(k, (committedAt = r.source.height));
        if (this.dropping && this.policy.drop?.(r)) {
          this.dropped.add(k);
          this.stats.dropped++;
        }
      }
      const p = r.packet;
      if (r.dest === chain) {
        if (this.dropped.has(k)) continue;
        if (ibc.hasReceipt(p.destinationPort, p.destinationChannel, p.sequence)) continue;
        if (p.timeoutTimestamp !== 0n && nextTime >= p.timeoutTimestamp) continue;
        if (ibc.tryChannel(p.destinationPort, p.destinationChannel)?.state !== 'STATE_OPEN') continue;
        if (r.source.height <= committedAt) continue; // not provable yet
        push(recv, packetClient(chain, r), r);
      } else if (r.source === chain) {
        const remote = r.dest.module<Ibc>('ibc');
        const ack = remote.ack(p.destinationPort, p.destinationChannel, p.sequence);
        if (ack) {
          let writtenAt = this.acksSeen.get(k);
          if (writtenAt === undefined) this.acksSeen.set(k, (writtenAt = r.dest.height));
          if (r.dest.height > writtenAt) push(acks, packetClient(chain, r), { ...r, ack }); // else not provable yet
        }
        else if (p.timeoutTimestamp !== 0n && r.dest.time >= p.timeoutTimestamp && !remote.hasReceipt(p.destinationPort, p.destinationChannel, p.sequence)) push(timeouts, packetClient(chain, r), r);
      }
    }
    const txs: Tx[] = [];
    const plans: Planned[] = [];
    // grouped by client: one MsgUpdateClient to the counterparty's latest header, proofs at that height
    const emit = <R extends PacketRef>(kind: RelayKind, groups: Map<string, R[]>, toMsg: (r: R, signer: string, counterparty: Chain) => TxMsg) => {
      for (const [client, refs] of groups) {
        const counterparty = refs[0]!.source === chain ? refs[0]!.dest : refs[0]!.source;
        const batch = refs.filter((r) => !this.solo.has(packetKey(r.source, r.packet)));
        const alone = refs.filter((r) => this.solo.has(packetKey(r.source, r.packet)));
        const tx = (rs: R[]) => relayerTx(chain, this.world.relayerName, client, counterparty, (signer) => rs.map((r) => toMsg(r, signer, counterparty)));
        if (batch.length > 0) {
          txs.push(tx(batch));
          plans.push({ kind, keys: batch.map((r) => packetKey(r.source, r.packet)) });
        }
        for (const r of alone) {
          txs.push(tx([r]));
          plans.push({ kind, keys: [packetKey(r.source, r.packet)] });
        }
      }
    };
    // an unordered channel's timeout names the packet's own sequence as next_sequence_recv, as Hermes does
    emit('recv', recv, (r, signer, from) => recvPacket(r.packet, signer, from));
    emit('ack', acks, (r, signer, from) => acknowledgement(r.packet, r.ack, signer, from));
    emit('timeout', timeouts, (r, signer, from) => (destClosed(r) ? timeoutOnClose : timeout)(r.packet, signer, from, r.packet.sequence));
    this.plans.set(chain, plans);
    return txs;
  }

  /** Pending packets the relayer will never deliver (dropped, or the destination channel is closed): they can only time out. */
  undeliverable(pending: PacketRef[]): PacketRef[] {
    return pending.filter((r) => {
      const k = packetKey(r.source, r.packet);
      if (this.stuck.has(k)) return false;
      if (this.dropped.has(k)) return true;
      const p = r.packet;
      const dest = r.dest.module<Ibc>('ibc');
      return !dest.hasReceipt(p.destinationPort, p.destinationChannel, p.sequence) && dest.tryChannel(p.destinationPort, p.destinationChannel)?.state !== 'STATE_OPEN';
    });
  }

  /** Records what happened to the relayer txs (the first `plans.length` results of the block). */
  afterBlock(chain: Chain, results: TxResult[]): void {
    const plans = this.plans.get(chain) ?? [];
    this.plans.delete(chain);
    plans.forEach((plan, i) => {
      const r = results[i];
      if (!r) return;
      if (r.code === 0) {
        const n = plan.keys.length;
        if (plan.kind === 'recv') this.stats.received += n;
        else if (plan.kind === 'ack') this.stats.acknowledged += n;
        else this.stats.timedOut += n;
        for (const k of plan.keys) this.solo.delete(k);
        return;
      }
      this.stats.failedTxs++;
      if (plan.keys.length === 1) this.stuck.set(plan.keys[0]!, `${plan.kind} on ${chain.id}: ${r.log}`);
      else for (const k of plan.keys) this.solo.add(k);
    });
  }

  /** Forget per-packet bookkeeping of packets that are gone (keeps the sets small in long runs). */
  prune(pending: PacketRef[]): void {
    if (this.seen.size < 4096) return;
    const live = new Set(pending.map((r) => packetKey(r.source, r.packet)));
    for (const s of [this.seen, this.acksSeen, this.dropped, this.solo]) for (const k of s.keys()) if (!live.has(k)) s.delete(k);
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
