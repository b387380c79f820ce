// JSON-RPC 2.0 as CometBFT speaks it (cosmos-wire §1.1, §1.3): request validation, error objects,
// typed argument decoding from POST params (object or array) and from GET query strings, and the
// response envelope around pre-serialized results.
import { utf8Bytes } from '../chain/utf8.ts';

export type Id = string | number;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: string,
  ) {
    super(data ? `${rpcMessage}: ${data}` : rpcMessage);
  }
}

export const parseError = (data: string) => new RpcError(-32700, 'Parse error. Invalid JSON', data);
export const invalidRequest = (data: string) => new RpcError(-32600, 'Invalid Request', data);
export const methodNotFound = () => new RpcError(-32601, 'Method not found');
export const invalidParams = (data: string) => new RpcError(-32602, 'Invalid params', data);
/** Every error a route handler returns (height out of range, tx not found, …). */
export const internalError = (data: string) => new RpcError(-32603, 'Internal error', data);

export interface RpcRequest {
  /** Undefined for a notification (no response). */
  id?: Id;
  method: string;
  params?: unknown;
}

function checkId(id: unknown): Id | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'string') return id;
  // types.go idFromInterface (0.37/0.38): the float64 a number decodes to is truncated to an int,
  // 1.3 → 1 (cometbft main rejects fractional ids since #5861, 2026). `+ 0` turns -0 into 0.
  if (typeof id === 'number') return Math.trunc(id) + 0;
  throw parseError(`error unmarshaling request: json-rpc ID (${JSON.stringify(id)}) is of unknown type`);
}

