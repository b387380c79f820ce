// The scenario vectors V1–V9 of spec §6, run on the devnet chains, served over RPC and indexed into
// PostgreSQL by the real indexer, give the vectors' figures from the DB. Every expected figure is a
// literal from spec §6 (or the vector file's own `expect` steps); "derived" ones follow from them by
// the rule cited. Figures "before" an event are read after indexing each chain only up to its height
// before that scenario step; the indexer then resumes from its cursor to the tip.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type IndexedScenario, before, indexedScenario } from './scenario.testkit.ts';

type Range = [low: bigint, high: bigint];
const fixed = (x: bigint): Range => [x, x];

interface Position {
  collateral: bigint;
  maxLien: Range;
  totalSlashable: Range;
  free: Range;
}

/** alice's vault position (the only staker of the vectors). */
async function position(s: IndexedScenario): Promise<Position | undefined> {
  const rows = await s.table(
    `SELECT collateral, max_lien_low, max_lien_high, total_slashable_low, total_slashable_high, free_low, free_high
       FROM vault_positions WHERE staker = $1`,
    [s.ref('provider', '@alice')],
  );
  assert.ok(rows.length <= 1);
  const p = rows[0] as Record<string, bigint> | undefined;
  return p && { collateral: p.collateral!, maxLien: [p.max_lien_low!, p.max_lien_high!], totalSlashable: [p.total_slashable_low!, p.total_slashable_high!], free: [p.free_low!, p.free_high!] };
}

const pos = (collateral: bigint, maxLien: bigint | Range, totalSlashable: bigint | Range, free: bigint | Range): Position => {
  const r = (x: bigint | Range): Range => (typeof x === 'bigint' ? fixed(x) : x);
  return { collateral, maxLien: r(maxLien), totalSlashable: r(totalSlashable), free: r(free) };
};

/** Ranges keyed by the row's first column (lienholder or validator name). */
async function ranges(s: IndexedScenario, sql: string): Promise<Record<string, Range>> {
  const rows = await s.table(sql, [s.ref('provider', '@alice')]);
  return Object.fromEntries(rows.map((r) => Object.values(r) as [string, bigint, bigint]).map(([k, lo, hi]) => [k, [lo, hi]]));
}
const liens = (s: IndexedScenario) => ranges(s, 'SELECT lienholder, amount_low, amount_high FROM liens WHERE staker = $1');
const crossStakes = (s: IndexedScenario) => ranges(s, 'SELECT validator, stake_low, stake_high FROM cross_stakes WHERE staker = $1');

async function localStakes(s: IndexedScenario): Promise<Record<string, bigint>> {
  const rows = await s.table('SELECT validator, amount FROM local_stakes WHERE staker = $1', [s.ref('provider', '@alice')]);
  return Object.fromEntries(rows.map((r) => [r.validator as string, r.amount as bigint]));
}

/** The virtual-staking contract's bonded amount per validator after its latest epoch change. */
async function virtualBonded(s: IndexedScenario): Promise<Record<string, bigint>> {
  const rows = await s.table('SELECT DISTINCT ON (validator) validator, bonded_after FROM virtual_stakes ORDER BY validator, height DESC');
  return Object.fromEntries(rows.map((r) => [r.validator as string, r.bonded_after as bigint]));
}

const slashes = (s: IndexedScenario) =>
  s.table('SELECT chain_id, validator, kind, ratio, tombstoned, consumer_amount, provider_amount, provider_chain_id FROM slashes ORDER BY height');
const slashShares = (s: IndexedScenario) => s.table('SELECT staker, amount, propagation, collateral_after FROM slash_shares ORDER BY height');
const burns = (s: IndexedScenario) => s.table('SELECT chain_id, stage, lienholder, staker, amount FROM burns ORDER BY height, id');
/** The lien history rows a slash wrote (kinds slash and propagation). */
const slashLienEvents = (s: IndexedScenario) =>
  s.table(`SELECT lienholder, kind, amount, amount_low_after, amount_high_after, collateral_after FROM lien_events WHERE kind IN ('slash', 'propagation') ORDER BY height, kind DESC`);

