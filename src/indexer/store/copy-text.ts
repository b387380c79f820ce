// PostgreSQL COPY text format for entity rows (https://www.postgresql.org/docs/current/sql-copy.html,
// "Text Format"): one line per row, columns separated by tab, NULL as \N, and backslash, tab, newline
// and carriage return escaped inside values. Encoders are built once per table from TABLES metadata.

import type { ColumnMeta, TableMeta } from '../../db/generated/entities.ts';
import { stringifyJson, type JsonValue } from '../../protocol/codec/json.ts';

type Encode = (v: unknown) => string;

/**
 * A JSON column value already serialized (e.g. the replica's state, which is JSON.stringify'd once
 * instead of being turned into an object and serialized again): COPY writes the text as it is and
 * jsonb parses it. `toJSON` gives the value for anything else that serializes rows.
 */
export class JsonText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_G = /[\\\t\n\r\0]/g;
// NUL cannot be stored in PostgreSQL text at all; U+FFFD keeps the row (and the batch) writable.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\uFFFD' };

/** Escapes a value's text for a COPY text-format field. */
export function escapeCopy(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_G, (c) => ESCAPES[c]!) : s;
}

/** Value → its PostgreSQL input text (before COPY escaping), by GraphQL scalar. */
const SCALAR_TEXT: Record<ColumnMeta['scalar'], Encode> = {
  String: (v) => v as string,
  Int: (v) => String(v),
  // bigint (numeric(78,0)); a decimal string is passed through for callers holding one.
  BigInt: (v) => (typeof v === 'bigint' ? v.toString() : String(v)),
  // Decimal strings (or a protocol Decimal, whose toString() is its decimal form).
  Decimal: (v) => String(v),
  Boolean: (v) => (v ? 't' : 'f'),
  DateTime: (v) => (v as Date).toISOString(),
  // Lossless: bigint stays an exact JSON number (jsonb keeps numeric precision).
  JSON: (v) => (v instanceof JsonText ? v.text : stringifyJson(v as JsonValue)),
};

/** PostgreSQL array literal: every element double-quoted, `"` and `\` backslash-escaped, NULL bare. */
function arrayLiteral(items: readonly unknown[], el: Encode): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (i > 0) out += ',';
    out += v == null ? 'NULL' : `"${el(v).replace(/["\\]/g, '\\$&')}"`;
  }
  return out + '}';
}

/** Encoder of one column's non-null value to an escaped COPY field. */
export function columnEncoder(col: ColumnMeta): Encode {
  const el = SCALAR_TEXT[col.scalar];
  if (col.array) return (v) => escapeCopy(arrayLiteral(v as unknown[], el));
  // Text-valued scalars need escaping; numbers, booleans and ISO times never contain specials.
  if (col.scalar === 'String' || col.scalar === 'JSON' || col.scalar === 'Decimal') return (v) => escapeCopy(el(v));
  return el;
}

/**
 * Builds `row → COPY line` for a table (columns in TABLES order, the order of its COPY column list),
 * with `prefix` before the first field and `suffix` before the newline (extra fields, already
 * encoded). The function is generated per table: a row property read by its name (`row.height`)
 * is several times faster than by a computed key, and a batch encodes hundreds of thousands.
 */
export function rowEncoder(table: TableMeta, opts: { prefix?: string; suffix?: string } = {}): (row: Record<string, unknown>) => string {
  const encs = table.columns.map(columnEncoder);
  const fields = table.columns.map((c, i) => {
    // names come from the generated schema; checked anyway, as they become code
    if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(c.name)) throw new Error(`${table.name}: column name ${JSON.stringify(c.name)} is not an identifier`);
    return `((v = row.${c.name}) == null ? '\\\\N' : e[${i}](v))`;
  });
  const body = `let v; return ${JSON.stringify(opts.prefix ?? '')} + ${fields.join(" + '\\t' + ")} + ${JSON.stringify(`${opts.suffix ?? ''}\n`)};`;
  const make = new Function('e', `return function encodeRow(row) { ${body} };`) as (e: Encode[]) => (row: Record<string, unknown>) => string;
  return make(encs);
}

/** COPY input in chunks of about `chunkBytes` characters, so a large batch never becomes one string. */
export function* copyChunks(rows: Iterable<Record<string, unknown>>, encode: (row: Record<string, unknown>) => string, chunkBytes = 1 << 16): Generator<string> {
  let buf = '';
  for (const row of rows) {
    buf += encode(row);
    if (buf.length >= chunkBytes) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}
