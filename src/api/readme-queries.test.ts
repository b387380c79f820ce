// Regression: the README's quick-start queries had gone stale (delegationHistory without a filter is
// BAD_USER_INPUT since history is read through its address and validator indexes). They are run here,
// in order, on an indexed workload, each placeholder address replaced by what the query before found.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type ApiHarness, apiOverWorkload } from './api.testkit.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Other commands'));
const queries = [...quickStart.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

let h: ApiHarness;
before(async () => {
  h = await apiOverWorkload({ blocks: 60 });
});
after(async () => {
  await h?.close();
});

test("the README's quick-start queries answer with data on an indexed devnet", async () => {
  assert.equal(queries.length, 3, 'validators, then delegationHistory, then account');
  const [validators, history, account] = queries as [string, string, string];

  const v = await h.gql(validators);
  assert.equal(v.errors, undefined, JSON.stringify(v.errors));
  const valoper: string = v.data!.validators.edges[0].node.address;
  assert.match(valoper, /^junovaloper1/);

  assert.ok(history.includes('"junovaloper1…"'));
  const d = await h.gql(history.replace('junovaloper1…', valoper));
  assert.equal(d.errors, undefined, JSON.stringify(d.errors));
  const staker: string = d.data!.delegationHistory.edges[0].node.staker;

  assert.ok(account.includes('"juno1…"'));
  const a = await h.gql(account.replace('juno1…', staker));
  assert.equal(a.errors, undefined, JSON.stringify(a.errors));
  assert.equal(a.data!.account.vaults.length > 0 || a.data!.account.crossStakes.length > 0, true, JSON.stringify(a.data));
});
