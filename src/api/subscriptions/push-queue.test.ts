// A subscriber's queue: events in order, waiting consumers woken, a subscriber that falls too far
// behind ended (not buffered without bound), return() ending it at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushQueue } from './push-queue.ts';

test('the push queue delivers in order, bounds what it buffers, and ends cleanly', async () => {
  const closed: string[] = [];
  const q = new PushQueue<number>(3, (why) => closed.push(why));
  const waiting = q.next();
  assert.equal(q.push(1), true);
  assert.deepEqual(await waiting, { value: 1, done: false });
  assert.equal(q.push(2), true);
  assert.equal(q.push(3), true);
  assert.equal(q.push(4), true);
  assert.deepEqual(await q.next(), { value: 2, done: false });
  assert.equal(q.push(5), true);
  // a fourth buffered event is one too many: the subscriber is ended and its backlog dropped
  assert.equal(q.push(6), false);
  assert.deepEqual(closed, ['overflow']);
  assert.deepEqual(await q.next(), { value: undefined, done: true });
  assert.equal(q.push(7), false);

  const r = new PushQueue<string>(10, (why) => closed.push(why));
  r.push('a');
  const pending = [r.next(), r.next()];
  await r.return();
  assert.deepEqual(await Promise.all(pending), [{ value: 'a', done: false }, { value: undefined, done: true }]);
  assert.deepEqual(closed, ['overflow', 'returned']);
  const seen: string[] = [];
  for await (const v of r) seen.push(v);
  assert.deepEqual(seen, []);
});
