// The commit notification is parsed strictly, and a commit is clipped to the heights not delivered yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipCommit, parseCommit } from './commit.ts';

test('commit notifications: strict parsing', () => {
  assert.deepEqual(parseCommit('{"chainId":"osmo-1","fromHeight":3,"toHeight":9,"time":"2025-01-01T00:00:45.000Z"}'), {
    chainId: 'osmo-1',
    fromHeight: 3,
    toHeight: 9,
    time: '2025-01-01T00:00:45.000Z',
  });
  assert.deepEqual(parseCommit('{"chainId":"osmo-1","fromHeight":3,"toHeight":3}'), { chainId: 'osmo-1', fromHeight: 3, toHeight: 3, time: null });
  const bad: Array<[string, RegExp]> = [
    ['nope', /^not JSON/],
    ['[1]', /not a JSON object/],
    ['{"chainId":"","fromHeight":1,"toHeight":1}', /chainId/],
    ['{"chainId":"a","fromHeight":1.5,"toHeight":2}', /non-negative integers/],
    ['{"chainId":"a","fromHeight":-1,"toHeight":2}', /non-negative integers/],
    ['{"chainId":"a","fromHeight":"1","toHeight":2}', /non-negative integers/],
    ['{"chainId":"a","fromHeight":5,"toHeight":2}', /fromHeight 5 is after toHeight 2/],
    ['{"chainId":"a","fromHeight":1,"toHeight":2,"time":"yesterday"}', /ISO-8601/],
  ];
  for (const [payload, message] of bad) {
    const r = parseCommit(payload);
    assert.equal(typeof r, 'string', payload);
    assert.match(r as string, message, payload);
  }
});

test('commits are clipped to the heights after the last delivered one', () => {
  const c = { chainId: 'a', fromHeight: 10, toHeight: 20, time: null };
  assert.deepEqual(clipCommit(c, undefined), c);
  assert.deepEqual(clipCommit(c, 9), c);
  assert.deepEqual(clipCommit(c, 14), { ...c, fromHeight: 15 });
  assert.equal(clipCommit(c, 20), null);
  assert.equal(clipCommit(c, 25), null);
  // heights a failed delivery skipped are covered by the next commit
  assert.deepEqual(clipCommit(c, 4), { ...c, fromHeight: 5 });
});
