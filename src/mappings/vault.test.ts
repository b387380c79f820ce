import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { loadScenarioFile, runScenario } from '../devnet/scenario/runner.ts';
import { chainAnswers, indexProvider, pendingTxAnswers, replicaAnswers, vaultUsers } from './vault.testkit.ts';

const DIR = new URL('../../scenarios/vectors/', import.meta.url).pathname;
const VECTORS = readdirSync(DIR).filter((f) => /^v[1-9]-/.test(f)).sort();

for (const file of VECTORS) {
  test(`vector ${file}: every vault position and claim of the replica equals the chain's answers`, async () => {
    const { devnet, failed } = runScenario(loadScenarioFile(DIR + file));
    assert.equal(failed, 0, 'the scenario itself passes');
    let users = 0;
    for (const [chainId, prov] of devnet.providers) {
      const provider = devnet.world.chain(chainId);
      const ix = await indexProvider(provider);
      const dead = ix.out.batches().find((b) => b.entity === 'DeadLetter');
      assert.equal(dead?.rows.size ?? 0, 0, `no dead letters: ${JSON.stringify([...(dead?.rows.values() ?? [])].map((d: any) => d.reason))}`);
      for (const user of vaultUsers(ix, provider, prov.vault)) {
        assert.deepEqual(replicaAnswers(ix, prov.vault, user), chainAnswers(provider, prov.vault, user), `${file} ${user}`);
        users++;
      }
      const txs = pendingTxAnswers(ix, provider, prov.vault);
      assert.deepEqual(txs.replica, txs.chain);
    }
    assert.ok(users > 0);
  });
}

const rows = (ix: { out: { batches(): Array<{ entity: string; rows: Map<string, unknown> }> } }, entity: string): any[] => [...(ix.out.batches().find((b) => b.entity === entity)?.rows.values() ?? [])];

test('V3: cross slash with no free collateral → liens adjustment, burn to native staking, SlashShare figures', async () => {
  const { devnet } = runScenario(loadScenarioFile(DIR + 'v3-slashing-scenario-2.yaml'));
  const [chainId, prov] = [...devnet.providers][0]!;
  const ix = await indexProvider(devnet.world.chain(chainId));
  const shares = rows(ix, 'SlashShare');
  assert.equal(shares.length, 1);
  assert.equal(shares[0].amount, 19999999n);
  assert.equal(shares[0].propagation, 'liens_adjustment');
  assert.equal(shares[0].collateralAfter, 180000001n);
  const burns = rows(ix, 'Burn');
  assert.deepEqual(burns.map((b) => [b.stage, b.lienholder, b.amount]), [['native_staking', prov!.nativeStaking, 19999999n]]);
});

test('V6: native slash → Slash row (native, offline ratio), SlashShare without propagation, local_slash delegation event', async () => {
  const { devnet } = runScenario(loadScenarioFile(DIR + 'v6-slashing-provider-chain.yaml'));
  const [chainId] = [...devnet.providers][0]!;
  const ix = await indexProvider(devnet.world.chain(chainId));
  const slashes = rows(ix, 'Slash');
  assert.equal(slashes.length, 1);
  assert.equal(slashes[0].kind, 'native');
  assert.equal(slashes[0].ratio, '0.1');
  assert.equal(slashes[0].tombstoned, false);
  assert.equal(slashes[0].providerAmount, 10000000n);
  const shares = rows(ix, 'SlashShare');
  assert.deepEqual(shares.map((s) => [s.amount, s.propagation, s.collateralAfter]), [[10000000n, 'none', 190000000n]]);
  assert.equal(rows(ix, 'DelegationEvent').filter((d) => d.kind === 'local_slash').length, 1);
  // LocalStake of the proxy delegations: 100M on val1, 50M on val2 (principal)
  assert.deepEqual(rows(ix, 'LocalStake').map((l) => l.amount).sort(), [100000000n, 50000000n].sort());
});

test('V7: proxy owner learnt from stake_local, native_unstake lowers the local stake, release_local_stake releases the lien', async () => {
  const { devnet } = runScenario(loadScenarioFile(DIR + 'v7-slashing-immediate-unbond.yaml'));
  const [chainId, prov] = [...devnet.providers][0]!;
  const chain = devnet.world.chain(chainId);
  const ix = await indexProvider(chain);
  const alice = chain.addr('alice');
  const proxy = (chain.query(prov.nativeStaking, { proxy_by_owner: { owner: alice } }) as { proxy: string }).proxy;
  assert.deepEqual(rows(ix, 'Contract').filter((c) => c.address === proxy).map((c) => c.owner), [alice]);
  const local = rows(ix, 'LocalStake');
  assert.deepEqual(local.map((l) => [l.staker, l.proxy, l.amount]), [[alice, proxy, 90000000n]]);
  const kinds = rows(ix, 'DelegationEvent').map((d) => d.kind);
  assert.ok(kinds.includes('local_stake') && kinds.includes('local_unstake') && kinds.includes('local_slash'), kinds.join());
  assert.ok(rows(ix, 'LienEvent').some((e) => e.kind === 'release' && e.lienholder === prov.nativeStaking && e.amount === 9999999n));
});

test('with the external-staking mapping: cross slashes read pending:cross_slash (no query fallback) and stay exact', async () => {
  const { externalStakingMapping } = await import('./external-staking.ts');
  const { indexChain } = await import('./mappings.testkit.ts');
  const { PROVIDER_MAPPINGS } = await import('./vault.testkit.ts');
  for (const file of ['v2-slashing-scenario-1.yaml', 'v3-slashing-scenario-2.yaml', 'v4-slashing-scenario-3.yaml', 'v5-validator-tombstone.yaml']) {
    const { devnet } = runScenario(loadScenarioFile(DIR + file));
    const [chainId, prov] = [...devnet.providers][0]!;
    const chain = devnet.world.chain(chainId);
    const ix = await indexChain(chain, [...PROVIDER_MAPPINGS, externalStakingMapping]);
    assert.deepEqual(rows(ix, 'DeadLetter').map((d) => d.reason), [], file);
    assert.equal(ix.replica.entries('pending:cross_slash').length, 0, `${file}: consumed`);
    const shares = rows(ix, 'SlashShare');
    assert.equal(shares.length, 1, file);
    assert.ok(rows(ix, 'Slash').some((s) => s.id === shares[0].slashId), `${file}: SlashShare points at the external-staking Slash row`);
    for (const user of vaultUsers(ix, chain, prov.vault)) assert.deepEqual(replicaAnswers(ix, prov.vault, user), chainAnswers(chain, prov.vault, user), `${file} ${user}`);
  }
});
