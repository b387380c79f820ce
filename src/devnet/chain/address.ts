// Keys and bech32 addresses derived the way a Cosmos SDK chain does, so devnet data looks real:
// each named account has a deterministic secp256k1-shaped public key, and its address is
// ripemd160(sha256(pubkey)) as for `/cosmos.crypto.secp256k1.PubKey`.
import { createHash } from 'node:crypto';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { utf8Bytes } from './utf8.ts';

/** bech32 strings longer than BIP-173's 90 chars (32-byte contract addresses) need a limit. */
const BECH32_LIMIT = 1023;

const hash = (alg: 'sha256' | 'ripemd160', ...parts: Uint8Array[]): Uint8Array => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

export const sha256 = (...parts: Uint8Array[]): Uint8Array => hash('sha256', ...parts);

/** A deterministic compressed public key for a named devnet account (not a real curve point: nothing verifies signatures). */
export function accountPubKey(name: string): Uint8Array {
  const k = new Uint8Array(33);
  k[0] = 0x02;
  k.set(hash('sha256', utf8Bytes(`mesh-devnet/key/${name}`)), 1);
  return k;
}

export function pubKeyAddressBytes(pubKey: Uint8Array): Uint8Array {
  return hash('ripemd160', hash('sha256', pubKey));
}

export function accountAddress(prefix: string, name: string): string {
  return toBech32(prefix, pubKeyAddressBytes(accountPubKey(name)));
}

export function valoperAddress(prefix: string, name: string): string {
  return toBech32(`${prefix}valoper`, pubKeyAddressBytes(accountPubKey(name)));
}

/** SDK address.Module(name, key) = sha256(sha256("module") ‖ name ‖ 0x00 ‖ key). */
export function moduleAddressBytes(name: string, k: Uint8Array = new Uint8Array()): Uint8Array {
  return hash('sha256', hash('sha256', utf8Bytes('module')), utf8Bytes(name), new Uint8Array([0]), k);
}

/** Module account address (authtypes.NewModuleAddress = first 20 bytes of sha256(name)). */
export function moduleAccountAddress(prefix: string, name: string): string {
  return toBech32(prefix, hash('sha256', utf8Bytes(name)).slice(0, 20));
}

/** wasmd BuildContractAddressClassic: Module("wasm", code_id BE8 ‖ instance_id BE8), 32 bytes. */
export function contractAddress(prefix: string, codeId: bigint, instanceId: bigint): string {
  const k = new Uint8Array(16);
  const dv = new DataView(k.buffer);
  dv.setBigUint64(0, codeId);
  dv.setBigUint64(8, instanceId);
  return toBech32(prefix, moduleAddressBytes('wasm', k), BECH32_LIMIT);
}

/**
 * Per-address caches, since a chain decodes, re-encodes and hex-prints the same few thousand addresses
 * over and over (bech32's checksum is costly). Bounded: cleared when full. Failures are not cached.
 */
const CACHE_MAX = 100_000;

function cached<T>(cache: Map<string, T>, k: string, make: () => T): T {
  let v = cache.get(k);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(k, v);
  }
  return v;
}

const decoded = new Map<string, { prefix: string; data: Uint8Array }>();
const hexes = new Map<string, string>();
const reencoded = new Map<string, string>();

/** The prefix and account bytes of a bech32 address; throws on a bad one. Callers must not mutate `data`. */
export function decodeAddress(address: string): { prefix: string; data: Uint8Array } {
  return cached(decoded, address, () => fromBech32(address, BECH32_LIMIT));
}

/** The account bytes of a bech32 address in lower-case hex (how the mesh modules key their stores). */
export function addressHex(address: string): string {
  return cached(hexes, address, () => Buffer.from(decodeAddress(address).data).toString('hex'));
}

/** The same account bytes under another chain's prefix. */
export function reencodeAddress(address: string, prefix: string): string {
  return cached(reencoded, `${prefix}/${address}`, () => toBech32(prefix, decodeAddress(address).data, BECH32_LIMIT));
}

/** Validates a bech32 address with the expected prefix (CosmWasm addr_validate). */
export function validateAddress(address: string, prefix: string): boolean {
  try {
    return decodeAddress(address).prefix === prefix && address === address.toLowerCase();
  } catch {
    return false;
  }
}
