// A person's view of GraphiQL: headless Chromium (Debian's, installed by .ci/run) opens GET /graphql,
// sets a query in the editor, runs it, and reads the answer in the result pane; then a subscription,
// whose event arrives over WebSocket when the indexer's commit is announced. Every request the
// page makes is recorded; any to another host than 127.0.0.1 fails the test (and is not let out).
// Without /usr/bin/chromium the test fails under CI and is skipped with a diagnostic elsewhere.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { platformApi } from '../plugins/platform.testkit.ts';
import { probeModule } from '../plugins/probe.testkit.ts';
import { insertSlash, listenerPid, notifyCommit, subscribers, timeAt } from '../subscriptions/subscriptions.testkit.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium; .ci/run does)`;
if (missing && process.env.CI === 'true') throw new Error(`headless GraphiQL test under CI: ${missing}`);

test('GraphiQL in headless Chromium runs a query and shows the result, fetching nothing remote', { skip: missing ?? false, timeout: 120_000 }, async (t) => {
  const { module } = probeModule();
  const h = await platformApi({ modules: [module] });
  t.after(() => h.close());

  const userDataDir = mkdtempSync(path.join(tmpdir(), 'mesh-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // one hook, in order: Chromium writes its profile until it has exited
  t.after(async () => {
    await browser.close();
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  const requested: string[] = [];
  const outside: string[] = [];
  await browser.route('**/*', async (route) => {
    const url = route.request().url();
    requested.push(url);
    const u = new URL(url);
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:') && u.hostname !== '127.0.0.1') {
      outside.push(url);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const sockets: string[] = [];
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    if (new URL(ws.url()).hostname !== '127.0.0.1') outside.push(ws.url());
  });

  const res = await page.goto(h.api.graphqlUrl, { waitUntil: 'load' });
  assert.equal(res?.status(), 200);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });

  const query = '{ apiVersion probeWhoami }';
  const setQuery = (q: string) =>
    page.evaluate((text) => {
      // runs in the page (no DOM types in this Node project)
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      const cm = (doc.querySelector('.graphiql-query-editor .CodeMirror') as { CodeMirror: { setValue(v: string): void } }).CodeMirror;
      cm.setValue(text);
    }, q).then(() => page.waitForTimeout(1000)); // GraphiQL re-parses the document (query or subscription?) after a debounce
  await setQuery(query);
  await page.click('.graphiql-execute-button');

  // the answer, as the database gives it: the API's own user name
  const { rows } = await h.pool.query<{ who: string }>(h.api.database.access === 'mesh_api' ? `SELECT 'mesh_api' AS who` : 'SELECT current_user AS who');
  const who = rows[0]!.who;
  const result = page.locator('.graphiql-response .CodeMirror-code');
  await result.filter({ hasText: who }).waitFor({ timeout: 30_000 });
  const text = (await result.innerText()).replace(/\u200b/g, '');
  assert.match(text, /"apiVersion": "1"/);
  assert.match(text, new RegExp(`"probeWhoami": "${who}"`));

  // a subscription from the page: over WebSocket to the same server, the event shows in the result pane
  await setQuery('subscription { slashAdded { id height } }');
  await listenerPid(h.pool);
  // GraphiQL tells a subscription from a query on its parsed copy of the document, updated after a
  // debounce: on a slow machine the first click may still go out as a query (over HTTP, refused)
  let retried = false;
  for (let attempt = 1; ; attempt++) {
    retried = attempt > 1;
    await page.click('.graphiql-execute-button');
    try {
      await subscribers(h.api, 1, 5000);
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      await page.waitForTimeout(1000);
    }
  }
  await insertSlash(h.pool, { id: 'browser-slash', chainId: 'osmo-devnet-1', height: 77 });
  await notifyCommit(h.pool, { chainId: 'osmo-devnet-1', fromHeight: 77, toHeight: 77, time: timeAt(77) });
  await result.filter({ hasText: 'browser-slash' }).waitFor({ timeout: 30_000 });
  assert.match((await result.innerText()).replace(/\u200b/g, ''), /"height": 77/);

  assert.deepEqual(sockets, [h.api.graphqlUrl.replace(/^http/, 'ws')]);
  assert.deepEqual(outside, [], `the page tried to fetch outside 127.0.0.1: ${outside.join(', ')}`);
  assert.ok(requested.some((u) => u.endsWith('/graphiql/assets/graphiql.min.js')));
  assert.ok(requested.every((u) => u.startsWith(h.api.url) || u.startsWith('data:')), requested.join('\n'));
  // (a refused early click logs its HTTP 400)
  assert.deepEqual(retried ? consoleErrors.filter((e) => !/status of 400/.test(e)) : consoleErrors, []);
  if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
});
