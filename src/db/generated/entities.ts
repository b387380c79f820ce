// GENERATED FILE: do not edit. Source: schema.graphql; regenerate with `npm run codegen`.
//
// Entity row types (BigInt → bigint, Decimal → decimal string, DateTime → Date, JSON → unknown;
// a nullable column is `T | null`) and TABLES: each table's columns in declaration order (the order of
// COPY column lists and of the CREATE TABLE in schema.sql), with SQL types and keys.

/** GraphQL scalar of a column (of its items for a list column). */
export type ColumnScalar = 'String' | 'Int' | 'Boolean' | 'BigInt' | 'Decimal' | 'DateTime' | 'JSON';

export interface ColumnMeta {
  /** Property name (camelCase) in the entity interface. */
  readonly name: string;
  /** SQL column name (snake_case, unquoted; quote with `quoted` or pg's escapeIdentifier). */
  readonly column: string;
  /** The column name as it must appear in SQL (double-quoted when it is a reserved word, e.g. "user"). */
  readonly quoted: string;
  /** PostgreSQL type as in schema.sql, e.g. `numeric(78,0)`, `text[]`. */
  readonly sqlType: string;
  readonly scalar: ColumnScalar;
  readonly nullable: boolean;
  readonly array: boolean;
}

export interface TableMeta {
  /** SQL table name. */
  readonly name: string;
  /** Entity (GraphQL type, TypeScript interface, Prisma model) name. */
  readonly entity: string;
  /** Append-only history table. */
  readonly history: boolean;
  /** Columns in declaration order. */
  readonly columns: readonly ColumnMeta[];
  /** Primary key property names, in key order. */
  readonly primaryKey: readonly string[];
  /** Primary key SQL column names (unquoted), in key order. */
  readonly primaryKeyColumns: readonly string[];
  /** Unique keys (besides the primary key) as SQL column names (unquoted). */
  readonly uniqueKeys: readonly (readonly string[])[];
}

/** Table `chains`, primary key (chainId). */
export interface Chain {
  chainId: string;
  bech32Prefix: string;
  /** CometBFT version the nodes report (0.34, 0.37, 0.38). */
  cometVersion: string | null;
  /** Last height whose rows are committed. */
  indexedHeight: number;
  indexedTime: Date | null;
  /** Highest height a node reported. */
  tipHeight: number | null;
  tipTime: Date | null;
  updatedAt: Date;
}

/** Table `contracts`, primary key (chainId, address). */
export interface Contract {
  chainId: string;
  address: string;
  /** vault | native_staking | native_staking_proxy | external_staking | converter | virtual_staking | price_feed */
  kind: string;
  codeId: number | null;
  label: string | null;
  /** For proxies: the owner; for virtual staking: its converter. */
  owner: string | null;
  height: number | null;
  time: Date | null;
  txHash: string | null;
}

/**
 * A provider chain's external staking linked with a consumer chain's converter.
 * Table `pairings`, primary key (id).
 */
export interface Pairing {
  id: string;
  providerChainId: string;
  consumerChainId: string;
  externalStaking: string;
  converter: string | null;
  virtualStaking: string | null;
  priceFeed: string | null;
  providerChannel: string | null;
  consumerChannel: string | null;
  providerConnection: string | null;
  consumerConnection: string | null;
  /** open | closed | pending */
  state: string;
  discount: string | null;
  remoteDenom: string | null;
  rewardsDenom: string | null;
  unbondingPeriodSeconds: number | null;
}

/** Table `channels`, primary key (chainId, portId, channelId). */
export interface Channel {
  chainId: string;
  portId: string;
  channelId: string;
  counterpartyChainId: string | null;
  counterpartyPortId: string | null;
  counterpartyChannelId: string | null;
  connectionId: string | null;
  version: string | null;
  /** INIT | TRYOPEN | OPEN | CLOSED */
  state: string;
  openedHeight: number | null;
  closedHeight: number | null;
}

/** Table `accounts`, primary key (chainId, address). */
export interface Account {
  chainId: string;
  address: string;
  firstHeight: number;
  firstTime: Date;
}

