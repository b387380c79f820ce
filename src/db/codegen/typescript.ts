// TypeScript from the entity model: one interface per entity (the row as the indexer writes it) and
// TABLES, the per-table column metadata (order, SQL type, nullability) that the COPY writer and
// migrate.ts use.

import type { ColumnModel, ScalarName, SchemaModel, TableModel } from './model.ts';
import { quoteIdent } from './sql.ts';

/** TypeScript type of each scalar as the indexer holds it. */
export const SCALAR_TS_TYPES: Readonly<Record<ScalarName, string>> = {
  String: 'string',
  Int: 'number',
  Boolean: 'boolean',
  BigInt: 'bigint',
  Decimal: 'string',
  DateTime: 'Date',
  JSON: 'unknown',
};

const HEADER = `// GENERATED FILE: do not edit. Source: schema.graphql; regenerate with \`npm run codegen\`.
//
// Entity row types (BigInt → bigint, Decimal → decimal string, DateTime → Date, JSON → unknown;
// a nullable column is \`T | null\`) and TABLES: each table's columns in declaration order (the order of
// COPY column lists and of the CREATE TABLE in schema.sql), with SQL types and keys.`;

const PRELUDE = `/** GraphQL scalar of a column (of its items for a list column). */
export type ColumnScalar = 'String' | 'Int' | 'Boolean' | 'BigInt' | 'Decimal' | 'DateTime' | 'JSON';

export interface ColumnMeta {
  /** Property name (camelCase) in the entity interface. */
  readonly name: string;
  /** SQL column name (snake_case, unquoted; quote with \`quoted\` or pg's escapeIdentifier). */
  readonly column: string;
  /** The column name as it must appear in SQL (double-quoted when it is a reserved word, e.g. "user"). */
  readonly quoted: string;
  /** PostgreSQL type as in schema.sql, e.g. \`numeric(78,0)\`, \`text[]\`. */
  readonly sqlType: string;
  readonly scalar: ColumnScalar;
  readonly nullable: boolean;
  readonly array: boolean;
}

export interface TableMeta {
  /** SQL table name. */
  readonly name: string;
  /** Entity (GraphQL type, TypeScript interface, Prisma model) name. */
  readonly entity: string;
  /** Append-only history table. */
  readonly history: boolean;
  /** Columns in declaration order. */
  readonly columns: readonly ColumnMeta[];
  /** Primary key property names, in key order. */
  readonly primaryKey: readonly string[];
  /** Primary key SQL column names (unquoted), in key order. */
  readonly primaryKeyColumns: readonly string[];
  /** Unique keys (besides the primary key) as SQL column names (unquoted). */
  readonly uniqueKeys: readonly (readonly string[])[];
}`;

/** The whole entities.ts module for the model. */
export function generateTypescript(model: SchemaModel): string {
  const out: string[] = [HEADER, '', PRELUDE, ''];
  for (const table of model.tables) out.push(entityInterface(table), '');

  out.push('/** Entity name → row type. */');
  out.push('export interface Entities {');
  for (const t of model.tables) out.push(`  ${t.typeName}: ${t.typeName};`);
  out.push('}', '');
  out.push('export type EntityName = keyof Entities;', '');

  out.push('/** Per-entity table metadata, in schema order. */');
  out.push('export const TABLES = {');
  for (const t of model.tables) out.push(tableMeta(t));
  out.push('} as const satisfies { readonly [K in EntityName]: TableMeta };', '');

  out.push('/** SQL table name → entity name. */');
  out.push('export const ENTITY_BY_TABLE = {');
  for (const t of model.tables) out.push(`  ${t.name}: '${t.typeName}',`);
  out.push('} as const satisfies Record<string, EntityName>;');
  return out.join('\n') + '\n';
}

function entityInterface(table: TableModel): string {
  const lines: string[] = [];
  const doc = [table.doc, `Table \`${table.name}\`${table.history ? ' (append-only history)' : ''}, primary key (${table.primaryKey.join(', ')}).`]
    .filter((s): s is string => s !== undefined)
    .join('\n');
  lines.push(docComment(doc, ''));
  lines.push(`export interface ${table.typeName} {`);
  for (const c of table.columns) {
    if (c.description !== undefined) lines.push(docComment(c.description, '  '));
    lines.push(`  ${c.field}: ${tsType(c)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

function tsType(c: ColumnModel): string {
  let t = SCALAR_TS_TYPES[c.graphqlType];
  if (c.array) t = `${t}[]`;
  return c.nullable ? `${t} | null` : t;
}

function tableMeta(t: TableModel): string {
  const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const list = (xs: readonly string[]) => `[${xs.map(str).join(', ')}]`;
  const lines: string[] = [];
  lines.push(`  ${t.typeName}: {`);
  lines.push(`    name: ${str(t.name)},`);
  lines.push(`    entity: ${str(t.typeName)},`);
  lines.push(`    history: ${t.history},`);
  lines.push('    columns: [');
  for (const c of t.columns) {
    lines.push(
      `      { name: ${str(c.field)}, column: ${str(c.column)}, quoted: ${str(quoteIdent(c.column))}, sqlType: ${str(c.sqlType)}, scalar: ${str(c.graphqlType)}, nullable: ${c.nullable}, array: ${c.array} },`,
    );
  }
  lines.push('    ],');
  lines.push(`    primaryKey: ${list(t.primaryKey)},`);
  lines.push(`    primaryKeyColumns: ${list(t.primaryKeyColumns)},`);
  lines.push(`    uniqueKeys: [${t.uniques.map((u) => list(u.columns)).join(', ')}],`);
  lines.push('  },');
  return lines.join('\n');
}

function docComment(text: string, indent: string): string {
  const body = text.replace(/\*\//g, '*\\/').split('\n');
  if (body.length === 1) return `${indent}/** ${body[0]} */`;
  return [`${indent}/**`, ...body.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`].join('\n');
}
