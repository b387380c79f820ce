// Malformed subscriptions get an error message on their own operation and the socket stays open;
// a client speaking garbage is disconnected alone; a malformed commit notification is ignored.
// The WebSocket server keeps serving throughout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { platformApi } from '../plugins/platform.testkit.ts';
import { collect, insertSlash, listenerPid, notifyCommit, subscribers, timeAt, wsClient } from './subscriptions.testkit.ts';

test('malformed subscriptions are refused one by one; the socket and the server stay up', async (t) => {
  const h = await platformApi({ limits: { maxDepth: 2 } });
  t.after(() => h.close());
  await listenerPid(h.pool);
  const client = wsClient(h.api);
  t.after(() => client.dispose());
  const good = collect(client, 'subscription { slashAdded { id } }');
  await subscribers(h.api, 1);

  // refused before execution (an `error` message) or by execution (a result with errors, then complete)
  const refused: Array<[string, string, Record<string, unknown> | undefined, string, RegExp]> = [
    ['syntax', 'subscription { slashAdded { id }', undefined, 'GRAPHQL_PARSE_FAILED', /Syntax Error: Expected Name, found <EOF>/],
    ['unknown field', 'subscription { slashRemoved { id } }', undefined, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "slashRemoved" on type "Subscription"/],
    ['too deep', `subscription { accountChanged(address: "${'osmo1'}") { changes { id } } }`, undefined, 'QUERY_TOO_EXPENSIVE', /Query depth limit of 2 exceeded, found 3/],
    ['too many tokens', `subscription { slashAdded { ${'id '.repeat(3000)} } }`, undefined, 'GRAPHQL_PARSE_FAILED', /more tha[nt] 2000 tokens/],
    ['missing variable', 'subscription ($a: String!) { accountChanged(address: $a) { address } }', undefined, 'BAD_USER_INPUT', /Variable "\$a" of required type "String!" was not provided/],
    ['malformed address', 'subscription { accountChanged(address: "not-an-address") { address } }', undefined, 'BAD_USER_INPUT', /"address" is not a bech32 address/],
    ['two operations, no name', 'subscription A { slashAdded { id } } subscription B { slashAdded { id } }', undefined, 'OPERATION_RESOLUTION_FAILURE', /no operation by that name/],
  ];
  for (const [name, query, variables, code, message] of refused) {
    const c = collect(client, query, variables);
    await c.done;
    const errors = (c.errors ?? c.events[0]?.errors) as Array<{ message: string; extensions?: { code?: string; stacktrace?: unknown } }> | undefined;
    assert.ok(errors?.length, `${name}: refused`);
    assert.match(errors![0]!.message, message, name);
    assert.equal(errors![0]!.extensions?.code, code, `${name}: ${JSON.stringify(errors)}`);
    assert.equal(errors![0]!.extensions?.stacktrace, undefined, name);
  }

  // a raw client sending garbage is closed by the server; nobody else is affected
  const raw = new WebSocket(h.api.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((r) => raw.on('close', (code) => r(code)));
  await new Promise((r) => raw.on('open', r));
  raw.send('{ this is not json');
  assert.equal(await closed, 4400);

  // a malformed notification is ignored; the feed goes on
  await h.pool.query(`SELECT pg_notify('mesh_commit', '{"chainId": 7}')`);
  await insertSlash(h.pool, { id: 's1', chainId: 'osmo-devnet-1', height: 3 });
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 3, toHeight: 3, time: timeAt(3) });
  assert.deepEqual((await good.waitFor(1)).map((e) => e.data), [{ slashAdded: { id: 's1' } }]);
  assert.ok(h.logs.some((l) => /ignoring a malformed mesh_commit notification: chainId must be a non-empty string/.test(l)), h.logs.join('\n'));
  assert.equal(good.errors, null);
  assert.deepEqual((await h.gql('{ apiVersion }')).data, { apiVersion: '1' });
});
