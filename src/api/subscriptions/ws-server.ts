// GraphQL over WebSocket (graphql-ws, protocol graphql-transport-ws) on the same path as HTTP. Every
// operation is parsed and validated here with the HTTP side's limits (tokens, depth, cost, aliases,
// directives), so a malformed or oversized subscription gets an `error` message and the socket stays
// open; errors are formatted by the same rules as over HTTP.
import type { Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, getOperationAST, parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { QueryLimitProtection } from '../plugins/limits.ts';

export interface WsServerOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  limits: QueryLimitProtection;
  dev: boolean;
  /** Fresh context per operation. */
  context(): object;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Largest message accepted, bytes (the HTTP body limit). */
  maxPayload: number;
  maxConnections: number;
  maxSubscriptionsPerSocket: number;
  log(line: string): void;
}

export interface WsServer {
  readonly connections: number;
  close(): Promise<void>;
}

const SUGGESTION = /Did you mean ".+"/g;

/** Errors about the request itself (variables that do not coerce) carry no code from graphql-js. */
function requestErrorCode(e: GraphQLError): GraphQLError {
  if (e.path || e.originalError || e.extensions?.code) return e;
  return new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } });
}

export function startWsServer(opts: WsServerOptions): WsServer {
  const wss = new WebSocketServer({ server: opts.httpServer, path: opts.path, maxPayload: opts.maxPayload });
  wss.on('error', (err) => opts.log(`websocket server error: ${err.message}`));
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    if (wss.clients.size > opts.maxConnections) socket.close(1013, 'too many connections: try again later');
  });
  const rules: ValidationRule[] = [...specifiedRules, ...opts.limits.validationRules];
  const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

  const disposable = useServer(
    {
      schema: opts.schema,
      isProd: !opts.dev,
      onSubscribe: (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > opts.maxSubscriptionsPerSocket) {
          return [clientError(`at most ${opts.maxSubscriptionsPerSocket} operations per connection`, 'SERVER_BUSY')];
        }
        if (typeof payload.query !== 'string') return [clientError('"query" must be a string', 'BAD_REQUEST')];
        let document;
        try {
          document = parse(payload.query, opts.limits.parseOptions);
        } catch (err) {
          return [err instanceof GraphQLError ? new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) : clientError('unparsable query', 'GRAPHQL_PARSE_FAILED')];
        }
        const errors = validate(opts.schema, document, rules);
        if (errors.length > 0) {
          return errors.map((e) => {
            const message = opts.dev ? e.message : e.message.replace(SUGGESTION, '[Suggestion hidden]');
            return new GraphQLError(message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions } });
          });
        }
        if (!getOperationAST(document, payload.operationName)) return [clientError('no operation by that name, or several without a name', 'OPERATION_RESOLUTION_FAILURE')];
        return { schema: opts.schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue: opts.context() };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => opts.formatError(e.toJSON(), e)),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((e) => opts.formatError(requestErrorCode(e).toJSON(), e)) };
      },
    },
    wss,
  );

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    close: () =>
      (closing ??= (async () => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        await disposable.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })()),
  };
}
