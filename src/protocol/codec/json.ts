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
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        return this.fail('EOF while parsing a value');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        return this.fail('expected value');
    }
  }

  literal<T extends JsonValue>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail('expected ident');
  }

  number(): JsonValue {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) return this.fail('invalid number');
    this.i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return new JsonFloat(m[0]);
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  }

  string(): string {
    const s = this.s;
    let out = '';
    let start = ++this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('EOF while parsing a string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i++);
        return out;
      }
      if (c < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      const e = s[this.i + 1];
      this.i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': out += this.unicodeEscape(); break;
        default: this.fail('invalid escape', this.i - 1);
      }
      start = this.i;
    }
  }

  hex4(): number {
    const h = this.s.slice(this.i, this.i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid escape');
    this.i += 4;
    return parseInt(h, 16);
  }

  // Lone surrogates are rejected as serde_json does (a Rust String cannot hold them).
  unicodeEscape(): string {
    const hi = this.hex4();
    if (hi >= 0xdc00 && hi <= 0xdfff) this.fail('lone leading surrogate in hex escape');
    if (hi < 0xd800 || hi > 0xdbff) return String.fromCharCode(hi);
    if (this.s[this.i] !== '\\' || this.s[this.i + 1] !== 'u') this.fail('unexpected end of hex escape');
    this.i += 2;
    const lo = this.hex4();
    if (lo < 0xdc00 || lo > 0xdfff) this.fail('lone leading surrogate in hex escape');
    return String.fromCharCode(hi, lo);
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') return this.i++, out;
    for (;;) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail(c === undefined ? 'EOF while parsing a list' : 'expected `,` or `]`', this.i - 1);
    }
  }

  object(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return this.i++, out;
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail(this.i >= this.s.length ? 'EOF while parsing an object' : 'key must be a string');
      const keyAt = this.i;
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail('expected `:`', this.i - 1);
      this.ws();
      const v = this.value(depth + 1);
      if (Object.prototype.hasOwnProperty.call(out, key) && this.dup === 'error') {
        this.i = keyAt;
        this.fail(`duplicate field \`${key}\``);
      }
      setOwn(out, key, v);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail(c === undefined ? 'EOF while parsing an object' : 'expected `,` or `}`', this.i - 1);
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
      return JSON.stringify(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return JSON.stringify(v);
  }
  if (v instanceof JsonFloat) return v.text;
  if (Array.isArray(v)) return `[${v.map(stringifyJson).join(',')}]`;
  return `{${Object.keys(v)
    .map((k) => `${JSON.stringify(k)}:${stringifyJson(v[k]!)}`)
    .join(',')}}`;
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
