// Explorer: IBC packets with both halves (send on the source chain; receive, acknowledgement or
// timeout), the outcome and the decoded payload. One ibc_packets row per packet, merged by the
// indexer from both chains' halves in any order (src/mappings/ibc.ts).
//
// The payload is the `JSON` scalar: the packet's own JSON as the contract wrote it (spec §2.2, with
// the era of §2.7 in `era`), null when it did not decode (the dead letters keep those bytes); u64
// integers beyond 2^53 come as decimal strings so no digit is lost. A
// typed union would freeze one era's shapes; `kind` already tells which variant it is.
import type { IbcPacket } from '@prisma/client';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';
import { type PageArgs, readPage, toConnection } from '../pagination.ts';
import type { ApiModule } from '../schema/module.ts';
import { parseHeightRange, parseTimeRange } from '../validate.ts';
import { amountOrNull, ID_PART, iso, parseJsonExact } from './explorer-format.ts';
import { type KeyColumn, keySelect, keyShape, keysetSql, rowKey } from './keyset.ts';

export const OUTCOMES = ['pending', 'received', 'acknowledged', 'error', 'timed_out'] as const;

/** `<source chain>/<source port>/<source channel>/<sequence>` (src/mappings/ibc.ts packetId). */
export function parsePacketId(id: string, argument = 'id'): string {
  const parts = id.split('/');
  if (id.length > 300 || parts.length !== 4 || !parts.every((p) => ID_PART.test(p)) || !/^\d{1,20}$/.test(parts[3]!)) {
    throw badInput(`"${argument}" is not a packet id: expected <source chain>/<source port>/<source channel>/<sequence>`, argument);
  }
  return id;
}

export const packetTypeDefs = /* GraphQL */ `
  "Any JSON value."
  scalar JSON

  enum PacketOutcome {
    "Sent; not received yet (as far as the indexed blocks show)."
    PENDING
    "Received with a success acknowledgement; the ack is not back on the source chain yet."
    RECEIVED
    "Acknowledged with success on the source chain."
    ACKNOWLEDGED
    "Error acknowledgement (seen on either chain)."
    ERROR
    "Timed out on the source chain."
    TIMED_OUT
  }

  "One end of a packet's channel."
  type PacketEnd {
    chainId: String
    port: String!
    channel: String!
  }

  "Where a half of a packet happened."
  type PacketEvent {
    chainId: String
    height: Int!
    time: String!
    txHash: String
  }

  "The receive half, on the destination chain, with the acknowledgement it wrote."
  type PacketReceive {
    chainId: String
    height: Int!
    time: String!
    txHash: String
    "true for a success ack, false for an error ack, null when the ack did not decode."
    success: Boolean
    "The ack bytes as text (spec §2.3: every success ack is {\\"result\\":\\"e30=\\"})."
    ack: String
    "The error text of an error ack."
    error: String
  }

  "The acknowledgement back on the source chain."
  type PacketAck {
    chainId: String
    height: Int!
    time: String!
    txHash: String
    success: Boolean
    ack: String
    error: String
  }

  "An IBC packet of a mesh control channel with both halves and its outcome."
  type Packet {
    "<source chain>/<source port>/<source channel>/<sequence>"
    id: ID!
    pairingId: String
    pairing: Pairing
    "u64 sequence as a decimal string."
    sequence: String!
    "stake | unstake | burn | transfer_rewards | valset_update | internal_unstake | distribute | distribute_batch | unknown"
    kind: String!
    "The decoded packet JSON (spec §2.2); null when it did not decode. Integers beyond 2^53 (u64 tx_ids) are given as decimal strings."
    payload: JSON
    "Packet schema era (spec §2.7)."
    era: String
    source: PacketEnd!
    destination: PacketEnd
    "Timeout timestamp (ns since the epoch) as a decimal string."
    timeoutTimestamp: String
    send: PacketEvent
    receive: PacketReceive
    acknowledgement: PacketAck
    timeout: PacketEvent
    outcome: PacketOutcome!
    "Milliseconds from send to acknowledgement or timeout."
    latencyMs: Int
  }

  type PacketEdge {
    cursor: String!
    node: Packet!
  }

  type PacketConnection {
    edges: [PacketEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  input PacketFilter {
    pairingId: String
    "Packets sent from or received on this chain."
    chainId: String
    sourceChainId: String
    destinationChainId: String
    kind: String
    outcome: PacketOutcome
    "Send height (a source-chain height); packets whose send half is not indexed are left out."
    height: HeightRange
    "The packet's time: its send time, or its receive time when the send half is not indexed."
    time: TimeRange
  }

  extend type Query {
    "A packet by id; null when the indexer has not seen it."
    packet(id: ID!): Packet
    "Packets, newest first (by the packet's time, then id) unless order: ASC."
    packets(filter: PacketFilter, first: Int, after: String, last: Int, before: String, order: OrderDirection = DESC): PacketConnection!
  }
`;

/** The packet's time: when it was sent, else when first seen. */
const PACKET_TIME = 'coalesce(send_time, recv_time, ack_time, timeout_time)';
const PACKET_KEYS: KeyColumn[] = [
  { expr: PACKET_TIME, type: 'time' },
  { expr: 'id', type: 'text' },
];

interface PacketFilterArgs {
  pairingId?: string | null;
  chainId?: string | null;
  sourceChainId?: string | null;
  destinationChainId?: string | null;
  kind?: string | null;
  outcome?: string | null;
  height?: { from?: number | null; to?: number | null } | null;
  time?: { from?: string | null; to?: string | null } | null;
}

