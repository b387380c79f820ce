-- The analysts' stable SQL views: schema `mesh`. Documented in docs/sql.md (columns, example queries).
-- Created by src/db/analytics.ts (called by migrate()) on a database without the `mesh` schema: the
-- installer drops and recreates the schema whenever this file changes, so keep your own objects in
-- a schema of your own. Amounts are numeric(78,0) (exact; Uint128 and larger), times timestamptz.
-- Column names stay stable; new columns are added at the end.

CREATE SCHEMA mesh;

-- ---- helpers --------------------------------------------------------------------------------------

CREATE VIEW mesh.latency_buckets (bucket, lower_ms, upper_ms, rollup_column) AS
SELECT b.i::int, b.lower_ms, b.upper_ms, b.col
  FROM unnest(
         ARRAY[0, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 120000, 300000, 600000, 1800000]::bigint[],
         ARRAY[1000, 2000, 5000, 10000, 20000, 30000, 60000, 120000, 300000, 600000, 1800000, NULL]::bigint[],
         ARRAY['latency_le_1s', 'latency_le_2s', 'latency_le_5s', 'latency_le_10s', 'latency_le_20s', 'latency_le_30s',
               'latency_le_1m', 'latency_le_2m', 'latency_le_5m', 'latency_le_10m', 'latency_le_30m', 'latency_gt_30m']
       ) WITH ORDINALITY AS b(lower_ms, upper_ms, col, i);
COMMENT ON VIEW mesh.latency_buckets IS 'The fixed packet latency histogram: bucket i counts latencies in (lower_ms, upper_ms]; the last bucket has no upper edge.';
COMMENT ON COLUMN mesh.latency_buckets.bucket IS 'Position (1-based) in latency_hist arrays.';
COMMENT ON COLUMN mesh.latency_buckets.lower_ms IS 'Exclusive lower edge, milliseconds.';
COMMENT ON COLUMN mesh.latency_buckets.upper_ms IS 'Inclusive upper edge, milliseconds (null: unbounded).';
COMMENT ON COLUMN mesh.latency_buckets.rollup_column IS 'Column of rollup.packets holding this bucket.';

-- Approximate quantile of a latency histogram: the bucket holding the q-th fraction of the count,
-- linearly interpolated inside it (the overflow bucket answers its lower edge).
CREATE FUNCTION mesh.latency_quantile(hist bigint[], q double precision) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  WITH h AS (
    SELECT b.bucket, b.lower_ms, b.upper_ms, coalesce(hist[b.bucket], 0) AS n,
           sum(coalesce(hist[b.bucket], 0)) OVER (ORDER BY b.bucket) AS cum
      FROM mesh.latency_buckets b
  ), t AS (SELECT sum(n) AS total FROM h)
  SELECT CASE WHEN h.upper_ms IS NULL THEN h.lower_ms
              ELSE round(h.lower_ms + (h.upper_ms - h.lower_ms) * ((q * t.total - (h.cum - h.n)) / h.n))::bigint END
    FROM h, t
   WHERE t.total > 0 AND h.n > 0 AND h.cum >= q * t.total
   ORDER BY h.bucket
   LIMIT 1
$fn$;
COMMENT ON FUNCTION mesh.latency_quantile(bigint[], double precision) IS 'Approximate q-quantile (0..1) in whole milliseconds of a latency histogram laid out as mesh.latency_buckets; null for an empty histogram.';

-- Pairing of a contract on a chain: the external staking on the provider, the converter or virtual
-- staking on the consumer.
CREATE VIEW mesh.pairing_contracts (chain_id, contract, pairing_id, role) AS
SELECT provider_chain_id, external_staking, id, 'external_staking' FROM pairings
UNION ALL
SELECT consumer_chain_id, converter, id, 'converter' FROM pairings WHERE converter IS NOT NULL
UNION ALL
SELECT consumer_chain_id, virtual_staking, id, 'virtual_staking' FROM pairings WHERE virtual_staking IS NOT NULL;
COMMENT ON VIEW mesh.pairing_contracts IS 'Which pairing each pairing contract belongs to.';
COMMENT ON COLUMN mesh.pairing_contracts.chain_id IS 'Chain of the contract.';
COMMENT ON COLUMN mesh.pairing_contracts.contract IS 'Contract address.';
COMMENT ON COLUMN mesh.pairing_contracts.pairing_id IS 'Pairing (mesh.pairings.pairing_id).';
COMMENT ON COLUMN mesh.pairing_contracts.role IS 'external_staking (provider) | converter | virtual_staking (consumer).';

-- ---- network ------------------------------------------------------------------------------------

CREATE VIEW mesh.chains AS
SELECT c.chain_id, c.bech32_prefix, c.comet_version, c.indexed_height, c.indexed_time, c.tip_height, c.tip_time,
       CASE WHEN c.tip_height IS NOT NULL THEN greatest(c.tip_height - c.indexed_height, 0) END AS lag_blocks, c.updated_at
  FROM chains c;
COMMENT ON VIEW mesh.chains IS 'Indexed chains and how far the indexer is behind each.';
COMMENT ON COLUMN mesh.chains.chain_id IS 'Chain id.';
COMMENT ON COLUMN mesh.chains.bech32_prefix IS 'Address prefix.';
COMMENT ON COLUMN mesh.chains.comet_version IS 'CometBFT version the nodes report.';
COMMENT ON COLUMN mesh.chains.indexed_height IS 'Last height whose rows are committed.';
COMMENT ON COLUMN mesh.chains.indexed_time IS 'Block time of indexed_height.';
COMMENT ON COLUMN mesh.chains.tip_height IS 'Highest height a node reported.';
COMMENT ON COLUMN mesh.chains.tip_time IS 'Block time of tip_height.';
COMMENT ON COLUMN mesh.chains.lag_blocks IS 'tip_height − indexed_height (null while the tip is unknown).';
COMMENT ON COLUMN mesh.chains.updated_at IS 'Wall-clock time of the last commit.';

