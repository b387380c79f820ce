// Test kit for the chain modules (bank, staking, distribution, slashing) built on a bare Journal:
// named accounts and operators under one prefix, a start time, and events read as records.
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { accountAddress } from './address.ts';
import { type Event, nsPerSecond } from './types.ts';

export const PREFIX = 'wasm';
export const T0 = 1_700_000_000n * nsPerSecond;
export const acc = (name: string): string => accountAddress(PREFIX, name);
export const valoper = (name: string): string => toBech32(`${PREFIX}valoper`, fromBech32(acc(name), 1023).data);
/** An event's attributes as `{key: value}` (the last value wins for a repeated key). */
export const attrs = (e: Event): Record<string, string> => Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
