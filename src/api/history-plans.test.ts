// The history pages read through the indexes: on a workload database whose history tables are grown
// to a few hundred thousand rows (copies of the indexed rows at later heights), every statement an
// address-filtered page sends (and the validator- and pairing-filtered ones) is planned without a
// sequential scan of a history table. The statements are the ones the API really sends (recorded on
// its pool), explained with their parameters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { apiOverWorkload } from './api.testkit.ts';
import type { ApiContext } from './context.ts';
import { createLoaders } from './loaders.ts';
import { delegationHistory } from './modules/history-delegations.ts';
import { lienHistory } from './modules/history-liens.ts';
import { rewardHistory } from './modules/history-rewards.ts';
import { slashHistory } from './modules/history-slashes.ts';

const HISTORY_TABLES = ['lien_events', 'delegation_events', 'reward_events', 'slash_shares'];

/** A parameter as an SQL literal (for EXPLAIN with the values the API sent). */
function literal(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(', ')}]`;
  if (v instanceof Date) return `'${v.toISOString()}'::timestamptz`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

test('address, validator and lien holder pages of the histories use the indexes, not a scan', async (t) => {
  const h = await apiOverWorkload({ blocks: 60, users: 6 });
  t.after(() => h.close());
  // grow the history tables: copies at later heights (ids stay unique), then fresh statistics
  for (const [table, cols] of [
    ['lien_events', 'chain_id, vault, staker, lienholder, kind, amount, amount_low_after, amount_high_after, collateral_after, tx_id'],
    ['delegation_events', 'chain_id, contract, staker, validator, kind, amount, stake_low_after, stake_high_after, tx_id, status'],
    ['reward_events', 'chain_id, contract, kind, validator, staker, recipient, amount, denom, tx_id, packet_id'],
  ] as const) {
    await h.pool.query(
      `INSERT INTO ${table} (id, ${cols}, height, time, tx_hash, msg_index, event_index)
       SELECT id || '/copy' || g, ${cols}, height + 100000 * g, time + g * interval '1 day', tx_hash, msg_index, event_index
       FROM ${table}, generate_series(1, 150) g`,
    );
  }
  // slashes are rare: their shares grow more to make a table worth an index; a run without any
  // (the plan is what is tested, not the run) gets made-up shares for its stakers instead
  const shares = (await h.pool.query(`SELECT count(*)::int AS n FROM slash_shares`)).rows[0].n as number;
  await h.pool.query(
    shares > 0
      ? `INSERT INTO slash_shares (slash_id, staker, chain_id, vault, amount, propagation, collateral_after, height)
         SELECT slash_id || '/copy' || g, staker, chain_id, vault, amount, propagation, collateral_after, height + 100000 * g
         FROM slash_shares, generate_series(1, 5000) g`
      : `INSERT INTO slash_shares (slash_id, staker, chain_id, vault, amount, propagation, collateral_after, height)
         SELECT 'made-up/' || vault || '/' || g, staker, chain_id, vault, 1, 'none', 0, g
         FROM (SELECT DISTINCT staker, chain_id, vault FROM lien_events) s, generate_series(1, 5000) g`,
  );
  await h.pool.query('ANALYZE');
  const sizes = (await h.pool.query(`SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE relname = ANY($1)`, [HISTORY_TABLES])).rows;
  t.diagnostic(sizes.map((r) => `${r.relname} ${r.n_live_tup}`).join(', '));

  // the API's pool, recording every statement it runs
  const logged: Array<{ text: string; values: unknown[] }> = [];
  const recording = new Proxy(h.pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return (q: string | pg.QueryConfig, values?: unknown[]) => {
        const c = typeof q === 'string' ? { text: q, values: values ?? [] } : { text: q.text, values: q.values ?? [] };
        logged.push(c);
        return target.query(c.text, c.values as unknown[]);
      };
    },
  });
  const prisma = null as unknown as ApiContext['prisma']; // the histories read through SQL only
  const ctx: ApiContext = { prisma, sql: recording, loaders: createLoaders(prisma, recording) };

  const staker = (await h.pool.query(`SELECT staker FROM lien_events GROUP BY staker ORDER BY count(*) DESC LIMIT 1`)).rows[0].staker as string;
  const validator = (await h.pool.query(`SELECT validator FROM delegation_events WHERE validator IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0].validator as string;
  const pairing = (await h.pool.query(`SELECT id FROM pairings ORDER BY id LIMIT 1`)).rows[0].id as string;
  const rewarded = (await h.pool.query(`SELECT validator FROM reward_events WHERE validator IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0].validator as string;
  type Page = { edges: Array<{ cursor: string }> };
  const pages: Array<[string, (after?: string) => Promise<Page>]> = [
    ['lien history of an address', (after) => lienHistory(ctx, { first: 20, after, filter: { address: staker } })],
    ['lien history of an address, oldest first, by kind', (after) => lienHistory(ctx, { first: 20, after, order: 'ASC', filter: { address: staker, kind: ['BOND', 'COMMIT'] } })],
    ['lien history of a pairing', (after) => lienHistory(ctx, { first: 20, after, filter: { pairing } })],
    ['delegation history of an address', (after) => delegationHistory(ctx, { first: 20, after, filter: { address: staker } })],
    ['delegation history of a validator', (after) => delegationHistory(ctx, { first: 20, after, filter: { validator } })],
    ['reward history of an address', (after) => rewardHistory(ctx, { first: 20, after, filter: { address: staker } })],
    ['reward history of a validator (every chain)', (after) => rewardHistory(ctx, { first: 20, after, filter: { validator: rewarded } })],
    ['slash history of an address', (after) => slashHistory(ctx, { first: 20, after, filter: { address: staker } })],
  ];
  for (const [name, page] of pages) {
    logged.length = 0;
    const first = await page();
    // and the next page: the cursor condition must enter the index too
    if (first.edges.length > 0) await page(first.edges.at(-1)!.cursor);
    else assert.ok(name.startsWith('slash'), `${name}: rows`);
    assert.ok(logged.some((l) => HISTORY_TABLES.some((t) => l.text.includes(`FROM ${t}`))), `${name}: statements recorded`);
    for (const { text, values } of logged) {
      if (!HISTORY_TABLES.some((t) => text.includes(`FROM ${t}`))) continue;
      // the plan for these values (unnamed statements are planned with them), and the generic one
      const plan = (await h.pool.query(`EXPLAIN (GENERIC_PLAN) ${text}`)).rows.map((r) => r['QUERY PLAN'] as string);
      const custom = (await h.pool.query(`EXPLAIN ${text}`.replace(/\$(\d+)/g, (_m, i) => literal(values[Number(i) - 1])))).rows.map((r) => r['QUERY PLAN'] as string);
      for (const p of [plan, custom]) {
        const scans = p.filter((l) => HISTORY_TABLES.some((t) => new RegExp(`Seq Scan on ${t}\\b`).test(l)));
        assert.deepEqual(scans, [], `${name}: ${text}\n${p.join('\n')}`);
      }
    }
  }
});
