// A bound on expensive fields (issue 5: "rate of expensive fields bounded"). Every `totalCount` of a
// `…Connection` type (a COUNT over a history) and every field a module marks with `@expensive` in its
// SDL runs under one server-wide concurrency limit, with a short bounded queue; past it the field is a
// SERVER_BUSY error (the rest of the query still answers). One request may resolve at most
// `perRequest` of them (aliases would otherwise multiply one COUNT).
//
// For modules:   extend type Query { flow(txHash: String!): Flow @expensive }
import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { tooExpensive } from '../errors.ts';

export const expensiveTypeDefs = /* GraphQL */ `
  "The field runs under the server's bound on expensive fields (a concurrency limit)."
  directive @expensive on FIELD_DEFINITION
`;

export interface ExpensiveLimits {
  /** Expensive fields resolving at once, server-wide. */
  concurrency: number;
  /** Waiting beyond `concurrency`; more are refused at once. */
  queue: number;
  /** How long one may wait for a slot. */
  queueTimeoutMs: number;
  /** Expensive fields one request may resolve. */
  perRequest: number;
}

export const DEFAULT_EXPENSIVE_LIMITS: ExpensiveLimits = { concurrency: 4, queue: 32, queueTimeoutMs: 2000, perRequest: 8 };

export function serverBusy(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'SERVER_BUSY' } });
}

/** A counting semaphore with a bounded FIFO queue and a wait timeout. */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<{ grant: () => void; timer: NodeJS.Timeout }> = [];

  constructor(private readonly limits: Pick<ExpensiveLimits, 'concurrency' | 'queue' | 'queueTimeoutMs'>) {
    if (!(limits.concurrency >= 1)) throw new Error('concurrency must be at least 1');
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.queue) {
      return Promise.reject(serverBusy(`too many expensive fields running (${this.running} running, ${this.waiting.length} waiting): retry shortly`));
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(serverBusy(`no slot for an expensive field within ${this.limits.queueTimeoutMs} ms: retry shortly`));
        }, this.limits.queueTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // the slot passes straight to the next waiter
    if (next) next.grant();
    else this.running--;
  }
}

/** true for fields the limit applies to: `@expensive` ones and `totalCount` of connection types. */
function isExpensive(schema: GraphQLSchema, typeName: string, fieldName: string, field: Parameters<typeof getDirective>[1]): boolean {
  if (fieldName === 'totalCount' && typeName.endsWith('Connection')) return true;
  return (getDirective(schema, field, 'expensive')?.length ?? 0) > 0;
}

/** Wraps the resolvers of expensive fields with the limiter and the per-request count. */
export function applyExpensiveLimits(schema: GraphQLSchema, limiter: ConcurrencyLimiter, perRequest: number): GraphQLSchema {
  const counts = new WeakMap<object, number>();
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (!isExpensive(schema, typeName, fieldName, field)) return field;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (source, args, context, info) => {
          if (context && typeof context === 'object') {
            const n = (counts.get(context) ?? 0) + 1;
            counts.set(context, n);
            if (n > perRequest) throw tooExpensive(`at most ${perRequest} expensive fields (totalCount, @expensive) per request`);
          }
          return limiter.run(() => resolve(source, args, context, info));
        },
      };
    },
  });
}
