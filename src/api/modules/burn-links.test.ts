// linkBurns ties each vault burn to the call that carried it out and to the packet that call sent,
// by event order — also when two stakers' burns to one lien holder are equal in amount.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventPosition, linkBurns } from './burn-links.ts';

test('eventPosition reads message and event index of a row id', () => {
  assert.deepEqual(eventPosition('provider/14/begin/-/3/burn/alice/ext'), [-1, 3]);
  assert.deepEqual(eventPosition('provider/14/0/2/17/burn/alice/ext'), [2, 17]);
});

test('two stakers slashed in one event: each burn gets its own call and packet, in chain order', () => {
  // the vault (one slash event, index 3) burned 10 for bob and 10 for alice; external staking ran
  // burn_virtual_stake for bob first (event 5, split over two validators) then alice (event 9)
  const burns = [
    { id: 'p/20/0/0/3/burn/alice/ext', staker: 'alice', amount: 10n },
    { id: 'p/20/0/0/3/burn/bob/ext', staker: 'bob', amount: 10n },
  ];
  const rows = [
    { staker: 'alice', validator: 'v1', amount: 10n, msgIndex: 0, eventIndex: 9 },
    { staker: 'bob', validator: 'v2', amount: 6n, msgIndex: 0, eventIndex: 5 },
    { staker: 'bob', validator: 'v1', amount: 4n, msgIndex: 0, eventIndex: 5 },
  ];
  const packets = [
    { id: 'p/wasm.ext/channel-0/8', sequence: 8n },
    { id: 'p/wasm.ext/channel-0/7', sequence: 7n },
  ];
  const l = linkBurns(burns, rows, packets);
  assert.deepEqual(l.get('p/20/0/0/3/burn/bob/ext'), { packetId: 'p/wasm.ext/channel-0/7', validatorBurns: [{ validator: 'v2', amount: 6n }, { validator: 'v1', amount: 4n }] });
  assert.deepEqual(l.get('p/20/0/0/3/burn/alice/ext'), { packetId: 'p/wasm.ext/channel-0/8', validatorBurns: [{ validator: 'v1', amount: 10n }] });
});

test('one staker burned twice in a tx (two slash events): the earlier slash takes the earlier call', () => {
  const burns = [
    { id: 'p/20/0/1/40/burn/alice/ext', staker: 'alice', amount: 7n },
    { id: 'p/20/0/0/3/burn/alice/ext', staker: 'alice', amount: 7n },
  ];
  const rows = [
    { staker: 'alice', validator: 'v9', amount: 7n, msgIndex: 1, eventIndex: 44 },
    { staker: 'alice', validator: 'v1', amount: 7n, msgIndex: 0, eventIndex: 5 },
  ];
  const l = linkBurns(burns, rows, [
    { id: 'x/1', sequence: 1n },
    { id: 'x/2', sequence: 2n },
  ]);
  assert.equal(l.get('p/20/0/0/3/burn/alice/ext')!.packetId, 'x/1');
  assert.deepEqual(l.get('p/20/0/1/40/burn/alice/ext')!.validatorBurns, [{ validator: 'v9', amount: 7n }]);
});

test('native staking: the proxy undelegations of the staker add up to the burn; no packet', () => {
  const l = linkBurns(
    [{ id: 'p/9/1/0/2/burn/alice/ns', staker: 'alice', amount: 30n }],
    [
      { staker: 'alice', validator: 'a', amount: 10n, msgIndex: 0, eventIndex: 6 },
      { staker: 'alice', validator: 'b', amount: 20n, msgIndex: 0, eventIndex: 8 },
    ],
    null,
  );
  assert.deepEqual(l.get('p/9/1/0/2/burn/alice/ns'), { packetId: null, validatorBurns: [{ validator: 'a', amount: 10n }, { validator: 'b', amount: 20n }] });
});

test('calls and packets that do not pair up one to one link no packet rather than a wrong one', () => {
  const l = linkBurns([{ id: 'p/1/0/0/3/burn/a/e', staker: 'a', amount: 5n }], [{ staker: 'a', validator: 'v', amount: 5n, msgIndex: 0, eventIndex: 4 }], []);
  assert.equal(l.get('p/1/0/0/3/burn/a/e')!.packetId, null);
});
