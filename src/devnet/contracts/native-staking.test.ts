// native-staking: sudo `jailing` (events, ratios, pruning), the vault/proxy-only messages and queries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Chain } from '../chain/chain.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import { nsPerSecond } from '../chain/types.ts';
import { installMeshSecurityProvider } from '../modules/meshsecurity-provider.ts';
import { nativeStakingProxyCode } from './native-staking-proxy.ts';
import { nativeStakingCode } from './native-staking.ts';
import { vaultCode } from './vault.ts';
import { attrs, b64, coin, M, msgIs, providerParams } from './provider.testkit.ts';

const PARAMS = providerParams();

function setup() {
  const chain = new Chain(PARAMS, 1_700_000_000n * nsPerSecond);
  const vals = ['val0', 'val1'].map((n) => {
    chain.staking.initGenesisValidator({ operator: chain.valoper(n), delegator: chain.addr(n), tokens: M, shares: LegacyDec.ONE });
    return chain.valoper(n);
  });
  installMeshSecurityProvider(chain);
  const proxyId = chain.wasm.storeCode(nativeStakingProxyCode);
  const vaultId = chain.wasm.storeCode(vaultCode);
  const nativeId = chain.wasm.storeCode(nativeStakingCode);
  const users = ['alice', 'bob', 'carol'].map((n) => chain.addr(n));
  for (const u of users) chain.bank.fund(u, { denom: 'stake', amount: 500n * M });
  const init = { denom: 'stake', proxy_code_id: proxyId, slash_ratio_dsign: '0.2', slash_ratio_offline: '0.1' };
  const vault = chain.journal.atomic(() => chain.instantiate(users[0]!, vaultId, { denom: 'stake', local_staking: { code_id: nativeId, msg: b64(init) } }, [], 'v')).address;
  const native = (chain.query(vault, { config: {} }) as { local_staking: string }).local_staking;
  chain.module<{ params: { set(p: unknown): void } }>('mesh-security-provider').params.set({ vaultAddress: vault, nativeStakingAddress: native });
  const exec = (sender: string, contract: string, msg: unknown, funds: Array<{ denom: string; amount: bigint }> = []) =>
    chain.journal.atomic(() => chain.execute(sender, contract, msg, funds)).events;
  const stake = (user: string, amount: bigint, val: string) => {
    exec(user, vault, { bond: { amount: coin(amount) } });
    exec(user, vault, { stake_local: { amount: coin(amount), msg: b64({ validator: val }) } });
  };
  const proxyOf = (owner: string) => (chain.query(native, { proxy_by_owner: { owner } }) as { proxy: string }).proxy;
  const collateral = (u: string) => BigInt((chain.query(vault, { account: { account: u } }) as { bonded: string }).bonded);
  const sudo = (msg: unknown) => chain.journal.atomic(() => chain.sudo(native, msg)).events;
  return { chain, vals, users, vault, native, exec, stake, proxyOf, collateral, sudo, nativeId, proxyId };
}

