// `/websocket`: every RPC method, plus subscribe/unsubscribe/unsubscribe_all with CometBFT's event
// pushes (tm.event = NewBlock, NewBlockHeader, Tx) sent with the subscribe request's id.
import type { WebSocket } from 'ws';
import type { Event } from '../chain/types.ts';
import type { BlockStore } from '../node/block-store.ts';
import { blockEventsText, type CometVersion } from '../node/comet-json.ts';
import { type Condition, matches, parseQuery } from '../node/event-query.ts';
import type { RenderedBlock } from '../node/render.ts';
import { handleRequest } from './dispatch.ts';
import { type Id, RpcError, errorEnvelope, internalError, parseBody, successEnvelope } from './jsonrpc.ts';
import type { RouteContext } from './routes.ts';

/** CometBFT's default `max_subscriptions_per_client`. */
const MAX_SUBSCRIPTIONS = 5;

interface Subscription {
  id: Id;
  query: string;
  conds: Condition[];
}

/** `{"type.key": [values…]}` as CometBFT attaches to every pushed event. */
function eventsMap(builtins: Record<string, string>, events: Event[]): string {
  const m: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(builtins)) m[k] = [v];
  for (const e of events) for (const a of e.attributes) (m[`${e.type}.${a.key}`] ??= []).push(a.value);
  return JSON.stringify(m);
}

function newBlockValue(b: RenderedBlock, version: CometVersion): string {
  if (version === '0.38') {
    const parts = [`"events":${blockEventsText([...b.beginEvents, ...b.endEvents], '[]')}`];
    if (b.txs.length > 0) parts.push(`"tx_results":${b.txsResultsJson}`);
    if (b.validatorUpdatesJson !== 'null') parts.push(`"validator_updates":${b.validatorUpdatesJson}`);
    parts.push(`"consensus_param_updates":${b.consensusUpdatesJson}`, `"app_hash":"${Buffer.from(b.appHash).toString('base64')}"`);
    return `{"block":${b.blockInnerJson},"block_id":${b.blockIdJson},"result_finalize_block":{${parts.join(',')}}}`;
  }
  const begin = `{"events":${blockEventsText(b.beginEvents, '[]')}}`;
  const end = `{"validator_updates":${b.validatorUpdatesJson},"consensus_param_updates":${b.consensusUpdatesJson},"events":${blockEventsText(b.endEvents, '[]')}}`;
  return `{"block":${b.blockInnerJson},"result_begin_block":${begin},"result_end_block":${end}}`;
}

/** The pushes one new block produces for one subscription, as JSON-RPC messages. */
function pushesFor(sub: Subscription, b: RenderedBlock, version: CometVersion): Buffer[][] {
  const out: Buffer[][] = [];
  const push = (type: string, value: string, events: string) =>
    out.push(successEnvelope(sub.id, `{"query":${JSON.stringify(sub.query)},"data":{"type":"tendermint/event/${type}","value":${value}},"events":${events}}`));
  const blockEvents = [...b.beginEvents, ...b.endEvents];
  const h = b.height.toString();
  for (const kind of ['NewBlock', 'NewBlockHeader'] as const) {
    const builtins = { 'tm.event': kind, 'block.height': h };
    if (!matches(sub.conds, builtins, blockEvents)) continue;
    const value = kind === 'NewBlock' ? newBlockValue(b, version) : `{"header":${b.headerJson}}`;
    push(kind, value, eventsMap(builtins, blockEvents));
  }
  for (const t of b.txs) {
    const builtins = { 'tm.event': 'Tx', 'tx.hash': t.hash, 'tx.height': h };
    let events: Event[] | undefined; // read back from the stored result once, if a condition needs them
    const eventsOf = () => (events ??= t.events);
    if (!matches(sub.conds, builtins, eventsOf)) continue;
    const value = `{"TxResult":{"height":"${h}","index":${t.index},"tx":"${Buffer.from(t.bytes).toString('base64')}","result":${t.resultJson}}}`;
    push('Tx', value, eventsMap(builtins, eventsOf()));
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
    for (const s of subs.values()) for (const msg of pushesFor(s, b, store.version)) send(msg);
  });
  ws.on('close', off);
  ws.on('error', off);

  const subscribe = (id: Id, params: unknown): Buffer[] => {
    const q = paramOf(params, 'query');
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
      const { requests, batch } = parseBody(raw.toString());
      if (batch) throw internalError('batch requests are not supported over websocket');
      const req = requests[0]!;
      id = req.id;
      if (id === undefined) return;
      if (req.method === 'subscribe') return send(subscribe(id, req.params));
      if (req.method === 'unsubscribe') {
        if (!subs.delete(paramOf(req.params, 'query'))) throw internalError('subscription not found');
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

function paramOf(params: unknown, name: string): string {
  const v = Array.isArray(params) ? params[0] : params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
  if (typeof v !== 'string') throw new RpcError(-32602, 'Invalid params', `error converting json params to arguments: missing ${name}`);
  return v;
}
