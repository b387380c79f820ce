// `npm run bench -- <suite> [options]`: runs one benchmark suite and prints its numbers against the
// targets, with a PASS/FAIL line each. Exit code 1 when a hard limit is missed.
// Suites live beside this file as bench/<suite>.ts and export `run(args): Promise<boolean>`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SUITES: Record<string, string> = {
  devnet: 'fast-mode generation speed of the devnet workload and RPC serving speed (block + block_results)',
  indexer: 'per chain: dense and sparse sync speed over RPC, head lag with 1 s blocks, peak RSS of the indexer process',
  api: 'GraphQL API at 32 clients on ≥ 1M history rows: account view and history pages, latency p50/p99 and req/s, with CPU and PostgreSQL breakdown',
};

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);

function usage(): never {
  console.error('usage: npm run bench -- <suite> [options]');
  for (const [n, doc] of Object.entries(SUITES)) console.error(`  ${n.padEnd(10)} ${doc}`);
  process.exit(2);
}

if (!name || name === '--help' || name === '-h') usage();
const file = join(here, `${name}.ts`);
if (!(name in SUITES) || !existsSync(file)) {
  console.error(`unknown bench suite ${JSON.stringify(name)}`);
  usage();
}
const suite = (await import(`./${name}.ts`)) as { run(args: string[]): Promise<boolean> };
const ok = await suite.run(args);
process.exit(ok ? 0 : 1);
