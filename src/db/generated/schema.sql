-- GENERATED FILE: do not edit. Source: schema.graphql; regenerate with `npm run codegen`.
-- Applied by src/db/migrate.ts (idempotent: every statement may run again on an up-to-date database).

-- Chain
CREATE TABLE IF NOT EXISTS chains (
  chain_id       text NOT NULL,
  bech32_prefix  text NOT NULL,
  comet_version  text,
  indexed_height integer NOT NULL,
  indexed_time   timestamptz,
  tip_height     integer,
  tip_time       timestamptz,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (chain_id)
);
COMMENT ON COLUMN chains.comet_version IS 'CometBFT version the nodes report (0.34, 0.37, 0.38).';
COMMENT ON COLUMN chains.indexed_height IS 'Last height whose rows are committed.';
COMMENT ON COLUMN chains.tip_height IS 'Highest height a node reported.';

-- Contract
CREATE TABLE IF NOT EXISTS contracts (
  chain_id text NOT NULL,
  address  text NOT NULL,
  kind     text NOT NULL,
  code_id  integer,
  label    text,
  owner    text,
  height   integer,
  time     timestamptz,
  tx_hash  text,
  PRIMARY KEY (chain_id, address)
);
COMMENT ON COLUMN contracts.kind IS 'vault | native_staking | native_staking_proxy | external_staking | converter | virtual_staking | price_feed';
COMMENT ON COLUMN contracts.owner IS 'For proxies: the owner; for virtual staking: its converter.';
CREATE INDEX IF NOT EXISTS contracts_kind_idx ON contracts (kind);

-- Pairing
CREATE TABLE IF NOT EXISTS pairings (
  id                       text NOT NULL,
  provider_chain_id        text NOT NULL,
  consumer_chain_id        text NOT NULL,
  external_staking         text NOT NULL,
  converter                text,
  virtual_staking          text,
  price_feed               text,
  provider_channel         text,
  consumer_channel         text,
  provider_connection      text,
  consumer_connection      text,
  state                    text NOT NULL,
  discount                 numeric(38,18),
  remote_denom             text,
  rewards_denom            text,
  unbonding_period_seconds integer,
  PRIMARY KEY (id)
);
COMMENT ON TABLE pairings IS 'A provider chain''s external staking linked with a consumer chain''s converter.';
COMMENT ON COLUMN pairings.state IS 'open | closed | pending';
CREATE UNIQUE INDEX IF NOT EXISTS pairings_provider_chain_id_external_staking_key ON pairings (provider_chain_id, external_staking);

-- Channel
CREATE TABLE IF NOT EXISTS channels (
  chain_id                text NOT NULL,
  port_id                 text NOT NULL,
  channel_id              text NOT NULL,
  counterparty_chain_id   text,
  counterparty_port_id    text,
  counterparty_channel_id text,
  connection_id           text,
  version                 text,
  state                   text NOT NULL,
  opened_height           integer,
  closed_height           integer,
  PRIMARY KEY (chain_id, port_id, channel_id)
);
COMMENT ON COLUMN channels.state IS 'INIT | TRYOPEN | OPEN | CLOSED';

-- Account
CREATE TABLE IF NOT EXISTS accounts (
  chain_id     text NOT NULL,
  address      text NOT NULL,
  first_height integer NOT NULL,
  first_time   timestamptz NOT NULL,
  PRIMARY KEY (chain_id, address)
);

-- VaultPosition
CREATE TABLE IF NOT EXISTS vault_positions (
  chain_id             text NOT NULL,
  vault                text NOT NULL,
  staker               text NOT NULL,
  collateral           numeric(78,0) NOT NULL,
  max_lien_low         numeric(78,0) NOT NULL,
  max_lien_high        numeric(78,0) NOT NULL,
  total_slashable_low  numeric(78,0) NOT NULL,
  total_slashable_high numeric(78,0) NOT NULL,
  free_low             numeric(78,0) NOT NULL,
  free_high            numeric(78,0) NOT NULL,
  height               integer NOT NULL,
  time                 timestamptz NOT NULL,
  PRIMARY KEY (chain_id, vault, staker)
);
CREATE INDEX IF NOT EXISTS vault_positions_staker_idx ON vault_positions (staker);

