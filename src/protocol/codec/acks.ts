// Acknowledgements (spec §2.3, cosmos-wire.md §4.3). The JSON is the same for the contracts' AckWrapper
// and ibc-go's channel Acknowledgement: `{"result":"<base64>"}` or `{"error":"<text>"}`. Contracts
// write it with serde (fields as given); ibc-go/wasmd write it with Go (keys sorted, `<>&` escaped).
import { binary, decodeJson, encodeJson, str, stringifyGoJson, struct, taggedEnum, toBase64 } from './schema.ts';
import type { Infer } from './schema.ts';

export const AckWrapper = taggedEnum('AckWrapper', { result: binary, error: str });
export type Ack = Infer<typeof AckWrapper>;

/** StakeAck, UnstakeAck, TransferRewardsAck, ValsetUpdateAck, DistributeAck, PriceFeedAck: all `{}`. */
export const EmptyAck = struct('StakeAck', {});

const EMPTY_OBJECT = new TextEncoder().encode('{}');

/** Every success ack on the control channel (spec §2.3): base64 of `{}`. */
export const SUCCESS_ACK_JSON = '{"result":"e30="}';

/** `ack_success(data)` as a contract writes it; `payload` is the JSON bytes of the ack struct. */
export function successAck(payload: Uint8Array = EMPTY_OBJECT): string {
  return encodeJson(AckWrapper, { kind: 'result', value: payload });
}

/** `ack_fail(err)` as a contract writes it (band-price-feed, spec §2.8). */
export function errorAck(message: string): string {
  return encodeJson(AckWrapper, { kind: 'error', value: message });
}

/** ibc-go `Acknowledgement.Acknowledgement()` bytes: Go JSON with sorted keys (cosmos-wire.md §4.3). */
export function encodeIbcGoAck(ack: Ack): string {
  return stringifyGoJson(ack.kind === 'result' ? { result: toBase64(ack.value) } : { error: ack.value });
}

/**
 * Redacted error ack of ibc-go `NewErrorAcknowledgement` (v7/v8) or, with a codespace,
 * `NewErrorAcknowledgementWithCodespace` (ibc-go v8.3+, wasmd v0.53+) — spec §0.2, cosmos-wire.md §4.3.
 */
export function ibcGoErrorAck(abciCode: number, codespace?: string): string {
  const head = codespace === undefined ? `ABCI code: ${abciCode}` : `ABCI error: ${codespace}/${abciCode}`;
  return encodeIbcGoAck({ kind: 'error', value: `${head}: error handling packet: see events for details` });
}

/** Decodes ack bytes (e.g. `write_acknowledgement.packet_ack_hex` decoded) or text. */
export function decodeAck(data: string | Uint8Array): Ack {
  return decodeJson(AckWrapper, data);
}

/** True for a result ack whose payload is the empty ack struct `{}` (the only success on the channel). */
export function isEmptySuccessAck(ack: Ack): boolean {
  if (ack.kind !== 'result') return false;
  try {
    decodeJson(EmptyAck, ack.value);
    return true;
  } catch {
    return false;
  }
}