function packetWhere(f: PacketFilterArgs | null | undefined, params: unknown[]): string[] {
  const where: string[] = [];
  const p = (v: unknown) => (params.push(v), `$${params.length}`);
  if (f?.pairingId != null) where.push(`pairing_id = ${p(f.pairingId)}`);
  if (f?.chainId != null) {
    const x = p(f.chainId);
    where.push(`(source_chain_id = ${x} OR dest_chain_id = ${x})`);
  }
  if (f?.sourceChainId != null) where.push(`source_chain_id = ${p(f.sourceChainId)}`);
  if (f?.destinationChainId != null) where.push(`dest_chain_id = ${p(f.destinationChainId)}`);
  if (f?.kind != null) where.push(`kind = ${p(f.kind)}`);
  if (f?.outcome != null) where.push(`outcome = ${p(f.outcome.toLowerCase())}`);
  const h = parseHeightRange(f?.height, 'filter.height');
  if (h.from !== null) where.push(`send_height >= ${p(h.from)}`);
  if (h.to !== null) where.push(`send_height <= ${p(h.to)}`);
  const t = parseTimeRange(f?.time, 'filter.time');
  if (t.from) where.push(`${PACKET_TIME} >= ${p(t.from)}`);
  if (t.to) where.push(`${PACKET_TIME} <= ${p(t.to)}`);
  return where;
}

async function packetsConnection(ctx: ApiContext, args: PageArgs & { filter?: PacketFilterArgs | null; order?: 'ASC' | 'DESC' }) {
  const page = readPage(args, keyShape(PACKET_KEYS));
  const params: unknown[] = [];
  const where = packetWhere(args.filter, params);
  const countParams = [...params];
  const ks = keysetSql(PACKET_KEYS, page, args.order ?? 'DESC', params);
  const all = ks.after ? [...where, ks.after] : where;
  params.push(page.take);
  const { rows } = await ctx.sql.query(
    `SELECT id, ${keySelect(PACKET_KEYS)} FROM ibc_packets ${all.length ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY ${ks.orderBy} LIMIT $${params.length}`,
    params,
  );
  const packets = await ctx.loaders.explorer.packetById.loadMany(rows.map((r) => r.id as string));
  const nodes = rows.map((r, i) => ({ key: rowKey(r, PACKET_KEYS), packet: packets[i] as IbcPacket }));
  const conn = toConnection(nodes, page, (n) => n.key, async () => {
    const { rows: c } = await ctx.sql.query(`SELECT count(*)::int AS n FROM ibc_packets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, countParams);
    return c[0].n as number;
  });
  return { ...conn, edges: conn.edges.map((e) => ({ cursor: e.cursor, node: e.node.packet })) };
}

const jsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(ast: ValueNode, vars?: Record<string, unknown> | null): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((v) => literal(v, vars));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, vars)]));
      case Kind.VARIABLE:
        return vars?.[ast.name.value];
      default:
        return undefined;
    }
  },
});

export const packetResolvers = {
  JSON: jsonScalar,
  Query: {
    packet: (_: unknown, args: { id: string }, ctx: ApiContext) => ctx.loaders.explorer.packetById.load(parsePacketId(args.id)),
    packets: (_: unknown, args: PageArgs & { filter?: PacketFilterArgs; order?: 'ASC' | 'DESC' }, ctx: ApiContext) => packetsConnection(ctx, args),
  },
  Packet: {
    pairing: (p: IbcPacket, _: unknown, ctx: ApiContext) => (p.pairingId ? ctx.loaders.explorer.pairingById.load(p.pairingId) : null),
    sequence: (p: IbcPacket) => p.sequence.toFixed(0),
    payload: async (p: IbcPacket, _: unknown, ctx: ApiContext) => {
      if (p.payload === null) return null;
      const text = await ctx.loaders.explorer.packetPayloadText.load(p.id);
      return text === null ? null : parseJsonExact(text);
    },
    timeoutTimestamp: (p: IbcPacket) => amountOrNull(p.timeoutTimestamp),
    source: (p: IbcPacket) => ({ chainId: p.sourceChainId, port: p.sourcePort, channel: p.sourceChannel }),
    destination: (p: IbcPacket) => (p.destPort && p.destChannel ? { chainId: p.destChainId, port: p.destPort, channel: p.destChannel } : null),
    send: (p: IbcPacket) => (p.sendHeight != null && p.sendTime ? { chainId: p.sourceChainId, height: p.sendHeight, time: iso(p.sendTime), txHash: p.sendTxHash } : null),
    receive: (p: IbcPacket) =>
      p.recvHeight != null && p.recvTime ? { chainId: p.destChainId, height: p.recvHeight, time: iso(p.recvTime), txHash: p.recvTxHash, success: p.recvSuccess, ack: p.ack, error: p.ackError } : null,
    acknowledgement: (p: IbcPacket) =>
      p.ackHeight != null && p.ackTime
        ? { chainId: p.sourceChainId, height: p.ackHeight, time: iso(p.ackTime), txHash: p.ackTxHash, success: p.ackError != null ? false : p.ack != null ? true : null, ack: p.ack, error: p.ackError }
        : null,
    timeout: (p: IbcPacket) => (p.timeoutHeight != null && p.timeoutTime ? { chainId: p.sourceChainId, height: p.timeoutHeight, time: iso(p.timeoutTime), txHash: p.timeoutTxHash } : null),
    outcome: (p: IbcPacket) => p.outcome.toUpperCase(),
  },
  PacketConnection: { totalCount: (c: { totalCount: () => Promise<number> }) => c.totalCount() },
};

export const packetModule: ApiModule = { name: 'packet', typeDefs: packetTypeDefs, resolvers: packetResolvers };