CREATE VIEW mesh.pairings AS
SELECT p.id AS pairing_id, p.provider_chain_id, p.consumer_chain_id, p.state, p.external_staking, p.converter,
       p.virtual_staking, p.price_feed, p.provider_channel, p.consumer_channel, p.discount, p.remote_denom,
       p.rewards_denom, p.unbonding_period_seconds,
       pr.native_per_foreign AS price, pr.time AS price_time,
       mc.cap AS max_cap, mc.denom AS max_cap_denom,
       (SELECT coalesce(sum(cs.stake_high), 0)::numeric(78,0) FROM cross_stakes cs
         WHERE cs.chain_id = p.provider_chain_id AND cs.external_staking = p.external_staking) AS cross_stake
  FROM pairings p
  LEFT JOIN LATERAL (SELECT x.native_per_foreign, x.time FROM prices x
                      WHERE x.chain_id = p.consumer_chain_id AND x.price_feed = p.price_feed
                      ORDER BY x.height DESC, x.id DESC LIMIT 1) pr ON true
  LEFT JOIN LATERAL (SELECT x.cap, x.denom FROM max_caps x
                      WHERE x.chain_id = p.consumer_chain_id AND x.contract = p.virtual_staking
                      ORDER BY x.height DESC, x.id DESC LIMIT 1) mc ON true;
COMMENT ON VIEW mesh.pairings IS 'Pairings (a provider''s external staking linked with a consumer''s converter) with their latest price, max cap and total cross stake.';
COMMENT ON COLUMN mesh.pairings.pairing_id IS 'Pairing id: <provider chain>/<external staking address>.';
COMMENT ON COLUMN mesh.pairings.provider_chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.pairings.consumer_chain_id IS 'Consumer chain.';
COMMENT ON COLUMN mesh.pairings.state IS 'pending | open | closed.';
COMMENT ON COLUMN mesh.pairings.external_staking IS 'External staking contract (provider).';
COMMENT ON COLUMN mesh.pairings.converter IS 'Converter contract (consumer).';
COMMENT ON COLUMN mesh.pairings.virtual_staking IS 'Virtual staking contract (consumer).';
COMMENT ON COLUMN mesh.pairings.price_feed IS 'Price feed contract (consumer).';
COMMENT ON COLUMN mesh.pairings.provider_channel IS 'IBC channel on the provider.';
COMMENT ON COLUMN mesh.pairings.consumer_channel IS 'IBC channel on the consumer.';
COMMENT ON COLUMN mesh.pairings.discount IS 'Converter discount (0..1).';
COMMENT ON COLUMN mesh.pairings.remote_denom IS 'Denom of the provider token on the consumer.';
COMMENT ON COLUMN mesh.pairings.rewards_denom IS 'Denom rewards are paid in.';
COMMENT ON COLUMN mesh.pairings.unbonding_period_seconds IS 'External staking unbonding period.';
COMMENT ON COLUMN mesh.pairings.price IS 'Latest price feed value: native (consumer) tokens per foreign (provider) token.';
COMMENT ON COLUMN mesh.pairings.price_time IS 'Time of that price.';
COMMENT ON COLUMN mesh.pairings.max_cap IS 'Latest virtual staking max cap (consumer units).';
COMMENT ON COLUMN mesh.pairings.max_cap_denom IS 'Denom of max_cap.';
COMMENT ON COLUMN mesh.pairings.cross_stake IS 'Sum of the high ends of the cross stakes of this pairing (provider units).';

CREATE VIEW mesh.validator_states AS
SELECT v.id, v.chain_id, v.view, v.pairing_id, v.validator, v.state, v.start_height, v.start_time, v.height, v.time, v.tx_hash
  FROM validator_states v;
COMMENT ON VIEW mesh.validator_states IS 'Validator state history: the provider''s CRDT view of a consumer validator (view provider_crdt) and the consumer''s own (view consumer).';
COMMENT ON COLUMN mesh.validator_states.id IS 'Row id.';
COMMENT ON COLUMN mesh.validator_states.chain_id IS 'Chain whose view the row is.';
COMMENT ON COLUMN mesh.validator_states.view IS 'provider_crdt | consumer.';
COMMENT ON COLUMN mesh.validator_states.pairing_id IS 'Pairing.';
COMMENT ON COLUMN mesh.validator_states.validator IS 'Validator operator address (consumer).';
COMMENT ON COLUMN mesh.validator_states.state IS 'active | unbonded | jailed | tombstoned | unjailed | updated.';
COMMENT ON COLUMN mesh.validator_states.start_height IS 'Consumer height the state starts at.';
COMMENT ON COLUMN mesh.validator_states.start_time IS 'Consumer time the state starts at.';
COMMENT ON COLUMN mesh.validator_states.height IS 'Height of the row''s event.';
COMMENT ON COLUMN mesh.validator_states.time IS 'Time of the row''s event.';
COMMENT ON COLUMN mesh.validator_states.tx_hash IS 'Transaction (null for block events).';

-- ---- positions ----------------------------------------------------------------------------------

CREATE VIEW mesh.positions AS
SELECT v.chain_id, v.vault, v.staker, v.collateral, v.max_lien_low, v.max_lien_high, v.total_slashable_low,
       v.total_slashable_high, v.free_low, v.free_high, v.height, v.time
  FROM vault_positions v;
COMMENT ON VIEW mesh.positions IS 'Each staker''s vault position now. *_low / *_high are the value range (low: with pending decreases applied, high: with pending increases).';
COMMENT ON COLUMN mesh.positions.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.positions.vault IS 'Vault contract.';
COMMENT ON COLUMN mesh.positions.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.positions.collateral IS 'Bonded collateral.';
COMMENT ON COLUMN mesh.positions.max_lien_low IS 'Largest lien, low end.';
COMMENT ON COLUMN mesh.positions.max_lien_high IS 'Largest lien, high end.';
COMMENT ON COLUMN mesh.positions.total_slashable_low IS 'Total slashable, low end.';
COMMENT ON COLUMN mesh.positions.total_slashable_high IS 'Total slashable, high end.';
COMMENT ON COLUMN mesh.positions.free_low IS 'Free collateral, low end (what can be unbonded for sure).';
COMMENT ON COLUMN mesh.positions.free_high IS 'Free collateral, high end.';
COMMENT ON COLUMN mesh.positions.height IS 'Height of the last change.';
COMMENT ON COLUMN mesh.positions.time IS 'Time of the last change.';

