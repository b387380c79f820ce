import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JailingSudoMsg, ProviderCustomMsg, VIRTUAL_STAKE_QUERY_RESPONSES, VirtualStakeCustomMsg, VirtualStakeCustomQuery,
  VirtualStakingSudoMsg,
} from './chain-msgs.ts';
import { decodeJson, encodeJson } from './schema.ts';
import type { Schema } from './schema.ts';

function roundTrip<T>(schema: Schema<T>, text: string): T {
  const v = decodeJson(schema, text);
  assert.equal(encodeJson(schema, v), text);
  return v;
}

test('virtual_stake custom messages (spec §3.1)', () => {
  roundTrip(VirtualStakeCustomMsg, '{"virtual_stake":{"bond":{"amount":{"denom":"stake","amount":"10"},"validator":"v"}}}');
  roundTrip(VirtualStakeCustomMsg, '{"virtual_stake":{"unbond":{"amount":{"denom":"stake","amount":"10"},"validator":"v"}}}');
  roundTrip(VirtualStakeCustomMsg, '{"virtual_stake":{"update_delegation":{"amount":{"denom":"stake","amount":"10"},"is_deduct":true,"delegator":"d","validator":"v"}}}');
  roundTrip(VirtualStakeCustomMsg, '{"virtual_stake":{"delete_all_scheduled_tasks":{}}}');
  // Go reads these with encoding/json: unknown fields are ignored, unknown variants are not handled
  assert.deepEqual(decodeJson(VirtualStakeCustomMsg, '{"virtual_stake":{"delete_all_scheduled_tasks":{"x":1}}}'), {
    kind: 'virtual_stake',
    value: { kind: 'delete_all_scheduled_tasks', value: {} },
  });
  assert.throws(() => decodeJson(VirtualStakeCustomMsg, '{"virtual_stake":{"mint":{}}}'), /unknown variant `mint`/);
});

test('provider custom messages (spec §3.2)', () => {
  roundTrip(ProviderCustomMsg, '{"provider":{"bond":{"delegator":"u","amount":{"denom":"stake","amount":"5"}}}}');
  roundTrip(ProviderCustomMsg, '{"provider":{"unbond":{"delegator":"u","amount":{"denom":"stake","amount":"5"}}}}');
  roundTrip(ProviderCustomMsg, '{"provider":{"unstake":{"delegator":"o","validator":"v","amount":{"denom":"stake","amount":"5"}}}}');
  roundTrip(ProviderCustomMsg, '{"provider":{"restake":{"delegator":"u","validator":"v","amount":{"denom":"stake","amount":"5"}}}}');
});

test('virtual_stake custom queries and their answers', () => {
  roundTrip(VirtualStakeCustomQuery, '{"virtual_stake":{"bond_status":{"contract":"c"}}}');
  roundTrip(VirtualStakeCustomQuery, '{"virtual_stake":{"slash_ratio":{}}}');
  roundTrip(VirtualStakeCustomQuery, '{"virtual_stake":{"total_delegation":{"contract":"c","validator":"v"}}}');
  roundTrip(VirtualStakeCustomQuery, '{"virtual_stake":{"all_delegations":{"contract":"c","max_retrieve":50}}}');
  roundTrip(VIRTUAL_STAKE_QUERY_RESPONSES.bond_status, '{"cap":{"denom":"stake","amount":"1000"},"delegated":{"denom":"stake","amount":"10"}}');
  roundTrip(VIRTUAL_STAKE_QUERY_RESPONSES.slash_ratio, '{"slash_fraction_downtime":"0.010000000000000000","slash_fraction_double_sign":"0.050000000000000000"}');
  roundTrip(VIRTUAL_STAKE_QUERY_RESPONSES.total_delegation, '{"delegation":{"denom":"stake","amount":"10"}}');
  roundTrip(VIRTUAL_STAKE_QUERY_RESPONSES.all_delegations, '{"delegations":[{"delegator":"d","validator":"v","amount":"10"}]}');
  // answers are read by the contract: strict
  assert.throws(() => decodeJson(VIRTUAL_STAKE_QUERY_RESPONSES.total_delegation, '{"delegation":{"denom":"s","amount":"1"},"x":1}'), /unknown field `x`/);
});

test('sudo from the SDK modules', () => {
  roundTrip(VirtualStakingSudoMsg, '{"handle_epoch":{}}');
  const v = roundTrip(
    VirtualStakingSudoMsg,
    '{"handle_valset_update":{"additions":[{"address":"v1","commission":"0.100000000000000000","max_commission":"0.200000000000000000","max_change_rate":"0.010000000000000000"}],"removals":["v2"],"updated":[],"jailed":["v2"],"unjailed":[],"tombstoned":[],"slashed":[{"address":"v2","height":160,"time":1700000500,"infraction_height":150,"infraction_time":0,"power":46,"slash_amount":"4500000","slash_ratio":"0.100000000000000000","is_tombstoned":false}]}}',
  );
  assert.ok(v.kind === 'handle_valset_update');
  assert.equal(v.value.slashed![0]!.slash_amount, 4500000n);
  // every list is optional in the contract
  assert.deepEqual(decodeJson(VirtualStakingSudoMsg, '{"handle_valset_update":{"jailed":null}}'), { kind: 'handle_valset_update', value: {} });
  // the sample reports in sdk:x/meshsecurity/messages.md use `valset_update`, which is not the sudo key (spec §3.1)
  assert.throws(() => decodeJson(VirtualStakingSudoMsg, '{"valset_update":{}}'), /unknown variant `valset_update`, expected `handle_epoch` or `handle_valset_update`/);
  roundTrip(JailingSudoMsg, '{"jailing":{"jailed":[],"tombstoned":["v"]}}');
  roundTrip(JailingSudoMsg, '{"jailing":{"jailed":null,"tombstoned":null}}');
});