/** Table `vault_positions`, primary key (chainId, vault, staker). */
export interface VaultPosition {
  chainId: string;
  vault: string;
  staker: string;
  collateral: bigint;
  maxLienLow: bigint;
  maxLienHigh: bigint;
  totalSlashableLow: bigint;
  totalSlashableHigh: bigint;
  freeLow: bigint;
  freeHigh: bigint;
  height: number;
  time: Date;
}

/** Table `liens`, primary key (chainId, vault, staker, lienholder). */
export interface Lien {
  chainId: string;
  vault: string;
  staker: string;
  lienholder: string;
  amountLow: bigint;
  amountHigh: bigint;
  slashable: string;
  height: number;
  time: Date;
}

/** Table `lien_events` (append-only history), primary key (id). */
export interface LienEvent {
  id: string;
  chainId: string;
  vault: string;
  staker: string;
  lienholder: string;
  /** bond | unbond | stake_local | stake_remote | commit | rollback | release | slash | propagation */
  kind: string;
  amount: bigint;
  amountLowAfter: bigint;
  amountHighAfter: bigint;
  collateralAfter: bigint;
  txId: bigint | null;
  height: number;
  time: Date;
  txHash: string | null;
  msgIndex: number | null;
  eventIndex: number | null;
}

/** Table `pending_txs`, primary key (chainId, contract, txId). */
export interface PendingTx {
  chainId: string;
  contract: string;
  txId: bigint;
  /** in_flight_staking | in_flight_remote_staking | in_flight_remote_unstaking | in_flight_transfer_funds */
  kind: string;
  staker: string;
  amount: bigint;
  validator: string | null;
  lienholder: string | null;
  /** pending | committed | rolled_back */
  status: string;
  createdHeight: number;
  createdTime: Date;
  createdTxHash: string | null;
  settledHeight: number | null;
  settledTime: Date | null;
  settledTxHash: string | null;
}

/** Table `cross_stakes`, primary key (chainId, externalStaking, staker, validator). */
export interface CrossStake {
  chainId: string;
  externalStaking: string;
  staker: string;
  validator: string;
  stakeLow: bigint;
  stakeHigh: bigint;
  /** Signed points alignment of the reward points (spec §4.6). */
  pointsAlignment: bigint;
  pointsAlignmentNegative: boolean;
  withdrawnFunds: bigint;
  height: number;
  time: Date;
}

/** Table `local_stakes`, primary key (chainId, staker, validator). */
export interface LocalStake {
  chainId: string;
  nativeStaking: string;
  proxy: string | null;
  staker: string;
  validator: string;
  amount: bigint;
  height: number;
  time: Date;
}

/** Table `delegation_events` (append-only history), primary key (id). */
export interface DelegationEvent {
  id: string;
  chainId: string;
  contract: string;
  staker: string;
  validator: string | null;
  /** stake | unstake | burn | slash | internal_unstake | channel_close | local_stake | local_unstake | local_burn | local_slash */
  kind: string;
  amount: bigint;
  stakeLowAfter: bigint | null;
  stakeHighAfter: bigint | null;
  txId: bigint | null;
  /** pending | committed | rolled_back for two-phase changes */
  status: string | null;
  height: number;
  time: Date;
  txHash: string | null;
  msgIndex: number | null;
  eventIndex: number | null;
}

/** Table `unbondings`, primary key (id). */
export interface Unbonding {
  id: string;
  chainId: string;
  contract: string;
  staker: string;
  validator: string | null;
  amount: bigint;
  releaseAt: Date;
  /** cross | internal | channel_close | local */
  kind: string;
  /** pending | released */
  state: string;
  height: number;
  time: Date;
  txHash: string | null;
  releasedHeight: number | null;
  releasedTxHash: string | null;
}

/**
 * Validator state history: the provider's CRDT view of a consumer validator, and the consumer's own.
 * Table `validator_states` (append-only history), primary key (id).
 */
export interface ValidatorState {
  id: string;
  /** Chain whose view this row is (provider for the CRDT, consumer for its own state). */
  chainId: string;
  /** provider_crdt | consumer */
  view: string;
  pairingId: string | null;
  validator: string;
  /** active | unbonded | jailed | tombstoned | unjailed | updated */
  state: string;
  /** Consumer height the state starts at (CRDT start_height). */
  startHeight: number | null;
  startTime: Date | null;
  height: number;
  time: Date;
  txHash: string | null;
}

