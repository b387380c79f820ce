// The GraphQL API server: Apollo Server 5 on Express 5, bound to 127.0.0.1 unless told otherwise.
// Features (limits, GraphiQL, health, metrics, subscriptions) are small plugins under src/api/plugins,
// src/api/graphiql and src/api/subscriptions; this file only wires them together.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import express from 'express';
import pg from 'pg';
import { Counter } from 'prom-client';
import { type ApiContext, createContext } from './context.ts';
import { graphiqlRoutes } from './graphiql/routes.ts';
import { API_MODULES } from './modules/index.ts';
import { type ApiDatabase, resolveApiDatabase, sessionOptions } from './plugins/db-access.ts';
import { makeErrorFormatter } from './plugins/error-format.ts';
import { applyExpensiveLimits, ConcurrencyLimiter, DEFAULT_EXPENSIVE_LIMITS, type ExpensiveLimits } from './plugins/expensive.ts';
import { healthRoutes } from './plugins/health.ts';
import { httpErrorHandler, jsonBody, notFound, requireJsonPost, subscriptionsOverHttpRefused } from './plugins/http-errors.ts';
import { type QueryLimits, queryLimits } from './plugins/limits.ts';
import { ApiMetrics } from './plugins/metrics.ts';
import { platformModule } from './plugins/platform-module.ts';
import { ResponseCache } from './plugins/response-cache.ts';
import { buildSchema } from './schema/build.ts';
import type { ApiModule } from './schema/module.ts';
import { CommitListener } from './subscriptions/commit-listener.ts';
import { CommitHub } from './subscriptions/hub.ts';
import { LINKED_TYPES, subscriptionLinksModule } from './subscriptions/links.ts';
import type { SubscriptionContext } from './subscriptions/module.ts';
import { startWsServer, type WsServer } from './subscriptions/ws-server.ts';

export interface ApiServerOptions {
  /** The database; with an admin URL the API prepares and connects as the read-only role mesh_api. */
  databaseUrl: string;
  /** Connect as this instead (e.g. a read-only role's URL); no role is created. */
  apiDatabaseUrl?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Development mode: stack traces and original messages in errors, field suggestions. Off unless asked. */
  dev?: boolean;
  /** Per-statement timeout on every API connection (default 5000 ms). */
  statementTimeoutMs?: number;
  /** Largest request body (default 64 KiB). */
  bodyLimit?: string | number;
  /** /ready: blocks a chain may be behind its tip (default 5). */
  readyMaxLag?: number;
  /** Why the API is not ready whatever the chains' progress (e.g. `npm start` replaying its devnet), if so. */
  notReady?: () => string | undefined;
  limits?: Partial<QueryLimits>;
  expensive?: Partial<ExpensiveLimits>;
  /** GraphQL over WebSocket with the commit feed (default on). */
  subscriptions?: boolean;
  /** Feature modules (default: src/api/modules/index.ts); the platform module is always included. */
  modules?: readonly ApiModule[];
  /** Answers cached until the indexer's next commit (default on; needs subscriptions' commit feed). */
  responseCache?: boolean;
  /** Pool size of each of the pg and Prisma pools (default 10). */
  poolSize?: number;
  log?: (line: string) => void;
}

export interface ApiServer {
  url: string;
  /** The GraphQL endpoint (POST; GraphiQL on GET from a browser; WebSocket subscriptions). */
  graphqlUrl: string;
  /** How the API reaches the database (which role). */
  database: Pick<ApiDatabase, 'access' | 'note'>;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

/** How long a stopping server lets requests in flight finish before it closes their connections. */
const STOP_GRACE_MS = 5_000;

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const dev = opts.dev === true;
  const log = opts.log ?? ((line: string) => console.error(`[api] ${line}`));
  const statementTimeoutMs = opts.statementTimeoutMs ?? 5000;
  const bodyLimit = opts.bodyLimit ?? '64kb';
  const poolSize = opts.poolSize ?? 10;

