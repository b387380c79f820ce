// Strict JSON codecs for Mesh Security packets, acks and contract/module messages (spec §0.3, §1–§3).
export * from './schema.ts';
export * from './packets.ts';
export * from './acks.ts';
export * from './common.ts';
export * as vault from './vault.ts';
export * as nativeStaking from './native-staking.ts';
export * as nativeStakingProxy from './native-staking-proxy.ts';
export * as externalStaking from './external-staking.ts';
export * as converter from './converter.ts';
export * as virtualStaking from './virtual-staking.ts';
export * as priceFeed from './price-feed.ts';
export * as chain from './chain-msgs.ts';
