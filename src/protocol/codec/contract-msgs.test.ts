import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../decimal.ts';
import { StakeMsg, Tx } from './common.ts';
import * as converter from './converter.ts';
import * as externalStaking from './external-staking.ts';
import * as nativeStakingProxy from './native-staking-proxy.ts';
import * as nativeStaking from './native-staking.ts';
import * as priceFeed from './price-feed.ts';
import { CodecError, decodeJson, encodeJson } from './schema.ts';
import type { Schema } from './schema.ts';
import * as vault from './vault.ts';
import * as virtualStaking from './virtual-staking.ts';

/** Decodes then re-encodes; the text must come back byte for byte. */
function roundTrip<T>(schema: Schema<T>, text: string): T {
  const v = decodeJson(schema, text);
  assert.equal(encodeJson(schema, v), text);
  return v;
}

test('vault: execute messages (spec §1.1)', () => {
  const m = roundTrip(vault.ExecuteMsg, '{"stake_remote":{"contract":"ext","amount":{"denom":"stake","amount":"100"},"msg":"eyJ2YWxpZGF0b3IiOiJ2YWwxIn0="}}');
  assert.ok(m.kind === 'stake_remote');
  assert.deepEqual(decodeJson(StakeMsg, m.value.msg), { validator: 'val1' });
  roundTrip(vault.ExecuteMsg, '{"bond":{"amount":{"denom":"stake","amount":"1"}}}');
  roundTrip(vault.ExecuteMsg, '{"commit_tx":{"tx_id":3}}');
  roundTrip(vault.ExecuteMsg, '{"cross_slash":{"slashes":[{"user":"u","slash":"9999999"}],"validator":"v"}}');
  assert.throws(() => decodeJson(vault.ExecuteMsg, '{"bond":{}}'), /missing field `amount` at \$\.bond/); // pre-July-2024 form
  assert.throws(() => decodeJson(vault.ExecuteMsg, '{"commit_tx":{"tx_id":3,"sender":"x"}}'), /unknown field `sender`, expected `tx_id`/);
});

test('vault: instantiate with untagged local_staking', () => {
  roundTrip(vault.InstantiateMsg, '{"denom":"stake","local_staking":{"existing":"ns"}}');
  roundTrip(vault.InstantiateMsg, '{"denom":"stake","local_staking":{"admin":null,"code_id":2,"msg":"e30=","label":"L"}}');
  roundTrip(vault.InstantiateMsg, '{"denom":"stake","local_staking":null}');
  assert.deepEqual(decodeJson(vault.InstantiateMsg, '{"denom":"stake"}'), { denom: 'stake' });
  assert.throws(() => decodeJson(vault.InstantiateMsg, '{"denom":"s","local_staking":{"existing":"ns","code_id":1}}'), /untagged enum LocalStakingInfo/);
});

test('vault: queries and answers', () => {
  roundTrip(vault.QueryMsg, '{"account":{"account":"u"}}');
  roundTrip(vault.QueryMsg, '{"config":{}}');
  assert.deepEqual(decodeJson(vault.QueryMsg, '{"all_accounts":{}}'), { kind: 'all_accounts', value: { with_collateral: false } });
  assert.equal(
    encodeJson(vault.QUERY_RESPONSES.account, { denom: 'stake', bonded: 200n, free: { l: 1n, h: 5n } }),
    '{"denom":"stake","bonded":"200","free":{"l":"1","h":"5"}}',
  );
  roundTrip(vault.QUERY_RESPONSES.claim, '{"amount":{"l":"150","h":"200"},"slashable":"0.1"}');
  roundTrip(vault.QUERY_RESPONSES.all_accounts, '{"accounts":[{"user":"u","account":{"denom":"stake","bonded":"1","free":{"l":"0","h":"1"}}}]}');
  roundTrip(vault.QUERY_RESPONSES.pending_tx, '{"in_flight_staking":{"id":1,"amount":"10","slashable":"0.1","user":"u","lienholder":"l"}}');
  roundTrip(Tx, '{"in_flight_remote_unstaking":{"id":9223372036854775808,"amount":"10","user":"u","validator":"v"}}');
  roundTrip(vault.QUERY_RESPONSES.config, '{"denom":"stake","local_staking":null}');
});

test('native-staking and its proxy (spec §1.2, §1.3)', () => {
  roundTrip(nativeStaking.InstantiateMsg, '{"denom":"stake","proxy_code_id":3,"slash_ratio_dsign":"0.2","slash_ratio_offline":"0.1"}');
  roundTrip(nativeStaking.ExecuteMsg, '{"burn_stake":{"owner":"o","amount":{"denom":"stake","amount":"5"},"validator":null}}');
  roundTrip(nativeStaking.ExecuteMsg, '{"release_proxy_stake":{}}');
  roundTrip(nativeStaking.SudoMsg, '{"jailing":{"jailed":["v1"],"tombstoned":null}}');
  roundTrip(nativeStaking.QUERY_RESPONSES.max_slash, '{"slash_ratio_dsign":"0.2","slash_ratio_offline":"0.1"}');
  roundTrip(nativeStakingProxy.ExecuteMsg, '{"vote":{"proposal_id":1,"vote":"no_with_veto"}}');
  roundTrip(nativeStakingProxy.ExecuteMsg, '{"vote_weighted":{"proposal_id":2,"vote":[{"option":"yes","weight":"0.5"}]}}');
  roundTrip(nativeStakingProxy.ExecuteMsg, '{"restake":{"src_validator":"a","dst_validator":"b","amount":{"denom":"stake","amount":"1"}}}');
  roundTrip(nativeStakingProxy.ExecuteMsg, '{"release_unbonded":{}}');
  assert.throws(() => decodeJson(nativeStakingProxy.ExecuteMsg, '{"vote":{"proposal_id":1,"vote":"maybe"}}'), /unknown variant `maybe`/);
});

