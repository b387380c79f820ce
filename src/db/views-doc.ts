// The view reference of docs/sql.md, rendered from the COMMENT statements of src/db/views.sql, so the
// docs say what the database says. `npx tsx src/db/views-doc.ts` rewrites the section between the
// markers in docs/sql.md; src/db/sql-docs.test.ts fails while it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VIEWS_SQL_URL } from './analytics.ts';

export const SQL_DOC_URL = new URL('../../docs/sql.md', import.meta.url);
export const BEGIN = '<!-- views:begin (generated from src/db/views.sql by `npx tsx src/db/views-doc.ts`) -->';
export const END = '<!-- views:end -->';

interface Documented {
  name: string;
  kind: 'view' | 'function';
  comment: string;
  columns: Array<{ name: string; comment: string }>;
}

const unquote = (s: string): string => s.replace(/''/g, "'");
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Views (with their column comments, in the order written) and functions of views.sql. */
export function parseViewComments(sql: string): Documented[] {
  const out: Documented[] = [];
  const byName = new Map<string, Documented>();
  const re = /^COMMENT ON (VIEW|COLUMN|FUNCTION) mesh\.(\w+)(?:\.(\w+)|(\([^)]*\)))? IS '((?:[^']|'')*)';$/gm;
  for (const m of sql.matchAll(re)) {
    const [, what, name, column, args, text] = m;
    if (what === 'COLUMN') {
      const v = byName.get(name!);
      if (!v) throw new Error(`views.sql: comment on mesh.${name}.${column} before the view's own comment`);
      v.columns.push({ name: column!, comment: unquote(text!) });
    } else {
      const d: Documented = { name: what === 'FUNCTION' ? `${name}${args}` : name!, kind: what === 'VIEW' ? 'view' : 'function', comment: unquote(text!), columns: [] };
      out.push(d);
      if (what === 'VIEW') byName.set(name!, d);
    }
  }
  return out;
}

/** The markdown between the markers. */
export function renderViewsReference(sql: string): string {
  const parts: string[] = [];
  for (const d of parseViewComments(sql)) {
    if (d.kind === 'function') {
      parts.push(`### \`mesh.${d.name}\` (function)\n\n${d.comment}`);
      continue;
    }
    const rows = d.columns.map((c) => `| \`${c.name}\` | ${cell(c.comment)} |`);
    parts.push(`### \`mesh.${d.name}\`\n\n${d.comment}\n\n| column | meaning |\n|---|---|\n${rows.join('\n')}`);
  }
  return parts.join('\n\n');
}

/** docs/sql.md with its reference section replaced by `reference`. */
export function withReference(doc: string, reference: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`docs/sql.md: markers ${BEGIN} … ${END} not found`);
  return `${doc.slice(0, a + BEGIN.length)}\n\n${reference}\n\n${doc.slice(b)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = readFileSync(SQL_DOC_URL, 'utf8');
  writeFileSync(SQL_DOC_URL, withReference(doc, renderViewsReference(readFileSync(VIEWS_SQL_URL, 'utf8'))));
  console.log(`wrote ${fileURLToPath(SQL_DOC_URL)}`);
}
