// Malformed input to the staker view and the histories is the client's mistake: a BAD_USER_INPUT
// GraphQL error naming the argument, HTTP 200 or 400, never a 5xx, and the server goes on answering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toBech32 } from '@cosmjs/encoding';
import { apiOverWorkload } from './api.testkit.ts';
import { encodeCursor } from './pagination.ts';

test('malformed addresses, cursors, ranges and page sizes are BAD_USER_INPUT, never a server error', async (t) => {
  const h = await apiOverWorkload({ blocks: 30, users: 4 });
  t.after(() => h.close());
  const staker = (await h.pool.query('SELECT staker FROM vault_positions ORDER BY staker LIMIT 1')).rows[0].staker as string;
  const goodCursor = encodeCursor([10, 'x']);

  // A literal page size of 10 000 may be refused before execution by the server's query cost limit
  // (QUERY_TOO_EXPENSIVE, src/api/plugins/limits.ts multiplies by `first`); one passed in a variable
  // reaches the connection, which refuses it as BAD_USER_INPUT.
  const codes = (name: string) => (name === 'page size 10 000' ? ['BAD_USER_INPUT', 'QUERY_TOO_EXPENSIVE'] : ['BAD_USER_INPUT']);
  const cases: Array<[string, string, Record<string, unknown>?]> = [
    ['not bech32', '{ account(address: "hello") { address } }'],
    ['bad checksum', `{ account(address: "${staker.slice(0, -1)}${staker.endsWith('q') ? 'p' : 'q'}") { address } }`],
    ['wrong payload length', `{ account(address: "${toBech32('osmo', new Uint8Array(7))}") { address } }`],
    ['address too long', `{ account(address: "${'a'.repeat(5000)}") { address } }`],
    ['page size 10 000', `{ lienHistory(first: 10000, filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['negative page size', `{ delegationHistory(last: -1, filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['first and last', `{ rewardHistory(first: 2, last: 2, filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['garbage cursor', `{ lienHistory(after: "%%%not a cursor%%%", filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['cursor of another shape', `{ slashHistory(after: "${goodCursor}") { edges { cursor } } }`],
    ['cursor that is not JSON', `{ lienHistory(before: "${Buffer.from('{{{').toString('base64url')}", filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['oversized cursor', `{ lienHistory(after: "${'A'.repeat(4000)}", filter: { address: "${staker}" }) { edges { cursor } } }`],
    ['height range backwards', `{ lienHistory(filter: { address: "${staker}", height: { from: 10, to: 5 } }) { edges { cursor } } }`],
    ['negative height', `{ delegationHistory(filter: { address: "${staker}", height: { from: -1 } }) { edges { cursor } } }`],
    ['time not ISO', `{ rewardHistory(filter: { address: "${staker}", time: { from: "yesterday" } }) { edges { cursor } } }`],
    ['time range backwards', '{ slashHistory(filter: { time: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" } }) { edges { cursor } } }'],
    ['validator not bech32', '{ delegationHistory(filter: { validator: "val1" }) { edges { cursor } } }'],
    ['lien holder not bech32', '{ lienHistory(filter: { lienholder: "vault" }) { edges { cursor } } }'],
    ['another address on an account', `{ account(address: "${staker}") { lienHistory(filter: { address: "${toBech32('osmo', new Uint8Array(20))}" }) { edges { cursor } } } }`],
    ['cross stakes of a malformed validator', `{ account(address: "${staker}") { crossStakes(validator: "nope") { validator } } }`],
    ['a delegation history with no indexed filter', '{ delegationHistory(filter: { kind: [STAKE] }) { edges { cursor } } }'],
    ['a reward history with no filter', '{ rewardHistory { edges { cursor } } }'],
    ['a lien history by kind only', '{ lienHistory(filter: { kind: [BOND] }) { edges { cursor } } }'],
    ['variables: page size 10 000 on an account', 'query($n: Int) { account(address: "' + staker + '") { delegationHistory(first: $n) { edges { cursor } } } }', { n: 10000 }],
  ];
  for (const [name, query, variables] of cases) {
    const r = await h.gql(query, variables);
    assert.ok(r.status === 200 || r.status === 400, `${name}: HTTP ${r.status}`);
    assert.ok(r.errors && r.errors.length > 0, `${name}: an error`);
    for (const e of r.errors!) assert.ok(codes(name).includes(String(e.extensions?.code)), `${name}: ${JSON.stringify(r.errors)}`);
    assert.doesNotMatch(JSON.stringify(r.errors), /stacktrace|at .*\.ts:\d+/, `${name}: no stack trace`);
  }

  // the same server still answers a well-formed query; a valid address nobody used is null, not an error
  const ok = await h.gql(`{ account(address: "${staker}") { address vaults { collateral } } nobody: account(address: "${toBech32('osmo', new Uint8Array(20))}") { address } }`);
  assert.equal(ok.status, 200);
  assert.equal(ok.errors, undefined);
  assert.equal(ok.data!.account.address, staker);
  assert.equal(ok.data!.nobody, null);
  // upper case bech32 is the same address
  const upper = await h.gql(`{ account(address: "${staker.toUpperCase()}") { address } }`);
  assert.equal(upper.data!.account.address, staker);
});
