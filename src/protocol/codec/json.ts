// Lossless JSON text ⇄ value, for the codecs (spec §0.3: u64 fields such as tx_id are JSON numbers
// that may exceed 2^53, e.g. 9223372036854775808, so JSON.parse cannot be used).
//
// parseJson maps integers to `number` when safe and to `bigint` otherwise; literals with a fraction or
// exponent become `JsonFloat` (kept as text) so that u64 decoders can reject `1.0` like serde does.
// stringifyJson writes compact JSON with object keys in insertion order, as serde_json / serde-json-wasm do.

export class JsonFloat {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
  toJSON(): number {
    return this.value;
  }
}

export type JsonValue = null | boolean | number | bigint | string | JsonFloat | JsonValue[] | { [key: string]: JsonValue };

/** Errors of the codec layer; `reason` is the serde-like text, `path` where it happened. */
export class CodecError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string = '$',
  ) {
    super(path === '$' || path === '' ? reason : `${reason} at ${path}`);
    this.name = 'CodecError';
  }
}

export interface ParseOptions {
  /** 'error' (default): a repeated key fails like serde's `duplicate field`; 'last': last one wins (Go). */
  duplicateKeys?: 'error' | 'last';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses JSON text (or UTF-8 bytes) strictly per RFC 8259, keeping integer precision. */
export function parseJson(input: string | Uint8Array, opts: ParseOptions = {}): JsonValue {
  let text: string;
  try {
    text = typeof input === 'string' ? input : utf8.decode(input);
  } catch {
    throw new CodecError('invalid UTF-8', '');
  }
  const p = new Parser(text, opts.duplicateKeys ?? 'error');
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail('trailing characters');
  return v;
}

const MAX_DEPTH = 128; // serde_json's recursion limit
// A number literal is read from at most this many characters (longer ones end there, as before).
const NUMBER_WINDOW = 400;
// Up to 15 digits an integer accumulates exactly in a double (10^15 < 2^53).
const EXACT_DIGITS = 15;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Value of a hex digit, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20; // ASCII lower case
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

// Character codes compared with charCodeAt (NaN past the end matches none of them).
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly dup: 'error' | 'last',
  ) {}

  fail(reason: string, at = this.i): never {
    let line = 1;
    let col = 0;
    for (let k = 0; k < at && k < this.s.length; k++) {
      if (this.s[k] === '\n') (line++, (col = 0));
      else col++;
    }
    throw new CodecError(`${reason} at line ${line} column ${col + 1}`, '');
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('recursion limit exceeded');
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b: // {
        return this.object(depth);
      case 0x5b: // [
        return this.array(depth);
      case QUOTE:
        return this.string();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === MINUS || isDigit(c)) return this.number();
        return this.fail(this.i >= this.s.length ? 'EOF while parsing a value' : 'expected value');
    }
  }

  literal<T extends JsonValue>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail('expected ident');
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, matched within NUMBER_WINDOW characters. */
  number(): JsonValue {
    const s = this.s;
    const start = this.i;
    const end = Math.min(s.length, start + NUMBER_WINDOW);
    let k = start;
    const negative = s.charCodeAt(k) === MINUS;
    if (negative) k++;
    if (k >= end || !isDigit(s.charCodeAt(k))) return this.fail('invalid number');
    const digitsAt = k;
    let n = 0;
    if (s.charCodeAt(k) === 0x30) k++;
    else {
      for (; k < end; k++) {
        const c = s.charCodeAt(k);
        if (!isDigit(c)) break;
        n = n * 10 + (c - 0x30);
      }
    }
    const intEnd = k;
    if (k + 1 < end && s.charCodeAt(k) === 0x2e && isDigit(s.charCodeAt(k + 1))) {
      for (k += 2; k < end && isDigit(s.charCodeAt(k)); k++);
    }
    const e = s.charCodeAt(k);
    if ((e === 0x65 || e === 0x45) && k + 1 < end) {
      let m = k + 1;
      const sign = s.charCodeAt(m);
      if (sign === 0x2b || sign === MINUS) m++;
      if (m < end && isDigit(s.charCodeAt(m))) {
        for (m++; m < end && isDigit(s.charCodeAt(m)); m++);
        k = m;
      }
    }
    this.i = k;
    if (k !== intEnd) return new JsonFloat(s.slice(start, k));
    if (intEnd - digitsAt <= EXACT_DIGITS) return negative ? -n : n;
    const text = s.slice(start, k);
    const v = Number(text);
    return Number.isSafeInteger(v) ? v : BigInt(text);
  }

  string(): string {
    const s = this.s;
    let out = '';
    let start = ++this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('EOF while parsing a string');
      const c = s.charCodeAt(this.i);
      if (c === QUOTE) {
        out += s.slice(start, this.i++);
        return out;
      }
      if (c < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c !== BACKSLASH) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      const e = s.charCodeAt(this.i + 1);
      this.i += 2;
      switch (e) {
        case QUOTE: out += '"'; break;
        case BACKSLASH: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: out += this.unicodeEscape(); break;
        default: this.fail('invalid escape', this.i - 1);
      }
      start = this.i;
    }
  }

  hex4(): number {
    const s = this.s;
    let v = 0;
    for (let k = this.i; k < this.i + 4; k++) {
      const h = hexValue(s.charCodeAt(k));
      if (h < 0) this.fail('invalid escape');
      v = (v << 4) | h;
    }
    this.i += 4;
    return v;
  }

  // Lone surrogates are rejected as serde_json does (a Rust String cannot hold them).
  unicodeEscape(): string {
    const hi = this.hex4();
    if (hi >= 0xdc00 && hi <= 0xdfff) this.fail('lone leading surrogate in hex escape');
    if (hi < 0xd800 || hi > 0xdbff) return String.fromCharCode(hi);
    if (this.s.charCodeAt(this.i) !== BACKSLASH || this.s.charCodeAt(this.i + 1) !== 0x75) this.fail('unexpected end of hex escape');
    this.i += 2;
    const lo = this.hex4();
    if (lo < 0xdc00 || lo > 0xdfff) this.fail('lone leading surrogate in hex escape');
    return String.fromCharCode(hi, lo);
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) return this.i++, out;
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x5d) return out;
      if (c !== COMMA) this.fail(this.i > this.s.length ? 'EOF while parsing a list' : 'expected `,` or `]`', this.i - 1);
    }
  }

  object(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) return this.i++, out;
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== QUOTE) this.fail(this.i >= this.s.length ? 'EOF while parsing an object' : 'key must be a string');
      const keyAt = this.i;
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i++) !== COLON) this.fail('expected `:`', this.i - 1);
      this.ws();
      const v = this.value(depth + 1);
      if (this.dup === 'error' && Object.prototype.hasOwnProperty.call(out, key)) {
        this.i = keyAt;
        this.fail(`duplicate field \`${key}\``);
      }
      setOwn(out, key, v);
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === 0x7d) return out;
      if (c !== COMMA) this.fail(this.i > this.s.length ? 'EOF while parsing an object' : 'expected `,` or `}`', this.i - 1);
    }
  }
}

