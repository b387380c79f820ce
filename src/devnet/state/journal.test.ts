import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JItem, JMap, Journal } from './journal.ts';

test('a reverted scope undoes every write, nested scopes included', () => {
  const j = new Journal();
  const m = new JMap<number>(j);
  const item = new JItem(j, 1);
  j.atomic(() => m.set('a', 1));
  assert.throws(() =>
    j.atomic(() => {
      m.set('a', 2);
      m.set('b', 3);
      item.set(5);
      j.atomic(() => m.delete('a'));
      throw new Error('boom');
    }),
  );
  assert.equal(m.get('a'), 1);
  assert.equal(m.has('b'), false);
  assert.equal(item.get(), 1);
});

test('an inner failure is undone while the outer scope keeps its own writes', () => {
  const j = new Journal();
  const m = new JMap<number>(j);
  j.atomic(() => {
    m.set('outer', 1);
    try {
      j.atomic(() => {
        m.set('inner', 2);
        throw new Error('sub-message failed');
      });
    } catch {}
  });
  assert.deepEqual(m.entries(), [['outer', 1]]);
});

test('entries are in byte order with prefix and start_after like cw-storage-plus ranges', () => {
  const j = new Journal();
  const m = new JMap<number>(j);
  j.atomic(() => ['b\u0000x', 'a\u0000z', 'a\u0000y', 'c'].forEach((k, i) => m.set(k, i)));
  assert.deepEqual(m.keys({ prefix: 'a\u0000' }), ['a\u0000y', 'a\u0000z']);
  assert.deepEqual(
    m.entries({ startAfter: 'a\u0000z' }).map(([k]) => k),
    ['b\u0000x', 'c'],
  );
  assert.deepEqual(
    m.entries({ descending: true, startAfter: 'c' }).map(([k]) => k),
    ['b\u0000x', 'a\u0000z', 'a\u0000y'],
  );
});

test('prefix reads agree with a full scan before and after the first one builds the index, through deletes and reverts', () => {
  const j = new Journal();
  const m = new JMap<number>(j);
  const scan = (prefix: string) => m.keys().filter((k) => k.startsWith(prefix));
  // writes before any prefix read: the index is built from the live keys on the first one
  j.atomic(() => ['u1\u0000v1', 'u1\u0000v2', 'u2\u0000v1', 'u3'].forEach((k, i) => m.set(k, i)));
  j.atomic(() => m.delete('u1\u0000v2'));
  assert.deepEqual(m.keys({ prefix: 'u1\u0000' }), ['u1\u0000v1']);
  // then kept up to date: inserts, deletes, a reverted scope (re-links and unlinks), an emptied bucket
  j.atomic(() => {
    m.set('u1\u0000v3', 9);
    m.delete('u2\u0000v1');
  });
  assert.throws(() =>
    j.atomic(() => {
      m.set('u1\u0000v4', 1);
      m.delete('u1\u0000v1');
      throw new Error('rolled back');
    }),
  );
  for (const prefix of ['u1\u0000', 'u2\u0000', 'u3\u0000']) assert.deepEqual(m.keys({ prefix }), scan(prefix), prefix);
  assert.deepEqual(m.keys({ prefix: 'u1\u0000' }), ['u1\u0000v1', 'u1\u0000v3']);
  assert.deepEqual(m.keys({ prefix: 'u2\u0000' }), []);
});

