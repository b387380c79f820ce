// Vault + native-staking + proxy on one provider Chain with x/meshsecurityprovider: instantiation,
// every §1.0 trigger's events, the §1.1 queries, slashing vectors V6/V7 and a cross slash (V3 figures).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { Chain } from '../chain/chain.ts';
import type { ContractCode, ContractInstance } from '../chain/contract.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import { type Event, ResponseBuilder, nsPerSecond } from '../chain/types.ts';
import { installMeshSecurityProvider, type ProviderOptions } from '../modules/meshsecurity-provider.ts';
import { nativeStakingProxyCode } from './native-staking-proxy.ts';
import { nativeStakingCode } from './native-staking.ts';
import { vaultCode } from './vault.ts';
import { b64, coin, M, providerParams } from './provider.testkit.ts';

const T0 = 1_700_000_000n * nsPerSecond;
const PARAMS = providerParams({ slashFractionDowntime: '0.100000000000000000', slashFractionDoubleSign: '0.100000000000000000' });

const valMsg = (validator: string) => b64({ validator });

/** Mock external-staking: answers max_slash, records what the vault sends it. */
const extCalls: unknown[] = [];
const mockExternalStaking: ContractCode = {
  name: 'mock-external-staking',
  version: '0',
  instantiate: () => ({
    instance: {
      execute: (_c, _i, msg) => (extCalls.push(msg), new ResponseBuilder()),
      query: () => ({ slash_ratio_dsign: '0.2', slash_ratio_offline: '0.1' }),
    } satisfies ContractInstance,
    response: new ResponseBuilder(),
  }),
};

function setupProvider(opts: ProviderOptions = {}) {
  const chain = new Chain(PARAMS, T0);
  // the framework's address helper needs an explicit bech32 length limit with @scure/base 2
  const valoper = (n: string) => toBech32('meshvaloper', fromBech32(chain.addr(n), 1023).data);
  const vals = ['val0', 'val1', 'val2'].map((n) => {
    const op = valoper(n);
    chain.staking.initGenesisValidator({ operator: op, delegator: chain.addr(n), tokens: M, shares: LegacyDec.ONE });
    return op;
  });
  const module = installMeshSecurityProvider(chain, opts);
  const ids = { vault: chain.wasm.storeCode(vaultCode), native: chain.wasm.storeCode(nativeStakingCode), proxy: chain.wasm.storeCode(nativeStakingProxyCode), ext: chain.wasm.storeCode(mockExternalStaking) };
  const alice = chain.addr('alice');
  const bob = chain.addr('bob');
  chain.bank.fund(alice, { denom: 'stake', amount: 300n * M });
  chain.bank.fund(bob, { denom: 'stake', amount: 300n * M });
  for (let i = 0; i < 3; i++) chain.produceBlock(chain.time + PARAMS.blockTimeNs);
  const admin = chain.addr('admin');
  const nativeInit = { denom: 'stake', proxy_code_id: ids.proxy, slash_ratio_dsign: '0.20', slash_ratio_offline: '0.10' };
  const inst = chain.journal.atomic(() => chain.instantiate(admin, ids.vault, { denom: 'stake', local_staking: { code_id: ids.native, msg: b64(nativeInit) } }, [], 'vault'));
  const vault = inst.address;
  const native = (chain.query(vault, { config: {} }) as { local_staking: string }).local_staking;
  const gov = chain.moduleAddr('gov');
  chain.journal.atomic(() => chain.msgHandlers.get('/osmosis.meshsecurityprovider.MsgUpdateParams')!(chain, gov, { authority: gov, params: { vaultAddress: vault, nativeStakingAddress: native } }));
  const ext = chain.journal.atomic(() => chain.instantiate(admin, ids.ext, {}, [], 'ext')).address;
  const exec = (sender: string, contract: string, msg: unknown, funds: Array<{ denom: string; amount: bigint }> = []) =>
    chain.journal.atomic(() => chain.execute(sender, contract, msg, funds)).events;
  const fail = (sender: string, contract: string, msg: unknown, text: string | RegExp) =>
    assert.throws(() => exec(sender, contract, msg), (e: unknown) => (typeof text === 'string' ? (e as Error).message === text : text.test((e as Error).message)));
  const details = (user = alice) => {
    const d = chain.query(vault, { account_details: { account: user } }) as { bonded: string; free: { l: string }; max_lien: { l: string }; total_slashable: { l: string } };
    return { collateral: BigInt(d.bonded), maxLien: BigInt(d.max_lien.l), totalSlashable: BigInt(d.total_slashable.l), free: BigInt(d.free.l) };
  };
  const proxyOf = (owner: string) => (chain.query(native, { proxy_by_owner: { owner } }) as { proxy: string }).proxy;
  const next = () => chain.produceBlock(chain.time + PARAMS.blockTimeNs);
  return { chain, module, vals, ids, alice, bob, admin, vault, native, ext, inst, exec, fail, details, proxyOf, next, valoper };
}

