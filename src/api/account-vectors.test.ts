// The spec §6 vectors V1–V9 through the API: each vector scenario runs on the devnet, is indexed by the
// real indexer (to each chain's height before a step, then on to the tip) and the staker's positions and
// histories are read with `account(address)`, `lienHistory`, `delegationHistory`, `rewardHistory` and
// `slashHistory`. Expected figures are literals from spec §6 (or the vector file's own `expect` steps,
// or derived by the rule cited); claimable rewards are also compared with the chain's own
// `pending_rewards` answer at the indexed height.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IndexedScenario } from '../indexer/scenario.testkit.ts';
import { before, indexedScenario } from '../indexer/scenario.testkit.ts';
import { gqlRequest } from './api.testkit.ts';
import { startApiServer } from './server.ts';

interface Vector {
  s: IndexedScenario;
  /** GraphQL with every address in the answer replaced by its scenario name. */
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  alice: string;
}

/** Address → scenario name (accounts, validators, contracts), as the tests read answers. */
function namesOf(s: IndexedScenario): Map<string, string> {
  const m = new Map<string, string>();
  for (const cfg of s.devnet.config.chains) {
    const chain = s.devnet.world.chain(cfg.id);
    for (const a of cfg.accounts) m.set(chain.addr(a.name), a.name);
    for (const v of cfg.validators) m.set(chain.valoper(v.name), v.name);
  }
  for (const p of s.devnet.providers.values()) m.set(p.vault, 'vault').set(p.nativeStaking, 'native_staking');
  for (const p of s.devnet.pairings.values()) m.set(p.externalStaking, 'external_staking').set(p.converter, 'converter');
  return m;
}

function readable(v: unknown, names: Map<string, string>): unknown {
  if (typeof v === 'string') return names.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => readable(x, names));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readable(x, names)]));
  return v;
}

async function vector(file: string, t: { after(fn: () => Promise<void>): void }): Promise<Vector> {
  const s = await indexedScenario(file);
  const api = await startApiServer({ databaseUrl: s.pool.options.connectionString!, port: 0, subscriptions: false }).catch(async (e) => (await s.close(), Promise.reject(e)));
  t.after(async () => (await api.close(), await s.close()));
  const names = namesOf(s);
  const alice = s.ref('provider', '@alice');
  return {
    s,
    alice,
    gql: async (query, variables = { a: alice }) => {
      const r = await gqlRequest<any>(api.graphqlUrl, query, variables);
      assert.equal(r.status, 200, JSON.stringify(r.errors));
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return readable(r.data, names);
    },
  };
}

const rng = (low: number | bigint, high: number | bigint = low) => ({ low: String(low), high: String(high) });

const POSITION = `query($a: String!) { account(address: $a) { vaults {
  vault collateral freeCollateral { low high } maxLien { low high } totalSlashable { low high } } } }`;

/** alice's one vault position: collateral, free, max lien, total slashable. */
async function position(v: Vector) {
  const r = await v.gql(POSITION);
  assert.equal(r.account.vaults.length, 1);
  const { vault, ...p } = r.account.vaults[0];
  assert.equal(vault, 'vault');
  return p;
}

const pos = (collateral: number, maxLien: [number, number] | number, totalSlashable: [number, number] | number, free: [number, number] | number) => {
  const r = (x: [number, number] | number) => (typeof x === 'number' ? rng(x) : rng(x[0], x[1]));
  return { collateral: String(collateral), freeCollateral: r(free), maxLien: r(maxLien), totalSlashable: r(totalSlashable) };
};

const LIENS = `query($a: String!) { account(address: $a) { vaults { liens { lienholder kind amount { low high } slashable pendingTxs { kind amount } } } } }`;
const liens = async (v: Vector) => (await v.gql(LIENS)).account.vaults[0].liens;

const CROSS = `query($a: String!) { account(address: $a) { crossStakes { validator stake { low high } pendingUnbondings { amount kind state releasable } pendingTxs { kind amount } } } }`;
const crossStakes = async (v: Vector) => Object.fromEntries((await v.gql(CROSS)).account.crossStakes.map((c: any) => [c.validator, c]));

