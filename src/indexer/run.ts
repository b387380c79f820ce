// `mesh-indexer run`: one ChainIndexer per chain of the project, in-process, on one pg pool (or one
// chain with --chain, for one process per chain). A failing chain stops the others: the process exits
// with its error and each chain resumes from its cursor on the next start.
import pg from 'pg';
import { ChainIndexer, type ChainIndexerOptions, type ChainStats } from './chain-indexer.ts';
import type { Project } from './config/project.ts';
import { capHeapGrowth } from './heap-growth.ts';
import type { IndexerMetrics } from './metrics.ts';
import { Progress } from './progress.ts';

export interface RunOptions extends Pick<ChainIndexerOptions, 'batchBlocks' | 'batchMs' | 'window' | 'until' | 'retries' | 'batch' | 'requestTimeoutMs' | 'backoffMs' | 'maxBackoffMs'> {
  project: Project;
  /** Only these chains (default all). */
  chains?: string[];
  /** Default: DATABASE_URL, else the embedded PostgreSQL. */
  databaseUrl?: string;
  metricsPort?: number;
  progress?: boolean;
  /**
   * Old-generation growth before a full GC, % over the live data (heap-growth.ts; default 100;
   * 0: V8's own). Process-wide.
   */
  heapGrowthPercent?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export function selectChains(project: Project, ids?: string[]) {
  if (!ids?.length) return project.chains;
  const unknown = ids.filter((id) => !project.chains.some((c) => c.id === id));
  if (unknown.length) throw new Error(`unknown chain ${unknown.join(', ')} (project has ${project.chains.map((c) => c.id).join(', ')})`);
  return project.chains.filter((c) => ids.includes(c.id));
}

export async function runIndexers(opts: RunOptions): Promise<ChainStats[]> {
  const chains = selectChains(opts.project, opts.chains);
  capHeapGrowth(opts.heapGrowthPercent);
  // loaded only when used: every module loaded stays in the process's memory
  const database = opts.databaseUrl ? undefined : await (await import('../db/database.ts')).openDatabase({ log: opts.log });
  const pool = new pg.Pool({ connectionString: opts.databaseUrl ?? database!.url, max: 2 + 3 * chains.length });
  pool.on('error', () => {}); // an idle client dropping; the next query reports it
  const metrics: IndexerMetrics | undefined = opts.metricsPort !== undefined ? new (await import('./metrics.ts')).IndexerMetrics() : undefined;
  const served = metrics ? await metrics.serve(opts.metricsPort!) : undefined;
  if (served) opts.log?.(`metrics on ${served.url}`);
  const progress = opts.progress ? new Progress() : undefined;
  // one chain failing stops the rest (their complete batches are flushed)
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const indexers = chains.map(
      (chain) =>
        new ChainIndexer({
          ...opts,
          chain,
          db: pool,
          signal: ac.signal,
          log: opts.log,
          onFlush: (s, ms) => metrics?.onFlush(s, ms),
          onTip: (s) => metrics?.onTip(s),
        }),
    );
    for (const ix of indexers) progress?.track(ix.stats);
    const results = await Promise.allSettled(indexers.map((ix) => ix.run().catch((e) => (ac.abort(), Promise.reject(e)))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return indexers.map((ix) => ix.stats);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    progress?.stop();
    await served?.close();
    await pool.end();
    await database?.close();
  }
}
