// An instant unbond takes off the contract's delegated total what came back (spec §3.1 Undelegate: the
// tokens are sent to x/meshsecurity and burnt right before its `instant_unbond` event), not the amount
// asked; nothing came back without that burn, whatever the contract sent before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChainEvent } from '../indexer/types.ts';
import { returnedBy } from './meshsecurity-module.ts';

const VS = 'osmo1virtualstaking';
const MODULE = 'osmo1meshsecurity';
let n = 0;
const ev = (type: string, attrs: Record<string, string>): ChainEvent => ({ type, attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })), index: n++ });
const unbond = (amount: string) => ev('instant_unbond', { module: 'meshsecurity', validator: 'osmovaloper1v', amount, sender: VS });
const cameBack = (amount: string) => [
  ev('coin_spent', { spender: VS, amount }),
  ev('coin_received', { receiver: MODULE, amount }),
  ev('transfer', { recipient: MODULE, sender: VS, amount }),
  ev('coin_spent', { spender: MODULE, amount }),
  ev('burn', { burner: MODULE, amount }),
];

test('after a slash: the tokens sent back and burnt, fewer than asked', () => {
  const run = [ev('scheduler_execution', {}), ...cameBack('996uosmo'), unbond('1000uosmo')];
  assert.equal(returnedBy(run, run.length - 1, VS), 996n);
});

test('nothing came back (no delegation, a silent no-op): 0, not an earlier transfer of the contract', () => {
  // the epoch run starts by sending rewards from the contract: no burn follows, so it is not what came back
  const run = [ev('transfer', { recipient: 'osmo1converter', sender: VS, amount: '50uosmo' }), unbond('1000uosmo')];
  assert.equal(returnedBy(run, run.length - 1, VS), 0n);
});

test("each unbond of a run gets its own burn's tokens", () => {
  const run = [...cameBack('700uosmo'), unbond('700uosmo'), ...cameBack('299uosmo'), unbond('300uosmo')];
  assert.equal(returnedBy(run, 5, VS), 700n);
  assert.equal(returnedBy(run, run.length - 1, VS), 299n);
});
