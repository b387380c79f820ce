import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnMeta, TableMeta } from '../../db/generated/entities.ts';
import { JsonFloat } from '../../protocol/codec/json.ts';
import { columnEncoder, copyChunks, escapeCopy, rowEncoder } from './copy-text.ts';

const col = (scalar: ColumnMeta['scalar'], array = false): ColumnMeta => ({
  name: 'x',
  column: 'x',
  quoted: 'x',
  sqlType: 'text',
  scalar,
  nullable: true,
  array,
});

test('escapeCopy escapes backslash, tab, newline and carriage return, and replaces NUL', () => {
  assert.equal(escapeCopy('plain ∑ 😀'), 'plain ∑ 😀');
  assert.equal(escapeCopy('a\\b\tc\nd\re'), 'a\\\\b\\tc\\nd\\re');
  assert.equal(escapeCopy('\\N'), '\\\\N', 'the text \\N is not NULL');
  assert.equal(escapeCopy('a\0b'), 'a\uFFFDb');
});

test('scalars are written in PostgreSQL input syntax', () => {
  assert.equal(columnEncoder(col('BigInt'))(2n ** 128n - 1n), '340282366920938463463374607431768211455');
  assert.equal(columnEncoder(col('Int'))(-2147483648), '-2147483648');
  assert.equal(columnEncoder(col('Boolean'))(false), 'f');
  assert.equal(columnEncoder(col('Decimal'))('0.000000000000000001'), '0.000000000000000001');
  assert.equal(columnEncoder(col('DateTime'))(new Date('2024-02-29T23:59:59.999Z')), '2024-02-29T23:59:59.999Z');
  assert.equal(columnEncoder(col('JSON'))({ a: 'x"y\\z', n: 2n ** 64n, f: new JsonFloat('1.50') }), '{"a":"x\\\\"y\\\\\\\\z","n":18446744073709551616,"f":1.50}');
});

test('arrays are quoted element by element, then escaped for COPY', () => {
  const enc = columnEncoder(col('String', true));
  assert.equal(enc([]), '{}');
  assert.equal(enc(['a', 'NULL', '', 'b,c', 'd"e']), '{"a","NULL","","b,c","d\\\\"e"}');
  assert.equal(enc(['f\\g', 'h\ti']), '{"f\\\\\\\\g","h\\ti"}');
});

test('rowEncoder writes columns in table order with \\N for null and undefined', () => {
  const table: TableMeta = {
    name: 't',
    entity: 'T',
    history: false,
    columns: [
      { ...col('String'), name: 'a', column: 'a' },
      { ...col('Int'), name: 'b', column: 'b' },
      { ...col('String'), name: 'c', column: 'c' },
    ],
    primaryKey: ['a'],
    primaryKeyColumns: ['a'],
    uniqueKeys: [],
  };
  const enc = rowEncoder(table);
  assert.equal(enc({ c: 'z', a: 'x\ty', b: null }), 'x\\ty\t\\N\tz\n');
  assert.equal(enc({ a: '' }), '\t\\N\t\\N\n', 'empty string is not NULL');
});

test('copyChunks splits at row boundaries', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ i }));
  const chunks = [...copyChunks(rows, (r) => `${r.i}\n`, 4)];
  assert.deepEqual(chunks, ['0\n1\n', '2\n3\n', '4\n5\n', '6\n7\n', '8\n9\n']);
});
