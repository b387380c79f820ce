import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type EpochInput,
  type InactiveValidator,
  RebalancePanic,
  applySlashes,
  epochRebalance,
  scaleRequests,
  updateInactive,
  withdrawTargets,
} from './max-cap.ts';

const base = (o: Partial<EpochInput>): EpochInput => ({
  bondRequests: [],
  bonded: [],
  slashes: [],
  inactive: [],
  cap: 1_000_000_000n,
  delegationOf: () => {
    throw new Error('no delegation query expected');
  },
  ...o,
});

const run = (o: Partial<EpochInput>) => {
  const r = epochRebalance(base(o));
  assert.equal(r.kind, 'rebalance');
  if (r.kind !== 'rebalance') throw new Error('unreachable');
  return r;
};

test('first epoch bonds every request, ascending (V1: 36 000 000)', () => {
  const r = run({ bondRequests: [['val1', 36_000_000n]] });
  assert.deepEqual(r.msgs, [{ kind: 'bond', validator: 'val1', amount: 36_000_000n }]);
  assert.deepEqual(r.bonded, [['val1', 36_000_000n]]);
  const r2 = run({ bondRequests: [['val1', 6n], ['val2', 4n]], cap: 10n });
  assert.deepEqual(r2.msgs.map((m) => [m.kind, m.validator, m.amount]), [['bond', 'val1', 6n], ['bond', 'val2', 4n]]);
});

test('unstake lowers the request; the next epoch unbonds the difference (V1: 36M → 22.5M)', () => {
  const r = run({ bondRequests: [['val1', 22_500_000n]], bonded: [['val1', 36_000_000n]] });
  assert.deepEqual(r.msgs, [{ kind: 'unbond', validator: 'val1', amount: 13_500_000n }]);
  assert.deepEqual(r.bonded, [['val1', 22_500_000n]]);
  // fully unbonded validators keep a zero entry
  const r2 = run({ bondRequests: [['val1', 0n]], bonded: [['val1', 5n]], cap: 10n });
  assert.deepEqual(r2.msgs, [{ kind: 'unbond', validator: 'val1', amount: 5n }]);
  assert.deepEqual(r2.bonded, [['val1', 0n]]);
});

test('over the cap: request × cap / Σ, integer division (contract test bond_rebalance)', () => {
  assert.deepEqual(scaleRequests([['val1', 10n], ['val2', 40n]], 5n), [['val1', 1n], ['val2', 4n]]);
  assert.deepEqual(scaleRequests([['a', 1n], ['b', 1n], ['c', 1n]], 2n), [['a', 0n], ['b', 0n], ['c', 0n]]);
  assert.deepEqual(scaleRequests([['a', 3n], ['b', 7n]], 10n), [['a', 3n], ['b', 7n]]); // Σ = cap: unchanged
  const r = run({ bondRequests: [['val1', 10n], ['val2', 40n]], cap: 5n });
  assert.deepEqual(r.msgs.map((m) => [m.kind, m.validator, m.amount]), [['bond', 'val1', 1n], ['bond', 'val2', 4n]]);
  // the stored requests stay unscaled; only `bonded` is scaled
  assert.deepEqual(r.bondRequests, [['val1', 10n], ['val2', 40n]]);
  assert.deepEqual(r.bonded, [['val1', 1n], ['val2', 4n]]);
  // lowering the cap later unbonds proportionally
  const r2 = run({ bondRequests: [['val1', 10n], ['val2', 40n]], bonded: [['val1', 10n], ['val2', 40n]], cap: 25n });
  assert.deepEqual(r2.msgs.map((m) => [m.kind, m.amount]), [['unbond', 5n], ['unbond', 20n]]);
});

test('cap = 0: no rebalance at all (the contract unstakes its delegation records, V8)', () => {
  assert.deepEqual(epochRebalance(base({ cap: 0n, bondRequests: [['val1', 22_500_000n], ['val2', 9_000_000n]], bonded: [['val1', 22_500_000n], ['val2', 9_000_000n]] })), { kind: 'zero_cap' });
});

test('§4.3.6 slash application: bonded −= slash, request ⊖= slash, inactive gets the flag', () => {
  // V2 consumer side: val1 45M bonded, contract share of the downtime slash 4 500 000
  const r = applySlashes([['val1', 45_000_000n], ['val2', 22_500_000n]], [['val1', 45_000_000n], ['val2', 22_500_000n]], [{ address: 'val1', slashAmount: 4_500_000n, isTombstoned: false }], []);
  assert.deepEqual(r.bonded, [['val1', 40_500_000n], ['val2', 22_500_000n]]);
  assert.deepEqual(r.bondRequests, [['val1', 40_500_000n], ['val2', 22_500_000n]]);
  assert.deepEqual(r.inactive, [{ validator: 'val1', tombstoned: false }]);
  // pending unbond already below the slash: request saturates at 0
  const r2 = applySlashes([['val1', 10n]], [['val1', 0n]], [{ address: 'val1', slashAmount: 1n, isTombstoned: false }], []);
  assert.deepEqual(r2.bonded, [['val1', 9n]]);
  assert.deepEqual(r2.bondRequests, [['val1', 0n]]);
  // a slash larger than the bonded amount panics like the contract's Uint128 subtraction
  assert.throws(() => applySlashes([['val1', 1n]], [['val1', 1n]], [{ address: 'val1', slashAmount: 2n, isTombstoned: false }], []), RebalancePanic);
  // slashes of validators never bonded only touch the inactive list
  const r3 = applySlashes([], [['val9', 5n]], [{ address: 'val9', slashAmount: 1n, isTombstoned: true }], []);
  assert.deepEqual(r3.bondRequests, [['val9', 5n]]);
  assert.deepEqual(r3.inactive, [{ validator: 'val9', tombstoned: true }]);
});

