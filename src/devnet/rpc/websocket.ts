// `/websocket`: every RPC method, plus subscribe/unsubscribe/unsubscribe_all with CometBFT's event
// pushes (tm.event = NewBlock, NewBlockHeader, Tx) sent with the subscribe request's id.
import type { WebSocket } from 'ws';
import type { Event } from '../chain/types.ts';
import type { BlockStore } from '../node/block-store.ts';
import { blockEventsText, type CometVersion } from '../node/comet-json.ts';
import { type Condition, type EventsMap, keySplits, matchesMap, parseQuery } from '../node/event-query.ts';
import type { RenderedBlock, RenderedTx } from '../node/render.ts';
import { handleRequest, routeArgs } from './dispatch.ts';
import { type Id, RpcError, errorEnvelope, internalError, parseMessage, successEnvelope } from './jsonrpc.ts';
import { ROUTES, type RouteContext } from './routes.ts';

/** CometBFT's default `max_subscriptions_per_client`. */
const MAX_SUBSCRIPTIONS = 5;

interface Subscription {
  id: Id;
  query: string;
  conds: Condition[];
}

/**
 * types/event_bus.go validateAndStringifyEvents: `type.key` → values (events without a type and
 * attributes without a key are left out), then the predefined keys appended (tm.event, tx.hash, …).
 */
function eventsMap(events: Event[], builtins: Array<[string, string]>): EventsMap {
  const m: EventsMap = new Map();
  for (const e of events) {
    if (e.type === '') continue;
    for (const a of e.attributes) {
      if (a.key === '') continue;
      const k = `${e.type}.${a.key}`;
      const vs = m.get(k);
      if (vs) vs.push(a.value);
      else m.set(k, [a.value]);
    }
  }
  for (const [k, v] of builtins) m.set(k, [...(m.get(k) ?? []), v]);
  return m;
}

/*
 * The ABCI responses in block pushes are the app's own objects (wasmd runs in process), encoded by
 * libs/json, which honours the gogoproto json tags but drops an `omitempty` field only when it is nil
 * (encoder.go). What the SDK returns decides: a list it makes is `[]` when empty, one it appends to
 * from nil is left out. block_results, read back from the state store, has nulls instead.
 */
const list = (json: string): string => (json === 'null' ? '[]' : json);

/**
 * 0.38 ResponseFinalizeBlock (baseapp/abci.go internalFinalizeBlock): events appended to a nil list
 * (left out when none), tx_results made (`[]`), validator_updates from the module manager's EndBlock
 * (`[]`), consensus params and the app hash always set.
 */
function finalizeBlockJson(b: RenderedBlock): string {
  const events = [...b.beginEvents, ...b.endEvents];
  const parts: string[] = [];
  if (events.length > 0) parts.push(`"events":${blockEventsText(events)}`);
  parts.push(`"tx_results":${b.txs.length > 0 ? b.txsResultsJson : '[]'}`, `"validator_updates":${list(b.validatorUpdatesJson)}`);
  if (b.consensusUpdatesJson !== 'null') parts.push(`"consensus_param_updates":${b.consensusUpdatesJson}`);
  if (b.appHash.length > 0) parts.push(`"app_hash":"${Buffer.from(b.appHash).toString('base64')}"`);
  return `{${parts.join(',')}}`;
}

/**
 * 0.37 ResponseBeginBlock and ResponseEndBlock (baseapp/abci.go, types/module/module.go): events go
 * through MarkEventsToIndex, which makes a list (`[]` when none); validator_updates start as `[]`.
 */
function beginEndBlockJson(b: RenderedBlock): string {
  let end = `"validator_updates":${list(b.validatorUpdatesJson)}`;
  if (b.consensusUpdatesJson !== 'null') end += `,"consensus_param_updates":${b.consensusUpdatesJson}`;
  end += `,"events":${blockEventsText(b.endEvents, '[]')}`;
  return `"result_begin_block":{"events":${blockEventsText(b.beginEvents, '[]')}},"result_end_block":{${end}}`;
}

