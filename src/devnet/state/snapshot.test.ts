import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restoreSnapshot, shapeStamp, takeSnapshot } from './snapshot.ts';

const ABSENT = Symbol('absent');

class Amount {
  static readonly ZERO = new Amount(0n);
  constructor(readonly v: bigint) {}
  plus(o: Amount): Amount {
    return new Amount(this.v + o.v);
  }
}

class Later {
  constructor(readonly note: string) {}
}

/** A module as the devnet wires them: state in fields and maps, closures over itself, a shared constant. */
class Ledger {
  readonly balances = new Map<string, Amount>();
  readonly seen = new Set<string>();
  total = Amount.ZERO;
  history: Array<{ who: string; amount: Amount }> = [];
  extra: Later | typeof ABSENT = ABSENT;
  bytes = Buffer.from('ab');
  readonly handlers = new Map<string, (who: string, n: bigint) => void>();
  constructor() {
    // a handler made at construction: after a restore it must act on the restored state
    this.handlers.set('credit', (who, n) => this.credit(who, n));
  }
  credit(who: string, n: bigint): void {
    const a = new Amount(n);
    this.balances.set(who, (this.balances.get(who) ?? Amount.ZERO).plus(a));
    this.seen.add(who);
    this.total = this.total.plus(a);
    this.history.push({ who, amount: a });
  }
}

const build = () => ({ ledger: new Ledger(), config: { name: 'x' } });
const opts = { symbols: { absent: ABSENT }, classes: [Later] };

describe('devnet state snapshots', () => {
  it('restores data, classes, shared references and symbols, and the fresh closures act on the restored state', () => {
    const a = build();
    a.ledger.handlers.get('credit')!('alice', 5n);
    a.ledger.handlers.get('credit')!('bob', 7n);
    a.ledger.extra = new Later('made after deployment');
    const snap = takeSnapshot(a, opts);

    const b = restoreSnapshot(snap, build(), build(), opts);
    assert.equal(b.ledger.balances.get('alice')!.v, 5n);
    assert.ok(b.ledger.balances.get('bob') instanceof Amount);
    assert.deepEqual([...b.ledger.seen], ['alice', 'bob']);
    assert.equal(b.ledger.total.v, 12n);
    assert.ok(b.ledger.extra instanceof Later && b.ledger.extra.note === 'made after deployment');
    assert.ok(Buffer.isBuffer(b.ledger.bytes));
    assert.equal(b.ledger.bytes.toString(), 'ab');
    // one object reached twice stays one object
    assert.equal(b.ledger.history[1]!.amount.v, 7n);
    b.ledger.handlers.get('credit')!('alice', 1n);
    assert.equal(b.ledger.balances.get('alice')!.v, 6n);
    assert.equal(b.ledger.total.v, 13n);
    assert.equal(takeSnapshot(a, opts).equals(snap), true, 'taking a snapshot changes nothing');
  });

  it('never overwrites a constant both fresh graphs share (regression: a restored reward overwrote LegacyDec.ZERO)', () => {
    const a = build();
    a.ledger.credit('alice', 5n);
    // the fresh ledger's `total` is Amount.ZERO itself: pairing it with the snapshot's 5 would make ZERO 5
    const b = restoreSnapshot(takeSnapshot(a, opts), build(), build(), opts);
    assert.equal(Amount.ZERO.v, 0n);
    assert.equal(b.ledger.total.v, 5n);
    // a value equal to the constant is the constant
    const c = build();
    const d = restoreSnapshot(takeSnapshot(c, opts), build(), build(), opts);
    assert.equal(d.ledger.total, Amount.ZERO);
  });

  it('keeps the order of keys as the snapshot has it (JSON and iteration follow it)', () => {
    const a = { o: { y: 1, x: 2 } as Record<string, number> };
    const fresh = { o: { x: 0, y: 0 } as Record<string, number> };
    const r = restoreSnapshot(takeSnapshot(a), fresh, { o: { x: 0, y: 0 } });
    assert.equal(JSON.stringify(r.o), '{"y":1,"x":2}');
    assert.equal(r.o, fresh.o, 'the fresh object keeps its identity');
  });

  it('refuses what it cannot restore, before changing the fresh graph', () => {
    const a = build();
    a.ledger.extra = new Later('x');
    const snap = takeSnapshot(a, opts);
    const fresh = build();
    assert.throws(() => restoreSnapshot(snap, fresh, build(), { symbols: { absent: ABSENT } }), /no Later in the fresh graph/);
    assert.equal(fresh.ledger.extra, ABSENT);
    assert.throws(() => takeSnapshot(build(), { classes: [Later] }), /\$\.ledger\.extra holds a symbol it was not told about/);
    assert.throws(() => takeSnapshot({ t: new Float64Array(1) }), /\$\.t is a Float64Array/);
    const b = build();
    b.ledger.handlers.set('made later', () => {});
    assert.throws(() => restoreSnapshot(takeSnapshot(b, opts), build(), build(), opts), /a function at .*made later has no counterpart/);
    assert.throws(() => restoreSnapshot(Buffer.from('not a snapshot'), build(), build(), opts));
  });

  it('keeps the fresh graph\'s wiring and settings: a listener added after deployment, a changed setting', () => {
    const withWiring = () => ({ ...build(), listeners: [] as Array<() => void>, settings: { blockTimeMs: 1000 } });
    const a = withWiring();
    a.ledger.credit('alice', 5n);
    a.listeners.push(() => {}); // e.g. a status line's counter, added once the devnet runs
    a.settings.blockTimeMs = 1000;
    const wiring = (g: ReturnType<typeof withWiring>) => ({ ...opts, wiring: new Set<object>([g.listeners, g.settings]) });
    // without naming it wiring the listener has nothing to be paired with
    assert.throws(() => restoreSnapshot(takeSnapshot(a, opts), withWiring(), withWiring(), opts), /a function at .*0 has no counterpart/);

    const fresh = withWiring();
    fresh.settings.blockTimeMs = 200; // the restart's setting
    const mine = () => {};
    fresh.listeners.push(mine);
    const b = restoreSnapshot(takeSnapshot(a, wiring(a)), fresh, withWiring(), opts);
    assert.equal(b.ledger.total.v, 5n);
    assert.deepEqual(b.listeners, [mine]);
    assert.equal(b.settings.blockTimeMs, 200);
  });

  it('stamps a snapshot with the shapes of a fresh graph and refuses one taken where they differ', () => {
    const stamp = shapeStamp(build(), opts);
    assert.match(stamp, /^[0-9a-f]{16}$/);
    // values do not change it (a fresh devnet's genesis time is the wall clock's); a field does
    const other = build();
    other.ledger.total = new Amount(3n);
    other.config.name = 'y';
    assert.equal(shapeStamp(other, opts), stamp);
    const busy = build();
    busy.ledger.credit('alice', 5n);
    const newer = () => Object.assign(build(), { ledger: Object.assign(new Ledger(), { fees: 0n }) });
    const newStamp = shapeStamp(newer(), opts);
    assert.notEqual(newStamp, stamp);

    const snap = takeSnapshot(busy, { ...opts, stamp });
    assert.equal(restoreSnapshot(snap, build(), build(), { ...opts, stamp }).ledger.total.v, 5n);
    const fresh = newer();
    assert.throws(() => restoreSnapshot(snap, fresh, newer(), { ...opts, stamp: newStamp }), /taken by another version of the code/);
    assert.equal(fresh.ledger.total, Amount.ZERO, 'the fresh graph is untouched');
  });
});
