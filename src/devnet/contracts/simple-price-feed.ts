// mesh-simple-price-feed (spec §1.7, ms:contracts/consumer/simple-price-feed/src/contract.rs): a
// fixed price set by its owner. PriceFeedApi: query `price{}`, sudo `handle_epoch{}` (no-op).
import type { ContractCode, ContractInstance, Ctx } from '../chain/contract.ts';
import { ContractError, type MessageInfo, ResponseBuilder } from '../chain/types.ts';
import { JItem } from '../state/journal.ts';
import type { Decimal } from '../../protocol/decimal.ts';
import { PriceResponse, SimpleExecuteMsg, SimpleInstantiateMsg, SudoMsg } from '../../protocol/codec/price-feed.ts';
import { str, struct, taggedEnum, decimal } from '../../protocol/codec/schema.ts';
import { CONTRACT_VERSION, nonpayable, parseMsg } from './cw-std.ts';

const CRATE = 'mesh_simple_price_feed';
const QueryMsg = taggedEnum('QueryMsg', { price: {}, config: {} });
const ConfigResponse = struct('ConfigResponse', { owner: str, native_per_foreign: decimal });

interface Config {
  owner: string;
  nativePerForeign: Decimal;
}

class SimplePriceFeed implements ContractInstance {
  constructor(private readonly config: JItem<Config>) {}

  execute(_ctx: Ctx, info: MessageInfo, raw: unknown) {
    const msg = parseMsg(SimpleExecuteMsg, raw, `${CRATE}::contract::sv::ContractExecMsg`);
    // update_price (PR #116 added the funds and owner checks)
    nonpayable(info);
    const cfg = this.config.get();
    if (info.sender !== cfg.owner) throw new ContractError('Unauthorized');
    this.config.set({ ...cfg, nativePerForeign: msg.value.native_per_foreign });
    return new ResponseBuilder();
  }

  query(_ctx: Ctx, raw: unknown): unknown {
    const msg = parseMsg(QueryMsg, raw, `${CRATE}::contract::sv::ContractQueryMsg`);
    const cfg = this.config.get();
    if (msg.kind === 'price') return PriceResponse.encode({ native_per_foreign: cfg.nativePerForeign });
    return ConfigResponse.encode({ owner: cfg.owner, native_per_foreign: cfg.nativePerForeign });
  }

  sudo(_ctx: Ctx, raw: unknown) {
    parseMsg(SudoMsg, raw, `${CRATE}::contract::sv::ContractSudoMsg`);
    return new ResponseBuilder(); // handle_epoch: nothing to do for a fixed price
  }
}

export const simplePriceFeedCode: ContractCode = {
  name: 'mesh-simple-price-feed',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(SimpleInstantiateMsg, raw, `${CRATE}::contract::sv::InstantiateMsg`);
    nonpayable(info);
    const owner = msg.owner !== undefined ? ctx.api.addrValidate(msg.owner) : info.sender;
    const config = new JItem<Config>(ctx.journal, { owner, nativePerForeign: msg.native_per_foreign });
    return { instance: new SimplePriceFeed(config), response: new ResponseBuilder() };
  },
};