/** Table `virtual_stakes` (append-only history), primary key (id). */
export interface VirtualStake {
  id: string;
  chainId: string;
  virtualStaking: string;
  validator: string;
  /** bond | unbond (instant, x/meshsecurity) at an epoch */
  kind: string;
  amount: bigint;
  /** An unbond's tokens x/meshsecurity got back, burnt and took off the contract's delegated total (less than amount after a slash); null for a bond */
  returned: bigint | null;
  bondedAfter: bigint;
  height: number;
  time: Date;
}

/** Table `max_caps` (append-only history), primary key (id). */
export interface MaxCap {
  id: string;
  chainId: string;
  contract: string;
  cap: bigint;
  denom: string;
  height: number;
  time: Date;
  txHash: string | null;
}

/** Table `prices` (append-only history), primary key (id). */
export interface Price {
  id: string;
  chainId: string;
  priceFeed: string;
  nativePerForeign: string;
  height: number;
  time: Date;
  txHash: string | null;
}

/** Table `reward_events` (append-only history), primary key (id). */
export interface RewardEvent {
  id: string;
  chainId: string;
  contract: string;
  /** distribution (provider credited) | withdrawal | withdrawal_committed | withdrawal_rolled_back | consumer_distribution | consumer_payout */
  kind: string;
  validator: string | null;
  staker: string | null;
  recipient: string | null;
  amount: bigint;
  denom: string | null;
  txId: bigint | null;
  packetId: string | null;
  height: number;
  time: Date;
  txHash: string | null;
  msgIndex: number | null;
  eventIndex: number | null;
}

/**
 * One validator slash and its cascade across chains.
 * Table `slashes`, primary key (id).
 */
export interface Slash {
  id: string;
  /** Chain where the validator was slashed. */
  chainId: string;
  validator: string;
  /** native (provider validator) | cross (consumer validator) */
  kind: string;
  pairingId: string | null;
  infractionHeight: number | null;
  ratio: string | null;
  tombstoned: boolean;
  /** Amount slashed from the virtual delegation, consumer units (x/meshsecurity share). */
  consumerAmount: bigint | null;
  /** The same converted to provider units by the converter. */
  providerAmount: bigint | null;
  /** Provider chain where the vault applied it. */
  providerChainId: string | null;
  providerHeight: number | null;
  providerTime: Date | null;
  providerTxHash: string | null;
  packetId: string | null;
  height: number;
  time: Date;
  txHash: string | null;
}

/** Table `slash_shares`, primary key (slashId, staker). */
export interface SlashShare {
  slashId: string;
  chainId: string;
  vault: string;
  staker: string;
  amount: bigint;
  /** none | liens_adjustment (case A) | total_slashable_adjustment (case B) */
  propagation: string;
  collateralAfter: bigint;
  height: number;
}

/** Table `burns`, primary key (id). */
export interface Burn {
  id: string;
  slashId: string | null;
  /** Chain where this burn is applied. */
  chainId: string;
  /** native_staking | external_staking | converter | virtual_staking */
  stage: string;
  lienholder: string | null;
  staker: string | null;
  validators: string[] | null;
  amount: bigint;
  packetId: string | null;
  height: number;
  time: Date;
  txHash: string | null;
}

/**
 * One row per packet, merged from both chains' halves in any order.
 * Table `ibc_packets`, primary key (id).
 */
