// A long end-to-end check: a seeded devnet run of N blocks on each default chain is served over
// RPC, indexed into an embedded PostgreSQL, and verified against the chains' smart queries.
// `npx tsx bench/indexer-e2e.ts [blocks]` (default 5000). Prints the figures; exit 1 on a mismatch.
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { serve, workloadDevnet } from '../src/indexer/indexer.testkit.ts';
import { runIndexers } from '../src/indexer/run.ts';
import { verifyChain } from '../src/indexer/verify.ts';

const blocks = Number(process.argv[2] ?? 5000);
let t = performance.now();
const w = workloadDevnet({ blocks, users: 200, seed: 3 });
const chains = [...w.devnet.world.chains.values()];
console.log(`devnet: ${chains.map((c) => `${c.id} ${c.height} blocks`).join(', ')} generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const served = await serve(chains);
const db = await startEmbeddedPostgres({ fast: true, persistent: false });
try {
  t = performance.now();
  const stats = await runIndexers({ project: served.project, databaseUrl: db.url, until: 'tip' });
  const s = (performance.now() - t) / 1000;
  const total = stats.reduce((a, x) => a + x.blocks, 0);
  const events = stats.reduce((a, x) => a + x.events, 0);
  console.log(`indexed ${total} blocks, ${events} events in ${s.toFixed(1)} s: ${(total / s).toFixed(0)} blocks/s, ${(events / s).toFixed(0)} events/s; dead letters ${stats.reduce((a, x) => a + x.deadLetters, 0)}`);
  const pool = new pg.Pool({ connectionString: db.url });
  let mismatches = 0;
  for (const chain of served.project.chains) {
    const r = await verifyChain(pool, chain);
    mismatches += r.mismatches.length;
    console.log(`verify ${chain.id}: ${r.mismatches.length} mismatches ${JSON.stringify(r.checked ?? {})}`);
    for (const m of r.mismatches.slice(0, 10)) console.log(`  ${m}`);
  }
  const packets = await pool.query(`SELECT outcome, count(*)::int AS n, count(*) FILTER (WHERE send_height IS NULL)::int AS no_send,
      count(*) FILTER (WHERE recv_height IS NULL AND outcome <> 'timed_out')::int AS no_recv FROM ibc_packets GROUP BY outcome ORDER BY outcome`);
  console.log(`ibc_packets: ${JSON.stringify(packets.rows)}`);
  await pool.end();
  process.exitCode = mismatches > 0 ? 1 : 0;
} finally {
  await served.close();
  await db.stop();
}
