// The GraphQL API server: Apollo Server 5 on Express 5, bound to 127.0.0.1 unless told otherwise.
// Features (limits, GraphiQL, health, metrics, subscriptions) are small plugins under src/api/plugins.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import express from 'express';
import pg from 'pg';
import { type ApiContext, createContext } from './context.ts';
import { buildSchema } from './schema/build.ts';

export interface ApiServerOptions {
  databaseUrl: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Development mode: stack traces in errors. Off unless asked. */
  dev?: boolean;
}

export interface ApiServer {
  url: string;
  /** The GraphQL endpoint (POST; GraphiQL on GET from a browser). */
  graphqlUrl: string;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const sql = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: opts.databaseUrl }) });
  const schema = buildSchema();

  const app = express();
  const http: Server = createServer(app);
  const apollo = new ApolloServer<ApiContext>({
    schema,
    includeStacktraceInErrorResponses: opts.dev === true,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: http })],
  });
  await apollo.start();

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use('/graphql', express.json({ limit: '64kb' }), expressMiddleware(apollo, { context: async () => createContext({ prisma, sql }) }));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 4000, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    close: () =>
      (closing ??= (async () => {
        await apollo.stop();
        await Promise.allSettled([sql.end(), prisma.$disconnect()]);
      })()),
  };
}
