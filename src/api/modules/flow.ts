// Explorer: flow(txHash) follows a user action across chains — the tx, the packets it sent, the txs
// that received them on the other chain, the acknowledgements (or timeouts) back on the source, and
// any packets those txs sent in turn (a cross slash received on the provider sends burns; a timed-out
// converter packet is sent again) — as steps in the order they happened.
//
// What a relayer tx sent because of one packet: the packets it sent if it handled only that packet;
// otherwise the ones tied to it by the data — burns of the slashes a valset_update carried
// (src/api/modules/burn-links.ts) and, after a timeout, the same bytes sent again from the same port.
import type { IbcPacket } from '@prisma/client';
import type { ApiContext } from '../context.ts';
import type { ApiModule } from '../schema/module.ts';
import { parseTxHash } from '../validate.ts';
import { iso } from './explorer-format.ts';
import { loadBurnLinks } from './slash.ts';
import { type DraftStep, type Effect, describeEffects, describePacket, effectsOfPacket, orderSteps } from './flow-steps.ts';

/** Bound on the steps of one flow (a flow is a handful of steps; this only stops runaway chains). */
const MAX_STEPS = 200;

export const flowTypeDefs = /* GraphQL */ `
  enum FlowStepKind {
    "The tx asked for."
    TX
    "A packet sent."
    SEND
    "A packet received on the destination chain (with the acknowledgement it wrote)."
    RECEIVE
    "A success acknowledgement back on the source chain."
    ACKNOWLEDGE
    "An error acknowledgement back on the source chain."
    ERROR_ACK
    "A packet timed out on the source chain."
    TIMEOUT
  }

  "A row the indexer wrote at a step: what changed there."
  type FlowEffect {
    "lien_events | delegation_events | reward_events | pending_txs | unbondings | burns | slashes | validator_states"
    table: String!
    id: String!
    kind: String!
    staker: String
    "The lien holder, contract or pairing on the other side of the row."
    counterparty: String
    validator: String
    amount: String
    txId: String
    status: String
    packetId: String
  }

  type FlowStep {
    index: Int!
    "The step that caused this one (null for the tx asked for)."
    parentIndex: Int
    kind: FlowStepKind!
    chainId: String!
    height: Int!
    time: String!
    txHash: String
    packet: Packet
    "One line: what happened."
    description: String!
    effects: [FlowEffect!]!
  }

  "A user action followed across chains."
  type Flow {
    txHash: String!
    chainId: String!
    height: Int!
    time: String!
    "In the order they happened (by block time; a cause before its effects)."
    steps: [FlowStep!]!
    "Every packet of the flow."
    packets: [Packet!]!
    "true when every packet of the flow is acknowledged, error-acked or timed out."
    settled: Boolean!
  }

  extend type Query {
    "Follows a tx across chains; null when the indexer knows no such tx. txHash: 64 hex digits."
    flow(txHash: String!): Flow
  }
`;

const EFFECTS_AT_TX = `
  SELECT 'lien_events' AS tbl, id, kind, staker, lienholder AS counterparty, NULL AS validator, amount::text, tx_id::text AS tx_id, NULL AS status, NULL AS packet_id
    FROM lien_events WHERE chain_id = $1 AND height = $2 AND tx_hash = $3
  UNION ALL SELECT 'delegation_events', id, kind, staker, contract, validator, amount::text, tx_id::text, status, NULL
    FROM delegation_events WHERE chain_id = $1 AND height = $2 AND tx_hash = $3
  UNION ALL SELECT 'reward_events', id, kind, coalesce(staker, recipient), contract, validator, amount::text, tx_id::text, NULL, packet_id
    FROM reward_events WHERE chain_id = $1 AND height = $2 AND tx_hash = $3
  UNION ALL SELECT 'pending_txs', contract || '/' || tx_id, kind, staker, lienholder, validator, amount::text, tx_id::text,
         CASE WHEN settled_height = $2 AND settled_tx_hash = $3 THEN status ELSE 'pending' END, NULL
    FROM pending_txs WHERE chain_id = $1 AND ((created_height = $2 AND created_tx_hash = $3) OR (settled_height = $2 AND settled_tx_hash = $3))
  UNION ALL SELECT 'unbondings', id, kind, staker, contract, validator, amount::text, NULL, state, NULL
    FROM unbondings WHERE chain_id = $1 AND height = $2 AND tx_hash = $3
  UNION ALL SELECT 'burns', id, stage, staker, lienholder, array_to_string(validators, ','), amount::text, NULL, NULL, packet_id
    FROM burns WHERE chain_id = $1 AND height = $2 AND tx_hash = $3
  UNION ALL SELECT 'slashes', id, kind, NULL, pairing_id, validator, coalesce(provider_amount, consumer_amount)::text, NULL, NULL, packet_id
    FROM slashes WHERE (chain_id = $1 AND height = $2 AND tx_hash = $3) OR (provider_chain_id = $1 AND provider_height = $2 AND provider_tx_hash = $3)
  UNION ALL SELECT 'validator_states', id, state, NULL, pairing_id, validator, NULL, NULL, view, NULL
    FROM validator_states WHERE chain_id = $1 AND height = $2 AND tx_hash = $3`;

