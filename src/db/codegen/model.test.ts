import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { EntitySchemaError, loadEntitySchema, parseEntitySchema, snakeCase } from './model.ts';
import { ROOT } from './run.ts';

const PRELUDE = `
directive @entity(table: String, history: Boolean = false, doc: String) on OBJECT
directive @key(fields: [String!]!) on OBJECT
directive @index(fields: [String!]!, name: String) repeatable on OBJECT
directive @unique(fields: [String!]!, name: String) repeatable on OBJECT
scalar BigInt
scalar Decimal
scalar DateTime
scalar JSON
`;

function parseOk(body: string) {
  return parseEntitySchema(PRELUDE + body, 'test.graphql');
}

function parseErr(body: string): string {
  try {
    parseEntitySchema(PRELUDE + body, 'test.graphql');
  } catch (err) {
    assert.ok(err instanceof EntitySchemaError, String(err));
    return err.message;
  }
  assert.fail('expected an EntitySchemaError');
}

test('snakeCase', () => {
  assert.equal(snakeCase('chainId'), 'chain_id');
  assert.equal(snakeCase('bech32Prefix'), 'bech32_prefix');
  assert.equal(snakeCase('sendTxHash'), 'send_tx_hash');
  assert.equal(snakeCase('IbcPacket'), 'ibc_packet');
  assert.equal(snakeCase('IBCPacket'), 'ibc_packet');
  assert.equal(snakeCase('user'), 'user');
});

test('the project schema parses into its tables, in declaration order', () => {
  const model = loadEntitySchema(path.join(ROOT, 'schema.graphql'));
  assert.deepEqual(
    model.tables.map((t) => t.name),
    [
      'chains', 'contracts', 'pairings', 'channels', 'accounts', 'vault_positions', 'liens', 'lien_events', 'pending_txs',
      'cross_stakes', 'local_stakes', 'delegation_events', 'unbondings', 'validator_states', 'virtual_stakes', 'max_caps',
      'prices', 'reward_events', 'slashes', 'slash_shares', 'burns', 'ibc_packets', 'dead_letters', 'replica_state',
    ],
  );
  const burn = model.tables.find((t) => t.typeName === 'Burn')!;
  assert.equal(burn.history, false);
  assert.deepEqual(burn.columns.find((c) => c.field === 'validators'), {
    field: 'validators',
    column: 'validators',
    graphqlType: 'String',
    sqlType: 'text[]',
    nullable: true,
    array: true,
  });
  const lienEvents = model.tables.find((t) => t.name === 'lien_events')!;
  assert.equal(lienEvents.history, true);
  assert.deepEqual(lienEvents.indexes.map((i) => i.name), ['lien_events_chain_id_staker_height_idx', 'lien_events_lienholder_height_idx']);
  const pairing = model.tables.find((t) => t.name === 'pairings')!;
  assert.equal(pairing.doc, "A provider chain's external staking linked with a consumer chain's converter.");
  assert.deepEqual(pairing.uniques, [
    {
      name: 'pairings_provider_chain_id_external_staking_key',
      fields: ['providerChainId', 'externalStaking'],
      columns: ['provider_chain_id', 'external_staking'],
      unique: true,
    },
  ]);
  const packet = model.tables.find((t) => t.name === 'ibc_packets')!;
  assert.equal(packet.columns[0]!.description, '<source chain>/<source port>/<source channel>/<sequence>');
  assert.deepEqual(packet.columns.find((c) => c.field === 'payload')?.sqlType, 'jsonb');
});

test('columns: scalar → SQL type, ! → NOT NULL, lists, snake_case names, descriptions', () => {
  const model = parseOk(`
    "Type description."
    type Thing @entity(table: "things", history: true) @key(fields: ["chainId", "seq"]) @index(fields: ["at"]) @unique(fields: ["name"], name: "things_by_name") {
      chainId: String!
      seq: Int!
      "A description with 'quotes'."
      amount: BigInt!
      ratio: Decimal
      at: DateTime!
      data: JSON
      ok: Boolean
      name: String
      tags: [String!]!
    }`);
  const [t] = model.tables;
  assert.ok(t);
  assert.equal(t.doc, 'Type description.');
  assert.equal(t.history, true);
  assert.deepEqual(
    t.columns.map((c) => [c.column, c.sqlType, c.nullable, c.array]),
    [
      ['chain_id', 'text', false, false],
      ['seq', 'integer', false, false],
      ['amount', 'numeric(78,0)', false, false],
      ['ratio', 'numeric(38,18)', true, false],
      ['at', 'timestamptz', false, false],
      ['data', 'jsonb', true, false],
      ['ok', 'boolean', true, false],
      ['name', 'text', true, false],
      ['tags', 'text[]', false, true],
    ],
  );
  assert.equal(t.columns[2]!.description, "A description with 'quotes'.");
  assert.deepEqual(t.primaryKeyColumns, ['chain_id', 'seq']);
  assert.deepEqual(t.indexes, [{ name: 'things_at_idx', fields: ['at'], columns: ['at'], unique: false }]);
  assert.deepEqual(t.uniques, [{ name: 'things_by_name', fields: ['name'], columns: ['name'], unique: true }]);
});

