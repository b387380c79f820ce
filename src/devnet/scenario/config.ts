// The `chains` and `pairings` sections of a scenario file: the deployment the steps run on.
// Defaults follow the mesh-security-sdk e2e set-up (spec §6) where a value is left out.
import { Decimal } from '../../protocol/decimal.ts';
import { type FieldSpec, ScenarioError, parseAmount, parseFields } from './fields.ts';

export interface ChainConfig {
  id: string;
  prefix: string;
  denom: string;
  blockTimeSec: bigint;
  unbondingTimeSec: bigint;
  maxValidators: number;
  /** Tokens per unit of consensus power (SDK default 10^6). */
  powerReduction: bigint;
  slashFractionDowntime: Decimal;
  slashFractionDoubleSign: Decimal;
  downtimeJailDurationSec: bigint;
  ibcGo: 'v7' | 'v8';
  sdkVersion: '0.47' | '0.50';
  txFee: bigint;
  blockReward: bigint;
  validators: Array<{ name: string; selfBond: bigint; shares?: string }>;
  accounts: Array<{ name: string; balance: bigint }>;
  /** Native staking parameters; present when the chain runs a vault (provider role). */
  provider?: { slashRatioDsign: Decimal; slashRatioOffline: Decimal };
  /** x/meshsecurity parameters; present when the chain runs converters (consumer role). */
  consumer?: { epochLength: number; totalContractsMaxCap: bigint; maxGasEndBlocker: number; delegatorPrefix: 'strict' | 'reencode' };
}

export interface PairingConfig {
  name: string;
  provider: string;
  consumer: string;
  price: Decimal;
  discount: Decimal;
  maxCap: bigint;
  unbondingPeriodSec: bigint;
  slashRatioDoubleSign: Decimal;
  slashRatioOffline: Decimal;
  maxRetrieve: number;
  tombstonedUnbondEnable: boolean;
  open: boolean;
}

export interface DeploymentConfig {
  genesisTime?: bigint;
  chains: ChainConfig[];
  pairings: PairingConfig[];
}

const chainSpecs: Record<string, FieldSpec> = {
  prefix: { type: 'string', required: true, doc: 'bech32 prefix of account addresses, e.g. osmo' },
  denom: { type: 'string', required: true, doc: 'staking (bond) denom, e.g. uosmo' },
  block_time: { type: 'seconds', doc: 'seconds between blocks (default 5)' },
  unbonding_time: { type: 'seconds', doc: 'x/staking unbonding time (default 21d)' },
  max_validators: { type: 'int', doc: 'size of the active set (default 100)' },
  power_reduction: { type: 'amount', doc: 'tokens per unit of consensus power (default 1000000)' },
  slash_fraction_downtime: { type: 'decimal', doc: 'x/slashing downtime fraction (default 0.1)' },
  slash_fraction_double_sign: { type: 'decimal', doc: 'x/slashing double-sign fraction (default 0.1)' },
  downtime_jail_duration: { type: 'seconds', doc: 'jail time after downtime (default 600)' },
  sdk: { type: 'string', doc: 'event format: "0.50" (CometBFT 0.38, default) or "0.47" (CometBFT 0.37)' },
  ibc_go: { type: 'string', doc: 'ibc-go behaviour: v7 or v8 (default v7 with sdk 0.47, else v8)' },
  tx_fee: { type: 'amount', doc: 'fee each user tx pays in the bond denom (default 0)' },
  block_reward: { type: 'amount', doc: 'tokens minted every block as staking rewards, split by power (default 0)' },
  validators: { type: 'json', required: true, doc: 'list of {name, stake, shares?} or a map name → self bond' },
  accounts: { type: 'json', doc: 'map name → balance, or a list of {name, balance}' },
  provider: { type: 'json', doc: '{slash_ratio_dsign, slash_ratio_offline}: run a vault and native staking' },
  consumer: { type: 'json', doc: '{epoch_length, total_contracts_max_cap, max_gas_end_blocker}: run x/meshsecurity' },
};