/** Assigns an own enumerable property, also for the key `__proto__`. */
export function setOwn(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** Compact JSON, keys in insertion order; bigint as plain digits (the u64 wire form, spec §0.3). */
export function stringifyJson(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new CodecError(`cannot encode non-finite number ${v}`);
      return String(v); // what JSON.stringify writes for a finite number
    case 'bigint':
      return v.toString();
    case 'string':
      return quote(v);
  }
  if (v instanceof JsonFloat) return v.text;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      const x = v[i];
      // a hole is written as nothing, as `map().join()` did
      if (x !== undefined || i in v) out += stringifyJson(x!);
    }
    return out + ']';
  }
  let out = '{';
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ',';
    out += quote(k) + ':' + stringifyJson(v[k]!);
  }
  return out + '}';
}

/** JSON.stringify of a string; a string needing no escape is just wrapped in quotes. */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // control characters, `"`, `\`, surrogates (a lone one is escaped by JSON.stringify)
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * Go `encoding/json` output as used by ibc-go / the SDK modules: keys sorted, and `<`, `>`, `&`,
 * U+2028, U+2029 escaped as `\u003c`…; control characters other than \n \r \t as `\u00XX`
 * (Go < 1.22 behaviour, which the v7/v8 chains are built with).
 */
export function stringifyGoJson(v: JsonValue): string {
  if (typeof v === 'string') return goQuote(v);
  if (v === null || typeof v !== 'object' || v instanceof JsonFloat) return stringifyJson(v);
  if (Array.isArray(v)) return `[${v.map(stringifyGoJson).join(',')}]`;
  return `{${Object.keys(v)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${goQuote(k)}:${stringifyGoJson(v[k]!)}`)
    .join(',')}}`;
}

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += ch;
  }
  return out + '"';
}