test('jailing during the epoch (contract tests validator_jail_*)', () => {
  const slash = [{ address: 'val1', slashAmount: 1n, isTombstoned: false }];
  const jailed: InactiveValidator[] = [{ validator: 'val1', tombstoned: false }];
  // unchanged requests: no messages, bonded val1 9
  const a = run({ bondRequests: [['val1', 10n], ['val2', 20n]], bonded: [['val1', 10n], ['val2', 20n]], slashes: slash, inactive: jailed, cap: 100n });
  assert.deepEqual(a.msgs, []);
  assert.deepEqual(a.bonded, [['val1', 9n], ['val2', 20n]]);
  assert.deepEqual(withdrawTargets(a.bonded, a.inactive), ['val2']);
  // pending bond of 20: bond 20, bonded 29
  const b = run({ bondRequests: [['val1', 30n]], bonded: [['val1', 10n]], slashes: slash, inactive: jailed, cap: 100n });
  assert.deepEqual(b.msgs, [{ kind: 'bond', validator: 'val1', amount: 20n }]);
  assert.deepEqual(b.bonded, [['val1', 29n]]);
  // pending full unbond: only the non-slashed 9 is unbonded
  const c = run({ bondRequests: [['val1', 0n]], bonded: [['val1', 10n]], slashes: slash, inactive: jailed, cap: 100n });
  assert.deepEqual(c.msgs, [{ kind: 'unbond', validator: 'val1', amount: 9n }]);
  assert.deepEqual(c.bonded, [['val1', 0n]]);
});

test('V2 consumer side: after the jail epoch val1 stays bonded at 40.5M, no messages', () => {
  const r = run({
    bondRequests: [['val1', 45_000_000n], ['val2', 22_500_000n]],
    bonded: [['val1', 45_000_000n], ['val2', 22_500_000n]],
    slashes: [{ address: 'val1', slashAmount: 4_500_000n, isTombstoned: false }],
    inactive: [{ validator: 'val1', tombstoned: false }],
  });
  assert.deepEqual(r.msgs, []);
  assert.deepEqual(r.bonded, [['val1', 40_500_000n], ['val2', 22_500_000n]]);
});

test('V5: a tombstoned validator is unbonded by its real delegation and zeroed', () => {
  const queried: string[] = [];
  const r = run({
    bondRequests: [['val1', 45_000_000n], ['val2', 22_500_000n]],
    bonded: [['val1', 45_000_000n], ['val2', 22_500_000n]],
    slashes: [{ address: 'val1', slashAmount: 9_782_609n, isTombstoned: true }],
    inactive: updateInactive([], { additions: [], removals: ['val1'], tombstoned: ['val1'] }),
    // tokens of 45 shares at 36M tokens / 46 shares, truncated
    delegationOf: (v) => (queried.push(v), (45n * 36_000_000n) / 46n),
  });
  assert.deepEqual(queried, ['val1']);
  assert.deepEqual(r.msgs, [{ kind: 'unbond', validator: 'val1', amount: 35_217_391n }]);
  assert.deepEqual(r.bonded, [['val1', 0n], ['val2', 22_500_000n]]);
  assert.deepEqual(r.bondRequests, [['val1', 0n], ['val2', 22_500_000n]]);
  // the next epoch has nothing left to do for val1
  const next = run({ bondRequests: r.bondRequests, bonded: r.bonded, inactive: r.inactive });
  assert.deepEqual(next.msgs, []);
  assert.deepEqual(withdrawTargets(next.bonded, next.inactive), ['val2']);
});

test('tombstoned validator with a zero scaled request falls back to the accounting unbond', () => {
  const r = run({ bondRequests: [['val1', 0n]], bonded: [['val1', 7n]], inactive: [{ validator: 'val1', tombstoned: true }], cap: 100n });
  assert.deepEqual(r.msgs, [{ kind: 'unbond', validator: 'val1', amount: 7n }]);
});

test('new validators are bonded after the previous ones, ascending; zero requests are still sent', () => {
  const r = run({ bondRequests: [['a', 0n], ['b', 5n], ['c', 3n]], bonded: [['b', 5n]], cap: 100n });
  assert.deepEqual(r.msgs.map((m) => [m.kind, m.validator, m.amount]), [['bond', 'a', 0n], ['bond', 'c', 3n]]);
});

test('inactive list maintenance of handle_valset_update', () => {
  let inactive = updateInactive([], { additions: [], removals: ['val1'], tombstoned: [] });
  assert.deepEqual(inactive, [{ validator: 'val1', tombstoned: false }]);
  // jailed / unjailed alone do nothing
  assert.deepEqual(updateInactive(inactive, { additions: [], removals: [], tombstoned: [] }), inactive);
  // removal again: consecutive duplicate dropped
  inactive = updateInactive(inactive, { additions: [], removals: ['val1'], tombstoned: [] });
  assert.deepEqual(inactive, [{ validator: 'val1', tombstoned: false }]);
  // re-added to the active set: entry dropped
  inactive = updateInactive(inactive, { additions: ['val1'], removals: [], tombstoned: [] });
  assert.deepEqual(inactive, []);
  // tombstone report (tombstoned + removal): both entries kept
  inactive = updateInactive(inactive, { additions: [], removals: ['val2'], tombstoned: ['val2'] });
  assert.deepEqual(inactive, [{ validator: 'val2', tombstoned: true }, { validator: 'val2', tombstoned: false }]);
  assert.deepEqual(withdrawTargets([['val1', 5n], ['val2', 5n], ['val3', 0n]], inactive), ['val1']);
});