/** One event a block publishes: its `data.value` and its events map, each built once, on first use. */
interface Push {
  type: 'NewBlock' | 'NewBlockHeader' | 'Tx';
  value: () => string;
  events: () => EventsMap;
  eventsJson: () => string;
  /** False when a condition can be seen to fail without building the events map (a tx's are parsed from its result). */
  mayMatch?: (conds: Condition[]) => boolean;
}

function lazy<T>(f: () => T): () => T {
  let v: { value: T } | undefined;
  return () => (v ??= { value: f() }).value;
}

function push(type: Push['type'], value: () => string, events: () => EventsMap, mayMatch?: Push['mayMatch']): Push {
  const ev = lazy(events);
  return { type, value: lazy(value), events: ev, eventsJson: lazy(() => JSON.stringify(Object.fromEntries(ev()))), mayMatch };
}

/**
 * What one new block publishes (state/execution.go fireEvents → types/event_bus.go). 0.38: NewBlock
 * carries the finalize-block events, NewBlockHeader only tm.event (Publish with the type alone).
 * 0.37: both carry the begin- and end-block events. Tx: the tx's events, tx.hash and tx.height.
 * No push has a `block.height` key (that one exists only in the block indexer).
 */
function blockPushes(b: RenderedBlock, version: CometVersion): Push[] {
  const blockEvents = [...b.beginEvents, ...b.endEvents];
  const h = b.height.toString();
  const pushes =
    version === '0.38'
      ? [
          push('NewBlock', () => `{"block":${b.blockInnerJson},"block_id":${b.blockIdJson},"result_finalize_block":${finalizeBlockJson(b)}}`, () => eventsMap(blockEvents, [['tm.event', 'NewBlock']])),
          push('NewBlockHeader', () => `{"header":${b.headerJson}}`, () => eventsMap([], [['tm.event', 'NewBlockHeader']])),
        ]
      : [
          push('NewBlock', () => `{"block":${b.blockInnerJson},${beginEndBlockJson(b)}}`, () => eventsMap(blockEvents, [['tm.event', 'NewBlock']])),
          // EventDataNewBlockHeader (types/events.go): num_txs is an int64, so a string in libs/json
          push('NewBlockHeader', () => `{"header":${b.headerJson},"num_txs":"${b.txs.length}",${beginEndBlockJson(b)}}`, () => eventsMap(blockEvents, [['tm.event', 'NewBlockHeader']])),
        ];
  for (const t of b.txs) pushes.push(txPush(t, h));
  return pushes;
}

/** A tx result as the stored `tx_result` (jsonpb) has it. */
interface JsonpbTxResult {
  code: number;
  data?: string;
  log: string;
  info: string;
  gas_wanted: string;
  gas_used: string;
  events: Array<{ type: string; attributes: Array<{ key: string; value: string; index?: boolean }> }>;
  codespace: string;
}

/** The fields of `o` that are not a Go zero value (libs/json: `omitempty` and IsZero). */
function nonZero(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === 0 || v === '' || v === false || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * EventDataTx's value as a push carries it. The TxResult sits by value behind the event interface, so
 * libs/json (encoder.go) cannot reach ExecTxResult's pointer-receiver MarshalJSON (jsonpb, defaults
 * emitted, as the `tx` route and block pushes give) and encodes the structs by their gogoproto json
 * tags: every omitempty zero value is left out, e.g. `index` of a block's first tx, `code` of a
 * success, an empty `log`, an attribute's empty `value` or false `index`. cosmjs reads both forms.
 */
function txPushValue(t: RenderedTx, h: string): string {
  const r = JSON.parse(t.resultJson) as JsonpbTxResult;
  const events = r.events.map((e) => nonZero({ type: e.type, attributes: e.attributes.map((a) => nonZero({ key: a.key, value: a.value, index: a.index })) }));
  // int64s are strings in both encodings: "0" is a zero only where the field is a number
  const int64 = (v: string) => (v === '0' ? undefined : v);
  const result = nonZero({ code: r.code, data: r.data, log: r.log, info: r.info, gas_wanted: int64(r.gas_wanted), gas_used: int64(r.gas_used), events, codespace: r.codespace });
  return JSON.stringify({ TxResult: nonZero({ height: h, index: t.index, tx: Buffer.from(t.bytes).toString('base64'), result }) });
}

