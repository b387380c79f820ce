// Prisma CLI configuration (found at the repository root by every prisma command):
//   prisma generate
//
// Why a config file: with `engine: 'js'` (and engineType = "client" in the generated schema) the CLI
// needs neither the Rust schema engine nor the query engine, so it downloads nothing and
// `prisma generate` works offline. The tables themselves come from src/db/migrate.ts, not from
// `prisma migrate`.
import { defineConfig } from 'prisma/config';

// `prisma generate` reads the datasource block before generating, and fails on an unset
// env("DATABASE_URL") even though generation never connects; a placeholder keeps it offline-safe.
if (!process.env.DATABASE_URL?.trim()) process.env.DATABASE_URL = 'postgresql://localhost/unused-by-prisma-generate';
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  experimental: { adapter: true },
  schema: 'prisma/schema.prisma',
  engine: 'js',
  adapter: async () => {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
