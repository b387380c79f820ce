// x/meshsecurityprovider: custom messages (auth, bank moves, unstake paths), MsgUpdateParams and the
// slashing decorator (sudo before the slash, double sign, errors logged, composed with other hooks).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Chain } from '../chain/chain.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import type { SlashingHooks } from '../chain/slashing.ts';
import { type Event, nsPerSecond } from '../chain/types.ts';
import { nativeStakingProxyCode } from '../contracts/native-staking-proxy.ts';
import { nativeStakingCode } from '../contracts/native-staking.ts';
import { vaultCode } from '../contracts/vault.ts';
import { MSG_UPDATE_PARAMS, MeshSecurityProvider, installMeshSecurityProvider } from './meshsecurity-provider.ts';
import { attrs, b64, coin, M, providerParams } from '../contracts/provider.testkit.ts';

const PARAMS = providerParams({ unbondingTimeSec: 100n });
const shape = (events: Event[]) => events.map((e) => [e.type, ...e.attributes.map((a) => a.key)]);
const err = (codespace: string, code: number, message: string) => (e: unknown) =>
  (e as { codespace?: string }).codespace === codespace && (e as { code?: number }).code === code && (e as Error).message === message;

function setup(extraHooks: SlashingHooks[] = []) {
  const chain = new Chain(PARAMS, 1_700_000_000n * nsPerSecond);
  const vals = ['val0', 'val1'].map((n) => {
    chain.staking.initGenesisValidator({ operator: chain.valoper(n), delegator: chain.addr(n), tokens: M, shares: LegacyDec.ONE });
    return chain.valoper(n);
  });
  if (extraHooks.length) chain.slashing.setHooks(...extraHooks);
  const m = installMeshSecurityProvider(chain);
  const alice = chain.addr('alice');
  chain.bank.fund(alice, { denom: 'stake', amount: 500n * M });
  const proxyId = chain.wasm.storeCode(nativeStakingProxyCode);
  const vaultId = chain.wasm.storeCode(vaultCode);
  const nativeId = chain.wasm.storeCode(nativeStakingCode);
  const init = { denom: 'stake', proxy_code_id: proxyId, slash_ratio_dsign: '0.2', slash_ratio_offline: '0.1' };
  const vault = chain.journal.atomic(() => chain.instantiate(alice, vaultId, { denom: 'stake', local_staking: { code_id: nativeId, msg: b64(init) } }, [], 'v')).address;
  const native = (chain.query(vault, { config: {} }) as { local_staking: string }).local_staking;
  const gov = chain.moduleAddr('gov');
  const updateParams = (signer: string, value: Record<string, unknown>) => chain.journal.atomic(() => chain.msgHandlers.get(MSG_UPDATE_PARAMS)!(chain, signer, value));
  updateParams(gov, { authority: gov, params: { vaultAddress: vault, nativeStakingAddress: native } });
  const exec = (sender: string, contract: string, msg: unknown) => chain.journal.atomic(() => chain.execute(sender, contract, msg, [])).events;
  const custom = (sender: string, provider: unknown) => chain.journal.atomic(() => chain.dispatch(sender, { kind: 'custom', msg: { provider } })).events;
  const stakeLocal = (amount: bigint, val: string) => {
    exec(alice, vault, { bond: { amount: coin(amount) } });
    exec(alice, vault, { stake_local: { amount: coin(amount), msg: b64({ validator: val }) } });
  };
  const proxy = () => (chain.query(native, { proxy_by_owner: { owner: alice } }) as { proxy: string }).proxy;
  const next = (dt = PARAMS.blockTimeNs) => chain.produceBlock(chain.time + dt);
  return { chain, m, vals, alice, vault, native, gov, updateParams, exec, custom, stakeLocal, proxy, next };
}

