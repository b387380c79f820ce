// A tiny schema combinator library mirroring how the contracts' serde derives read and write JSON
// (spec §0.3). Each schema decodes a parsed JSON value into a typed value and encodes it back; struct
// fields are emitted in declared (= Rust struct) order so that `encodeJson` reproduces the contracts'
// bytes. Decoding errors are `CodecError`s carrying serde's wording and a JSON path, e.g.
// "unknown field `foo`, expected `a` or `b` at $.stake".
//
// Conventions: structs reject unknown fields (`deny_unknown_fields`, set by `cw_serde`) unless created
// with `{ ignoreUnknown: true }` (cosmwasm_std types such as Coin, the channel version, Go-read JSON);
// `Option<T>` is `option(x)`: absent or null → undefined, encoded as `null` (cosmwasm never skips None);
// enums are externally tagged and decode to `{ kind, value }`.
//
// Paths cost nothing until something fails: containers (struct, enum, array, tuple) decode and encode
// their children without a path, so a child's error is rooted at `$`, and only when one is thrown does
// the container re-root it below its own path (`within`). Callers see the same reason and full path.
import { Decimal, DECIMAL_FRACTIONAL } from '../decimal.ts';
import { UINT128_MAX, UINT256_MAX, UINT64_MAX } from '../uint.ts';
import type { ValueRange } from '../value-range.ts';
import { CodecError, JsonFloat, parseJson, setOwn, stringifyJson } from './json.ts';
import type { JsonValue, ParseOptions } from './json.ts';

export { CodecError, JsonFloat, parseJson, stringifyJson, stringifyGoJson } from './json.ts';
export type { JsonValue, ParseOptions } from './json.ts';

export interface Schema<T> {
  /** serde's "expected …" text, e.g. `a string`, `u64`, `struct Coin`. */
  readonly expecting: string;
  decode(json: unknown, path?: string): T;
  encode(value: T, path?: string): JsonValue;
}

/** A schema whose struct field may be absent (`option`, `defaulted`). */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true;
  absent(): T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

// ---------------------------------------------------------------- errors

/** serde's `Unexpected` wording for a JSON value. */
export function unexpected(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  if (typeof v === 'bigint') return `integer \`${v}\``;
  if (v instanceof JsonFloat) return `floating point \`${v.text}\``;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (Array.isArray(v)) return 'sequence';
  return 'map';
}

const invalidType = (v: unknown, expecting: string, path: string) =>
  new CodecError(`invalid type: ${unexpected(v)}, expected ${expecting}`, path);

/** serde's `OneOf`: "`a`", "`a` or `b`", "one of `a`, `b`, `c`". */
function oneOf(names: readonly string[]): string {
  const q = names.map((n) => `\`${n}\``);
  if (q.length === 1) return q[0]!;
  if (q.length === 2) return `${q[0]} or ${q[1]}`;
  return `one of ${q.join(', ')}`;
}

const unknownField = (k: string, names: readonly string[], path: string) =>
  new CodecError(`unknown field \`${k}\`, ${names.length ? `expected ${oneOf(names)}` : 'there are no fields'}`, path);

const unknownVariant = (k: string, names: readonly string[], path: string) =>
  new CodecError(`unknown variant \`${k}\`, ${names.length ? `expected ${oneOf(names)}` : 'there are no variants'}`, path);

/** Path of `key` below `path`: `$.a`, `$["a b"]`, `$[3]`. Built only for an error (see `within`). */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The error a child (decoded or encoded at `$`) threw, re-rooted below `path`/`key`. */
function within(e: unknown, path: string, key: string | number): unknown {
  if (!(e instanceof CodecError) || e.path[0] !== '$') return e;
  return new CodecError(e.reason, child(path, key) + e.path.slice(1));
}

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonFloat) && !(v instanceof Uint8Array);
}

// ---------------------------------------------------------------- primitives

/** A leaf schema; `decode`/`encode` give `path` the default `$` themselves (no wrapper per call). */
function primitive<T>(expecting: string, decode: Schema<T>['decode'], encode: Schema<T>['encode']): Schema<T> {
  return { expecting, decode, encode };
}

