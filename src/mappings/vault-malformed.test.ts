import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Contracts } from '../indexer/contracts.ts';
import { Router, mapBlock } from '../indexer/route.ts';
import { WriteBuffer } from '../indexer/store/buffer.ts';
import type { ChainEvent, DecodedBlock } from '../indexer/types.ts';
import { Replica } from './replica.ts';
import { NS_CONFIG, replicatedAccount } from './vault.ts';
import { PROVIDER_MAPPINGS } from './vault.testkit.ts';

const VAULT = 'mesh1vault';
const ev = (index: number, type: string, attrs: Record<string, string>): ChainEvent => ({ type, index, msgIndex: 0, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })) });

test('malformed vault events go to the dead-letter table and indexing continues', async () => {
  const replica = new Replica('p');
  const contracts = new Contracts(replica, new Map());
  contracts.add({ address: VAULT, kind: 'vault' });
  replica.set(NS_CONFIG, VAULT, { denom: 'stake', localStaking: 'mesh1native', localSlashable: '0.2', localOffline: '0.1' });
  const out = new WriteBuffer();
  const tx = (index: number, events: ChainEvent[]) => ({ hash: `H${index}`, index, code: 0, codespace: '', log: '', msgs: [{ typeUrl: '/cosmwasm.wasm.v1.MsgExecuteContract' }], events });
  const block: DecodedBlock = {
    chainId: 'p',
    height: 5,
    timeNs: 0n,
    time: new Date(0),
    hash: 'B',
    beginEvents: [],
    endEvents: [],
    problems: [],
    txs: [
      // bond with a garbage amount
      tx(0, [ev(0, 'wasm', { _contract_address: VAULT, action: 'unbond', sender: 'alice', amount: '12x' }), ev(1, 'vault_bond', { module: 'mesh-security-provider', amount: '12x', delegator: 'alice' })]),
      // commit of a tx the replica never saw
      tx(1, [ev(0, 'wasm', { _contract_address: VAULT, action: 'commit_tx', sender: 'mesh1ext', tx_id: '77' })]),
      // unbond more than the collateral: the replica disagrees with the chain
      tx(2, [ev(0, 'wasm', { _contract_address: VAULT, action: 'unbond', sender: 'bob', amount: '5stake' }), ev(1, 'vault_unbond', { module: 'mesh-security-provider', amount: '5stake', delegator: 'bob' })]),
      // stake_local without sender
      tx(3, [ev(0, 'wasm', { _contract_address: VAULT, action: 'stake_local', amount: '5' })]),
      // a good bond, then a good stake_local
      tx(4, [ev(0, 'wasm', { _contract_address: VAULT, action: 'unbond', sender: 'alice', amount: '100' }), ev(1, 'vault_bond', { module: 'mesh-security-provider', amount: '100stake', delegator: 'alice' })]),
      tx(5, [ev(0, 'wasm', { _contract_address: VAULT, action: 'stake_local', sender: 'alice', amount: '30' })]),
    ],
  };
  await mapBlock(block, new Router(PROVIDER_MAPPINGS), { replica, contracts, out, mappings: PROVIDER_MAPPINGS, query: async () => { throw new Error('no chain'); } });
  const dead = [...(out.batches().find((b) => b.entity === 'DeadLetter')?.rows.values() ?? [])] as any[];
  assert.equal(dead.length, 5, dead.map((d) => d.reason).join('\n'));
  assert.deepEqual(dead.map((d) => d.txHash).sort(), ['H0', 'H0', 'H1', 'H2', 'H3']);
  const a = replicatedAccount({ replica }, VAULT, 'alice');
  assert.equal(a.user.collateral, 100n);
  assert.deepEqual(a.user.maxLien, { l: 30n, h: 30n });
  assert.deepEqual(a.user.totalSlashable, { l: 6n, h: 6n });
  assert.equal(replicatedAccount({ replica }, VAULT, 'bob').user.collateral, 0n);
});
