import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Decimal } from '../decimal.ts';
import {
  CodecError, addr, array, binary, bool, coin, decimal, decimal18, decodeJson, defaulted, encodeJson, option, str,
  stringEnum, struct, taggedEnum, tuple, u32, u64, u8, uint128, uint64str, untagged, valueRange,
} from './schema.ts';
import type { Schema } from './schema.ts';

/** Asserts that decoding `text` fails with exactly `message` (reason + " at " + path). */
function rejects<T>(schema: Schema<T>, text: string, message: string): void {
  assert.throws(
    () => decodeJson(schema, text),
    (e: unknown) => e instanceof CodecError && e.message === message,
    `${text} should fail with: ${message}`,
  );
}

test('u64: JSON numbers, bigint beyond 2^53, serde errors', () => {
  assert.equal(decodeJson(u64, '9223372036854775808'), 2n ** 63n);
  assert.equal(decodeJson(u64, '18446744073709551615'), 2n ** 64n - 1n);
  assert.equal(encodeJson(u64, 2n ** 63n), '9223372036854775808');
  rejects(u64, '18446744073709551616', 'invalid value: integer `18446744073709551616`, expected u64');
  rejects(u64, '-1', 'invalid value: integer `-1`, expected u64');
  rejects(u64, '1.0', 'invalid type: floating point `1.0`, expected u64');
  rejects(u64, '"1"', 'invalid type: string "1", expected u64');
  rejects(u64, 'null', 'invalid type: null, expected u64');
  assert.throws(() => u64.decode(2 ** 60), /lost precision; parse the text with parseJson/);
  assert.equal(u64.decode(7), 7n);
  rejects(u32, '4294967296', 'invalid value: integer `4294967296`, expected u32');
  rejects(u8, '256', 'invalid value: integer `256`, expected u8');
  assert.equal(decodeJson(u32, '4294967295'), 4294967295);
});

test('Uint128 / Uint64 strings follow u128::from_str', () => {
  assert.equal(decodeJson(uint128, '"80000000"'), 80000000n);
  assert.equal(decodeJson(uint128, '"+007"'), 7n); // Rust accepts a leading + and zeros
  assert.equal(encodeJson(uint128, 7n), '"7"');
  rejects(uint128, '5', 'invalid type: integer `5`, expected string-encoded integer');
  rejects(uint128, '"1.5"', "invalid Uint128 '1.5' - invalid digit found in string");
  rejects(uint128, '""', "invalid Uint128 '' - cannot parse integer from empty string");
  rejects(uint128, `"${2n ** 128n}"`, `invalid Uint128 '${2n ** 128n}' - number too large to fit in target type`);
  rejects(uint64str, `"${2n ** 64n}"`, `invalid Uint64 '${2n ** 64n}' - number too large to fit in target type`);
});

test('Decimal: cosmwasm parsing, two encodings', () => {
  const d = decodeJson(decimal, '"0.100000000000000000"');
  assert.ok(d.cmp(Decimal.parse('0.1')) === 0);
  assert.equal(encodeJson(decimal, d), '"0.1"');
  assert.equal(encodeJson(decimal18, d), '"0.100000000000000000"');
  rejects(decimal, '"1.2.3"', "Error parsing decimal '1.2.3': Generic error: Unexpected number of dots");
  rejects(decimal, '".5"', "Error parsing decimal '.5': Generic error: Error parsing whole");
  rejects(decimal, '"0.1234567890123456789"', "Error parsing decimal '0.1234567890123456789': Generic error: Cannot parse more than 18 fractional digits");
  rejects(decimal, '0.1', 'invalid type: floating point `0.1`, expected string-encoded decimal');
});

test('Binary: strict padded base64', () => {
  assert.deepEqual(decodeJson(binary, '"e30="'), new TextEncoder().encode('{}'));
  assert.equal(encodeJson(binary, new TextEncoder().encode('{}')), '"e30="');
  for (const bad of ['e30', 'e31=', 'e3 0=', 'e30=='])
    rejects(binary, JSON.stringify(bad), `invalid base64: ${bad}`);
});