const SLASHES = `query($a: String!) { account(address: $a) { slashHistory { totalCount edges { node {
  kind validator slashChainId ratio tombstoned chainId vault staker amount propagation collateralAfter } } } } }`;
const slashHistory = async (v: Vector) => {
  const h = (await v.gql(SLASHES)).account.slashHistory;
  assert.equal(h.totalCount, h.edges.length);
  return h.edges.map((e: any) => e.node);
};

const SLASH_LIEN_EVENTS = `query($a: String!) { account(address: $a) { lienHistory(order: ASC, filter: { kind: [SLASH, PROPAGATION] }) {
  edges { node { lienholder kind amount amountAfter { low high } collateralAfter } } } } }`;
/** The slash and its propagation are one vault event (spec §4.3.3): same height, listed slash first here. */
const slashLienEvents = async (v: Vector) =>
  (await v.gql(SLASH_LIEN_EVENTS)).account.lienHistory.edges.map((e: any) => e.node).sort((a: any, b: any) => b.kind.localeCompare(a.kind));

const node = (x: { edges: Array<{ node: unknown }> }) => x.edges.map((e) => e.node);
/** Rows sorted by their `validator` name (the API orders by address, which the names do not follow). */
const byValidator = <T extends { validator: string }>(rows: T[]): T[] => [...rows].sort((a, b) => a.validator.localeCompare(b.validator));

