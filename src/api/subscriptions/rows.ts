// What one commit (a chain and a height range) added or changed, read from the tables the indexer
// writes (src/db/generated/schema.sql), shaped as the subscription payloads. Amounts are decimal
// strings (numeric(78,0)::text keeps every digit), times ISO-8601.
import type pg from 'pg';
import type { Commit } from './commit.ts';

type Queryable = Pick<pg.Pool, 'query'>;

const iso = (t: Date | null): string | null => (t === null ? null : t.toISOString());

export interface SlashAddedPayload {
  id: string;
  chainId: string;
  validator: string;
  kind: string;
  pairingId: string | null;
  infractionHeight: number | null;
  ratio: string | null;
  tombstoned: boolean;
  consumerAmount: string | null;
  providerAmount: string | null;
  height: number;
  time: string;
  txHash: string | null;
}

/** Slashes recorded on the commit's chain at heights in its range, in height order. */
export async function slashesIn(db: Queryable, c: Commit): Promise<SlashAddedPayload[]> {
  const { rows } = await db.query(
    `SELECT id, chain_id, validator, kind, pairing_id, infraction_height, ratio::text AS ratio, tombstoned,
            consumer_amount::text AS consumer_amount, provider_amount::text AS provider_amount, height, time, tx_hash
       FROM slashes WHERE chain_id = $1 AND height BETWEEN $2 AND $3 ORDER BY height, id`,
    [c.chainId, c.fromHeight, c.toHeight],
  );
  return rows.map((r) => ({
    id: r.id,
    chainId: r.chain_id,
    validator: r.validator,
    kind: r.kind,
    pairingId: r.pairing_id,
    infractionHeight: r.infraction_height,
    ratio: r.ratio,
    tombstoned: r.tombstoned,
    consumerAmount: r.consumer_amount,
    providerAmount: r.provider_amount,
    height: r.height,
    time: iso(r.time)!,
    txHash: r.tx_hash,
  }));
}

export type PacketStage = 'SEND' | 'RECEIVE' | 'ACKNOWLEDGEMENT' | 'TIMEOUT';

export interface PacketUpdatedPayload {
  id: string;
  pairingId: string | null;
  kind: string;
  sequence: string;
  sourceChainId: string;
  sourceChannel: string;
  destChainId: string | null;
  destChannel: string | null;
  outcome: string;
  /** The chain whose commit carried the update, and the stages of the packet in it. */
  chainId: string;
  stages: PacketStage[];
  /** Height and time of the latest stage in the commit. */
  height: number;
  time: string | null;
  sendHeight: number | null;
  recvHeight: number | null;
  ackHeight: number | null;
  timeoutHeight: number | null;
  recvSuccess: boolean | null;
  ackError: string | null;
  latencyMs: number | null;
}

/**
 * Packets with a half in the commit: send, acknowledgement and timeout happen on the source chain,
 * receive on the destination chain. One payload per packet, naming every stage in the range.
 */
