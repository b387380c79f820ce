// Prometheus metrics of the chain indexers (prom-client), served on 127.0.0.1 by `run --metrics-port`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChainStats } from './chain-indexer.ts';

export class IndexerMetrics {
  readonly registry = new Registry();
  private readonly height = new Gauge({ name: 'mesh_indexer_height', help: 'Last committed height', labelNames: ['chain'], registers: [this.registry] });
  private readonly tip = new Gauge({ name: 'mesh_indexer_tip', help: 'Chain tip as last seen', labelNames: ['chain'], registers: [this.registry] });
  private readonly lag = new Gauge({ name: 'mesh_indexer_lag_blocks', help: 'Tip minus committed height', labelNames: ['chain'], registers: [this.registry] });
  private readonly lagSec = new Gauge({ name: 'mesh_indexer_head_lag_seconds', help: 'Commit time minus block time of the last committed block', labelNames: ['chain'], registers: [this.registry] });
  private readonly blocks = new Counter({ name: 'mesh_indexer_blocks_total', help: 'Blocks indexed', labelNames: ['chain'], registers: [this.registry] });
  private readonly events = new Counter({ name: 'mesh_indexer_events_total', help: 'Chain events indexed', labelNames: ['chain'], registers: [this.registry] });
  private readonly dead = new Counter({ name: 'mesh_indexer_dead_letters_total', help: 'Dead letters written', labelNames: ['chain'], registers: [this.registry] });
  private readonly bps = new Gauge({ name: 'mesh_indexer_blocks_per_second', help: 'Blocks/s over the last flush interval', labelNames: ['chain'], registers: [this.registry] });
  private readonly eps = new Gauge({ name: 'mesh_indexer_events_per_second', help: 'Events/s over the last flush interval', labelNames: ['chain'], registers: [this.registry] });
  private readonly flushMs = new Histogram({
    name: 'mesh_indexer_flush_seconds',
    help: 'Duration of a batch write (one transaction)',
    labelNames: ['chain'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly seen = new Map<string, { blocks: number; events: number; dead: number; at: number }>();

  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }

  onTip(s: Readonly<ChainStats>): void {
    this.tip.set({ chain: s.chainId }, s.tip);
    this.lag.set({ chain: s.chainId }, Math.max(0, s.tip - s.height));
  }

  onFlush(s: Readonly<ChainStats>, ms: number): void {
    const chain = s.chainId;
    const now = performance.now();
    const prev = this.seen.get(chain) ?? { blocks: 0, events: 0, dead: 0, at: now };
    this.blocks.inc({ chain }, s.blocks - prev.blocks);
    this.events.inc({ chain }, s.events - prev.events);
    this.dead.inc({ chain }, s.deadLetters - prev.dead);
    const dt = (now - prev.at) / 1000;
    if (dt > 0) {
      this.bps.set({ chain }, (s.blocks - prev.blocks) / dt);
      this.eps.set({ chain }, (s.events - prev.events) / dt);
    }
    this.seen.set(chain, { blocks: s.blocks, events: s.events, dead: s.deadLetters, at: now });
    this.height.set({ chain }, s.height);
    this.lagSec.set({ chain }, s.lagMs / 1000);
    this.flushMs.observe({ chain }, ms / 1000);
    this.onTip(s);
  }

  /** GET /metrics on 127.0.0.1:port (0 = any free port). */
  async serve(port: number): Promise<{ url: string; server: Server; close(): Promise<void> }> {
    const server = createServer(async (req, res) => {
      if (req.url !== '/metrics') return void res.writeHead(404).end('try /metrics\n');
      res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(await this.registry.metrics());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    return { url, server, close: () => new Promise((r) => server.close(() => r())) };
  }
}
