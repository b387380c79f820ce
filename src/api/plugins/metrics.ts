// /metrics in Prometheus text format (prom-client), one registry per server. Chain progress (indexed
// height, tip, lag) is read from `chains` at scrape time, so any API replica reports the indexer's
// state without talking to it. Indexer events/s are not in the database: the indexer's own
// --metrics-port serves them. API side: request latency by operation type, errors by code, requests
// in flight, and live subscriptions.
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type Router } from 'express';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CHAIN_PROGRESS_SQL, type ChainRow } from './health.ts';

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly indexed = new Gauge({ name: 'mesh_chain_indexed_height', help: 'Last height whose rows are committed', labelNames: ['chain'], registers: [this.registry] });
  private readonly tip = new Gauge({ name: 'mesh_chain_tip_height', help: 'Highest height the chain nodes reported', labelNames: ['chain'], registers: [this.registry] });
  private readonly lag = new Gauge({ name: 'mesh_chain_lag_blocks', help: 'Tip height minus indexed height', labelNames: ['chain'], registers: [this.registry] });
  private readonly dbUp = new Gauge({ name: 'mesh_api_database_up', help: '1 when the last scrape could read the database', registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'mesh_api_request_duration_seconds',
    help: 'GraphQL request latency by operation type',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly errors = new Counter({ name: 'mesh_api_errors_total', help: 'GraphQL errors sent, by code', labelNames: ['code'], registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'mesh_api_requests_in_flight', help: 'GraphQL requests being handled', registers: [this.registry] });
  readonly subscriptions = new Gauge({ name: 'mesh_api_subscriptions_active', help: 'Live GraphQL subscriptions', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mesh_api_' });
  }

  /** Reads chain progress into the gauges (called per scrape). */
  async refreshChains(sql: pg.Pool): Promise<void> {
    this.indexed.reset();
    this.tip.reset();
    this.lag.reset();
    try {
      const { rows } = await sql.query<ChainRow>(CHAIN_PROGRESS_SQL);
      for (const r of rows) {
        this.indexed.set({ chain: r.chain_id }, r.indexed_height);
        if (r.tip_height !== null) {
          this.tip.set({ chain: r.chain_id }, r.tip_height);
          this.lag.set({ chain: r.chain_id }, Math.max(0, r.tip_height - r.indexed_height));
        }
      }
      this.dbUp.set(1);
    } catch {
      this.dbUp.set(0);
    }
  }

  /** Apollo plugin: latency by operation type, errors by (formatted) code, in-flight requests. */
  plugin(): ApolloServerPlugin {
    const m = this;
    return {
      async requestDidStart() {
        const start = performance.now();
        let operation = 'unknown';
        m.inFlight.inc();
        return {
          async didResolveOperation(ctx) {
            operation = ctx.operation?.operation ?? 'unknown';
          },
          async willSendResponse(ctx) {
            m.inFlight.dec();
            m.latency.observe({ operation }, (performance.now() - start) / 1000);
            const body = ctx.response.body;
            const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
            for (const e of errors ?? []) m.errors.inc({ code: String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          },
        };
      },
    };
  }

  routes(sql: pg.Pool): Router {
    const router = express.Router();
    router.get('/metrics', async (_req, res) => {
      await this.refreshChains(sql);
      res.type(this.registry.contentType).send(await this.registry.metrics());
    });
    return router;
  }
}
