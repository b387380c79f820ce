// /health: the process is up and serving (no database round trip, so an orchestrator does not kill
// the API while the database restarts). /ready: every chain in `chains` has indexed within `maxLag`
// blocks of the tip its nodes report, and the host has nothing holding it back (`notReady`, e.g. a
// devnet replay); else 503 with the per-chain state and the reason.
import type { Request, Response, Router } from 'express';
import express from 'express';
import type pg from 'pg';

export interface ChainProgress {
  chainId: string;
  indexedHeight: number;
  tipHeight: number | null;
  /** tip - indexed (never negative); null while the tip is unknown. */
  lag: number | null;
  ready: boolean;
}

export interface Readiness {
  ready: boolean;
  maxLag: number;
  chains: ChainProgress[];
  reason?: string;
}

export interface ChainRow {
  chain_id: string;
  indexed_height: number;
  tip_height: number | null;
}

export const CHAIN_PROGRESS_SQL = 'SELECT chain_id, indexed_height, tip_height FROM chains ORDER BY chain_id';

/** Pure: readiness from the `chains` rows. No chains yet means nothing to serve: not ready. */
export function readiness(rows: readonly ChainRow[], maxLag: number): Readiness {
  const chains = rows.map((r): ChainProgress => {
    const lag = r.tip_height === null ? null : Math.max(0, r.tip_height - r.indexed_height);
    return { chainId: r.chain_id, indexedHeight: r.indexed_height, tipHeight: r.tip_height, lag, ready: lag !== null && lag <= maxLag };
  });
  const ready = chains.length > 0 && chains.every((c) => c.ready);
  const reason = chains.length === 0 ? 'no chain has been indexed yet' : ready ? undefined : `chains more than ${maxLag} blocks behind their tip (or tip unknown): ${chains.filter((c) => !c.ready).map((c) => c.chainId).join(', ')}`;
  return { ready, maxLag, chains, ...(reason ? { reason } : {}) };
}

export function healthRoutes(opts: { sql: pg.Pool; maxLag: number; log: (line: string) => void; notReady?: () => string | undefined }): Router {
  const router = express.Router();
  router.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req: Request, res: Response) => {
    try {
      const { rows } = await opts.sql.query<ChainRow>(CHAIN_PROGRESS_SQL);
      const r = readiness(rows, opts.maxLag);
      const held = opts.notReady?.();
      if (held) Object.assign(r, { ready: false, reason: held });
      res.status(r.ready ? 200 : 503).json(r);
    } catch (err) {
      opts.log(`/ready: database error: ${(err as Error).message}`);
      res.status(503).json({ ready: false, maxLag: opts.maxLag, chains: [], reason: 'database unavailable' });
    }
  });
  return router;
}
