// Closed-loop HTTP load: `concurrency` clients on keep-alive connections, each sending its next POST
// as soon as the previous answer is read. A warm-up, then a fixed measured window: latencies of the
// requests that start inside it, req/s = those completed / window. Any non-200 answer, unparsable
// body or GraphQL error counts as an error (a sample of them is kept for the report).
import http from 'node:http';

export interface LoadOptions {
  url: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Request bodies, taken round robin (one shared counter over all clients). */
  bodies: readonly Buffer[];
}

export interface LoadResult {
  requests: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Mean response body size. */
  bytes: number;
  /** CPU time of this (client) process during the measured window, in cores (CPU s / wall s). */
  clientCores: number;
}

/** The q-quantile (nearest rank) of ascending `sorted`. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Why a GraphQL answer is not a success (undefined when it is). */
export function graphqlFailure(status: number, body: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  // cheap path: a success body starts with {"data":{ and names no "errors" key
  if (body.startsWith('{"data":{') && !body.includes('"errors":')) return undefined;
  try {
    const json = JSON.parse(body) as { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
    if (json.errors?.length) return `GraphQL ${json.errors[0]!.extensions?.code ?? 'error'}: ${json.errors[0]!.message}`;
    if (json.data === null || json.data === undefined) return 'no data';
    return undefined;
  } catch {
    return `unparsable body: ${body.slice(0, 200)}`;
  }
}

function post(agent: http.Agent, url: URL, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  if (o.bodies.length === 0) throw new Error('no request bodies');
  const url = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const measureTo = measureFrom + o.durationMs;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let bytes = 0;
  const errorSamples: string[] = [];
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const cpuTimer = setTimeout(() => (cpuAtStart = process.cpuUsage()), o.warmupMs);

  const client = async (): Promise<void> => {
    for (;;) {
      const start = performance.now();
      if (start >= measureTo) return;
      const body = o.bodies[next++ % o.bodies.length]!;
      let failure: string | undefined;
      let size = 0;
      try {
        const res = await post(agent, url, body);
        size = res.body.length;
        failure = graphqlFailure(res.status, res.body);
      } catch (err) {
        failure = `request failed: ${err instanceof Error ? err.message : String(err)}`;
      }
      const end = performance.now();
      if (failure) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(failure);
      }
      if (start >= measureFrom && end <= measureTo) {
        latencies.push(end - start);
        bytes += size;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, client));
  clearTimeout(cpuTimer);
  const cpu = cpuAtStart ? process.cpuUsage(cpuAtStart) : process.cpuUsage();
  agent.destroy();

  const sorted = Float64Array.from(latencies).sort();
  const seconds = o.durationMs / 1000;
  const sum = latencies.reduce((a, b) => a + b, 0);
  return {
    requests: latencies.length,
    errors,
    errorSamples,
    seconds,
    rps: latencies.length / seconds,
    latencyMs: { p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), p99: quantile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN, mean: latencies.length ? sum / latencies.length : NaN },
    bytes: latencies.length ? bytes / latencies.length : 0,
    clientCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}