const pairingSpecs: Record<string, FieldSpec> = {
  provider: { type: 'string', required: true, doc: 'provider chain id' },
  consumer: { type: 'string', required: true, doc: 'consumer chain id' },
  price: { type: 'decimal', doc: 'simple price feed: consumer tokens per provider token (default 0.5)' },
  discount: { type: 'decimal', doc: 'converter discount, < 1 (default 0.1)' },
  max_cap: { type: 'amount', doc: 'virtual staking max cap in consumer units (default 1000000000)' },
  unbonding_period: { type: 'seconds', doc: 'external staking unbonding period (default 21d)' },
  slash_ratio: { type: 'json', doc: '{double_sign, offline} of external staking (default 0.20 / 0.10)' },
  max_retrieve: { type: 'int', doc: 'virtual staking max_retrieve (default 50)' },
  tombstoned_unbond_enable: { type: 'bool', doc: 'converter flag (default true; stored, never read: spec §7 Q7)' },
  open: { type: 'bool', doc: 'open the IBC channel during set-up (default true)' },
};

const dec = (s: string): Decimal => Decimal.parse(s);

function parseDelegatorPrefix(v: unknown, what: string): 'strict' | 'reencode' {
  if (v === undefined) return 'strict';
  if (v === 'strict' || v === 'reencode') return v;
  throw new ScenarioError(`${what}: expected strict or reencode`);
}

function parseNamedAmounts(v: unknown, what: string, amountKey: string): Array<{ name: string; amount: bigint; shares?: string }> {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      const f = parseFields(x, { name: { type: 'string', required: true, doc: 'name' }, [amountKey]: { type: 'amount', required: true, doc: amountKey }, shares: { type: 'decimal', doc: 'delegator shares of the self bond' } }, `${what}[${i}]`);
      return { name: f.name as string, amount: f[amountKey] as bigint, shares: f.shares ? (f.shares as Decimal).toFixed18() : undefined };
    });
  }
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([name, a]) => ({ name, amount: parseAmount(a, `${what}.${name}`) }));
  throw new ScenarioError(`${what}: expected a list or a map`);
}

