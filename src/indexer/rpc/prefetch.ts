// Blocks fetched ahead of their turn. Their answers are left in the socket and read and parsed only
// when the indexer takes them: a block waiting in the fetch window in this process — parsed (many
// objects) or as bytes (Buffers) — would outlive V8's young generation, be copied into the old one
// and stay there until a full GC, which costs GC time and peak memory.
//
// Heights asked for in the same tick share HTTP requests (`block` and `block_results` of each, as
// one JSON-RPC batch): one height per request while blocks are large, up to `maxHeights` while
// they are small (empty blocks are a few kB), so sparse chains do not pay an HTTP request per block.
// This is a fast path only: an answer that is anything but a complete HTTP 200 with the expected
// JSON is fetched again through `again` (the transport's retrying, failing-over call, which also
// reports what is wrong).
import { StringDecoder } from 'node:string_decoder';
import { type JsonRpcRequest, type RawAnswer, RpcPool } from './transport.ts';
import type { RawBlock } from './raw-block.ts';

export interface PrefetchOptions {
  /** Turns one height's checked `block` and `block_results` results into a RawBlock (throws if they disagree). */
  toRaw: (height: number, block: any, results: any) => RawBlock;
  /** Shape checks of the two results (an error text, or undefined). */
  checkBlock: (r: any, height: number) => string | undefined;
  checkResults: (r: any, height: number) => string | undefined;
  /** The robust way to get one height. */
  again: (height: number, signal?: AbortSignal) => Promise<RawBlock>;
  /** Bytes one HTTP request should carry at most when grouping heights (default 256 KiB). */
  groupBytes?: number;
  /** Heights per HTTP request at most (default 16). */
  maxHeights?: number;
}

export type BlockLoader = () => Promise<RawBlock>;

interface Asked {
  height: number;
  signal?: AbortSignal;
  resolve: (load: BlockLoader) => void;
}

export class BlockPrefetcher {
  private queue: Asked[] = [];
  private scheduled = false;
  /** Answer bytes per height seen last (unknown at first: one height per request). */
  private bytesPerHeight = Infinity;
  private readonly groupBytes: number;
  private readonly maxHeights: number;

  constructor(
    private readonly pool: RpcPool,
    private readonly opts: PrefetchOptions,
  ) {
    this.groupBytes = opts.groupBytes ?? 256 * 1024;
    this.maxHeights = Math.max(1, opts.maxHeights ?? 16);
  }

  /** Resolves once the height's answer is in, to the function that parses it (never rejects). */
  fetch(height: number, signal?: AbortSignal): Promise<BlockLoader> {
    return new Promise((resolve) => {
      this.queue.push({ height, signal, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.send());
    });
  }

  private send(): void {
    this.scheduled = false;
    const asked = this.queue.splice(0);
    // two calls per height; the transport's batch limit bounds a group (below 2, postRaw declines)
    const per = Math.max(1, Math.min(this.maxHeights, Math.floor(this.pool.maxBatch / 2), Math.floor(this.groupBytes / Math.max(1, this.bytesPerHeight))));
    for (let i = 0; i < asked.length; i += per) void this.post(asked.slice(i, i + per));
  }

  private async post(group: Asked[]): Promise<void> {
    const reqs = group.map((a) => {
      const params = { height: String(a.height) }; // 64-bit ints go as strings (cosmos-wire §1.3)
      return [this.pool.request('block', params), this.pool.request('block_results', params)] as const;
    });
    let answer: RawAnswer | undefined;
    try {
      answer = await this.pool.postRaw(reqs.flat() as JsonRpcRequest[], group[0]!.signal);
    } catch {
      answer = undefined;
    }
    if (answer?.bytes !== undefined) this.bytesPerHeight = answer.bytes / group.length;
    // read and parsed once, when the first of the group is taken; kept until the last one is
    let parsed: Promise<Map<unknown, any> | null> | undefined;
    const parse = () =>
      (parsed ??= answer!.read().then((chunks) => {
        if (!chunks) return null;
        if (answer!.bytes === undefined) this.bytesPerHeight = chunks.reduce((n, c) => n + c.length, 0) / group.length;
        return parseAnswers(chunks);
      }));
    let left = group.length;
    group.forEach((a, i) => {
      const again = () => this.opts.again(a.height, a.signal);
      if (!answer) return a.resolve(again);
      a.resolve(async () => {
        const all = await parse();
        if (--left === 0) parsed = Promise.resolve(null); // let the parsed group go
        const raw = all ? this.build(a.height, all.get(reqs[i]![0].id), all.get(reqs[i]![1].id)) : undefined;
        return raw ?? again();
      });
    });
  }

  private build(height: number, block: any, results: any): RawBlock | undefined {
    if (block?.result === undefined || results?.result === undefined || block.error !== undefined || results.error !== undefined) return undefined;
    if (this.opts.checkBlock(block.result, height) || this.opts.checkResults(results.result, height)) return undefined;
    try {
      return this.opts.toRaw(height, block.result, results.result);
    } catch {
      return undefined; // fetched again, which reports what is wrong
    }
  }
}

/** JSON-RPC answers by id, or null when the body is not a JSON-RPC batch answer. */
function parseAnswers(body: Buffer[]): Map<unknown, any> | null {
  const utf8 = new StringDecoder('utf8'); // a character may be split between two chunks
  let text = '';
  for (const c of body) text += utf8.write(c);
  text += utf8.end();
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(list)) return null;
  const m = new Map<unknown, any>();
  for (const a of list as any[]) if (a !== null && typeof a === 'object' && a.jsonrpc === '2.0') m.set(a.id, a);
  return m;
}
