// Answers to queries cached until the indexer's next commit. Every committed batch is announced on the
// commit channel (the subscriptions' LISTEN connection); until the next one, the same query with the
// same variables reads the same rows, so its serialized answer can be sent again without running
// Apollo, the resolvers or the database. The cache is used only while that connection is up: without
// it a commit could go unnoticed. A request that started before a commit never stores its answer.
import type { RequestHandler, Response } from 'express';

export interface ResponseCacheOptions {
  /** Most answers kept (least recently used go first). */
  maxEntries?: number;
  /** Largest answer kept, bytes. */
  maxEntryBytes?: number;
  /** Whether commits are being heard right now. */
  live: () => boolean;
  /** Seconds spent answering a hit. */
  onHit?: (seconds: number) => void;
}

interface Entry {
  body: string;
  contentType: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly maxEntries: number;
  private readonly maxEntryBytes: number;

  constructor(private readonly opts: ResponseCacheOptions) {
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.maxEntryBytes = opts.maxEntryBytes ?? 256 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A batch was committed (or commits may have been missed): nothing cached may be sent again. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Express middleware, after the JSON body parser and before Apollo. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const key = this.opts.live() ? cacheKey(req.body, req.headers.accept) : null;
      if (key === null) return next();
      const started = performance.now();
      const hit = this.entries.get(key);
      if (hit) {
        this.entries.delete(key); // re-insert: Map order is the LRU order
        this.entries.set(key, hit);
        res.status(200).setHeader('content-type', hit.contentType);
        res.end(hit.body);
        this.opts.onHit?.((performance.now() - started) / 1000);
        return;
      }
      this.capture(res, key, this.generation);
      next();
    };
  }

  private capture(res: Response, key: string, generation: number): void {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      const body = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : null;
      const contentType = res.getHeader('content-type');
      // Only whole, error-free answers read within one commit generation.
      if (
        body !== null &&
        res.statusCode === 200 &&
        generation === this.generation &&
        typeof contentType === 'string' &&
        body.length <= this.maxEntryBytes &&
        !body.includes('"errors"')
      ) {
        this.store(key, { body, contentType });
      }
      return end(...args);
    }) as Response['end'];
  }

  private store(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** The request's identity for caching, or null when it must not be cached. */
export function cacheKey(body: unknown, accept: string | undefined): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  // subscriptions are refused over HTTP; mutations do not exist, but must never be replayed if added
  if (/\b(mutation|subscription)\b/.test(query)) return null;
  return `${accept ?? ''}\u0000${operationName ?? ''}\u0000${JSON.stringify(variables ?? null)}\u0000${query}`;
}
