import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type SlashedInfo,
  type ValidatorHistory,
  type ValsetUpdate,
  addValidator,
  applyValsetUpdate,
  drainOlder,
  isActive,
  isActiveAtHeight,
  jailValidator,
  latestStatus,
  partitionPoint,
  queryAtHeight,
  removeValidator,
  tombstoneValidator,
  updateValidator,
  valsetUpdateAttributes,
  valsetUpdateOf,
} from './crdt.ts';
import { decodeConsumerPacketAnyEra } from './codec/packets.ts';

const h = (...ops: Array<(h: ValidatorHistory) => ValidatorHistory>): ValidatorHistory => ops.reduce((acc, f) => f(acc), [] as ValidatorHistory);
const add = (height: bigint, pk = 'pk') => (x: ValidatorHistory) => addValidator(x, pk, height, height * 10n);
const jail = (height: bigint) => (x: ValidatorHistory) => jailValidator(x, height, height * 10n);
const remove = (height: bigint) => (x: ValidatorHistory) => removeValidator(x, height, height * 10n);
const tomb = (height: bigint) => (x: ValidatorHistory) => tombstoneValidator(x, height, height * 10n);

const update = (o: Partial<ValsetUpdate>): ValsetUpdate => ({
  height: 0n,
  time: 0n,
  additions: [],
  removals: [],
  updated: [],
  jailed: [],
  unjailed: [],
  tombstoned: [],
  slashed: [],
  ...o,
});

class Store {
  m = new Map<string, ValidatorHistory>();
  get = (v: string) => this.m.get(v);
  set = (v: string, x: ValidatorHistory) => void this.m.set(v, x);
}

describe('validator history', () => {
  it('is sorted by start_height descending; state at height = first entry with start_height ≤ h', () => {
    const x = h(add(100n), jail(200n), add(300n, 'pk2'));
    assert.deepEqual(x.map((e) => [e.startHeight, e.state]), [[300n, 'active'], [200n, 'jailed'], [100n, 'active']]);
    assert.equal(queryAtHeight(x, 50n), undefined);
    assert.equal(queryAtHeight(x, 150n)?.state, 'active');
    assert.equal(queryAtHeight(x, 250n)?.state, 'jailed');
    assert.equal(queryAtHeight(x, 300n)?.pubKey, 'pk2');
    assert.equal(latestStatus(x), 'active');
    assert.equal(latestStatus(undefined), 'unknown');
    assert.equal(isActiveAtHeight(x, 99n), false);
  });

  it('an out-of-order (older) update does not change the latest state', () => {
    const x = h(add(100n), add(300n), jail(200n));
    assert.equal(latestStatus(x), 'active');
    assert.equal(queryAtHeight(x, 250n)?.state, 'jailed');
    // with no entry at or below that height the jail is ignored
    assert.equal(h(add(300n), jail(200n)).length, 1);
  });

  it('an entry at an already used height sorts after the existing one (stable sort)', () => {
    const x = h(add(100n), jail(100n));
    assert.equal(x.length, 2);
    assert.equal(latestStatus(x), 'active');
  });

  it('drops exact duplicates', () => {
    assert.equal(h(add(100n), add(100n)).length, 1);
    // jail copies the pub_key; an update with the same key at the same height is a duplicate
    const x = h(add(100n, 'TODO'), jail(200n), (y) => updateValidator(y, 'TODO', 200n, 2000n));
    assert.equal(x.length, 2);
  });

  it('jail / remove / update ignore unknown validators', () => {
    assert.deepEqual(jailValidator([], 1n, 1n), []);
    assert.deepEqual(removeValidator([], 1n, 1n), []);
    assert.deepEqual(updateValidator([], 'k', 1n, 1n), []);
    // …and heights before the first entry
    const x = h(add(100n));
    assert.equal(jailValidator(x, 50n, 500n), x);
  });

  it('update copies the state at that height with the new pub_key', () => {
    const x = h(add(100n, 'a'), remove(200n), (y) => updateValidator(y, 'b', 300n, 3000n));
    assert.deepEqual(x[0], { pubKey: 'b', startHeight: 300n, startTime: 3000n, state: 'unbonded' });
  });

  it('tombstoning is final and drops entries at or above its height', () => {
    const x = h(add(100n), jail(200n), add(300n), tomb(250n));
    assert.deepEqual(x.map((e) => [e.startHeight, e.state]), [[250n, 'tombstoned'], [200n, 'jailed'], [100n, 'active']]);
    assert.equal(x[0]!.pubKey, '');
    assert.equal(addValidator(x, 'pk', 400n, 4000n), x);
    assert.equal(jailValidator(x, 400n, 4000n), x);
    assert.equal(updateValidator(x, 'pk', 400n, 4000n), x);
    assert.equal(tombstoneValidator(x, 500n, 5000n), x);
  });

  it('tombstone before add (crdt.rs test): the add is ignored', () => {
    const x = h(tomb(199n), add(200n));
    assert.equal(latestStatus(x), 'tombstoned');
  });

  it('drain_older keeps entries newer than the cutoff, at least one', () => {
    const x = h(add(100n), jail(200n), add(300n)); // times 1000, 2000, 3000
    assert.deepEqual(drainOlder(x, 1500n).map((e) => e.startHeight), [300n, 200n]);
    assert.deepEqual(drainOlder(x, 5000n).map((e) => e.startHeight), [300n]);
    assert.equal(drainOlder(x, 999n), x);
    const one = h(add(100n));
    assert.equal(drainOlder(one, 10_000n), one);
  });

  it('partition_point follows Rust on unpartitioned input', () => {
    assert.equal(partitionPoint([1, 2, 3, 10], (n) => n < 3), 2);
    assert.equal(partitionPoint([true, false, true], (b) => b), 1);
    assert.equal(partitionPoint([false, true, true], (b) => b), 3);
    assert.equal(partitionPoint([true, true, false, true, true], (b) => b), 2);
  });
});