test('V1 through the API: positions while staking, unstaking and withdrawing, claimable rewards as the chain answers, and the histories', async (t) => {
  const v = await vector('v1-mvp.yaml', t);

  await v.s.index(before('stake_local'));
  assert.deepEqual(await position(v), pos(100_000_000, 0, 0, 100_000_000)); // spec §6 V1.1: free 100 000 000

  await v.s.index(before('relay', 1));
  // spec §6 V1.2: free 70 000 000 after stake_local 30 000 000; V1.4: stake_remote 80 000 000 in flight, so
  // the lien, max lien and free collateral are ranges (spec §4.1); total slashable 0.20 × each (§4.2)
  assert.deepEqual(await position(v), pos(100_000_000, [30_000_000, 80_000_000], [6_000_000, 22_000_000], [20_000_000, 70_000_000]));
  assert.deepEqual(await liens(v), [
    { lienholder: 'native_staking', kind: 'LOCAL', amount: rng(30_000_000), slashable: '0.200000000000000000', pendingTxs: [] },
    {
      lienholder: 'external_staking',
      kind: 'EXTERNAL',
      amount: rng(0, 80_000_000),
      slashable: '0.200000000000000000',
      pendingTxs: [{ kind: 'IN_FLIGHT_STAKING', amount: '80000000' }],
    },
  ]);
  assert.deepEqual(await crossStakes(v), {
    val1: { validator: 'val1', stake: rng(0, 80_000_000), pendingUnbondings: [], pendingTxs: [{ kind: 'IN_FLIGHT_REMOTE_STAKING', amount: '80000000' }] },
  });

  await v.s.index(before('epoch', 2));
  // spec §6 V1.4: free 20 000 000; V1.6: after unstaking 30 000 000, stake l 50 000 000 and one pending
  // unbond of 30 000 000, not releasable before the 21-day unbonding period (spec §4.7)
  assert.deepEqual((await position(v)).freeCollateral, rng(20_000_000));
  assert.deepEqual(await crossStakes(v), {
    val1: { validator: 'val1', stake: rng(50_000_000), pendingUnbondings: [{ amount: '30000000', kind: 'CROSS', state: 'PENDING', releasable: false }], pendingTxs: [] },
  });

  await v.s.index(before('advance_time', 1));
  // vector file: nothing is released before the unbonding period, and nothing is due yet
  assert.deepEqual((await crossStakes(v)).val1.pendingUnbondings, [{ amount: '30000000', kind: 'CROSS', state: 'PENDING', releasable: false }]);
  assert.deepEqual((await position(v)).freeCollateral, rng(20_000_000));

  await v.s.index(before('withdraw_rewards'));
  // spec §6 V1.8: withdraw_unbonded → free 50 000 000, then vault unbond 30 000 000 → free 20 000 000
  assert.deepEqual(await position(v), pos(70_000_000, 50_000_000, 16_000_000, 20_000_000));
  // spec §6 V1.9 (the vector file fixes the amount): 3 387 889 claimable on val1 — and the chain says the same
  const REWARDS = `query($a: String!) { account(address: $a) { chains { chainId indexedHeight } rewards { externalStaking validator amount error denom withdrawing } } }`;
  const r1 = (await v.gql(REWARDS)).account;
  assert.deepEqual(r1.rewards, [{ externalStaking: 'external_staking', validator: 'val1', amount: '3387889', error: null, denom: 'stake', withdrawing: '0' }]);
  const provider = v.s.chain('provider');
  const height = r1.chains.find((c: any) => c.chainId === 'provider').indexedHeight;
  const es = v.s.ref('provider', '@external_staking');
  const chainSays = provider.queryAt(BigInt(height), () => provider.query(es, { pending_rewards: { user: v.alice, validator: v.s.ref('consumer', '@val1') } })) as any;
  assert.equal(chainSays.rewards.amount, '3387889');

  await v.s.index(before('relay', 5));
  // the withdrawal is in flight: the contract still answers the full amount (spec §7 Q5), the API says how much is withdrawing
  assert.deepEqual((await v.gql(REWARDS)).account.rewards, [{ externalStaking: 'external_staking', validator: 'val1', amount: '3387889', error: null, denom: 'stake', withdrawing: '3387889' }]);

  await v.s.index('tip');
  // vector file: after the acknowledgement nothing is left to claim; withdrawn 3 387 889 (spec §4.6)
  const done = await v.gql(`query($a: String!) { account(address: $a) { crossStakes { withdrawnRewards reward { amount withdrawing } } pendingTxs { kind } } }`);
  assert.deepEqual(done.account, { crossStakes: [{ withdrawnRewards: '3387889', reward: { amount: '0', withdrawing: '0' } }], pendingTxs: [] });
  assert.deepEqual(await position(v), pos(70_000_000, 50_000_000, 16_000_000, 20_000_000));

  // Lien history, oldest first: spec §6 V1 steps 1, 2, 4 (the stake to an unknown validator failed and left
  // nothing), 8 (withdraw_unbonded releases 30 000 000, then the vault unbond)
  const lh = await v.gql(`query($a: String!) { account(address: $a) { lienHistory(order: ASC) { totalCount edges { node {
    lienholder kind amount amountAfter { low high } collateralAfter txId } } } } }`);
  assert.equal(lh.account.lienHistory.totalCount, 6);
  assert.deepEqual(node(lh.account.lienHistory), [
    { lienholder: 'vault', kind: 'BOND', amount: '100000000', amountAfter: rng(0), collateralAfter: '100000000', txId: null },
    { lienholder: 'native_staking', kind: 'STAKE_LOCAL', amount: '30000000', amountAfter: rng(30_000_000), collateralAfter: '100000000', txId: null },
    { lienholder: 'external_staking', kind: 'STAKE_REMOTE', amount: '80000000', amountAfter: rng(0, 80_000_000), collateralAfter: '100000000', txId: '1' },
    { lienholder: 'external_staking', kind: 'COMMIT', amount: '80000000', amountAfter: rng(80_000_000), collateralAfter: '100000000', txId: '1' },
    { lienholder: 'external_staking', kind: 'RELEASE', amount: '30000000', amountAfter: rng(50_000_000), collateralAfter: '100000000', txId: null },
    { lienholder: 'vault', kind: 'UNBOND', amount: '30000000', amountAfter: rng(0), collateralAfter: '70000000', txId: null },
  ]);
  // Delegation history, newest first: the unstake (spec §6 V1.6) and stake (V1.4) each sent, then
  // acknowledged (spec §2.5), and the local stake (V1.2); external staking tx ids start at 2^63 (spec §4.9)
  const dh = await v.gql(`query($a: String!) { account(address: $a) { delegationHistory { edges { node { kind side validator amount stakeAfter { low high } status txId } } } } }`);
  assert.deepEqual(node(dh.account.delegationHistory), [
    { kind: 'UNSTAKE', side: 'CROSS', validator: 'val1', amount: '30000000', stakeAfter: rng(50_000_000), status: 'COMMITTED', txId: '9223372036854775808' },
    { kind: 'UNSTAKE', side: 'CROSS', validator: 'val1', amount: '30000000', stakeAfter: rng(50_000_000, 80_000_000), status: 'PENDING', txId: '9223372036854775808' },
    { kind: 'STAKE', side: 'CROSS', validator: 'val1', amount: '80000000', stakeAfter: rng(80_000_000), status: 'COMMITTED', txId: '1' },
    { kind: 'STAKE', side: 'CROSS', validator: 'val1', amount: '80000000', stakeAfter: rng(0, 80_000_000), status: 'PENDING', txId: '1' },
    { kind: 'STAKE', side: 'LOCAL', validator: 'val0', amount: '30000000', stakeAfter: rng(30_000_000), status: null, txId: null },
  ]);
  // Reward history: the withdrawal to bob and its success acknowledgement (spec §6 V1.9, §2.5)
  const rh = await v.gql(`query($a: String!) { account(address: $a) { rewardHistory { edges { node { kind validator staker recipient amount denom txId } } } } }`);
  assert.deepEqual(node(rh.account.rewardHistory), [
    { kind: 'WITHDRAWAL_COMMITTED', validator: 'val1', staker: 'alice', recipient: null, amount: '3387889', denom: 'stake', txId: '9223372036854775809' },
    { kind: 'WITHDRAWAL', validator: 'val1', staker: 'alice', recipient: 'bob', amount: '3387889', denom: 'stake', txId: '9223372036854775809' },
  ]);
  // The distribution itself has no staker: it is found by validator, on both chains (spec §2.6); heights
  // of two chains do not compare, so the two rows are compared by chain
  const dist = await v.gql(`query($v: String!) { rewardHistory(filter: { validator: $v, kind: [DISTRIBUTION, CONSUMER_DISTRIBUTION] }, order: ASC) { edges { node { chainId kind amount } } } }`, {
    v: v.s.ref('consumer', '@val1'),
  });
  assert.deepEqual((node(dist.rewardHistory) as any[]).sort((a, b) => a.chainId.localeCompare(b.chainId)), [
    { chainId: 'consumer', kind: 'CONSUMER_DISTRIBUTION', amount: '3387889' },
    { chainId: 'provider', kind: 'DISTRIBUTION', amount: '3387889' },
  ]);
  assert.deepEqual(await slashHistory(v), []);
  // bob only received rewards: never a staker, so no account; the same for an address nobody used
  assert.deepEqual(await v.gql(`query($a: String!) { account(address: $a) { address } }`, { a: v.s.ref('consumer', '@bob') }), { account: null });
});

