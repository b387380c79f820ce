// Write-path micro-benchmark: `npx tsx src/indexer/store/writer.bench.ts [--batches N] [--blocks N]`.
// Uses DATABASE_URL when set, else starts an embedded PostgreSQL (fast mode: fsync off, as in tests).
//
// Sync-sized batches: `blocks` blocks × 20 txs → 2.5 history rows per tx (lien, delegation and
// reward events), 5 upserts per block (positions, liens, cross stakes over a few thousand stakers) and
// 0.5 merged IBC packet per block, all flushed with the cursor in one transaction. Then head-sized
// batches (one block each) for the per-flush latency that bounds head lag.

import { parseArgs } from 'node:util';
import { createTestDatabase } from '../../db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres.ts';
import { migrate } from '../../db/migrate.ts';
import { WriteBuffer } from './buffer.ts';
import { at, lienEvent, packetBase, position } from './store.testkit.ts';
import { flush, registerChain } from './writer.ts';

const TXS_PER_BLOCK = 20;

function fillBlock(buf: WriteBuffer, h: number): void {
  for (let tx = 0; tx < TXS_PER_BLOCK; tx++) {
    const n = h * TXS_PER_BLOCK + tx;
    buf.insert('LienEvent', { ...lienEvent(n, h), id: `provider-1/${h}/${tx}/l`, staker: `staker${n % 3000}` });
    buf.insert('DelegationEvent', {
      id: `provider-1/${h}/${tx}/d`,
      chainId: 'provider-1',
      contract: 'external1',
      staker: `staker${n % 3000}`,
      validator: `val${n % 50}`,
      kind: 'stake',
      amount: 1000n + BigInt(n),
      stakeLowAfter: 10n ** 18n,
      stakeHighAfter: 10n ** 18n + BigInt(n),
      txId: BigInt(n),
      status: 'pending',
      height: h,
      time: at(h),
      txHash: `TX${h}-${tx}`,
      msgIndex: 0,
      eventIndex: 3,
    });
    if (tx % 2 === 0) {
      buf.insert('RewardEvent', {
        id: `provider-1/${h}/${tx}/r`,
        chainId: 'provider-1',
        contract: 'external1',
        kind: 'withdrawal',
        validator: `val${n % 50}`,
        staker: `staker${n % 3000}`,
        recipient: `staker${n % 3000}`,
        amount: BigInt(n),
        denom: 'ujuno',
        txId: null,
        packetId: null,
        height: h,
        time: at(h),
        txHash: `TX${h}-${tx}`,
        msgIndex: 0,
        eventIndex: 5,
      });
    }
  }
  for (let i = 0; i < 2; i++) buf.upsert('VaultPosition', position(`staker${(h * 7 + i) % 3000}`, BigInt(h) * 1000n, h));
  for (let i = 0; i < 2; i++) {
    buf.upsert('Lien', { chainId: 'provider-1', vault: 'vault1', staker: `staker${(h * 5 + i) % 3000}`, lienholder: 'external1', amountLow: BigInt(h), amountHigh: BigInt(h), slashable: '0.1', height: h, time: at(h) });
  }
  buf.upsert('CrossStake', {
    chainId: 'provider-1',
    externalStaking: 'external1',
    staker: `staker${(h * 3) % 3000}`,
    validator: `val${h % 50}`,
    stakeLow: BigInt(h),
    stakeHigh: BigInt(h),
    pointsAlignment: 0n,
    pointsAlignmentNegative: false,
    withdrawnFunds: 0n,
    height: h,
    time: at(h),
  });
  if (h % 2 === 0) buf.merge('IbcPacket', { ...packetBase(BigInt(h)), sendHeight: h, sendTime: at(h), sendTxHash: `TX${h}-0`, payload: { stake: { validator: 'val1', amount: String(h) } } });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function run(args: string[] = []): Promise<boolean> {
  const { values } = parseArgs({ args, options: { batches: { type: 'string', default: '5' }, blocks: { type: 'string', default: '1000' }, head: { type: 'string', default: '300' } } });
  const batches = Number(values.batches);
  const blocks = Number(values.blocks);
  const headFlushes = Number(values.head);

  let server: EmbeddedPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    server = await startEmbeddedPostgres({ fast: true });
    process.env.DATABASE_URL = server.url;
  }
  const db = await createTestDatabase();
  const pool = db.pool(2);
  try {
    await migrate(pool);
    await registerChain(pool, { chainId: 'provider-1', bech32Prefix: 'osmo' });
    let height = 0;
    const rates: number[] = [];
    for (let b = 0; b < batches; b++) {
      const buf = new WriteBuffer();
      const t0 = performance.now();
      for (let i = 0; i < blocks; i++) fillBlock(buf, ++height);
      const t1 = performance.now();
      const res = await flush(pool, buf, { chainId: 'provider-1', height, time: at(height), hash: `H${height}` });
      const rate = res.rows / (res.ms / 1000);
      rates.push(rate);
      const sizes = Object.entries(buf.sizes()).map(([t, n]) => `${t} ${n}`).join(', ');
      console.log(`batch ${b + 1}: ${res.rows} rows (${sizes}) buffered in ${(t1 - t0).toFixed(0)} ms, flushed in ${res.ms.toFixed(0)} ms → ${Math.round(rate)} rows/s`);
    }
    console.log(`sync batches: median ${Math.round(pct(rates, 50))} rows/s, min ${Math.round(Math.min(...rates))} rows/s`);

    const latencies: number[] = [];
    for (let i = 0; i < headFlushes; i++) {
      const buf = new WriteBuffer();
      fillBlock(buf, ++height);
      latencies.push((await flush(pool, buf, { chainId: 'provider-1', height, time: at(height), hash: `H${height}` })).ms);
    }
    console.log(`head batches (1 block, ~${TXS_PER_BLOCK * 2.5 + 5.5} rows): flush p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`);

    const sparse: number[] = [];
    for (let i = 0; i < 50; i++) {
      height += 1000;
      sparse.push((await flush(pool, new WriteBuffer(), { chainId: 'provider-1', height, time: at(height), hash: `H${height}` })).ms);
    }
    console.log(`empty batches (cursor only): p50 ${pct(sparse, 50).toFixed(2)} ms`);
    console.log(`rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
    return true;
  } finally {
    await pool.end();
    await db.drop();
    await server?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
