import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attr, event } from './types.ts';
import { contractResponseEvents, sortAttributes } from './wasm.ts';

test('events of wasm sub-messages get their attributes sorted by key, stably, as copies (cosmos-wire §4.2)', () => {
  const e = event('wasm', attr('_contract_address', 'c1'), attr('b', '1'), attr('a', '2'), attr('b', '0'), attr('A', '3'));
  const [sorted] = sortAttributes([e]);
  assert.deepEqual(
    sorted!.attributes.map((a) => `${a.key}=${a.value}`),
    ['A=3', '_contract_address=c1', 'a=2', 'b=1', 'b=0'],
  );
  // the input event is left as it was
  assert.deepEqual(
    e.attributes.map((a) => a.key),
    ['_contract_address', 'b', 'a', 'b', 'A'],
  );
});

test('contract response events: wasm first with _contract_address, then wasm-* events; keys and values trimmed', () => {
  const events = contractResponseEvents('c1', {
    attributes: [attr(' action ', ' bond '), attr('amount', '5')],
    events: [event('stake', attr('owner', 'u1'))],
    messages: [],
  });
  assert.deepEqual(events, [
    event('wasm', attr('_contract_address', 'c1'), attr('action', 'bond'), attr('amount', '5')),
    event('wasm-stake', attr('_contract_address', 'c1'), attr('owner', 'u1')),
  ]);
  assert.throws(() => contractResponseEvents('c1', { attributes: [attr('_x', '1')], events: [], messages: [] }), /reserved prefix _/);
});
