// GET /graphql from a browser serves GraphiQL from the server itself: the page and every asset come
// from this origin (the installed graphiql, react and react-dom packages, byte for byte), nothing in
// the page or stylesheet names another origin, and a CSP forbids other origins anyway. API clients
// asking for JSON are not affected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { http, platformApi } from '../plugins/platform.testkit.ts';
import { graphiqlAssets } from './assets.ts';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

test('GraphiQL is served offline from the API itself', async (t) => {
  const h = await platformApi();
  t.after(() => h.close());
  const page = await http(h.api.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
  assert.equal(page.status, 200);
  assert.match(page.type, /^text\/html/);
  assert.match(page.text, /<div id="graphiql">/);

  // every script and stylesheet is a same-origin path
  const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(refs, ['data:,', '/graphiql/assets/graphiql.min.css', '/graphiql/assets/react.production.min.js', '/graphiql/assets/react-dom.production.min.js', '/graphiql/assets/graphiql.min.js', '/graphiql/assets/init.js']);
  assert.doesNotMatch(page.text, /https?:\/\//, 'no absolute URL in the page');

  const csp = (await fetch(h.api.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } })).headers.get('content-security-policy')!;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, new RegExp(`connect-src 'self' ws://${new URL(h.api.url).host} wss://`));

  // the assets are the installed packages' files
  const files = graphiqlAssets();
  for (const name of ['graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js']) {
    const res = await fetch(`${h.api.url}/graphiql/assets/${name}`);
    assert.equal(res.status, 200, name);
    assert.equal(res.headers.get('content-type'), files[name]!.type, name);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(readFileSync(files[name]!.file)), `${name} is served byte for byte`);
  }
  // the stylesheet loads nothing remote (its fonts are inline data: URLs)
  const css = readFileSync(files['graphiql.min.css']!.file, 'utf8');
  const urls = [...css.matchAll(/url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]!);
  assert.ok(urls.length > 0);
  assert.deepEqual(urls.filter((u) => !u.startsWith('data:')), []);
  assert.doesNotMatch(css, /@import/);

  const init = await http(`${h.api.url}/graphiql/assets/init.js`);
  assert.equal(init.status, 200);
  assert.match(init.text, /GraphiQL\.createFetcher\(\{ url: endpoint, subscriptionUrl: ws \}\)/);
  assert.doesNotMatch(init.text, /https?:\/\//);

  const missing = await http(`${h.api.url}/graphiql/assets/..%2Fpackage.json`);
  assert.equal(missing.status, 404);
  assert.equal(missing.json.errors[0].extensions.code, 'NOT_FOUND');

  // API clients still get GraphQL: a JSON Accept, or a GET with a query
  const json = await http(`${h.api.graphqlUrl}?query=${encodeURIComponent('{ apiVersion }')}`, { headers: { accept: BROWSER_ACCEPT, 'apollo-require-preflight': '1' } });
  assert.deepEqual(json.json, { data: { apiVersion: '1' } });
  const plain = await http(h.api.graphqlUrl, { headers: { accept: 'application/json' } });
  assert.equal(plain.status, 400);
  assert.match(plain.type, /json/);
});
