// One JSON-RPC request → one response (or none for a notification), shared by HTTP and websocket.
import { type Args, type Chunks, type Id, type RpcRequest, RpcError, argsFromParams, errorEnvelope, internalError, methodNotFound, successEnvelope } from './jsonrpc.ts';
import { ROUTES, type Route, type RouteContext } from './routes.ts';

export interface Outcome {
  body: Chunks;
  cacheable: boolean;
}

/** Runs a route; any non-RpcError from a handler becomes -32603 (a bug must not crash the node). */
export function callRoute(ctx: RouteContext, route: Route, args: Args): { result?: string | Buffer; error?: RpcError } {
  try {
    return { result: route.handler(ctx, args) };
  } catch (e) {
    if (e instanceof RpcError) return { error: e };
    return { error: internalError(e instanceof Error ? e.message : String(e)) };
  }
}

/** A route's arguments: a conversion error is -32602 over HTTP (http_json_handler.go), -32603 over the websocket (ws_handler.go RPCInternalError). */
export function routeArgs(route: Route, params: unknown, ws: boolean): Args {
  try {
    return argsFromParams(route.args, params);
  } catch (e) {
    if (ws && e instanceof RpcError) throw internalError(e.data ?? e.rpcMessage);
    throw e;
  }
}

export function respond(id: Id | undefined, r: { result?: string | Buffer; error?: RpcError }): Chunks {
  return r.error ? errorEnvelope(id, r.error) : successEnvelope(id!, r.result!);
}

/** undefined for a notification (no `id`), which gets no response (§1.1). */
export function handleRequest(ctx: RouteContext, req: RpcRequest, opts: { ws?: boolean } = {}): Outcome | undefined {
  if (req.id === undefined) return undefined;
  const route = Object.hasOwn(ROUTES, req.method) ? ROUTES[req.method] : undefined;
  if (!route || (route.wsOnly && !opts.ws)) return { body: errorEnvelope(req.id, methodNotFound()), cacheable: false };
  let args: Args;
  try {
    args = routeArgs(route, req.params, opts.ws === true);
  } catch (e) {
    if (e instanceof RpcError) return { body: errorEnvelope(req.id, e), cacheable: false };
    throw e;
  }
  const r = callRoute(ctx, route, args);
  return { body: respond(req.id, r), cacheable: !r.error && (route.cacheable?.(args) ?? false) };
}
