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