/** Where a tx that sent no packet is: the first history row naming it. */
const LOCATE_TX = `
  SELECT chain_id, height, time FROM (
    SELECT chain_id, height, time FROM lien_events WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM delegation_events WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM reward_events WHERE tx_hash = $1
    UNION ALL SELECT chain_id, created_height, created_time FROM pending_txs WHERE created_tx_hash = $1
    UNION ALL SELECT chain_id, settled_height, settled_time FROM pending_txs WHERE settled_tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM unbondings WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM max_caps WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM prices WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM validator_states WHERE tx_hash = $1
    UNION ALL SELECT chain_id, height, time FROM contracts WHERE tx_hash = $1
  ) x LIMIT 1`;

interface Step extends DraftStep {
  kind: 'TX' | 'SEND' | 'RECEIVE' | 'ACKNOWLEDGE' | 'ERROR_ACK' | 'TIMEOUT';
  chainId: string;
  height: number;
  txHash: string | null;
  packet: IbcPacket | null;
  description: string;
  effects: Effect[];
}

class FlowBuilder {
  readonly steps: Step[] = [];
  readonly packets = new Map<string, IbcPacket>();
  private readonly effectsCache = new Map<string, Promise<Effect[]>>();
  private readonly txIds = new Map<string, Promise<string | null>>();

  constructor(private readonly ctx: ApiContext) {}

  effectsAt(chainId: string, height: number, txHash: string): Promise<Effect[]> {
    const k = `${chainId}/${height}/${txHash}`;
    let p = this.effectsCache.get(k);
    if (!p) {
      p = this.ctx.sql.query(EFFECTS_AT_TX, [chainId, height, txHash]).then(({ rows }) =>
        rows.map((r) => ({ table: r.tbl, id: r.id, kind: r.kind, staker: r.staker, counterparty: r.counterparty, validator: r.validator, amount: r.amount, txId: r.tx_id, status: r.status, packetId: r.packet_id })),
      );
      this.effectsCache.set(k, p);
    }
    return p;
  }

  /** The packet's tx_id as the stored JSON has it (jsonb keeps u64 exactly; a JS number would not). */
  txIdOf(packet: IbcPacket): Promise<string | null> {
    let p = this.txIds.get(packet.id);
    if (!p) {
      p = this.ctx.sql.query(`SELECT payload -> kind ->> 'tx_id' AS tx_id FROM ibc_packets WHERE id = $1`, [packet.id]).then(({ rows }) => (rows[0]?.tx_id as string | null) ?? null);
      this.txIds.set(packet.id, p);
    }
    return p;
  }

  add(s: Omit<Step, 'key'>): string {
    const key = String(this.steps.length);
    this.steps.push({ ...s, key });
    return key;
  }

  /** Packets a tx handled (received, acknowledged or timed out): to tell whether it handled only one. */
  async handledBy(txHash: string): Promise<number> {
    const { rows } = await this.ctx.sql.query(
      `SELECT count(*)::int AS n FROM ibc_packets WHERE recv_tx_hash = $1 OR id IN (SELECT id FROM ibc_packets WHERE ack_tx_hash = $1 OR timeout_tx_hash = $1)`,
      [txHash],
    );
    return rows[0].n as number;
  }

  async sentBy(txHash: string): Promise<IbcPacket[]> {
    return this.ctx.prisma.ibcPacket.findMany({ where: { sendTxHash: txHash }, orderBy: [{ sourceChainId: 'asc' }, { sequence: 'asc' }] });
  }

