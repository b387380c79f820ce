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

const child = (path: string, key: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonFloat) && !(v instanceof Uint8Array);
}

// ---------------------------------------------------------------- primitives

function primitive<T>(expecting: string, decode: (v: unknown, path: string) => T, encode: (v: T, path: string) => JsonValue): Schema<T> {
  return { expecting, decode: (v, path = '$') => decode(v, path), encode: (v, path = '$') => encode(v, path) };
}

const encodeCheck = (ok: boolean, v: unknown, expecting: string, path: string) => {
  if (!ok) throw new CodecError(`cannot encode ${typeof v === 'bigint' ? `${v}n` : unexpected(v)} as ${expecting}`, path);
};

export const str: Schema<string> = primitive(
  'a string',
  (v, path) => {
    if (typeof v !== 'string') throw invalidType(v, 'a string', path);
    return v;
  },
  (v, path) => (encodeCheck(typeof v === 'string', v, 'a string', path), v),
);

/** A String field holding an address; must be non-empty. */
export const addr: Schema<string> = primitive(
  'an address string',
  (v, path) => {
    if (typeof v !== 'string') throw invalidType(v, 'an address string', path);
    if (v === '') throw new CodecError('invalid value: string "", expected a non-empty address', path);
    return v;
  },
  (v, path) => (encodeCheck(typeof v === 'string' && v !== '', v, 'an address string', path), v),
);

export const bool: Schema<boolean> = primitive(
  'a boolean',
  (v, path) => {
    if (typeof v !== 'boolean') throw invalidType(v, 'a boolean', path);
    return v;
  },
  (v, path) => (encodeCheck(typeof v === 'boolean', v, 'a boolean', path), v),
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
  (v, path) => jsonInteger('u64', UINT64_MAX, v, path),
  (v, path) => (encodeCheck(typeof v === 'bigint' && v >= 0n && v <= UINT64_MAX, v, 'u64', path), v),
);

function smallUint(name: string, max: number): Schema<number> {
  return primitive(
    name,
    (v, path) => Number(jsonInteger(name, BigInt(max), v, path)),
    (v, path) => (encodeCheck(Number.isInteger(v) && v >= 0 && v <= max, v, name, path), v),
  );
}
export const u32 = smallUint('u32', 0xffff_ffff);
export const u8 = smallUint('u8', 0xff);

/** Rust `u128::from_str` (used by Uint64/128/256): optional `+`, ASCII digits. */
function parseRustUint(s: string, max: bigint): bigint | string {
  if (s === '') return 'cannot parse integer from empty string';
  if (!/^\+?[0-9]+$/.test(s)) return 'invalid digit found in string';
  const n = BigInt(s.replace(/^\+/, ''));
  return n > max ? 'number too large to fit in target type' : n;
}

function stringUint(type: string, max: bigint): Schema<bigint> {
  const expecting = 'string-encoded integer';
  return primitive(
    expecting,
    (v, path) => {
      if (typeof v !== 'string') throw invalidType(v, expecting, path);
      const r = parseRustUint(v, max);
      if (typeof r === 'string') throw new CodecError(`invalid ${type} '${v}' - ${r}`, path);
      return r;
    },
    (v, path) => (encodeCheck(typeof v === 'bigint' && v >= 0n && v <= max, v, type, path), v.toString()),
  );
}
/** cosmwasm `Uint128`: decimal string → bigint. */
export const uint128 = stringUint('Uint128', UINT128_MAX);
/** cosmwasm `Uint64`: decimal string → bigint. */
export const uint64str = stringUint('Uint64', UINT64_MAX);
export const uint256 = stringUint('Uint256', UINT256_MAX);
/** cosmwasm `Timestamp`: nanoseconds as a decimal string (spec §0.3). */
export const timestamp = uint64str;

/** cosmwasm `Decimal::from_str`, error texts included. */
function parseDecimal(s: string): Decimal | string {
  const parts = s.split('.');
  const whole = parseRustUint(parts[0]!, UINT128_MAX);
  if (typeof whole === 'string') return 'Error parsing whole';
  let atomics = whole * DECIMAL_FRACTIONAL;
  if (atomics > UINT128_MAX) return 'Value too big';
  if (parts.length > 1) {
    const fracText = parts[1]!;
    const frac = parseRustUint(fracText, UINT128_MAX);
    if (typeof frac === 'string') return 'Error parsing fractional';
    if (fracText.length > 18) return 'Cannot parse more than 18 fractional digits';
    atomics += frac * 10n ** BigInt(18 - fracText.length);
    if (atomics > UINT128_MAX) return 'Value too big';
  }
  if (parts.length > 2) return 'Unexpected number of dots';
  return Decimal.fromAtomics(atomics);
}

function decimalSchema(encode: (d: Decimal) => string): Schema<Decimal> {
  const expecting = 'string-encoded decimal';
  return primitive(
    expecting,
    (v, path) => {
      if (typeof v !== 'string') throw invalidType(v, expecting, path);
      const r = parseDecimal(v);
      if (typeof r === 'string') throw new CodecError(`Error parsing decimal '${v}': Generic error: ${r}`, path);
      return r;
    },
    (v, path) => (encodeCheck(v instanceof Decimal, v, 'Decimal', path), encode(v)),
  );
}
/** cosmwasm `Decimal`: encoded without trailing zeros (`"0.1"`), as the contracts write it. */
export const decimal = decimalSchema((d) => d.toString());
/** Decimal written the Go `LegacyDec` way (`"0.100000000000000000"`), for JSON produced by the SDK. */
export const decimal18 = decimalSchema((d) => d.toFixed18());

