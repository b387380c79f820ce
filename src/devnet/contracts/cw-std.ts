// cosmwasm-std and cw-utils as the devnet contracts use them: decoding a message the way the contract's
// serde would (with wasmd's parse error text), the wire form of query answers, funds checks, NotFound,
// the instantiate reply, WasmMsg::Execute, page limits, protocol errors as contract errors, and the
// contracts' cw2 version.
import { ContractPanic } from '../../protocol/uint.ts';
import { parseJson, type JsonValue } from '../../protocol/codec/json.ts';
import { CodecError, type Schema, encodeJson } from '../../protocol/codec/schema.ts';
import type { Reply } from '../chain/contract.ts';
import { type Coin, ContractError, type CosmosMsg, ModuleError, type MessageInfo } from '../chain/types.ts';
import { utf8Bytes } from '../chain/utf8.ts';

/** cw2 version of the mesh contracts. */
export const CONTRACT_VERSION = '0.10.0-alpha.1';

const DEFAULT_PAGE_LIMIT = 10;
const MAX_PAGE_LIMIT = 30;

/** Decodes a message like the contract's serde would; errors read like wasmd's parse error. */
export function parseMsg<T>(schema: Schema<T>, msg: unknown, typeName: string): T {
  try {
    const json = msg instanceof Uint8Array ? parseJson(msg) : msg;
    return schema.decode(json);
  } catch (e) {
    if (e instanceof CodecError) throw new ContractError(`Error parsing into type ${typeName}: ${e.reason}`);
    throw e;
  }
}

/** Wire form of a query answer: u64 as JSON numbers (bigint only above 2^53). */
export function wire(v: JsonValue): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(wire);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = wire(x as JsonValue);
    return out;
  }
  return v;
}

export const encode = <T>(schema: Schema<T>, v: T): unknown => wire(schema.encode(v));

/** JSON bytes of a value written by a contract (`to_json_binary`). */
export const jsonBytes = <T>(schema: Schema<T>, v: T): Uint8Array => utf8Bytes(encodeJson(schema, v));

/** cw_utils::nonpayable */
export function nonpayable(info: MessageInfo): void {
  if (info.funds.length > 0) throw new ContractError('This message does no accept funds');
}

/** cw_utils::must_pay: exactly one non-zero coin of `denom`. */
export function mustPay(info: MessageInfo, denom: string): bigint {
  const [c] = info.funds;
  if (info.funds.length === 0 || (info.funds.length === 1 && c!.amount === 0n)) throw new ContractError('No funds sent');
  if (info.funds.length > 1) throw new ContractError('Sent more than one denomination');
  if (c!.denom !== denom) throw new ContractError(`Must send reserve token '${denom}'`);
  return c!.amount;
}

/** StdError::NotFound as cosmwasm-std displays it. */
export const notFound = (kind: string): ContractError => new ContractError(`${kind} not found`);

/** parse_instantiate_response_data: the new contract's address and its instantiate data. */
export function instantiateReply(reply: Reply): { address: string; data?: Uint8Array } {
  if (!('ok' in reply.result)) throw new ContractError(`Failure response from sub-message: ${reply.result.err}`);
  const ev = reply.result.ok.events.find((e) => e.type === 'instantiate');
  const address = ev?.attributes.find((a) => a.key === '_contract_address')?.value;
  if (!address) throw new ContractError('Invalid reply from sub-message: Missing instantiate data');
  const data = reply.result.ok.data;
  return { address, data: data && data.length > 0 ? data : undefined };
}

export const wasmExecute = (contract: string, msg: unknown, funds: Coin[] = []): CosmosMsg => ({ kind: 'wasm_execute', contract, msg, funds });

/** clamp_page_limit: upstream takes max(limit, 30), so a page is never smaller than 30 (spec §7 Q17). */
export const clampPageLimit = (limit?: number): number => Math.max(limit ?? DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT);

/** Protocol errors (vault accounting, ranges) surface as contract errors with the same text; panics stay panics. */
export function contractErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ContractError || e instanceof ModuleError || e instanceof ContractPanic || !(e instanceof Error)) throw e;
    throw new ContractError(e.message);
  }
}
