// A test-only API module with fields that exercise the platform: slow SQL through the pg pool and
// through Prisma, writes (which the read-only connection must refuse), an @expensive field, a
// connection whose totalCount takes time, a plain Error, and a recursive type for depth and cost.
import type { ApiContext } from '../context.ts';
import { toConnection } from '../pagination.ts';
import type { ApiModule } from '../schema/module.ts';

export interface ProbeCounters {
  /** Resolver runs per field (to prove rejected queries never execute). */
  runs: Map<string, number>;
  /** Highest number of expensive resolvers running at once. */
  maxConcurrent: number;
}

export function probeModule(): { module: ApiModule; counters: ProbeCounters } {
  const counters: ProbeCounters = { runs: new Map(), maxConcurrent: 0 };
  let running = 0;
  const ran = (name: string) => counters.runs.set(name, (counters.runs.get(name) ?? 0) + 1);
  const sleepy = async (ms: number) => {
    running++;
    counters.maxConcurrent = Math.max(counters.maxConcurrent, running);
    try {
      await new Promise((r) => setTimeout(r, ms));
    } finally {
      running--;
    }
  };
  const module: ApiModule = {
    name: 'probe',
    typeDefs: /* GraphQL */ `
      type ProbeNode {
        value: Int!
        child: ProbeNode
        children: [ProbeNode!]!
      }
      type ProbeEdge {
        cursor: String!
        node: Int!
      }
      type ProbeConnection {
        edges: [ProbeEdge!]!
        pageInfo: PageInfo!
        totalCount: Int!
      }
      extend type Query {
        probeSleep(seconds: Float!): Int
        probeSleepPrisma(seconds: Float!): Int
        probeWrite: Int
        probeWritePrisma: Int
        probeWhoami: String
        probeBoom: Int
        probeNode: ProbeNode
        probeExpensive(ms: Int!): Int @expensive
        probeCount(ms: Int!): ProbeConnection!
      }
    `,
    resolvers: {
      ProbeNode: {
        child: (n: { value: number }) => ({ value: n.value + 1 }),
        children: (n: { value: number }) => [{ value: n.value + 1 }, { value: n.value + 2 }],
      },
      Query: {
        probeSleep: async (_: unknown, a: { seconds: number }, ctx: ApiContext) => {
          ran('probeSleep');
          await ctx.sql.query('SELECT pg_sleep($1)', [a.seconds]);
          return 1;
        },
        probeSleepPrisma: async (_: unknown, a: { seconds: number }, ctx: ApiContext) => {
          ran('probeSleepPrisma');
          await ctx.prisma.$queryRawUnsafe('SELECT pg_sleep($1)::text', a.seconds);
          return 1;
        },
        probeWrite: async (_: unknown, _a: unknown, ctx: ApiContext) => {
          await ctx.sql.query(`INSERT INTO meta (key, value) VALUES ('probe', 'written')`);
          return 1;
        },
        probeWritePrisma: async (_: unknown, _a: unknown, ctx: ApiContext) => {
          await ctx.prisma.$executeRawUnsafe(`INSERT INTO meta (key, value) VALUES ('probe-prisma', 'written')`);
          return 1;
        },
        probeWhoami: async (_: unknown, _a: unknown, ctx: ApiContext) => {
          const { rows } = await ctx.sql.query<{ u: string }>('SELECT current_user AS u');
          return rows[0]!.u;
        },
        probeBoom: () => {
          throw new Error('secret detail: connection string postgres://admin:hunter2@db');
        },
        probeNode: () => {
          ran('probeNode');
          return { value: 0 };
        },
        probeExpensive: async (_: unknown, a: { ms: number }) => {
          ran('probeExpensive');
          await sleepy(a.ms);
          return a.ms;
        },
        probeCount: (_: unknown, a: { ms: number }) =>
          toConnection([1, 2, 3], { take: 4, size: 3, backward: false, cursor: null }, (n) => [n], async () => {
            ran('totalCount');
            await sleepy(a.ms);
            return 3;
          }),
      },
    },
  };
  return { module, counters };
}