function txPush(t: RenderedTx, h: string): Push {
  const builtins: Array<[string, string]> = [['tm.event', 'Tx'], ['tx.hash', t.hash], ['tx.height', h]];
  const builtinMap: EventsMap = new Map(builtins.map(([k, v]) => [k, [v]]));
  // Without parsing the tx's events: a condition holds on a builtin value, or needs an event of its
  // key's type, whose `"type":…` the stored result then contains.
  const mentions = (key: string) => keySplits(key).some(([type]) => t.contains(Buffer.from(`"type":${JSON.stringify(type)}`)));
  return push(
    'Tx',
    () => txPushValue(t, h),
    () => eventsMap(t.events, builtins),
    (conds) => conds.every((c) => matchesMap([c], builtinMap) || mentions(c.key)),
  );
}

/** The pushes one new block produces for one subscription, as JSON-RPC messages. */
function pushesFor(sub: Subscription, pushes: Push[]): Buffer[][] {
  const out: Buffer[][] = [];
  for (const p of pushes) {
    if (p.mayMatch && !p.mayMatch(sub.conds)) continue;
    if (!matchesMap(sub.conds, p.events())) continue;
    out.push(successEnvelope(sub.id, `{"query":${JSON.stringify(sub.query)},"data":{"type":"tendermint/event/${p.type}","value":${p.value()}},"events":${p.eventsJson()}}`));
  }
  return out;
}

/** Serves one websocket connection until it closes. */
export function serveWebsocket(ws: WebSocket, ctx: RouteContext, store: BlockStore): void {
  const subs = new Map<string, Subscription>();
  const send = (chunks: Buffer[]) => {
    // text frames: JSON-RPC clients (cosmjs) ignore binary ones
    if (ws.readyState === ws.OPEN) ws.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), { binary: false });
  };
  const off = store.onBlock((b) => {
    if (subs.size === 0) return;
    const pushes = blockPushes(b, store.version);
    for (const s of subs.values()) for (const msg of pushesFor(s, pushes)) send(msg);
  });
  ws.on('close', off);
  ws.on('error', off);

  const subscribe = (id: Id, params: unknown): Buffer[] => {
    const q = queryArg('subscribe', params);
    if (subs.has(q)) throw internalError('already subscribed');
    if (subs.size >= MAX_SUBSCRIPTIONS) throw internalError(`max_subscriptions_per_client ${MAX_SUBSCRIPTIONS} reached`);
    let conds: Condition[];
    try {
      conds = parseQuery(q);
    } catch (e) {
      throw internalError(`failed to parse query: ${e instanceof Error ? e.message : String(e)}`);
    }
    subs.set(q, { id, query: q, conds });
    return successEnvelope(id, '{}');
  };

  ws.on('message', (raw) => {
    let id: Id | undefined;
    try {
      store.sync();
      const req = parseMessage(raw.toString());
      id = req.id;
      if (id === undefined) return;
      if (req.method === 'subscribe') return send(subscribe(id, req.params));
      if (req.method === 'unsubscribe') {
        if (!subs.delete(queryArg('unsubscribe', req.params))) throw internalError('subscription not found');
        return send(successEnvelope(id, '{}'));
      }
      if (req.method === 'unsubscribe_all') {
        if (subs.size === 0) throw internalError('subscription not found');
        subs.clear();
        return send(successEnvelope(id, '{}'));
      }
      const out = handleRequest(ctx, req, { ws: true });
      if (out) send(out.body);
    } catch (e) {
      send(errorEnvelope(id, e instanceof RpcError ? e : internalError(e instanceof Error ? e.message : String(e))));
    }
  });
}

/** `query` of (un)subscribe, decoded like any route's argument. */
function queryArg(method: 'subscribe' | 'unsubscribe', params: unknown): string {
  return (routeArgs(ROUTES[method]!, params, true).query as string | undefined) ?? '';
}