/** Drops x/distribution's automatic reward withdrawal on delegation changes. */
const noRewards = (events: Event[]) => events.filter((e) => e.type !== 'withdraw_rewards');
const msgIs = (text: string) => (e: unknown) => (e as Error).message === text;
/** [type, key1, key2, …] per event. */
const shape = (events: Event[]) => events.map((e) => [e.type, ...e.attributes.map((a) => a.key)]);
const attrs = (e: Event) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
const find = (events: Event[], type: string, contract?: string) =>
  events.filter((e) => e.type === type && (contract === undefined || attrs(e)._contract_address === contract));

describe('vault (provider contracts on a chain)', () => {
  it('instantiates native-staking through a reply and answers config/max_slash', () => {
    const { chain, vault, native, inst, ids } = setupProvider();
    assert.deepEqual(chain.query(vault, { config: {} }), { denom: 'stake', local_staking: native });
    assert.deepEqual(chain.query(native, { config: {} }), { denom: 'stake', proxy_code_id: ids.proxy, vault, slash_ratio_dsign: '0.2', slash_ratio_offline: '0.1' });
    assert.deepEqual(chain.query(native, { max_slash: {} }), { slash_ratio_dsign: '0.2', slash_ratio_offline: '0.1' });
    assert.equal(chain.wasm.contract(native).label, 'Mesh Security Local Staking');
    assert.deepEqual(shape(inst.events), [
      ['instantiate', '_contract_address', 'code_id'],
      ['instantiate', '_contract_address', 'code_id'],
      ['reply', '_contract_address'],
    ]);
    assert.deepEqual(chain.query(vault, { active_external_staking: {} }), { contracts: [] });
  });

  it('instantiates with an existing local staking contract or none', () => {
    const { chain, ids, admin, native } = setupProvider();
    const v2 = chain.journal.atomic(() => chain.instantiate(admin, ids.vault, { denom: 'stake', local_staking: { existing: native } }, [], 'v2')).address;
    assert.deepEqual(chain.query(v2, { config: {} }), { denom: 'stake', local_staking: native });
    const v3 = chain.journal.atomic(() => chain.instantiate(admin, ids.vault, { denom: 'stake' }, [], 'v3')).address;
    assert.deepEqual(chain.query(v3, { config: {} }), { denom: 'stake', local_staking: null });
    assert.throws(
      () => chain.journal.atomic(() => chain.instantiate(admin, ids.vault, { denom: 'stake', extra: 1 }, [], 'v4')),
      msgIs('Error parsing into type mesh_vault::msg::InstantiateMsg: unknown field `extra`, expected `denom` or `local_staking`'),
    );
  });

  it('bond / unbond: events, provider module bank moves, ClaimsLocked', () => {
    const { chain, alice, vault, exec, fail, details } = setupProvider();
    const ev = exec(alice, vault, { bond: { amount: coin(200n * M) } });
    assert.deepEqual(shape(ev), [
      ['execute', '_contract_address'],
      ['wasm', '_contract_address', 'action', 'sender', 'amount'],
      ['coin_spent', 'spender', 'amount'],
      ['coin_received', 'receiver', 'amount'],
      ['vault_bond', 'module', 'amount', 'delegator'],
    ]);
    assert.deepEqual(attrs(ev[1]!), { _contract_address: vault, action: 'unbond', sender: alice, amount: '200000000' });
    assert.deepEqual(attrs(ev[4]!), { module: 'mesh-security-provider', amount: '200000000stake', delegator: alice });
    assert.equal(chain.bank.balance(vault, 'stake'), 200n * M);
    assert.equal(chain.bank.balance(alice, 'stake'), 100n * M);
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 0n, totalSlashable: 0n, free: 200n * M });

    fail(alice, vault, { bond: { amount: { denom: 'uosmo', amount: '1' } } }, 'All denoms are expected to be stake');
    assert.throws(() => exec(alice, vault, { bond: { amount: coin(1n) } }, [{ denom: 'stake', amount: 1n }]), msgIs('This message does no accept funds'));
    fail(alice, vault, { bond: { amount: coin(101n * M) } }, 'failed to delegate; 100000000stake is smaller than 101000000stake: insufficient funds');
    fail(alice, vault, { bond: {} }, 'Error parsing into type mesh_vault::msg::ExecMsg: missing field `amount`');
    fail(alice, vault, { bondx: {} }, /^Error parsing into type mesh_vault::msg::ExecMsg: unknown variant `bondx`, expected one of `bond`, `unbond`/);

    const ub = exec(alice, vault, { unbond: { amount: coin(30n * M) } });
    assert.deepEqual(shape(ub), [
      ['execute', '_contract_address'],
      ['wasm', '_contract_address', 'action', 'sender', 'amount'],
      ['coin_spent', 'spender', 'amount'],
      ['coin_received', 'receiver', 'amount'],
      ['vault_unbond', 'module', 'amount', 'delegator'],
    ]);
    assert.deepEqual(attrs(ub[1]!), { _contract_address: vault, action: 'unbond', sender: alice, amount: '30000000stake' });
    assert.equal(attrs(ub[2]!).spender, vault);
    assert.equal(chain.bank.balance(alice, 'stake'), 130n * M);
    fail(alice, vault, { unbond: { amount: coin(171n * M) } }, 'Claim is locked, only ValueRange { low: Uint128(170000000), high: Uint128(170000000) } can be unbonded');
  });

  it('stake_local creates the proxy (reply) and then stakes through it; local lien and queries', () => {
    const { chain, alice, vault, native, vals, exec, fail, details, proxyOf } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(200n * M) } });
    const ev = exec(alice, vault, { stake_local: { amount: coin(100n * M), msg: valMsg(vals[1]!) } });
    const proxy = proxyOf(alice);
    assert.deepEqual(shape(find(ev, 'wasm', vault)), [['wasm', '_contract_address', 'action', 'sender', 'amount']]);
    assert.deepEqual(attrs(find(ev, 'wasm', vault)[0]!), { _contract_address: vault, action: 'stake_local', sender: alice, amount: '100000000' });
    assert.deepEqual(
      ev.map((e) => e.type),
      ['execute', 'wasm', 'coin_spent', 'coin_received', 'transfer', 'execute', 'coin_spent', 'coin_received', 'transfer', 'instantiate', 'coin_spent', 'coin_received', 'delegate', 'set_withdraw_address', 'reply'],
    );
    assert.equal(find(ev, 'wasm', native).length, 0, 'native-staking emits no attributes');
    assert.equal(chain.wasm.contract(proxy).label, `LSP for ${alice}`);
    assert.equal(chain.wasm.contract(proxy).admin, native);
    assert.deepEqual(chain.query(native, { owner_by_proxy: { proxy } }), { owner: alice });
    assert.deepEqual(chain.query(proxy, { config: {} }), { denom: 'stake', parent: native, owner: alice });
    assert.equal(chain.staking.delegation(proxy, vals[1]!)!.tokens, 100n * M);

    const ev2 = exec(alice, vault, { stake_local: { amount: coin(50n * M), msg: valMsg(vals[2]!) } });
    assert.equal(find(ev2, 'instantiate').length, 0, 'existing proxy gets `stake`');
    assert.equal(chain.staking.delegation(proxy, vals[2]!)!.tokens, 50n * M);
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 150n * M, totalSlashable: 30n * M, free: 50n * M });
    assert.deepEqual(chain.query(vault, { claim: { account: alice, lienholder: native } }), { amount: { l: '150000000', h: '150000000' }, slashable: '0.2' });
    assert.deepEqual(chain.query(vault, { account_claims: { account: alice } }), { claims: [{ lienholder: native, amount: { l: '150000000', h: '150000000' } }] });
    assert.deepEqual(chain.query(vault, { account: { account: alice } }), { denom: 'stake', bonded: '200000000', free: { l: '50000000', h: '50000000' } });
    fail(alice, vault, { stake_local: { amount: coin(51n * M), msg: valMsg(vals[1]!) } }, "The address doesn't have sufficient balance for this operation");
    assert.throws(() => chain.query(vault, { claim: { account: alice, lienholder: vault } }), msgIs('Claim not found'));
  });

  it('stake_remote / commit_tx / rollback_tx with pending-tx queries', () => {
    const { chain, alice, vault, ext, native, exec, fail, details } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(200n * M) } });
    extCalls.length = 0;
    const ev = exec(alice, vault, { stake_remote: { contract: ext, amount: coin(80n * M), msg: valMsg('consval1') } });
    assert.deepEqual(shape(find(ev, 'wasm', vault)), [['wasm', '_contract_address', 'action', 'sender', 'amount', 'tx_id']]);
    assert.deepEqual(attrs(find(ev, 'wasm', vault)[0]!), { _contract_address: vault, action: 'stake_remote', sender: alice, amount: '80000000', tx_id: '1' });
    assert.deepEqual(extCalls, [{ receive_virtual_stake: { owner: alice, amount: coin(80n * M), tx_id: 1, msg: valMsg('consval1') } }]);
    exec(alice, vault, { stake_remote: { contract: ext, amount: coin(20n * M), msg: valMsg('consval2') } });
    const tx1 = { in_flight_staking: { id: 1, amount: '80000000', slashable: '0.2', user: alice, lienholder: ext } };
    const tx2 = { in_flight_staking: { id: 2, amount: '20000000', slashable: '0.2', user: alice, lienholder: ext } };
    assert.deepEqual(chain.query(vault, { pending_tx: { tx_id: 1 } }), tx1);
    assert.deepEqual(chain.query(vault, { all_pending_txs_desc: {} }), { txs: [tx2, tx1] });
    assert.deepEqual(chain.query(vault, { all_pending_txs_desc: { start_after: 2 } }), { txs: [tx1] });
    assert.deepEqual(chain.query(vault, { active_external_staking: {} }), { contracts: [ext] });
    const d = chain.query(vault, { account_details: { account: alice } }) as Record<string, unknown>;
    assert.deepEqual(d, {
      denom: 'stake',
      bonded: '200000000',
      free: { l: '100000000', h: '200000000' },
      max_lien: { l: '0', h: '100000000' },
      total_slashable: { l: '0', h: '20000000' },
    });

    fail(native, vault, { commit_tx: { tx_id: 1 } }, `The tx 1 exists but comes from the wrong address: ${native}`);
    fail(ext, vault, { commit_tx: { tx_id: 9 } }, 'mesh_sync::txs::Tx not found');
    const c = exec(ext, vault, { commit_tx: { tx_id: 1 } });
    assert.deepEqual(shape(c), [['execute', '_contract_address'], ['wasm', '_contract_address', 'action', 'sender', 'tx_id']]);
    assert.deepEqual(attrs(c[1]!), { _contract_address: vault, action: 'commit_tx', sender: ext, tx_id: '1' });
    const r = exec(ext, vault, { rollback_tx: { tx_id: 2 } });
    assert.deepEqual(shape(r), [['execute', '_contract_address'], ['wasm', '_contract_address', 'action', 'sender', 'tx_id']]);
    assert.deepEqual(attrs(r[1]!), { _contract_address: vault, action: 'rollback_tx', sender: ext, tx_id: '2' });
    assert.deepEqual(chain.query(vault, { all_pending_txs_desc: {} }), { txs: [] });
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 80n * M, totalSlashable: 16n * M, free: 120n * M });

    // release_cross_stake by the lien holder
    const rel = exec(ext, vault, { release_cross_stake: { owner: alice, amount: coin(30n * M) } });
    assert.deepEqual(shape(rel)[1], ['wasm', '_contract_address', 'action', 'sender', 'owner', 'amount']);
    assert.deepEqual(attrs(rel[1]!), { _contract_address: vault, action: 'release_cross_stake', sender: ext, owner: alice, amount: '30000000' });
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 50n * M, totalSlashable: 10n * M, free: 150n * M });
    fail(ext, vault, { release_cross_stake: { owner: alice, amount: coin(51n * M) } }, "The lienholder doesn't have enough claims for the action");
    fail(native, vault, { release_cross_stake: { owner: alice, amount: coin(1n) } }, "The lienholder doesn't have any claims");
  });

  it('all_accounts pages by max(limit, 30) and filters zero collateral', () => {
    const { chain, vault, exec } = setupProvider();
    const users = Array.from({ length: 35 }, (_, i) => chain.addr(`u${i}`));
    for (const [i, u] of users.entries()) {
      chain.bank.fund(u, { denom: 'stake', amount: 10n });
      exec(u, vault, { bond: { amount: coin(i % 5 === 0 ? 0n : 10n) } });
    }
    const sorted = [...users].sort();
    const page = (q: Record<string, unknown>) => (chain.query(vault, { all_accounts: q }) as { accounts: Array<{ user: string }> }).accounts.map((a) => a.user);
    assert.deepEqual(page({ limit: 5 }), sorted.slice(0, 30), 'limit 5 still returns 30');
    assert.deepEqual(page({ start_after: sorted[29] }), sorted.slice(30));
    assert.equal(page({ limit: 100 }).length, 35);
    assert.equal(page({ with_collateral: true, limit: 100 }).length, 28);
    const item = (chain.query(vault, { all_accounts: { limit: 1 } }) as { accounts: unknown[] }).accounts[0];
    assert.deepEqual(Object.keys(item as object), ['user', 'account']);
  });

  it('V6: downtime jail of a provider validator → local_slash, no propagation', () => {
    const { chain, module, alice, vault, native, vals, exec, details, proxyOf, next } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(200n * M) } });
    exec(alice, vault, { stake_local: { amount: coin(100n * M), msg: valMsg(vals[1]!) } });
    exec(alice, vault, { stake_local: { amount: coin(50n * M), msg: valMsg(vals[2]!) } });
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 150n * M, totalSlashable: 30n * M, free: 50n * M });
    next(); // slashing uses the power of the last EndBlock
    const ev = chain.journal.atomic(() => chain.slashing.jailForDowntime(vals[1]!, chain.time, chain.height));
    next();
    assert.equal(chain.staking.validator(vals[1]!)!.tokens, 90_900_000n);
    assert.ok(chain.staking.validator(vals[1]!)!.jailed);
    assert.deepEqual(details(), { collateral: 190n * M, maxLien: 140n * M, totalSlashable: 28n * M, free: 50n * M });
    assert.deepEqual(module.log, []);
    // sudo → wasm-jailing, then vault local_slash (sorted: a wasm sub-message), before the chain's slash
    assert.deepEqual(shape(ev), [
      ['sudo', '_contract_address'],
      ['wasm-jailing', '_contract_address', 'jailed'],
      ['execute', '_contract_address'],
      ['wasm', '_contract_address', 'action', 'lien_holder', 'users', 'validator'],
      ['coin_spent', 'spender', 'amount'],
      ['burn', 'burner', 'amount'],
      ['slash', 'address', 'power', 'reason', 'jailed', 'burned_coins'],
    ]);
    assert.deepEqual(attrs(ev[1]!), { _contract_address: native, jailed: vals[1] });
    assert.deepEqual(attrs(ev[3]!), { _contract_address: vault, action: 'local_slash', lien_holder: native, users: alice, validator: vals[1] });
    assert.ok(ev.findIndex((e) => e.type === 'slash') > 3, 'the slash itself comes after the sudo');
    // the proxy's real delegation was slashed by the chain; the vault only did accounting
    assert.equal(chain.staking.delegation(proxyOf(alice), vals[1]!)!.tokens, 90n * M);
  });

  it('V7: slash, then proxy unstake on the unbonded validator (instant) and release_unbonded', () => {
    const { chain, alice, vault, native, vals, exec, fail, details, proxyOf, next } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(200n * M) } });
    exec(alice, vault, { stake_local: { amount: coin(100n * M), msg: valMsg(vals[0]!) } });
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 100n * M, totalSlashable: 20n * M, free: 100n * M });
    next();
    chain.journal.atomic(() => chain.slashing.jailForDowntime(vals[0]!, chain.time, chain.height));
    next();
    assert.equal(chain.staking.validator(vals[0]!)!.status, 'unbonding');
    assert.deepEqual(details(), { collateral: 190n * M, maxLien: 90n * M, totalSlashable: 18n * M, free: 100n * M });

    const proxy = proxyOf(alice);
    fail(chain.addr('mallory'), proxy, { unstake: { validator: vals[0], amount: coin(10n * M) } }, 'Unauthorized');
    fail(alice, proxy, { unstake: { validator: vals[0], amount: { denom: 'uosmo', amount: '1' } } }, 'Try to send wrong denom: uosmo');
    const un = noRewards(exec(alice, proxy, { unstake: { validator: vals[0], amount: coin(10n * M) } }));
    assert.deepEqual(shape(un), [
      ['execute', '_contract_address'],
      ['coin_spent', 'spender', 'amount'],
      ['coin_received', 'receiver', 'amount'],
      ['native_unstake', 'module', 'amount', 'validator'],
    ]);
    assert.deepEqual(attrs(un[3]!), { module: 'mesh-security-provider', amount: '10000000stake', validator: vals[0] });
    assert.equal(chain.bank.balance(proxy, 'stake'), 9_999_999n);

    const rel = exec(alice, proxy, { release_unbonded: {} });
    const w = find(rel, 'wasm', vault);
    assert.deepEqual(shape(w), [['wasm', '_contract_address', 'action', 'amount', 'owner', 'sender']]); // sorted: nested sub-message
    assert.deepEqual(attrs(w[0]!), { _contract_address: vault, action: 'release_cross_stake', amount: '9999999', owner: alice, sender: native });
    assert.deepEqual(details(), { collateral: 190n * M, maxLien: 80_000_001n, totalSlashable: 16_000_001n, free: 109_999_999n });
    assert.equal(chain.bank.balance(vault, 'stake'), 100n * M + 9_999_999n);
    // nothing left: release_unbonded is a no-op
    assert.deepEqual(shape(exec(alice, proxy, { release_unbonded: {} })), [['execute', '_contract_address']]);
  });

  it('cross_slash with case-A propagation burns local stake through native-staking and the proxy (V3 figures)', () => {
    const { chain, alice, vault, ext, vals, exec, fail, details, proxyOf } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(200n * M) } });
    exec(alice, vault, { stake_local: { amount: coin(200n * M), msg: valMsg(vals[0]!) } });
    exec(alice, vault, { stake_remote: { contract: ext, amount: coin(200n * M), msg: valMsg('consval1') } });
    exec(ext, vault, { commit_tx: { tx_id: 1 } });
    assert.deepEqual(details(), { collateral: 200n * M, maxLien: 200n * M, totalSlashable: 80n * M, free: 0n });
    fail(ext, vault, { cross_slash: { slashes: [{ user: chain.addr('nobody'), slash: '1' }], validator: 'consval1' } }, 'mesh_vault::state::Lien not found');

    const proxy = proxyOf(alice);
    const ev = exec(ext, vault, { cross_slash: { slashes: [{ user: alice, slash: '19999999' }], validator: 'consval1' } });
    assert.deepEqual(attrs(find(ev, 'wasm', vault)[0]!), { _contract_address: vault, action: 'cross_slash', lien_holder: ext, validator: 'consval1', users: alice });
    assert.deepEqual(shape(find(ev, 'wasm', vault)), [['wasm', '_contract_address', 'action', 'lien_holder', 'validator', 'users']]);
    assert.deepEqual(details(), { collateral: 180_000_001n, maxLien: 180_000_001n, totalSlashable: 72_000_002n, free: 0n });
    // burn_stake → proxy burn → a normal undelegation of 19 999 999 from val0 (bonded: its tokens move
    // to the not-bonded pool, with x/bank's events; wasmd drops the sub-message's `message`)
    assert.deepEqual(
      noRewards(ev).map((e) => e.type),
      ['execute', 'wasm', 'execute', 'execute', 'coin_spent', 'coin_received', 'transfer', 'unbond'],
    );
    assert.equal(attrs(find(ev, 'unbond')[0]!).amount, '19999999stake');
    assert.equal(chain.staking.delegation(proxy, vals[0]!)!.tokens, 180_000_001n);
    // the burned part never goes back to the vault
    chain.bank.fund(proxy, { denom: 'stake', amount: 19_999_999n }); // as if the unbonding matured
    assert.deepEqual(shape(exec(alice, proxy, { release_unbonded: {} })), [['execute', '_contract_address']]);
  });

  it('burns are not transactional: a cross lien cut by propagation stays cut (spec §7 Q13)', () => {
    const { chain, alice, vault, ext, vals, exec, details, next } = setupProvider();
    exec(alice, vault, { bond: { amount: coin(100n * M) } });
    exec(alice, vault, { stake_local: { amount: coin(100n * M), msg: valMsg(vals[0]!) } });
    exec(alice, vault, { stake_remote: { contract: ext, amount: coin(100n * M), msg: valMsg('consval1') } });
    exec(ext, vault, { commit_tx: { tx_id: 1 } });
    extCalls.length = 0;
    next();
    chain.journal.atomic(() => chain.slashing.jailForDowntime(vals[0]!, chain.time, chain.height));
    // local slash 10M with no free collateral → case A cuts the cross lien to 90M; burn sent, no tx kept
    assert.deepEqual(extCalls, [{ burn_virtual_stake: { owner: alice, amount: coin(10n * M), validator: null } }]);
    assert.deepEqual(details(), { collateral: 90n * M, maxLien: 90n * M, totalSlashable: 36n * M, free: 0n });
    assert.deepEqual(chain.query(vault, { claim: { account: alice, lienholder: ext } }), { amount: { l: '90000000', h: '90000000' }, slashable: '0.2' });
    assert.deepEqual(chain.query(vault, { all_pending_txs_desc: {} }), { txs: [] });
  });

  it('restake (upstream check against the vault delegation fails; user check succeeds)', () => {
    {
      const { chain, alice, vault, vals, fail } = setupProvider();
      chain.journal.atomic(() => chain.staking.delegate(alice, vals[0]!, 10n * M));
      fail(alice, vault, { restake: { amount: coin(5n * M), validator: vals[0] } }, 'no delegation for (address, validator) tuple');
    }
    const { chain, alice, vault, native, vals, exec, details, proxyOf } = setupProvider({ restakeValidatesUser: true });
    chain.journal.atomic(() => chain.staking.delegate(alice, vals[0]!, 10n * M));
    const ev = exec(alice, vault, { restake: { amount: coin(5n * M), validator: vals[0] } });
    assert.deepEqual(shape(ev).slice(0, 2), [['execute', '_contract_address'], ['wasm', '_contract_address', 'action', 'sender', 'amount']]);
    assert.deepEqual(attrs(ev[1]!), { _contract_address: vault, action: 'restake', sender: alice, amount: '5000000' });
    const vu = find(ev, 'vault_unbond')[0]!;
    assert.deepEqual(shape([vu]), [['vault_unbond', 'module', 'amount', 'delegator']]);
    // restake msg first (funds into the vault), then receive_stake with those funds
    assert.ok(ev.indexOf(vu) < ev.findIndex((e) => e.type === 'execute' && attrs(e)._contract_address === native));
    assert.deepEqual(attrs(vu), { module: 'mesh-security-provider', amount: '5000000stake', delegator: alice });
    assert.deepEqual(details(), { collateral: 5n * M, maxLien: 5n * M, totalSlashable: 1n * M, free: 0n });
    assert.equal(chain.staking.delegation(alice, vals[0]!)!.tokens, 5n * M);
    assert.equal(chain.staking.delegation(proxyOf(alice), vals[0]!)!.tokens, 5n * M);
  });
});