test('V2 through the API: a consumer downtime slash covered by free collateral', async (t) => {
  const v = await vector('v2-slashing-scenario-1.yaml', t);
  await v.s.index(before('jail'));
  // spec §6 V2 "Before": collateral 200 000 000, max_lien 190 000 000, total_slashable 68 000 000, free 10 000 000
  assert.deepEqual(await position(v), pos(200_000_000, 190_000_000, 68_000_000, 10_000_000));
  await v.s.index('tip');
  // spec §6 V2 "After relay": collateral 190 000 001, max_lien 190 000 000, total_slashable 66 000 001, free 1
  assert.deepEqual(await position(v), pos(190_000_001, 190_000_000, 66_000_001, 1));
  // spec §6 V2 derived: provider amount 9 999 999 = the user's slash, no propagation; the cross lien and
  // the val1 stake lose it (vector file: stake 90 000 001)
  assert.deepEqual(await slashHistory(v), [
    { kind: 'CROSS', validator: 'val1', slashChainId: 'consumer', ratio: '0.100000000000000000', tombstoned: false, chainId: 'provider', vault: 'vault', staker: 'alice', amount: '9999999', propagation: 'NONE', collateralAfter: '190000001' },
  ]);
  assert.deepEqual((await liens(v)).map((l: any) => [l.lienholder, l.amount]), [
    ['native_staking', rng(190_000_000)],
    ['external_staking', rng(140_000_001)],
  ]);
  assert.deepEqual(
    Object.fromEntries(Object.entries(await crossStakes(v)).map(([k, c]: [string, any]) => [k, c.stake])),
    { val1: rng(90_000_001), val2: rng(50_000_000) },
  );
  assert.deepEqual(await slashLienEvents(v), [
    { lienholder: 'external_staking', kind: 'SLASH', amount: '9999999', amountAfter: rng(140_000_001), collateralAfter: '190000001' },
  ]);
  const dh = await v.gql(`query($a: String!) { account(address: $a) { delegationHistory(filter: { kind: [SLASH] }) { edges { node { kind side validator amount stakeAfter { low high } } } } } }`);
  assert.deepEqual(node(dh.account.delegationHistory), [{ kind: 'SLASH', side: 'CROSS', validator: 'val1', amount: '9999999', stakeAfter: rng(90_000_001) }]);
});

