// The pure parts of flow(txHash): packet descriptions, which rows of a batched relayer tx belong to a
// packet, and the order of steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Effect, describePacket, effectsOfPacket, orderSteps } from './flow-steps.ts';

test('describePacket names what each packet kind asks for (spec §2.2 shapes)', () => {
  assert.equal(describePacket('stake', { stake: { delegator: 'd', validator: 'v', stake: { denom: 'u', amount: '5' }, tx_id: 3 } }, '3'), 'stake 5u of d on v (tx_id 3)');
  assert.equal(describePacket('unstake', { unstake: { delegator: 'd', validator: 'v', unstake: { denom: 'u', amount: '5' }, tx_id: 9223372036854775808 } }, '9223372036854775808'), 'unstake 5u of d from v (tx_id 9223372036854775808)');
  assert.equal(describePacket('burn', { burn: { validators: ['a', 'b'], burn: { denom: 'u', amount: '2' } } }), 'burn 2u over a, b');
  assert.equal(
    describePacket('valset_update', { valset_update: { height: 57, time: 1, additions: [{ valoper: 'x', pub_key: 'TODO' }], removals: [], updated: [], jailed: ['y'], unjailed: [], tombstoned: [], slashed: [] } }),
    'valset_update of consumer height 57: 1 additions, 1 jailed',
  );
  assert.equal(describePacket('unknown', null), 'unknown packet');
  assert.equal(describePacket('stake', { unstake: {} }), 'stake packet');
});

const e = (table: string, over: Partial<Effect>): Effect => ({ table, id: `${table}/${over.txId ?? over.packetId}`, kind: 'k', staker: null, counterparty: null, validator: null, amount: null, txId: null, status: null, packetId: null, ...over });

test('a relayer tx that acked several packets: a packet gets only the rows of its tx_id or packet id', () => {
  const all = [e('lien_events', { txId: '1' }), e('lien_events', { txId: '2' }), e('burns', { packetId: 'p/b/c/4' }), e('validator_states', {})];
  const stake = { id: 'p/b/c/1', txId: '1' };
  assert.deepEqual(effectsOfPacket(all, stake, false), [all[0]]);
  assert.deepEqual(effectsOfPacket(all, { id: 'p/b/c/4', txId: null }, false), [all[2]]);
  assert.deepEqual(effectsOfPacket(all, stake, true), all);
});

test('orderSteps: by time, a cause before its effect at the same time, parents by final index', () => {
  const t = (s: number) => new Date(s * 1000);
  const out = orderSteps([
    { key: 'root', parent: null, time: t(10), depth: 0 },
    { key: 'ack', parent: 'recv', time: t(30), depth: 3 },
    { key: 'send', parent: 'root', time: t(10), depth: 1 },
    { key: 'recv', parent: 'send', time: t(20), depth: 2 },
  ]);
  assert.deepEqual(
    out.map((s) => [s.key, s.index, s.parentIndex]),
    [
      ['root', 0, null],
      ['send', 1, 0],
      ['recv', 2, 1],
      ['ack', 3, 2],
    ],
  );
});