const encodeCheck = (ok: boolean, v: unknown, expecting: string, path: string) => {
  if (!ok) throw new CodecError(`cannot encode ${typeof v === 'bigint' ? `${v}n` : unexpected(v)} as ${expecting}`, path);
};

export const str: Schema<string> = primitive(
  'a string',
  (v, path = '$') => {
    if (typeof v !== 'string') throw invalidType(v, 'a string', path);
    return v;
  },
  (v, path = '$') => (encodeCheck(typeof v === 'string', v, 'a string', path), v),
);

/** A String field holding an address; must be non-empty. */
export const addr: Schema<string> = primitive(
  'an address string',
  (v, path = '$') => {
    if (typeof v !== 'string') throw invalidType(v, 'an address string', path);
    if (v === '') throw new CodecError('invalid value: string "", expected a non-empty address', path);
    return v;
  },
  (v, path = '$') => (encodeCheck(typeof v === 'string' && v !== '', v, 'an address string', path), v),
);

export const bool: Schema<boolean> = primitive(
  'a boolean',
  (v, path = '$') => {
    if (typeof v !== 'boolean') throw invalidType(v, 'a boolean', path);
    return v;
  },
  (v, path = '$') => (encodeCheck(typeof v === 'boolean', v, 'a boolean', path), v),
);

/** JSON number → bigint in [0, max]; accepts `bigint` from parseJson for values beyond 2^53. */
function jsonInteger(name: string, max: bigint, v: unknown, path: string): bigint {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) {
    if (!Number.isSafeInteger(v)) {
      throw new CodecError(`integer \`${v}\` is beyond 2^53 and lost precision; parse the text with parseJson()`, path);
    }
    n = BigInt(v);
  } else throw invalidType(v, name, path);
  if (n < 0n || n > max) throw new CodecError(`invalid value: integer \`${n}\`, expected ${name}`, path);
  return n;
}

/** Rust `u64` (tx_id, height, time, power, code_id): JSON number, decoded as bigint. */
export const u64: Schema<bigint> = primitive(
  'u64',
  (v, path = '$') => (typeof v === 'number' && v >= 0 && Number.isSafeInteger(v) ? BigInt(v) : jsonInteger('u64', UINT64_MAX, v, path)),
  (v, path = '$') => (encodeCheck(typeof v === 'bigint' && v >= 0n && v <= UINT64_MAX, v, 'u64', path), v),
);

function smallUint(name: string, max: number): Schema<number> {
  return primitive(
    name,
    // `+ 0` turns -0 into 0, as the bigint round trip does
    (v, path = '$') => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v + 0 : Number(jsonInteger(name, BigInt(max), v, path))),
    (v, path = '$') => (encodeCheck(Number.isInteger(v) && v >= 0 && v <= max, v, name, path), v),
  );
}
export const u32 = smallUint('u32', 0xffff_ffff);
export const u8 = smallUint('u8', 0xff);

// Up to 15 digits a number accumulates exactly in a double (10^15 < 2^53).
const EXACT_DIGITS = 15;

/** Rust `u128::from_str` (used by Uint64/128/256) of `s[start, end)`: optional `+`, ASCII digits. */
function parseRustUint(s: string, start: number, end: number, max: bigint): bigint | string {
  if (start === end) return 'cannot parse integer from empty string';
  const first = s.charCodeAt(start) === 0x2b /* + */ ? start + 1 : start;
  if (first === end) return 'invalid digit found in string';
  let n = 0;
  for (let k = first; k < end; k++) {
    const d = s.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9) return 'invalid digit found in string';
    n = n * 10 + d;
  }
  const big = end - first <= EXACT_DIGITS ? BigInt(n) : BigInt(s.slice(first, end));
  return big > max ? 'number too large to fit in target type' : big;
}

