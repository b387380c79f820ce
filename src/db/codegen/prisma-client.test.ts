// The Prisma client generated from prisma/schema.prisma (by `npm run codegen` / postinstall) reads,
// through @prisma/adapter-pg, the tables that migrate() created from schema.sql: the two generated
// schemas describe the same database.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { createTestDatabase } from '../database.ts';
import { migrate } from '../migrate.ts';

const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

test('the generated Prisma client reads rows from the tables migrate() created', { skip: noServer }, async () => {
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
  try {
    await migrate(client);
    const uint128Max = '340282366920938463463374607431768211455';
    await client.query(
      `INSERT INTO vault_positions (chain_id, vault, staker, collateral, max_lien_low, max_lien_high, total_slashable_low,
         total_slashable_high, free_low, free_high, height, time)
       VALUES ('provider-1', 'vault1', 'user1', $1, 1, 2, 3, 4, 5, 6, 42, '2024-05-06T07:08:09.123456Z')`,
      [uint128Max],
    );
    await client.query(
      `INSERT INTO pairings (id, provider_chain_id, consumer_chain_id, external_staking, state, discount)
       VALUES ('p1', 'provider-1', 'consumer-1', 'ext1', 'open', 0.1)`,
    );
    await client.query(
      `INSERT INTO burns (id, chain_id, stage, validators, amount, height, time) VALUES
         ('b1', 'provider-1', 'external_staking', ARRAY['val1', 'val2'], 10, 3, now()),
         ('b2', 'provider-1', 'native_staking', NULL, 11, 4, now())`,
    );
    await client.query(
      `INSERT INTO ibc_packets (id, source_chain_id, source_port, source_channel, sequence, kind, payload, outcome)
       VALUES ('provider-1/wasm.ext1/channel-0/1', 'provider-1', 'wasm.ext1', 'channel-0', 1, 'stake', $1, 'pending')`,
      [JSON.stringify({ stake: { validator: 'val1', stake: { denom: 'uosmo', amount: '100' } } })],
    );

    const pos = await prisma.vaultPosition.findUnique({ where: { chainId_vault_staker: { chainId: 'provider-1', vault: 'vault1', staker: 'user1' } } });
    assert.ok(pos);
    assert.equal(pos.collateral.toFixed(), uint128Max);
    assert.equal(pos.freeHigh.toFixed(), '6');
    assert.equal(pos.height, 42);
    assert.ok(pos.time instanceof Date);
    assert.equal(pos.time.toISOString(), '2024-05-06T07:08:09.123Z');

    const pairing = await prisma.pairing.findUnique({ where: { providerChainId_externalStaking: { providerChainId: 'provider-1', externalStaking: 'ext1' } } });
    assert.equal(pairing?.discount?.toFixed(18), '0.100000000000000000');
    assert.equal(pairing?.converter, null);

    const burns = await prisma.burn.findMany({ orderBy: { id: 'asc' }, select: { id: true, validators: true, amount: true } });
    assert.deepEqual(
      burns.map((b) => ({ id: b.id, validators: b.validators, amount: b.amount.toFixed() })),
      // Prisma has no optional lists: a NULL list column (validators: [String!] without !) reads back as []
      [
        { id: 'b1', validators: ['val1', 'val2'], amount: '10' },
        { id: 'b2', validators: [], amount: '11' },
      ],
    );

    const packets = await prisma.ibcPacket.findMany({ where: { sourceChainId: 'provider-1' } });
    assert.equal(packets.length, 1);
    assert.deepEqual(packets[0]!.payload, { stake: { validator: 'val1', stake: { denom: 'uosmo', amount: '100' } } });
    assert.equal(packets[0]!.sequence.toFixed(), '1');

    assert.equal(await prisma.lienEvent.count(), 0);
  } finally {
    await prisma.$disconnect();
    await client.end();
    await db.drop();
  }
});
