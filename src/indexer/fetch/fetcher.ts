// Raw blocks in strict height order: a sliding window of heights in flight (`block` and
// `block_results` of each in parallel), so throughput comes from concurrency while memory stays
// bounded by the window; and head following that never skips a height.
import { setMaxListeners } from 'node:events';
import type { ChainClient, RawBlock } from '../rpc/client.ts';
import { HeightAboveTipError, RetriesExhaustedError } from '../rpc/errors.ts';

export interface FetchOptions {
  from: number;
  /** Inclusive. */
  to: number;
  /** Heights in flight or buffered at once (default 16). */
  window?: number;
  /** Called with each block just before it is yielded (metrics, progress). */
  onBlock?: (block: RawBlock) => void;
  signal?: AbortSignal;
}

/**
 * Yields blocks `from..to` in height order. A height that fails after the transport's retries ends
 * the iteration with that error, after every lower height was yielded. Leaving the loop early
 * aborts what is still in flight.
 */
export async function* fetchBlocks(client: ChainClient, opts: FetchOptions): AsyncGenerator<RawBlock, void, undefined> {
  const { from, to } = opts;
  const window = Math.max(1, opts.window ?? 16);
  // our own controller: stops in-flight requests when the consumer leaves the loop
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // two listeners per request in flight
  const onAbort = () => ac.abort();
  if (opts.signal?.aborted) ac.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Prefetched answers wait as bytes (off the JS heap) and are parsed when their turn comes: parsed
  // blocks waiting in the window would outlive the young generation and fill the old one.
  const inflight = new Map<number, Promise<RawBlock | (() => Promise<RawBlock>)>>();
  let next = from;
  // Refilled by halves, so heights go out several at a time and can share HTTP requests.
  const launch = () => {
    if (inflight.size > window / 2) return;
    while (next <= to && inflight.size < window) {
      const p = client.prefetchBlock ? client.prefetchBlock(next, ac.signal) : client.rawBlock(next, ac.signal);
      p.catch(() => undefined); // handled when its turn comes; don't let it count as unhandled
      inflight.set(next++, p);
    }
  };
  try {
    launch();
    for (let h = from; h <= to; h++) {
      const got = await inflight.get(h)!;
      const block = typeof got === 'function' ? await got() : got;
      inflight.delete(h);
      launch();
      opts.onBlock?.(block);
      yield block;
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    ac.abort();
  }
}

export interface FollowOptions {
  /** First height to yield. */
  from: number;
  signal?: AbortSignal;
  /** Window while catching up (default 16). */
  window?: number;
  /** Wait after an endpoint said a height is above its tip; doubles (to 30 s) after outages (default 200 ms). */
  retryMs?: number;
  onBlock?: (block: RawBlock) => void;
  /** A fetch that failed after all the transport's retries (node outage); following goes on. */
  onError?: (error: Error) => void;
}

/**
 * Yields every block from `from` on, in order, until `signal` aborts: catches up with a window, then
 * wakes on each new block (websocket NewBlock, polling when the websocket is down). Outages are
 * waited out; only errors that retrying cannot fix (bad data, pruned heights) end it.
 */
export async function* followHead(client: ChainClient, opts: FollowOptions): AsyncGenerator<RawBlock, void, undefined> {
  const { signal } = opts;
  const retryMs = opts.retryMs ?? 200;
  let next = opts.from;
  let tip = 0;
  let polled = false;
  let outages = 0;
  let wake: (() => void) | undefined;
  const unsubscribe = client.subscribeNewBlocks((h) => {
    if (h > tip) tip = h;
    wake?.();
  });
  /** Until the next new-block notification, the signal, or `ms`. */
  const waitForWake = (ms?: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        wake = undefined;
        if (t) clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const t = ms === undefined ? undefined : setTimeout(done, ms);
      wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  try {
    while (!signal?.aborted) {
      try {
        if (!polled) {
          tip = Math.max(tip, await client.latestHeight(signal));
          polled = true;
        }
        if (next > tip) {
          await waitForWake();
          continue;
        }
        for await (const b of fetchBlocks(client, { from: next, to: tip, window: opts.window, signal, onBlock: opts.onBlock })) {
          next = b.height + 1;
          outages = 0;
          yield b;
        }
      } catch (e) {
        if (signal?.aborted) return;
        if (e instanceof HeightAboveTipError) {
          // a node behind the one that announced the height (failover, load balancer): wait for it
          await waitForWake(retryMs);
        } else if (e instanceof RetriesExhaustedError) {
          opts.onError?.(e);
          await waitForWake(Math.min(30_000, retryMs * 2 ** outages++));
        } else {
          throw e;
        }
      }
    }
  } finally {
    wake?.();
    unsubscribe();
  }
}