function stringUint(type: string, max: bigint): Schema<bigint> {
  const expecting = 'string-encoded integer';
  return primitive(
    expecting,
    (v, path = '$') => {
      if (typeof v !== 'string') throw invalidType(v, expecting, path);
      const r = parseRustUint(v, 0, v.length, max);
      if (typeof r === 'string') throw new CodecError(`invalid ${type} '${v}' - ${r}`, path);
      return r;
    },
    (v, path = '$') => (encodeCheck(typeof v === 'bigint' && v >= 0n && v <= max, v, type, path), v.toString()),
  );
}
/** cosmwasm `Uint128`: decimal string → bigint. */
export const uint128 = stringUint('Uint128', UINT128_MAX);
/** cosmwasm `Uint64`: decimal string → bigint. */
export const uint64str = stringUint('Uint64', UINT64_MAX);
export const uint256 = stringUint('Uint256', UINT256_MAX);
/** cosmwasm `Timestamp`: nanoseconds as a decimal string (spec §0.3). */
export const timestamp = uint64str;

/** 10^(18 - n): scales n fractional digits to Decimal atomics. */
const FRACTION_SCALE = Array.from({ length: 19 }, (_, n) => 10n ** BigInt(18 - n));

/** cosmwasm `Decimal::from_str`, error texts included (checked in its order: whole, fraction, dots). */
function parseDecimal(s: string): Decimal | string {
  const dot = s.indexOf('.');
  const whole = parseRustUint(s, 0, dot < 0 ? s.length : dot, UINT128_MAX);
  if (typeof whole === 'string') return 'Error parsing whole';
  let atomics = whole * DECIMAL_FRACTIONAL;
  if (atomics > UINT128_MAX) return 'Value too big';
  if (dot >= 0) {
    const dot2 = s.indexOf('.', dot + 1);
    const fracEnd = dot2 < 0 ? s.length : dot2;
    const frac = parseRustUint(s, dot + 1, fracEnd, UINT128_MAX);
    if (typeof frac === 'string') return 'Error parsing fractional';
    const fracLength = fracEnd - dot - 1;
    if (fracLength > 18) return 'Cannot parse more than 18 fractional digits';
    atomics += frac * FRACTION_SCALE[fracLength]!;
    if (atomics > UINT128_MAX) return 'Value too big';
    if (dot2 >= 0) return 'Unexpected number of dots';
  }
  return Decimal.fromAtomics(atomics);
}

function decimalSchema(encode: (d: Decimal) => string): Schema<Decimal> {
  const expecting = 'string-encoded decimal';
  return primitive(
    expecting,
    (v, path = '$') => {
      if (typeof v !== 'string') throw invalidType(v, expecting, path);
      const r = parseDecimal(v);
      if (typeof r === 'string') throw new CodecError(`Error parsing decimal '${v}': Generic error: ${r}`, path);
      return r;
    },
    (v, path = '$') => (encodeCheck(v instanceof Decimal, v, 'Decimal', path), encode(v)),
  );
}
/** cosmwasm `Decimal`: encoded without trailing zeros (`"0.1"`), as the contracts write it. */
export const decimal = decimalSchema((d) => d.toString());
/** Decimal written the Go `LegacyDec` way (`"0.100000000000000000"`), for JSON produced by the SDK. */
export const decimal18 = decimalSchema((d) => d.toFixed18());

/** cosmwasm `Binary`: standard base64 with padding, strict (non-canonical encodings rejected). */
export const binary: Schema<Uint8Array> = primitive(
  'valid base64 encoded string',
  (v, path = '$') => {
    if (typeof v !== 'string') throw invalidType(v, 'valid base64 encoded string', path);
    const bytes = fromBase64(v);
    if (!bytes) throw new CodecError(`invalid base64: ${v}`, path);
    return bytes;
  },
  (v, path = '$') => (encodeCheck(v instanceof Uint8Array, v, 'Binary', path), toBase64(v)),
);

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Sextet of each base64 character (RFC 4648 §4 alphabet), -1 for anything else. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64_VALUE[ch.charCodeAt(0)] = i;
const sextet = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? BASE64_VALUE[c]! : -1;
};

