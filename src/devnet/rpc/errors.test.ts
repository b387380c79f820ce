import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BlockStore } from '../node/block-store.ts';
import { sendBlocks, tinyDevnet } from '../node/devnet.testkit.ts';
import { type RpcServer, startRpcServer } from './server.ts';

let srv: RpcServer;
before(async () => {
  const { world, chain } = tinyDevnet();
  sendBlocks(world, chain);
  srv = await startRpcServer(new BlockStore(chain), { maxBodyBytes: 10_000 });
});
after(() => srv.close());

async function post(body: string): Promise<{ status: number; text: string; json: any; headers: Headers }> {
  const r = await fetch(srv.url, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, text, json, headers: r.headers };
}
const call = (method: string, params?: unknown, id: unknown = 1) => post(JSON.stringify({ jsonrpc: '2.0', id, method, params }));

test('height above the tip: -32603 Internal error with CometBFT text (§1.1)', async () => {
  const r = await call('block', { height: '99' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'Internal error', data: 'height 99 must be less than or equal to the current blockchain height 5' } });
  assert.equal((await call('block_results', { height: '0' })).json.error.data, 'height must be greater than 0, but got 0');
  assert.equal((await call('blockchain', { minHeight: '4', maxHeight: '2' })).json.error.data, "min height 4 can't be greater than max height 2");
  assert.equal((await call('validators', { page: '3' })).json.error.data, 'page should be within [1, 1] range, given 3');
  assert.match((await call('tx', { hash: Buffer.alloc(32).toString('base64') })).json.error.data, /^tx \(0{64}\) not found$/);
  assert.equal((await call('tx', { hash: '' })).json.error.data, 'transaction hash cannot be empty');
  assert.equal((await call('tx', {})).json.error.data, 'transaction hash cannot be empty');
});

test('unknown method -32601 without data; bad params -32602; ids echoed (string ids too)', async () => {
  assert.deepEqual((await call('no_such_method', {}, 'abc')).json, { jsonrpc: '2.0', id: 'abc', error: { code: -32601, message: 'Method not found' } });
  assert.deepEqual((await call('subscribe', { query: "tm.event='NewBlock'" })).json.error.code, -32601);
  const bad = (await call('block', { height: 'tall' }, 7)).json;
  assert.equal(bad.id, 7);
  assert.equal(bad.error.code, -32602);
  assert.equal(bad.error.message, 'Invalid params');
  assert.match(bad.error.data, /^error converting json params to arguments: /);
  assert.equal((await call('block', ['1', '2'])).json.error.code, -32602);
  assert.equal((await call('block', 'x')).json.error.code, -32602);
  assert.equal((await call('tx', { hash: 'not base64!' })).json.error.code, -32602);
  assert.equal((await call('abci_query', { path: '/x', data: 'zz' })).json.error.code, -32602);
  // positional params and numeric heights are accepted
  assert.equal((await call('block', ['2'])).json.result.block.header.height, '2');
  assert.equal((await call('block', { height: 3 })).json.result.block.header.height, '3');
});

test('malformed JSON: HTTP 500, -32700, no id', async () => {
  const r = await post('{"jsonrpc":"2.0","id":1,"method":');
  assert.equal(r.status, 500);
  assert.equal(r.json.error.code, -32700);
  assert.equal(r.json.error.message, 'Parse error. Invalid JSON');
  assert.equal('id' in r.json, false);
  assert.equal((await post('[1,2]')).json.error.code, -32700);
});

test('a fractional numeric id is truncated to an integer (types.go idFromInterface, 0.37/0.38)', async () => {
  assert.deepEqual((await post('{"jsonrpc":"2.0","id":1.3,"method":"health"}')).json, { jsonrpc: '2.0', id: 1, result: {} });
  assert.deepEqual((await post('{"jsonrpc":"2.0","id":-2.7,"method":"health"}')).json, { jsonrpc: '2.0', id: -2, result: {} });
});

