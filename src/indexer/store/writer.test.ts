import assert from 'node:assert/strict';
import { test } from 'node:test';
import type pg from 'pg';
import { TABLES, type ColumnMeta, type EntityName, type TableMeta } from '../../db/generated/entities.ts';
import { JsonFloat, parseJson } from '../../protocol/codec/json.ts';
import { UINT128_MAX, UINT256_MAX } from '../../protocol/uint.ts';
import { WriteBuffer } from './buffer.ts';
import { tableHashes } from './hash.ts';
import { CursorRegressionError, flush, loadCursor } from './writer.ts';
import { cursorAt, lienEvent, noServer, position, rewardEvent, withStore } from './store.testkit.ts';

// Edge values per scalar; row i of a table takes value i (cycling) in every column.
const EDGES: Record<ColumnMeta['scalar'], unknown[]> = {
  String: ['tab\there', 'new\nline\r\n', 'back\\slash \\N \\.', '\\N', '', 'unicode ∑ 日本 😀 é', `quotes " ' \` {a,b}`, 'plain'],
  Int: [0, -2147483648, 2147483647, 1, 42],
  BigInt: [0n, UINT128_MAX, UINT256_MAX, 1n, 10n ** 30n],
  Decimal: ['0.000000000000000001', '99999999999999999999.999999999999999999', '1', '0.5', '123.456'],
  Boolean: [true, false],
  DateTime: [new Date(0), new Date('2024-02-29T23:59:59.999Z'), new Date(-1), new Date('9999-12-31T23:59:59.999Z'), new Date('2025-06-01T12:00:00.123Z')],
  JSON: [
    { a: 'x"y', nested: { q: "it's \"quoted\"", list: ['\\', '\t', '\n', 'ü'] }, big: 2n ** 64n + 1n, f: new JsonFloat('1.5') },
    [],
    'just a string',
    { '': [{ deep: [[[]]] }], 'key "quoted"': null },
    12345678901234567890123n,
  ],
};
const ARRAYS: unknown[][] = [[], ['a', 'NULL', '', 'b,c', 'd"e', 'f\\g', 'h\ti', '{x}'], ['validator1']];
const ROWS = 8;

function value(c: ColumnMeta, i: number, pk: boolean): unknown {
  if (c.nullable && i % 4 === 3) return null;
  if (pk) return c.scalar === 'BigInt' ? BigInt(i) : `${EDGES.String[i % EDGES.String.length]}#${i}`;
  if (c.array) return ARRAYS[i % ARRAYS.length];
  const edges = EDGES[c.scalar];
  return edges[i % edges.length];
}

function rowsFor(t: TableMeta): Record<string, unknown>[] {
  return Array.from({ length: ROWS }, (_, i) => Object.fromEntries(t.columns.map((c) => [c.name, value(c, i, t.primaryKeyColumns.includes(c.column))])));
}

/** Reads a table back into entity JS types (numeric(38,18) with trailing zeros trimmed). */
async function readBack(pool: pg.Pool, t: TableMeta): Promise<Record<string, unknown>[]> {
  const sel = t.columns.map((c) => (c.scalar === 'JSON' ? `${c.quoted}::text AS ${c.quoted}` : c.quoted)).join(', ');
  const { rows } = await pool.query(`SELECT ${sel} FROM ${t.name}`);
  return rows.map((r) =>
    Object.fromEntries(
      t.columns.map((c) => {
        const v = r[c.column];
        if (v === null) return [c.name, null];
        if (c.scalar === 'BigInt') return [c.name, BigInt(v)];
        if (c.scalar === 'JSON') return [c.name, parseJson(v)];
        if (c.scalar === 'Decimal') return [c.name, (v as string).replace(/\.?0+$/, '')];
        return [c.name, v];
      }),
    ),
  );
}

const byKey = (t: TableMeta) => (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const k = (r: Record<string, unknown>) => t.primaryKey.map((p) => String(r[p])).join('|');
  return k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0;
};

test('every column of every table round-trips through COPY, edge values included', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const buf = new WriteBuffer();
    const entities = (Object.keys(TABLES) as EntityName[]).filter((e) => e !== 'Chain');
    // History tables are inserted (plain INSERT from the staging table), the others upserted.
    for (const e of entities) for (const row of rowsFor(TABLES[e])) TABLES[e].history ? buf.insert(e, row as never) : buf.upsert(e, row as never);
    assert.equal(buf.size, entities.length * ROWS);
    await flush(pool, buf, cursorAt('provider-1', 10));

    for (const e of entities) {
      const t: TableMeta = TABLES[e];
      const expected = rowsFor(t).map((r) => ({ ...r }));
      assert.deepEqual((await readBack(pool, t)).sort(byKey(t)), expected.sort(byKey(t)), t.name);
    }
  });
});

test('upsert: last write in a batch wins, and a later batch replaces the stored row; insert keeps the first', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const buf = new WriteBuffer();
    buf.upsert('VaultPosition', position('alice', 100n, 1));
    buf.upsert('VaultPosition', position('bob', 5n, 1));
    buf.upsert('VaultPosition', position('alice', 300n, 2));
    buf.insert('Account', { chainId: 'provider-1', address: 'alice', firstHeight: 1, firstTime: new Date(1000) });
    buf.insert('Account', { chainId: 'provider-1', address: 'alice', firstHeight: 2, firstTime: new Date(2000) });
    assert.deepEqual(buf.sizes(), { accounts: 1, vault_positions: 2 });
    await flush(pool, buf, cursorAt('provider-1', 2));
    buf.clear();
    buf.upsert('VaultPosition', position('alice', 7n, 3));
    buf.insert('Account', { chainId: 'provider-1', address: 'alice', firstHeight: 3, firstTime: new Date(3000) });
    await flush(pool, buf, cursorAt('provider-1', 3));

    const pos = await pool.query('SELECT staker, collateral, height FROM vault_positions ORDER BY staker');
    assert.deepEqual(pos.rows, [
      { staker: 'alice', collateral: '7', height: 3 },
      { staker: 'bob', collateral: '5', height: 1 },
    ]);
    const acc = await pool.query('SELECT address, first_height FROM accounts');
    assert.deepEqual(acc.rows, [{ address: 'alice', first_height: 1 }]);
  });
});