test('str, addr, bool', () => {
  rejects(str, '5', 'invalid type: integer `5`, expected a string');
  rejects(addr, '""', 'invalid value: string "", expected a non-empty address');
  rejects(bool, '"true"', 'invalid type: string "true", expected a boolean');
  rejects(array(str), '{}', 'invalid type: map, expected a sequence');
  rejects(array(str), '["a",1]', 'invalid type: integer `1`, expected a string at $[1]');
});

test('struct: unknown, missing, duplicate fields; encode in declared order', () => {
  const S = struct('S', { b: str, a: u64, o: option(str) });
  assert.deepEqual(decodeJson(S, '{"a":1,"b":"x"}'), { a: 1n, b: 'x' });
  assert.deepEqual(decodeJson(S, '{"a":1,"b":"x","o":null}'), { a: 1n, b: 'x' });
  assert.equal(encodeJson(S, { a: 1n, b: 'x' }), '{"b":"x","a":1,"o":null}');
  rejects(S, '{"a":1,"b":"x","foo":1}', 'unknown field `foo`, expected one of `b`, `a`, `o`');
  rejects(S, '{"a":1}', 'missing field `b`');
  rejects(S, '[]', 'invalid type: sequence, expected struct S');
  rejects(struct('T', { a: str, b: str }), '{"c":1}', 'unknown field `c`, expected `a` or `b`');
  rejects(struct('U', { a: str }), '{"c":1}', 'unknown field `c`, expected `a`');
  rejects(struct('E', {}), '{"c":1}', 'unknown field `c`, there are no fields');
  assert.throws(() => decodeJson(S, '{"b":"x","b":"y","a":1}'), /duplicate field `b`/);
  assert.throws(() => encodeJson(S, { a: 1n, b: 'x', extra: 1 } as never), /unknown field `extra`/);
  assert.throws(() => encodeJson(S, { a: 1n } as never), /missing field `b`/);
});

test('serde(default) field', () => {
  const S = struct('S', { flag: defaulted(bool, false) });
  assert.deepEqual(decodeJson(S, '{}'), { flag: false });
  assert.equal(encodeJson(S, {}), '{"flag":false}');
  rejects(S, '{"flag":null}', 'invalid type: null, expected a boolean at $.flag');
});

test('coin ignores unknown fields (cosmwasm_std::Coin has no deny_unknown_fields); ValueRange does not', () => {
  assert.deepEqual(decodeJson(coin, '{"denom":"stake","amount":"5","extra":1}'), { denom: 'stake', amount: 5n });
  rejects(coin, '{"denom":"stake"}', 'missing field `amount`');
  assert.deepEqual(decodeJson(valueRange, '{"l":"150","h":"200"}'), { l: 150n, h: 200n });
  rejects(valueRange, '{"l":"1","h":"2","x":0}', 'unknown field `x`, expected `l` or `h`');
});

test('externally tagged enums', () => {
  const E = taggedEnum('E', { stake: { amount: u64 }, config: {}, note: str });
  assert.deepEqual(decodeJson(E, '{"stake":{"amount":5}}'), { kind: 'stake', value: { amount: 5n } });
  assert.deepEqual(decodeJson(E, '{"config":{}}'), { kind: 'config', value: {} });
  assert.deepEqual(decodeJson(E, '{"note":"hi"}'), { kind: 'note', value: 'hi' });
  assert.equal(encodeJson(E, { kind: 'config', value: {} }), '{"config":{}}');
  rejects(E, '{"xyz":{}}', 'unknown variant `xyz`, expected one of `stake`, `config`, `note`');
  rejects(E, '"xyz"', 'unknown variant `xyz`, expected one of `stake`, `config`, `note`');
  rejects(E, '"config"', 'invalid type: unit variant, expected struct variant E::Config');
  rejects(E, '{"config":{"a":1}}', 'unknown field `a`, there are no fields at $.config');
  rejects(E, '{"stake":{"amount":1},"config":{}}', 'invalid length 2, expected enum E as a map with a single key');
  rejects(E, '5', 'invalid type: integer `5`, expected enum E');
  rejects(taggedEnum('AB', { a: {}, b: {} }), '{"c":{}}', 'unknown variant `c`, expected `a` or `b`');
  assert.throws(() => encodeJson(E, { kind: 'nope', value: {} } as never), /cannot encode variant `nope`/);
});

