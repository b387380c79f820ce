// Test helpers for subscriptions: a graphql-ws client over `ws`, a subscription that collects its
// events, waiting for the server's LISTEN connection and subscribers, rows as the indexer writes them,
// and the indexer's commit notification.
import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';
import type pg from 'pg';
import WebSocket from 'ws';
import type { ApiServer } from '../server.ts';
import { COMMIT_CHANNEL, type Commit } from './commit.ts';

export function wsClient(api: ApiServer): Client {
  return createClient({ url: api.graphqlUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

export interface Collected<T = any> {
  events: FormattedExecutionResult<T, unknown>[];
  /** Errors of an `error` message (the operation was refused). */
  errors: unknown[] | null;
  completed: boolean;
  /** Resolves when `n` events have arrived (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<FormattedExecutionResult<T, unknown>[]>;
  /** Resolves when the operation completed or failed. */
  done: Promise<void>;
  stop(): void;
}

export function collect<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Collected<T> {
  const events: FormattedExecutionResult<T, unknown>[] = [];
  let wake: (() => void) | null = null;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const c: Collected<T> = {
    events,
    errors: null,
    completed: false,
    done,
    waitFor: async (n, ms = 10_000) => {
      const deadline = Date.now() + ms;
      while (events.length < n) {
        if (c.completed || c.errors) throw new Error(`subscription ended after ${events.length} of ${n} events: ${JSON.stringify(c.errors)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${n} events; got ${events.length}: ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Math.min(left, 100));
        });
      }
      return events.slice(0, n);
    },
    stop: () => unsubscribe(),
  };
  const unsubscribe = client.subscribe<T>(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (v) => {
        events.push(v);
        wake?.();
      },
      error: (e) => {
        c.errors = Array.isArray(e) ? e : [e instanceof Error ? e.message : e];
        finish();
        wake?.();
      },
      complete: () => {
        c.completed = true;
        finish();
        wake?.();
      },
    },
  );
  return c;
}

async function poll<T>(what: string, ms: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The server's LISTEN connection (its backend pid), once it is listening. */
export function listenerPid(pool: pg.Pool, notPid?: number, ms = 10_000): Promise<number> {
  return poll('the LISTEN connection', ms, async () => {
    const { rows } = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mesh-api-listen' AND query ILIKE 'LISTEN%' AND pid <> $1`,
      [notPid ?? 0],
    );
    return rows[0]?.pid;
  });
}

/** Waits until the server counts `n` live subscriptions (its /metrics gauge). */
export function subscribers(api: ApiServer, n: number, ms = 10_000): Promise<true> {
  return poll(`${n} subscribers`, ms, async () => {
    const text = await (await fetch(`${api.url}/metrics`)).text();
    return new RegExp(`^mesh_api_subscriptions_active ${n}$`, 'm').test(text) || null;
  });
}

/** What the indexer sends after a batch. */
export async function notifyCommit(pool: pg.Pool, c: Commit): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, JSON.stringify(c)]);
}

const T0 = Date.parse('2025-01-01T00:00:00Z');
/** Block time of a height in these tests: one block per 5 s. */
export const timeAt = (height: number) => new Date(T0 + height * 5000).toISOString();

export async function insertSlash(pool: pg.Pool, s: { id: string; chainId: string; height: number; validator?: string; kind?: string; amount?: string; pairingId?: string }): Promise<void> {
  await pool.query(
    `INSERT INTO slashes (id, chain_id, validator, kind, pairing_id, infraction_height, ratio, tombstoned, consumer_amount, height, time, tx_hash)
     VALUES ($1, $2, $3, $4, $5, $6, 0.1, false, $7, $6, $8, $9)`,
    [s.id, s.chainId, s.validator ?? 'valoper1', s.kind ?? 'cross', s.pairingId ?? null, s.height, s.amount ?? '1000', timeAt(s.height), `TX${s.height}`],
  );
}

export async function insertPacket(pool: pg.Pool, p: { sequence: number; pairingId: string; source: string; dest: string; sendHeight: number; kind?: string }): Promise<string> {
  const id = `${p.source}/wasm.src/channel-0/${p.sequence}`;
  await pool.query(
    `INSERT INTO ibc_packets (id, pairing_id, source_chain_id, source_port, source_channel, sequence, dest_chain_id, dest_port, dest_channel, kind, send_height, send_time, send_tx_hash, outcome)
     VALUES ($1, $2, $3, 'wasm.src', 'channel-0', $4, $5, 'wasm.dst', 'channel-1', $6, $7, $8, $9, 'pending')`,
    [id, p.pairingId, p.source, p.sequence, p.dest, p.kind ?? 'stake', p.sendHeight, timeAt(p.sendHeight), `SEND${p.sequence}`],
  );
  return id;
}