test('table name defaults to the snake_case type name; doc: wins over the description', () => {
  const model = parseOk(`"ignored" type FooBar @entity(doc: "Doc.") @key(fields: ["id"]) { id: String! }`);
  assert.equal(model.tables[0]!.name, 'foo_bar');
  assert.equal(model.tables[0]!.doc, 'Doc.');
});

test('validation errors name the problem and its place', () => {
  const cases: [string, RegExp][] = [
    ['scalar Money\ntype A @entity @key(fields: ["id"]) { id: String! m: Money }', /test\.graphql:\d+:1: unknown scalar Money/],
    ['type A @entity @key(fields: ["id"]) { id: String! m: Money }', /A\.m has type Money, which is not a known scalar/],
    ['type A @entity @key(fields: ["idd"]) { id: String! }', /@key of A names field idd, which A does not have/],
    ['type A @entity @key(fields: ["id"]) @index(fields: ["nope"]) { id: String! }', /@index of A names field nope/],
    ['type A @entity @key(fields: ["id"]) @unique(fields: ["x"]) { id: String! }', /@unique of A names field x/],
    ['type A @entity(table: "t") @key(fields: ["id"]) { id: String! }\ntype B @entity(table: "t") @key(fields: ["id"]) { id: String! }', /duplicate table t: both A and B map to it/],
    ['type A @entity @key(fields: ["id"]) { id: String! }\ntype A @entity(table: "a2") @key(fields: ["id"]) { id: String! }', /duplicate type A/],
    ['type A @entity { id: String! }', /type A has no @key/],
    ['type A @key(fields: ["id"]) { id: String! }', /type A has no @entity/],
    ['type A @entity @key(fields: ["id"]) { id: String }', /@key of A names nullable field id/],
    ['type A @entity @key(fields: ["id"]) { id: String! x: Float }', /A\.x is Float/],
    ['type A @entity @key(fields: ["id"]) { id: String! b: B }\ntype B @entity @key(fields: ["id"]) { id: String! }', /A\.b has type B, which is not a known scalar/],
    ['type A @entity @key(fields: ["id"]) { id: String! xs: [String] }', /list field A\.xs must have non-null items/],
    ['type A @entity @key(fields: ["id"]) { id: String! xs: [[String!]!] }', /A\.xs is a nested list/],
    ['type A @entity @key(fields: ["id"]) @cache { id: String! }', /unknown directive @cache on A/],
    ['type A @entity(tabel: "a") @key(fields: ["id"]) { id: String! }', /@entity has no argument tabel/],
    ['type A @entity(history: "yes") @key(fields: ["id"]) { id: String! }', /argument history must be true or false/],
    ['type A @entity @key(fields: ["id"]) { id: String! aB: Int a_b: Int }', /field name A\.a_b must be camelCase/],
    ['type A @entity(table: "A-B") @key(fields: ["id"]) { id: String! }', /not a lower-case SQL identifier/],
    ['enum Kind { X Y }\ntype A @entity @key(fields: ["id"]) { id: String! }', /enum type Kind is not supported/],
    ['type A @entity @key(fields: ["id"]) @index(fields: ["id"]) @index(fields: ["id"]) { id: String! }', /repeats a_id_idx|index name a_id_idx is used twice/],
    ['type A @entity @key(fields: ["id", "id"]) { id: String! }', /@key of A names field id twice/],
    ['type A @entity @key(fields: ["id"]) { id(x: Int): String! }', /field A\.id has arguments/],
    ['type A @entity @key(fields: ["id"]) { id: String!', /Syntax Error/],
  ];
  for (const [body, re] of cases) assert.match(parseErr(body), re, body);
});

test('all problems are reported at once', () => {
  const msg = parseErr('type A @entity @key(fields: ["x"]) { id: String! f: Float }');
  assert.match(msg, /2 problems/);
  assert.match(msg, /A\.f is Float/);
  assert.match(msg, /names field x/);
});
