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
  if (typeof id === 'number') {
    if (!Number.isFinite(id) || !Number.isInteger(id)) throw parseError(`error unmarshaling request: json-rpc ID must be a whole number, got ${id}`);
    return id;
  }
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

/** Body → requests; `batch` tells whether the body was an array. Throws a -32700 RpcError. */
export function parseBody(body: string): { requests: RpcRequest[]; batch: boolean } {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw parseError(`error unmarshaling request: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (Array.isArray(v)) return { requests: v.map(toRequest), batch: true };
  return { requests: [toRequest(v)], batch: false };
}

// ---- arguments ----

export type ArgType = 'int64' | 'int' | 'string' | 'bytes' | 'hexbytes' | 'bool';
export type ArgSpec = ReadonlyArray<readonly [name: string, type: ArgType]>;
export type ArgValue = bigint | string | Uint8Array | boolean | undefined;
export type Args = Record<string, ArgValue>;

class ArgError extends Error {}

const INT64_MAX = 2n ** 63n - 1n;
function int64(s: string): bigint {
  const v = BigInt(s);
  if (v > INT64_MAX || v < -INT64_MAX - 1n) throw new ArgError(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

const INT = /^-?[0-9]+$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const goType: Record<ArgType, string> = { int64: 'int64', int: 'int', string: 'string', bytes: '[]uint8', hexbytes: 'bytes.HexBytes', bool: 'bool' };
const jsType = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v);
const mismatch = (v: unknown, t: ArgType) => new ArgError(`json: cannot unmarshal ${jsType(v)} into Go value of type ${goType[t]}`);

/** One JSON value → typed arg (libs/json rules: 64-bit ints as strings, []byte base64, HexBytes hex). */
function fromJson(v: unknown, t: ArgType): ArgValue {
  if (v === null || v === undefined) return undefined;
  switch (t) {
    case 'int64':
    case 'int':
      // CometBFT insists on strings; numbers are accepted too (a tolerant simulator, §1.3).
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      if (typeof v !== 'string') throw new ArgError(`invalid 64-bit integer encoding ${JSON.stringify(v)}, expected string`);
      if (!INT.test(v)) throw new ArgError(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
      return int64(v);
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
        args[name] = int64(raw);
      } else if (isHex) {
        if (t !== 'string' && t !== 'bytes' && t !== 'hexbytes') throw new ArgError(`got a hex string arg, but expected '${t === 'bool' ? 'bool' : 'int64'}'`);
        const hex = raw.slice(2);
        if (!HEX.test(hex)) throw new ArgError('encoding/hex: invalid byte or odd length');
        const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
        args[name] = t === 'string' ? Buffer.from(bytes).toString('utf8') : bytes;
      } else if (quoted && (t === 'bytes' || t === 'hexbytes')) {
        args[name] = utf8Bytes(JSON.parse(raw) as string);
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