  /** Burn packets the vault's propagation sent for the slashes a valset_update packet carried. */
  async slashBurnPackets(packet: IbcPacket): Promise<IbcPacket[]> {
    if (packet.kind !== 'valset_update') return [];
    const slashes = await this.ctx.prisma.slash.findMany({ where: { packetId: packet.id }, select: { id: true } });
    if (slashes.length === 0) return [];
    const burns = await this.ctx.prisma.burn.findMany({ where: { slashId: { in: slashes.map((s) => s.id) }, stage: 'external_staking' } });
    const links = await loadBurnLinks(this.ctx.prisma, burns);
    const ids = new Set([...links.values()].map((l) => l.packetId).filter((id): id is string => id !== null));
    const found = await this.ctx.loaders.explorer.packetById.loadMany([...ids]);
    return found.filter((p): p is IbcPacket => p !== null && !(p instanceof Error));
  }

  /** Packets a relayer tx sent because of `packet`, which it handled (received, acked or timed out). */
  async further(packet: IbcPacket, txHash: string | null, half: 'recv' | 'ack' | 'timeout'): Promise<IbcPacket[]> {
    if (txHash === null) return [];
    const sent = await this.sentBy(txHash);
    if (sent.length > 0 && (await this.handledBy(txHash)) === 1) return sent;
    if (half === 'recv') return this.slashBurnPackets(packet);
    if (half === 'timeout') return sent.filter((p) => p.sourcePort === packet.sourcePort && JSON.stringify(p.payload) === JSON.stringify(packet.payload) && p.id !== packet.id);
    return [];
  }

  async follow(packet: IbcPacket, parent: string, depth: number, from: 'send' | 'recv' | 'ack' = 'send'): Promise<void> {
    if (this.packets.has(packet.id) || this.steps.length >= MAX_STEPS) return;
    this.packets.set(packet.id, packet);
    const txId = await this.txIdOf(packet);
    const what = describePacket(packet.kind, packet.payload, txId);
    let cause = parent;
    if (from === 'send' && packet.sendHeight != null && packet.sendTime) {
      cause = this.add({ kind: 'SEND', parent, depth, time: packet.sendTime, chainId: packet.sourceChainId, height: packet.sendHeight, txHash: packet.sendTxHash, packet, description: `sent ${what}`, effects: [] });
      depth++;
    }
    const next: Array<[IbcPacket, string, number]> = [];
    if (from !== 'ack' && packet.recvHeight != null && packet.recvTime && packet.destChainId) {
      const all = packet.recvTxHash ? await this.effectsAt(packet.destChainId, packet.recvHeight, packet.recvTxHash) : [];
      const sole = packet.recvTxHash !== null && (await this.handledBy(packet.recvTxHash)) === 1;
      const effects = effectsOfPacket(all, { id: packet.id, txId }, sole);
      const ok = packet.recvSuccess === false ? `error ack written: ${packet.ackError ?? '?'}` : packet.recvSuccess === true ? 'success ack written' : 'ack not decoded';
      const key = this.add({
        kind: 'RECEIVE', parent: cause, depth, time: packet.recvTime, chainId: packet.destChainId, height: packet.recvHeight, txHash: packet.recvTxHash, packet,
        description: `received ${packet.kind} on ${packet.destChainId}: ${ok}${effects.length ? ` — ${describeEffects(effects)}` : ''}`, effects,
      });
      for (const p of await this.further(packet, packet.recvTxHash, 'recv')) next.push([p, key, depth + 1]);
      cause = key;
      depth++;
    }
    if (packet.ackHeight != null && packet.ackTime) {
      const all = packet.ackTxHash ? await this.effectsAt(packet.sourceChainId, packet.ackHeight, packet.ackTxHash) : [];
      const sole = packet.ackTxHash !== null && (await this.handledBy(packet.ackTxHash)) === 1;
      const effects = effectsOfPacket(all, { id: packet.id, txId }, sole);
      const error = packet.ackError !== null;
      const key = this.add({
        kind: error ? 'ERROR_ACK' : 'ACKNOWLEDGE', parent: cause, depth, time: packet.ackTime, chainId: packet.sourceChainId, height: packet.ackHeight, txHash: packet.ackTxHash, packet,
        description: `${error ? `error ack of ${packet.kind}: ${packet.ackError}` : `${packet.kind} acknowledged`} on ${packet.sourceChainId}${effects.length ? ` — ${describeEffects(effects)}` : ''}`, effects,
      });
      for (const p of await this.further(packet, packet.ackTxHash, 'ack')) next.push([p, key, depth + 1]);
    } else if (packet.timeoutHeight != null && packet.timeoutTime) {
      const all = packet.timeoutTxHash ? await this.effectsAt(packet.sourceChainId, packet.timeoutHeight, packet.timeoutTxHash) : [];
      const sole = packet.timeoutTxHash !== null && (await this.handledBy(packet.timeoutTxHash)) === 1;
      const effects = effectsOfPacket(all, { id: packet.id, txId }, sole);
      const key = this.add({
        kind: 'TIMEOUT', parent: cause, depth, time: packet.timeoutTime, chainId: packet.sourceChainId, height: packet.timeoutHeight, txHash: packet.timeoutTxHash, packet,
        description: `${packet.kind} timed out on ${packet.sourceChainId}${effects.length ? ` — ${describeEffects(effects)}` : ''}`, effects,
      });
      for (const p of await this.further(packet, packet.timeoutTxHash, 'timeout')) next.push([p, key, depth + 1]);
    }
    for (const [p, key, d] of next) await this.follow(p, key, d);
  }
}

