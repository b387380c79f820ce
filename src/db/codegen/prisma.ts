// prisma/schema.prisma from the entity model: one model per table, mapped onto the tables that
// schema.sql creates (@@map / @map to the snake_case names, the same index names), so the Prisma
// client the API reads with describes exactly the database migrate.ts builds.
//
// The client is generated with engineType = "client" (Prisma 6.16+: no Rust query engine; queries run
// through a driver adapter, @prisma/adapter-pg), which is what lets `prisma generate` run offline.

import type { ColumnModel, ScalarName, SchemaModel, TableModel } from './model.ts';

const PRISMA_TYPES: Readonly<Record<ScalarName, { type: string; native?: string }>> = {
  String: { type: 'String' },
  Int: { type: 'Int' },
  Boolean: { type: 'Boolean' },
  BigInt: { type: 'Decimal', native: '@db.Decimal(78, 0)' },
  Decimal: { type: 'Decimal', native: '@db.Decimal(38, 18)' },
  DateTime: { type: 'DateTime', native: '@db.Timestamptz' },
  JSON: { type: 'Json' },
};

const HEADER = `// GENERATED FILE: do not edit. Source: schema.graphql; regenerate with \`npm run codegen\`.
// The tables are created by src/db/migrate.ts (src/db/generated/schema.sql), not by prisma migrate.
// BigInt columns are Decimal here (numeric(78,0) is wider than a 64-bit integer).`;

const PREAMBLE = `generator client {
  provider   = "prisma-client-js"
  engineType = "client"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}`;

/** The whole schema.prisma for the model. */
export function generatePrisma(model: SchemaModel): string {
  return [HEADER, PREAMBLE, ...model.tables.map(prismaModel)].join('\n\n') + '\n';
}

function prismaModel(table: TableModel): string {
  const lines: string[] = [];
  if (table.doc !== undefined) lines.push(...docLines(table.doc, ''));
  if (table.history) lines.push('/// Append-only history.');
  lines.push(`model ${table.typeName} {`);

  const singleKey = table.primaryKey.length === 1 ? table.primaryKey[0] : undefined;
  const rows = table.columns.map((c) => ({ c, name: c.field, type: fieldType(c), attrs: fieldAttributes(c, c.field === singleKey) }));
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const typeWidth = Math.max(...rows.map((r) => r.type.length));
  for (const r of rows) {
    if (r.c.description !== undefined) lines.push(...docLines(r.c.description, '  '));
    if (r.c.array && r.c.nullable) lines.push('  /// Nullable in SQL; Prisma reads NULL as [].');
    lines.push(`  ${r.name.padEnd(nameWidth)} ${r.type.padEnd(typeWidth)} ${r.attrs}`.trimEnd());
  }

  const blocks: string[] = [];
  if (singleKey === undefined) blocks.push(`  @@id([${table.primaryKey.join(', ')}])`);
  for (const u of table.uniques) blocks.push(`  @@unique([${u.fields.join(', ')}], map: "${u.name}")`);
  for (const i of table.indexes) blocks.push(`  @@index([${i.fields.join(', ')}], map: "${i.name}")`);
  blocks.push(`  @@map("${table.name}")`);
  lines.push('', ...blocks, '}');
  return lines.join('\n');
}

function fieldType(c: ColumnModel): string {
  const base = PRISMA_TYPES[c.graphqlType].type;
  // Prisma has no optional lists: a nullable list column is a plain list here, and the client reads
  // a NULL as [] (prisma-client.test.ts); the field's doc comment says so.
  if (c.array) return `${base}[]`;
  return c.nullable ? `${base}?` : base;
}

function fieldAttributes(c: ColumnModel, id: boolean): string {
  const attrs: string[] = [];
  if (id) attrs.push('@id');
  if (c.column !== c.field) attrs.push(`@map("${c.column}")`);
  const native = PRISMA_TYPES[c.graphqlType].native;
  if (native !== undefined) attrs.push(native);
  return attrs.join(' ');
}

function docLines(text: string, indent: string): string[] {
  return text.split('\n').map((l) => `${indent}/// ${l}`.trimEnd());
}
