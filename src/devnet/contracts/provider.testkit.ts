// Test kit for the provider contracts (vault, native staking, its proxies) on one Chain: the chain's
// parameters and the small helpers their tests share.
import type { ChainParams } from '../chain/chain.ts';
import { nsPerSecond } from '../chain/types.ts';

export { attrs } from '../chain/modules.testkit.ts';
export { jsonBase64 as b64 } from '../chain/utf8.ts';

export const M = 1_000_000n;

/** A provider chain `provider-1` (prefix `mesh`, bond denom `stake`, 5 s blocks), with overrides. */
export const providerParams = (over: Partial<ChainParams> = {}): ChainParams => ({
  chainId: 'provider-1',
  prefix: 'mesh',
  bondDenom: 'stake',
  unbondingTimeSec: 1_814_400n,
  maxValidators: 10,
  slashFractionDowntime: '0.1',
  slashFractionDoubleSign: '0.1',
  downtimeJailDurationSec: 600n,
  blockTimeNs: 5n * nsPerSecond,
  ...over,
});

/** A `stake` coin as contract messages carry it. */
export const coin = (amount: bigint) => ({ denom: 'stake', amount: amount.toString() });

/** assert.throws matcher: the error's message is exactly `text`. */
export const msgIs = (text: string) => (e: unknown) => (e as Error).message === text;
