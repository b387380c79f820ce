// Price feeds on the consumer (spec §1.7): the simple price feed's price comes only from message
// bodies (the contract emits no attributes, spec §1.0), so the instantiate `native_per_foreign` and
// every `update_price{native_per_foreign}` become Price history rows; the replica keeps the current
// price per feed, which must equal the feed's `price{}` query.
import { DecodeError, requireContractAddress } from '../indexer/decode/attributes.ts';
import { Decimal } from '../protocol/decimal.ts';
import type { Mapping, MappingContext } from './context.ts';

export const PRICE_NS = 'price_feed:price';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `native_per_foreign` of an instantiate or update_price body, normalised as the contract keeps it (Decimal). */
function decimalOf(v: unknown, where: string): string {
  try {
    return Decimal.parse(v).toString();
  } catch (e) {
    throw new DecodeError(`${where}: native_per_foreign is not a decimal: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function record(ctx: MappingContext, feed: string, price: string): void {
  ctx.replica.set(PRICE_NS, feed, price);
  ctx.out.insert('Price', { id: ctx.rowId(), chainId: ctx.chainId, priceFeed: feed, nativePerForeign: price, height: ctx.block.height, time: ctx.block.time, txHash: ctx.tx?.hash ?? null });
}

/**
 * A price feed instantiated: its initial price (simple price feed `{native_per_foreign, owner?}`).
 * Called for the `instantiate` event of a price_feed contract — from the wasm mapping once it has
 * registered the contract (the router resolves the kind before that handler runs), or directly when
 * the contract is configured by address.
 */
export function priceFeedInstantiated(ctx: MappingContext): void {
  const feed = requireContractAddress(ctx.event);
  const body = ctx.msg?.json;
  // Only a top-level MsgInstantiateContract carries the body; osmosis/band feeds have no initial price.
  if (!isObject(body) || !ctx.msg?.typeUrl.endsWith('MsgInstantiateContract') || body.native_per_foreign === undefined) return;
  record(ctx, feed, decimalOf(body.native_per_foreign, 'instantiate'));
}

/** `execute` of a price feed: `{"update_price":{"native_per_foreign":"…"}}` (simple price feed). */
function execute(ctx: MappingContext): void {
  const feed = requireContractAddress(ctx.event);
  const msg = ctx.msg;
  // Only the top-level call carries a body we can read, and only when this event is its contract's.
  if (!msg?.typeUrl.endsWith('MsgExecuteContract') || msg.value?.contract !== feed) return;
  const body = msg.json;
  if (!isObject(body) || !isObject(body.update_price)) return;
  record(ctx, feed, decimalOf(body.update_price.native_per_foreign, 'update_price'));
}

export const priceFeedMapping: Mapping = { source: 'price_feed', handlers: { execute, instantiate: priceFeedInstantiated } };

/** The replicated price of a feed (decimal string), if any. */
export const replicatedPrice = (replica: MappingContext['replica'], feed: string): string | undefined => replica.get<string>(PRICE_NS, feed);