CREATE VIEW mesh.liens AS
SELECT l.chain_id, l.vault, l.staker, l.lienholder, c.kind AS lienholder_kind, pc.pairing_id, l.amount_low,
       l.amount_high, l.slashable, l.height, l.time
  FROM liens l
  LEFT JOIN contracts c ON c.chain_id = l.chain_id AND c.address = l.lienholder
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = l.chain_id AND pc.contract = l.lienholder;
COMMENT ON VIEW mesh.liens IS 'Each staker''s liens now, per lien holder (local staking or an external staking); a released lien stays with amount 0.';
COMMENT ON COLUMN mesh.liens.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.liens.vault IS 'Vault contract.';
COMMENT ON COLUMN mesh.liens.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.liens.lienholder IS 'Lien holder contract.';
COMMENT ON COLUMN mesh.liens.lienholder_kind IS 'native_staking | external_staking (null when the contract is unknown).';
COMMENT ON COLUMN mesh.liens.pairing_id IS 'Pairing of an external-staking lien holder.';
COMMENT ON COLUMN mesh.liens.amount_low IS 'Lien amount, low end.';
COMMENT ON COLUMN mesh.liens.amount_high IS 'Lien amount, high end.';
COMMENT ON COLUMN mesh.liens.slashable IS 'Slashable ratio of the lien.';
COMMENT ON COLUMN mesh.liens.height IS 'Height of the last change.';
COMMENT ON COLUMN mesh.liens.time IS 'Time of the last change.';

CREATE VIEW mesh.cross_stakes AS
SELECT cs.chain_id, cs.external_staking, pc.pairing_id, cs.staker, cs.validator, cs.stake_low, cs.stake_high,
       cs.withdrawn_funds, cs.height, cs.time
  FROM cross_stakes cs
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = cs.chain_id AND pc.contract = cs.external_staking;
COMMENT ON VIEW mesh.cross_stakes IS 'Each staker''s cross stake now, per external staking (pairing) and consumer validator.';
COMMENT ON COLUMN mesh.cross_stakes.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.cross_stakes.external_staking IS 'External staking contract.';
COMMENT ON COLUMN mesh.cross_stakes.pairing_id IS 'Pairing.';
COMMENT ON COLUMN mesh.cross_stakes.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.cross_stakes.validator IS 'Consumer validator operator address.';
COMMENT ON COLUMN mesh.cross_stakes.stake_low IS 'Stake, low end (pending unstakes applied).';
COMMENT ON COLUMN mesh.cross_stakes.stake_high IS 'Stake, high end (pending stakes applied).';
COMMENT ON COLUMN mesh.cross_stakes.withdrawn_funds IS 'Rewards withdrawn so far.';
COMMENT ON COLUMN mesh.cross_stakes.height IS 'Height of the last change.';
COMMENT ON COLUMN mesh.cross_stakes.time IS 'Time of the last change.';

CREATE VIEW mesh.local_stakes AS
SELECT s.chain_id, s.native_staking, s.proxy, s.staker, s.validator, s.amount, s.height, s.time
  FROM local_stakes s;
COMMENT ON VIEW mesh.local_stakes IS 'Each staker''s local (native) stake now, per provider validator.';
COMMENT ON COLUMN mesh.local_stakes.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.local_stakes.native_staking IS 'Native staking contract.';
COMMENT ON COLUMN mesh.local_stakes.proxy IS 'The staker''s native staking proxy contract.';
COMMENT ON COLUMN mesh.local_stakes.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.local_stakes.validator IS 'Provider validator operator address.';
COMMENT ON COLUMN mesh.local_stakes.amount IS 'Delegated amount.';
COMMENT ON COLUMN mesh.local_stakes.height IS 'Height of the last change.';
COMMENT ON COLUMN mesh.local_stakes.time IS 'Time of the last change.';

CREATE VIEW mesh.unbondings AS
SELECT u.id, u.chain_id, u.contract, u.staker, u.validator, u.amount, u.kind, u.state, u.release_at, u.height,
       u.time, u.tx_hash, u.released_height, u.released_tx_hash
  FROM unbondings u;
COMMENT ON VIEW mesh.unbondings IS 'Unbondings (cross, internal, channel close, local) with their release time.';
COMMENT ON COLUMN mesh.unbondings.id IS 'Row id.';
COMMENT ON COLUMN mesh.unbondings.chain_id IS 'Chain.';
COMMENT ON COLUMN mesh.unbondings.contract IS 'Contract holding the unbonding.';
COMMENT ON COLUMN mesh.unbondings.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.unbondings.validator IS 'Validator.';
COMMENT ON COLUMN mesh.unbondings.amount IS 'Amount (after any slash of pending unbondings).';
COMMENT ON COLUMN mesh.unbondings.kind IS 'cross | internal | channel_close | local.';
COMMENT ON COLUMN mesh.unbondings.state IS 'pending | released.';
COMMENT ON COLUMN mesh.unbondings.release_at IS 'When it can be released.';
COMMENT ON COLUMN mesh.unbondings.height IS 'Height it started.';
COMMENT ON COLUMN mesh.unbondings.time IS 'Time it started.';
COMMENT ON COLUMN mesh.unbondings.tx_hash IS 'Transaction that started it.';
COMMENT ON COLUMN mesh.unbondings.released_height IS 'Height it was released.';
COMMENT ON COLUMN mesh.unbondings.released_tx_hash IS 'Transaction that released it.';

CREATE VIEW mesh.pending_txs AS
SELECT t.chain_id, t.contract, t.tx_id, t.kind, t.staker, t.amount, t.validator, t.lienholder, t.status,
       t.created_height, t.created_time, t.created_tx_hash, t.settled_height, t.settled_time, t.settled_tx_hash
  FROM pending_txs t;