test('V3 through the API: no free collateral, the local lien is adjusted (case A)', async (t) => {
  const v = await vector('v3-slashing-scenario-2.yaml', t);
  await v.s.index(before('jail'));
  assert.deepEqual(await position(v), pos(200_000_000, 200_000_000, 80_000_000, 0)); // spec §6 V3 "Before"
  await v.s.index('tip');
  // spec §6 V3 "After": collateral 180 000 001, max_lien 180 000 001, total_slashable 72 000 002, free 0
  assert.deepEqual(await position(v), pos(180_000_001, 180_000_001, 72_000_002, 0));
  // spec §6 V3 derived: slash 19 999 999, case A: local lien 200M → 180 000 001 and 19 999 999 burned
  assert.deepEqual((await slashHistory(v)).map((s: any) => [s.kind, s.amount, s.propagation, s.collateralAfter]), [['CROSS', '19999999', 'LIENS_ADJUSTMENT', '180000001']]);
  assert.deepEqual(await slashLienEvents(v), [
    { lienholder: 'external_staking', kind: 'SLASH', amount: '19999999', amountAfter: rng(180_000_001), collateralAfter: '180000001' },
    { lienholder: 'native_staking', kind: 'PROPAGATION', amount: '19999999', amountAfter: rng(180_000_001), collateralAfter: '180000001' },
  ]);
  // the burn undelegates the local stake's principal: 200 000 000 − 19 999 999
  const local = await v.gql(`query($a: String!) { account(address: $a) { localStakes { validator amount } delegationHistory(filter: { side: LOCAL, kind: [BURN] }) { edges { node { amount } } } } }`);
  assert.deepEqual(local.account.localStakes, [{ validator: 'val0', amount: '180000001' }]);
  assert.deepEqual(node(local.account.delegationHistory), [{ amount: '19999999' }]);
});

test('V4 through the API: some free collateral, the rest adjusts the local lien', async (t) => {
  const v = await vector('v4-slashing-scenario-3.yaml', t);
  await v.s.index(before('jail'));
  assert.deepEqual(await position(v), pos(200_000_000, 190_000_000, 68_000_000, 10_000_000)); // spec §6 V4 "Before"
  await v.s.index('tip');
  // spec §6 V4 "After": collateral 185 109 490, max_lien 185 109 490, total_slashable 64 043 796, free 0
  assert.deepEqual(await position(v), pos(185_109_490, 185_109_490, 64_043_796, 0));
  // spec §6 V4 derived: user slash 14 890 510, claimed 4 890 510 burned from the local lien (190M → 185 109 490)
  assert.deepEqual((await slashHistory(v)).map((s: any) => [s.amount, s.propagation]), [['14890510', 'LIENS_ADJUSTMENT']]);
  assert.deepEqual(await slashLienEvents(v), [
    { lienholder: 'external_staking', kind: 'SLASH', amount: '14890510', amountAfter: rng(135_109_490), collateralAfter: '185109490' },
    { lienholder: 'native_staking', kind: 'PROPAGATION', amount: '4890510', amountAfter: rng(185_109_490), collateralAfter: '185109490' },
  ]);
});

