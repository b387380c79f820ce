// Series ranges: bounds aligned to UTC buckets, defaults from the data, the bucket limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_BUCKETS, bucketRange, parseBounds } from './dashboards-range.ts';

const d = (s: string) => new Date(s);
const iso = (r: ReturnType<typeof bucketRange>) => r && [r.from.toISOString(), r.to.toISOString(), r.buckets];
const none = { first: null, last: null };

test('explicit bounds: from down and to up to bucket boundaries, to exclusive', () => {
  assert.deepEqual(iso(bucketRange('hour', parseBounds('2026-01-01T00:30:00Z', '2026-01-01T02:00:01Z'), none)), ['2026-01-01T00:00:00.000Z', '2026-01-01T03:00:00.000Z', 3]);
  assert.deepEqual(iso(bucketRange('hour', parseBounds('2026-01-01T00:00:00Z', '2026-01-01T02:00:00Z'), none)), ['2026-01-01T00:00:00.000Z', '2026-01-01T02:00:00.000Z', 2]);
  // days are UTC days, whatever offset the bounds are written in
  assert.deepEqual(iso(bucketRange('day', parseBounds('2026-01-01T23:30:00-02:00', '2026-01-03'), none)), ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', 1]);
});

test('missing bounds come from the data; nothing at all gives null', () => {
  const data = { first: d('2025-12-31T23:12:30Z'), last: d('2026-01-01T01:49:30Z') };
  assert.deepEqual(iso(bucketRange('hour', parseBounds(null, null), data)), ['2025-12-31T23:00:00.000Z', '2026-01-01T02:00:00.000Z', 3]);
  assert.deepEqual(iso(bucketRange('day', parseBounds(null, null), data)), ['2025-12-31T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 2]);
  // from after the data: one bucket, so levels can be read there
  assert.deepEqual(iso(bucketRange('hour', parseBounds('2026-01-05T10:10:00Z', null), data)), ['2026-01-05T10:00:00.000Z', '2026-01-05T11:00:00.000Z', 1]);
  assert.deepEqual(iso(bucketRange('hour', parseBounds(null, '2026-01-01T01:00:00Z'), data)), ['2025-12-31T23:00:00.000Z', '2026-01-01T01:00:00.000Z', 2]);
  assert.equal(bucketRange('hour', parseBounds(null, null), none), null);
});

test('at most MAX_BUCKETS: defaults are cut to the latest ones, explicit ranges refused', () => {
  const data = { first: d('2020-01-01T00:00:00Z'), last: d('2026-01-01T00:00:00Z') };
  const r = bucketRange('hour', parseBounds(null, null), data)!;
  assert.deepEqual([r.buckets, r.to.toISOString()], [MAX_BUCKETS, '2026-01-01T01:00:00.000Z']);
  assert.equal(bucketRange('hour', parseBounds('2020-01-01T00:00:00Z', null), data)!.buckets, MAX_BUCKETS);
  assert.throws(() => bucketRange('hour', parseBounds('2020-01-01', '2026-01-01'), data), (e: any) => e.extensions.code === 'BAD_USER_INPUT');
  assert.equal(bucketRange('day', parseBounds('2024-01-01', '2026-01-01'), data)!.buckets, 731);
});

test('malformed or reversed bounds are BAD_USER_INPUT', () => {
  for (const [from, to] of [['2026-01-02', '2026-01-01'], ['2026-01-01', '2026-01-01'], ['yesterday', null], [null, '2026-13-01'], ['1767225600', null]] as const) {
    assert.throws(() => parseBounds(from, to), (e: any) => e.extensions.code === 'BAD_USER_INPUT', `${from} ${to}`);
  }
});