COMMENT ON VIEW mesh.pending_txs IS 'Two-phase transactions (in-flight stakes, unstakes, transfers) and how they settled.';
COMMENT ON COLUMN mesh.pending_txs.chain_id IS 'Chain.';
COMMENT ON COLUMN mesh.pending_txs.contract IS 'Contract (vault or external staking).';
COMMENT ON COLUMN mesh.pending_txs.tx_id IS 'The contract''s tx id.';
COMMENT ON COLUMN mesh.pending_txs.kind IS 'in_flight_staking | in_flight_remote_staking | in_flight_remote_unstaking | in_flight_transfer_funds.';
COMMENT ON COLUMN mesh.pending_txs.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.pending_txs.amount IS 'Amount.';
COMMENT ON COLUMN mesh.pending_txs.validator IS 'Validator.';
COMMENT ON COLUMN mesh.pending_txs.lienholder IS 'Lien holder (vault txs).';
COMMENT ON COLUMN mesh.pending_txs.status IS 'pending | committed | rolled_back.';
COMMENT ON COLUMN mesh.pending_txs.created_height IS 'Height it was created.';
COMMENT ON COLUMN mesh.pending_txs.created_time IS 'Time it was created.';
COMMENT ON COLUMN mesh.pending_txs.created_tx_hash IS 'Transaction that created it.';
COMMENT ON COLUMN mesh.pending_txs.settled_height IS 'Height it settled.';
COMMENT ON COLUMN mesh.pending_txs.settled_time IS 'Time it settled.';
COMMENT ON COLUMN mesh.pending_txs.settled_tx_hash IS 'Transaction that settled it.';

-- ---- histories ----------------------------------------------------------------------------------

CREATE VIEW mesh.lien_history AS
SELECT e.id, e.chain_id, e.vault, e.staker, e.lienholder, e.kind, e.amount, e.amount_low_after, e.amount_high_after,
       e.collateral_after, e.tx_id, e.height, e.time, e.tx_hash, e.msg_index, e.event_index
  FROM lien_events e;
COMMENT ON VIEW mesh.lien_history IS 'Every change of collateral and liens (append-only).';
COMMENT ON COLUMN mesh.lien_history.id IS 'Row id (<chain>/<height>/<tx index>/<msg index>/<event index>[/…]).';
COMMENT ON COLUMN mesh.lien_history.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.lien_history.vault IS 'Vault contract.';
COMMENT ON COLUMN mesh.lien_history.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.lien_history.lienholder IS 'Lien holder (the vault itself for bond / unbond).';
COMMENT ON COLUMN mesh.lien_history.kind IS 'bond | unbond | stake_local | stake_remote | commit | rollback | release | slash | propagation.';
COMMENT ON COLUMN mesh.lien_history.amount IS 'Amount of the change.';
COMMENT ON COLUMN mesh.lien_history.amount_low_after IS 'The lien after it, low end.';
COMMENT ON COLUMN mesh.lien_history.amount_high_after IS 'The lien after it, high end.';
COMMENT ON COLUMN mesh.lien_history.collateral_after IS 'Collateral after it.';
COMMENT ON COLUMN mesh.lien_history.tx_id IS 'Vault tx id of two-phase changes.';
COMMENT ON COLUMN mesh.lien_history.height IS 'Block height.';
COMMENT ON COLUMN mesh.lien_history.time IS 'Block time.';
COMMENT ON COLUMN mesh.lien_history.tx_hash IS 'Transaction (null for block events).';
COMMENT ON COLUMN mesh.lien_history.msg_index IS 'Message index in the transaction.';
COMMENT ON COLUMN mesh.lien_history.event_index IS 'Event index.';

CREATE VIEW mesh.delegation_history AS
SELECT e.id, e.chain_id, e.contract, pc.pairing_id, e.staker, e.validator, e.kind, e.status, e.amount,
       e.stake_low_after, e.stake_high_after, e.tx_id, e.height, e.time, e.tx_hash, e.msg_index, e.event_index
  FROM delegation_events e
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = e.chain_id AND pc.contract = e.contract;
COMMENT ON VIEW mesh.delegation_history IS 'Every cross and local stake change (append-only): stake, unstake, burn, slash, internal_unstake, channel_close, local_*.';
COMMENT ON COLUMN mesh.delegation_history.id IS 'Row id.';
COMMENT ON COLUMN mesh.delegation_history.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.delegation_history.contract IS 'External staking or native staking contract.';
COMMENT ON COLUMN mesh.delegation_history.pairing_id IS 'Pairing (cross kinds).';
COMMENT ON COLUMN mesh.delegation_history.staker IS 'Staker address.';
COMMENT ON COLUMN mesh.delegation_history.validator IS 'Validator.';
COMMENT ON COLUMN mesh.delegation_history.kind IS 'stake | unstake | burn | slash | internal_unstake | channel_close | local_stake | local_unstake | local_burn | local_slash.';
COMMENT ON COLUMN mesh.delegation_history.status IS 'pending | committed | rolled_back for two-phase changes.';
COMMENT ON COLUMN mesh.delegation_history.amount IS 'Amount.';
COMMENT ON COLUMN mesh.delegation_history.stake_low_after IS 'The stake after it, low end.';
COMMENT ON COLUMN mesh.delegation_history.stake_high_after IS 'The stake after it, high end.';
COMMENT ON COLUMN mesh.delegation_history.tx_id IS 'Contract tx id of two-phase changes.';
COMMENT ON COLUMN mesh.delegation_history.height IS 'Block height.';
COMMENT ON COLUMN mesh.delegation_history.time IS 'Block time.';
COMMENT ON COLUMN mesh.delegation_history.tx_hash IS 'Transaction.';
COMMENT ON COLUMN mesh.delegation_history.msg_index IS 'Message index.';
COMMENT ON COLUMN mesh.delegation_history.event_index IS 'Event index.';