describe('one valset_update packet (spec §4.8)', () => {
  it('processes slashed, tombstoned, additions, jailed, removals − jailed, updated, then prunes', () => {
    const s = new Store();
    applyValsetUpdate(s, update({ height: 10n, time: 100n, additions: [{ valoper: 'alice', pubKey: 'TODO' }, { valoper: 'bob', pubKey: 'TODO' }] }), 100n, 1000n, () => {});
    const seen: string[] = [];
    const slash = (address: string): SlashedInfo => ({ address, infractionHeight: 15n, infractionTime: 0n, power: 1n, slashAmount: { denom: 'x', amount: 1n }, slashRatio: '0.1' });
    applyValsetUpdate(
      s,
      update({
        height: 20n,
        time: 200n,
        removals: ['alice', 'carl'],
        updated: [{ valoper: 'alice', pubKey: 'TODO' }],
        jailed: ['alice'],
        tombstoned: ['bob'],
        slashed: [slash('bob'), slash('carl'), slash('alice')],
      }),
      200n,
      1000n,
      (x) => {
        // the callback runs before any CRDT change of this packet
        assert.equal(latestStatus(s.get(x.address)), 'active');
        seen.push(x.address);
      },
    );
    assert.deepEqual(seen, ['bob', 'alice']); // carl unknown → no slash
    assert.equal(latestStatus(s.get('bob')), 'tombstoned');
    assert.equal(latestStatus(s.get('alice')), 'jailed');
    assert.equal(s.get('alice')!.length, 2); // the update duplicates the jail entry
    assert.equal(s.get('carl'), undefined); // removals of unknown validators are ignored
  });

  it('slash only if active at the infraction height', () => {
    const s = new Store();
    applyValsetUpdate(s, update({ height: 10n, time: 100n, additions: [{ valoper: 'v', pubKey: 'TODO' }] }), 100n, 1000n, () => {});
    applyValsetUpdate(s, update({ height: 20n, time: 200n, removals: ['v'] }), 200n, 1000n, () => {});
    const seen: bigint[] = [];
    for (const ih of [5n, 15n, 25n]) {
      applyValsetUpdate(
        s,
        update({ height: 30n, time: 300n, slashed: [{ address: 'v', infractionHeight: ih, infractionTime: 0n, power: 1n, slashAmount: { denom: 'x', amount: 1n }, slashRatio: '0.1' }] }),
        300n,
        1000n,
        () => seen.push(ih),
      );
    }
    assert.deepEqual(seen, [15n]);
  });

  it('prunes touched validators by the provider clock − unbonding period', () => {
    const s = new Store();
    applyValsetUpdate(s, update({ height: 10n, time: 100n, additions: [{ valoper: 'v', pubKey: 'TODO' }] }), 100n, 50n, () => {});
    applyValsetUpdate(s, update({ height: 20n, time: 200n, jailed: ['v'] }), 200n, 50n, () => {});
    assert.equal(s.get('v')!.length, 1); // cutoff 150 drops the entry of time 100
    assert.equal(isActive(s.get('v')), false);
  });

  it('event attributes: each list only if non-empty, joined with ","', () => {
    const u = update({ additions: [{ valoper: 'a', pubKey: 'x' }, { valoper: 'b', pubKey: 'x' }], tombstoned: ['b'], unjailed: ['c'] });
    assert.deepEqual(valsetUpdateAttributes(u), [['additions', 'a,b'], ['unjailed', 'c'], ['tombstoned', 'b']]);
    assert.deepEqual(valsetUpdateAttributes(update({})), []);
  });
});

describe('valsetUpdateOf: the packet as the CRDT takes it (spec §2.2, §2.7)', () => {
  const base = { height: 7, time: 1700000000, additions: [{ valoper: 'v1', pub_key: 'pk1' }], removals: ['v2'], updated: [{ valoper: 'v3', pub_key: 'pk3' }], jailed: ['v4'], unjailed: ['v5'], tombstoned: ['v6'] };
  it('maps the current shape, slashes included', () => {
    const slashed = [{ address: 'v4', infraction_height: 5, infraction_time: 1699999990, power: 100, slash_amount: { denom: 'ucons', amount: '10' }, slash_ratio: '0.1' }];
    const d = decodeConsumerPacketAnyEra({ valset_update: { ...base, slashed } });
    assert.equal(d.era, '2023-12-03');
    assert.ok(d.packet.kind === 'valset_update');
    assert.deepEqual(valsetUpdateOf(d.packet.value), {
      height: 7n,
      time: 1700000000n,
      additions: [{ valoper: 'v1', pubKey: 'pk1' }],
      removals: ['v2'],
      updated: [{ valoper: 'v3', pubKey: 'pk3' }],
      jailed: ['v4'],
      unjailed: ['v5'],
      tombstoned: ['v6'],
      slashed: [{ address: 'v4', infractionHeight: 5n, infractionTime: 1699999990n, power: 100n, slashAmount: { denom: 'ucons', amount: 10n }, slashRatio: '0.1' }],
    });
  });
  it('a packet from before slashes were reported (2023-10-13 shape) has none', () => {
    const d = decodeConsumerPacketAnyEra({ valset_update: base });
    assert.equal(d.era, '2023-10-13');
    assert.ok(d.packet.kind === 'valset_update');
    assert.deepEqual(valsetUpdateOf(d.packet.value).slashed, []);
  });
});
