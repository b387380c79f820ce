// Price feeds (consumer) — spec §1.7, ms:packages/apis/src/price_feed_api.rs,
// ms:contracts/consumer/{simple,osmosis,band}-price-feed/src/contract.rs.
import { array, coin, decimal, option, str, struct, taggedEnum, u64, u8, uint64str } from './schema.ts';
import type { Infer, Schema } from './schema.ts';

// ---- PriceFeedApi (every feed)
export const QueryMsg = taggedEnum('QueryMsg', { price: {} });
export type QueryMsg = Infer<typeof QueryMsg>;
export const PriceResponse = struct('PriceResponse', { native_per_foreign: decimal });
export type PriceResponse = Infer<typeof PriceResponse>;
/** Triggered by x/meshsecurity after MsgSetPriceFeedContract (spec §3.1). */
export const SudoMsg = taggedEnum('SudoMsg', { handle_epoch: {} });
export type SudoMsg = Infer<typeof SudoMsg>;

export const QUERY_RESPONSES = { price: PriceResponse } as const satisfies Record<QueryMsg['kind'], Schema<any>>;

// ---- simple-price-feed
export const SimpleInstantiateMsg = struct('InstantiateMsg', { native_per_foreign: decimal, owner: option(str) });
export const SimpleExecuteMsg = taggedEnum('ExecMsg', { update_price: { native_per_foreign: decimal } });

// ---- osmosis-price-feed
export const OsmosisTradingPair = struct('TradingPair', { pool_id: u64, base_asset: str, quote_asset: str });
export const OsmosisInstantiateMsg = struct('InstantiateMsg', {
  trading_pair: OsmosisTradingPair,
  epoch_in_secs: u64,
  price_info_ttl_in_secs: u64,
});
export const OsmosisExecuteMsg = taggedEnum('ExecMsg', { request: {} });

// ---- band-price-feed
export const BandTradingPair = struct('TradingPair', { base_asset: str, quote_asset: str });
export const BandInstantiateMsg = struct('InstantiateMsg', {
  trading_pair: BandTradingPair,
  client_id: str,
  oracle_script_id: uint64str,
  ask_count: uint64str,
  min_count: uint64str,
  fee_limit: array(coin),
  prepare_gas: uint64str,
  execute_gas: uint64str,
  minimum_sources: u8,
  epoch_in_secs: u64,
  price_info_ttl_in_secs: u64,
});
export const BandExecuteMsg = OsmosisExecuteMsg;