CREATE VIEW mesh.reward_history AS
SELECT e.id, e.chain_id, e.contract, pc.pairing_id, e.kind, e.validator, e.staker, e.recipient, e.amount, e.denom,
       e.tx_id, e.packet_id, e.height, e.time, e.tx_hash, e.msg_index, e.event_index
  FROM reward_events e
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = e.chain_id AND pc.contract = e.contract;
COMMENT ON VIEW mesh.reward_history IS 'Reward distributions, withdrawals and consumer payouts (append-only).';
COMMENT ON COLUMN mesh.reward_history.id IS 'Row id.';
COMMENT ON COLUMN mesh.reward_history.chain_id IS 'Chain.';
COMMENT ON COLUMN mesh.reward_history.contract IS 'Contract.';
COMMENT ON COLUMN mesh.reward_history.pairing_id IS 'Pairing of the contract.';
COMMENT ON COLUMN mesh.reward_history.kind IS 'distribution | withdrawal | withdrawal_committed | withdrawal_rolled_back | consumer_distribution | consumer_payout.';
COMMENT ON COLUMN mesh.reward_history.validator IS 'Validator.';
COMMENT ON COLUMN mesh.reward_history.staker IS 'Staker.';
COMMENT ON COLUMN mesh.reward_history.recipient IS 'Recipient of a withdrawal.';
COMMENT ON COLUMN mesh.reward_history.amount IS 'Amount.';
COMMENT ON COLUMN mesh.reward_history.denom IS 'Denom.';
COMMENT ON COLUMN mesh.reward_history.tx_id IS 'Contract tx id of two-phase withdrawals.';
COMMENT ON COLUMN mesh.reward_history.packet_id IS 'IBC packet carrying it (mesh.packets.id).';
COMMENT ON COLUMN mesh.reward_history.height IS 'Block height.';
COMMENT ON COLUMN mesh.reward_history.time IS 'Block time.';
COMMENT ON COLUMN mesh.reward_history.tx_hash IS 'Transaction.';
COMMENT ON COLUMN mesh.reward_history.msg_index IS 'Message index.';
COMMENT ON COLUMN mesh.reward_history.event_index IS 'Event index.';

CREATE VIEW mesh.virtual_stake_history AS
SELECT e.id, e.chain_id, e.virtual_staking, pc.pairing_id, e.validator, e.kind, e.amount, e.bonded_after, e.height, e.time
  FROM virtual_stakes e
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = e.chain_id AND pc.contract = e.virtual_staking;
COMMENT ON VIEW mesh.virtual_stake_history IS 'Virtual delegations bonded and unbonded by x/meshsecurity on the consumer, per epoch.';
COMMENT ON COLUMN mesh.virtual_stake_history.id IS 'Row id.';
COMMENT ON COLUMN mesh.virtual_stake_history.chain_id IS 'Consumer chain.';
COMMENT ON COLUMN mesh.virtual_stake_history.virtual_staking IS 'Virtual staking contract.';
COMMENT ON COLUMN mesh.virtual_stake_history.pairing_id IS 'Pairing.';
COMMENT ON COLUMN mesh.virtual_stake_history.validator IS 'Consumer validator.';
COMMENT ON COLUMN mesh.virtual_stake_history.kind IS 'bond | unbond.';
COMMENT ON COLUMN mesh.virtual_stake_history.amount IS 'Amount (consumer units).';
COMMENT ON COLUMN mesh.virtual_stake_history.bonded_after IS 'Virtual delegation after it.';
COMMENT ON COLUMN mesh.virtual_stake_history.height IS 'Block height.';
COMMENT ON COLUMN mesh.virtual_stake_history.time IS 'Block time.';

-- ---- slashes with their cascade -----------------------------------------------------------------

CREATE VIEW mesh.slashes AS
SELECT s.id, s.chain_id, s.validator, s.kind, s.pairing_id, s.infraction_height, s.ratio, s.tombstoned,
       s.consumer_amount, s.provider_amount, s.provider_chain_id, s.provider_height, s.provider_time,
       s.provider_tx_hash, s.packet_id, s.height, s.time, s.tx_hash,
       coalesce(sh.stakers, 0) AS stakers, coalesce(sh.amount, 0)::numeric(78,0) AS shares_amount,
       coalesce(b.burns, 0) AS burns, coalesce(b.amount, 0)::numeric(78,0) AS burned_amount
  FROM slashes s
  LEFT JOIN LATERAL (SELECT count(*) AS stakers, sum(x.amount) AS amount FROM slash_shares x WHERE x.slash_id = s.id) sh ON true
  LEFT JOIN LATERAL (SELECT count(*) AS burns, sum(x.amount) AS amount FROM burns x WHERE x.slash_id = s.id) b ON true;
COMMENT ON VIEW mesh.slashes IS 'Validator slashes with the totals of their cascade (mesh.slash_cascade has each step).';
COMMENT ON COLUMN mesh.slashes.id IS 'Slash id.';
COMMENT ON COLUMN mesh.slashes.chain_id IS 'Chain where the validator was slashed.';
COMMENT ON COLUMN mesh.slashes.validator IS 'Validator operator address.';
COMMENT ON COLUMN mesh.slashes.kind IS 'native (provider validator) | cross (consumer validator).';
COMMENT ON COLUMN mesh.slashes.pairing_id IS 'Pairing of a cross slash.';
COMMENT ON COLUMN mesh.slashes.infraction_height IS 'Height of the infraction.';
COMMENT ON COLUMN mesh.slashes.ratio IS 'Slash ratio.';
COMMENT ON COLUMN mesh.slashes.tombstoned IS 'Double-sign: the validator is tombstoned.';
COMMENT ON COLUMN mesh.slashes.consumer_amount IS 'Taken from the virtual delegation (consumer units).';
COMMENT ON COLUMN mesh.slashes.provider_amount IS 'The same in provider units (converter).';
COMMENT ON COLUMN mesh.slashes.provider_chain_id IS 'Provider chain where the vault applied it.';
COMMENT ON COLUMN mesh.slashes.provider_height IS 'Provider height.';
COMMENT ON COLUMN mesh.slashes.provider_time IS 'Provider time.';
COMMENT ON COLUMN mesh.slashes.provider_tx_hash IS 'Provider transaction.';
COMMENT ON COLUMN mesh.slashes.packet_id IS 'valset_update packet that carried it.';
COMMENT ON COLUMN mesh.slashes.height IS 'Height of the slash.';
COMMENT ON COLUMN mesh.slashes.time IS 'Time of the slash.';
COMMENT ON COLUMN mesh.slashes.tx_hash IS 'Transaction.';
COMMENT ON COLUMN mesh.slashes.stakers IS 'Stakers whose collateral it took (slash shares).';
COMMENT ON COLUMN mesh.slashes.shares_amount IS 'Sum of the shares.';
COMMENT ON COLUMN mesh.slashes.burns IS 'Burns it caused on any chain.';
COMMENT ON COLUMN mesh.slashes.burned_amount IS 'Sum of the burns.';