test('untagged enums, string enums, tuples', () => {
  const U = untagged('U', [struct('A', { a: str }), struct('B', { b: u64 })]);
  assert.deepEqual(decodeJson(U, '{"b":1}'), { b: 1n });
  assert.equal(encodeJson(U, { b: 1n }), '{"b":1}');
  rejects(U, '{"c":1}', 'data did not match any variant of untagged enum U');
  const V = stringEnum('Vote', ['yes', 'no']);
  assert.equal(decodeJson(V, '"yes"'), 'yes');
  rejects(V, '"maybe"', 'unknown variant `maybe`, expected `yes` or `no`');
  const T = tuple([str, uint128]);
  assert.deepEqual(decodeJson(T, '["v","5"]'), ['v', 5n]);
  assert.equal(encodeJson(T, ['v', 5n]), '["v","5"]');
  rejects(T, '["v"]', 'invalid length 1, expected a tuple of size 2');
});

test('errors carry reason and path separately', () => {
  const S = struct('S', { list: array(struct('I', { x: u64 })) });
  try {
    decodeJson(S, '{"list":[{"x":1},{"x":"2"}]}');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof CodecError);
    assert.equal(e.reason, 'invalid type: string "2", expected u64');
    assert.equal(e.path, '$.list[1].x');
  }
});

test('error paths of nested structs, enums, arrays and tuples; keys that are not identifiers', () => {
  const Inner = struct('Inner', { x: u64, 'a b': option(str) });
  const E = taggedEnum('E', { put: { items: array(Inner), pair: option(tuple([str, uint128])) }, note: str });
  const S = struct('S', { msg: E });
  rejects(S, '{"msg":{"put":{"items":[{"x":1},{"x":-1}]}}}', 'invalid value: integer `-1`, expected u64 at $.msg.put.items[1].x');
  rejects(S, '{"msg":{"put":{"items":[{"x":1,"a b":5}]}}}', 'invalid type: integer `5`, expected a string at $.msg.put.items[0]["a b"]');
  rejects(S, '{"msg":{"put":{"items":[],"pair":["v","x"]}}}', "invalid Uint128 'x' - invalid digit found in string at $.msg.put.pair[1]");
  rejects(S, '{"msg":{"put":{"items":[{}]}}}', 'missing field `x` at $.msg.put.items[0]');
  rejects(S, '{"msg":{"put":{"items":[{"x":1,"y":2}]}}}', 'unknown field `y`, expected `x` or `a b` at $.msg.put.items[0]');
  rejects(S, '{"msg":{"note":{}}}', 'invalid type: map, expected a string at $.msg.note');
  rejects(S, '{"msg":{"nope":{}}}', 'unknown variant `nope`, expected `put` or `note` at $.msg');
  // a caller's own root path is kept in front
  assert.throws(() => S.decode({ msg: { put: { items: [{ x: 'one' }] } } }, '$.packet'), (e: unknown) => e instanceof CodecError && e.path === '$.packet.msg.put.items[0].x');
  // the same paths when encoding
  assert.throws(
    () => encodeJson(S, { msg: { kind: 'put', value: { items: [{ x: 1n }, { x: -1n }] } } }),
    (e: unknown) => e instanceof CodecError && e.message === 'cannot encode -1n as u64 at $.msg.put.items[1].x',
  );
  assert.throws(
    () => encodeJson(S, { msg: { kind: 'put', value: { items: [], pair: ['v', 5] as never } } }),
    (e: unknown) => e instanceof CodecError && e.message === 'cannot encode integer `5` as Uint128 at $.msg.put.pair[1]',
  );
  // duplicate keys are found by the parser, wherever they are
  rejects(S, '{"msg":{"put":{"items":[{"x":1,"x":2}]}}}', 'duplicate field `x` at line 1 column 32');
});

