// The CometBFT RPC routes (cosmos-wire §1.3–§1.10): argument lists, cacheability, and handlers that
// return serialized JSON results — straight from the BlockStore's cache for block, block_results,
// blockchain metas and tx. Handler errors are RpcErrors (-32603 with CometBFT's texts).
import { consensusParamsJson, b64, hexUpper, rfc3339Nano, sha256 } from '../node/comet-json.ts';
import type { BlockStore } from '../node/block-store.ts';
import { QueryParseError, parseQuery } from '../node/event-query.ts';
import { type RenderedTx, commitJson } from '../node/render.ts';
import { provenTxJson } from '../node/tx-proof.ts';
import { pubKeyJson } from '../node/validators.ts';
import { abciQuery } from './abci-query.ts';
import { type ArgSpec, type Args, internalError } from './jsonrpc.ts';
import { jsonUtf8, utf8Bytes } from '../chain/utf8.ts';

export interface RouteContext {
  store: BlockStore;
  /** `tcp://host:port` of this server, for status.node_info.other.rpc_address. */
  rpcAddress: string;
}

export interface Route {
  args: ArgSpec;
  handler: (ctx: RouteContext, a: Args) => string | Buffer;
  /** Cache-Control: public, max-age=86400 (§1.1). */
  cacheable?: (a: Args) => boolean;
  /** Websocket-only (subscribe…): "Method not found" over HTTP. */
  wsOnly?: boolean;
}

const EMPTY_BLOCK_ID = '{"hash":"","parts":{"total":0,"hash":""}}';
const always = () => true;
const withHeight = (a: Args) => typeof a.height === 'bigint' && a.height !== 0n;

/** rpc/core/env.go getHeight; validators/consensus_params allow the next (uncommitted) height. */
function resolveHeight(store: BlockStore, h: bigint | undefined, uncommitted = false): bigint {
  const latest = uncommitted && store.height > 0n ? store.height + 1n : store.height;
  if (h === undefined) return latest;
  if (h <= 0n) throw internalError(`height must be greater than 0, but got ${h}`);
  if (h > latest) throw internalError(`height ${h} must be less than or equal to the current blockchain height ${latest}`);
  if (h < store.base) throw internalError(`height ${h} is not available, lowest height is ${store.base}`);
  return h;
}

const DEFAULT_PER_PAGE = 30n;
const MAX_PER_PAGE = 100n;

/** rpc/core/env.go validatePerPage / validatePage. */
function paginate<T>(items: T[], pageArg: unknown, perPageArg: unknown): T[] {
  let perPage = typeof perPageArg === 'bigint' ? perPageArg : DEFAULT_PER_PAGE;
  if (perPage < 1n) perPage = DEFAULT_PER_PAGE;
  if (perPage > MAX_PER_PAGE) perPage = MAX_PER_PAGE;
  const total = BigInt(items.length);
  const pages = total === 0n ? 1n : (total - 1n) / perPage + 1n;
  const page = typeof pageArg === 'bigint' ? pageArg : 1n;
  if (page <= 0n || page > pages) throw internalError(`page should be within [1, ${pages}] range, given ${page}`);
  const start = Number((page - 1n) * perPage);
  return items.slice(start, start + Number(perPage));
}

function orderBy(v: unknown): 'asc' | 'desc' {
  if (v === undefined || v === '' || v === 'asc') return 'asc';
  if (v === 'desc') return 'desc';
  throw internalError("expected order_by to be either `asc` or `desc` or empty");
}

function query(v: unknown) {
  try {
    return parseQuery(typeof v === 'string' ? v : '');
  } catch (e) {
    if (e instanceof QueryParseError) throw internalError(e.message);
    throw e;
  }
}

const hexArg = (v: unknown) => (v instanceof Uint8Array ? hexUpper(v) : '');

function status({ store, rpcAddress }: RouteContext): string {
  const latest = store.latest();
  // rpc/core/status.go: the earliest_* fields come from the block meta at the store's base height
  const first = store.at(store.base);
  const val = store.valsetAt(store.height)[0];
  const nodeId = Buffer.from(sha256(utf8Bytes(`devnet-node:${store.chainId}`)).slice(0, 20)).toString('hex');
  return JSON.stringify({
    node_info: {
      protocol_version: { p2p: '8', block: '11', app: '0' },
      id: nodeId,
      listen_addr: 'tcp://127.0.0.1:26656',
      network: store.chainId,
      version: store.nodeVersion,
      channels: '40202122233038606100',
      moniker: store.moniker,
      other: { tx_index: 'on', rpc_address: rpcAddress },
    },
    sync_info: {
      latest_block_hash: latest?.hash ?? '',
      latest_app_hash: hexUpper(latest?.headerAppHash ?? store.genesisAppHash),
      latest_block_height: store.height.toString(),
      latest_block_time: rfc3339Nano(latest?.time ?? store.genesisTime),
      earliest_block_hash: first?.hash ?? '',
      earliest_app_hash: hexUpper(first?.headerAppHash ?? store.genesisAppHash),
      earliest_block_height: store.base.toString(),
      earliest_block_time: rfc3339Nano(first?.time ?? store.genesisTime),
      catching_up: false,
    },
    validator_info: val
      ? { address: val.address, pub_key: pubKeyJson(val), voting_power: val.power.toString() }
      : { address: '', pub_key: { type: 'tendermint/PubKeyEd25519', value: '' }, voting_power: '0' },
  });
}

