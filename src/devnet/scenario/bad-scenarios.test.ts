// A malformed scenario stops with a message that names the step; a failed action changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScenarioError } from './fields.ts';
import { parseScenario, runScenario } from './runner.ts';

const chains = {
  provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }], accounts: { alice: 1000000000 } },
  consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
};
const pairings = { main: { provider: 'provider', consumer: 'consumer' } };
const scenario = (steps: unknown[]) => ({ name: 't', chains, pairings, steps });
const run = (steps: unknown[]) => runScenario(parseScenario(scenario(steps)));

function rejects(steps: unknown[], pattern: RegExp) {
  assert.throws(() => run(steps), (e: unknown) => e instanceof ScenarioError && pattern.test(e.message));
}

test('unknown action names the step and suggests the closest action', () => {
  rejects([{ bond: { user: 'alice', amount: 1 } }, { stak_remote: { user: 'alice' } }], /^step 2: unknown action "stak_remote" \(did you mean stake_remote\?\)/);
});

test('malformed amount names the step and field', () => {
  rejects([{ bond: { user: 'alice', amount: '12abc' } }], /^step 1 \(bond\): amount: malformed amount "12abc"/);
  rejects([{ bond: { user: 'alice', amount: -5 } }], /^step 1 \(bond\): amount: malformed amount -5/);
});

test('unknown user or validator names the step', () => {
  rejects([{ bond: { user: 'mallory', amount: 1 } }], /^step 1 \(bond\): unknown user "mallory" on chain provider/);
  rejects([{ bond: { user: 'alice', amount: 100 } }, { stake_remote: { user: 'alice', validator: 'val9', amount: 1 } }], /^step 2 \(stake_remote\): unknown validator "val9" on chain consumer/);
});

test('unknown fields and missing fields are errors', () => {
  rejects([{ bond: { user: 'alice', amount: 1, amont: 2 } }], /^step 1 \(bond\): arguments: unknown field "amont"/);
  rejects([{ bond: { user: 'alice' } }], /^step 1 \(bond\): arguments: missing field "amount"/);
  rejects([{ query: { chain: 'provider', contract: '@vault', msg: {} } }], /needs `expect` or `expect_error`/);
});

test('a contract error fails the step, leaves state unchanged, and can be expected', () => {
  const r = run([
    { bond: { user: 'alice', amount: 100 } },
    { unbond: { user: 'alice', amount: 101 } },
    { unbond: { user: 'alice', amount: 101 }, expect_error: 'Claim is locked' },
    { query: { chain: 'provider', contract: '@vault', msg: { account: { account: '@alice' } } }, expect: { bonded: '100', free: { l: '100', h: '100' } } },
  ]);
  assert.deepEqual(
    r.results.map((x) => x.ok),
    [true, false, true, true],
  );
  assert.match(r.results[1]!.message, /Claim is locked/);
});

test('same scenario, same result, every run', () => {
  const steps = [
    { bond: { user: 'alice', amount: 100000000 } },
    { stake_remote: { user: 'alice', validator: 'val1', amount: 50000000 } },
    { relay: {} },
    { epoch: {} },
    { jail: { chain: 'consumer', validator: 'val1' } },
    { relay: {} },
  ];
  const fingerprint = () => {
    const r = run(steps);
    return JSON.stringify(
      [...r.devnet.world.chains.values()].map((c) => c.blocks.map((b) => [b.height, b.time, b.txResults.map((t) => [t.code, t.events]), b.beginEvents, b.endEvents])),
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    );
  };
  assert.equal(fingerprint(), fingerprint());
});
