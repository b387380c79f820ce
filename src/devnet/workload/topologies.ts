// Deployments the workload runs on. `defaultTopology()`: two chains that provide to each other (each
// is provider and consumer at once). `seedsMeshTopology()`: the mesh of the seed data
// (osmosis → juno, osmosis → stargaze, akash → juno). Short epochs, unbonding periods and jail times
// so that every lifecycle (unbond, release, unjail) completes within a run of a few thousand blocks.
import { Decimal } from '../../protocol/decimal.ts';
import type { ChainConfig, DeploymentConfig, PairingConfig } from '../scenario/config.ts';
import { DEFAULT_GENESIS_TIME } from '../world.ts';

export interface TopologyOptions {
  /** Funded user accounts per chain (default 1000). The same names exist on every chain. */
  users?: number;
  /** Validators per chain (default 6; 4–8 is typical). */
  validators?: number;
  /** Seconds between blocks (default 1). */
  blockTimeSec?: bigint;
  /** x/meshsecurity epoch length in blocks (default 15). */
  epochLength?: number;
  /** external-staking unbonding period in seconds (default 120). */
  unbondingPeriodSec?: bigint;
  /** x/staking unbonding time in seconds (default 240): local unstakes complete within a run. */
  stakingUnbondingSec?: bigint;
  /** x/slashing downtime jail duration in seconds (default 60). */
  jailDurationSec?: bigint;
  /** Wallet balance of every user (default 10^11 = 100 000 tokens of 10^6). */
  userBalance?: bigint;
  /**
   * Virtual-staking max cap of every pairing, consumer units (default 10^15: above what the users can
   * stake, so delegations equal bond requests). Below the requests, delegations are scaled down, and
   * a later max cap of zero sends `internal_unstake` packets for the full records whose success acks
   * then fail in x/meshsecurity (undelegating more than delegated, "invalid shares amount") — the
   * packet can never be acknowledged (see the workload report).
   */
  maxCap?: bigint;
  /** Fee every user tx pays in the bond denom (default 2000). */
  txFee?: bigint;
  /** Staking rewards minted and allocated to the bonded validators in every BeginBlock (default 4·10^6). */
  blockReward?: bigint;
  genesisTime?: bigint;
}

export interface ChainSpec {
  id: string;
  prefix: string;
  denom: string;
}

export const OSMO: ChainSpec = { id: 'osmo-devnet-1', prefix: 'osmo', denom: 'uosmo' };
export const JUNO: ChainSpec = { id: 'juno-devnet-1', prefix: 'juno', denom: 'ujuno' };
export const OSMOSIS: ChainSpec = { id: 'osmosis-devnet-1', prefix: 'osmo', denom: 'uosmo' };
export const STARGAZE: ChainSpec = { id: 'stargaze-devnet-1', prefix: 'stars', denom: 'ustars' };
export const AKASH: ChainSpec = { id: 'akash-devnet-1', prefix: 'akash', denom: 'uakt' };

const dec = (s: string): Decimal => Decimal.parse(s);

/** User account names: the same on every chain, so a user has one key (same address bytes) everywhere. */
export const userName = (i: number): string => `user${String(i).padStart(4, '0')}`;
export const validatorName = (i: number): string => `val${i}`;

function chain(spec: ChainSpec, o: Required<Omit<TopologyOptions, 'genesisTime'>>, roles: { provider: boolean; consumer: boolean }, salt: number): ChainConfig {
  const validators = Array.from({ length: o.validators }, (_, i) => ({
    name: validatorName(i),
    // Unequal voting power, like a real set: 1.0, 1.7, 2.4 … million tokens (+ a per-chain salt).
    selfBond: (1_000_000n + BigInt(i) * 700_000n + BigInt(salt) * 50_000n) * 1_000_000n,
  }));
  const accounts = Array.from({ length: o.users }, (_, i) => ({ name: userName(i), balance: o.userBalance }));
  return {
    id: spec.id,
    prefix: spec.prefix,
    denom: spec.denom,
    blockTimeSec: o.blockTimeSec,
    unbondingTimeSec: o.stakingUnbondingSec,
    maxValidators: o.validators,
    powerReduction: 1_000_000n,
    slashFractionDowntime: dec('0.01'),
    slashFractionDoubleSign: dec('0.05'),
    downtimeJailDurationSec: o.jailDurationSec,
    ibcGo: 'v8',
    sdkVersion: '0.50',
    txFee: o.txFee,
    blockReward: o.blockReward,
    validators,
    accounts,
    provider: roles.provider ? { slashRatioDsign: dec('0.05'), slashRatioOffline: dec('0.01') } : undefined,
    // Real prefixes differ per chain: accept provider delegators (spec §7 Q6).
    consumer: roles.consumer ? { epochLength: o.epochLength, totalContractsMaxCap: 10n ** 17n, maxGasEndBlocker: 500_000, delegatorPrefix: 'reencode' } : undefined,
  };
}

