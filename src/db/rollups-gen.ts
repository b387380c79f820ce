// Writes src/db/rollups.sql from the rollup definitions in src/db/rollups.ts:
//   npx tsx src/db/rollups-gen.ts
// (src/db/rollups.test.ts fails while the checked-in file differs from what this writes).
import { writeFileSync } from 'node:fs';
import { ROLLUPS_SQL_URL } from './analytics.ts';
import { renderRollupsSql } from './rollups.ts';

writeFileSync(ROLLUPS_SQL_URL, renderRollupsSql());
console.log(`wrote ${ROLLUPS_SQL_URL.pathname}`);