export function parseChain(id: string, raw: unknown): ChainConfig {
  const what = `chains.${id}`;
  const f = parseFields(raw, chainSpecs, what);
  const validators = parseNamedAmounts(f.validators, `${what}.validators`, 'stake').map((v) => ({ name: v.name, selfBond: v.amount, shares: v.shares }));
  if (validators.length === 0) throw new ScenarioError(`${what}.validators: a chain needs at least one validator`);
  const accounts = parseNamedAmounts(f.accounts, `${what}.accounts`, 'balance').map((a) => ({ name: a.name, balance: a.amount }));
  const names = [...validators.map((v) => v.name), ...accounts.map((a) => a.name)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ScenarioError(`${what}: name ${JSON.stringify(dup)} is used twice`);
  const sdkVersion = String(f.sdk ?? '0.50');
  if (sdkVersion !== '0.47' && sdkVersion !== '0.50') throw new ScenarioError(`${what}.sdk: expected "0.47" or "0.50"`);
  const ibcGo = (f.ibc_go as string | undefined) ?? (sdkVersion === '0.47' ? 'v7' : 'v8');
  if (ibcGo !== 'v7' && ibcGo !== 'v8') throw new ScenarioError(`${what}.ibc_go: expected v7 or v8`);
  const cfg: ChainConfig = {
    id,
    prefix: f.prefix as string,
    denom: f.denom as string,
    blockTimeSec: (f.block_time as bigint | undefined) ?? 5n,
    unbondingTimeSec: (f.unbonding_time as bigint | undefined) ?? 1_814_400n,
    maxValidators: (f.max_validators as number | undefined) ?? 100,
    powerReduction: (f.power_reduction as bigint | undefined) ?? 1_000_000n,
    slashFractionDowntime: (f.slash_fraction_downtime as Decimal | undefined) ?? dec('0.1'),
    slashFractionDoubleSign: (f.slash_fraction_double_sign as Decimal | undefined) ?? dec('0.1'),
    downtimeJailDurationSec: (f.downtime_jail_duration as bigint | undefined) ?? 600n,
    ibcGo,
    sdkVersion,
    txFee: (f.tx_fee as bigint | undefined) ?? 0n,
    blockReward: (f.block_reward as bigint | undefined) ?? 0n,
    validators,
    accounts,
  };
  if (f.provider !== undefined) {
    const p = parseFields(f.provider, { slash_ratio_dsign: { type: 'decimal', doc: 'native staking double-sign ratio' }, slash_ratio_offline: { type: 'decimal', doc: 'native staking offline ratio' } }, `${what}.provider`);
    cfg.provider = { slashRatioDsign: (p.slash_ratio_dsign as Decimal | undefined) ?? dec('0.20'), slashRatioOffline: (p.slash_ratio_offline as Decimal | undefined) ?? dec('0.10') };
  }
  if (f.consumer !== undefined) {
    const c = parseFields(
      f.consumer,
      {
        epoch_length: { type: 'int', doc: 'blocks between epochs (default 1000)' },
        total_contracts_max_cap: { type: 'amount', doc: 'sum of all max caps allowed (default 10000000000)' },
        max_gas_end_blocker: { type: 'int', doc: 'gas for end-block sudo calls (default 500000)' },
        delegator_prefix: { type: 'string', doc: 'strict (default, as the Go module: spec §7 Q6) or reencode (accept provider delegators with another prefix)' },
      },
      `${what}.consumer`,
    );
    cfg.consumer = {
      epochLength: (c.epoch_length as number | undefined) ?? 1000,
      totalContractsMaxCap: (c.total_contracts_max_cap as bigint | undefined) ?? 10_000_000_000n,
      maxGasEndBlocker: (c.max_gas_end_blocker as number | undefined) ?? 500_000,
      delegatorPrefix: parseDelegatorPrefix(c.delegator_prefix, `${what}.consumer.delegator_prefix`),
    };
  }
  return cfg;
}

export function parsePairing(name: string, raw: unknown, chains: ChainConfig[]): PairingConfig {
  const what = `pairings.${name}`;
  const f = parseFields(raw, pairingSpecs, what);
  for (const role of ['provider', 'consumer'] as const) {
    if (!chains.some((c) => c.id === f[role])) throw new ScenarioError(`${what}.${role}: unknown chain ${JSON.stringify(f[role])}`);
  }
  if (f.provider === f.consumer) throw new ScenarioError(`${what}: provider and consumer must be different chains`);
  const sr = f.slash_ratio === undefined ? {} : parseFields(f.slash_ratio, { double_sign: { type: 'decimal', doc: 'ratio' }, offline: { type: 'decimal', doc: 'ratio' } }, `${what}.slash_ratio`);
  const discount = (f.discount as Decimal | undefined) ?? dec('0.1');
  if (discount.cmp(Decimal.one) >= 0) throw new ScenarioError(`${what}.discount: must be below 1`);
  return {
    name,
    provider: f.provider as string,
    consumer: f.consumer as string,
    price: (f.price as Decimal | undefined) ?? dec('0.5'),
    discount,
    maxCap: (f.max_cap as bigint | undefined) ?? 1_000_000_000n,
    unbondingPeriodSec: (f.unbonding_period as bigint | undefined) ?? 1_814_400n,
    slashRatioDoubleSign: (sr.double_sign as Decimal | undefined) ?? dec('0.20'),
    slashRatioOffline: (sr.offline as Decimal | undefined) ?? dec('0.10'),
    maxRetrieve: (f.max_retrieve as number | undefined) ?? 50,
    tombstonedUnbondEnable: (f.tombstoned_unbond_enable as boolean | undefined) ?? true,
    open: (f.open as boolean | undefined) ?? true,
  };
}

/** Chains that any pairing uses as provider get a vault; consumers get x/meshsecurity. */
export function parseDeployment(doc: Record<string, unknown>): DeploymentConfig {
  const rawChains = doc.chains;
  if (!rawChains || typeof rawChains !== 'object' || Array.isArray(rawChains)) throw new ScenarioError('chains: expected a map of chain id → chain settings');
  const chains = Object.entries(rawChains).map(([id, raw]) => parseChain(id, raw));
  const rawPairings = doc.pairings ?? {};
  if (typeof rawPairings !== 'object' || Array.isArray(rawPairings)) throw new ScenarioError('pairings: expected a map of pairing name → settings');
  const pairings = Object.entries(rawPairings as Record<string, unknown>).map(([n, raw]) => parsePairing(n, raw, chains));
  for (const p of pairings) {
    const prov = chains.find((c) => c.id === p.provider)!;
    const cons = chains.find((c) => c.id === p.consumer)!;
    prov.provider ??= { slashRatioDsign: dec('0.20'), slashRatioOffline: dec('0.10') };
    cons.consumer ??= { epochLength: 1000, totalContractsMaxCap: 10_000_000_000n, maxGasEndBlocker: 500_000, delegatorPrefix: 'strict' };
  }
  let genesisTime: bigint | undefined;
  if (doc.genesis_time !== undefined) {
    const t = Date.parse(String(doc.genesis_time));
    if (Number.isNaN(t)) throw new ScenarioError(`genesis_time: not an ISO-8601 time: ${JSON.stringify(doc.genesis_time)}`);
    genesisTime = BigInt(t) * 1_000_000n;
  }
  return { genesisTime, chains, pairings };
}
