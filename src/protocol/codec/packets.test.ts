import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodecError, decodeJson, encodeJson } from './schema.ts';
import type { Schema } from './schema.ts';
import { ConsumerPacket, ProviderPacket, decodeConsumerPacket, decodeProviderPacket } from './packets.ts';

// spec §2.2 examples, verbatim.
const PROVIDER_EXAMPLES = [
  '{"stake":{"delegator":"mesh1prov...","validator":"meshvaloper1cons...","stake":{"denom":"stake","amount":"80000000"},"tx_id":1}}',
  '{"unstake":{"delegator":"mesh1prov...","validator":"meshvaloper1cons...","unstake":{"denom":"stake","amount":"30000000"},"tx_id":9223372036854775808}}',
  '{"burn":{"validators":["meshvaloper1a...","meshvaloper1b..."],"burn":{"denom":"stake","amount":"2"}}}',
  '{"transfer_rewards":{"rewards":{"denom":"stake","amount":"1234"},"recipient":"mesh1cons...","tx_id":9223372036854775809}}',
];
const CONSUMER_EXAMPLES = [
  '{"valset_update":{"height":57,"time":1700000000,"additions":[{"valoper":"meshvaloper1...","pub_key":"TODO"}],"removals":[],"updated":[],"jailed":[],"unjailed":[],"tombstoned":[],"slashed":[]}}',
  '{"valset_update":{"height":160,"time":1700000500,"additions":[],"removals":["meshvaloper1x..."],"updated":[{"valoper":"meshvaloper1x...","pub_key":"TODO"}],"jailed":["meshvaloper1x..."],"unjailed":[],"tombstoned":[],"slashed":[{"address":"meshvaloper1x...","infraction_height":150,"infraction_time":0,"power":46,"slash_amount":{"denom":"stake","amount":"9999999"},"slash_ratio":"0.100000000000000000"}]}}',
  '{"internal_unstake":{"delegator":"mesh1prov...","validator":"meshvaloper1...","normalize_amount":{"denom":"stake","amount":"22500000"},"inverted_amount":{"denom":"stake","amount":"49999999"}}}',
  '{"distribute":{"validator":"meshvaloper1...","rewards":{"denom":"stake","amount":"1000"}}}',
  '{"distribute_batch":{"rewards":[{"validator":"meshvaloper1a...","reward":"1000"},{"validator":"meshvaloper1b...","reward":"250"}],"denom":"stake"}}',
];

test('every §2.2 example decodes and re-encodes byte-identically', () => {
  for (const text of PROVIDER_EXAMPLES) assert.equal(encodeJson(ProviderPacket, decodeProviderPacket(text)), text);
  for (const text of CONSUMER_EXAMPLES) assert.equal(encodeJson(ConsumerPacket, decodeConsumerPacket(text)), text);
  // bytes in, as found in packet_data_hex
  assert.equal(decodeProviderPacket(new TextEncoder().encode(PROVIDER_EXAMPLES[0]!)).kind, 'stake');
});

test('decoded values are typed: bigint amounts and tx ids', () => {
  const p = decodeProviderPacket(PROVIDER_EXAMPLES[1]!);
  assert.equal(p.kind, 'unstake');
  if (p.kind !== 'unstake') return;
  assert.equal(p.value.tx_id, 2n ** 63n);
  assert.deepEqual(p.value.unstake, { denom: 'stake', amount: 30000000n });
  const c = decodeConsumerPacket(CONSUMER_EXAMPLES[1]!);
  assert.ok(c.kind === 'valset_update');
  assert.equal(c.value.slashed[0]!.slash_amount.amount, 9999999n);
  assert.equal(c.value.slashed[0]!.slash_ratio, '0.100000000000000000'); // a String field, kept verbatim
});

test('2^63 and u64::MAX tx ids round-trip exactly', () => {
  for (const id of [2n ** 63n, 2n ** 63n + 1n, 2n ** 64n - 1n]) {
    const packet = { kind: 'transfer_rewards' as const, value: { rewards: { denom: 'stake', amount: 1n }, recipient: 'r', tx_id: id } };
    const text = encodeJson(ProviderPacket, packet);
    assert.ok(text.endsWith(`"tx_id":${id}}}`));
    assert.deepEqual(decodeProviderPacket(text), packet);
  }
});

test('encodes the bytes external-staking sends', () => {
  const text = encodeJson(ProviderPacket, {
    kind: 'stake',
    value: { tx_id: 1n, stake: { amount: 80000000n, denom: 'stake' }, validator: 'val', delegator: 'del' },
  });
  assert.equal(text, '{"stake":{"delegator":"del","validator":"val","stake":{"denom":"stake","amount":"80000000"},"tx_id":1}}');
});

const rejects = (text: string, message: string, schema: Schema<unknown> = ProviderPacket) =>
  assert.throws(() => decodeJson(schema, text), (e: unknown) => e instanceof CodecError && e.message === message, message);

test('unknown fields, missing fields, wrong types and unknown variants are rejected', () => {
  rejects(
    '{"stake":{"delegator":"d","validator":"v","stake":{"denom":"stake","amount":"1"},"tx_id":1,"memo":"x"}}',
    'unknown field `memo`, expected one of `delegator`, `validator`, `stake`, `tx_id` at $.stake',
  );
  rejects('{"stake":{"validator":"v","stake":{"denom":"stake","amount":"1"},"tx_id":1}}', 'missing field `delegator` at $.stake');
  rejects('{"burn":{"validators":"v","burn":{"denom":"stake","amount":"1"}}}', 'invalid type: string "v", expected a sequence at $.burn.validators');
  rejects('{"stake":{"delegator":"d","validator":"v","stake":{"denom":"stake","amount":1},"tx_id":1}}', 'invalid type: integer `1`, expected string-encoded integer at $.stake.stake.amount');
  rejects('{"stake":{"delegator":"d","validator":"v","stake":{"denom":"stake","amount":"1"},"tx_id":"1"}}', 'invalid type: string "1", expected u64 at $.stake.tx_id');
  rejects('{"restake":{}}', 'unknown variant `restake`, expected one of `stake`, `unstake`, `burn`, `transfer_rewards`');
  rejects(
    '{"add_validators":[]}',
    'unknown variant `add_validators`, expected one of `valset_update`, `internal_unstake`, `distribute`, `distribute_batch`',
    ConsumerPacket,
  );
  rejects(
    '{"valset_update":{"height":1,"time":1,"additions":[],"removals":[],"updated":[],"jailed":[],"unjailed":[],"tombstoned":[]}}',
    'missing field `slashed` at $.valset_update',
    ConsumerPacket,
  );
  rejects(
    '{"distribute_batch":{"rewards":[{"validator":"v","reward":"1","denom":"x"}],"denom":"x"}}',
    'unknown field `denom`, expected `validator` or `reward` at $.distribute_batch.rewards[0]',
    ConsumerPacket,
  );
});
