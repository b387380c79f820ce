// Errors of the RPC layer, classified so the transport knows what to retry (cosmjs itself throws
// plain Errors with JSON text; our transport replaces it, so every failure arrives here typed).

export type RpcErrorKind =
  /** Connection refused/reset, socket hang-up, DNS: retried, counts against the endpoint. */
  | 'network'
  /** No complete answer within the per-request timeout: retried. */
  | 'timeout'
  /** HTTP status without a JSON-RPC answer (5xx, 429, …): retried when 5xx/408/429. */
  | 'http'
  /** Body is not JSON (truncated, HTML from a proxy) or not a JSON-RPC envelope: retried. */
  | 'bad-response'
  /** JSON-RPC error from the node (e.g. results not saved yet): retried. */
  | 'rpc'
  /** JSON-RPC error the same request will always get (invalid params, unknown method): not retried. */
  | 'invalid-request'
  /** The height is above the node's tip: reported, not retried (the caller waits for the tip). */
  | 'above-tip'
  /** The height is below the node's base (pruned): other endpoints are tried, then reported. */
  | 'pruned'
  /** The call was aborted by its signal or by closing the client. */
  | 'aborted';

const RETRYABLE: ReadonlySet<RpcErrorKind> = new Set(['network', 'timeout', 'http', 'bad-response', 'rpc']);

export class RpcError extends Error {
  override readonly name: string = 'RpcError';
  readonly retryable: boolean;
  constructor(
    readonly kind: RpcErrorKind,
    message: string,
    readonly info: { endpoint?: string; method?: string; status?: number; code?: number; cause?: unknown } = {},
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.retryable = RETRYABLE.has(kind) && !(kind === 'http' && info.status !== undefined && !retryableStatus(info.status));
  }
}

/** `height H must be less than or equal to the current blockchain height T` (cosmos-wire §1.1). */
export class HeightAboveTipError extends RpcError {
  override readonly name = 'HeightAboveTipError';
  constructor(
    readonly height: number,
    readonly tip: number,
    info: RpcError['info'] = {},
  ) {
    super('above-tip', `height ${height} is above the node's tip ${tip}${info.endpoint ? ` (${info.endpoint})` : ''}`, info);
  }
}

/** `height H is not available, lowest height is B` on every endpoint. */
export class HeightPrunedError extends RpcError {
  override readonly name = 'HeightPrunedError';
  constructor(
    readonly height: number,
    readonly base: number,
    info: RpcError['info'] = {},
  ) {
    super('pruned', `height ${height} is pruned, lowest available height is ${base}${info.endpoint ? ` (${info.endpoint})` : ''}`, info);
  }
}

/** Every attempt failed; `last` is the final error. */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
  constructor(
    readonly method: string,
    readonly attempts: number,
    readonly last: RpcError,
  ) {
    super(`${method}: giving up after ${attempts} attempts: ${last.message}`, { cause: last });
  }
}

/** Startup: the node is not the chain we were configured for, or runs a CometBFT we do not read. */
export class ChainMismatchError extends Error {
  override readonly name = 'ChainMismatchError';
}
export class UnsupportedNodeVersionError extends Error {
  override readonly name = 'UnsupportedNodeVersionError';
}

const retryableStatus = (s: number): boolean => s >= 500 || s === 408 || s === 429;

const RPC_FATAL_CODES = new Set([-32600, -32601, -32602, -32700]);

/** Classifies a JSON-RPC `error` object (cosmos-wire §1.1 error texts). */
export function rpcErrorFrom(err: { code?: unknown; message?: unknown; data?: unknown }, info: RpcError['info']): RpcError {
  const text = [err.message, err.data].filter((s) => typeof s === 'string' && s !== '').join(': ');
  const code = typeof err.code === 'number' ? err.code : undefined;
  const above = /height (\d+) must be less than or equal to the current blockchain height (\d+)/.exec(text);
  if (above) return new HeightAboveTipError(Number(above[1]), Number(above[2]), { ...info, code });
  const pruned = /height (\d+) is not available, lowest height is (\d+)/.exec(text);
  if (pruned) return new HeightPrunedError(Number(pruned[1]), Number(pruned[2]), { ...info, code });
  const kind = code !== undefined && RPC_FATAL_CODES.has(code) ? 'invalid-request' : 'rpc';
  return new RpcError(kind, `${info.method ?? 'rpc'}: ${text || 'JSON-RPC error'}${code !== undefined ? ` (code ${code})` : ''}${info.endpoint ? ` (${info.endpoint})` : ''}`, { ...info, code });
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Anything thrown while talking to an endpoint, as an RpcError. */
export function classify(e: unknown, info: RpcError['info']): RpcError {
  if (e instanceof RpcError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  const msg = err?.message ?? String(e);
  if (err?.name === 'AbortError') return new RpcError('aborted', `${info.method ?? 'rpc'}: aborted`, { ...info, cause: e });
  if (err?.code && NETWORK_CODES.has(err.code)) return new RpcError('network', `${info.method ?? 'rpc'}: ${err.code}${info.endpoint ? ` (${info.endpoint})` : ''}`, { ...info, cause: e });
  if (/socket hang up|aborted|closed/i.test(msg)) return new RpcError('network', `${info.method ?? 'rpc'}: ${msg}${info.endpoint ? ` (${info.endpoint})` : ''}`, { ...info, cause: e });
  if (e instanceof SyntaxError) return new RpcError('bad-response', `${info.method ?? 'rpc'}: unparsable JSON: ${msg}${info.endpoint ? ` (${info.endpoint})` : ''}`, { ...info, cause: e });
  return new RpcError('network', `${info.method ?? 'rpc'}: ${msg}${info.endpoint ? ` (${info.endpoint})` : ''}`, { ...info, cause: e });
}

/** True when the node connection itself is gone (mark the endpoint down at once). */
export const isConnectFailure = (e: RpcError): boolean => {
  const code = (e.info.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EAI_AGAIN';
};