test('V5 through the API: a tombstoned consumer validator', async (t) => {
  const v = await vector('v5-validator-tombstone.yaml', t);
  await v.s.index(before('tombstone'));
  assert.deepEqual(await position(v), pos(200_000_000, 190_000_000, 68_000_000, 10_000_000)); // spec §6 V5: setup as V2
  await v.s.index('tip');
  // spec §6 V5 "After": collateral 178 260 869, max_lien 178 260 869, total_slashable 61 304 348, free 0
  assert.deepEqual(await position(v), pos(178_260_869, 178_260_869, 61_304_348, 0));
  // spec §6 V5 derived: user slash 21 739 131, claimed 11 739 131 (case A); the packet tombstoned val1
  assert.deepEqual((await slashHistory(v)).map((s: any) => [s.validator, s.tombstoned, s.amount, s.propagation]), [['val1', true, '21739131', 'LIENS_ADJUSTMENT']]);
  assert.deepEqual((await slashLienEvents(v)).map((e: any) => [e.kind, e.amount]), [
    ['SLASH', '21739131'],
    ['PROPAGATION', '11739131'],
  ]);
});

test('V6 through the API: a native slash of a provider validator', async (t) => {
  const v = await vector('v6-slashing-provider-chain.yaml', t);
  await v.s.index(before('jail'));
  // spec §6 V6 "Before": collateral 200M, max_lien 150M, total_slashable 30M, free 50M; local stakes 100M + 50M
  assert.deepEqual(await position(v), pos(200_000_000, 150_000_000, 30_000_000, 50_000_000));
  const local = `query($a: String!) { account(address: $a) { localStakes { validator amount } vaults { localStakes { validator } } } }`;
  const l = (await v.gql(local)).account;
  assert.deepEqual({ localStakes: byValidator(l.localStakes), vaults: [{ localStakes: byValidator(l.vaults[0].localStakes) }] }, {
    localStakes: [
      { validator: 'val1', amount: '100000000' },
      { validator: 'val2', amount: '50000000' },
    ],
    vaults: [{ localStakes: [{ validator: 'val1' }, { validator: 'val2' }] }],
  });
  await v.s.index('tip');
  // spec §6 V6 "After": collateral 190M, max_lien 140M, total_slashable 28M, free 50M; slash = floor(100M × 0.10)
  assert.deepEqual(await position(v), pos(190_000_000, 140_000_000, 28_000_000, 50_000_000));
  assert.deepEqual(await slashHistory(v), [
    { kind: 'NATIVE', validator: 'val1', slashChainId: 'provider', ratio: '0.100000000000000000', tombstoned: false, chainId: 'provider', vault: 'vault', staker: 'alice', amount: '10000000', propagation: 'NONE', collateralAfter: '190000000' },
  ]);
  assert.deepEqual(await liens(v), [{ lienholder: 'native_staking', kind: 'LOCAL', amount: rng(140_000_000), slashable: '0.200000000000000000', pendingTxs: [] }]);
});

test('V7 through the API: unstaking from a jailed provider validator', async (t) => {
  const v = await vector('v7-slashing-immediate-unbond.yaml', t);
  await v.s.index(before('unstake_local'));
  // spec §6 V7: jail → collateral 190M, max_lien 90 000 000, total_slashable 18M, free 100M
  assert.deepEqual(await position(v), pos(190_000_000, 90_000_000, 18_000_000, 100_000_000));
  await v.s.index('tip');
  // spec §6 V7 "After": collateral 190M, max_lien 80 000 001, total_slashable 16 000 001, free 109 999 999
  assert.deepEqual(await position(v), pos(190_000_000, 80_000_001, 16_000_001, 109_999_999));
  const h = await v.gql(`query($a: String!) { account(address: $a) {
    delegationHistory(order: ASC, filter: { side: LOCAL }) { edges { node { kind validator amount } } }
    lienHistory(filter: { kind: [RELEASE] }) { edges { node { lienholder amount amountAfter { low high } } } } } }`);
  // spec §6 V7: stake_local 100M, the native slash of 10M, the owner's unstake of 10 000 000
  assert.deepEqual(node(h.account.delegationHistory), [
    { kind: 'STAKE', validator: 'val0', amount: '100000000' },
    { kind: 'SLASH', validator: 'val0', amount: '10000000' },
    { kind: 'UNSTAKE', validator: 'val0', amount: '10000000' },
  ]);
  // spec §6 V7 derived: 9 999 999 came back and released the local lien
  assert.deepEqual(node(h.account.lienHistory), [{ lienholder: 'native_staking', amount: '9999999', amountAfter: rng(80_000_001) }]);
  assert.deepEqual((await slashHistory(v)).map((s: any) => [s.kind, s.amount, s.propagation]), [['NATIVE', '10000000', 'NONE']]);
});

