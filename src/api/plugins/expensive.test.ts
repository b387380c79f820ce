// Expensive fields (every connection's totalCount, fields marked @expensive) run under a server-wide
// concurrency limit with a bounded queue, and a request may resolve only a few of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcurrencyLimiter } from './expensive.ts';
import { platformApi } from './platform.testkit.ts';
import { probeModule } from './probe.testkit.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the limiter runs at most `concurrency` at once, queues a bounded number, refuses the rest', async () => {
  const limiter = new ConcurrencyLimiter({ concurrency: 2, queue: 1, queueTimeoutMs: 1000 });
  let running = 0;
  let peak = 0;
  const job = (ms: number) => async () => {
    running++;
    peak = Math.max(peak, running);
    await sleep(ms);
    running--;
    return ms;
  };
  const results = await Promise.allSettled([limiter.run(job(50)), limiter.run(job(50)), limiter.run(job(10)), limiter.run(job(10))]);
  assert.equal(peak, 2);
  assert.deepEqual(results.slice(0, 3).map((r) => r.status === 'fulfilled' && r.value), [50, 50, 10]);
  assert.equal(results[3]!.status, 'rejected');
  assert.equal((results[3] as PromiseRejectedResult).reason.extensions.code, 'SERVER_BUSY');
  assert.equal(limiter.active, 0);
  assert.equal(limiter.queued, 0);

  // a waiter that gets no slot in time is refused, and the slot it would have had is not lost
  const slow = new ConcurrencyLimiter({ concurrency: 1, queue: 5, queueTimeoutMs: 30 });
  const first = slow.run(job(100));
  await assert.rejects(slow.run(job(1)), (e: any) => e.extensions.code === 'SERVER_BUSY' && /within 30 ms/.test(e.message));
  assert.equal(await first, 100);
  assert.equal(await slow.run(job(1)), 1);
  assert.equal(slow.active, 0);
});

test('totalCount and @expensive fields share the bound; a request may resolve only perRequest of them', async (t) => {
  const { module, counters } = probeModule();
  const h = await platformApi({ modules: [module], expensive: { concurrency: 2, queue: 0, queueTimeoutMs: 1000, perRequest: 3 } });
  t.after(() => h.close());

  const ok = await h.gql('{ probeCount(ms: 1) { totalCount edges { node } } probeExpensive(ms: 1) }');
  assert.deepEqual(ok.data, { probeCount: { totalCount: 3, edges: [{ node: 1 }, { node: 2 }, { node: 3 }] }, probeExpensive: 1 });

  // four aliases of totalCount in one request: three answer, the fourth is refused
  const many = await h.gql('{ a: probeCount(ms: 1) { totalCount } b: probeCount(ms: 1) { totalCount } c: probeCount(ms: 1) { totalCount } d: probeCount(ms: 1) { totalCount } }');
  assert.equal(many.errors?.length, 1);
  assert.equal(many.errors![0]!.extensions?.code, 'QUERY_TOO_EXPENSIVE');
  assert.match(many.errors![0]!.message, /at most 3 expensive fields/);

  // three concurrent requests with a slow expensive field: two run, the third finds no slot
  counters.maxConcurrent = 0;
  const answers = await Promise.all([1, 2, 3].map(() => h.gql('{ probeExpensive(ms: 1000) }')));
  const busy = answers.filter((a) => a.errors?.[0]?.extensions?.code === 'SERVER_BUSY');
  const served = answers.filter((a) => a.data?.probeExpensive === 1000);
  assert.equal(served.length, 2, JSON.stringify(answers));
  assert.equal(busy.length, 1, JSON.stringify(answers));
  assert.equal(counters.maxConcurrent, 2);
  // non-expensive fields are not limited
  const plain = await Promise.all([1, 2, 3, 4].map(() => h.gql('{ apiVersion }')));
  assert.ok(plain.every((p) => p.data?.apiVersion === '1'));
});
