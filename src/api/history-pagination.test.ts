// Keyset pagination while the indexer writes (pages in the chain's own order of events): the API runs over a database the indexer is still
// filling (half the chains indexed, then the rest indexed while the pages are walked with first = 7).
// Newest first, an address's history is exactly the rows there were when the walk started: the new
// rows are newer than the first page. Oldest first over every staker of a pairing, the walk holds every
// row there was at the start, each once, in key order, and new rows only after them. Nothing is
// duplicated and nothing skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serve, testDb, workloadDevnet } from '../indexer/indexer.testkit.ts';
import { runIndexers } from '../indexer/run.ts';
import { gqlRequest } from './api.testkit.ts';
import { startApiServer } from './server.ts';

interface Walked {
  ids: string[];
  pages: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The chain's order of history rows, from their ids (`<chain>/<height>/<tx index | begin | end>/<msg>/
 * <event>[/suffix]`, src/indexer/route.ts): height, then begin-block, txs in order, end-block, then
 * the event; rows of one event by id (byte order, as the test database's C collation).
 */
function chainOrder(a: string, b: string): number {
  const parse = (id: string) => {
    const [, height, tx, , ev] = id.split('/');
    return [Number(height), tx === 'begin' ? -1 : tx === 'end' ? Number.MAX_SAFE_INTEGER : Number(tx), Number(ev)];
  };
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

test('walking history pages of 7 while the indexer writes: no gaps, no duplicates, keyset order', async (t) => {
  const w = workloadDevnet({ seed: 31, blocks: 240, users: 10 });
  const served = await serve(w.chains);
  const { db, pool, close } = await testDb();
  let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let indexing: Promise<unknown> | undefined;
  t.after(async () => (await indexing?.catch(() => {}), await api?.close(), await close(), await served.close()));

  const half = Math.floor(Math.min(...w.chains.map((c) => Number(c.height))) / 2);
  await runIndexers({ project: served.project, databaseUrl: db.url, until: half });
  api = await startApiServer({ databaseUrl: db.url, port: 0, subscriptions: false });
  const url = api.graphqlUrl;

  const walk = async (field: string, args: string, vars: Record<string, unknown>, between: () => Promise<void>): Promise<Walked> => {
    const ids: string[] = [];
    let after: string | null = null;
    const decl = Object.keys(vars).map((k) => `, $${k}: String!`).join('');
    for (let pages = 1; ; pages++) {
      const r: { data?: any; errors?: unknown } = await gqlRequest<any>(url, `query($after: String${decl}) { ${field}(first: 7, after: $after${args}) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`, { ...vars, after });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const c = r.data[field];
      assert.ok(c.edges.length <= 7);
      ids.push(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasNextPage) return { ids, pages };
      assert.equal(c.pageInfo.endCursor, c.edges.at(-1).cursor);
      after = c.pageInfo.endCursor;
      await between();
    }
  };
  const count = async (table: string) => Number((await pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  // the staker with the longest delegation history so far
  const { staker, chain } = (await pool.query(`SELECT staker, chain_id AS chain FROM delegation_events GROUP BY 1, 2 ORDER BY count(*) DESC, staker LIMIT 1`)).rows[0];
  const startDelegations = (await pool.query(`SELECT id FROM delegation_events WHERE staker = $1 AND chain_id = $2`, [staker, chain])).rows.map((r) => r.id as string).sort(chainOrder).reverse();
  const pairing = (await pool.query(`SELECT id, provider_chain_id, external_staking FROM pairings ORDER BY id LIMIT 1`)).rows[0];
  const pairingLiens = `lien_events WHERE chain_id = '${pairing.provider_chain_id}' AND lienholder = '${pairing.external_staking}'`;
  const startLiens = new Set((await pool.query(`SELECT id FROM ${pairingLiens}`)).rows.map((r) => r.id as string));
  assert.ok(startDelegations.length > 14, `a history of several pages (${startDelegations.length} rows)`);

  // the first page is read, then the rest of the chains is indexed while the walk goes on
  const before = await count('lien_events');
  const delegationsBefore = await count('delegation_events');
  let done = false;
  let written = false;
  const slow = async () => {
    indexing ??= runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' }).then(() => (done = true));
    // go on once the indexer has committed its first blocks, so the pages are read while it writes
    for (let waited = 0; !written && waited < 60_000; waited += 25) {
      if ((await count('delegation_events')) > delegationsBefore) written = true;
      else await sleep(25);
    }
    await sleep(done ? 0 : 15);
  };

  const byAddress = await walk('delegationHistory', ', filter: { address: $a }', { a: staker }, slow);
  const stillWriting = !done;
  const midWalk = await count('delegation_events');
  const allAsc = await walk('lienHistory', ', order: ASC, filter: { pairing: $p }', { p: pairing.id }, slow);
  const during = await count('lien_events');
  await indexing;
  assert.ok(during > before, `the indexer wrote while the pages were walked (${before} → ${during} lien events)`);
  assert.ok(midWalk > delegationsBefore && stillWriting, `the address walk ended while the indexer was writing (${delegationsBefore} → ${midWalk} delegation events)`);

  // newest first, one address: exactly the rows at the start, in the chain's order backwards
  assert.equal(new Set(byAddress.ids).size, byAddress.ids.length, 'no duplicates');
  assert.deepEqual(byAddress.ids, startDelegations);
  assert.ok(byAddress.pages >= 3);

  // oldest first, every staker of the pairing: every start row once, in key order; rows added later only come after
  assert.equal(new Set(allAsc.ids).size, allAsc.ids.length, 'no duplicates');
  const ordered = [...allAsc.ids].sort(chainOrder);
  assert.deepEqual(allAsc.ids, ordered, 'keyset order');
  const missing = [...startLiens].filter((id) => !allAsc.ids.includes(id));
  assert.deepEqual(missing, [], 'no gaps');
  const fresh = allAsc.ids.filter((id) => !startLiens.has(id));
  assert.ok(allAsc.ids.slice(0, startLiens.size).every((id) => startLiens.has(id)), 'rows written during the walk come after the start rows');
  t.diagnostic(`${byAddress.pages} + ${allAsc.pages} pages; ${startLiens.size} lien events of the pairing at the start, ${fresh.length} more seen during the walk, ${(await pool.query(`SELECT count(*) FROM ${pairingLiens}`)).rows[0].count} at the end`);

  // backwards (last/before) over the finished table gives the same rows as SQL, newest first
  const back: string[] = [];
  for (let before: string | null = null; ; ) {
    const r: { data?: any; errors?: unknown } = await gqlRequest<any>(url, `query($b: String, $a: String!) { delegationHistory(last: 7, before: $b, order: ASC, filter: { address: $a }) { edges { cursor node { id } } pageInfo { hasPreviousPage startCursor } totalCount } }`, { b: before, a: staker });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const c = r.data.delegationHistory;
    back.unshift(...c.edges.map((e: any) => e.node.id));
    if (!c.pageInfo.hasPreviousPage) {
      assert.equal(c.totalCount, back.length);
      break;
    }
    before = c.pageInfo.startCursor;
  }
  const sqlAsc = (await pool.query(`SELECT id FROM delegation_events WHERE staker = $1 AND chain_id = $2`, [staker, chain])).rows.map((r) => r.id as string).sort(chainOrder);
  assert.deepEqual(back, sqlAsc);
});
