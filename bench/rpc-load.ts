// Load generator for the RPC serving benchmark, run as its own process (the server keeps the other
// core): `concurrency` workers, each with two keep-alive connections on loopback, fetching `block` and
// `block_results` of one height at a time (a "pair"), heights cycling over 1..max. Bounded in count
// and time; prints one JSON line {pairs, seconds, errors, bytes, clientCpu}.
//   node --import tsx bench/rpc-load.ts <url> <maxHeight> <seconds> <concurrency> <maxPairs>
//
// HTTP/1.1 is spoken over node:net directly, reading only the status line and Content-Length, the way
// wrk does: on a 2-core machine the client's CPU is taken from the server. node:http's client used a
// whole core for ~2,700 pairs/s and left the server 38% idle; autocannon (http-parser-js) used 0.9–1.0
// core; this one uses ~0.65 and the server is then the limit (near a full core, mostly in writev).
import { type Socket, connect } from 'node:net';

const [url, maxHeightArg, secondsArg, concurrencyArg, maxPairsArg] = process.argv.slice(2);
if (!url || !url.startsWith('http://127.0.0.1:')) {
  console.error('rpc-load: the target must be http://127.0.0.1:<port> (loopback only)');
  process.exit(2);
}
const maxHeight = Number(maxHeightArg ?? 100);
const seconds = Number(secondsArg ?? 10);
const concurrency = Number(concurrencyArg ?? 16);
const maxPairs = Number(maxPairsArg ?? 100_000);
const target = new URL(url);
const port = Number(target.port);
/** A request unanswered this long (at most the run's length) fails, and its connection is dropped. */
const REQUEST_TIMEOUT_MS = Math.min(10_000, seconds * 1000);
const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private socket: Socket | undefined;
  private pending: { path: string; resolve: (bytes: number) => void; reject: (e: Error) => void } | undefined;
  /** Header bytes read so far (until the blank line). */
  private head: Buffer | undefined;
  private status = 0;
  /** The answer says `Connection: close`: the next request needs a new connection. */
  private closing = false;
  /** Body bytes still to come; -1 while reading the header. */
  private left = -1;
  private bytes = 0;
  /** The body's first bytes, to check it is a JSON-RPC result. */
  private start = '';

  get(path: string): Promise<number> {
    if (this.pending) return Promise.reject(new Error('rpc-load: request already in flight'));
    const s = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.pending = { path, resolve, reject };
      this.head = undefined;
      this.left = -1;
      this.bytes = 0;
      this.start = '';
      s.write(`GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private open(): Socket {
    const s = connect(port, target.hostname);
    s.setNoDelay(true);
    // events of a socket already dropped must not touch its successor
    const mine = (f: () => void) => () => this.socket === s && f();
    s.setTimeout(REQUEST_TIMEOUT_MS, mine(() => this.fail(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`))));
    s.on('data', (c: Buffer) => this.socket === s && this.read(c));
    s.on('error', (e) => this.socket === s && this.fail(e));
    s.on('close', mine(() => this.fail(new Error('connection closed by the server'))));
    this.socket = s;
    return s;
  }

  /** Drops the connection (the next request opens another) and fails the request in flight. */
  private fail(e: Error): void {
    this.socket?.destroy();
    this.socket = undefined;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new Error(`${p.path}: ${e.message}`));
  }

  private read(c: Buffer): void {
    if (!this.pending) return this.fail(new Error(`${c.length} bytes with no request in flight`));
    if (this.left < 0) {
      const head = this.head ? Buffer.concat([this.head, c]) : c;
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        this.head = head;
        return;
      }
      const text = head.subarray(0, end).toString('latin1');
      this.status = Number(text.slice(9, 12));
      const len = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (!len) return this.fail(new Error(`HTTP ${this.status} answer without Content-Length`));
      this.left = Number(len[1]);
      this.closing = /\r\nconnection: *close/i.test(text);
      this.bytes = end + HEADER_END.length;
      c = head.subarray(end + HEADER_END.length);
    }
    if (this.start.length < 64) this.start += c.subarray(0, 64).toString('latin1');
    if (c.length > this.left) return this.fail(new Error(`${c.length - this.left} bytes past the announced Content-Length`));
    this.left -= c.length;
    this.bytes += c.length;
    if (this.left > 0) return;
    const p = this.pending;
    this.pending = undefined;
    if (this.closing) {
      this.socket?.destroy();
      this.socket = undefined;
    }
    if (this.status === 200 && this.start.includes('"result"')) p.resolve(this.bytes);
    else p.reject(new Error(`HTTP ${this.status} for ${p.path}: ${this.start}`));
  }
}

let next = 0;
let pairs = 0;
let errors = 0;
let bytes = 0;
let firstError: string | undefined;
const start = performance.now();
const cpu0 = process.cpuUsage();
const deadline = start + seconds * 1000;
const connections: Connection[] = [];

async function worker(): Promise<void> {
  const a = new Connection();
  const b = new Connection();
  connections.push(a, b);
  while (performance.now() < deadline && next < maxPairs) {
    const h = (next++ % maxHeight) + 1;
    // both settle before the next pair: each connection has one request in flight at most
    const [x, y] = await Promise.allSettled([a.get(`/block?height=${h}`), b.get(`/block_results?height=${h}`)]);
    if (x.status === 'fulfilled' && y.status === 'fulfilled') {
      bytes += x.value + y.value;
      pairs++;
    } else {
      errors++;
      firstError ??= ((x.status === 'rejected' ? x.reason : (y as PromiseRejectedResult).reason) as Error).message;
      if (errors > 100) return;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
const secs = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
for (const c of connections) c.close();
console.log(JSON.stringify({ pairs, seconds: secs, errors, bytes, firstError, clientCpu: (cpu.user + cpu.system) / 1e6 / secs }));
