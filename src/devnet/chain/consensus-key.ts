// Each validator's consensus key (the ed25519 key CometBFT signs votes with, MsgCreateValidator's
// `pubkey`), derived from the chain and operator so every run has the same keys. Its address, the
// first 20 bytes of SHA-256 of the key, is the validator's consensus address: CometBFT's validator
// address in blocks, and `<prefix>valcons1…` in x/slashing's events.
import { type KeyObject, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { toBech32 } from '@cosmjs/encoding';
import { sha256 } from './address.ts';
import { utf8Bytes } from './utf8.ts';

export interface ConsensusKey {
  /** Upper hex, 20 bytes. */
  address: string;
  pubKey: Uint8Array;
  pubKeyB64: string;
}

/** By chain id and operator: the block store builds the set every block, and a key is costly to derive. */
const keys = new Map<string, ConsensusKey>();
/** Private keys by validator address, for signing votes. */
const signingKeys = new Map<string, KeyObject>();
/** PKCS#8 DER of an ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function consensusKey(chainId: string, operator: string): ConsensusKey {
  const id = `${chainId}/${operator}`;
  let k = keys.get(id);
  if (k === undefined) {
    const seed = sha256(utf8Bytes(`devnet-consensus-key:${chainId}:${operator}`));
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const pubKey = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32));
    k = { address: Buffer.from(sha256(pubKey).subarray(0, 20)).toString('hex').toUpperCase(), pubKey, pubKeyB64: Buffer.from(pubKey).toString('base64') };
    keys.set(id, k);
    signingKeys.set(k.address, privateKey);
  }
  return k;
}

/** The consensus address in bech32 (`sdk.ConsAddress.String()`): `<prefix>valcons1…`. */
export function valconsAddress(prefix: string, chainId: string, operator: string): string {
  return toBech32(`${prefix}valcons`, Buffer.from(consensusKey(chainId, operator).address, 'hex'));
}

/** The ed25519 signature of `message` by the validator with this address (one made by consensusKey). */
export function signAs(address: string, message: Uint8Array): Uint8Array {
  const key = signingKeys.get(address);
  if (!key) throw new Error(`no consensus key for validator ${address}`);
  return new Uint8Array(sign(null, message, key));
}
