// Load generator for the RPC serving benchmark, run as its own process (the server keeps the other
// core): keep-alive HTTP on loopback, `concurrency` workers each fetching `block` and
// `block_results` of one height at a time (a "pair"), heights cycling over 1..max. Bounded in count
// and time; prints one JSON line {pairs, seconds, errors, bytes}.
//   node --import tsx bench/rpc-load.ts <url> <maxHeight> <seconds> <concurrency> <maxPairs>
import { Agent, request } from 'node:http';

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
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, agent, method: 'GET' }, (res) => {
      let bytes = 0;
      let ok = res.statusCode === 200;
      let head = '';
      res.on('data', (c: Buffer) => {
        if (head.length < 64) head += c.subarray(0, 64).toString('latin1');
        bytes += c.length;
      });
      res.on('end', () => {
        if (!head.includes('"result"')) ok = false;
        ok ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode} for ${path}: ${head}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let next = 0;
let pairs = 0;
let errors = 0;
let bytes = 0;
let firstError: string | undefined;
const start = performance.now();
const deadline = start + seconds * 1000;

async function worker(): Promise<void> {
  while (performance.now() < deadline && next < maxPairs) {
    const h = (next++ % maxHeight) + 1;
    try {
      const [a, b] = await Promise.all([get(`/block?height=${h}`), get(`/block_results?height=${h}`)]);
      bytes += a + b;
      pairs++;
    } catch (e) {
      errors++;
      firstError ??= (e as Error).message;
      if (errors > 100) return;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
const secs = (performance.now() - start) / 1000;
agent.destroy();
console.log(JSON.stringify({ pairs, seconds: secs, errors, bytes, firstError }));