CREATE VIEW mesh.slash_cascade (slash_id, step, step_kind, chain_id, staker, lienholder, validators, amount, detail, height, time) AS
SELECT s.id, 1, 'slash', s.chain_id, NULL::text, NULL::text, ARRAY[s.validator], coalesce(s.consumer_amount, s.provider_amount),
       s.kind || CASE WHEN s.tombstoned THEN ' tombstoned' ELSE '' END || coalesce(' ratio ' || s.ratio, ''), s.height, s.time
  FROM slashes s
UNION ALL
SELECT s.id, 2, 'conversion', s.provider_chain_id, NULL, NULL, ARRAY[s.validator], s.provider_amount, 'provider units', s.provider_height, s.provider_time
  FROM slashes s WHERE s.kind = 'cross' AND s.provider_chain_id IS NOT NULL
UNION ALL
SELECT sh.slash_id, 3, 'share', sh.chain_id, sh.staker, NULL, NULL, sh.amount,
       'propagation ' || sh.propagation || ', collateral after ' || sh.collateral_after, sh.height, NULL
  FROM slash_shares sh
UNION ALL
SELECT b.slash_id, 4, 'burn', b.chain_id, b.staker, b.lienholder, b.validators, b.amount, b.stage, b.height, b.time
  FROM burns b WHERE b.slash_id IS NOT NULL;
COMMENT ON VIEW mesh.slash_cascade IS 'A slash step by step: the slash (1), its conversion to provider units (2, cross), each staker''s share (3), the burns on every chain (4). ORDER BY slash_id, step, chain_id, staker.';
COMMENT ON COLUMN mesh.slash_cascade.slash_id IS 'Slash id (mesh.slashes.id).';
COMMENT ON COLUMN mesh.slash_cascade.step IS '1 slash, 2 conversion, 3 share, 4 burn.';
COMMENT ON COLUMN mesh.slash_cascade.step_kind IS 'slash | conversion | share | burn.';
COMMENT ON COLUMN mesh.slash_cascade.chain_id IS 'Chain of the step.';
COMMENT ON COLUMN mesh.slash_cascade.staker IS 'Staker (shares, burns).';
COMMENT ON COLUMN mesh.slash_cascade.lienholder IS 'Lien holder (burns).';
COMMENT ON COLUMN mesh.slash_cascade.validators IS 'Validators concerned.';
COMMENT ON COLUMN mesh.slash_cascade.amount IS 'Amount of the step (consumer units for a cross slash''s step 1, else provider units).';
COMMENT ON COLUMN mesh.slash_cascade.detail IS 'Slash kind and ratio, share propagation, or burn stage.';
COMMENT ON COLUMN mesh.slash_cascade.height IS 'Height of the step on its chain.';
COMMENT ON COLUMN mesh.slash_cascade.time IS 'Time of the step (null for shares).';

-- ---- IBC packets --------------------------------------------------------------------------------

CREATE VIEW mesh.packets AS
SELECT p.id, p.pairing_id, p.kind, p.outcome, p.source_chain_id, p.source_port, p.source_channel, p.sequence,
       p.dest_chain_id, p.dest_port, p.dest_channel, p.payload, p.era, p.timeout_timestamp,
       p.send_height, p.send_time, p.send_tx_hash, p.recv_height, p.recv_time, p.recv_tx_hash, p.recv_success,
       p.ack, p.ack_error, p.ack_height, p.ack_time, p.ack_tx_hash, p.timeout_height, p.timeout_time, p.timeout_tx_hash,
       coalesce(p.ack_time, p.timeout_time) AS completed_time,
       p.outcome IN ('error', 'timed_out') AS failed,
       p.latency_ms
  FROM ibc_packets p;
COMMENT ON VIEW mesh.packets IS 'IBC packets with both halves (send on the source chain, receive on the destination, acknowledgement or timeout back on the source), outcome and latency.';
COMMENT ON COLUMN mesh.packets.id IS '<source chain>/<source port>/<source channel>/<sequence>.';
COMMENT ON COLUMN mesh.packets.pairing_id IS 'Pairing of the channel.';
COMMENT ON COLUMN mesh.packets.kind IS 'stake | unstake | burn | transfer_rewards | valset_update | internal_unstake | distribute | distribute_batch | unknown.';
COMMENT ON COLUMN mesh.packets.outcome IS 'pending | received | acknowledged | error | timed_out.';
COMMENT ON COLUMN mesh.packets.source_chain_id IS 'Sending chain.';
COMMENT ON COLUMN mesh.packets.source_port IS 'Source port.';
COMMENT ON COLUMN mesh.packets.source_channel IS 'Source channel.';
COMMENT ON COLUMN mesh.packets.sequence IS 'Sequence.';
COMMENT ON COLUMN mesh.packets.dest_chain_id IS 'Receiving chain.';
COMMENT ON COLUMN mesh.packets.dest_port IS 'Destination port.';
COMMENT ON COLUMN mesh.packets.dest_channel IS 'Destination channel.';
COMMENT ON COLUMN mesh.packets.payload IS 'Decoded packet JSON.';
COMMENT ON COLUMN mesh.packets.era IS 'Packet format era.';
COMMENT ON COLUMN mesh.packets.timeout_timestamp IS 'Timeout, ns since the epoch.';
COMMENT ON COLUMN mesh.packets.send_height IS 'Source height of the send.';
COMMENT ON COLUMN mesh.packets.send_time IS 'Source time of the send.';
COMMENT ON COLUMN mesh.packets.send_tx_hash IS 'Send transaction.';
COMMENT ON COLUMN mesh.packets.recv_height IS 'Destination height of the receive.';
COMMENT ON COLUMN mesh.packets.recv_time IS 'Destination time of the receive.';
COMMENT ON COLUMN mesh.packets.recv_tx_hash IS 'Receive transaction.';
COMMENT ON COLUMN mesh.packets.recv_success IS 'Whether the destination''s ack is a result.';
COMMENT ON COLUMN mesh.packets.ack IS 'Acknowledgement.';
COMMENT ON COLUMN mesh.packets.ack_error IS 'Error of an error acknowledgement.';
COMMENT ON COLUMN mesh.packets.ack_height IS 'Source height of the acknowledgement.';
COMMENT ON COLUMN mesh.packets.ack_time IS 'Source time of the acknowledgement.';
COMMENT ON COLUMN mesh.packets.ack_tx_hash IS 'Acknowledgement transaction.';
COMMENT ON COLUMN mesh.packets.timeout_height IS 'Source height of the timeout.';
COMMENT ON COLUMN mesh.packets.timeout_time IS 'Source time of the timeout.';
COMMENT ON COLUMN mesh.packets.timeout_tx_hash IS 'Timeout transaction.';
COMMENT ON COLUMN mesh.packets.completed_time IS 'ack_time or timeout_time: when the packet''s life ended.';
COMMENT ON COLUMN mesh.packets.failed IS 'Error acknowledgement or timeout.';
COMMENT ON COLUMN mesh.packets.latency_ms IS 'Milliseconds from send to acknowledgement or timeout (null while either is unknown).';