test('reads at a past height see the state as of that block', () => {
  const j = new Journal();
  const m = new JMap<string>(j);
  const item = new JItem(j, 'genesis');
  j.atomic(() => m.set('k', 'v0'));
  j.commitBlock(0n);
  j.atomic(() => {
    m.set('k', 'v1');
    m.set('new', 'n1');
    item.set('one');
  });
  j.commitBlock(1n);
  j.atomic(() => {
    m.delete('k');
    item.set('two');
  });
  j.commitBlock(3n);
  assert.equal(j.readAt(0n, () => m.get('k')), 'v0');
  assert.equal(j.readAt(0n, () => m.has('new')), false);
  assert.equal(j.readAt(0n, () => item.get()), 'genesis');
  assert.equal(j.readAt(2n, () => m.get('k')), 'v1');
  assert.deepEqual(
    j.readAt(2n, () => m.entries()),
    [
      ['k', 'v1'],
      ['new', 'n1'],
    ],
  );
  assert.equal(j.readAt(2n, () => item.get()), 'one');
  assert.equal(m.get('k'), undefined);
  assert.equal(j.readAt(3n, () => m.get('k')), undefined);
  assert.equal(item.get(), 'two');
});

test('a reverted write keeps the versions other blocks see; a deleted key can come back', () => {
  const j = new Journal();
  const m = new JMap<string>(j);
  j.atomic(() => m.set('k', 'a'));
  j.commitBlock(1n);
  // block 2: the first write of the block is reverted, then the key is deleted for good
  assert.throws(() =>
    j.atomic(() => {
      m.set('k', 'reverted');
      throw new Error('boom');
    }),
  );
  j.atomic(() => m.delete('k'));
  j.commitBlock(2n);
  j.atomic(() => m.set('k', 'c'));
  j.commitBlock(3n);
  assert.equal(j.readAt(1n, () => m.get('k')), 'a');
  assert.equal(j.readAt(2n, () => m.has('k')), false);
  assert.equal(j.readAt(2n, () => m.size), 0);
  assert.equal(j.readAt(3n, () => m.get('k')), 'c');
  assert.equal(m.size, 1);
  // writes after the last commit are not part of any committed block yet
  j.atomic(() => m.set('k', 'open'));
  assert.equal(j.readAt(3n, () => m.get('k')), 'c');
  assert.equal(m.get('k'), 'open');
});

test('prune drops the versions only older reads could see; reads from the prune height on are unchanged', () => {
  const j = new Journal();
  const m = new JMap<string>(j);
  const item = new JItem(j, 'genesis');
  const block = (h: bigint, fn: () => void) => {
    j.atomic(fn);
    j.commitBlock(h);
  };
  block(1n, () => (m.set('k', 'v1'), m.set('gone', 'g1'), m.set('back', 'b1'), item.set('one')));
  block(2n, () => (m.set('k', 'v2'), m.delete('gone'), m.delete('back')));
  block(3n, () => (m.set('k', 'v3'), item.set('three')));
  block(4n, () => m.set('back', 'b4'));
  const at = (h: bigint) => j.readAt(h, () => ({ k: m.get('k'), gone: m.get('gone'), back: m.get('back'), item: item.get(), entries: m.entries() }));
  const before = [2n, 3n, 4n].map(at);

  j.prune(2n);
  assert.equal(j.prunedBelow, 2n);
  assert.deepEqual([2n, 3n, 4n].map(at), before);
  assert.deepEqual(before[0], { k: 'v2', gone: undefined, back: undefined, item: 'one', entries: [['k', 'v2']] });
  assert.throws(() => at(1n), /height 1 is pruned \(the lowest readable height is 2\)/);
  // a key deleted at or before the prune height is forgotten; one written again keeps its history
  assert.deepEqual(
    m.entries().map(([k]) => k),
    ['back', 'k'],
  );
  j.prune(1n); // lower than the floor: nothing happens
  assert.equal(j.prunedBelow, 2n);

  // writes after a prune version as before
  block(5n, () => m.set('k', 'v5'));
  j.prune(4n);
  assert.deepEqual(at(4n), { k: 'v3', gone: undefined, back: 'b4', item: 'three', entries: [['back', 'b4'], ['k', 'v3']] });
  assert.equal(m.get('k'), 'v5');
  assert.throws(() => j.atomic(() => j.prune(5n)), /prune inside a scope/);
});