export interface IbcPacket {
  /** <source chain>/<source port>/<source channel>/<sequence> */
  id: string;
  pairingId: string | null;
  sourceChainId: string;
  sourcePort: string;
  sourceChannel: string;
  sequence: bigint;
  destChainId: string | null;
  destPort: string | null;
  destChannel: string | null;
  /** stake | unstake | burn | transfer_rewards | valset_update | internal_unstake | distribute | distribute_batch | unknown */
  kind: string;
  /** Decoded packet JSON (null when it does not decode; see dead letters). */
  payload: unknown | null;
  era: string | null;
  timeoutTimestamp: bigint | null;
  sendHeight: number | null;
  sendTime: Date | null;
  sendTxHash: string | null;
  recvHeight: number | null;
  recvTime: Date | null;
  recvTxHash: string | null;
  recvSuccess: boolean | null;
  ack: string | null;
  ackError: string | null;
  ackHeight: number | null;
  ackTime: Date | null;
  ackTxHash: string | null;
  timeoutHeight: number | null;
  timeoutTime: Date | null;
  timeoutTxHash: string | null;
  /** pending | received | acknowledged | error | timed_out */
  outcome: string;
  /** Milliseconds from send to acknowledgement or timeout. */
  latencyMs: number | null;
}

/**
 * Input that could not be decoded, kept with its reason and location.
 * Table `dead_letters`, primary key (id).
 */
export interface DeadLetter {
  id: string;
  chainId: string;
  height: number;
  txHash: string | null;
  msgIndex: number | null;
  eventIndex: number | null;
  /** tx | event | packet | ack | block */
  kind: string;
  reason: string;
  raw: string | null;
  createdAt: Date;
}

/**
 * The indexer's replica of contract state (per chain, namespace and key), written with each batch so a restart resumes exactly.
 * Table `replica_state`, primary key (chainId, namespace, key).
 */
export interface ReplicaState {
  chainId: string;
  namespace: string;
  key: string;
  /** The replicated value (bigints as tagged strings, see src/mappings/replica.ts); null marks a deleted key. */
  value: unknown | null;
}

/** Entity name → row type. */
export interface Entities {
  Chain: Chain;
  Contract: Contract;
  Pairing: Pairing;
  Channel: Channel;
  Account: Account;
  VaultPosition: VaultPosition;
  Lien: Lien;
  LienEvent: LienEvent;
  PendingTx: PendingTx;
  CrossStake: CrossStake;
  LocalStake: LocalStake;
  DelegationEvent: DelegationEvent;
  Unbonding: Unbonding;
  ValidatorState: ValidatorState;
  VirtualStake: VirtualStake;
  MaxCap: MaxCap;
  Price: Price;
  RewardEvent: RewardEvent;
  Slash: Slash;
  SlashShare: SlashShare;
  Burn: Burn;
  IbcPacket: IbcPacket;
  DeadLetter: DeadLetter;
  ReplicaState: ReplicaState;
}

export type EntityName = keyof Entities;

