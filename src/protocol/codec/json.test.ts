import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodecError, JsonFloat, parseJson, stringifyGoJson, stringifyJson } from './json.ts';

test('integers beyond 2^53 parse as bigint and print back exactly', () => {
  const text = '{"tx_id":9223372036854775808,"small":1,"max":18446744073709551615,"neg":-3}';
  const v = parseJson(text) as Record<string, unknown>;
  assert.equal(v.tx_id, 9223372036854775808n);
  assert.equal(v.small, 1);
  assert.equal(v.max, 18446744073709551615n);
  assert.equal(v.neg, -3);
  assert.equal(stringifyJson(v as never), text);
});

test('fractions and exponents stay floats, kept as text', () => {
  const v = parseJson('[1.0,2e3,-0.5]') as JsonFloat[];
  assert.ok(v.every((x) => x instanceof JsonFloat));
  assert.deepEqual(v.map((x) => x.text), ['1.0', '2e3', '-0.5']);
  assert.equal(stringifyJson(v), '[1.0,2e3,-0.5]');
});

test('strings: escapes, surrogate pairs, bytes input', () => {
  assert.equal(parseJson('"a\\"b\\\\\\/\\n\\u00e9\\ud83d\\ude00"'), 'a"b\\/\né😀');
  assert.equal(parseJson(new TextEncoder().encode('"é"')), 'é');
  assert.equal(stringifyJson('a"\n\u0001é'), '"a\\"\\n\\u0001é"');
});

test('object keys keep their order, __proto__ is an ordinary key', () => {
  const v = parseJson('{"b":1,"a":2,"__proto__":3}') as Record<string, unknown>;
  assert.deepEqual(Object.keys(v), ['b', 'a', '__proto__']);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal(stringifyJson(v as never), '{"b":1,"a":2,"__proto__":3}');
});

test('syntax errors report serde_json-like text with line and column', () => {
  const cases: [string, RegExp][] = [
    ['', /^EOF while parsing a value at line 1 column 1$/],
    ['{"a":1,}', /^key must be a string at line 1 column 8$/],
    ['{"a" 1}', /^expected `:` at line 1 column 6$/],
    ['[1 2]', /^expected `,` or `]` at line 1 column 4$/],
    ['01', /^trailing characters at line 1 column 2$/],
    ['"\u0001"', /^control character/],
    ['"\\x"', /^invalid escape/],
    ['"\\udc00"', /^lone leading surrogate/],
    ['{"a":1}\n x', /^trailing characters at line 2 column 2$/],
    ['tru', /^expected ident/],
    ['NaN', /^expected value/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseJson(text), (e: unknown) => e instanceof CodecError && re.test(e.message), text);
  }
  assert.throws(() => parseJson(new Uint8Array([0x22, 0xff, 0x22])), /invalid UTF-8/);
});

test('duplicate keys fail like serde, or keep the last one like Go', () => {
  assert.throws(() => parseJson('{"a":1,"a":2}'), /^CodecError: duplicate field `a` at line 1 column 8$/);
  assert.deepEqual(parseJson('{"a":1,"a":2}', { duplicateKeys: 'last' }), { a: 2 });
});

test('Go JSON: sorted keys and HTML-safe escaping', () => {
  assert.equal(stringifyGoJson({ result: 'x', error: 'a<b>&c\u2028\b' }), '{"error":"a\\u003cb\\u003e\\u0026c\\u2028\\u0008","result":"x"}');
});

test('integers: exact up to 2^53 - 1 either side of the 15-digit fast path, bigint beyond, -0 kept', () => {
  assert.equal(parseJson('123456789012345'), 123456789012345);
  assert.equal(parseJson('-123456789012345'), -123456789012345);
  assert.equal(parseJson('1234567890123456'), 1234567890123456);
  assert.equal(parseJson('9007199254740991'), 9007199254740991);
  assert.equal(parseJson('9007199254740992'), 9007199254740992n);
  assert.equal(parseJson('-9007199254740993'), -9007199254740993n);
  assert.deepEqual(parseJson('[0,7,10]'), [0, 7, 10]);
  assert.ok(Object.is(parseJson('-0'), -0));
  assert.equal(stringifyJson(-0), '0');
});

test('number grammar: what is a float, where a malformed literal stops', () => {
  assert.deepEqual((parseJson('[1E+5,1e-5,0.0]') as JsonFloat[]).map((x) => x.text), ['1E+5', '1e-5', '0.0']);
  const fails: [string, string][] = [
    ['1.', 'trailing characters at line 1 column 2'],
    ['1.e5', 'trailing characters at line 1 column 2'],
    ['1e', 'trailing characters at line 1 column 2'],
    ['1e+', 'trailing characters at line 1 column 2'],
    ['[-]', 'invalid number at line 1 column 2'],
    ['-a', 'invalid number at line 1 column 1'],
    ['.5', 'expected value at line 1 column 1'],
    ['[1,', 'EOF while parsing a value at line 1 column 4'],
    ['[1', 'EOF while parsing a list at line 1 column 3'],
    ['{"a":1', 'EOF while parsing an object at line 1 column 7'],
    ['{"a":1 "b"', 'expected `,` or `}` at line 1 column 8'],
  ];
  for (const [text, message] of fails) assert.throws(() => parseJson(text), (e: unknown) => e instanceof CodecError && e.message === message, text);
  // a literal is read from at most 400 characters: the 401st digit is left over
  assert.throws(() => parseJson('1'.repeat(401)), (e: unknown) => e instanceof CodecError && e.message === 'trailing characters at line 1 column 401');
  assert.equal(parseJson('1'.repeat(400)), BigInt('1'.repeat(400)));
});

test('string escapes: hex digits in either case, malformed \\u escapes', () => {
  assert.equal(parseJson('"\\u00E9\\u00e9\\uD83D\\uDE00"'), 'éé😀');
  const fails: [string, string][] = [
    ['"\\u12"', 'invalid escape at line 1 column 4'],
    ['"\\u12G4"', 'invalid escape at line 1 column 4'],
    ['"\\ud83dx"', 'unexpected end of hex escape at line 1 column 8'],
    ['"\\ud83d\\u0041"', 'lone leading surrogate in hex escape at line 1 column 14'],
    ['"ab', 'EOF while parsing a string at line 1 column 4'],
  ];
  for (const [text, message] of fails) assert.throws(() => parseJson(text), (e: unknown) => e instanceof CodecError && e.message === message, text);
});

test('stringifyJson writes strings as JSON.stringify does', () => {
  for (const s of ['plain', '', 'a"b', 'back\\slash', 'tab\there', '\u0000\u001f', '\u007f\u2028é😀', 'lone \ud800 high', 'lone \udc00 low']) {
    assert.equal(stringifyJson(s), JSON.stringify(s), s);
    assert.equal(stringifyJson({ [s]: [s] }), `{${JSON.stringify(s)}:[${JSON.stringify(s)}]}`);
  }
  assert.equal(stringifyJson([1e21, 1.5, -3, true, null, []]), '[1e+21,1.5,-3,true,null,[]]');
  assert.throws(() => stringifyJson(NaN), /^CodecError: cannot encode non-finite number NaN$/);
});
