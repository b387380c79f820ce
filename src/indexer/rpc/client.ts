// One chain's RPC client: checks at startup that the endpoints serve the configured chain and a
// CometBFT line we read (0.34, 0.37, 0.38), picks the cosmjs client for it, and fetches raw blocks
// (`block` and `block_results` in parallel) through the retrying, failing-over transport. The cosmjs
// client answers `status` and is exposed for other queries; blocks are read from the raw JSON
// (raw-block.ts says why).
import { Comet38Client, Tendermint37Client } from '@cosmjs/tendermint-rpc';
import { ChainMismatchError, RpcError, UnsupportedNodeVersionError } from './errors.ts';
import { type CometLine, type RawBlock, checkBlockJson, checkResultsJson, toRawBlock } from './raw-block.ts';
import { BlockPrefetcher } from './prefetch.ts';
import { watchNewBlocks } from './subscribe.ts';
import { RpcPool, type TransportOptions } from './transport.ts';

export type { CometLine, RawBlock, RawEvent, RawTxResult } from './raw-block.ts';

export const SUPPORTED_LINES: readonly CometLine[] = ['0.34', '0.37', '0.38'];

export interface ConnectOptions extends TransportOptions {
  chainId: string;
  /** Tried in order; later ones take over when earlier ones fail. */
  endpoints: string[];
  /** Head polling period when the websocket is down (default 500 ms). */
  pollMs?: number;
  /** Websocket silence after which the head is polled (default 10 s). */
  idleMs?: number;
}

export interface NodeStatus {
  chainId: string;
  nodeVersion: string;
  latestHeight: number;
  latestTimeNs: bigint;
  earliestHeight: number;
  catchingUp: boolean;
}

export interface ChainClient {
  readonly chainId: string;
  readonly line: CometLine;
  /** `node_info.version` of the endpoint that answered first. */
  readonly nodeVersion: string;
  /** The cosmjs client on the same transport, for other queries (abci_query, tx_search, …). */
  readonly comet: Tendermint37Client | Comet38Client;
  readonly pool: RpcPool;
  status(signal?: AbortSignal): Promise<NodeStatus>;
  latestHeight(signal?: AbortSignal): Promise<number>;
  rawBlock(height: number, signal?: AbortSignal): Promise<RawBlock>;
  /**
   * Starts fetching a height for later: resolves when its answer is in, to the function that turns
   * it into the RawBlock (parsing it only then; whatever is wrong with the answer is fetched again
   * through rawBlock, with its retries, failover and errors).
   */
  prefetchBlock?(height: number, signal?: AbortSignal): Promise<() => Promise<RawBlock>>;
  /** Calls `onHeight` as the tip grows, with the block time when known (websocket NewBlock, polling fallback); returns the unsubscribe function. */
  subscribeNewBlocks(onHeight: (height: number, timeNs?: bigint) => void): () => void;
  close(): void;
}

/** The CometBFT line of a `node_info.version` (`v0.38.12`, `0.34.27-terra.1`, …), or undefined. */
export function cometLine(version: string): CometLine | undefined {
  const m = /^v?(\d+)\.(\d+)\./.exec(version);
  const line = m ? `${m[1]}.${m[2]}` : '';
  return (SUPPORTED_LINES as readonly string[]).includes(line) ? (line as CometLine) : undefined;
}

