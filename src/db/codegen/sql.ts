// SQL DDL from the entity model: one idempotent script (CREATE … IF NOT EXISTS, COMMENT ON) that
// src/db/migrate.ts applies. Output depends only on the model, so it is byte-for-byte reproducible.

import type { ColumnModel, IndexModel, SchemaModel, TableModel } from './model.ts';

/**
 * PostgreSQL keywords that cannot be used as a bare column or table name: the "reserved" and
 * "reserved (can be function or type)" categories (pg_get_keywords() catcode R and T; PostgreSQL 18).
 * sql.test.ts checks this list against the server's own.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation ' +
    'column concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze ' +
    'from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references ' +
    'returning right select session_user similar some symmetric system_user table tablesample then to trailing true union ' +
    'unique user using variadic verbose when where window with'
  ).split(' '),
);

/** Quotes an identifier when it is a reserved word or not a plain lower-case name. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED_WORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for SQL (standard_conforming_strings on). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export const SQL_HEADER = [
  '-- GENERATED FILE: do not edit. Source: schema.graphql; regenerate with `npm run codegen`.',
  '-- Applied by src/db/migrate.ts (idempotent: every statement may run again on an up-to-date database).',
];

/** The whole DDL script for the model. */
export function generateSql(model: SchemaModel): string {
  const parts: string[] = [SQL_HEADER.join('\n')];
  for (const table of model.tables) parts.push(tableSql(table));
  return parts.join('\n\n') + '\n';
}

/** CREATE TABLE, its comments and its indexes. */
export function tableSql(table: TableModel): string {
  const t = quoteIdent(table.name);
  const lines: string[] = [];
  lines.push(`-- ${table.typeName}${table.history ? ' (history: append-only)' : ''}`);
  const width = Math.max(...table.columns.map((c) => quoteIdent(c.column).length));
  const defs = table.columns.map((c) => `  ${quoteIdent(c.column).padEnd(width)} ${columnType(c)}`);
  defs.push(`  PRIMARY KEY (${table.primaryKeyColumns.map(quoteIdent).join(', ')})`);
  lines.push(`CREATE TABLE IF NOT EXISTS ${t} (\n${defs.join(',\n')}\n);`);
  if (table.doc !== undefined) lines.push(`COMMENT ON TABLE ${t} IS ${quoteLiteral(table.doc)};`);
  for (const c of table.columns) {
    if (c.description !== undefined) lines.push(`COMMENT ON COLUMN ${t}.${quoteIdent(c.column)} IS ${quoteLiteral(c.description)};`);
  }
  for (const idx of [...table.indexes, ...table.uniques]) lines.push(indexSql(table, idx));
  return lines.join('\n');
}

function columnType(c: ColumnModel): string {
  return c.nullable ? c.sqlType : `${c.sqlType} NOT NULL`;
}

function indexSql(table: TableModel, idx: IndexModel): string {
  return `CREATE ${idx.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quoteIdent(idx.name)} ON ${quoteIdent(table.name)} (${idx.columns.map(quoteIdent).join(', ')});`;
}
