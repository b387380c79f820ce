// abci_query against the live chain, at the latest or a past height (cosmos-wire §1.8, §7):
// CosmWasm smart queries and contract info, bank balances, the x/meshsecurity gRPC queries, and
// `/devnet/module/<module>` (JSON request → JSON answer) for every module query of src/devnet/queries.ts.
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
} from 'cosmjs-types/cosmwasm/wasm/v1/query';
import type { Chain } from '../chain/chain.ts';
import { ModuleError } from '../chain/types.ts';
import { b64 } from '../node/comet-json.ts';
import { toBytes } from '../node/proto-bytes.ts';
import type { BlockStore } from '../node/block-store.ts';
import { QueryVirtualStakingMaxCapLimitRequest, QueryVirtualStakingMaxCapLimitResponse, QueryVirtualStakingMaxCapLimitsResponse } from '../../protocol/proto/mesh.ts';
import { moduleQuery } from '../queries.ts';
import { jsonUtf8, utf8Bytes } from '../chain/utf8.ts';

/** A query that fails inside a successful JSON-RPC response (code ≠ 0, §7). */
class QueryFailure extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    log: string,
  ) {
    super(log);
  }
}

const unknownRequest = (desc: string) => new QueryFailure('sdk', 6, `rpc error: code = Unknown desc = ${desc}: unknown request`);
const invalidRequest = (desc: string) => new QueryFailure('sdk', 18, `rpc error: code = InvalidArgument desc = ${desc}: invalid request`);
const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const msgOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
type Coinish = { denom?: unknown; amount?: unknown } | undefined;
const coin = (c: Coinish) => ({ denom: String(c?.denom ?? ''), amount: String(c?.amount ?? '0') });

type Handler = (chain: Chain, data: Uint8Array) => Uint8Array;

const handlers: Record<string, Handler> = {
  '/cosmwasm.wasm.v1.Query/SmartContractState': (chain, data) => {
    const req = QuerySmartContractStateRequest.decode(data);
    if (!chain.wasm.tryContract(req.address)) throw unknownRequest(`address ${req.address}: no such contract`);
    let msg: unknown;
    try {
      msg = JSON.parse(utf8(req.queryData));
    } catch {
      throw invalidRequest('invalid query data');
    }
    let answer: unknown;
    try {
      answer = chain.query(req.address, msg);
    } catch (e) {
      throw unknownRequest(`${msgOf(e)}: query wasm contract failed`);
    }
    return toBytes(QuerySmartContractStateResponse.encode({ data: jsonUtf8(answer ?? null) }));
  },
  '/cosmwasm.wasm.v1.Query/ContractInfo': (chain, data) => {
    const { address } = QueryContractInfoRequest.decode(data);
    const c = chain.wasm.tryContract(address);
    if (!c) throw new QueryFailure('wasm', 22, `address ${address}: no such contract`);
    return toBytes(
      QueryContractInfoResponse.encode(
        QueryContractInfoResponse.fromPartial({ address, contractInfo: { codeId: BigInt(c.codeId), creator: c.creator, admin: c.admin ?? '', label: c.label } }),
      ),
    );
  },
  '/cosmos.bank.v1beta1.Query/Balance': (chain, data) => {
    const { address, denom } = QueryBalanceRequest.decode(data);
    return toBytes(QueryBalanceResponse.encode({ balance: { denom, amount: chain.bank.balance(address, denom).toString() } }));
  },
  '/cosmos.bank.v1beta1.Query/AllBalances': (chain, data) => {
    const { address } = QueryAllBalancesRequest.decode(data);
    const balances = chain.bank.allBalances(address).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
    return toBytes(QueryAllBalancesResponse.encode(QueryAllBalancesResponse.fromPartial({ balances })));
  },
  '/osmosis.meshsecurity.v1beta1.Query/VirtualStakingMaxCapLimit': (chain, data) => {
    const { address } = QueryVirtualStakingMaxCapLimitRequest.decode(data);
    const r = moduleQuery(chain, 'meshsecurity', { max_cap_limit: { contract: address } }) as { delegated?: Coinish; cap?: Coinish };
    return toBytes(QueryVirtualStakingMaxCapLimitResponse.encode({ delegated: coin(r.delegated), cap: coin(r.cap) }));
  },
  '/osmosis.meshsecurity.v1beta1.Query/VirtualStakingMaxCapLimits': (chain) => {
    const r = moduleQuery(chain, 'meshsecurity', { max_cap_limits: {} }) as { max_cap_infos?: Array<{ contract: string; delegated?: Coinish; cap?: Coinish }> };
    const maxCapInfos = (r.max_cap_infos ?? []).map((i) => ({ contract: i.contract, delegated: coin(i.delegated), cap: coin(i.cap) }));
    return QueryVirtualStakingMaxCapLimitsResponse.encode({ maxCapInfos });
  },
};

export const DEVNET_MODULE_PATH = '/devnet/module/';

function run(chain: Chain, path: string, data: Uint8Array): Uint8Array {
  if (path.startsWith(DEVNET_MODULE_PATH)) {
    let req: unknown;
    try {
      req = data.length === 0 ? {} : JSON.parse(utf8(data));
    } catch {
      throw invalidRequest('request data is not JSON');
    }
    try {
      return jsonUtf8(moduleQuery(chain, path.slice(DEVNET_MODULE_PATH.length), req));
    } catch (e) {
      throw unknownRequest(msgOf(e));
    }
  }
  const h = handlers[path];
  if (!h) throw new QueryFailure('sdk', 6, 'unknown query path: unknown request');
  try {
    return h(chain, data);
  } catch (e) {
    if (e instanceof QueryFailure) throw e;
    if (e instanceof RangeError) throw invalidRequest(`failed to decode request: ${e.message}`);
    throw unknownRequest(msgOf(e));
  }
}

const response = (r: { code: number; codespace: string; log: string; value?: Uint8Array; height: bigint }) =>
  `{"response":${JSON.stringify({ code: r.code, log: r.log, info: '', index: '0', key: null, value: r.value && r.value.length > 0 ? b64(r.value) : null, proofOps: null, height: r.height.toString(), codespace: r.codespace })}}`;

/** The `abci_query` result; failures are ABCI codes inside it, never JSON-RPC errors (§7). */
export function abciQuery(store: BlockStore, path: string, data: Uint8Array, height: bigint | undefined): string {
  const chain = store.chain;
  const latest = chain ? chain.height : store.height;
  const h = height === undefined || height === 0n ? latest : height;
  const fail = (e: QueryFailure) => response({ code: e.code, codespace: e.codespace, log: e.message, height: h });
  if (h < 0n) return fail(new QueryFailure('sdk', 26, 'cannot query with height < 0; please provide a valid height: invalid height'));
  if (h > latest) return fail(new QueryFailure('sdk', 26, 'cannot query with height in the future; please provide a valid height: invalid height'));
  if (!chain) return fail(new QueryFailure('sdk', 6, 'state is not available: this node serves recorded blocks: unknown request'));
  try {
    const value = chain.queryAt(h, () => run(chain, path, data));
    return response({ code: 0, codespace: '', log: '', value, height: h });
  } catch (e) {
    if (e instanceof QueryFailure) return fail(e);
    if (e instanceof ModuleError) return fail(new QueryFailure(e.codespace, e.code, e.message));
    return fail(unknownRequest(msgOf(e)));
  }
}