describe('native-staking', () => {
  it('rejects slash ratios above 1 and non-vault callers', () => {
    const { chain, native, users, exec, nativeId, proxyId, vault } = setup();
    assert.throws(
      () => chain.journal.atomic(() => chain.instantiate(users[0]!, nativeId, { denom: 'stake', proxy_code_id: proxyId, slash_ratio_dsign: '1.01', slash_ratio_offline: '0.1' }, [], 'n')),
      msgIs('You cannot specify a slash ratio over 1.0 (100%)'),
    );
    assert.throws(() => exec(users[0]!, native, { receive_stake: { owner: users[0], msg: b64({ validator: 'x' }) } }, [{ denom: 'stake', amount: 1n }]), msgIs('Unauthorized'));
    assert.throws(() => exec(users[0]!, native, { burn_stake: { owner: users[0], amount: coin(1n), validator: null } }), msgIs('Unauthorized'));
    assert.throws(() => exec(vault, native, { burn_stake: { owner: users[1], amount: coin(1n) } }), msgIs(`Missing proxy contract for ${users[1]}`));
    assert.throws(() => exec(users[0]!, native, { test_handle_jailing: { jailed: [], tombstoned: [] } }), msgIs('Unauthorized'));
    chain.bank.fund(vault, { denom: 'stake', amount: 5n });
    assert.throws(() => exec(vault, native, { receive_stake: { owner: users[0], msg: b64({ validator: 'x' }) } }), msgIs('No funds sent'));
    assert.throws(
      () => exec(vault, native, { receive_stake: { owner: users[0], msg: b64({ val: 'x' }) } }, [{ denom: 'stake', amount: 1n }]),
      msgIs('Error parsing into type mesh_native_staking::msg::StakeMsg: unknown field `val`, expected `validator`'),
    );
    assert.throws(() => exec(users[0]!, native, { release_proxy_stake: {} }, [{ denom: 'stake', amount: 1n }]), msgIs('cosmwasm_std::addresses::Addr not found'));
    assert.throws(() => chain.query(native, { proxy_by_owner: { owner: users[2] } }), msgIs('cosmwasm_std::addresses::Addr not found'));
  });

  it('jailing: tombstoned first at the dsign ratio, jailed at the offline ratio; one local_slash per validator', () => {
    const { vals, users, vault, native, stake, collateral, sudo } = setup();
    stake(users[0]!, 100n * M, vals[0]!);
    stake(users[1]!, 55n * M, vals[0]!);
    stake(users[1]!, 10n * M, vals[1]!);
    const ev = sudo({ jailing: { jailed: [vals[1]], tombstoned: [vals[0]] } });
    const jailing = ev.filter((e) => e.type === 'wasm-jailing');
    assert.deepEqual(jailing.map((e) => e.attributes.map((a) => a.key)), [['_contract_address', 'jailed', 'tombstoned']]);
    assert.deepEqual(attrs(jailing[0]!), { _contract_address: native, jailed: vals[1], tombstoned: vals[0] });
    const slashes = ev.filter((e) => e.type === 'wasm' && attrs(e)._contract_address === vault).map(attrs);
    // owners in address order: users[0..1] sorted
    const [u0, u1] = [users[0]!, users[1]!].sort();
    assert.deepEqual(slashes, [
      { _contract_address: vault, action: 'local_slash', lien_holder: native, users: `${u0}, ${u1}`, validator: vals[0] },
      { _contract_address: vault, action: 'local_slash', lien_holder: native, users: users[1], validator: vals[1] },
    ]);
    // dsign 0.2: 100M → 20M, 55M → 11M; offline 0.1: 10M → 1M
    assert.equal(collateral(users[0]!), 80n * M);
    assert.equal(collateral(users[1]!), 65n * M - 11n * M - 1n * M);
  });

  it('jailing with nothing staked still emits wasm-jailing (attributes only when non-empty)', () => {
    const { vals, native, sudo } = setup();
    const ev = sudo({ jailing: { jailed: null, tombstoned: null } });
    assert.deepEqual(ev.map((e) => [e.type, ...e.attributes.map((a) => a.key)]), [['sudo', '_contract_address'], ['wasm-jailing', '_contract_address']]);
    const ev2 = sudo({ jailing: { jailed: [vals[0], vals[1]] } });
    assert.deepEqual(attrs(ev2[1]!), { _contract_address: native, jailed: `${vals[0]},${vals[1]}` });
    assert.equal(ev2.length, 2, 'no delegators → no local_slash');
  });

  it('owners whose delegation went to 0 are skipped and forgotten', () => {
    const { chain, vals, users, vault, stake, proxyOf, collateral, sudo, exec } = setup();
    stake(users[0]!, 10n * M, vals[0]!);
    const proxy = proxyOf(users[0]!);
    chain.produceBlock(chain.time + PARAMS.blockTimeNs);
    exec(users[0]!, proxy, { unstake: { validator: vals[0], amount: coin(10n * M) } }); // bonded: normal unbonding
    assert.equal(chain.staking.delegation(proxy, vals[0]!), undefined);
    const ev = sudo({ jailing: { jailed: [vals[0]] } });
    assert.equal(ev.filter((e) => e.type === 'wasm').length, 0);
    assert.equal(collateral(users[0]!), 10n * M);
    // a new stake re-registers the owner
    exec(users[0]!, vault, { bond: { amount: coin(1n * M) } });
    exec(users[0]!, vault, { stake_local: { amount: coin(1n * M), msg: b64({ validator: vals[0] }) } });
    const ev2 = sudo({ jailing: { jailed: [vals[0]] } });
    assert.equal(ev2.filter((e) => e.type === 'wasm').length, 1);
  });
});