test('V8 through the API: a zero max cap unbonds everything through internal unstakes', async (t) => {
  const v = await vector('v8-zero-max-cap.yaml', t);
  await v.s.index(before('withdraw_unbonded'));
  // spec §6 V8 derived: inverted amounts 49 999 999 and 19 999 999 unbond at once (spec §4.7), stakes keep 1 + 1
  const view = `query($a: String!) { account(address: $a) { crossStakes { validator stake { low high } }
    unbondings { validator amount kind state releasable }
    delegationHistory(order: ASC, filter: { kind: [INTERNAL_UNSTAKE] }) { edges { node { validator amount stakeAfter { low } status } } } } }`;
  const a = (await v.gql(view)).account;
  assert.deepEqual({ crossStakes: byValidator(a.crossStakes), unbondings: byValidator(a.unbondings), delegationHistory: { edges: byValidator(node(a.delegationHistory) as any[]).map((n) => ({ node: n })) } }, {
    crossStakes: [
      { validator: 'val1', stake: rng(1) },
      { validator: 'val2', stake: rng(1) },
    ],
    unbondings: [
      { validator: 'val1', amount: '49999999', kind: 'INTERNAL', state: 'PENDING', releasable: true },
      { validator: 'val2', amount: '19999999', kind: 'INTERNAL', state: 'PENDING', releasable: true },
    ],
    delegationHistory: {
      edges: [
        { node: { validator: 'val1', amount: '49999999', stakeAfter: { low: '1' }, status: 'COMMITTED' } },
        { node: { validator: 'val2', amount: '19999999', stakeAfter: { low: '1' }, status: 'COMMITTED' } },
      ],
    },
  });
  await v.s.index('tip');
  // spec §6 V8: withdraw_unbonded → free 99 999 998; the liens keep 1 + 1
  assert.deepEqual(await position(v), pos(100_000_000, 2, 1, 99_999_998));
  const after = await v.gql(`query($a: String!) { account(address: $a) { unbondings { amount } released: unbondings(includeReleased: true) { validator amount state releasable } } }`);
  assert.deepEqual({ unbondings: after.account.unbondings, released: byValidator(after.account.released) }, {
    unbondings: [],
    released: [
      { validator: 'val1', amount: '49999999', state: 'RELEASED', releasable: false },
      { validator: 'val2', amount: '19999999', state: 'RELEASED', releasable: false },
    ],
  });
});

test('V9 through the API: vault cross_slash scenarios 1–3', async (t) => {
  // spec §6 V9: [file, before, after, slash, propagation, lien amounts after]
  const cases = [
    ['v9-cross-slash-1.yaml', pos(200, 190, 34, 10), pos(190, 190, 33, 0), '10', 'NONE', { native_staking: rng(190), external_staking: rng(140) }],
    ['v9-cross-slash-2.yaml', pos(200, 200, 40, 0), pos(180, 180, 36, 0), '20', 'LIENS_ADJUSTMENT', { native_staking: rng(180), external_staking: rng(180) }],
    ['v9-cross-slash-3.yaml', pos(200, 190, 34, 10), pos(185, 185, 33, 0), '15', 'LIENS_ADJUSTMENT', { native_staking: rng(185), external_staking: rng(135) }],
  ] as const;
  for (const [file, before_, after, slash, propagation, lienAmounts] of cases) {
    await t.test(file, async (t) => {
      const v = await vector(file, t);
      await v.s.index(before('jail'));
      assert.deepEqual(await position(v), before_);
      await v.s.index('tip');
      assert.deepEqual(await position(v), after);
      assert.deepEqual((await slashHistory(v)).map((s: any) => [s.amount, s.propagation, s.collateralAfter]), [[slash, propagation, after.collateral]]);
      assert.deepEqual(Object.fromEntries((await liens(v)).map((l: any) => [l.lienholder, l.amount])), lienAmounts);
    });
  }
});