test('oversized body: HTTP 400 with -32600 (http_json_handler.go, body read error)', async () => {
  const big = await call('health', { pad: 'x'.repeat(20_000) });
  assert.equal(big.status, 400);
  assert.deepEqual(big.json, { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request', data: 'error reading request body: http: request body too large' } });
  // the server is still fine
  assert.deepEqual((await call('health')).json, { jsonrpc: '2.0', id: 1, result: {} });
});

test('POST int64 params: libs/json unquotes, then encoding/json reads the number (its error texts); bare numbers still accepted', async () => {
  const data = async (height: unknown) => (await call('block', { height })).json.error;
  assert.deepEqual(await data('abc'), { code: -32602, message: 'Invalid params', data: "error converting json params to arguments: invalid character 'a' looking for beginning of value" });
  assert.equal((await data('99999999999999999999')).data, 'error converting json params to arguments: json: cannot unmarshal number 99999999999999999999 into Go value of type int64');
  assert.equal((await data('1.5')).data, 'error converting json params to arguments: json: cannot unmarshal number 1.5 into Go value of type int64');
  assert.equal((await data('-')).data, "error converting json params to arguments: invalid character ' ' in numeric literal");
  assert.equal((await data('12a')).data, "error converting json params to arguments: invalid character 'a' after top-level value");
  assert.equal((await data(true)).data, 'error converting json params to arguments: invalid 64-bit integer encoding "true", expected string');
  assert.equal((await call('validators', { page: 'x' })).json.error.data, "error converting json params to arguments: invalid character 'x' looking for beginning of value");
  assert.equal((await call('block', { height: '2' })).json.result.block.header.height, '2');
  assert.equal((await call('block', { height: 3 })).json.result.block.header.height, '3');
});

test('GET int64 params: a value that is neither bare digits nor quoted is no 64-bit integer encoding (http_uri_handler.go, libs/json)', async () => {
  const get = async (path: string) => {
    const r = await fetch(`${srv.url}${path}`);
    return { status: r.status, json: (await r.json()) as any };
  };
  assert.deepEqual(await get('/block?height=abc'), {
    status: 500,
    json: { jsonrpc: '2.0', id: -1, error: { code: -32602, message: 'Invalid params', data: 'error converting http params to arguments: invalid 64-bit integer encoding "abc", expected string' } },
  });
  assert.equal((await get('/block?height=99999999999999999999')).json.error.data, 'error converting http params to arguments: json: cannot unmarshal number 99999999999999999999 into Go value of type int64');
  assert.equal((await get('/block?height="abc"')).json.error.data, "error converting http params to arguments: invalid character 'a' looking for beginning of value");
  assert.equal((await get('/block?height="2"')).json.result.block.header.height, '2');
  // a 0x-hex value for a number names the parameter's Go kind (int for pages, int64 for heights)
  assert.equal((await get('/validators?page=0x01')).json.error.data, "error converting http params to arguments: got a hex string arg, but expected 'int'");
  assert.equal((await get('/block?height=0x01')).json.error.data, "error converting http params to arguments: got a hex string arg, but expected 'int64'");
});

test("a JSON bool where a string goes is named as Go names it: 'bool', not JavaScript's 'boolean'", async () => {
  assert.equal((await call('tx_search', { query: true })).json.error.data, 'error converting json params to arguments: json: cannot unmarshal bool into Go value of type string');
});

test('a query ending in AND is a parse error (libs/pubsub/query/syntax/parser.go)', async () => {
  assert.deepEqual((await call('tx_search', { query: 'tx.height = 2 AND' })).json.error, { code: -32603, message: 'Internal error', data: 'failed to parse query "tx.height = 2 AND"' });
  assert.deepEqual((await call('block_search', { query: "block.height = 2 AND  " })).json.error.code, -32603);
  assert.equal((await call('tx_search', { query: 'tx.height = 2' })).json.result.total_count, '2');
});

test('batches: array of responses; exactly one response is a bare object; notifications get none (§1.1)', async () => {
  const two = await post(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'health' }, { jsonrpc: '2.0', id: 2, method: 'block', params: { height: '1' } }]));
  assert.ok(Array.isArray(two.json));
  assert.deepEqual(two.json.map((r: any) => r.id), [1, 2]);
  const one = await post(JSON.stringify([{ jsonrpc: '2.0', method: 'health' }, { jsonrpc: '2.0', id: 9, method: 'health' }]));
  assert.deepEqual(one.json, { jsonrpc: '2.0', id: 9, result: {} });
  const none = await post(JSON.stringify({ jsonrpc: '2.0', method: 'health' }));
  assert.equal(none.status, 200);
  assert.equal(none.text, '');
  const mixed = await post(JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'nope' }, { jsonrpc: '2.0', id: 2, method: 'block', params: { height: '50' } }]));
  assert.deepEqual(mixed.json.map((r: any) => r.error.code), [-32601, -32603]);
});

test('Cache-Control on cacheable calls only (§1.1)', async () => {
  assert.equal((await call('block', { height: '2' })).headers.get('cache-control'), 'public, max-age=86400');
  assert.equal((await call('block', {})).headers.get('cache-control'), null);
  assert.equal((await call('status')).headers.get('cache-control'), null);
});

test('GET /method?args: id -1, quoted strings, 0x hex, errors as HTTP 500, unknown path 404', async () => {
  const get = async (path: string) => {
    const r = await fetch(`${srv.url}${path}`);
    return { status: r.status, json: (await r.json().catch(() => undefined)) as any };
  };
  const b = await get('/block?height=2');
  assert.equal(b.status, 200);
  assert.equal(b.json.id, -1);
  assert.equal(b.json.result.block.header.height, '2');
  const hash = b.json.result.block.data.txs.length > 0 ? (await get('/tx_search?query="tx.height=2"')).json.result.txs[0].hash : '';
  assert.equal((await get(`/tx?hash=0x${hash}`)).json.result.hash, hash);
  assert.equal((await get(`/tx_search?query="tx.hash='${hash}'"`)).json.result.total_count, '1');
  const vaultless = await get('/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x');
  assert.equal(vaultless.json.result.response.code, 0);
  const high = await get('/block?height=77');
  assert.equal(high.status, 500);
  assert.equal(high.json.id, -1);
  assert.equal(high.json.error.code, -32603);
  const bad = await get('/block?height=0xff');
  assert.equal(bad.status, 500);
  assert.equal(bad.json.error.code, -32602);
  assert.equal((await fetch(`${srv.url}/nope`)).status, 404);
  const list = await fetch(`${srv.url}/`);
  assert.match(await list.text(), /Available endpoints/);
});

test('abci_query errors stay inside a successful response (§7)', async () => {
  const r = await call('abci_query', { path: '/no.such.Query/Thing', data: '' });
  assert.equal(r.json.result.response.code, 6);
  assert.equal(r.json.result.response.codespace, 'sdk');
  assert.equal(r.json.result.response.value, null);
  const future = await call('abci_query', { path: '/cosmos.bank.v1beta1.Query/Balance', data: '', height: '50' });
  assert.equal(future.json.result.response.code, 26);
  assert.equal(future.json.result.response.height, '50');
});