export async function packetsIn(db: Queryable, c: Commit): Promise<PacketUpdatedPayload[]> {
  const { rows } = await db.query(
    `SELECT id, pairing_id, kind, sequence::text AS sequence, source_chain_id, source_channel, dest_chain_id, dest_channel,
            outcome, send_height, send_time, recv_height, recv_time, recv_success, ack_error, ack_height, ack_time,
            timeout_height, timeout_time, latency_ms
       FROM ibc_packets
      WHERE (source_chain_id = $1 AND (send_height BETWEEN $2 AND $3 OR ack_height BETWEEN $2 AND $3 OR timeout_height BETWEEN $2 AND $3))
         OR (dest_chain_id = $1 AND recv_height BETWEEN $2 AND $3)`,
    [c.chainId, c.fromHeight, c.toHeight],
  );
  const inRange = (h: number | null) => h !== null && h >= c.fromHeight && h <= c.toHeight;
  const out = rows.flatMap((r): PacketUpdatedPayload[] => {
    const src = r.source_chain_id === c.chainId;
    const dst = r.dest_chain_id === c.chainId;
    const stages: Array<[PacketStage, number, Date | null]> = [];
    if (src && inRange(r.send_height)) stages.push(['SEND', r.send_height, r.send_time]);
    if (dst && inRange(r.recv_height)) stages.push(['RECEIVE', r.recv_height, r.recv_time]);
    if (src && inRange(r.ack_height)) stages.push(['ACKNOWLEDGEMENT', r.ack_height, r.ack_time]);
    if (src && inRange(r.timeout_height)) stages.push(['TIMEOUT', r.timeout_height, r.timeout_time]);
    if (stages.length === 0) return [];
    const last = stages.reduce((a, b) => (b[1] >= a[1] ? b : a));
    return [{
      id: r.id,
      pairingId: r.pairing_id,
      kind: r.kind,
      sequence: r.sequence,
      sourceChainId: r.source_chain_id,
      sourceChannel: r.source_channel,
      destChainId: r.dest_chain_id,
      destChannel: r.dest_channel,
      outcome: r.outcome,
      chainId: c.chainId,
      stages: stages.map((s) => s[0]),
      height: last[1],
      time: iso(last[2]),
      sendHeight: r.send_height,
      recvHeight: r.recv_height,
      ackHeight: r.ack_height,
      timeoutHeight: r.timeout_height,
      recvSuccess: r.recv_success,
      ackError: r.ack_error,
      latencyMs: r.latency_ms,
    }];
  });
  return out.sort((a, b) => a.height - b.height || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type AccountChangeSource = 'VAULT_POSITION' | 'LIEN' | 'LIEN_EVENT' | 'DELEGATION_EVENT' | 'REWARD_EVENT';

export interface AccountChangeRow {
  source: AccountChangeSource;
  /** The row's id: the history row's id, or for current-state rows the key within the account. */
  id: string;
  kind: string | null;
  amount: string | null;
  /** The vault, lien holder or validator the row is about. */
  counterparty: string | null;
  height: number;
  time: string | null;
  txHash: string | null;
}

export interface AccountChangedPayload {
  address: string;
  chainId: string;
  fromHeight: number;
  toHeight: number;
  time: string | null;
  changes: AccountChangeRow[];
}

/**
 * Rows about any of `addresses` in the commit: the vault position and liens updated in it (current
 * state, whose `height` is their last update) and lien, delegation and reward history rows. One
 * payload per address that has any.
 */
export async function accountChangesIn(db: Queryable, c: Commit, addresses: readonly string[]): Promise<AccountChangedPayload[]> {
  if (addresses.length === 0) return [];
  const p = [c.chainId, c.fromHeight, c.toHeight, addresses];
  const range = 'chain_id = $1 AND height BETWEEN $2 AND $3';
  const [positions, liens, lienEvents, delegations, rewards] = await Promise.all([
    db.query(`SELECT staker AS address, vault AS id, NULL AS kind, collateral::text AS amount, vault AS counterparty, height, time, NULL AS tx_hash
                FROM vault_positions WHERE ${range} AND staker = ANY($4::text[])`, p),
    db.query(`SELECT staker AS address, lienholder AS id, NULL AS kind, amount_high::text AS amount, lienholder AS counterparty, height, time, NULL AS tx_hash
                FROM liens WHERE ${range} AND staker = ANY($4::text[])`, p),
    db.query(`SELECT staker AS address, id, kind, amount::text AS amount, lienholder AS counterparty, height, time, tx_hash
                FROM lien_events WHERE ${range} AND staker = ANY($4::text[])`, p),
    db.query(`SELECT staker AS address, id, kind, amount::text AS amount, validator AS counterparty, height, time, tx_hash
                FROM delegation_events WHERE ${range} AND staker = ANY($4::text[])`, p),
    // a reward row concerns its staker and its recipient (withdrawals may pay someone else)
    db.query(`SELECT a.address, id, kind, amount::text AS amount, validator AS counterparty, height, time, tx_hash
                FROM reward_events r CROSS JOIN LATERAL (SELECT DISTINCT x FROM unnest(ARRAY[r.staker, r.recipient]) AS x) AS a(address)
               WHERE ${range} AND (staker = ANY($4::text[]) OR recipient = ANY($4::text[])) AND a.address = ANY($4::text[])`, p),
  ]);
  const byAddress = new Map<string, AccountChangeRow[]>();
  const add = (source: AccountChangeSource, rows: pg.QueryResultRow[]) => {
    for (const r of rows) {
      const list = byAddress.get(r.address) ?? [];
      list.push({ source, id: r.id, kind: r.kind, amount: r.amount, counterparty: r.counterparty, height: r.height, time: iso(r.time), txHash: r.tx_hash });
      byAddress.set(r.address, list);
    }
  };
  add('VAULT_POSITION', positions.rows);
  add('LIEN', liens.rows);
  add('LIEN_EVENT', lienEvents.rows);
  add('DELEGATION_EVENT', delegations.rows);
  add('REWARD_EVENT', rewards.rows);
  const order: AccountChangeSource[] = ['VAULT_POSITION', 'LIEN', 'LIEN_EVENT', 'DELEGATION_EVENT', 'REWARD_EVENT'];
  return [...byAddress.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([address, changes]) => ({
      address,
      chainId: c.chainId,
      fromHeight: c.fromHeight,
      toHeight: c.toHeight,
      time: c.time,
      changes: changes.sort((x, y) => x.height - y.height || order.indexOf(x.source) - order.indexOf(y.source) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)),
    }));
}