function pairing(name: string, provider: ChainSpec, consumer: ChainSpec, price: string, o: Required<Omit<TopologyOptions, 'genesisTime'>>): PairingConfig {
  return {
    name,
    provider: provider.id,
    consumer: consumer.id,
    price: dec(price),
    discount: dec('0.1'),
    maxCap: o.maxCap,
    unbondingPeriodSec: o.unbondingPeriodSec,
    slashRatioDoubleSign: dec('0.05'),
    slashRatioOffline: dec('0.01'),
    maxRetrieve: 50,
    tombstonedUnbondEnable: true,
    open: true,
  };
}

function withDefaults(o: TopologyOptions): Required<Omit<TopologyOptions, 'genesisTime'>> {
  const validators = o.validators ?? 6;
  if (validators < 1) throw new Error('a chain needs at least one validator');
  return {
    users: o.users ?? 1000,
    validators,
    blockTimeSec: o.blockTimeSec ?? 1n,
    epochLength: o.epochLength ?? 15,
    unbondingPeriodSec: o.unbondingPeriodSec ?? 120n,
    stakingUnbondingSec: o.stakingUnbondingSec ?? 240n,
    jailDurationSec: o.jailDurationSec ?? 60n,
    userBalance: o.userBalance ?? 100_000_000_000n,
    maxCap: o.maxCap ?? 1_000_000_000_000_000n,
    txFee: o.txFee ?? 2_000n,
    blockReward: o.blockReward ?? 4_000_000n,
  };
}

/** osmo-devnet-1 ⇄ juno-devnet-1: each chain provides to the other (pairings `osmo-juno`, `juno-osmo`). */
export function defaultTopology(opts: TopologyOptions = {}): DeploymentConfig {
  const o = withDefaults(opts);
  return {
    genesisTime: opts.genesisTime ?? DEFAULT_GENESIS_TIME,
    chains: [chain(OSMO, o, { provider: true, consumer: true }, 0), chain(JUNO, o, { provider: true, consumer: true }, 1)],
    pairings: [pairing('osmo-juno', OSMO, JUNO, '1.5', o), pairing('juno-osmo', JUNO, OSMO, '0.6', o)],
  };
}

/** The seeds' mesh: osmosis → juno, osmosis → stargaze, akash → juno. */
export function seedsMeshTopology(opts: TopologyOptions = {}): DeploymentConfig {
  const o = withDefaults(opts);
  return {
    genesisTime: opts.genesisTime ?? DEFAULT_GENESIS_TIME,
    chains: [
      chain(OSMOSIS, o, { provider: true, consumer: false }, 0),
      chain(JUNO, o, { provider: false, consumer: true }, 1),
      chain(STARGAZE, o, { provider: false, consumer: true }, 2),
      chain(AKASH, o, { provider: true, consumer: false }, 3),
    ],
    pairings: [
      pairing('osmosis-juno', OSMOSIS, JUNO, '1.5', o),
      pairing('osmosis-stargaze', OSMOSIS, STARGAZE, '40', o),
      pairing('akash-juno', AKASH, JUNO, '0.8', o),
    ],
  };
}

export const TOPOLOGIES = { default: defaultTopology, 'seeds-mesh': seedsMeshTopology } as const;
export type TopologyName = keyof typeof TOPOLOGIES;
