import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodecError, parseJson } from './schema.ts';
import { decodeConsumerPacketAnyEra, decodeProviderPacketAnyEra } from './packets.ts';

const coin = '{"denom":"stake","amount":"5"}';

test('current provider shapes are recognised as current', () => {
  const r = decodeProviderPacketAnyEra(`{"stake":{"delegator":"d","validator":"v","stake":${coin},"tx_id":1}}`);
  assert.deepEqual([r.era, r.current, r.packet.kind], ['2024-07-02', true, 'stake']);
  assert.equal(decodeProviderPacketAnyEra(`{"burn":{"validators":["v"],"burn":${coin}}}`).current, true);
});

test('historic provider shapes of spec §2.7', () => {
  const cases: [string, string, string][] = [
    [`{"stake":{"validator":"v","stake":${coin}}}`, '2023-06-21', 'fbb36e1'],
    [`{"stake":{"validator":"v","stake":${coin},"tx_id":3}}`, '2023-06-22', '4fa8aec'],
    [`{"unstake":{"validator":"v","unstake":${coin}}}`, '2023-06-21', 'fbb36e1'],
    [`{"unstake":{"validator":"v","unstake":${coin},"tx_id":9223372036854775808}}`, '2023-06-22', '4fa8aec'],
    [`{"burn":{"validator":"v","burn":${coin},"tx_id":9223372036854775810}}`, '2023-10-25', '414d4d5'],
    [`{"transfer_rewards":{"rewards":${coin},"recipient":"r","staker":"s"}}`, '2023-06-26', '6bd3020/956cac1/3af344f'],
  ];
  for (const [text, era, commit] of cases) {
    const r = decodeProviderPacketAnyEra(text);
    assert.deepEqual([r.era, r.commit, r.current], [era, commit, false], text);
  }
  const r = decodeProviderPacketAnyEra(cases[3]![0]);
  assert.deepEqual(r.packet, { kind: 'unstake', value: { validator: 'v', unstake: { denom: 'stake', amount: 5n }, tx_id: 2n ** 63n } });
});

test('historic consumer shapes of spec §2.7', () => {
  const valset = '"height":7,"time":8,"additions":[],"removals":[],"updated":[],"jailed":[],"unjailed":[],"tombstoned":[]';
  const cases: [string, string, boolean][] = [
    [`{"valset_update":{${valset},"slashed":[]}}`, '2023-12-03', true],
    [`{"valset_update":{${valset}}}`, '2023-10-13', false],
    [`{"internal_unstake":{"delegator":"d","validator":"v","normalize_amount":${coin},"inverted_amount":${coin}}}`, '2024-08-23', true],
    [`{"internal_unstake":{"delegator":"d","validator":"v","amount":${coin}}}`, '2024-07-02', false],
    [`{"distribute":{"validator":"v","rewards":${coin}}}`, '2023-06-27', true],
    ['{"distribute_batch":{"rewards":[],"denom":"x"}}', '2023-09-13', true],
    ['{"add_validators":[{"valoper":"v","pub_key":"k","start_height":1,"start_time":2}]}', '2023-06-21', false],
    ['{"remove_validators":["v"]}', '2023-06-21', false],
    ['{"jail_validators":[{"valoper":"v","height":1,"time":2}]}', '2023-10-06', false],
    ['{"tombstone_validators":["v"]}', '2023-10-06', false],
  ];
  for (const [text, era, current] of cases) {
    const r = decodeConsumerPacketAnyEra(text);
    assert.deepEqual([r.era, r.current], [era, current], text);
  }
  const add = decodeConsumerPacketAnyEra(parseJson(cases[6]![0]));
  assert.deepEqual(add.packet, { kind: 'add_validators', value: [{ valoper: 'v', pub_key: 'k', start_height: 1n, start_time: 2n }] });
});

test('shapes of no era are rejected with the newest shape’s error', () => {
  assert.throws(
    () => decodeProviderPacketAnyEra(`{"stake":{"delegator":"d","validator":"v","stake":${coin}}}`),
    (e: unknown) => e instanceof CodecError && e.message === 'missing field `tx_id` at $.stake',
  );
  assert.throws(() => decodeConsumerPacketAnyEra('{"remove_validators":[1]}'), /expected a string at \$\.remove_validators\[0\]/);
  assert.throws(() => decodeProviderPacketAnyEra('{"list_validators":{}}'), /unknown variant `list_validators`/);
  assert.throws(() => decodeProviderPacketAnyEra('[]'), /expected enum ProviderPacket/);
});