function checkStatus(status: Record<string, any>, endpoint: string, chainId: string, line?: CometLine): CometLine {
  const network = status?.node_info?.network;
  const version = String(status?.node_info?.version ?? '');
  if (network !== chainId) throw new ChainMismatchError(`RPC endpoint ${endpoint} serves chain ${JSON.stringify(network)}, expected ${JSON.stringify(chainId)}`);
  const got = cometLine(version);
  if (!got) {
    throw new UnsupportedNodeVersionError(
      `RPC endpoint ${endpoint} (chain ${chainId}) runs CometBFT/Tendermint ${JSON.stringify(version)}; supported versions: ${SUPPORTED_LINES.map((l) => `${l}.x`).join(', ')}`,
    );
  }
  if (line && got !== line) throw new UnsupportedNodeVersionError(`RPC endpoint ${endpoint} runs CometBFT ${version}, but the other endpoints of ${chainId} run ${line}.x`);
  return got;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Connects to a chain: probes every endpoint once (retrying while none answers); the first one that
 * answers decides the CometBFT line, and every endpoint that answers must serve `chainId` on the
 * same line (a misconfiguration is a startup error). Endpoints that were down are checked the same
 * way before their first use and dropped if they differ.
 */
export async function connectChain(opts: ConnectOptions): Promise<ChainClient> {
  const pool = new RpcPool(opts.endpoints, opts);
  const retries = opts.retries ?? 10;
  let first: { line: CometLine; version: string } | undefined;
  let lastErr: unknown;
  try {
    for (let attempt = 0; !first; attempt++) {
      const probes = await Promise.allSettled(pool.endpoints.map((ep) => pool.probe(ep)));
      probes.forEach((p, i) => {
        if (p.status === 'rejected') return void (lastErr = p.reason);
        const ep = pool.endpoints[i]!;
        // throws on another chain or an unsupported/mixed version
        const line = checkStatus(p.value, ep.href, opts.chainId, first?.line);
        ep.verified = true;
        first ??= { line, version: String(p.value.node_info.version) };
      });
      if (!first) {
        if (attempt >= retries || (lastErr instanceof RpcError && !lastErr.retryable)) {
          throw new Error(`chain ${opts.chainId}: no RPC endpoint answered (${opts.endpoints.join(', ')}): ${(lastErr as Error)?.message ?? lastErr}`, { cause: lastErr });
        }
        await sleep(Math.min(opts.maxBackoffMs ?? 5_000, (opts.backoffMs ?? 50) * 2 ** attempt));
      }
    }
  } catch (e) {
    pool.close();
    throw e;
  }
  const { line, version } = first;
  pool.verify = (status, href) => void checkStatus(status, href, opts.chainId, line);
  return new Client(opts, pool, line, version);
}

class Client implements ChainClient {
  readonly chainId: string;
  readonly comet: Tendermint37Client | Comet38Client;
  private readonly make: (rpc: ReturnType<RpcPool['client']>) => Tendermint37Client | Comet38Client;
  private readonly prefetcher: BlockPrefetcher;

  constructor(
    private readonly opts: ConnectOptions,
    readonly pool: RpcPool,
    readonly line: CometLine,
    readonly nodeVersion: string,
  ) {
    this.chainId = opts.chainId;
    // cosmjs 0.39 has no Tendermint34Client: 0.34 answers have the 0.37 shapes (status, block,
    // block_results) except base64 event attributes, which toRawBlock decodes.
    this.make = line === '0.38' ? (rpc) => Comet38Client.create(rpc) : (rpc) => Tendermint37Client.create(rpc);
    this.comet = this.make(pool.client());
    this.prefetcher = new BlockPrefetcher(pool, {
      toRaw: (height, block, results) => toRawBlock(line, height, block, results),
      checkBlock: checkBlockJson,
      checkResults: checkResultsJson,
      again: (height, signal) => this.rawBlock(height, signal),
    });
  }

  /** A cosmjs client is a thin wrapper: one per call carries that call's abort signal. */
  private tm(signal?: AbortSignal) {
    return signal ? this.make(this.pool.client(signal)) : this.comet;
  }

  async status(signal?: AbortSignal): Promise<NodeStatus> {
    const s = await this.tm(signal).status();
    const t = s.syncInfo.latestBlockTime;
    return {
      chainId: s.nodeInfo.network,
      nodeVersion: s.nodeInfo.version,
      latestHeight: s.syncInfo.latestBlockHeight,
      latestTimeNs: BigInt(t.getTime()) * 1_000_000n + BigInt((t as { nanoseconds?: number }).nanoseconds ?? 0),
      earliestHeight: s.syncInfo.earliestBlockHeight ?? 1,
      catchingUp: s.syncInfo.catchingUp,
    };
  }

  async latestHeight(signal?: AbortSignal): Promise<number> {
    return (await this.status(signal)).latestHeight;
  }

  async rawBlock(height: number, signal?: AbortSignal): Promise<RawBlock> {
    const params = { height: String(height) }; // 64-bit ints go as strings (§1.3)
    const [block, results] = await Promise.all([
      this.pool.call(this.pool.request('block', params), signal, (r) => checkBlockJson(r, height)),
      this.pool.call(this.pool.request('block_results', params), signal, (r) => checkResultsJson(r, height)),
    ]);
    return toRawBlock(this.line, height, block.result, results.result);
  }

  prefetchBlock(height: number, signal?: AbortSignal): Promise<() => Promise<RawBlock>> {
    return this.prefetcher.fetch(height, signal);
  }

  subscribeNewBlocks(onHeight: (height: number, timeNs?: bigint) => void): () => void {
    return watchNewBlocks(onHeight, {
      wsUrl: () => this.pool.preferred().wsUrl,
      poll: async () => {
        const s = await this.status();
        return { height: s.latestHeight, timeNs: s.latestTimeNs };
      },
      pollMs: this.opts.pollMs,
      idleMs: this.opts.idleMs,
      log: this.opts.log,
    });
  }

  close(): void {
    this.pool.close();
  }
}
