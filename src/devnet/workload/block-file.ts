// A compact on-disk form of produced blocks, so a fast-mode run can be written to a directory and
// served from it later: one NDJSON file per chain, `<dir>/<chain-id>.blocks.ndjson`. The first line is
// a header (format, chain parameters, seed); every further line is one block (BlockResult) as JSON,
// with bigint as {"$n":"…"} and bytes as {"$b":"<base64>"} so that it loads back exactly.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockResult, Chain } from '../chain/chain.ts';

export const BLOCK_FILE_FORMAT = 'mesh-devnet-blocks/1';
export const BLOCK_FILE_SUFFIX = '.blocks.ndjson';

export interface BlockFileHeader {
  format: typeof BLOCK_FILE_FORMAT;
  chainId: string;
  prefix: string;
  bondDenom: string;
  blockTimeNs: string;
  /** Free-form description of the run (topology, seed, mode). */
  run?: Record<string, unknown>;
}

function replacer(this: unknown, _k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return { $n: v.toString() };
  if (v instanceof Uint8Array) return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  return v;
}

/** JSON of events: only strings inside (attribute values are strings), so no replacer is needed. */
function eventsJson(events: unknown): string {
  try {
    return JSON.stringify(events);
  } catch {
    return JSON.stringify(events, replacer);
  }
}

/** `{"events":…,<other fields>}`: the events (the bulk of a block) are stringified without a replacer. */
function withEvents(o: object & { events?: unknown }): string {
  const { events, ...rest } = o;
  const tail = JSON.stringify(rest, replacer);
  return events === undefined ? tail : `{"events":${eventsJson(events)}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/** One block as one line of JSON (no newline). Deterministic: same block, same bytes. */
export function encodeBlock(b: BlockResult): string {
  const parts: string[] = [`{"height":${JSON.stringify(b.height, replacer)},"time":${JSON.stringify(b.time, replacer)},"txs":[`];
  b.txs.forEach((t, i) => parts.push(i === 0 ? JSON.stringify(t, replacer) : `,${JSON.stringify(t, replacer)}`));
  parts.push('],"txResults":[');
  b.txResults.forEach((r, i) => parts.push(i === 0 ? withEvents(r) : `,${withEvents(r)}`));
  parts.push(`],"beginEvents":${eventsJson(b.beginEvents)},"endEvents":${eventsJson(b.endEvents)}}`);
  return parts.join('');
}

/** Restores bigint and bytes ({"$n"}, {"$b"}) in place. */
function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    if (keys[0] === '$n' && typeof o.$n === 'string') return BigInt(o.$n);
    if (keys[0] === '$b' && typeof o.$b === 'string') return new Uint8Array(Buffer.from(o.$b, 'base64'));
  }
  for (const k of keys) o[k] = revive(o[k]);
  return o;
}

export function decodeBlock(line: string): BlockResult {
  const b = JSON.parse(line) as Record<string, unknown> & { txResults: Array<Record<string, unknown>> };
  b.height = revive(b.height);
  b.time = revive(b.time);
  revive(b.txs);
  for (const r of b.txResults) {
    const events = r.events;
    delete r.events;
    revive(r);
    r.events = events;
  }
  return b as unknown as BlockResult;
}

export const blockFilePath = (dir: string, chainId: string): string => join(dir, `${chainId}${BLOCK_FILE_SUFFIX}`);

export function headerOf(chain: Chain, run?: Record<string, unknown>): BlockFileHeader {
  return { format: BLOCK_FILE_FORMAT, chainId: chain.id, prefix: chain.params.prefix, bondDenom: chain.params.bondDenom, blockTimeNs: chain.params.blockTimeNs.toString(), run };
}

/** Appends blocks to one chain's file, buffered (one write per ~1 MiB). */
export class BlockFileWriter {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  written = 0;

  constructor(
    readonly path: string,
    header: BlockFileHeader,
  ) {
    this.fd = openSync(path, 'w');
    this.push(JSON.stringify(header));
  }

  private push(line: string): void {
    this.buf.push(line, '\n');
    this.size += line.length + 1;
    if (this.size >= 1 << 20) this.flush();
  }

  append(b: BlockResult): void {
    this.push(encodeBlock(b));
    this.written++;
  }

  /** Writes an already encoded block line. */
  appendLine(line: string): void {
    this.push(line);
    this.written++;
  }

  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Writes every chain's blocks to `dir` as they are produced. */
export class BlockDirWriter {
  private readonly writers = new Map<string, BlockFileWriter>();

  constructor(
    readonly dir: string,
    private readonly run?: Record<string, unknown>,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  writer(chain: Chain): BlockFileWriter {
    let w = this.writers.get(chain.id);
    if (!w) {
      w = new BlockFileWriter(blockFilePath(this.dir, chain.id), headerOf(chain, this.run));
      this.writers.set(chain.id, w);
    }
    return w;
  }

  append(chain: Chain, b: BlockResult): void {
    this.writer(chain).append(b);
  }

  close(): void {
    for (const w of this.writers.values()) w.close();
  }
}

export interface LoadedChain {
  header: BlockFileHeader;
  blocks: BlockResult[];
}

/** Loads one chain file. */
export function loadBlockFile(path: string): LoadedChain {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const header = JSON.parse(lines[0] ?? '') as BlockFileHeader;
  if (header.format !== BLOCK_FILE_FORMAT) throw new Error(`${path}: not a ${BLOCK_FILE_FORMAT} file (format ${JSON.stringify(header.format)})`);
  const blocks: BlockResult[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length > 0) blocks.push(decodeBlock(l));
  }
  return { header, blocks };
}

/** Loads every chain file of a directory written by BlockDirWriter, keyed by chain id. */
export function loadBlockDir(dir: string): Map<string, LoadedChain> {
  if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  const out = new Map<string, LoadedChain>();
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith(BLOCK_FILE_SUFFIX)) continue;
    const c = loadBlockFile(join(dir, f));
    out.set(c.header.chainId, c);
  }
  return out;
}
