// The errors ibc-go's core returns for IBC messages, with their registered codespaces and codes
// (04-channel, 03-connection, 05-port and 23-commitment types/errors.go). As errorsmod wraps them, each
// message ends with the error's description.
import { ContractError, ModuleError } from '../chain/types.ts';
import { rfc3339Nano } from '../node/comet-json.ts';

export const channelNotFound = (port: string, channel: string) => new ModuleError('channel', 3, `port ID (${port}) channel ID (${channel}): channel not found`);
export const invalidChannelState = (why: string) => new ModuleError('channel', 5, `${why}: invalid channel state`);
export const invalidPacket = (why: string) => new ModuleError('channel', 13, `${why}: invalid packet`);
export const packetTimeout = (why: string) => new ModuleError('channel', 14, `${why}: packet timeout`);
export const connectionNotFound = (id: string) => new ModuleError('connection', 3, `${id}: connection not found`);
/**
 * What ibc-go's msg server gives first for a message naming a channel this chain never created: it
 * looks the module up by the channel's capability (x/capability ErrCapabilityNotFound, code 7).
 */
export const channelCapabilityNotFound = (port: string, channel: string) =>
  new ModuleError('capability', 7, `could not retrieve module from port-id: capabilities/ports/${port}/channels/${channel}: capability not found`);
/** ibc-go core's ErrUnpackAny (modules/core/errors), e.g. a MsgUpdateClient without a client message. */
export const unpackAny = (why: string) => new ModuleError('ibc', 14, `${why}: failed unpacking protobuf message from Any`);
/** What a failed membership proof gives; the devnet's proofs are empty and its light client reads the counterparty. */
export const invalidProof = (why: string) => new ModuleError('commitment', 2, `${why}: invalid proof`);

/** Runs `fn`, prefixing a module error it throws as errorsmod.Wrap does (code and codespace kept). */
export function wrapped<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModuleError) throw new ModuleError(e.codespace, e.code, `${prefix}: ${e.message}`);
    throw e;
  }
}

/** ibc-go's msg server prefixes a failed packet verification (core/keeper/msg_server.go). */
export function wrapVerification(what: string, fn: () => void): void {
  wrapped(`${what} packet verification failed`, fn);
}

export type HandshakeStep = 'open init' | 'open try' | 'open ack' | 'open confirm' | 'close init' | 'close confirm';

/** …and what the channel keeper refuses in a handshake step ("channel handshake open ack failed: …"). */
export function wrapHandshake<T>(step: HandshakeStep, fn: () => T): T {
  return wrapped(`channel handshake ${step} failed`, fn);
}

/** …and what the app's handshake callback refuses, a contract's error as wasmd's ErrExecuteFailed. */
export function channelCallback<T>(step: HandshakeStep, port: string, channel: string, fn: () => T): T {
  return callbackFailed(`channel ${step} callback failed for port ID: ${port}, channel ID: ${channel}`, fn);
}

/**
 * An ack or timeout callback's error as ibc-go's msg server and wasmd's IBC handler wrap it ("acknowledge
 * packet callback failed: on ack: …"); a contract error keeps wasmd's ErrExecuteFailed (wasm 5). A VM
 * panic is not wrapped: it aborts the tx as it is.
 */
export function callbackFailed<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ModuleError) throw new ModuleError(e.codespace, e.code, `${prefix}: ${e.message}`);
    if (e instanceof ContractError) throw new ModuleError('wasm', 5, `${prefix}: ${e.message}: execute wasm contract failed`);
    throw e;
  }
}

/** Go's time.Time String() in UTC ("2026-01-01 00:00:05.5 +0000 UTC"), as ibc-go prints times in errors. */
export const goTime = (ns: bigint): string => rfc3339Nano(ns).replace('T', ' ').replace(/Z$/, ' +0000 UTC');

/** The port's module has no IBC route: `wasm` for a contract port that names no contract. */
export const routeNotFound = (module: string) => new ModuleError('port', 5, `route not found to module: ${module}: route not found`);