  const database = await resolveApiDatabase({ databaseUrl: opts.databaseUrl, apiDatabaseUrl: opts.apiDatabaseUrl });
  if (database.note) log(`reading as the admin user in read-only transactions: ${database.note}`);
  const session = { connectionString: database.url, options: sessionOptions({ statementTimeoutMs }), max: poolSize, application_name: 'mesh-api' };
  const sql = new pg.Pool(session);
  const prismaPool = new pg.Pool(session);
  // an idle client's error (database restart) must not become an uncaught exception
  for (const p of [sql, prismaPool]) p.on('error', (err) => log(`database connection lost: ${err.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });

  const modules = opts.modules ?? API_MODULES;
  const limits = queryLimits({ dev, limits: opts.limits });
  const expensive = { ...DEFAULT_EXPENSIVE_LIMITS, ...opts.expensive };
  const joined = modules.includes(platformModule) ? [...modules] : [...modules, platformModule];
  // subscription payloads link to the explorer's Slash and Packet when the modules define them
  if (LINKED_TYPES.every((t) => buildSchema(joined).getType(t))) joined.push(subscriptionLinksModule);
  const schema = applyExpensiveLimits(buildSchema(joined), new ConcurrencyLimiter(expensive), expensive.perRequest);
  const formatError = makeErrorFormatter({ dev, statementTimeoutMs, log });
  const metrics = new ApiMetrics();

  const app = express();
  app.disable('x-powered-by');
  const http: Server = createServer(app);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    includeStacktraceInErrorResponses: dev,
    allowBatchedHttpRequests: false,
    // The CLIs own SIGINT/SIGTERM (an orderly shutdown); Apollo's handler would stop the server under
    // them and raise the signal again once stopped.
    stopOnTerminationSignals: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: http, stopGracePeriodMillis: STOP_GRACE_MS }),
      ApolloServerPluginLandingPageDisabled(),
      // no cache hints are used; the plugin's per-field hook cost ~10% of a request's CPU
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      metrics.plugin(),
      subscriptionsOverHttpRefused(GRAPHQL_PATH),
    ],
  });
  await apollo.start();

  let hub: CommitHub | null = null;
  let listener: CommitListener | null = null;
  const hits = new Counter({ name: 'mesh_api_response_cache_hits_total', help: 'Queries answered from the response cache', registers: [metrics.registry] });
  const cache =
    opts.responseCache !== false && opts.subscriptions !== false ? new ResponseCache({ live: () => listener?.isConnected ?? false, onHit: (seconds) => (hits.inc(), metrics.latency.observe({ operation: 'query' }, seconds)) }) : null;
  let ws: WsServer | null = null;
  if (opts.subscriptions !== false) {
    const commits = new CommitHub(sql, { log, onCount: (n) => metrics.subscriptions.set(n) });
    hub = commits;
    await commits.init();
    listener = new CommitListener({
      url: database.url,
      options: sessionOptions({ statementTimeoutMs }),
      log,
      onCommit: (c) => {
        cache?.invalidate();
        commits.publish(c);
      },
      onListening: (first) => {
        cache?.invalidate(); // commits may have come and gone while the connection was down
        if (!first) commits.catchUp();
      },
    });
    listener.start();
  }

  app.use(healthRoutes({ sql, maxLag: opts.readyMaxLag ?? 5, log, notReady: opts.notReady }));
  app.use(metrics.routes(sql));
  app.use(graphiqlRoutes(GRAPHQL_PATH));
  app.use(
    GRAPHQL_PATH,
    requireJsonPost(),
    ...jsonBody(bodyLimit),
    ...(cache ? [cache.middleware()] : []),
    expressMiddleware(apollo, { context: async () => createContext({ prisma, sql }) }),
  );
  app.use(notFound());
  app.use(httpErrorHandler({ bodyLimit, log, onError: (code) => metrics.errors.inc({ code }) }));

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      hub?.stop();
      // each step runs whatever the previous one did (a server that never listened cannot drain)
      await ws?.close().catch((err) => log(`closing websockets: ${(err as Error).message}`));
      await listener?.close();
      await apollo.stop().catch((err) => log(`stopping Apollo: ${(err as Error).message}`));
      await Promise.allSettled([sql.end(), prisma.$disconnect().then(() => prismaPool.end())]);
    })());

  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 4000, host, () => resolve());
    });
  } catch (err) {
    // e.g. the port is taken: release the pools and the LISTEN connection before failing
    await close().catch(() => {});
    throw err;
  }
  // after listen: the WebSocket server re-emits the HTTP server's errors (a taken port)
  if (hub) {
    const commits = hub;
    ws = startWsServer({
      httpServer: http,
      path: GRAPHQL_PATH,
      schema,
      limits,
      dev,
      context: (): SubscriptionContext => ({ ...createContext({ prisma, sql }), commits }),
      formatError,
      maxPayload: typeof bodyLimit === 'number' ? bodyLimit : parseSize(bodyLimit),
      maxConnections: 1000,
      maxSubscriptionsPerSocket: 50,
      log,
    });
  }
  const { port } = http.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    graphqlUrl: `${url}${GRAPHQL_PATH}`,
    database: { access: database.access, ...(database.note ? { note: database.note } : {}) },
    close,
  };
}

/** '64kb' → 65536 (the units express.json accepts). */
function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(s.trim());
  if (!m) throw new Error(`bodyLimit "${s}" is not a size like 64kb`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b']!;
  return Math.floor(Number(m[1]) * unit);
}
