// CometBFT JSON pieces written as text: merkle roots against RFC 6962's reference vectors, and the
// event renderers against the jsonpb / Amino object shapes they replace (cosmos-wire §1.2, §1.6).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Event } from '../chain/types.ts';
import { blockEventsText, merkleRoot, txResultText } from './comet-json.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('merkleRoot equals the RFC 6962 reference roots (certificate-transparency test leaves), 1 to 8 leaves', () => {
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  roots.forEach((root, i) => assert.equal(hex(merkleRoot(leaves.slice(0, i + 1))), root, `${i + 1} leaves`));
  // the empty tree is SHA-256 of nothing, and each call gets its own copy
  const empty = merkleRoot([]);
  assert.equal(hex(empty), createHash('sha256').digest('hex'));
  empty.fill(0);
  assert.equal(hex(merkleRoot([])), createHash('sha256').digest('hex'));
});

test('merkleRoot: a long leaf (hashed streaming) and a string leaf hash as their bytes behind 0x00', () => {
  const text = 'é→🐙'.repeat(1_000); // > 4 KiB of UTF-8
  const bytes = new Uint8Array(Buffer.from(text));
  const expected = createHash('sha256').update(Uint8Array.of(0)).update(bytes).digest('hex');
  assert.equal(hex(merkleRoot([bytes])), expected);
  assert.equal(hex(merkleRoot([text])), expected);
  const short = new Uint8Array(Buffer.from('short leaf'));
  const inner = createHash('sha256')
    .update(Uint8Array.of(1))
    .update(createHash('sha256').update(Uint8Array.of(0)).update(short).digest())
    .update(Buffer.from(expected, 'hex'))
    .digest('hex');
  assert.equal(hex(merkleRoot([short, bytes])), inner);
});

// Awkward strings: quotes, backslashes, control characters, line separators, lone surrogates, emoji.
// The renderers skip JSON.stringify for strings it would not escape, so each kind appears here.
const VALUES = ['plain', 'say "hi"\\', 'tab\tnew\nline\u0001', '\u001f\u007f\u0080', '\u2028\u2029', '\ud800 lone', 'low \udc00', 'pair \ud83d\ude00, lone \ud83d', '🐙 ok', ''];
const EVENTS: Event[] = [
  { type: 'transfer', attributes: VALUES.map((v, i) => ({ key: `k${i}${v.slice(0, 2)}`, value: v })) },
  { type: 'no "attrs"', attributes: [] },
  { type: 'wasm', attributes: [{ key: '_contract_address', value: 'osmo1abc' }] },
];
const attrObjects = (e: Event) => e.attributes.map((a) => ({ key: a.key, value: a.value, index: true }));

test('txResultText is the jsonpb ExecTxResult: every key, in order, events with attributes always present (§1.6)', () => {
  const r = { code: 5, codespace: 'sdk', log: 'failed: "x"\n', data: Uint8Array.of(1, 2, 3), gasWanted: 200_000n, gasUsed: 71_234n, events: EVENTS };
  const objectForm = {
    code: 5,
    data: 'AQID',
    log: r.log,
    info: '',
    gas_wanted: '200000',
    gas_used: '71234',
    events: EVENTS.map((e) => ({ type: e.type, attributes: attrObjects(e) })),
    codespace: 'sdk',
  };
  assert.equal(txResultText(r), JSON.stringify(objectForm));
  // empty data is null, not ""
  assert.equal(JSON.parse(txResultText({ ...r, data: new Uint8Array() })).data, null);
  assert.equal(JSON.parse(txResultText({ ...r, data: undefined, events: [] })).events.length, 0);
});

test('blockEventsText is the Amino form: no attributes key on an empty event; no events → null or []', () => {
  const objectForm = EVENTS.map((e) => (e.attributes.length === 0 ? { type: e.type } : { type: e.type, attributes: attrObjects(e) }));
  assert.equal(blockEventsText(EVENTS), JSON.stringify(objectForm));
  assert.equal(blockEventsText([]), 'null');
  assert.equal(blockEventsText([], '[]'), '[]');
});