function toRequest(v: unknown): RpcRequest {
  if (v === null) return { method: '' }; // Go unmarshals null into a zero request: a notification
  if (typeof v !== 'object' || Array.isArray(v)) throw parseError(`error unmarshaling request: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type types.RPCRequest`);
  const o = v as Record<string, unknown>;
  if (o.method !== undefined && o.method !== null && typeof o.method !== 'string') throw parseError('error unmarshaling request: json: cannot unmarshal into Go struct field .method of type string');
  if (o.jsonrpc !== undefined && o.jsonrpc !== null && typeof o.jsonrpc !== 'string') throw parseError('error unmarshaling request: json: cannot unmarshal into Go struct field .jsonrpc of type string');
  return { id: checkId(o.id), method: typeof o.method === 'string' ? o.method : '', params: o.params };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (e) {
    throw parseError(`error unmarshaling request: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Body → requests; `batch` tells whether the body was an array. Throws a -32700 RpcError. */
export function parseBody(body: string): { requests: RpcRequest[]; batch: boolean } {
  const v = parseJson(body);
  if (Array.isArray(v)) return { requests: v.map(toRequest), batch: true };
  return { requests: [toRequest(v)], batch: false };
}

/** The anonymous struct RPCRequest.UnmarshalJSON decodes into (types.go), as Go's errors name it. */
const UNSAFE_REQUEST = 'struct { JSONRPC string "json:\\"jsonrpc\\""; ID interface {} "json:\\"id,omitempty\\""; Method string "json:\\"method\\""; Params json.RawMessage "json:\\"params\\"" }';

/** A websocket message: ws_handler.go decodes one request, so an array (a batch) is a parse error. */
export function parseMessage(body: string): RpcRequest {
  const v = parseJson(body);
  if (Array.isArray(v)) throw parseError(`error unmarshaling request: json: cannot unmarshal array into Go value of type ${UNSAFE_REQUEST}`);
  return toRequest(v);
}

// ---- arguments ----

export type ArgType = 'int64' | 'int' | 'string' | 'bytes' | 'hexbytes' | 'bool';
export type ArgSpec = ReadonlyArray<readonly [name: string, type: ArgType]>;
export type ArgValue = bigint | string | Uint8Array | boolean | undefined;
export type Args = Record<string, ArgValue>;

class ArgError extends Error {}

const INT64_MAX = 2n ** 63n - 1n;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go strconv.Quote (`%q`): printable runes as they are, the others escaped. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (NAMED[ch]) out += NAMED[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** encoding/json scanner.go quoteChar, for a byte of the input. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * libs/json decoder.go takes a 64-bit integer from a JSON string by cutting off the quotes and
 * handing the rest to encoding/json: its value, or Go's error text, from scanner.go for a syntax
 * error (at the end of the input the scanner is fed a space) and decode.go for a number that is no
 * int64. Malformed JSON other than a number gets JSON.parse's message, not Go's.
 */
function goInt(s: string, t: 'int64' | 'int'): bigint {
  const b = Buffer.from(s, 'utf8');
  const at = (i: number) => (i < b.length ? b[i]! : 0x20);
  const bad = (i: number, where: string) => new ArgError(`invalid character ${quoteChar(at(i))} ${where}`);
  let i = 0;
  while (isSpace(b[i])) i++;
  if (i === b.length) throw new ArgError('unexpected end of JSON input');
  const start = i;
  if (b[i] === 0x2d || isDigit(b[i])) {
    if (b[i] === 0x2d && !isDigit(b[++i])) throw bad(i, 'in numeric literal');
    if (b[i] === 0x30) i++;
    else while (isDigit(b[i])) i++;
    if (b[i] === 0x2e) {
      if (!isDigit(b[++i])) throw bad(i, 'after decimal point in numeric literal');
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      if (b[++i] === 0x2b || b[i] === 0x2d) i++;
      if (!isDigit(b[i])) throw bad(i, 'in exponent of numeric literal');
      while (isDigit(b[i])) i++;
    }
    const lit = b.toString('latin1', start, i);
    while (isSpace(b[i])) i++;
    if (i < b.length) throw bad(i, 'after top-level value');
    const v = /^-?\d+$/.test(lit) ? BigInt(lit) : undefined;
    if (v === undefined || v > INT64_MAX || v < -INT64_MAX - 1n) throw new ArgError(`json: cannot unmarshal number ${lit} into Go value of type ${t}`);
    return v;
  }
  if (!'{["tfn'.includes(String.fromCharCode(b[i]!))) throw bad(i, 'looking for beginning of value');
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch (e) {
    throw new ArgError(e instanceof Error ? e.message : String(e));
  }
  if (v === null) return 0n; // null leaves the int64 libs/json allocated at zero
  throw new ArgError(`json: cannot unmarshal ${jsType(v)} into Go value of type ${t}`);
}

const INT = /^-?[0-9]+$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const goType: Record<ArgType, string> = { int64: 'int64', int: 'int', string: 'string', bytes: '[]uint8', hexbytes: 'bytes.HexBytes', bool: 'bool' };
/** How Go's encoding/json names a JSON value in its UnmarshalTypeError (`bool`, not JavaScript's `boolean`). */
const jsType = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);
const mismatch = (v: unknown, t: ArgType) => new ArgError(`json: cannot unmarshal ${jsType(v)} into Go value of type ${goType[t]}`);

/** One JSON value → typed arg (libs/json rules: 64-bit ints as strings, []byte base64, HexBytes hex). */
function fromJson(v: unknown, t: ArgType): ArgValue {
  if (v === null || v === undefined) return undefined;
  switch (t) {
    case 'int64':
    case 'int':
      // CometBFT insists on strings; numbers are accepted too (a tolerant simulator, §1.3).
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      if (typeof v !== 'string') throw new ArgError(`invalid 64-bit integer encoding ${goQuote(JSON.stringify(v))}, expected string`);
      return goInt(v, t);
    case 'string':
      if (typeof v !== 'string') throw mismatch(v, t);
      return v;
    case 'bytes':
      if (typeof v !== 'string') throw mismatch(v, t);
      if (!B64.test(v)) throw new ArgError(`illegal base64 data at input byte ${v.length}`);
      return new Uint8Array(Buffer.from(v, 'base64'));
    case 'hexbytes':
      if (typeof v !== 'string') throw mismatch(v, t);
      if (!HEX.test(v)) throw new ArgError(`invalid hex string: encoding/hex: invalid byte or odd length in ${JSON.stringify(v)}`);
      return new Uint8Array(Buffer.from(v, 'hex'));
    case 'bool':
      if (typeof v !== 'boolean') throw mismatch(v, t);
      return v;
  }
}

/** POST params (object keyed by name, or array in argument order) → args; throws -32602. */
export function argsFromParams(spec: ArgSpec, params: unknown): Args {
  const args: Args = {};
  try {
    if (params === undefined || params === null) return args;
    if (Array.isArray(params)) {
      if (params.length !== spec.length) {
        throw new ArgError(`expected ${spec.length} parameters ([${spec.map(([n]) => n).join(' ')}]), got ${params.length} (${JSON.stringify(params)})`);
      }
      spec.forEach(([name, t], i) => (args[name] = fromJson(params[i], t)));
      return args;
    }
    if (typeof params !== 'object') throw new ArgError(`unknown type for JSON params: json: cannot unmarshal ${jsType(params)} into Go value of type []json.RawMessage. Expected map or array`);
    const o = params as Record<string, unknown>;
    for (const [name, t] of spec) args[name] = fromJson(o[name], t);
    return args;
  } catch (e) {
    if (e instanceof ArgError) throw invalidParams(`error converting json params to arguments: ${e.message}`);
    throw e;
  }
}

/** GET `/method?arg=…` values (http_uri_handler.go: bare ints, "quoted" strings, 0x hex). */
export function argsFromQuery(spec: ArgSpec, q: URLSearchParams): Args {
  const args: Args = {};
  try {
    for (const [name, t] of spec) {
      const raw = q.get(name);
      if (raw === null || raw === '') continue;
      const isHex = raw.toLowerCase().startsWith('0x');
      const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
      if ((t === 'int64' || t === 'int') && INT.test(raw)) {
        args[name] = goInt(raw, t);
      } else if (isHex) {
        if (t !== 'string' && t !== 'bytes' && t !== 'hexbytes') throw new ArgError(`got a hex string arg, but expected '${t}'`); // the parameter's reflect.Kind: int64, int or bool
        const hex = raw.slice(2);
        if (!HEX.test(hex)) throw new ArgError('encoding/hex: invalid byte or odd length');
        const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
        args[name] = t === 'string' ? Buffer.from(bytes).toString('utf8') : bytes;
      } else if (quoted && (t === 'bytes' || t === 'hexbytes')) {
        args[name] = utf8Bytes(JSON.parse(raw) as string);
      } else if (t === 'int64' || t === 'int') {
        // anything else goes to libs/json as it is: only a "quoted" value is a 64-bit integer
        if (raw === 'null') continue;
        if (!quoted) throw new ArgError(`invalid 64-bit integer encoding ${goQuote(raw)}, expected string`);
        args[name] = goInt(raw.slice(1, -1), t);
      } else {
        let v: unknown;
        try {
          v = JSON.parse(raw);
        } catch {
          throw new ArgError(`invalid character ${JSON.stringify(raw[0])} looking for beginning of value`);
        }
        args[name] = fromJson(v, t);
      }
    }
    return args;
  } catch (e) {
    if (e instanceof ArgError) throw invalidParams(`error converting http params to arguments: ${e.message}`);
    throw e;
  }
}

// ---- responses ----

const idJson = (id: Id | undefined): string => (id === undefined ? '' : `"id":${typeof id === 'number' ? String(id) : JSON.stringify(id)},`);

/** A response as chunks: cached result buffers are written as they are, never copied. */
export type Chunks = Buffer[];
const CLOSE = Buffer.from('}');

/** `{"jsonrpc":"2.0","id":…,"result":<result>}` around an already serialized result. */
export function successEnvelope(id: Id, result: string | Buffer): Chunks {
  const head = `{"jsonrpc":"2.0",${idJson(id)}"result":`;
  if (typeof result === 'string') return [Buffer.from(`${head}${result}}`)];
  return [Buffer.from(head), result, CLOSE];
}

/** Error response; `id` omitted when unknown (Go `omitempty` on a nil id, e.g. parse errors). */
export function errorEnvelope(id: Id | undefined, e: RpcError): Chunks {
  const err = e.data ? { code: e.code, message: e.rpcMessage, data: e.data } : { code: e.code, message: e.rpcMessage };
  return [Buffer.from(`{"jsonrpc":"2.0",${idJson(id)}"error":${JSON.stringify(err)}}`)];
}