async function assertNoDeadLetters(s: IndexedScenario): Promise<void> {
  assert.deepEqual(await s.rows('SELECT chain_id, height, kind, reason FROM dead_letters LIMIT 5'), []);
}

async function assertEveryChainAtTip(s: IndexedScenario): Promise<void> {
  const rows = await s.rows<{ chain_id: string; indexed_height: number }>('SELECT chain_id, indexed_height FROM chains ORDER BY chain_id');
  assert.deepEqual(rows, [...s.devnet.world.chains.values()].map((c) => ({ chain_id: c.id, indexed_height: Number(c.height) })).sort((a, b) => a.chain_id.localeCompare(b.chain_id)));
}

async function vector(file: string, t: { after(fn: () => Promise<void>): void }): Promise<IndexedScenario> {
  const s = await indexedScenario(file);
  t.after(() => s.close());
  return s;
}

test('V1 — TestMVP: free collateral, cross stake, virtual stake, unbonding and rewards from the DB', async (t) => {
  const s = await vector('v1-mvp.yaml', t);

  await s.index(before('stake_local'));
  assert.deepEqual(await position(s), pos(100_000_000n, 0n, 0n, 100_000_000n)); // spec §6 V1.1: free 100 000 000

  await s.index(before('stake_remote', 1));
  // spec §6 V1.2: free 70 000 000; derived: local lien 30 000 000, slashable 0.20 of it (§4.2)
  assert.deepEqual(await position(s), pos(100_000_000n, 30_000_000n, 6_000_000n, 70_000_000n));
  assert.deepEqual(await localStakes(s), { val0: 30_000_000n });

  await s.index(before('stake_remote', 2));
  // spec §6 V1.3: the stake to an unknown validator fails, free 70 000 000 unchanged, nothing cross-staked
  assert.deepEqual(await position(s), pos(100_000_000n, 30_000_000n, 6_000_000n, 70_000_000n));
  assert.deepEqual(await crossStakes(s), {});
  assert.deepEqual(await liens(s), { native_staking: fixed(30_000_000n) });

  await s.index(before('relay', 1));
  // derived (§4.1): while the 80 000 000 stake is in flight, the lien and free collateral are ranges
  assert.deepEqual(await position(s), pos(100_000_000n, [30_000_000n, 80_000_000n], [6_000_000n, 22_000_000n], [20_000_000n, 70_000_000n]));
  assert.deepEqual(await liens(s), { native_staking: fixed(30_000_000n), external_staking: [0n, 80_000_000n] });
  assert.deepEqual(await crossStakes(s), { val1: [0n, 80_000_000n] });

  await s.index(before('epoch', 1));
  // spec §6 V1.4: free 20 000 000; ext-staking stake 80 000 000, no pending unbonds
  assert.deepEqual((await position(s))!.free, fixed(20_000_000n));
  assert.deepEqual(await crossStakes(s), { val1: fixed(80_000_000n) });
  assert.deepEqual(await s.rows('SELECT id FROM unbondings'), []);
  assert.deepEqual(await virtualBonded(s), {}); // spec §6 V1.5: before the epoch total delegated 0

  await s.index(before('unstake'));
  assert.deepEqual(await virtualBonded(s), { val1: 36_000_000n }); // spec §6 V1.5: after the epoch 36 000 000

  await s.index(before('epoch', 2));
  // spec §6 V1.6: stake 50 000 000, one pending unbond of 30 000 000
  assert.deepEqual(await crossStakes(s), { val1: fixed(50_000_000n) });
  assert.deepEqual(await s.table('SELECT staker, validator, amount, kind, state FROM unbondings'), [{ staker: 'alice', validator: 'val1', amount: 30_000_000n, kind: 'cross', state: 'pending' }]);
  // spec §6 common setup + §4.7: releasable unbonding_period = 1 814 400 s after the ack
  assert.deepEqual(await s.rows('SELECT EXTRACT(EPOCH FROM release_at - time)::int AS seconds FROM unbondings'), [{ seconds: 1_814_400 }]);

  await s.index(before('withdraw_unbonded', 1));
  assert.deepEqual(await virtualBonded(s), { val1: 22_500_000n }); // spec §6 V1.7: total delegated 22 500 000
  assert.deepEqual((await position(s))!.free, fixed(20_000_000n)); // spec §6 V1.7: vault free still 20 000 000

  await s.index(before('advance_time', 1));
  // vector file: nothing is released before the unbonding period
  assert.deepEqual((await position(s))!.free, fixed(20_000_000n));
  assert.deepEqual(await s.table('SELECT state FROM unbondings'), [{ state: 'pending' }]);

  await s.index(before('unbond'));
  assert.deepEqual((await position(s))!.free, fixed(50_000_000n)); // spec §6 V1.8: after withdraw_unbonded free 50 000 000
  assert.deepEqual(await s.table('SELECT amount, state FROM unbondings'), [{ amount: 30_000_000n, state: 'released' }]);
  assert.deepEqual(await liens(s), { native_staking: fixed(30_000_000n), external_staking: fixed(50_000_000n) });

  await s.index(before('distribute_rewards'));
  // spec §6 V1.8: vault unbond 30 000 000 → free 20 000 000 (collateral 100M − 30M)
  assert.deepEqual(await position(s), pos(70_000_000n, 50_000_000n, 16_000_000n, 20_000_000n));
  assert.deepEqual(await s.table(`SELECT kind, amount, collateral_after FROM lien_events WHERE kind = 'unbond'`), [{ kind: 'unbond', amount: 30_000_000n, collateral_after: 70_000_000n }]);

  await s.index('tip');
  // spec §6 V1.9 (the vector file fixes the amount: 3 387 889): rewards reach the provider, are withdrawn
  // to bob on the consumer chain, and paid there in full
  assert.deepEqual(await s.table('SELECT chain_id, kind, validator, staker, recipient, amount FROM reward_events ORDER BY chain_id, height'), [
    { chain_id: 'consumer', kind: 'consumer_distribution', validator: 'val1', staker: null, recipient: null, amount: 3_387_889n },
    { chain_id: 'consumer', kind: 'consumer_payout', validator: null, staker: null, recipient: 'bob', amount: 3_387_889n },
    { chain_id: 'provider', kind: 'distribution', validator: 'val1', staker: null, recipient: null, amount: 3_387_889n },
    { chain_id: 'provider', kind: 'withdrawal', validator: 'val1', staker: 'alice', recipient: 'bob', amount: 3_387_889n },
    { chain_id: 'provider', kind: 'withdrawal_committed', validator: 'val1', staker: 'alice', recipient: null, amount: 3_387_889n },
  ]);
  assert.deepEqual(await s.table('SELECT withdrawn_funds FROM cross_stakes'), [{ withdrawn_funds: 3_387_889n }]);
  assert.deepEqual(await position(s), pos(70_000_000n, 50_000_000n, 16_000_000n, 20_000_000n));
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V2 — TestSlashingScenario1: a consumer downtime slash covered by free collateral', async (t) => {
  const s = await vector('v2-slashing-scenario-1.yaml', t);

  await s.index(before('jail'));
  // spec §6 V2 "Before": collateral 200 000 000, max_lien 190 000 000, total_slashable 68 000 000, free 10 000 000
  assert.deepEqual(await position(s), pos(200_000_000n, 190_000_000n, 68_000_000n, 10_000_000n));
  assert.deepEqual(await liens(s), { native_staking: fixed(190_000_000n), external_staking: fixed(150_000_000n) });
  assert.deepEqual(await crossStakes(s), { val1: fixed(100_000_000n), val2: fixed(50_000_000n) });
  assert.deepEqual(await localStakes(s), { val0: 190_000_000n });
  // spec §6 V2: total delegated 67 500 000, val1 45 and val2 22.5 shares of 10^6
  assert.deepEqual(await virtualBonded(s), { val1: 45_000_000n, val2: 22_500_000n });

  await s.index('tip');
  // spec §6 V2 "After relay": collateral 190 000 001, max_lien 190 000 000, total_slashable 66 000 001, free 1
  assert.deepEqual(await position(s), pos(190_000_001n, 190_000_000n, 66_000_001n, 1n));
  // spec §6 V2 derived: contract share 4 500 000, provider amount 9 999 999, user slash 9 999 999, no propagation
  assert.deepEqual(await slashes(s), [
    { chain_id: 'consumer', validator: 'val1', kind: 'cross', ratio: '0.100000000000000000', tombstoned: false, consumer_amount: 4_500_000n, provider_amount: 9_999_999n, provider_chain_id: 'provider' },
  ]);
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 9_999_999n, propagation: 'none', collateral_after: 190_000_001n }]);
  assert.deepEqual(await burns(s), []);
  // vector file: stake on val1 90 000 001; derived: the cross lien loses the slash, the local lien keeps 190 000 000
  assert.deepEqual(await crossStakes(s), { val1: fixed(90_000_001n), val2: fixed(50_000_000n) });
  assert.deepEqual(await liens(s), { native_staking: fixed(190_000_000n), external_staking: fixed(140_000_001n) });
  assert.deepEqual(await slashLienEvents(s), [
    { lienholder: 'external_staking', kind: 'slash', amount: 9_999_999n, amount_low_after: 140_000_001n, amount_high_after: 140_000_001n, collateral_after: 190_000_001n },
  ]);
  assert.deepEqual(await s.table(`SELECT validator, amount, stake_low_after FROM delegation_events WHERE kind = 'slash'`), [{ validator: 'val1', amount: 9_999_999n, stake_low_after: 90_000_001n }]);
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V3 — TestSlashingScenario2: no free collateral, the local lien is adjusted (case A)', async (t) => {
  const s = await vector('v3-slashing-scenario-2.yaml', t);

  await s.index(before('jail'));
  // spec §6 V3 "Before": collateral 200M, max_lien 200M, total_slashable 80M, free 0; total delegated 90 000 000
  assert.deepEqual(await position(s), pos(200_000_000n, 200_000_000n, 80_000_000n, 0n));
  assert.deepEqual(await liens(s), { native_staking: fixed(200_000_000n), external_staking: fixed(200_000_000n) });
  assert.deepEqual(await virtualBonded(s), { val1: 90_000_000n });

  await s.index('tip');
  // spec §6 V3 "After": collateral 180 000 001, max_lien 180 000 001, total_slashable 72 000 002, free 0
  assert.deepEqual(await position(s), pos(180_000_001n, 180_000_001n, 72_000_002n, 0n));
  // spec §6 V3 derived: share 9 000 000 → provider 19 999 999; case A, local lien 200M → 180 000 001,
  // burn 19 999 999 sent to native-staking
  assert.deepEqual(await slashes(s), [
    { chain_id: 'consumer', validator: 'val1', kind: 'cross', ratio: '0.100000000000000000', tombstoned: false, consumer_amount: 9_000_000n, provider_amount: 19_999_999n, provider_chain_id: 'provider' },
  ]);
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 19_999_999n, propagation: 'liens_adjustment', collateral_after: 180_000_001n }]);
  assert.deepEqual(await burns(s), [{ chain_id: 'provider', stage: 'native_staking', lienholder: 'native_staking', staker: 'alice', amount: 19_999_999n }]);
  assert.deepEqual(await liens(s), { native_staking: fixed(180_000_001n), external_staking: fixed(180_000_001n) }); // vector file: claim 180 000 001
  assert.deepEqual(await slashLienEvents(s), [
    { lienholder: 'external_staking', kind: 'slash', amount: 19_999_999n, amount_low_after: 180_000_001n, amount_high_after: 180_000_001n, collateral_after: 180_000_001n },
    { lienholder: 'native_staking', kind: 'propagation', amount: 19_999_999n, amount_low_after: 180_000_001n, amount_high_after: 180_000_001n, collateral_after: 180_000_001n },
  ]);
  // the burn is an undelegation of the local stake's principal (200M − 19 999 999)
  assert.deepEqual(await localStakes(s), { val0: 180_000_001n });
  assert.deepEqual(await crossStakes(s), { val1: fixed(180_000_001n) });
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V4 — TestSlashingScenario3: some free collateral, the rest adjusts the local lien', async (t) => {
  const s = await vector('v4-slashing-scenario-3.yaml', t);

  await s.index(before('jail'));
  // spec §6 V4 "Before": max_lien 190M, total_slashable 68M, free 10M; total delegated 67 500 000
  assert.deepEqual(await position(s), pos(200_000_000n, 190_000_000n, 68_000_000n, 10_000_000n));
  assert.deepEqual(await virtualBonded(s), { val1: 67_500_000n });

  await s.index('tip');
  // spec §6 V4 "After": collateral 185 109 490, max_lien 185 109 490, total_slashable 64 043 796, free 0
  assert.deepEqual(await position(s), pos(185_109_490n, 185_109_490n, 64_043_796n, 0n));
  // spec §6 V4 derived: share 6 700 730 → provider 14 890 511 → user slash 14 890 510; claimed 4 890 510;
  // local lien 190M → 185 109 490
  assert.deepEqual(await slashes(s), [
    { chain_id: 'consumer', validator: 'val1', kind: 'cross', ratio: '0.100000000000000000', tombstoned: false, consumer_amount: 6_700_730n, provider_amount: 14_890_511n, provider_chain_id: 'provider' },
  ]);
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 14_890_510n, propagation: 'liens_adjustment', collateral_after: 185_109_490n }]);
  assert.deepEqual(await burns(s), [{ chain_id: 'provider', stage: 'native_staking', lienholder: 'native_staking', staker: 'alice', amount: 4_890_510n }]);
  assert.deepEqual(await liens(s), { native_staking: fixed(185_109_490n), external_staking: fixed(135_109_490n) });
  assert.deepEqual(await slashLienEvents(s), [
    { lienholder: 'external_staking', kind: 'slash', amount: 14_890_510n, amount_low_after: 135_109_490n, amount_high_after: 135_109_490n, collateral_after: 185_109_490n },
    { lienholder: 'native_staking', kind: 'propagation', amount: 4_890_510n, amount_low_after: 185_109_490n, amount_high_after: 185_109_490n, collateral_after: 185_109_490n },
  ]);
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V5 — TestValidatorTombstone: a double sign on the consumer, tombstoned and auto-unbonded', async (t) => {
  const s = await vector('v5-validator-tombstone.yaml', t);

  await s.index(before('tombstone'));
  // spec §6 V5: setup as V2
  assert.deepEqual(await position(s), pos(200_000_000n, 190_000_000n, 68_000_000n, 10_000_000n));
  assert.deepEqual(await virtualBonded(s), { val1: 45_000_000n, val2: 22_500_000n });

  await s.index(before('epoch', 2));
  // spec §6 V5 "After": collateral 178 260 869, max_lien 178 260 869, total_slashable 61 304 348, free 0
  assert.deepEqual(await position(s), pos(178_260_869n, 178_260_869n, 61_304_348n, 0n));
  // spec §6 V5 derived: share 9 782 609 → provider 21 739 131 → user slash 21 739 131; claimed 11 739 131 (case A)
  assert.deepEqual(await slashes(s), [
    { chain_id: 'consumer', validator: 'val1', kind: 'cross', ratio: '0.100000000000000000', tombstoned: true, consumer_amount: 9_782_609n, provider_amount: 21_739_131n, provider_chain_id: 'provider' },
  ]);
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 21_739_131n, propagation: 'liens_adjustment', collateral_after: 178_260_869n }]);
  assert.deepEqual(await burns(s), [{ chain_id: 'provider', stage: 'native_staking', lienholder: 'native_staking', staker: 'alice', amount: 11_739_131n }]);
  assert.deepEqual(await liens(s), { native_staking: fixed(178_260_869n), external_staking: fixed(128_260_869n) });
  // spec §6 V5: the packet contains tombstoned:[val1]; both views record the tombstone
  const [packet] = await s.rows<{ tombstoned: string[]; outcome: string }>(
    `SELECT payload->'valset_update'->'tombstoned' AS tombstoned, outcome FROM ibc_packets WHERE kind = 'valset_update' ORDER BY send_height DESC LIMIT 1`,
  );
  assert.deepEqual(packet, { tombstoned: [s.ref('consumer', '@val1')], outcome: 'acknowledged' });
  assert.deepEqual(await s.table(`SELECT chain_id, view, validator FROM validator_states WHERE state = 'tombstoned' ORDER BY chain_id`), [
    { chain_id: 'consumer', view: 'consumer', validator: 'val1' },
    { chain_id: 'provider', view: 'provider_crdt', validator: 'val1' },
  ]);

  await s.index('tip');
  // spec §6 V5: next epoch the tombstoned validator is auto-unbonded (dust shares stay on the SDK side only):
  // its 45 000 000 less the slashed 9 782 609 leave the contract, 35 217 391
  assert.deepEqual(await virtualBonded(s), { val1: 0n, val2: 22_500_000n });
  assert.deepEqual(await s.table(`SELECT validator, amount FROM virtual_stakes WHERE kind = 'unbond'`), [{ validator: 'val1', amount: 35_217_391n }]);
  assert.deepEqual(await position(s), pos(178_260_869n, 178_260_869n, 61_304_348n, 0n));
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V6 — TestSlashingProviderChain: downtime of a provider validator (native slash)', async (t) => {
  const s = await vector('v6-slashing-provider-chain.yaml', t);

  await s.index(before('jail'));
  // spec §6 V6 "Before": collateral 200M, max_lien 150M, total_slashable 30M, free 50M
  assert.deepEqual(await position(s), pos(200_000_000n, 150_000_000n, 30_000_000n, 50_000_000n));
  assert.deepEqual(await localStakes(s), { val1: 100_000_000n, val2: 50_000_000n });

  await s.index('tip');
  // spec §6 V6 "After": collateral 190M, max_lien 140M, total_slashable 28M, free 50M;
  // derived: slash = floor(100M × 0.10) = 10M, no propagation
  assert.deepEqual(await position(s), pos(190_000_000n, 140_000_000n, 28_000_000n, 50_000_000n));
  assert.deepEqual(await slashes(s), [
    { chain_id: 'provider', validator: 'val1', kind: 'native', ratio: '0.100000000000000000', tombstoned: false, consumer_amount: null, provider_amount: 10_000_000n, provider_chain_id: 'provider' },
  ]);
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 10_000_000n, propagation: 'none', collateral_after: 190_000_000n }]);
  assert.deepEqual(await burns(s), []);
  assert.deepEqual(await liens(s), { native_staking: fixed(140_000_000n) });
  assert.deepEqual(await slashLienEvents(s), [
    { lienholder: 'native_staking', kind: 'slash', amount: 10_000_000n, amount_low_after: 140_000_000n, amount_high_after: 140_000_000n, collateral_after: 190_000_000n },
  ]);
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V7 — TestSlasingImmediateUnbond: unstaking from the jailed validator returns 9 999 999', async (t) => {
  const s = await vector('v7-slashing-immediate-unbond.yaml', t);

  await s.index(before('jail'));
  // spec §6 V7: total_slashable 20M, free 100M
  assert.deepEqual(await position(s), pos(200_000_000n, 100_000_000n, 20_000_000n, 100_000_000n));

  await s.index(before('unstake_local'));
  // spec §6 V7: jail → collateral 190M, max_lien 90 000 000, total_slashable 18M, free 100M
  assert.deepEqual(await position(s), pos(190_000_000n, 90_000_000n, 18_000_000n, 100_000_000n));
  assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 10_000_000n, propagation: 'none', collateral_after: 190_000_000n }]);

  await s.index('tip');
  // spec §6 V7 "After": collateral 190M, max_lien 80 000 001, total_slashable 16 000 001, free 109 999 999;
  // derived: 9 999 999 came back and released the lien
  assert.deepEqual(await position(s), pos(190_000_000n, 80_000_001n, 16_000_001n, 109_999_999n));
  assert.deepEqual(await s.table(`SELECT lienholder, amount, amount_low_after FROM lien_events WHERE kind = 'release'`), [{ lienholder: 'native_staking', amount: 9_999_999n, amount_low_after: 80_000_001n }]);
  // the local stake's principal (100M staked, 10 000 000 unstaked; slashes cut its worth, not its principal)
  assert.deepEqual(await localStakes(s), { val0: 90_000_000n });
  assert.deepEqual(await s.table(`SELECT validator, kind, amount FROM delegation_events WHERE kind IN ('local_slash', 'local_unstake') ORDER BY height`), [
    { validator: 'val0', kind: 'local_slash', amount: 10_000_000n },
    { validator: 'val0', kind: 'local_unstake', amount: 10_000_000n },
  ]);
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V8 — TestZeroMaxCapScenario1: a zero max cap unbonds everything through internal_unstake', async (t) => {
  const s = await vector('v8-zero-max-cap.yaml', t);

  await s.index(before('stake_remote', 2));
  assert.deepEqual((await position(s))!.free, fixed(50_000_000n)); // spec §6 V8: free 50M

  await s.index(before('epoch', 1));
  assert.deepEqual((await position(s))!.free, fixed(30_000_000n)); // spec §6 V8: free 30M
  assert.deepEqual(await crossStakes(s), { val1: fixed(50_000_000n), val2: fixed(20_000_000n) });

  await s.index(before('set_max_cap'));
  // spec §6 V8: epoch → total delegated 31 500 000, val1 22.5 and val2 9 shares of 10^6
  assert.deepEqual(await virtualBonded(s), { val1: 22_500_000n, val2: 9_000_000n });

  await s.index(before('relay', 3));
  // spec §6 V8: max cap 0 → epoch → 3 packets pending (2 internal_unstake, 1 distribute_batch)
  assert.deepEqual(await s.table(`SELECT cap FROM max_caps ORDER BY height DESC LIMIT 1`), [{ cap: 0n }]);
  assert.deepEqual(await s.table(`SELECT kind, outcome FROM ibc_packets WHERE outcome = 'pending' ORDER BY kind`), [
    { kind: 'distribute_batch', outcome: 'pending' },
    { kind: 'internal_unstake', outcome: 'pending' },
    { kind: 'internal_unstake', outcome: 'pending' },
  ]);

  await s.index(before('withdraw_unbonded'));
  // spec §6 V8: after relay total delegated 0; derived: inverted amounts 22 500 000 → 49 999 999 and
  // 9 000 000 → 19 999 999, the cross stakes keep 1 + 1
  assert.deepEqual(await virtualBonded(s), { val1: 0n, val2: 0n });
  assert.deepEqual(await s.table(`SELECT validator, amount, stake_low_after FROM delegation_events WHERE kind = 'internal_unstake' ORDER BY validator`), [
    { validator: 'val1', amount: 49_999_999n, stake_low_after: 1n },
    { validator: 'val2', amount: 19_999_999n, stake_low_after: 1n },
  ]);
  assert.deepEqual(await crossStakes(s), { val1: fixed(1n), val2: fixed(1n) });
  assert.deepEqual(await s.table(`SELECT validator, amount, kind, state FROM unbondings ORDER BY validator`), [
    { validator: 'val1', amount: 49_999_999n, kind: 'internal', state: 'pending' },
    { validator: 'val2', amount: 19_999_999n, kind: 'internal', state: 'pending' },
  ]);
  // spec §4.7: an internal unstake is releasable immediately
  assert.deepEqual(await s.rows('SELECT EXTRACT(EPOCH FROM release_at - time)::int AS seconds FROM unbondings'), [{ seconds: 0 }, { seconds: 0 }]);
  assert.deepEqual(await s.table(`SELECT kind, outcome FROM ibc_packets WHERE outcome <> 'acknowledged'`), []);

  await s.index('tip');
  // spec §6 V8: withdraw_unbonded → free 99 999 998; derived: liens keep 1 + 1
  assert.deepEqual(await position(s), pos(100_000_000n, 2n, 1n, 99_999_998n));
  assert.deepEqual(await liens(s), { external_staking: fixed(2n) });
  assert.deepEqual(await s.table(`SELECT state FROM unbondings`), [{ state: 'released' }, { state: 'released' }]);
  await assertEveryChainAtTip(s);
  await assertNoDeadLetters(s);
});