async function flow(ctx: ApiContext, raw: string) {
  const txHash = parseTxHash(raw);
  const b = new FlowBuilder(ctx);
  const [sent, received, settled] = await Promise.all([
    b.sentBy(txHash),
    ctx.prisma.ibcPacket.findMany({ where: { recvTxHash: txHash }, orderBy: [{ sourceChainId: 'asc' }, { sequence: 'asc' }] }),
    ctx.prisma.ibcPacket.findMany({ where: { OR: [{ ackTxHash: txHash }, { timeoutTxHash: txHash }] }, orderBy: [{ sourceChainId: 'asc' }, { sequence: 'asc' }] }),
  ]);
  // where the tx is: a packet half names it; else the first history row that does
  let at: { chainId: string; height: number; time: Date } | undefined;
  const s0 = sent[0];
  const r0 = received[0];
  const a0 = settled[0];
  if (s0?.sendHeight != null && s0.sendTime) at = { chainId: s0.sourceChainId, height: s0.sendHeight, time: s0.sendTime };
  else if (r0?.recvHeight != null && r0.recvTime && r0.destChainId) at = { chainId: r0.destChainId, height: r0.recvHeight, time: r0.recvTime };
  else if (a0) {
    const h = a0.ackTxHash === txHash ? { height: a0.ackHeight, time: a0.ackTime } : { height: a0.timeoutHeight, time: a0.timeoutTime };
    if (h.height != null && h.time) at = { chainId: a0.sourceChainId, ...h, height: h.height, time: h.time };
  } else {
    const { rows } = await ctx.sql.query(LOCATE_TX, [txHash]);
    if (rows[0]) at = { chainId: rows[0].chain_id, height: rows[0].height, time: rows[0].time };
  }
  if (!at) return null;

  const effects = await b.effectsAt(at.chainId, at.height, txHash);
  const handled = received.length + settled.length;
  const what = [
    effects.length ? describeEffects(effects) : null,
    sent.length ? `sent ${sent.length} packet${sent.length > 1 ? 's' : ''}` : null,
    handled ? `relayed ${handled} packet half${handled > 1 ? 's' : ''}` : null,
  ].filter(Boolean);
  const root = b.add({ kind: 'TX', parent: null, depth: 0, time: at.time, chainId: at.chainId, height: at.height, txHash, packet: null, description: `tx on ${at.chainId}${what.length ? `: ${what.join('; ')}` : ''}`, effects });
  for (const p of sent) await b.follow(p, root, 1, 'send');
  for (const p of received) await b.follow(p, root, 1, 'recv');
  for (const p of settled) await b.follow(p, root, 1, 'ack');

  const steps = orderSteps(b.steps);
  const packets = [...b.packets.values()];
  return {
    txHash,
    chainId: at.chainId,
    height: at.height,
    time: iso(at.time),
    steps: steps.map((s) => ({ index: s.index, parentIndex: s.parentIndex, kind: s.kind, chainId: s.chainId, height: s.height, time: iso(s.time), txHash: s.txHash, packet: s.packet, description: s.description, effects: s.effects })),
    packets,
    settled: packets.every((p) => p.outcome === 'acknowledged' || p.outcome === 'error' || p.outcome === 'timed_out'),
  };
}

export const flowResolvers = {
  Query: { flow: (_: unknown, args: { txHash: string }, ctx: ApiContext) => flow(ctx, args.txHash) },
};

export const flowModule: ApiModule = { name: 'flow', typeDefs: flowTypeDefs, resolvers: flowResolvers };