describe('x/meshsecurityprovider', () => {
  it('bond/unbond only from the vault; DelegateCoins / UndelegateCoins events', () => {
    const { chain, alice, vault, custom } = setup();
    const unauthorized = err('sdk', 4, 'contract has no permission for mesh security operations: unauthorized');
    assert.throws(() => custom(alice, { bond: { amount: coin(1n), delegator: alice } }), unauthorized);
    assert.throws(() => custom(alice, { unbond: { amount: coin(1n), delegator: alice } }), unauthorized);
    assert.throws(() => custom(vault, { restake: { amount: coin(1n), delegator: alice, validator: 'x' } }), /no delegation|validator does not exist/);
    assert.throws(() => custom(vault, { burn: {} }), err('wasm', 9, 'unknown message from the contract'));
    const ev = custom(vault, { bond: { amount: coin(7n), delegator: alice } });
    assert.deepEqual(shape(ev), [['coin_spent', 'spender', 'amount'], ['coin_received', 'receiver', 'amount'], ['vault_bond', 'module', 'amount', 'delegator']]);
    assert.deepEqual(ev.map(attrs), [
      { spender: alice, amount: '7stake' },
      { receiver: vault, amount: '7stake' },
      { module: 'mesh-security-provider', amount: '7stake', delegator: alice },
    ]);
    const un = custom(vault, { unbond: { amount: coin(7n), delegator: alice } });
    assert.deepEqual(un.map(attrs), [
      { spender: vault, amount: '7stake' },
      { receiver: alice, amount: '7stake' },
      { module: 'mesh-security-provider', amount: '7stake', delegator: alice },
    ]);
    assert.equal(un[2]!.type, 'vault_unbond');
    assert.throws(() => custom(vault, { unbond: { amount: coin(1n), delegator: alice } }), err('sdk', 5, 'spendable balance 0stake is smaller than 1stake: insufficient funds'));
    assert.equal(chain.bank.balance(alice, 'stake'), 500n * M);
  });

  it('MsgUpdateParams needs the gov authority', () => {
    const { chain, m, alice, gov, updateParams } = setup();
    assert.throws(() => updateParams(alice, { authority: gov, params: {} }), err('sdk', 4, 'signer does not match authority: unauthorized'));
    assert.throws(
      () => updateParams(alice, { authority: alice, params: {} }),
      err('gov', 13, `invalid authority; expected ${gov}, got ${alice}: expected gov account as only signer for proposal message`),
    );
    updateParams(gov, { authority: gov, params: { vaultAddress: alice, nativeStakingAddress: '' } });
    assert.deepEqual(m.params.get(), { vaultAddress: alice, nativeStakingAddress: '' });
    assert.equal(chain.module<MeshSecurityProvider>('mesh-security-provider'), m);
  });

  it('unstake on a bonded validator is a normal undelegation (unbonding period); unknown owner fails', () => {
    const { chain, vals, alice, custom, stakeLocal, proxy, next } = setup();
    stakeLocal(50n * M, vals[0]!);
    const p = proxy();
    // any contract may send it; the delegator is the proxy's owner
    const ev = custom(chain.addr('anyone'), { unstake: { amount: coin(20n * M), validator: vals[0], delegator: alice } });
    // staking's Undelegate moves the tokens from the bonded to the not-bonded pool (SendCoinsFromModuleToModule)
    const bonded = chain.staking.bondedPool;
    const notBonded = chain.staking.notBondedPool;
    assert.deepEqual(
      ev.filter((e) => e.type !== 'withdraw_rewards').map((e) => [e.type, ...e.attributes.map((a) => `${a.key}=${a.value}`)]),
      [
        ['coin_spent', `spender=${bonded}`, 'amount=20000000stake'],
        ['coin_received', `receiver=${notBonded}`, 'amount=20000000stake'],
        ['transfer', `recipient=${notBonded}`, `sender=${bonded}`, 'amount=20000000stake'],
        ['message', `sender=${bonded}`],
        ['native_unstake', 'module=mesh-security-provider', 'amount=20000000stake', `validator=${vals[0]}`],
      ],
    );
    assert.deepEqual(attrs(ev.at(-1)!), { module: 'mesh-security-provider', amount: '20000000stake', validator: vals[0] });
    assert.equal(chain.bank.balance(p, 'stake'), 0n);
    assert.equal(chain.staking.unbondingDelegations(p).length, 1);
    next(101n * nsPerSecond);
    assert.equal(chain.bank.balance(p, 'stake'), 20n * M);
    assert.throws(() => custom(alice, { unstake: { amount: coin(1n), validator: vals[0], delegator: chain.addr('bob') } }), err('sdk', 4, 'contract has no permission for mesh security operations: unauthorized'));
    assert.throws(() => custom(alice, { unstake: { amount: coin(0n), validator: vals[0], delegator: alice } }), err('sdk', 18, 'amount: invalid request'));
    assert.throws(() => custom(alice, { unstake: { amount: { denom: 'uatom', amount: '1' }, validator: vals[0], delegator: alice } }), err('sdk', 18, 'invalid coin denomination: got uatom, expected stake: invalid request'));
    // no delegation to that validator: a silent no-op that still emits the event
    const noop = custom(alice, { unstake: { amount: coin(1n), validator: vals[1], delegator: alice } });
    assert.deepEqual(shape(noop), [['native_unstake', 'module', 'amount', 'validator']]);
  });

  it('double sign: sudo tombstoned (dsign ratio) before the slash; downtime: jailed', () => {
    const { chain, m, vals, alice, vault, native, stakeLocal, next } = setup();
    stakeLocal(100n * M, vals[0]!);
    stakeLocal(100n * M, vals[1]!);
    next();
    const ev = chain.journal.atomic(() => chain.slashing.doubleSign(vals[0]!, 101n, chain.height - 1n, chain.time, chain.height));
    assert.deepEqual(attrs(ev[1]!), { _contract_address: native, tombstoned: vals[0] });
    const ls = ev.find((e) => e.type === 'wasm' && attrs(e)._contract_address === vault)!;
    assert.equal(attrs(ls).validator, vals[0]);
    const acc = chain.query(vault, { account: { account: alice } }) as { bonded: string };
    assert.equal(acc.bonded, String(200n * M - 20n * M), 'floor(100M × 0.2) at the double-sign ratio');
    assert.ok(ev.findIndex((e) => e.type === 'slash') > ev.indexOf(ls));
    const ev2 = chain.journal.atomic(() => chain.slashing.jailForDowntime(vals[1]!, chain.time, chain.height));
    assert.deepEqual(attrs(ev2[1]!), { _contract_address: native, jailed: vals[1] });
    assert.deepEqual(m.log, []);
  });

  it('sudo errors are logged and never stop the slash; existing decorators are kept', () => {
    const seen: string[] = [];
    const { chain, m, vals, vault, gov, updateParams, next } = setup([{ afterSlash: (op) => void seen.push(op) }]);
    updateParams(gov, { authority: gov, params: { vaultAddress: vault, nativeStakingAddress: vault } }); // vault has no sudo
    next();
    const ev = chain.journal.atomic(() => chain.slashing.jailForDowntime(vals[0]!, chain.time, chain.height));
    assert.deepEqual(m.log, ['native staking jailing sudo failed: sudo not implemented']);
    assert.ok(ev.some((e) => e.type === 'slash'));
    assert.ok(!ev.some((e) => e.type === 'sudo'));
    assert.deepEqual(seen, [vals[0]]);
  });
});
