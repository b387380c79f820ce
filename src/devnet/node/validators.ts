// The CometBFT view of a chain's bonded set: the validators' consensus keys (chain/consensus-key.ts),
// voting power, proposer choice and the set's hash.
import type { Chain } from '../chain/chain.ts';
import { consensusKey } from '../chain/consensus-key.ts';
import { validatorSetHash } from './comet-hash.ts';
import { hexUpper, sha256 } from './comet-json.ts';
import { utf8Bytes } from '../chain/utf8.ts';

export interface CometValidator {
  operator: string;
  /** Upper hex, 20 bytes. */
  address: string;
  pubKey: Uint8Array;
  pubKeyB64: string;
  power: bigint;
}

export function cometValidator(chainId: string, operator: string, power: bigint): CometValidator {
  return { operator, ...consensusKey(chainId, operator), power };
}

/** Reads `fn` against the state after block `height` (Chain.queryAt), or the latest state for the tip. */
export function readAt<T>(chain: Chain, height: bigint, fn: () => T): T {
  return height < chain.height ? chain.queryAt(height, fn) : fn();
}

export interface ValidatorPower {
  operator: string;
  power: bigint;
}

/** A chain's bonded set with the power CometBFT has (set in the last EndBlock). */
export function chainValidators(chain: Chain): ValidatorPower[] {
  const staking = chain.staking;
  return staking.bondedValidators().map((v) => ({ operator: v.operator, power: staking.lastPower(v.operator) ?? staking.power(v.operator) }));
}

/** The set as CometBFT orders it: power descending, then address (cosmos-wire §1.9). */
export function cometSet(chainId: string, vals: ValidatorPower[]): CometValidator[] {
  return vals
    .filter((v) => v.power > 0n)
    .map((v) => cometValidator(chainId, v.operator, v.power))
    .sort((a, b) => (a.power !== b.power ? (a.power > b.power ? -1 : 1) : a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

export function sameSet(a: CometValidator[], b: CometValidator[]): boolean {
  return a.length === b.length && a.every((v, i) => v.address === b[i]!.address && v.power === b[i]!.power);
}

/** Weighted round robin: each validator proposes in proportion to its power. */
export function proposerOf(set: CometValidator[], height: bigint, chainId: string): string {
  const total = set.reduce((s, v) => s + v.power, 0n);
  if (total === 0n) return hexUpper(sha256(utf8Bytes(`devnet-proposer:${chainId}`)).slice(0, 20));
  let slot = (height * 7919n) % total;
  for (const v of set) {
    if (slot < v.power) return v.address;
    slot -= v.power;
  }
  return set[0]!.address;
}

/**
 * CometBFT's validators_hash of the set (comet-hash.ts). The block store passes the same array while
 * the set is unchanged, so each set is hashed once.
 */
const setHashes = new WeakMap<CometValidator[], Uint8Array>();

export function validatorsHash(set: CometValidator[]): Uint8Array {
  let h = setHashes.get(set);
  if (h === undefined) setHashes.set(set, (h = validatorSetHash(set)));
  return h;
}

export const pubKeyJson = (v: CometValidator) => ({ type: 'tendermint/PubKeyEd25519', value: v.pubKeyB64 });

/** `validator_updates` entries between two sets (§1.6: proto PublicKey renders with the `Sum` wrapper). */
export function validatorUpdates(before: CometValidator[], after: CometValidator[]) {
  const prev = new Map(before.map((v) => [v.address, v]));
  const next = new Map(after.map((v) => [v.address, v]));
  const out: Array<{ pub_key: unknown; power: string }> = [];
  const entry = (v: CometValidator, power: bigint) => ({
    pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: v.pubKeyB64 } } },
    power: power.toString(),
  });
  for (const v of after) if (prev.get(v.address)?.power !== v.power) out.push(entry(v, v.power));
  for (const v of before) if (!next.has(v.address)) out.push(entry(v, 0n));
  return out.length > 0 ? out : null;
}
