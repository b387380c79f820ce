import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { parseEntitySchema } from './model.ts';
import { RESERVED_WORDS, generateSql, quoteIdent, quoteLiteral } from './sql.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

const SCHEMA = `
scalar BigInt
scalar DateTime
"Kept for the record."
type Order @entity(table: "orders", doc: "It's an order.") @key(fields: ["chainId", "user"]) @index(fields: ["user", "at"]) @unique(fields: ["ref"]) {
  chainId: String!
  "Who's ordering."
  user: String!
  amount: BigInt!
  at: DateTime
  ref: String
  tags: [String!]
}
`;

test('DDL for a table: columns, primary key, comments, indexes; reserved words quoted', () => {
  assert.equal(
    generateSql(parseEntitySchema(SCHEMA)),
    `-- GENERATED FILE: do not edit. Source: schema.graphql; regenerate with \`npm run codegen\`.
-- Applied by src/db/migrate.ts (idempotent: every statement may run again on an up-to-date database).

-- Order
CREATE TABLE IF NOT EXISTS orders (
  chain_id text NOT NULL,
  "user"   text NOT NULL,
  amount   numeric(78,0) NOT NULL,
  at       timestamptz,
  ref      text,
  tags     text[],
  PRIMARY KEY (chain_id, "user")
);
COMMENT ON TABLE orders IS 'It''s an order.';
COMMENT ON COLUMN orders."user" IS 'Who''s ordering.';
CREATE INDEX IF NOT EXISTS orders_user_at_idx ON orders ("user", at);
CREATE UNIQUE INDEX IF NOT EXISTS orders_ref_key ON orders (ref);
`,
  );
});

test('quoting', () => {
  assert.equal(quoteIdent('chain_id'), 'chain_id');
  assert.equal(quoteIdent('user'), '"user"');
  assert.equal(quoteIdent('order'), '"order"');
  assert.equal(quoteIdent('Mixed'), '"Mixed"');
  assert.equal(quoteIdent('a"b'), '"a""b"');
  assert.equal(quoteLiteral("it's"), "'it''s'");
});

test('RESERVED_WORDS covers every keyword PostgreSQL does not accept as a column name', { skip: noServer }, async () => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ word: string }>(`SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T') ORDER BY word`);
    const missing = rows.map((r) => r.word).filter((w) => !RESERVED_WORDS.has(w));
    assert.deepEqual(missing, []);
    // and each of those really needs quoting: it fails bare
    for (const w of ['user', 'order', 'left']) {
      await assert.rejects(client.query(`CREATE TEMP TABLE reserved_check (${w} text)`), /syntax error/);
      await client.query(`CREATE TEMP TABLE reserved_check (${quoteIdent(w)} text); DROP TABLE reserved_check`);
    }
  } finally {
    await client.end();
  }
});