test('external-staking (spec §1.4)', () => {
  roundTrip(
    externalStaking.InstantiateMsg,
    '{"denom":"stake","rewards_denom":"ujuno","vault":"v","unbonding_period":1814400,"remote_contact":{"connection_id":"connection-0","port_id":"wasm.c"},"slash_ratio":{"double_sign":"0.1","offline":"0.1"}}',
  );
  roundTrip(externalStaking.ExecuteMsg, '{"receive_virtual_stake":{"owner":"o","amount":{"denom":"stake","amount":"5"},"tx_id":1,"msg":"e30="}}');
  roundTrip(externalStaking.ExecuteMsg, '{"withdraw_rewards":{"validator":"v","remote_recipient":"r"}}');
  roundTrip(externalStaking.QueryMsg, '{"list_validators":{"start_after":null,"limit":100}}');
  roundTrip(externalStaking.QUERY_RESPONSES.list_validators, '{"validators":[{"validator":"v","state":{"active":{}}},{"validator":"w","state":{"tombstoned":{}}}]}');
  const stake = roundTrip(
    externalStaking.QUERY_RESPONSES.stake,
    `{"stake":{"l":"100","h":"150"},"pending_unbonds":[{"amount":"10","release_at":"1700000000000000000"}],"points_alignment":"${2n ** 255n - 1n}","withdrawn_funds":"0"}`,
  );
  assert.equal(stake.pending_unbonds[0]!.release_at, 1700000000000000000n);
  roundTrip(externalStaking.QUERY_RESPONSES.all_pending_rewards, '{"rewards":[{"validator":"v","rewards":{"rewards":{"denom":"ujuno","amount":"4"}}}]}');
  const ch = decodeJson(
    externalStaking.QUERY_RESPONSES.ibc_channel,
    '{"channel":{"endpoint":{"port_id":"wasm.p","channel_id":"channel-0"},"counterparty_endpoint":{"port_id":"wasm.c","channel_id":"channel-1"},"order":"ORDER_UNORDERED","version":"{}","connection_id":"connection-0","future":1}}',
  );
  assert.equal(ch.channel.order, 'ORDER_UNORDERED');
});

test('converter and virtual-staking (spec §1.5, §1.6)', () => {
  roundTrip(
    converter.InstantiateMsg,
    '{"price_feed":"pf","discount":"0.1","remote_denom":"stake","virtual_staking_code_id":4,"tombstoned_unbond_enable":true,"admin":null,"max_retrieve":100}',
  );
  const vs = roundTrip(
    converter.ExecuteMsg,
    '{"valset_update":{"additions":[{"address":"v","commission":"0.1","max_commission":"0.2","max_change_rate":"0.01"}],"removals":[],"updated":[],"jailed":[],"unjailed":[],"tombstoned":[],"slashed":[]}}',
  );
  assert.ok(vs.kind === 'valset_update');
  assert.ok(vs.value.additions[0]!.commission.cmp(Decimal.parse('0.1')) === 0);
  roundTrip(converter.ExecuteMsg, '{"distribute_rewards":{"payments":[{"validator":"v","reward":"7"}]}}');
  roundTrip(converter.QUERY_RESPONSES.config, '{"adjustment":"0.9","price_feed":"pf","virtual_staking":"vs"}');
  assert.throws(() => decodeJson(converter.InstantiateMsg, '{"price_feed":"pf","discount":"0.1","remote_denom":"stake","virtual_staking_code_id":4,"max_retrieve":100}'),
    (e: unknown) => e instanceof CodecError && e.reason === 'missing field `tombstoned_unbond_enable`'); // spec §7 Q4

  roundTrip(virtualStaking.InstantiateMsg, '{"max_retrieve":100,"tombstoned_unbond_enable":false}');
  roundTrip(virtualStaking.ExecuteMsg, '{"burn":{"validators":["a","b"],"amount":{"denom":"stake","amount":"2000"}}}');
  roundTrip(virtualStaking.ExecuteMsg, '{"handle_close_channel":{}}');
  roundTrip(virtualStaking.QUERY_RESPONSES.get_all_stake, '{"stakes":[["v1","300"],["v2","600"]]}');
});

test('price feeds (spec §1.7)', () => {
  roundTrip(priceFeed.QueryMsg, '{"price":{}}');
  roundTrip(priceFeed.QUERY_RESPONSES.price, '{"native_per_foreign":"0.5"}');
  roundTrip(priceFeed.SudoMsg, '{"handle_epoch":{}}');
  roundTrip(priceFeed.SimpleExecuteMsg, '{"update_price":{"native_per_foreign":"2"}}');
  roundTrip(priceFeed.OsmosisInstantiateMsg, '{"trading_pair":{"pool_id":1,"base_asset":"uosmo","quote_asset":"ujuno"},"epoch_in_secs":60,"price_info_ttl_in_secs":600}');
  roundTrip(
    priceFeed.BandInstantiateMsg,
    '{"trading_pair":{"base_asset":"ATOM","quote_asset":"OSMO"},"client_id":"c","oracle_script_id":"360","ask_count":"10","min_count":"5","fee_limit":[{"denom":"uband","amount":"1"}],"prepare_gas":"100000","execute_gas":"200000","minimum_sources":1,"epoch_in_secs":60,"price_info_ttl_in_secs":600}',
  );
});