test('u64 / u32 from parsed text and from JSON.parse objects', () => {
  const S = struct('S', { id: u64, n: u32, list: array(u64) });
  assert.deepEqual(decodeJson(S, '{"id":18446744073709551615,"n":-0,"list":[0,9007199254740991,9007199254740992]}'), {
    id: 2n ** 64n - 1n,
    n: 0,
    list: [0n, 2n ** 53n - 1n, 2n ** 53n],
  });
  assert.ok(Object.is(S.decode({ id: 1, n: -0, list: [] }).n, 0)); // -0 is read as 0
  assert.throws(() => S.decode({ id: 2 ** 53, n: 1, list: [] }), /integer `9007199254740992` is beyond 2\^53 and lost precision/);
  rejects(S, '{"id":1,"n":1.0,"list":[]}', 'invalid type: floating point `1.0`, expected u32 at $.n');
  rejects(S, '{"id":1,"n":4294967296,"list":[]}', 'invalid value: integer `4294967296`, expected u32 at $.n');
});

test('Uint128 strings: sign, long digit strings, non-ASCII digits', () => {
  assert.equal(decodeJson(uint128, '"340282366920938463463374607431768211455"'), 2n ** 128n - 1n);
  assert.equal(decodeJson(uint128, '"0000000000000000000000000000000000000000001"'), 1n);
  assert.equal(decodeJson(uint128, '"+1234567890123456789"'), 1234567890123456789n);
  assert.equal(decodeJson(uint128, '"999999999999999"'), 999999999999999n);
  rejects(uint128, '"+"', "invalid Uint128 '+' - invalid digit found in string");
  rejects(uint128, '"-1"', "invalid Uint128 '-1' - invalid digit found in string");
  rejects(uint128, '"++1"', "invalid Uint128 '++1' - invalid digit found in string");
  rejects(uint128, '"1 "', "invalid Uint128 '1 ' - invalid digit found in string");
  rejects(uint128, '"\u0661"', "invalid Uint128 '\u0661' - invalid digit found in string");
});

test('Decimal: whole/fraction checks in cosmwasm order', () => {
  const atomics = (text: string) => decodeJson(decimal, JSON.stringify(text)).atomics;
  assert.equal(atomics('1.05'), 1_050_000_000_000_000_000n);
  assert.equal(atomics('+1.+5'), 1_050_000_000_000_000_000n); // u128::from_str takes a `+` on either part
  assert.equal(atomics('7'), 7_000_000_000_000_000_000n);
  assert.equal(atomics('0.000000000000000001'), 1n);
  assert.equal(atomics('340282366920938463463.374607431768211455'), 2n ** 128n - 1n);
  const bad: [string, string][] = [
    ['1.', 'Error parsing fractional'],
    ['1..2', 'Error parsing fractional'],
    ['1.x.2', 'Error parsing fractional'],
    ['1.2.', 'Unexpected number of dots'],
    ['340282366920938463463.374607431768211456', 'Value too big'],
    ['340282366920938463464', 'Value too big'],
    ['340282366920938463464.x', 'Value too big'], // the whole part is checked first
    [`1${'0'.repeat(39)}`, 'Error parsing whole'],
    ['', 'Error parsing whole'],
  ];
  for (const [text, reason] of bad) rejects(decimal, JSON.stringify(text), `Error parsing decimal '${text}': Generic error: ${reason}`);
});

