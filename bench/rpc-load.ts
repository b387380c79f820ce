// Load generator for the RPC serving benchmark, run as its own process (the server keeps the other
// core): `concurrency` workers, each with two keep-alive connections on loopback, fetching `block` and
// `block_results` of one height at a time (a "pair"), heights cycling over 1..max. Bounded in count
// and time; prints one JSON line {pairs, seconds, errors, retries, bytes, clientCpu}.
//   node --import tsx bench/rpc-load.ts <url> <maxHeight> <seconds> <concurrency> <maxPairs>
//
// HTTP/1.1 is spoken over node:net directly, reading only the status line, Content-Length and
// Connection, the way wrk does: on a 2-core machine the client's CPU is taken from the server. node:http's client used a
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
/** A request not fully answered this long (at most the run's length) fails, and its connection is dropped. */
const REQUEST_TIMEOUT_MS = Math.min(10_000, seconds * 1000);
const HEADER_END = Buffer.from('\r\n\r\n');

interface Pending {
  path: string;
  resolve: (bytes: number) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  /** Whether it went out on a connection that had already been answered on (kept alive). */
  reused: boolean;
  retried: boolean;
}

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private socket: Socket | undefined;
  /** Answers read on the current socket. */
  private answered = 0;
  private pending: Pending | undefined;
  /** Header bytes read so far (until the blank line); undefined before the answer's first byte. */
  private head: Buffer | undefined;
  private status = 0;
  /** The answer closes the connection (`Connection: close`, or HTTP/1.0 without keep-alive). */
  private closing = false;
  /** Body bytes still to come; -1 while reading the header. */
  private left = -1;
  /** Body bytes read (what node:http's client counted, so MiB/s compares with earlier runs). */
  private bytes = 0;
  /** The body's first bytes, to check it is a JSON-RPC result. */
  private start = '';

  get(path: string): Promise<number> {
    if (this.pending) return Promise.reject(new Error('rpc-load: request already in flight'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no full answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
      this.send({ path, resolve, reject, timer, reused: false, retried: false });
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private send(p: Pending): void {
    const s = this.socket ?? this.open();
    p.reused = this.answered > 0;
    this.pending = p;
    this.head = undefined;
    this.left = -1;
    this.bytes = 0;
    this.start = '';
    s.write(`GET ${p.path} HTTP/1.1\r\nHost: ${target.host}\r\n\r\n`);
  }

  private open(): Socket {
    const s = connect(port, target.hostname);
    s.setNoDelay(true);
    this.answered = 0;
    // events of a socket already dropped must not touch its successor
    s.on('data', (c: Buffer) => this.socket === s && this.read(c));
    s.on('error', (e) => this.socket === s && this.fail(e));
    s.on('close', () => this.socket === s && this.fail(new Error('connection closed by the server')));
    this.socket = s;
    return s;
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  /**
   * Drops the connection (the next request opens another) and fails the request in flight, or sends
   * it once more on a new connection when a kept-alive one was closed before any of its answer came
   * (the server may close an idle connection as the request goes out).
   */
  private fail(e: Error): void {
    this.drop();
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    if (p.reused && !p.retried && this.head === undefined && !/no full answer/.test(e.message)) {
      p.retried = true;
      retries++;
      return this.send(p);
    }
    clearTimeout(p.timer);
    p.reject(new Error(`${p.path}: ${e.message}`));
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
      this.head = head;
      const text = head.subarray(0, end).toString('latin1');
      const line = /^HTTP\/1\.([01]) (\d{3})/.exec(text);
      if (!line) return this.fail(new Error(`not an HTTP/1.x status line: ${JSON.stringify(text.slice(0, 40))}`));
      this.status = Number(line[2]);
      const len = /\r\ncontent-length: *(\d+)/i.exec(text);
      if (!len) return this.fail(new Error(`HTTP ${this.status} answer without Content-Length`));
      this.left = Number(len[1]);
      this.closing = /\r\nconnection: *close/i.test(text) || (line[1] === '0' && !/\r\nconnection: *keep-alive/i.test(text));
      c = head.subarray(end + HEADER_END.length);
    }
    if (this.start.length < 64) this.start += c.subarray(0, 64).toString('latin1');
    if (c.length > this.left) return this.fail(new Error(`${c.length - this.left} bytes past the announced Content-Length`));
    this.left -= c.length;
    this.bytes += c.length;
    if (this.left > 0) return;
    const p = this.pending;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.answered++;
    if (this.closing) this.drop();
    if (this.status === 200 && this.start.includes('"result"')) p.resolve(this.bytes);
    else p.reject(new Error(`HTTP ${this.status} for ${p.path}: ${this.start}`));
  }
}

let next = 0;
let pairs = 0;
/** Requests sent again after a kept-alive connection closed under them. */
let retries = 0;
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
console.log(JSON.stringify({ pairs, seconds: secs, errors, retries, bytes, firstError, clientCpu: (cpu.user + cpu.system) / 1e6 / secs }));