function genesisDoc(store: BlockStore) {
  return {
    genesis_time: rfc3339Nano(store.genesisTime),
    chain_id: store.chainId,
    initial_height: '1',
    consensus_params: consensusParamsJson(store.version, true),
    validators: store.genesisValset.map((v) => ({ address: v.address, pub_key: pubKeyJson(v), power: v.power.toString(), name: v.operator })),
    app_hash: '',
    app_state: {},
  };
}

const readOnly = () => {
  throw internalError('this devnet node is read-only: txs come from the devnet workload');
};

export const ROUTES: Record<string, Route> = {
  health: { args: [], handler: () => '{}' },
  status: { args: [], handler: status },
  net_info: { args: [], handler: () => '{"listening":true,"listeners":["Listener(@tcp://127.0.0.1:26656)"],"n_peers":"0","peers":[]}' },
  genesis: { args: [], handler: ({ store }) => JSON.stringify({ genesis: genesisDoc(store) }), cacheable: always },
  genesis_chunked: {
    args: [['chunk', 'int']],
    handler: ({ store }, a) => {
      if (a.chunk !== undefined && a.chunk !== 0n) throw internalError(`there are 1 chunks, ${a.chunk} is invalid`);
      return JSON.stringify({ chunk: '0', total: '1', data: b64(jsonUtf8(genesisDoc(store))) });
    },
  },
  abci_info: {
    args: [],
    cacheable: always,
    handler: ({ store }) => {
      const latest = store.latest();
      const r: Record<string, string> = { data: 'wasmd', version: store.appVersion };
      if (latest) Object.assign(r, { last_block_height: latest.height.toString(), last_block_app_hash: b64(latest.appHash) });
      return JSON.stringify({ response: r });
    },
  },
  abci_query: {
    args: [['path', 'string'], ['data', 'hexbytes'], ['height', 'int64'], ['prove', 'bool']],
    handler: ({ store }, a) => abciQuery(store, (a.path as string | undefined) ?? '', (a.data as Uint8Array | undefined) ?? new Uint8Array(), a.height as bigint | undefined),
  },
  block: {
    args: [['height', 'int64']],
    cacheable: withHeight,
    handler: ({ store }, a) => {
      const b = store.at(resolveHeight(store, a.height as bigint | undefined));
      return b ? b.blockBuf : `{"block_id":${EMPTY_BLOCK_ID},"block":null}`;
    },
  },
  block_by_hash: {
    args: [['hash', 'bytes']],
    cacheable: always,
    handler: ({ store }, a) => store.byHash(hexArg(a.hash))?.blockBuf ?? `{"block_id":${EMPTY_BLOCK_ID},"block":null}`,
  },
  block_results: {
    args: [['height', 'int64']],
    cacheable: withHeight,
    handler: ({ store }, a) => {
      const h = resolveHeight(store, a.height as bigint | undefined);
      const b = store.at(h);
      if (!b) throw internalError(`could not find results for height #${h}`);
      return b.resultsBuf;
    },
  },
  header: {
    args: [['height', 'int64']],
    cacheable: withHeight,
    handler: ({ store }, a) => `{"header":${store.at(resolveHeight(store, a.height as bigint | undefined))?.headerJson ?? 'null'}}`,
  },
  header_by_hash: { args: [['hash', 'bytes']], cacheable: always, handler: ({ store }, a) => `{"header":${store.byHash(hexArg(a.hash))?.headerJson ?? 'null'}}` },
  commit: {
    args: [['height', 'int64']],
    cacheable: withHeight,
    handler: ({ store }, a) => {
      const h = resolveHeight(store, a.height as bigint | undefined);
      const b = store.at(h);
      if (!b) throw internalError(`height ${h} is not available`);
      const next = store.at(h + 1n);
      const time = next?.time ?? b.time + store.source.blockTimeNs;
      return `{"signed_header":{"header":${b.headerJson},"commit":${commitJson(b, time, store.chainId)}},"canonical":${next !== undefined}}`;
    },
  },
  blockchain: {
    args: [['minHeight', 'int64'], ['maxHeight', 'int64']],
    cacheable: always,
    handler: ({ store }, a) => {
      // rpc/core/blocks.go filterMinMax, at most 20 metas, highest first (§1.7).
      let min = (a.minHeight as bigint | undefined) ?? 0n;
      let max = (a.maxHeight as bigint | undefined) ?? 0n;
      if (min < 0n || max < 0n) throw internalError('heights must be non-negative');
      if (min === 0n) min = 1n;
      if (max === 0n || max > store.height) max = store.height;
      if (min < store.base) min = store.base;
      if (min < max - 19n) min = max - 19n;
      if (min > max) throw internalError(`min height ${min} can't be greater than max height ${max}`);
      const metas: string[] = [];
      for (let h = max; h >= min; h--) metas.push(store.at(h)!.metaJson);
      return `{"last_height":"${store.height}","block_metas":[${metas.join(',')}]}`;
    },
  },
  validators: {
    args: [['height', 'int64'], ['page', 'int'], ['per_page', 'int']],
    cacheable: withHeight,
    handler: ({ store }, a) => {
      const h = resolveHeight(store, a.height as bigint | undefined, true);
      const set = h > store.height ? (store.latest()?.valsetAfter ?? store.genesisValset) : store.valsetAt(h);
      const page = paginate(set, a.page, a.per_page);
      const vals = page.map((v) => ({ address: v.address, pub_key: pubKeyJson(v), voting_power: v.power.toString(), proposer_priority: '0' }));
      return JSON.stringify({ block_height: h.toString(), validators: vals, count: String(vals.length), total: String(set.length) });
    },
  },
  consensus_params: {
    args: [['height', 'int64']],
    cacheable: withHeight,
    handler: ({ store }, a) => JSON.stringify({ block_height: resolveHeight(store, a.height as bigint | undefined, true).toString(), consensus_params: consensusParamsJson(store.version, true) }),
  },
  tx: {
    args: [['hash', 'bytes'], ['prove', 'bool']],
    cacheable: always,
    handler: ({ store }, a) => {
      const hash = hexArg(a.hash);
      // state/txindex/indexer.go ErrorEmptyHash, from the kv indexer's Get
      if (hash === '') throw internalError('transaction hash cannot be empty');
      const t = store.tx(hash);
      if (!t) throw internalError(`tx (${hash}) not found`);
      return a.prove === true ? provenTxJson(store.at(t.height), t) : t.txJson;
    },
  },
  tx_search: {
    args: [['query', 'string'], ['prove', 'bool'], ['page', 'int'], ['per_page', 'int'], ['order_by', 'string']],
    handler: ({ store }, a) => {
      const found = store.searchTxs(query(a.query));
      if (orderBy(a.order_by) === 'desc') found.reverse();
      const json = a.prove === true ? (t: RenderedTx) => provenTxJson(store.at(t.height), t) : (t: RenderedTx) => t.txJson;
      return `{"txs":[${paginate(found, a.page, a.per_page).map(json).join(',')}],"total_count":"${found.length}"}`;
    },
  },
  block_search: {
    args: [['query', 'string'], ['page', 'int'], ['per_page', 'int'], ['order_by', 'string']],
    handler: ({ store }, a) => {
      const found = store.searchBlocks(query(a.query));
      if (orderBy(a.order_by) === 'desc') found.reverse();
      return `{"blocks":[${paginate(found, a.page, a.per_page).map((b) => b.blockBuf.toString()).join(',')}],"total_count":"${found.length}"}`;
    },
  },
  num_unconfirmed_txs: { args: [], handler: () => '{"n_txs":"0","total":"0","total_bytes":"0","txs":null}' },
  unconfirmed_txs: { args: [['limit', 'int']], handler: () => '{"n_txs":"0","total":"0","total_bytes":"0","txs":[]}' },
  broadcast_tx_sync: { args: [['tx', 'bytes']], handler: readOnly },
  broadcast_tx_async: { args: [['tx', 'bytes']], handler: readOnly },
  broadcast_tx_commit: { args: [['tx', 'bytes']], handler: readOnly },
  check_tx: { args: [['tx', 'bytes']], handler: readOnly },
  subscribe: { args: [['query', 'string']], handler: readOnly, wsOnly: true },
  unsubscribe: { args: [['query', 'string']], handler: readOnly, wsOnly: true },
  unsubscribe_all: { args: [], handler: readOnly, wsOnly: true },
};