-- ---- dashboard series (from the rollup schema) ----------------------------------------------------
-- One row per bucket that has data; levels (collateral, cross stake) are running sums of the
-- changes, so a bucket without a row has the level of the previous one.

CREATE VIEW mesh.collateral_series AS
SELECT r.bucket_size, r.bucket_start, r.bucket_start + ('1 ' || r.bucket_size)::interval AS bucket_end,
       r.chain_id, r.vault, r.events, r.bonded, r.unbonded, r.slashed, r.net_change,
       (sum(r.net_change) OVER (PARTITION BY r.bucket_size, r.chain_id, r.vault ORDER BY r.bucket_start))::numeric(78,0) AS collateral
  FROM rollup.collateral r;
COMMENT ON VIEW mesh.collateral_series IS 'Bonded collateral per vault, hourly and daily: flows in the bucket and the level at its end.';
COMMENT ON COLUMN mesh.collateral_series.bucket_size IS 'hour | day.';
COMMENT ON COLUMN mesh.collateral_series.bucket_start IS 'Start of the bucket (UTC).';
COMMENT ON COLUMN mesh.collateral_series.bucket_end IS 'End of the bucket (exclusive).';
COMMENT ON COLUMN mesh.collateral_series.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.collateral_series.vault IS 'Vault contract.';
COMMENT ON COLUMN mesh.collateral_series.events IS 'Bond, unbond and slash events.';
COMMENT ON COLUMN mesh.collateral_series.bonded IS 'Bonded in the bucket.';
COMMENT ON COLUMN mesh.collateral_series.unbonded IS 'Unbonded in the bucket.';
COMMENT ON COLUMN mesh.collateral_series.slashed IS 'Taken by slashes in the bucket.';
COMMENT ON COLUMN mesh.collateral_series.net_change IS 'bonded − unbonded − slashed.';
COMMENT ON COLUMN mesh.collateral_series.collateral IS 'Bonded collateral at the end of the bucket.';

CREATE VIEW mesh.cross_stake_series AS
SELECT r.bucket_size, r.bucket_start, r.bucket_start + ('1 ' || r.bucket_size)::interval AS bucket_end,
       r.chain_id, r.contract AS external_staking, pc.pairing_id, r.events, r.staked, r.unstaked, r.burned, r.slashed,
       r.stake_low_change, r.stake_high_change,
       (sum(r.stake_low_change) OVER w)::numeric(78,0) AS stake_low,
       (sum(r.stake_high_change) OVER w)::numeric(78,0) AS stake_high
  FROM rollup.cross_stake r
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = r.chain_id AND pc.contract = r.contract
WINDOW w AS (PARTITION BY r.bucket_size, r.chain_id, r.contract ORDER BY r.bucket_start);
COMMENT ON VIEW mesh.cross_stake_series IS 'Cross stake per pairing, hourly and daily: flows in the bucket and the summed stake range at its end.';
COMMENT ON COLUMN mesh.cross_stake_series.bucket_size IS 'hour | day.';
COMMENT ON COLUMN mesh.cross_stake_series.bucket_start IS 'Start of the bucket (UTC).';
COMMENT ON COLUMN mesh.cross_stake_series.bucket_end IS 'End of the bucket (exclusive).';
COMMENT ON COLUMN mesh.cross_stake_series.chain_id IS 'Provider chain.';
COMMENT ON COLUMN mesh.cross_stake_series.external_staking IS 'External staking contract.';
COMMENT ON COLUMN mesh.cross_stake_series.pairing_id IS 'Pairing.';
COMMENT ON COLUMN mesh.cross_stake_series.events IS 'Delegation events of any status.';
COMMENT ON COLUMN mesh.cross_stake_series.staked IS 'Committed stakes.';
COMMENT ON COLUMN mesh.cross_stake_series.unstaked IS 'Committed unstakes, internal unstakes, channel-close unbonds.';
COMMENT ON COLUMN mesh.cross_stake_series.burned IS 'Burns.';
COMMENT ON COLUMN mesh.cross_stake_series.slashed IS 'Slashes (including cuts of pending unbondings).';
COMMENT ON COLUMN mesh.cross_stake_series.stake_low_change IS 'Change of the summed low ends.';
COMMENT ON COLUMN mesh.cross_stake_series.stake_high_change IS 'Change of the summed high ends.';
COMMENT ON COLUMN mesh.cross_stake_series.stake_low IS 'Summed cross stakes at the end of the bucket, low end (pending unstakes applied).';
COMMENT ON COLUMN mesh.cross_stake_series.stake_high IS 'Summed cross stakes at the end of the bucket, high end (pending stakes applied).';

CREATE VIEW mesh.reward_series AS
SELECT r.bucket_size, r.bucket_start, r.bucket_start + ('1 ' || r.bucket_size)::interval AS bucket_end,
       r.chain_id, r.contract, pc.pairing_id, r.kind, nullif(r.denom, '') AS denom, r.events, r.amount
  FROM rollup.rewards r
  LEFT JOIN mesh.pairing_contracts pc ON pc.chain_id = r.chain_id AND pc.contract = r.contract;
