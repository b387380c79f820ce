// Deep, costly, alias-heavy, directive-heavy and token-heavy documents are refused before anything
// executes (HTTP 400, QUERY_TOO_EXPENSIVE or GRAPHQL_PARSE_FAILED); "did you mean" suggestions are
// hidden outside development.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformApi } from './platform.testkit.ts';
import { probeModule } from './probe.testkit.ts';

const nest = (depth: number) => `{ probeNode ${'{ child '.repeat(depth - 2)}{ value }${' }'.repeat(depth - 2)} }`;

test('query shape limits refuse abusive documents without executing them', async (t) => {
  const { module, counters } = probeModule();
  const h = await platformApi({ modules: [module], limits: { maxDepth: 6, maxCost: 40, maxAliases: 5, maxDirectives: 4, maxTokens: 400 } });
  t.after(() => h.close());

  // at the limits (depth 6, cost 34): answered
  const deepOk = await h.gql(nest(6));
  assert.equal(deepOk.status, 200, JSON.stringify(deepOk.errors));
  assert.equal(counters.runs.get('probeNode'), 1);

  const refused: Array<[string, string, RegExp]> = [
    ['deep', nest(7), /Query depth limit of 6 exceeded, found 7/],
    // cost (graphql-armor): objects 2, scalars 1, ×1.5 per level: this one is 46.2 (depth 6)
    ['costly', `{ probeNode { value children { value children { value children { value children { value } } } } } }`, /Query Cost limit of 40 exceeded, found 46\.15625/],
    ['aliases', `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: apiVersion`).join(' ')} }`, /Aliases limit of 5 exceeded, found 6/],
    ['directives', `{ apiVersion @skip(if: false) @include(if: true) a1: apiVersion @skip(if: false) @include(if: true) a2: apiVersion @skip(if: false) }`, /Directives limit of 4 exceeded, found 5/],
  ];
  for (const [name, query, message] of refused) {
    const r = await h.gql(query);
    assert.equal(r.status, 400, name);
    assert.equal(r.data, undefined, name);
    assert.ok(r.errors?.length, name);
    for (const e of r.errors!) assert.equal(e.extensions?.code, 'QUERY_TOO_EXPENSIVE', `${name}: ${JSON.stringify(r.errors)}`);
    assert.ok(r.errors!.some((e) => message.test(e.message)), `${name}: ${JSON.stringify(r.errors)}`);
  }
  assert.equal(counters.runs.get('probeNode'), 1, 'refused documents never executed');

  const tokens = await h.gql(`{ ${'apiVersion '.repeat(500)} }`);
  assert.equal(tokens.status, 400);
  assert.equal(tokens.errors![0]!.extensions?.code, 'GRAPHQL_PARSE_FAILED');
  assert.match(tokens.errors![0]!.message, /more tha[nt] 400 tokens/);

  // introspection (GraphiQL's schema query) is exempt from depth and cost
  const intro = await h.gql('{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name ofType { name } } } } } } } } }');
  assert.equal(intro.status, 200, JSON.stringify(intro.errors));

  const typo = await h.gql('{ apiVersio }');
  assert.equal(typo.status, 400);
  assert.equal(typo.errors![0]!.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.doesNotMatch(typo.errors![0]!.message, /apiVersion/, 'no suggestion outside dev');
});

test('development mode keeps field suggestions', async (t) => {
  const h = await platformApi({ dev: true });
  t.after(() => h.close());
  const typo = await h.gql('{ apiVersio }');
  assert.equal(typo.status, 400);
  assert.match(typo.errors![0]!.message, /Did you mean "apiVersion"\?/);
});
