import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { TABLES, type Burn, type Entities, type LienEvent } from '../generated/entities.ts';
import { loadEntitySchema, parseEntitySchema } from './model.ts';
import { ROOT } from './run.ts';
import { generateTypescript } from './typescript.ts';

test('entity interfaces: scalar → TypeScript type, nullable → T | null, docs', () => {
  const ts = generateTypescript(
    parseEntitySchema(`
      scalar BigInt
      scalar Decimal
      scalar DateTime
      scalar JSON
      type Row @entity(table: "rows", doc: "A row.", history: true) @key(fields: ["id"]) @unique(fields: ["a", "b"]) {
        "The id."
        id: String!
        a: Int!
        b: Boolean
        big: BigInt!
        dec: Decimal
        at: DateTime!
        data: JSON
        tags: [String!]
      }`),
  );
  assert.ok(
    ts.includes(`/**
 * A row.
 * Table \`rows\` (append-only history), primary key (id).
 */
export interface Row {
  /** The id. */
  id: string;
  a: number;
  b: boolean | null;
  big: bigint;
  dec: string | null;
  at: Date;
  data: unknown | null;
  tags: string[] | null;
}`),
    ts,
  );
  assert.ok(ts.includes(`      { name: 'big', column: 'big', quoted: 'big', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },`));
  assert.ok(ts.includes(`    uniqueKeys: [['a', 'b']],`));
  assert.ok(ts.includes(`export interface Entities {\n  Row: Row;\n}`));
});

test('generated TABLES match the model of schema.graphql', () => {
  const model = loadEntitySchema(path.join(ROOT, 'schema.graphql'));
  assert.deepEqual(Object.keys(TABLES), model.tables.map((t) => t.typeName));
  for (const t of model.tables) {
    const meta = TABLES[t.typeName as keyof typeof TABLES];
    assert.equal(meta.name, t.name);
    assert.equal(meta.history, t.history);
    assert.deepEqual(meta.primaryKeyColumns, t.primaryKeyColumns);
    assert.deepEqual(
      meta.columns.map((c) => [c.name, c.column, c.sqlType, c.nullable, c.array]),
      t.columns.map((c) => [c.field, c.column, c.sqlType, c.nullable, c.array]),
    );
  }
  assert.equal(TABLES.LienEvent.columns.find((c) => c.name === 'staker')?.quoted, 'staker');
});

test('entity types are usable as rows', () => {
  const burn: Burn = {
    id: 'b', slashId: null, chainId: 'c', stage: 'converter', lienholder: null, staker: null, validators: ['v'],
    amount: 340282366920938463463374607431768211455n, packetId: null, height: 1, time: new Date(0), txHash: null,
  };
  const row: Entities['Burn'] = burn;
  // every interface property is a TABLES column and vice versa
  const keys: (keyof LienEvent)[] = TABLES.LienEvent.columns.map((c) => c.name);
  assert.equal(keys.length, 16);
  assert.deepEqual(Object.keys(row).sort(), TABLES.Burn.columns.map((c) => c.name).sort());
});