/** Strict base64 (RFC 4648 §4, padded, canonical); undefined if invalid. Decoded in one pass. */
export function fromBase64(s: string): Uint8Array | undefined {
  const n = s.length;
  if (n % 4 !== 0) return undefined;
  const pad = n === 0 || s.charCodeAt(n - 1) !== 0x3d /* = */ ? 0 : s.charCodeAt(n - 2) === 0x3d ? 2 : 1;
  const out = new Uint8Array((n / 4) * 3 - pad);
  const whole = pad === 0 ? n : n - 4; // characters in complete 4-character groups
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = sextet(s, i + 2);
    const d = sextet(s, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 0x0f) << 4) | (c >> 2);
    out[o++] = ((c & 0x03) << 6) | d;
  }
  if (pad === 0) return out;
  const a = sextet(s, n - 4);
  const b = sextet(s, n - 3);
  const c = pad === 1 ? sextet(s, n - 2) : 0;
  // non-zero bits after the last byte make the encoding non-canonical
  if ((a | b | c) < 0 || (pad === 2 ? b & 0x0f : c & 0x03) !== 0) return undefined;
  out[o++] = (a << 2) | (b >> 4);
  if (pad === 1) out[o] = ((b & 0x0f) << 4) | (c >> 2);
  return out;
}

/** One fixed string (a unit-like marker, e.g. the IBC order). */
export function stringEnum<const T extends string>(name: string, values: readonly T[]): Schema<T> {
  return primitive(
    `enum ${name}`,
    (v, path = '$') => {
      if (typeof v !== 'string') throw invalidType(v, `enum ${name}`, path);
      if (!(values as readonly string[]).includes(v)) throw unknownVariant(v, values, path);
      return v as T;
    },
    (v, path = '$') => (encodeCheck((values as readonly string[]).includes(v), v, `enum ${name}`, path), v),
  );
}

// ---------------------------------------------------------------- wrappers

/** `Option<T>`: field may be absent or null; decodes to undefined; encodes undefined as `null`. */
export function option<T>(inner: Schema<T>): OptionalSchema<T | undefined> {
  return {
    expecting: inner.expecting,
    optional: true,
    absent: () => undefined,
    decode: (v, path = '$') => (v === null || v === undefined ? undefined : inner.decode(v, path)),
    encode: (v, path = '$') => (v === null || v === undefined ? null : inner.encode(v, path)),
  };
}

/** `#[serde(default)]`: an absent field takes `dflt`; always encoded. */
export function defaulted<T>(inner: Schema<T>, dflt: T): OptionalSchema<T> {
  return {
    expecting: inner.expecting,
    optional: true,
    absent: () => dflt,
    decode: (v, path = '$') => (v === undefined ? dflt : inner.decode(v, path)),
    encode: (v, path = '$') => inner.encode(v === undefined ? dflt : v, path),
  };
}

/** `Vec<T>`: a JSON array. */
export function array<T>(inner: Schema<T>): Schema<T[]> {
  const decodeItem = (x: unknown) => inner.decode(x);
  const encodeItem = (x: T) => inner.encode(x);
  return {
    expecting: 'a sequence',
    decode(v, path = '$') {
      if (!Array.isArray(v)) throw invalidType(v, 'a sequence', path);
      return eachElement(v, path, decodeItem);
    },
    encode(v, path = '$') {
      encodeCheck(Array.isArray(v), v, 'a sequence', path);
      return eachElement(v, path, encodeItem);
    },
  };
}

/** `v.map(f)` (holes stay holes) with a failing element's error re-rooted at `path[i]`. */
function eachElement<X, Y>(v: readonly X[], path: string, f: (x: X, i: number) => Y): Y[] {
  const out = new Array<Y>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x === undefined && !(i in v)) continue;
    try {
      out[i] = f(x, i);
    } catch (e) {
      throw within(e, path, i);
    }
  }
  return out;
}

type TupleOf<S extends readonly Schema<any>[]> = { -readonly [K in keyof S]: Infer<S[K]> };

/** A Rust tuple `(A, B)`: a JSON array of fixed length. */
export function tuple<const S extends readonly Schema<any>[]>(items: S): Schema<TupleOf<S>> {
  const expecting = `a tuple of size ${items.length}`;
  return {
    expecting,
    decode(v, path = '$') {
      if (!Array.isArray(v)) throw invalidType(v, expecting, path);
      if (v.length !== items.length) throw new CodecError(`invalid length ${v.length}, expected ${expecting}`, path);
      return eachElement(items, path, (s, i) => s.decode(v[i])) as TupleOf<S>;
    },
    encode(v, path = '$') {
      encodeCheck(Array.isArray(v) && v.length === items.length, v, expecting, path);
      return eachElement(items, path, (s, i) => s.encode((v as unknown[])[i]));
    },
  };
}