/** cosmwasm `Binary`: standard base64 with padding, strict (non-canonical encodings rejected). */
export const binary: Schema<Uint8Array> = primitive(
  'valid base64 encoded string',
  (v, path) => {
    if (typeof v !== 'string') throw invalidType(v, 'valid base64 encoded string', path);
    const bytes = fromBase64(v);
    if (!bytes) throw new CodecError(`invalid base64: ${v}`, path);
    return bytes;
  },
  (v, path) => (encodeCheck(v instanceof Uint8Array, v, 'Binary', path), toBase64(v)),
);

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Strict base64 (RFC 4648 §4, padded, canonical); undefined if invalid. */
export function fromBase64(s: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) return undefined; // non-zero trailing bits
  return new Uint8Array(buf);
}

/** One fixed string (a unit-like marker, e.g. the IBC order). */
export function stringEnum<const T extends string>(name: string, values: readonly T[]): Schema<T> {
  return primitive(
    `enum ${name}`,
    (v, path) => {
      if (typeof v !== 'string') throw invalidType(v, `enum ${name}`, path);
      if (!(values as readonly string[]).includes(v)) throw unknownVariant(v, values, path);
      return v as T;
    },
    (v, path) => (encodeCheck((values as readonly string[]).includes(v), v, `enum ${name}`, path), v),
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
  return {
    expecting: 'a sequence',
    decode(v, path = '$') {
      if (!Array.isArray(v)) throw invalidType(v, 'a sequence', path);
      return v.map((x, i) => inner.decode(x, `${path}[${i}]`));
    },
    encode(v, path = '$') {
      encodeCheck(Array.isArray(v), v, 'a sequence', path);
      return v.map((x, i) => inner.encode(x, `${path}[${i}]`));
    },
  };
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
      return items.map((s, i) => s.decode(v[i], `${path}[${i}]`)) as TupleOf<S>;
    },
    encode(v, path = '$') {
      encodeCheck(Array.isArray(v) && v.length === items.length, v, expecting, path);
      return items.map((s, i) => s.encode((v as unknown[])[i], `${path}[${i}]`));
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

const isOptional = (s: Schema<unknown>): s is OptionalSchema<unknown> => (s as Partial<OptionalSchema<unknown>>).optional === true;

function makeStruct<F extends Fields>(expecting: string, fields: F, opts: StructOptions): StructSchema<F> {
  const names = Object.keys(fields);
  return {
    expecting,
    fields,
    decode(v, path = '$') {
      if (!isJsonObject(v)) throw invalidType(v, expecting, path);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        const field = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
        if (!field) {
          if (opts.ignoreUnknown) continue;
          throw unknownField(key, names, path);
        }
        const value = field.decode(v[key], child(path, key));
        if (value !== undefined) setOwn(out, key, value);
      }
      for (const key of names) {
        if (Object.prototype.hasOwnProperty.call(v, key)) continue;
        const field = fields[key]!;
        if (!isOptional(field)) throw new CodecError(`missing field \`${key}\``, path);
        const value = field.absent();
        if (value !== undefined) setOwn(out, key, value);
      }
      return out as StructType<F>;
    },
    encode(v, path = '$') {
      encodeCheck(isJsonObject(v), v, expecting, path);
      const value = v as Record<string, unknown>;
      for (const key of Object.keys(value)) {
        if (!Object.prototype.hasOwnProperty.call(fields, key) && value[key] !== undefined) {
          throw new CodecError(`cannot encode unknown field \`${key}\` of ${expecting}`, path);
        }
      }
      const out: { [key: string]: JsonValue } = {};
      for (const key of names) {
        const field = fields[key]!;
        const fv = value[key];
        if (fv === undefined && !isOptional(field)) throw new CodecError(`cannot encode ${expecting}: missing field \`${key}\``, path);
        setOwn(out, key, field.encode(fv, child(path, key)));
      }
      return out;
    },
  };
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
  const lookup = (k: string) => (Object.prototype.hasOwnProperty.call(variants, k) ? variants[k] : undefined);
  return {
    expecting,
    variants: variants as EnumSchema<V>['variants'],
    decode(v, path = '$') {
      if (typeof v === 'string') {
        const s = lookup(v);
        if (!s) throw unknownVariant(v, names, path);
        throw new CodecError(`invalid type: unit variant, expected ${s.expecting}`, path);
      }
      if (!isJsonObject(v)) throw invalidType(v, expecting, path);
      const keys = Object.keys(v);
      if (keys.length !== 1) throw new CodecError(`invalid length ${keys.length}, expected ${expecting} as a map with a single key`, path);
      const kind = keys[0]!;
      const s = lookup(kind);
      if (!s) throw unknownVariant(kind, names, path);
      return { kind, value: s.decode(v[kind], child(path, kind)) } as EnumType<V>;
    },
    encode(v, path = '$') {
      const s = isJsonObject(v) && typeof v.kind === 'string' ? lookup(v.kind) : undefined;
      if (!s) throw new CodecError(`cannot encode ${isJsonObject(v) ? `variant \`${String(v.kind)}\`` : unexpected(v)} as ${expecting}`, path);
      const out: { [key: string]: JsonValue } = {};
      setOwn(out, v.kind, s.encode(v.value, child(path, v.kind)));
      return out;
    },
  };
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
