import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEntitySchema } from './model.ts';
import { generatePrisma } from './prisma.ts';

test('Prisma models: @@map/@map, composite @@id, native decimal and timestamptz types, indexes with SQL names', () => {
  const out = generatePrisma(
    parseEntitySchema(`
      scalar BigInt
      scalar Decimal
      scalar DateTime
      scalar JSON
      type Lien @entity(table: "liens", doc: "A lien.") @key(fields: ["chainId", "user"]) @index(fields: ["user"]) @unique(fields: ["chainId", "ref"], name: "liens_ref") {
        chainId: String!
        "Owner."
        user: String!
        amount: BigInt!
        slashable: Decimal
        at: DateTime!
        data: JSON
        ref: String
        tags: [String!]
      }
      type Log @entity(table: "logs", history: true) @key(fields: ["id"]) { id: String! n: Int! }`),
  );
  assert.match(out, /^\/\/ GENERATED FILE: do not edit\./);
  assert.ok(out.includes('generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}'));
  assert.ok(out.includes('datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}'));
  assert.ok(
    out.includes(`/// A lien.
model Lien {
  chainId   String   @map("chain_id")
  /// Owner.
  user      String
  amount    Decimal  @db.Decimal(78, 0)
  slashable Decimal? @db.Decimal(38, 18)
  at        DateTime @db.Timestamptz
  data      Json?
  ref       String?
  /// Nullable in SQL; Prisma reads NULL as [].
  tags      String[]

  @@id([chainId, user])
  @@unique([chainId, ref], map: "liens_ref")
  @@index([user], map: "liens_user_idx")
  @@map("liens")
}`),
    out,
  );
  assert.ok(
    out.includes(`/// Append-only history.
model Log {
  id String @id
  n  Int

  @@map("logs")
}`),
    out,
  );
});