// ---------------------------------------------------------------- structs

export type Fields = { readonly [key: string]: Schema<any> };
type OptionalKeys<F> = { [K in keyof F]: F[K] extends { readonly optional: true } ? K : never }[keyof F];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type StructType<F extends Fields> = Simplify<
  { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    -readonly [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined>;
  }
>;

export interface StructSchema<F extends Fields> extends Schema<StructType<F>> {
  readonly fields: F;
}

export interface StructOptions {
  /** Ignore unknown fields instead of rejecting them (types without `deny_unknown_fields`). */
  ignoreUnknown?: boolean;
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const isOptional = (s: Schema<unknown>): s is OptionalSchema<unknown> => (s as Partial<OptionalSchema<unknown>>).optional === true;

// ---- generated code
// Struct and enum schemas run code generated for their field / variant names: properties read and
// stored by constant names, in functions of their own per schema (so their inline caches see one
// struct's shapes, not those of all ~200), decode about 1.6× as fast as shared code with computed
// keys (codec.bench.ts; the copy-text row encoder does the same). Names enter the code only as JSON
// string literals.

/** Runs `body` as a function of the named values and returns what it returns. */
function generate<T>(values: Record<string, unknown>, body: string): T {
  return new Function(...Object.keys(values), body)(...Object.values(values)) as T;
}

/** `out[name] = x` as code; `__proto__` must be defined, not assigned (that would set the prototype). */
const storeCode = (lit: string, x: string) => (lit === '"__proto__"' ? `setOwn(out, ${lit}, ${x})` : `out[${lit}] = ${x}`);

interface Codec<T> {
  decode(v: unknown, path?: string): T;
  encode(v: T, path?: string): JsonValue;
}

/** Replaces `schema`'s decode/encode by the generated ones when first called (most are never used). */
function compileOnFirstUse<T>(schema: Schema<T>, compile: () => Codec<T>): void {
  let compiled: Codec<T> | undefined;
  const code = () => {
    compiled ??= compile();
    Object.assign(schema, compiled);
    return compiled;
  };
  Object.assign(schema, { decode: (v: unknown, path?: string) => code().decode(v, path), encode: (v: T, path?: string) => code().encode(v, path) });
}

/**
 * decode: the fields present in `v`, in `v`'s key order (as serde reports the first bad one), then
 * the absent ones in declared order; encode: all fields in declared order.
 */
function compileStruct(expecting: string, names: readonly string[], schemas: readonly Schema<unknown>[], optional: readonly boolean[], opts: StructOptions) {
  const lit = names.map((k) => JSON.stringify(k));
  const readCases = names.map(
    (_, i) => `case ${lit[i]}: {
          present++;
          let x;
          try { x = schemas[${i}].decode(v[key]); } catch (e) { throw within(e, path, key); }
          if (x !== undefined) ${storeCode(lit[i]!, 'x')};
          break;
        }`,
  );
  const absent = names.map((_, i) =>
    optional[i]
      ? `if (!hasOwn(v, ${lit[i]})) { const x = schemas[${i}].absent(); if (x !== undefined) ${storeCode(lit[i]!, 'x')}; }`
      : `if (!hasOwn(v, ${lit[i]})) throw new CodecError(missingField(${i}), path);`,
  );
  const writes = names.map(
    (_, i) => `fv = v[${lit[i]}];${optional[i] ? '' : `
      if (fv === undefined) throw new CodecError(missingOnEncode(${i}), path);`}
      try { ${storeCode(lit[i]!, `schemas[${i}].encode(fv)`)}; } catch (e) { throw within(e, path, names[${i}]); }`,
  );
  return generate<Codec<Record<string, unknown>>>(
    {
      expecting, names, schemas, opts, hasOwn, setOwn, within, isJsonObject, invalidType, unknownField, encodeCheck, CodecError,
      missingField: (i: number) => `missing field \`${names[i]}\``,
      missingOnEncode: (i: number) => `cannot encode ${expecting}: missing field \`${names[i]}\``,
      unknownOnEncode: (key: string) => `cannot encode unknown field \`${key}\` of ${expecting}`,
    },
    `return {
    decode(v, path = '$') {
      if (!isJsonObject(v)) throw invalidType(v, expecting, path);
      const out = {};
      let present = 0;
      for (const key in v) {
        if (!hasOwn(v, key)) continue;
        switch (key) {
        ${readCases.join('\n        ')}
        default:
          if (opts.ignoreUnknown) continue;
          throw unknownField(key, names, path);
        }
      }
      if (present !== ${names.length}) {
        ${absent.join('\n        ')}
      }
      return out;
    },
    encode(v, path = '$') {
      encodeCheck(isJsonObject(v), v, expecting, path);
      for (const key in v) {
        if (!hasOwn(v, key)) continue;
        switch (key) {
        ${lit.length ? `${lit.map((l) => `case ${l}:`).join(' ')} break;` : ''}
        default:
          if (v[key] !== undefined) throw new CodecError(unknownOnEncode(key), path);
        }
      }
      const out = {};
      let fv;
      ${writes.join('\n      ')}
      return out;
    },
  };`,
  );
}

function makeStruct<F extends Fields>(expecting: string, fields: F, opts: StructOptions): StructSchema<F> {
  const names = Object.keys(fields);
  const schemas: Schema<unknown>[] = names.map((k) => fields[k]!);
  const schema = { expecting, fields } as StructSchema<F>;
  compileOnFirstUse(schema, () => compileStruct(expecting, names, schemas, schemas.map(isOptional), opts) as Codec<StructType<F>>);
  return schema;
}

/** A `cw_serde` struct: fields in Rust declaration order; unknown fields rejected unless `ignoreUnknown`. */
export function struct<F extends Fields>(name: string, fields: F, opts: StructOptions = {}): StructSchema<F> {
  return makeStruct(`struct ${name}`, fields, opts);
}

// ---------------------------------------------------------------- enums

export type VariantSpec = Schema<any> | Fields;
export type Variants = { readonly [variant: string]: VariantSpec };
type VariantValue<S> = S extends Schema<infer T> ? T : S extends Fields ? StructType<S> : never;
/** `{ kind: 'stake', value: {...} } | …` — one member per variant. */
export type EnumType<V extends Variants> = {
  [K in keyof V & string]: { kind: K; value: VariantValue<V[K]> };
}[keyof V & string];

export interface EnumSchema<V extends Variants> extends Schema<EnumType<V>> {
  readonly variants: { readonly [K in keyof V]: V[K] extends Schema<any> ? V[K] : V[K] extends Fields ? StructSchema<V[K]> : never };
}

const isSchema = (s: VariantSpec): s is Schema<any> => typeof (s as Schema<any>).decode === 'function';
const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

export interface EnumOptions {
  /** Ignore unknown fields inside struct variants (JSON read by Go, which ignores them). */
  ignoreUnknown?: boolean;
}

/**
 * Externally tagged enum (`{"variant": …}`), variant names already snake_case. A variant given as a
 * field map is a struct variant (`{}` for Sylvia's argument-less messages); otherwise any schema
 * (newtype variant, e.g. `{"result":"<base64>"}`).
 */
export function taggedEnum<const V extends Variants>(name: string, spec: V, opts: EnumOptions = {}): EnumSchema<V> {
  const names = Object.keys(spec);
  const variants: Record<string, Schema<any>> = {};
  for (const k of names) {
    const s = spec[k]!;
    variants[k] = isSchema(s) ? s : makeStruct(`struct variant ${name}::${pascal(k)}`, s, opts);
  }
  const expecting = `enum ${name}`;
  const schema = { expecting, variants } as unknown as EnumSchema<V>;
  // only own entries of `variants` are variants (a name `__proto__` set its prototype instead)
  const own = names.filter((k) => hasOwn(variants, k));
  compileOnFirstUse(schema, () => compileEnum(expecting, names, own, own.map((k) => variants[k]!)) as Codec<EnumType<V>>);
  return schema;
}

/** decode: `{"<variant>": value}` → `{ kind, value }`; encode the reverse. `names` are listed in errors. */
function compileEnum(expecting: string, names: readonly string[], variants: readonly string[], schemas: readonly Schema<unknown>[]) {
  const lit = variants.map((k) => JSON.stringify(k));
  const decodeCases = variants.map(
    (_, i) => `case ${lit[i]}: {
          let value;
          try { value = schemas[${i}].decode(v[${lit[i]}]); } catch (e) { throw within(e, path, kind); }
          return { kind: ${lit[i]}, value };
        }`,
  );
  const encodeCases = variants.map(
    (_, i) => `case ${lit[i]}: {
          const out = {};
          try { ${storeCode(lit[i]!, `schemas[${i}].encode(v.value)`)}; } catch (e) { throw within(e, path, ${lit[i]}); }
          return out;
        }`,
  );
  return generate<Codec<{ kind: string; value: unknown }>>(
    {
      expecting, names, variants, schemas, setOwn, within, isJsonObject, invalidType, unknownVariant, CodecError,
      unitVariant: (i: number) => `invalid type: unit variant, expected ${schemas[i]!.expecting}`,
      badLength: (n: number) => `invalid length ${n}, expected ${expecting} as a map with a single key`,
      cannotEncode: (v: unknown) => `cannot encode ${isJsonObject(v) ? `variant \`${String(v.kind)}\`` : unexpected(v)} as ${expecting}`,
    },
    `return {
    decode(v, path = '$') {
      if (typeof v === 'string') {
        const i = variants.indexOf(v);
        if (i < 0) throw unknownVariant(v, names, path);
        throw new CodecError(unitVariant(i), path);
      }
      if (!isJsonObject(v)) throw invalidType(v, expecting, path);
      const keys = Object.keys(v);
      if (keys.length !== 1) throw new CodecError(badLength(keys.length), path);
      const kind = keys[0];
      switch (kind) {
        ${decodeCases.join('\n        ')}
      }
      throw unknownVariant(kind, names, path);
    },
    encode(v, path = '$') {
      if (isJsonObject(v)) {
        switch (v.kind) {
        ${encodeCases.join('\n        ')}
        }
      }
      throw new CodecError(cannotEncode(v), path);
    },
  };`,
  );
}

/** `#[serde(untagged)]`: the first branch that decodes wins. */
export function untagged<const S extends readonly Schema<any>[]>(name: string, branches: S): Schema<Infer<S[number]>> {
  const fail = (path: string) => new CodecError(`data did not match any variant of untagged enum ${name}`, path);
  return {
    expecting: `untagged enum ${name}`,
    decode(v, path = '$') {
      for (const b of branches) {
        try {
          return b.decode(v, path);
        } catch (e) {
          if (!(e instanceof CodecError)) throw e;
        }
      }
      throw fail(path);
    },
    encode(v, path = '$') {
      for (const b of branches) {
        try {
          const json = b.encode(v, path);
          b.decode(json, path);
          return json;
        } catch (e) {
          if (!(e instanceof CodecError)) throw e;
        }
      }
      throw fail(path);
    },
  };
}

// ---------------------------------------------------------------- common cosmwasm types

/** cosmwasm_std `Coin` — no `deny_unknown_fields` in cosmwasm_std, so extra fields are ignored. */
export const coin = struct('Coin', { denom: str, amount: uint128 }, { ignoreUnknown: true });
export type Coin = Infer<typeof coin>;

/** mesh_sync `ValueRange<Uint128>` `{l, h}` (spec §0.3, §4.1). */
export const valueRange: Schema<ValueRange> = struct('ValueRange', { l: uint128, h: uint128 });

// ---------------------------------------------------------------- text helpers

/** Compact JSON with fields in Rust order: the bytes a contract would write. */
export function encodeJson<T>(schema: Schema<T>, value: T): string {
  return stringifyJson(schema.encode(value));
}

/** Parses JSON text or UTF-8 bytes (losslessly) and decodes it. */
export function decodeJson<T>(schema: Schema<T>, input: string | Uint8Array, opts?: ParseOptions): T {
  return schema.decode(parseJson(input, opts), '$');
}
