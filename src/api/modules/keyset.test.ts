// keysetSql: the cursor condition and order of a page, forwards and backwards, with microsecond time keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPage } from '../pagination.ts';
import { type KeyColumn, keySelect, keyShape, keysetSql, rowKey } from './keyset.ts';

const KEYS: KeyColumn[] = [
  { expr: 'time', type: 'time' },
  { expr: 'id', type: 'text' },
];

test('first page: no condition; newest first', () => {
  const params: unknown[] = ['x'];
  assert.deepEqual(keysetSql(KEYS, readPage({ first: 5 }, keyShape(KEYS)), 'DESC', params), { after: null, orderBy: 'time DESC, id DESC' });
  assert.deepEqual(params, ['x']);
});

test('after a cursor: strictly below it, the time bound exact to the microsecond', () => {
  const page = readPage({ first: 5, after: Buffer.from(JSON.stringify([1767225735123456, 'b'])).toString('base64url') }, keyShape(KEYS));
  const params: unknown[] = ['x'];
  const ks = keysetSql(KEYS, page, 'DESC', params);
  assert.equal(ks.after, "(time, id) < (('epoch'::timestamptz + $2::bigint * interval '1 microsecond'), $3::text)");
  assert.deepEqual(params, ['x', 1767225735123456, 'b']);
});

test('backwards (last/before) reads the other way; ASC order flips both', () => {
  const before = Buffer.from(JSON.stringify([5, 'a'])).toString('base64url');
  const back = keysetSql(KEYS, readPage({ last: 2, before }, keyShape(KEYS)), 'DESC', []);
  assert.deepEqual(back, { after: "(time, id) > (('epoch'::timestamptz + $1::bigint * interval '1 microsecond'), $2::text)", orderBy: 'time ASC, id ASC' });
  const asc = keysetSql(KEYS, readPage({ last: 2, before }, keyShape(KEYS)), 'ASC', []);
  assert.equal(asc.orderBy, 'time DESC, id DESC');
});

test('keys are selected as cursor parts: microseconds for times', () => {
  assert.equal(keySelect(KEYS), '(extract(epoch from time) * 1000000)::bigint AS k0, id AS k1');
  assert.deepEqual(rowKey({ k0: '1767225735000001', k1: 'z' }, KEYS), [1767225735000001, 'z']);
});