test('Binary: every padding form, canonical trailing bits, characters outside the alphabet', () => {
  const bytes = (b64: string) => [...decodeJson(binary, JSON.stringify(b64))];
  assert.deepEqual(bytes(''), []);
  assert.deepEqual(bytes('QQ=='), [0x41]);
  assert.deepEqual(bytes('QUI='), [0x41, 0x42]);
  assert.deepEqual(bytes('QUJD'), [0x41, 0x42, 0x43]);
  assert.deepEqual(bytes('+/+/'), [0xfb, 0xff, 0xbf]);
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let n = 0; n <= 5; n++) {
    const b64 = Buffer.from(all.subarray(n)).toString('base64');
    assert.deepEqual(decodeJson(binary, JSON.stringify(b64)), all.slice(n));
    assert.equal(encodeJson(binary, all.slice(n)), JSON.stringify(b64));
  }
  for (const bad of ['QR==', 'QUJ=', 'Q===', '====', '=QQ=', 'QQ=A', 'QQ', 'QUJDR', 'QU-D', 'QU_D', 'QUé=', 'QUJD\n'])
    rejects(binary, JSON.stringify(bad), `invalid base64: ${bad}`);
  const decoded = decodeJson(binary, '"QUJD"');
  assert.equal(Object.getPrototypeOf(decoded), Uint8Array.prototype); // not a Buffer
  assert.equal(decoded.byteOffset, 0);
  assert.equal(decoded.buffer.byteLength, 3);
});

test('structs: optional and defaulted fields absent among present ones; decoded key order', () => {
  const S = struct('S', { a: str, b: option(u64), c: defaulted(bool, true), d: u32 });
  const v = decodeJson(S, '{"d":4,"a":"x"}');
  assert.deepEqual(v, { d: 4, a: 'x', c: true });
  assert.deepEqual(Object.keys(v), ['d', 'a', 'c']); // input order, then absent defaults
  rejects(S, '{"b":1,"c":false}', 'missing field `a`');
  rejects(S, '{"a":"x","b":1,"c":false}', 'missing field `d`');
});

test('struct field names of any spelling: __proto__, quotes, digits, line separators', () => {
  const fields = { ['__proto__']: str, 'a"b': u64, '0': bool, 'x\u2028y': option(str), "');throw 1;('": str };
  const S = struct('Odd', fields);
  const text = '{"__proto__":"p","a\\"b":7,"0":true,"x\u2028y":null,"\');throw 1;(\'":"q"}';
  const v = decodeJson(S, text) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(v, '__proto__')?.value, 'p');
  assert.equal(v['a"b'], 7n);
  assert.equal(v['0'], true);
  assert.ok(!('x\u2028y' in v));
  // integer-like keys come first in any JS object; the others in declared order
  assert.equal(encodeJson(S, v as never), '{"0":true,"__proto__":"p","a\\"b":7,"x\u2028y":null,"\');throw 1;(\'":"q"}');
  rejects(S, '{"__proto__":"p","a\\"b":"7","0":true,"\');throw 1;(\'":"q"}', 'invalid type: string "7", expected u64 at $["a\\"b"]');
  rejects(S, '{"__proto__":1}', 'invalid type: integer `1`, expected a string at $.__proto__');
  // an own `__proto__` is read; without one, the inherited Object.prototype is what gets encoded
  assert.throws(() => encodeJson(S, { '0': true } as never), /^CodecError: cannot encode map as a string at \$\.__proto__$/);
  const noB = Object.defineProperty({ '0': true }, '__proto__', { value: 'p', enumerable: true });
  assert.throws(() => encodeJson(S, noB as never), /^CodecError: cannot encode struct Odd: missing field `a"b`$/);
});

test('enum variant names of any spelling: spaces, quotes', () => {
  const W = taggedEnum('W', { 'a b': { n: u64 }, 'q"': {}, s: str });
  assert.deepEqual(decodeJson(W, '{"a b":{"n":1}}'), { kind: 'a b', value: { n: 1n } });
  assert.equal(encodeJson(W, { kind: 'q"', value: {} }), '{"q\\"":{}}');
  rejects(W, '{"a b":{"n":"1"}}', 'invalid type: string "1", expected u64 at $["a b"].n');
  rejects(W, '"a b"', 'invalid type: unit variant, expected struct variant W::A b');
  rejects(W, '{"toString":{}}', 'unknown variant `toString`, expected one of `a b`, `q"`, `s`');
  rejects(W, '{"__proto__":"x"}', 'unknown variant `__proto__`, expected one of `a b`, `q"`, `s`');
  assert.throws(() => encodeJson(W, { kind: 'toString', value: {} } as never), /^CodecError: cannot encode variant `toString` as enum W$/);
});