test('V9 — vault multitest cross_slash_scenario_1/2/3', async (t) => {
  await t.test('scenario 1: free collateral covers the slash', async (t) => {
    const s = await vector('v9-cross-slash-1.yaml', t);
    await s.index(before('jail'));
    // spec §6 V9.1 "Before": free 10, liens [cross 150, local 190], max_lien 190, total_slashable 34
    assert.deepEqual(await position(s), pos(200n, 190n, 34n, 10n));
    assert.deepEqual(await liens(s), { native_staking: fixed(190n), external_staking: fixed(150n) });

    await s.index('tip');
    // spec §6 V9.1: slash v1 by 10 → cross lien 140, local 190, max_lien 190, total_slashable 33, collateral 190,
    // free 0, v1 stake 90, v2 50
    assert.deepEqual(await position(s), pos(190n, 190n, 33n, 0n));
    assert.deepEqual(await liens(s), { native_staking: fixed(190n), external_staking: fixed(140n) });
    assert.deepEqual(await crossStakes(s), { v1: fixed(90n), v2: fixed(50n) });
    assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 10n, propagation: 'none', collateral_after: 190n }]);
    assert.deepEqual(await burns(s), []);
    await assertEveryChainAtTip(s);
    await assertNoDeadLetters(s);
  });

  await t.test('scenario 2: no free collateral', async (t) => {
    const s = await vector('v9-cross-slash-2.yaml', t);
    await s.index(before('jail'));
    // spec §6 V9.2 "Before": liens 200/200, max_lien 200, total_slashable 40, free 0
    assert.deepEqual(await position(s), pos(200n, 200n, 40n, 0n));
    assert.deepEqual(await liens(s), { native_staking: fixed(200n), external_staking: fixed(200n) });

    await s.index('tip');
    // spec §6 V9.2: slash v1 by 20 → liens 180/180, max_lien 180, total_slashable 36, collateral 180, free 0, v1 stake 180
    assert.deepEqual(await position(s), pos(180n, 180n, 36n, 0n));
    assert.deepEqual(await liens(s), { native_staking: fixed(180n), external_staking: fixed(180n) });
    assert.deepEqual(await crossStakes(s), { v1: fixed(180n) });
    assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 20n, propagation: 'liens_adjustment', collateral_after: 180n }]);
    assert.deepEqual(await burns(s), [{ chain_id: 'provider', stage: 'native_staking', lienholder: 'native_staking', staker: 'alice', amount: 20n }]);
    await assertEveryChainAtTip(s);
    await assertNoDeadLetters(s);
  });

  await t.test('scenario 3: some free collateral', async (t) => {
    const s = await vector('v9-cross-slash-3.yaml', t);
    await s.index(before('jail'));
    // spec §6 V9.3 "Before": max_lien 190, total_slashable 34, free 10
    assert.deepEqual(await position(s), pos(200n, 190n, 34n, 10n));

    await s.index('tip');
    // spec §6 V9.3: slash 15 → liens cross 135, local 185, max_lien 185, total_slashable 33 (+1 from incremental
    // flooring), collateral 185, free 0
    assert.deepEqual(await position(s), pos(185n, 185n, 33n, 0n));
    assert.deepEqual(await liens(s), { native_staking: fixed(185n), external_staking: fixed(135n) });
    assert.deepEqual(await slashShares(s), [{ staker: 'alice', amount: 15n, propagation: 'liens_adjustment', collateral_after: 185n }]);
    // derived: 10 of the 15 are covered by free collateral, 5 are burned from the local stake
    assert.deepEqual(await burns(s), [{ chain_id: 'provider', stage: 'native_staking', lienholder: 'native_staking', staker: 'alice', amount: 5n }]);
    await assertEveryChainAtTip(s);
    await assertNoDeadLetters(s);
  });
});
