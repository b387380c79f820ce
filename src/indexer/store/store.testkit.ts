// Test helpers for the store: a fresh migrated database with a pool, and small entity rows.

import pg from 'pg';
import { createTestDatabase } from '../../db/database.ts';
import type { IbcPacket, LienEvent, RewardEvent, VaultPosition } from '../../db/generated/entities.ts';
import { migrate } from '../../db/migrate.ts';
import { packetHalf } from '../../mappings/ibc.ts';
import { registerChain } from './writer.ts';

/** Skip reason for DB tests outside `npm test`. */
export const noServer = !process.env.DATABASE_URL && 'DATABASE_URL not set (run via npm test)';

/** Runs fn against a fresh migrated database with chains `provider-1` and `consumer-1` registered. */
export async function withStore(fn: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  const pool = db.pool(4);
  try {
    await migrate(pool);
    await registerChain(pool, { chainId: 'provider-1', bech32Prefix: 'osmo', cometVersion: '0.38' });
    await registerChain(pool, { chainId: 'consumer-1', bech32Prefix: 'juno', cometVersion: '0.37' });
    await fn(pool);
  } finally {
    await pool.end().catch(() => {});
    await db.drop();
  }
}

export const T0 = new Date('2025-01-01T00:00:00.000Z');
export const at = (height: number) => new Date(T0.getTime() + height * 1000);

export function cursorAt(chainId: string, height: number) {
  return { chainId, height, time: at(height), hash: `HASH${height}` };
}

export function position(staker: string, collateral: bigint, height: number): VaultPosition {
  return {
    chainId: 'provider-1',
    vault: 'vault1',
    staker,
    collateral,
    maxLienLow: collateral / 2n,
    maxLienHigh: collateral / 2n,
    totalSlashableLow: 0n,
    totalSlashableHigh: 0n,
    freeLow: collateral / 2n,
    freeHigh: collateral / 2n,
    height,
    time: at(height),
  };
}

export function lienEvent(n: number, height: number): LienEvent {
  return {
    id: `provider-1/${height}/${n}`,
    chainId: 'provider-1',
    vault: 'vault1',
    staker: `staker${n % 7}`,
    lienholder: 'external1',
    kind: 'stake_remote',
    amount: BigInt(n) * 1000n,
    amountLowAfter: 0n,
    amountHighAfter: BigInt(n) * 1000n,
    collateralAfter: 10n ** 12n,
    txId: BigInt(n),
    height,
    time: at(height),
    txHash: `TX${height}`,
    msgIndex: 0,
    eventIndex: n,
  };
}

export function rewardEvent(height: number): RewardEvent {
  return {
    id: `provider-1/${height}/reward`,
    chainId: 'provider-1',
    contract: 'external1',
    kind: 'withdrawal',
    validator: 'val1',
    staker: 'alice',
    recipient: 'alice',
    amount: 5n,
    denom: 'ujuno',
    txId: null,
    packetId: null,
    height,
    time: at(height),
    txHash: `TX${height}`,
    msgIndex: 0,
    eventIndex: 1,
  };
}

/** An IBC packet row with only the columns every half knows (NOT NULL ones and the key). */
export function packetBase(seq: bigint): IbcPacket {
  return packetHalf({ id: `provider-1/wasm.ext/channel-0/${seq}`, sourceChainId: 'provider-1', sourcePort: 'wasm.ext', sourceChannel: 'channel-0', sequence: seq, kind: 'stake', outcome: 'pending' });
}