test('flushing the same batch twice leaves the same database', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    const buf = new WriteBuffer();
    for (let n = 0; n < 50; n++) buf.insert('LienEvent', lienEvent(n, 5));
    buf.upsert('VaultPosition', position('alice', 100n, 5));
    buf.deadLetter({ chainId: 'provider-1', height: 5, kind: 'tx', reason: 'bad protobuf', txHash: 'TX5', raw: 'CgQ=' });
    await flush(pool, buf, cursorAt('provider-1', 5));
    const once = await tableHashes(pool);
    const again = await flush(pool, buf, cursorAt('provider-1', 5));
    assert.equal(again.rows, 52);
    assert.deepEqual(await tableHashes(pool), once);
    assert.equal((await pool.query('SELECT count(*)::int AS n FROM lien_events')).rows[0].n, 50);

    // A fresh buffer replaying the same blocks (crash-resume) changes nothing either, dead letters included.
    const replay = new WriteBuffer();
    for (let n = 0; n < 50; n++) replay.insert('LienEvent', lienEvent(n, 5));
    replay.upsert('VaultPosition', position('alice', 100n, 5));
    replay.deadLetter({ chainId: 'provider-1', height: 5, kind: 'tx', reason: 'bad protobuf', txHash: 'TX5', raw: 'CgQ=' });
    await flush(pool, replay, cursorAt('provider-1', 5));
    assert.deepEqual(await tableHashes(pool), once);

    // A batch overlapping stored history writes only the rows that are new.
    const overlap = new WriteBuffer();
    for (let n = 0; n < 80; n++) overlap.insert('LienEvent', lienEvent(n, 5));
    await flush(pool, overlap, cursorAt('provider-1', 6));
    assert.equal((await pool.query('SELECT count(*)::int AS n FROM lien_events')).rows[0].n, 80);
  });
});

for (const [where, poison] of [
  ['an upserted table (dead_letters, ON CONFLICT)', (b: WriteBuffer) => b.deadLetter({ chainId: 'provider-1', height: 2, kind: 'tx', reason: null as unknown as string })],
  ['the last table written (a history table, plain INSERT)', (b: WriteBuffer) => b.insert('RewardEvent', { ...rewardEvent(2), amount: null as unknown as bigint })],
] as const) {
  test(`a failure in the middle of a flush changes neither rows nor cursor: NOT NULL violated in ${where}`, { skip: noServer }, async () => {
    await withStore(async (pool) => {
      const first = new WriteBuffer();
      first.upsert('VaultPosition', position('alice', 1n, 1));
      first.insert('LienEvent', lienEvent(0, 1));
      await flush(pool, first, cursorAt('provider-1', 1));
      const before = await tableHashes(pool, { exclude: {} });

      const buf = new WriteBuffer();
      for (let n = 0; n < 20; n++) buf.insert('LienEvent', lienEvent(n, 2));
      buf.upsert('VaultPosition', position('alice', 999n, 2));
      buf.deadLetter({ chainId: 'provider-1', height: 2, kind: 'event', reason: 'fine' });
      poison(buf);
      await assert.rejects(flush(pool, buf, cursorAt('provider-1', 2)), /null value in column/);

      assert.deepEqual(await tableHashes(pool, { exclude: {} }), before);
      assert.equal((await loadCursor(pool, 'provider-1'))!.height, 1);
      // The pool's connections are still usable.
      const ok = new WriteBuffer();
      ok.upsert('VaultPosition', position('alice', 2n, 2));
      await flush(pool, ok, cursorAt('provider-1', 2));
      assert.equal((await loadCursor(pool, 'provider-1'))!.height, 2);
    });
  });
}

test('cursor: saved with the batch, loaded back, never moved backwards; unknown chains are refused', { skip: noServer }, async () => {
  await withStore(async (pool) => {
    assert.equal(await loadCursor(pool, 'nowhere-1'), undefined);
    assert.deepEqual(await loadCursor(pool, 'consumer-1'), { chainId: 'consumer-1', height: 0, time: null, hash: null });

    await flush(pool, new WriteBuffer(), cursorAt('consumer-1', 7));
    assert.deepEqual(await loadCursor(pool, 'consumer-1'), cursorAt('consumer-1', 7));
    assert.equal((await loadCursor(pool, 'provider-1'))!.height, 0, 'other chains keep their cursor');

    const late = new WriteBuffer();
    late.upsert('VaultPosition', position('alice', 1n, 6));
    await assert.rejects(flush(pool, late, cursorAt('consumer-1', 6)), CursorRegressionError);
    await assert.rejects(flush(pool, late, cursorAt('nowhere-1', 6)), /not registered/);
    assert.equal((await pool.query('SELECT count(*)::int AS n FROM vault_positions')).rows[0].n, 0);
  });
});

test('one write mode per table and batch; chains rows are not buffered', () => {
  const buf = new WriteBuffer();
  buf.insert('LienEvent', lienEvent(1, 1));
  assert.throws(() => buf.upsert('LienEvent', lienEvent(2, 1)), /one write mode per table/);
  assert.throws(() => buf.upsert('Chain', {} as never), /chains row/);
  buf.clear();
  buf.upsert('LienEvent', lienEvent(2, 1));
  assert.equal(buf.size, 1);
});