-- Lien
CREATE TABLE IF NOT EXISTS liens (
  chain_id    text NOT NULL,
  vault       text NOT NULL,
  staker      text NOT NULL,
  lienholder  text NOT NULL,
  amount_low  numeric(78,0) NOT NULL,
  amount_high numeric(78,0) NOT NULL,
  slashable   numeric(38,18) NOT NULL,
  height      integer NOT NULL,
  time        timestamptz NOT NULL,
  PRIMARY KEY (chain_id, vault, staker, lienholder)
);
CREATE INDEX IF NOT EXISTS liens_staker_idx ON liens (staker);

-- LienEvent (history: append-only)
CREATE TABLE IF NOT EXISTS lien_events (
  id                text NOT NULL,
  chain_id          text NOT NULL,
  vault             text NOT NULL,
  staker            text NOT NULL,
  lienholder        text NOT NULL,
  kind              text NOT NULL,
  amount            numeric(78,0) NOT NULL,
  amount_low_after  numeric(78,0) NOT NULL,
  amount_high_after numeric(78,0) NOT NULL,
  collateral_after  numeric(78,0) NOT NULL,
  tx_id             numeric(78,0),
  height            integer NOT NULL,
  time              timestamptz NOT NULL,
  tx_hash           text,
  msg_index         integer,
  event_index       integer,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN lien_events.kind IS 'bond | unbond | stake_local | stake_remote | commit | rollback | release | slash | propagation';
CREATE INDEX IF NOT EXISTS lien_events_chain_id_staker_height_idx ON lien_events (chain_id, staker, height);
CREATE INDEX IF NOT EXISTS lien_events_lienholder_height_idx ON lien_events (lienholder, height);

-- PendingTx
CREATE TABLE IF NOT EXISTS pending_txs (
  chain_id        text NOT NULL,
  contract        text NOT NULL,
  tx_id           numeric(78,0) NOT NULL,
  kind            text NOT NULL,
  staker          text NOT NULL,
  amount          numeric(78,0) NOT NULL,
  validator       text,
  lienholder      text,
  status          text NOT NULL,
  created_height  integer NOT NULL,
  created_time    timestamptz NOT NULL,
  created_tx_hash text,
  settled_height  integer,
  settled_time    timestamptz,
  settled_tx_hash text,
  PRIMARY KEY (chain_id, contract, tx_id)
);
COMMENT ON COLUMN pending_txs.kind IS 'in_flight_staking | in_flight_remote_staking | in_flight_remote_unstaking | in_flight_transfer_funds';
COMMENT ON COLUMN pending_txs.status IS 'pending | committed | rolled_back';
CREATE INDEX IF NOT EXISTS pending_txs_staker_idx ON pending_txs (staker);

-- CrossStake
CREATE TABLE IF NOT EXISTS cross_stakes (
  chain_id                  text NOT NULL,
  external_staking          text NOT NULL,
  staker                    text NOT NULL,
  validator                 text NOT NULL,
  stake_low                 numeric(78,0) NOT NULL,
  stake_high                numeric(78,0) NOT NULL,
  points_alignment          numeric(78,0) NOT NULL,
  points_alignment_negative boolean NOT NULL,
  withdrawn_funds           numeric(78,0) NOT NULL,
  height                    integer NOT NULL,
  time                      timestamptz NOT NULL,
  PRIMARY KEY (chain_id, external_staking, staker, validator)
);
COMMENT ON COLUMN cross_stakes.points_alignment IS 'Signed points alignment of the reward points (spec §4.6).';
CREATE INDEX IF NOT EXISTS cross_stakes_staker_idx ON cross_stakes (staker);
CREATE INDEX IF NOT EXISTS cross_stakes_validator_idx ON cross_stakes (validator);

-- LocalStake
CREATE TABLE IF NOT EXISTS local_stakes (
  chain_id       text NOT NULL,
  native_staking text NOT NULL,
  proxy          text,
  staker         text NOT NULL,
  validator      text NOT NULL,
  amount         numeric(78,0) NOT NULL,
  height         integer NOT NULL,
  time           timestamptz NOT NULL,
  PRIMARY KEY (chain_id, staker, validator)
);
CREATE INDEX IF NOT EXISTS local_stakes_staker_idx ON local_stakes (staker);

-- DelegationEvent (history: append-only)
CREATE TABLE IF NOT EXISTS delegation_events (
  id               text NOT NULL,
  chain_id         text NOT NULL,
  contract         text NOT NULL,
  staker           text NOT NULL,
  validator        text,
  kind             text NOT NULL,
  amount           numeric(78,0) NOT NULL,
  stake_low_after  numeric(78,0),
  stake_high_after numeric(78,0),
  tx_id            numeric(78,0),
  status           text,
  height           integer NOT NULL,
  time             timestamptz NOT NULL,
  tx_hash          text,
  msg_index        integer,
  event_index      integer,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN delegation_events.kind IS 'stake | unstake | burn | slash | internal_unstake | channel_close | local_stake | local_unstake | local_burn | local_slash';
COMMENT ON COLUMN delegation_events.status IS 'pending | committed | rolled_back for two-phase changes';
CREATE INDEX IF NOT EXISTS delegation_events_chain_id_staker_height_idx ON delegation_events (chain_id, staker, height);
CREATE INDEX IF NOT EXISTS delegation_events_validator_height_idx ON delegation_events (validator, height);

-- Unbonding
CREATE TABLE IF NOT EXISTS unbondings (
  id               text NOT NULL,
  chain_id         text NOT NULL,
  contract         text NOT NULL,
  staker           text NOT NULL,
  validator        text,
  amount           numeric(78,0) NOT NULL,
  release_at       timestamptz NOT NULL,
  kind             text NOT NULL,
  state            text NOT NULL,
  height           integer NOT NULL,
  time             timestamptz NOT NULL,
  tx_hash          text,
  released_height  integer,
  released_tx_hash text,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN unbondings.kind IS 'cross | internal | channel_close | local';
COMMENT ON COLUMN unbondings.state IS 'pending | released';
CREATE INDEX IF NOT EXISTS unbondings_chain_id_staker_idx ON unbondings (chain_id, staker);
CREATE INDEX IF NOT EXISTS unbondings_release_at_idx ON unbondings (release_at);

-- ValidatorState (history: append-only)
CREATE TABLE IF NOT EXISTS validator_states (
  id           text NOT NULL,
  chain_id     text NOT NULL,
  view         text NOT NULL,
  pairing_id   text,
  validator    text NOT NULL,
  state        text NOT NULL,
  start_height integer,
  start_time   timestamptz,
  height       integer NOT NULL,
  time         timestamptz NOT NULL,
  tx_hash      text,
  PRIMARY KEY (id)
);
COMMENT ON TABLE validator_states IS 'Validator state history: the provider''s CRDT view of a consumer validator, and the consumer''s own.';
COMMENT ON COLUMN validator_states.chain_id IS 'Chain whose view this row is (provider for the CRDT, consumer for its own state).';
COMMENT ON COLUMN validator_states.view IS 'provider_crdt | consumer';
COMMENT ON COLUMN validator_states.state IS 'active | unbonded | jailed | tombstoned | unjailed | updated';
COMMENT ON COLUMN validator_states.start_height IS 'Consumer height the state starts at (CRDT start_height).';
CREATE INDEX IF NOT EXISTS validator_states_chain_id_validator_height_idx ON validator_states (chain_id, validator, height);

-- VirtualStake (history: append-only)
CREATE TABLE IF NOT EXISTS virtual_stakes (
  id              text NOT NULL,
  chain_id        text NOT NULL,
  virtual_staking text NOT NULL,
  validator       text NOT NULL,
  kind            text NOT NULL,
  amount          numeric(78,0) NOT NULL,
  returned        numeric(78,0),
  bonded_after    numeric(78,0) NOT NULL,
  height          integer NOT NULL,
  time            timestamptz NOT NULL,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN virtual_stakes.kind IS 'bond | unbond (instant, x/meshsecurity) at an epoch';
COMMENT ON COLUMN virtual_stakes.returned IS 'An unbond''s tokens x/meshsecurity got back, burnt and took off the contract''s delegated total (less than amount after a slash); null for a bond';
CREATE INDEX IF NOT EXISTS virtual_stakes_chain_id_validator_height_idx ON virtual_stakes (chain_id, validator, height);

-- MaxCap (history: append-only)
CREATE TABLE IF NOT EXISTS max_caps (
  id       text NOT NULL,
  chain_id text NOT NULL,
  contract text NOT NULL,
  cap      numeric(78,0) NOT NULL,
  denom    text NOT NULL,
  height   integer NOT NULL,
  time     timestamptz NOT NULL,
  tx_hash  text,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS max_caps_chain_id_contract_height_idx ON max_caps (chain_id, contract, height);

-- Price (history: append-only)
CREATE TABLE IF NOT EXISTS prices (
  id                 text NOT NULL,
  chain_id           text NOT NULL,
  price_feed         text NOT NULL,
  native_per_foreign numeric(38,18) NOT NULL,
  height             integer NOT NULL,
  time               timestamptz NOT NULL,
  tx_hash            text,
  PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS prices_chain_id_price_feed_height_idx ON prices (chain_id, price_feed, height);

-- RewardEvent (history: append-only)
CREATE TABLE IF NOT EXISTS reward_events (
  id          text NOT NULL,
  chain_id    text NOT NULL,
  contract    text NOT NULL,
  kind        text NOT NULL,
  validator   text,
  staker      text,
  recipient   text,
  amount      numeric(78,0) NOT NULL,
  denom       text,
  tx_id       numeric(78,0),
  packet_id   text,
  height      integer NOT NULL,
  time        timestamptz NOT NULL,
  tx_hash     text,
  msg_index   integer,
  event_index integer,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN reward_events.kind IS 'distribution (provider credited) | withdrawal | withdrawal_committed | withdrawal_rolled_back | consumer_distribution | consumer_payout';
CREATE INDEX IF NOT EXISTS reward_events_chain_id_validator_height_idx ON reward_events (chain_id, validator, height);
CREATE INDEX IF NOT EXISTS reward_events_staker_height_idx ON reward_events (staker, height);

-- Slash
CREATE TABLE IF NOT EXISTS slashes (
  id                text NOT NULL,
  chain_id          text NOT NULL,
  validator         text NOT NULL,
  kind              text NOT NULL,
  pairing_id        text,
  infraction_height integer,
  ratio             numeric(38,18),
  tombstoned        boolean NOT NULL,
  consumer_amount   numeric(78,0),
  provider_amount   numeric(78,0),
  provider_chain_id text,
  provider_height   integer,
  provider_time     timestamptz,
  provider_tx_hash  text,
  packet_id         text,
  height            integer NOT NULL,
  time              timestamptz NOT NULL,
  tx_hash           text,
  PRIMARY KEY (id)
);
COMMENT ON TABLE slashes IS 'One validator slash and its cascade across chains.';
COMMENT ON COLUMN slashes.chain_id IS 'Chain where the validator was slashed.';
COMMENT ON COLUMN slashes.kind IS 'native (provider validator) | cross (consumer validator)';
COMMENT ON COLUMN slashes.consumer_amount IS 'Amount slashed from the virtual delegation, consumer units (x/meshsecurity share).';
COMMENT ON COLUMN slashes.provider_amount IS 'The same converted to provider units by the converter.';
COMMENT ON COLUMN slashes.provider_chain_id IS 'Provider chain where the vault applied it.';
CREATE INDEX IF NOT EXISTS slashes_validator_idx ON slashes (validator);
CREATE INDEX IF NOT EXISTS slashes_chain_id_height_idx ON slashes (chain_id, height);

-- SlashShare
CREATE TABLE IF NOT EXISTS slash_shares (
  slash_id         text NOT NULL,
  chain_id         text NOT NULL,
  vault            text NOT NULL,
  staker           text NOT NULL,
  amount           numeric(78,0) NOT NULL,
  propagation      text NOT NULL,
  collateral_after numeric(78,0) NOT NULL,
  height           integer NOT NULL,
  PRIMARY KEY (slash_id, staker)
);
COMMENT ON COLUMN slash_shares.propagation IS 'none | liens_adjustment (case A) | total_slashable_adjustment (case B)';
CREATE INDEX IF NOT EXISTS slash_shares_staker_idx ON slash_shares (staker);

-- Burn
CREATE TABLE IF NOT EXISTS burns (
  id         text NOT NULL,
  slash_id   text,
  chain_id   text NOT NULL,
  stage      text NOT NULL,
  lienholder text,
  staker     text,
  validators text[],
  amount     numeric(78,0) NOT NULL,
  packet_id  text,
  height     integer NOT NULL,
  time       timestamptz NOT NULL,
  tx_hash    text,
  PRIMARY KEY (id)
);
COMMENT ON COLUMN burns.chain_id IS 'Chain where this burn is applied.';
COMMENT ON COLUMN burns.stage IS 'native_staking | external_staking | converter | virtual_staking';
CREATE INDEX IF NOT EXISTS burns_slash_id_idx ON burns (slash_id);
CREATE INDEX IF NOT EXISTS burns_staker_idx ON burns (staker);

-- IbcPacket
CREATE TABLE IF NOT EXISTS ibc_packets (
  id                text NOT NULL,
  pairing_id        text,
  source_chain_id   text NOT NULL,
  source_port       text NOT NULL,
  source_channel    text NOT NULL,
  sequence          numeric(78,0) NOT NULL,
  dest_chain_id     text,
  dest_port         text,
  dest_channel      text,
  kind              text NOT NULL,
  payload           jsonb,
  era               text,
  timeout_timestamp numeric(78,0),
  send_height       integer,
  send_time         timestamptz,
  send_tx_hash      text,
  recv_height       integer,
  recv_time         timestamptz,
  recv_tx_hash      text,
  recv_success      boolean,
  ack               text,
  ack_error         text,
  ack_height        integer,
  ack_time          timestamptz,
  ack_tx_hash       text,
  timeout_height    integer,
  timeout_time      timestamptz,
  timeout_tx_hash   text,
  outcome           text NOT NULL,
  latency_ms        integer,
  PRIMARY KEY (id)
);
COMMENT ON TABLE ibc_packets IS 'One row per packet, merged from both chains'' halves in any order.';
COMMENT ON COLUMN ibc_packets.id IS '<source chain>/<source port>/<source channel>/<sequence>';
COMMENT ON COLUMN ibc_packets.kind IS 'stake | unstake | burn | transfer_rewards | valset_update | internal_unstake | distribute | distribute_batch | unknown';
COMMENT ON COLUMN ibc_packets.payload IS 'Decoded packet JSON (null when it does not decode; see dead letters).';
COMMENT ON COLUMN ibc_packets.outcome IS 'pending | received | acknowledged | error | timed_out';
COMMENT ON COLUMN ibc_packets.latency_ms IS 'Milliseconds from send to acknowledgement or timeout.';
CREATE INDEX IF NOT EXISTS ibc_packets_pairing_id_send_time_idx ON ibc_packets (pairing_id, send_time);
CREATE INDEX IF NOT EXISTS ibc_packets_send_tx_hash_idx ON ibc_packets (send_tx_hash);
CREATE INDEX IF NOT EXISTS ibc_packets_recv_tx_hash_idx ON ibc_packets (recv_tx_hash);

-- DeadLetter
CREATE TABLE IF NOT EXISTS dead_letters (
  id          text NOT NULL,
  chain_id    text NOT NULL,
  height      integer NOT NULL,
  tx_hash     text,
  msg_index   integer,
  event_index integer,
  kind        text NOT NULL,
  reason      text NOT NULL,
  raw         text,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (id)
);
COMMENT ON TABLE dead_letters IS 'Input that could not be decoded, kept with its reason and location.';
COMMENT ON COLUMN dead_letters.kind IS 'tx | event | packet | ack | block';
CREATE INDEX IF NOT EXISTS dead_letters_chain_id_height_idx ON dead_letters (chain_id, height);

-- ReplicaState
CREATE TABLE IF NOT EXISTS replica_state (
  chain_id  text NOT NULL,
  namespace text NOT NULL,
  key       text NOT NULL,
  value     jsonb,
  PRIMARY KEY (chain_id, namespace, key)
);
COMMENT ON TABLE replica_state IS 'The indexer''s replica of contract state (per chain, namespace and key), written with each batch so a restart resumes exactly.';
COMMENT ON COLUMN replica_state.value IS 'The replicated value (bigints as tagged strings, see src/mappings/replica.ts); null marks a deleted key.';