/** Per-entity table metadata, in schema order. */
export const TABLES = {
  Chain: {
    name: 'chains',
    entity: 'Chain',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'bech32Prefix', column: 'bech32_prefix', quoted: 'bech32_prefix', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'cometVersion', column: 'comet_version', quoted: 'comet_version', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'indexedHeight', column: 'indexed_height', quoted: 'indexed_height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'indexedTime', column: 'indexed_time', quoted: 'indexed_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'tipHeight', column: 'tip_height', quoted: 'tip_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'tipTime', column: 'tip_time', quoted: 'tip_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'updatedAt', column: 'updated_at', quoted: 'updated_at', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId'],
    primaryKeyColumns: ['chain_id'],
    uniqueKeys: [],
  },
  Contract: {
    name: 'contracts',
    entity: 'Contract',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'address', column: 'address', quoted: 'address', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'codeId', column: 'code_id', quoted: 'code_id', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'label', column: 'label', quoted: 'label', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'owner', column: 'owner', quoted: 'owner', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['chainId', 'address'],
    primaryKeyColumns: ['chain_id', 'address'],
    uniqueKeys: [],
  },
  Pairing: {
    name: 'pairings',
    entity: 'Pairing',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'providerChainId', column: 'provider_chain_id', quoted: 'provider_chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'consumerChainId', column: 'consumer_chain_id', quoted: 'consumer_chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'externalStaking', column: 'external_staking', quoted: 'external_staking', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'converter', column: 'converter', quoted: 'converter', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'virtualStaking', column: 'virtual_staking', quoted: 'virtual_staking', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'priceFeed', column: 'price_feed', quoted: 'price_feed', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'providerChannel', column: 'provider_channel', quoted: 'provider_channel', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'consumerChannel', column: 'consumer_channel', quoted: 'consumer_channel', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'providerConnection', column: 'provider_connection', quoted: 'provider_connection', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'consumerConnection', column: 'consumer_connection', quoted: 'consumer_connection', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'state', column: 'state', quoted: 'state', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'discount', column: 'discount', quoted: 'discount', sqlType: 'numeric(38,18)', scalar: 'Decimal', nullable: true, array: false },
      { name: 'remoteDenom', column: 'remote_denom', quoted: 'remote_denom', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'rewardsDenom', column: 'rewards_denom', quoted: 'rewards_denom', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'unbondingPeriodSeconds', column: 'unbonding_period_seconds', quoted: 'unbonding_period_seconds', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [['provider_chain_id', 'external_staking']],
  },
  Channel: {
    name: 'channels',
    entity: 'Channel',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'portId', column: 'port_id', quoted: 'port_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'channelId', column: 'channel_id', quoted: 'channel_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'counterpartyChainId', column: 'counterparty_chain_id', quoted: 'counterparty_chain_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'counterpartyPortId', column: 'counterparty_port_id', quoted: 'counterparty_port_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'counterpartyChannelId', column: 'counterparty_channel_id', quoted: 'counterparty_channel_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'connectionId', column: 'connection_id', quoted: 'connection_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'version', column: 'version', quoted: 'version', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'state', column: 'state', quoted: 'state', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'openedHeight', column: 'opened_height', quoted: 'opened_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'closedHeight', column: 'closed_height', quoted: 'closed_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['chainId', 'portId', 'channelId'],
    primaryKeyColumns: ['chain_id', 'port_id', 'channel_id'],
    uniqueKeys: [],
  },
  Account: {
    name: 'accounts',
    entity: 'Account',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'address', column: 'address', quoted: 'address', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'firstHeight', column: 'first_height', quoted: 'first_height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'firstTime', column: 'first_time', quoted: 'first_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId', 'address'],
    primaryKeyColumns: ['chain_id', 'address'],
    uniqueKeys: [],
  },
  VaultPosition: {
    name: 'vault_positions',
    entity: 'VaultPosition',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'vault', column: 'vault', quoted: 'vault', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'collateral', column: 'collateral', quoted: 'collateral', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'maxLienLow', column: 'max_lien_low', quoted: 'max_lien_low', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'maxLienHigh', column: 'max_lien_high', quoted: 'max_lien_high', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'totalSlashableLow', column: 'total_slashable_low', quoted: 'total_slashable_low', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'totalSlashableHigh', column: 'total_slashable_high', quoted: 'total_slashable_high', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'freeLow', column: 'free_low', quoted: 'free_low', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'freeHigh', column: 'free_high', quoted: 'free_high', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId', 'vault', 'staker'],
    primaryKeyColumns: ['chain_id', 'vault', 'staker'],
    uniqueKeys: [],
  },
  Lien: {
    name: 'liens',
    entity: 'Lien',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'vault', column: 'vault', quoted: 'vault', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'lienholder', column: 'lienholder', quoted: 'lienholder', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amountLow', column: 'amount_low', quoted: 'amount_low', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'amountHigh', column: 'amount_high', quoted: 'amount_high', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'slashable', column: 'slashable', quoted: 'slashable', sqlType: 'numeric(38,18)', scalar: 'Decimal', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId', 'vault', 'staker', 'lienholder'],
    primaryKeyColumns: ['chain_id', 'vault', 'staker', 'lienholder'],
    uniqueKeys: [],
  },
  LienEvent: {
    name: 'lien_events',
    entity: 'LienEvent',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'vault', column: 'vault', quoted: 'vault', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'lienholder', column: 'lienholder', quoted: 'lienholder', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'amountLowAfter', column: 'amount_low_after', quoted: 'amount_low_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'amountHighAfter', column: 'amount_high_after', quoted: 'amount_high_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'collateralAfter', column: 'collateral_after', quoted: 'collateral_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'txId', column: 'tx_id', quoted: 'tx_id', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'msgIndex', column: 'msg_index', quoted: 'msg_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'eventIndex', column: 'event_index', quoted: 'event_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  PendingTx: {
    name: 'pending_txs',
    entity: 'PendingTx',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'contract', column: 'contract', quoted: 'contract', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'txId', column: 'tx_id', quoted: 'tx_id', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'lienholder', column: 'lienholder', quoted: 'lienholder', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'status', column: 'status', quoted: 'status', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'createdHeight', column: 'created_height', quoted: 'created_height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'createdTime', column: 'created_time', quoted: 'created_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'createdTxHash', column: 'created_tx_hash', quoted: 'created_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'settledHeight', column: 'settled_height', quoted: 'settled_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'settledTime', column: 'settled_time', quoted: 'settled_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'settledTxHash', column: 'settled_tx_hash', quoted: 'settled_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['chainId', 'contract', 'txId'],
    primaryKeyColumns: ['chain_id', 'contract', 'tx_id'],
    uniqueKeys: [],
  },
  CrossStake: {
    name: 'cross_stakes',
    entity: 'CrossStake',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'externalStaking', column: 'external_staking', quoted: 'external_staking', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'stakeLow', column: 'stake_low', quoted: 'stake_low', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'stakeHigh', column: 'stake_high', quoted: 'stake_high', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'pointsAlignment', column: 'points_alignment', quoted: 'points_alignment', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'pointsAlignmentNegative', column: 'points_alignment_negative', quoted: 'points_alignment_negative', sqlType: 'boolean', scalar: 'Boolean', nullable: false, array: false },
      { name: 'withdrawnFunds', column: 'withdrawn_funds', quoted: 'withdrawn_funds', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId', 'externalStaking', 'staker', 'validator'],
    primaryKeyColumns: ['chain_id', 'external_staking', 'staker', 'validator'],
    uniqueKeys: [],
  },
  LocalStake: {
    name: 'local_stakes',
    entity: 'LocalStake',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'nativeStaking', column: 'native_staking', quoted: 'native_staking', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'proxy', column: 'proxy', quoted: 'proxy', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['chainId', 'staker', 'validator'],
    primaryKeyColumns: ['chain_id', 'staker', 'validator'],
    uniqueKeys: [],
  },
  DelegationEvent: {
    name: 'delegation_events',
    entity: 'DelegationEvent',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'contract', column: 'contract', quoted: 'contract', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'stakeLowAfter', column: 'stake_low_after', quoted: 'stake_low_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'stakeHighAfter', column: 'stake_high_after', quoted: 'stake_high_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'txId', column: 'tx_id', quoted: 'tx_id', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'status', column: 'status', quoted: 'status', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'msgIndex', column: 'msg_index', quoted: 'msg_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'eventIndex', column: 'event_index', quoted: 'event_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  Unbonding: {
    name: 'unbondings',
    entity: 'Unbonding',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'contract', column: 'contract', quoted: 'contract', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'releaseAt', column: 'release_at', quoted: 'release_at', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'state', column: 'state', quoted: 'state', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'releasedHeight', column: 'released_height', quoted: 'released_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'releasedTxHash', column: 'released_tx_hash', quoted: 'released_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  ValidatorState: {
    name: 'validator_states',
    entity: 'ValidatorState',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'view', column: 'view', quoted: 'view', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'pairingId', column: 'pairing_id', quoted: 'pairing_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'state', column: 'state', quoted: 'state', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'startHeight', column: 'start_height', quoted: 'start_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'startTime', column: 'start_time', quoted: 'start_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  VirtualStake: {
    name: 'virtual_stakes',
    entity: 'VirtualStake',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'virtualStaking', column: 'virtual_staking', quoted: 'virtual_staking', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'returned', column: 'returned', quoted: 'returned', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'bondedAfter', column: 'bonded_after', quoted: 'bonded_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  MaxCap: {
    name: 'max_caps',
    entity: 'MaxCap',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'contract', column: 'contract', quoted: 'contract', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'cap', column: 'cap', quoted: 'cap', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'denom', column: 'denom', quoted: 'denom', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  Price: {
    name: 'prices',
    entity: 'Price',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'priceFeed', column: 'price_feed', quoted: 'price_feed', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'nativePerForeign', column: 'native_per_foreign', quoted: 'native_per_foreign', sqlType: 'numeric(38,18)', scalar: 'Decimal', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  RewardEvent: {
    name: 'reward_events',
    entity: 'RewardEvent',
    history: true,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'contract', column: 'contract', quoted: 'contract', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'recipient', column: 'recipient', quoted: 'recipient', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'denom', column: 'denom', quoted: 'denom', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'txId', column: 'tx_id', quoted: 'tx_id', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'packetId', column: 'packet_id', quoted: 'packet_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'msgIndex', column: 'msg_index', quoted: 'msg_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'eventIndex', column: 'event_index', quoted: 'event_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  Slash: {
    name: 'slashes',
    entity: 'Slash',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'validator', column: 'validator', quoted: 'validator', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'pairingId', column: 'pairing_id', quoted: 'pairing_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'infractionHeight', column: 'infraction_height', quoted: 'infraction_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'ratio', column: 'ratio', quoted: 'ratio', sqlType: 'numeric(38,18)', scalar: 'Decimal', nullable: true, array: false },
      { name: 'tombstoned', column: 'tombstoned', quoted: 'tombstoned', sqlType: 'boolean', scalar: 'Boolean', nullable: false, array: false },
      { name: 'consumerAmount', column: 'consumer_amount', quoted: 'consumer_amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'providerAmount', column: 'provider_amount', quoted: 'provider_amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'providerChainId', column: 'provider_chain_id', quoted: 'provider_chain_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'providerHeight', column: 'provider_height', quoted: 'provider_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'providerTime', column: 'provider_time', quoted: 'provider_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'providerTxHash', column: 'provider_tx_hash', quoted: 'provider_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'packetId', column: 'packet_id', quoted: 'packet_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  SlashShare: {
    name: 'slash_shares',
    entity: 'SlashShare',
    history: false,
    columns: [
      { name: 'slashId', column: 'slash_id', quoted: 'slash_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'vault', column: 'vault', quoted: 'vault', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'propagation', column: 'propagation', quoted: 'propagation', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'collateralAfter', column: 'collateral_after', quoted: 'collateral_after', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
    ],
    primaryKey: ['slashId', 'staker'],
    primaryKeyColumns: ['slash_id', 'staker'],
    uniqueKeys: [],
  },
  Burn: {
    name: 'burns',
    entity: 'Burn',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'slashId', column: 'slash_id', quoted: 'slash_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'stage', column: 'stage', quoted: 'stage', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'lienholder', column: 'lienholder', quoted: 'lienholder', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'staker', column: 'staker', quoted: 'staker', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'validators', column: 'validators', quoted: 'validators', sqlType: 'text[]', scalar: 'String', nullable: true, array: true },
      { name: 'amount', column: 'amount', quoted: 'amount', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'packetId', column: 'packet_id', quoted: 'packet_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'time', column: 'time', quoted: 'time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  IbcPacket: {
    name: 'ibc_packets',
    entity: 'IbcPacket',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'pairingId', column: 'pairing_id', quoted: 'pairing_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'sourceChainId', column: 'source_chain_id', quoted: 'source_chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'sourcePort', column: 'source_port', quoted: 'source_port', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'sourceChannel', column: 'source_channel', quoted: 'source_channel', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'sequence', column: 'sequence', quoted: 'sequence', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: false, array: false },
      { name: 'destChainId', column: 'dest_chain_id', quoted: 'dest_chain_id', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'destPort', column: 'dest_port', quoted: 'dest_port', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'destChannel', column: 'dest_channel', quoted: 'dest_channel', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'payload', column: 'payload', quoted: 'payload', sqlType: 'jsonb', scalar: 'JSON', nullable: true, array: false },
      { name: 'era', column: 'era', quoted: 'era', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'timeoutTimestamp', column: 'timeout_timestamp', quoted: 'timeout_timestamp', sqlType: 'numeric(78,0)', scalar: 'BigInt', nullable: true, array: false },
      { name: 'sendHeight', column: 'send_height', quoted: 'send_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'sendTime', column: 'send_time', quoted: 'send_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'sendTxHash', column: 'send_tx_hash', quoted: 'send_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'recvHeight', column: 'recv_height', quoted: 'recv_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'recvTime', column: 'recv_time', quoted: 'recv_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'recvTxHash', column: 'recv_tx_hash', quoted: 'recv_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'recvSuccess', column: 'recv_success', quoted: 'recv_success', sqlType: 'boolean', scalar: 'Boolean', nullable: true, array: false },
      { name: 'ack', column: 'ack', quoted: 'ack', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'ackError', column: 'ack_error', quoted: 'ack_error', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'ackHeight', column: 'ack_height', quoted: 'ack_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'ackTime', column: 'ack_time', quoted: 'ack_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'ackTxHash', column: 'ack_tx_hash', quoted: 'ack_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'timeoutHeight', column: 'timeout_height', quoted: 'timeout_height', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'timeoutTime', column: 'timeout_time', quoted: 'timeout_time', sqlType: 'timestamptz', scalar: 'DateTime', nullable: true, array: false },
      { name: 'timeoutTxHash', column: 'timeout_tx_hash', quoted: 'timeout_tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'outcome', column: 'outcome', quoted: 'outcome', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'latencyMs', column: 'latency_ms', quoted: 'latency_ms', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  DeadLetter: {
    name: 'dead_letters',
    entity: 'DeadLetter',
    history: false,
    columns: [
      { name: 'id', column: 'id', quoted: 'id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'height', column: 'height', quoted: 'height', sqlType: 'integer', scalar: 'Int', nullable: false, array: false },
      { name: 'txHash', column: 'tx_hash', quoted: 'tx_hash', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'msgIndex', column: 'msg_index', quoted: 'msg_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'eventIndex', column: 'event_index', quoted: 'event_index', sqlType: 'integer', scalar: 'Int', nullable: true, array: false },
      { name: 'kind', column: 'kind', quoted: 'kind', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'reason', column: 'reason', quoted: 'reason', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'raw', column: 'raw', quoted: 'raw', sqlType: 'text', scalar: 'String', nullable: true, array: false },
      { name: 'createdAt', column: 'created_at', quoted: 'created_at', sqlType: 'timestamptz', scalar: 'DateTime', nullable: false, array: false },
    ],
    primaryKey: ['id'],
    primaryKeyColumns: ['id'],
    uniqueKeys: [],
  },
  ReplicaState: {
    name: 'replica_state',
    entity: 'ReplicaState',
    history: false,
    columns: [
      { name: 'chainId', column: 'chain_id', quoted: 'chain_id', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'namespace', column: 'namespace', quoted: 'namespace', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'key', column: 'key', quoted: 'key', sqlType: 'text', scalar: 'String', nullable: false, array: false },
      { name: 'value', column: 'value', quoted: 'value', sqlType: 'jsonb', scalar: 'JSON', nullable: true, array: false },
    ],
    primaryKey: ['chainId', 'namespace', 'key'],
    primaryKeyColumns: ['chain_id', 'namespace', 'key'],
    uniqueKeys: [],
  },
} as const satisfies { readonly [K in EntityName]: TableMeta };

/** SQL table name → entity name. */
export const ENTITY_BY_TABLE = {
  chains: 'Chain',
  contracts: 'Contract',
  pairings: 'Pairing',
  channels: 'Channel',
  accounts: 'Account',
  vault_positions: 'VaultPosition',
  liens: 'Lien',
  lien_events: 'LienEvent',
  pending_txs: 'PendingTx',
  cross_stakes: 'CrossStake',
  local_stakes: 'LocalStake',
  delegation_events: 'DelegationEvent',
  unbondings: 'Unbonding',
  validator_states: 'ValidatorState',
  virtual_stakes: 'VirtualStake',
  max_caps: 'MaxCap',
  prices: 'Price',
  reward_events: 'RewardEvent',
  slashes: 'Slash',
  slash_shares: 'SlashShare',
  burns: 'Burn',
  ibc_packets: 'IbcPacket',
  dead_letters: 'DeadLetter',
  replica_state: 'ReplicaState',
} as const satisfies Record<string, EntityName>;