COMMENT ON VIEW mesh.reward_series IS 'Rewards, hourly and daily, per chain, contract, kind and denom.';
COMMENT ON COLUMN mesh.reward_series.bucket_size IS 'hour | day.';
COMMENT ON COLUMN mesh.reward_series.bucket_start IS 'Start of the bucket (UTC).';
COMMENT ON COLUMN mesh.reward_series.bucket_end IS 'End of the bucket (exclusive).';
COMMENT ON COLUMN mesh.reward_series.chain_id IS 'Chain.';
COMMENT ON COLUMN mesh.reward_series.contract IS 'Contract.';
COMMENT ON COLUMN mesh.reward_series.pairing_id IS 'Pairing of the contract.';
COMMENT ON COLUMN mesh.reward_series.kind IS 'Reward event kind (see mesh.reward_history.kind).';
COMMENT ON COLUMN mesh.reward_series.denom IS 'Denom.';
COMMENT ON COLUMN mesh.reward_series.events IS 'Events.';
COMMENT ON COLUMN mesh.reward_series.amount IS 'Sum of amounts.';

CREATE VIEW mesh.slash_series AS
SELECT r.bucket_size, r.bucket_start, r.bucket_start + ('1 ' || r.bucket_size)::interval AS bucket_end,
       r.chain_id, r.kind, nullif(r.pairing_id, '') AS pairing_id, r.slashes, r.tombstoned, r.consumer_amount, r.provider_amount
  FROM rollup.slashes r;
COMMENT ON VIEW mesh.slash_series IS 'Slashes, hourly and daily, per chain where the validator was slashed, kind and pairing.';
COMMENT ON COLUMN mesh.slash_series.bucket_size IS 'hour | day.';
COMMENT ON COLUMN mesh.slash_series.bucket_start IS 'Start of the bucket (UTC).';
COMMENT ON COLUMN mesh.slash_series.bucket_end IS 'End of the bucket (exclusive).';
COMMENT ON COLUMN mesh.slash_series.chain_id IS 'Chain where the validator was slashed.';
COMMENT ON COLUMN mesh.slash_series.kind IS 'native | cross.';
COMMENT ON COLUMN mesh.slash_series.pairing_id IS 'Pairing (cross slashes).';
COMMENT ON COLUMN mesh.slash_series.slashes IS 'Slashes.';
COMMENT ON COLUMN mesh.slash_series.tombstoned IS 'Of which tombstoning.';
COMMENT ON COLUMN mesh.slash_series.consumer_amount IS 'Sum of consumer amounts.';
COMMENT ON COLUMN mesh.slash_series.provider_amount IS 'Sum of provider amounts.';

CREATE VIEW mesh.packet_series AS
SELECT r.bucket_size, r.bucket_start, r.bucket_start + ('1 ' || r.bucket_size)::interval AS bucket_end,
       r.source_chain_id, nullif(r.pairing_id, '') AS pairing_id, r.kind,
       r.sent, r.completed, r.acknowledged, r.errors, r.timeouts, r.errors + r.timeouts AS failed,
       (r.errors + r.timeouts)::double precision / nullif(r.completed, 0) AS failure_rate,
       r.latency_count, r.latency_sum_ms,
       r.latency_sum_ms::double precision / nullif(r.latency_count, 0) AS latency_avg_ms,
       h.hist AS latency_hist,
       mesh.latency_quantile(h.hist, 0.5) AS latency_p50_ms,
       mesh.latency_quantile(h.hist, 0.99) AS latency_p99_ms
  FROM rollup.packets r
  CROSS JOIN LATERAL (SELECT ARRAY[r.latency_le_1s, r.latency_le_2s, r.latency_le_5s, r.latency_le_10s, r.latency_le_20s,
                                   r.latency_le_30s, r.latency_le_1m, r.latency_le_2m, r.latency_le_5m, r.latency_le_10m,
                                   r.latency_le_30m, r.latency_gt_30m] AS hist) h;
COMMENT ON VIEW mesh.packet_series IS 'IBC packets, hourly and daily, per source chain, pairing and kind: sent (at send time); completed, failed and latency (at completion time).';
COMMENT ON COLUMN mesh.packet_series.bucket_size IS 'hour | day.';
COMMENT ON COLUMN mesh.packet_series.bucket_start IS 'Start of the bucket (UTC).';
COMMENT ON COLUMN mesh.packet_series.bucket_end IS 'End of the bucket (exclusive).';
COMMENT ON COLUMN mesh.packet_series.source_chain_id IS 'Sending chain.';
COMMENT ON COLUMN mesh.packet_series.pairing_id IS 'Pairing of the channel.';
COMMENT ON COLUMN mesh.packet_series.kind IS 'Packet kind.';
COMMENT ON COLUMN mesh.packet_series.sent IS 'Packets sent in the bucket.';
COMMENT ON COLUMN mesh.packet_series.completed IS 'Packets acknowledged or timed out in the bucket.';
COMMENT ON COLUMN mesh.packet_series.acknowledged IS 'Of which with a result acknowledgement.';
COMMENT ON COLUMN mesh.packet_series.errors IS 'Of which with an error acknowledgement.';
COMMENT ON COLUMN mesh.packet_series.timeouts IS 'Of which timed out.';
COMMENT ON COLUMN mesh.packet_series.failed IS 'errors + timeouts.';
COMMENT ON COLUMN mesh.packet_series.failure_rate IS 'failed / completed (null without completions).';
COMMENT ON COLUMN mesh.packet_series.latency_count IS 'Completed packets with a known latency.';
COMMENT ON COLUMN mesh.packet_series.latency_sum_ms IS 'Sum of their latencies.';
COMMENT ON COLUMN mesh.packet_series.latency_avg_ms IS 'Mean latency, milliseconds (exact).';
COMMENT ON COLUMN mesh.packet_series.latency_hist IS 'Latency histogram, buckets as mesh.latency_buckets.';
COMMENT ON COLUMN mesh.packet_series.latency_p50_ms IS 'Approximate median latency (mesh.latency_quantile), milliseconds.';
COMMENT ON COLUMN mesh.packet_series.latency_p99_ms IS 'Approximate 99th percentile latency, milliseconds.';
