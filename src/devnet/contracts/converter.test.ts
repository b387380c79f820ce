// converter + virtual-staking + x/meshsecurity on one consumer chain, driven with provider packets
// built by hand (spec §6 vectors V2, V4, V5, V8, V19 on the consumer side; §7 items 10, 11).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IbcChannel } from '../chain/contract.ts';
import { ContractError, nsPerSecond } from '../chain/types.ts';
import { portOf } from '../ibc/ibc.ts';
import { sentBy } from '../ibc/counterparty.testkit.ts';
import { TaskType } from '../modules/meshsecurity.ts';
import { ConsumerKit, PROVIDER_CHANNEL, PROVIDER_PORT, SUCCESS_ACK, VERSION, attrs, findEvent } from './consumer.testkit.ts';
import { buildVersionResponse, verifyVersionCompatibility } from './converter.ts';

const ERROR_ACK = '{"error":"ABCI code: 5: error handling packet: see events for details"}';
const M = 1_000_000n;

/** V2/V4/V5 setup: stakes relayed, then one epoch. */
function staked(stakes: Array<[number, bigint]>, o: ConstructorParameters<typeof ConsumerKit>[0] = {}) {
  const k = new ConsumerKit(o);
  const user = k.chain.addr('provider-user');
  stakes.forEach(([v, amount], i) => assert.equal(k.stake(user, k.vals[v]!, amount, BigInt(i + 1)).ack, SUCCESS_ACK));
  k.epoch();
  return { k, user };
}

describe('converter instantiate and config', () => {
  it('instantiates virtual-staking with the label and init message of spec §1.5', () => {
    const k = new ConsumerKit({ open: false });
    const info = k.chain.wasm.contract(k.vs);
    assert.equal(info.label, 'Virtual Staking: stake');
    assert.equal(info.creator, k.converter);
    assert.deepEqual(k.chain.query(k.converter, { config: {} }), { adjustment: '0.9', price_feed: k.priceFeed, virtual_staking: k.vs });
    assert.deepEqual(k.chain.query(k.vs, { config: {} }), { denom: 'stake', converter: k.converter });
  });

  it('rejects a discount ≥ 1, an empty remote denom, funds and unknown fields', () => {
    const k = new ConsumerKit({ open: false });
    const code = k.chain.wasm.codeIdOf('mesh-converter')!;
    const vsCode = k.chain.wasm.codeIdOf('mesh-virtual-staking')!;
    const base = { price_feed: k.priceFeed, discount: '0.1', remote_denom: 'stake', virtual_staking_code_id: vsCode, max_retrieve: 50, tombstoned_unbond_enable: true };
    const inst = (msg: unknown, funds = [] as Array<{ denom: string; amount: bigint }>) => () => k.chain.journal.atomic(() => k.chain.instantiate(k.admin, code, msg, funds, 'c'));
    assert.throws(inst({ ...base, discount: '1' }), new ContractError('Invalid discount, must be between 0.0 and 1.0'));
    assert.throws(inst({ ...base, remote_denom: '' }), new ContractError('Invalid denom: '));
    assert.throws(inst(base, [{ denom: 'stake', amount: 1n }]), new ContractError('This message does no accept funds'));
    assert.throws(inst({ ...base, extra: 1 }), /^ContractError: Error parsing into type mesh_converter::contract::sv::InstantiateMsg: unknown field `extra`/);
  });
});

describe('control channel handshake (spec §2.1, converter side)', () => {
  const v = (version: string, protocol = 'mesh-security') => ({ protocol, version });

  it('negotiates the version with the exact upstream errors', () => {
    assert.equal(buildVersionResponse(v('0.11.0')), VERSION);
    assert.equal(buildVersionResponse(v('0.12.0')), VERSION); // same major, newer minor: answer ours
    assert.throws(() => buildVersionResponse(v('0.10.0')), new ContractError('Proposed version 0.10.0 older than min supported 0.10.0'));
    assert.throws(() => buildVersionResponse(v('1.0.0')), new ContractError('Proposed version 1.0.0 has breaking changes ahead of supported 1.0.0'));
    assert.throws(() => buildVersionResponse(v('0.11.0', 'ics20-1')), new ContractError('Invalid protocol name: ics20-1'));
    assert.throws(() => buildVersionResponse(v('eleven')), new ContractError('Invalid version: eleven'));
    assert.doesNotThrow(() => verifyVersionCompatibility(v('0.11.0')));
    assert.throws(() => verifyVersionCompatibility(v('0.12.0')), new ContractError('Proposed version 0.12.0 has breaking changes ahead of supported 0.12.0'));
  });

  it('only OpenInit, unordered, one channel; empty version proposes 0.11.0', () => {
    const k = new ConsumerKit({ open: false });
    const port = portOf(k.converter);
    const inst = k.chain.wasm.contract(k.converter).instance;
    const ch = (o: Partial<IbcChannel> = {}): IbcChannel => ({
      endpoint: { port_id: port, channel_id: 'channel-0' },
      counterparty_endpoint: { port_id: PROVIDER_PORT, channel_id: '' },
      order: 'ORDER_UNORDERED',
      version: '',
      connection_id: 'connection-0',
      ...o,
    });
    const ctx = k.chain.ctx(k.converter);
    assert.equal(inst.ibcChannelOpen!(ctx, { open_init: { channel: ch() } }), VERSION);
    assert.throws(() => inst.ibcChannelOpen!(ctx, { open_try: { channel: ch(), counterparty_version: VERSION } }), new ContractError("You must start the channel handshake on this side, it doesn't support OpenTry"));
    assert.throws(() => inst.ibcChannelOpen!(ctx, { open_init: { channel: ch({ order: 'ORDER_ORDERED' }) } }), new ContractError('Channel must be unordered'));
    assert.throws(() => inst.ibcChannelOpen!(ctx, { open_init: { channel: ch({ version: 'nope' }) } }), /Error parsing into type mesh_apis::ibc::version::ProtocolVersion: expected ident/);
    // unknown fields in the version struct are accepted on purpose
    assert.equal(inst.ibcChannelOpen!(ctx, { open_init: { channel: ch({ version: '{"protocol":"mesh-security","version":"0.11.0","x":1}' }) } }), VERSION);
    assert.throws(() => inst.ibcChannelConnect!(ctx, { open_confirm: { channel: ch() } }), new ContractError("You must start the channel handshake on this side, it doesn't support OpenTry"));

    // OpenAck stores the channel and sends the bonded set as additions (24 h timeout)
    k.openChannel();
    const [p] = k.pending();
    assert.ok(p && p.decoded.kind === 'valset_update');
    assert.deepEqual(p.decoded.value.additions, k.chain.staking.bondedValidators().map((x) => ({ valoper: x.operator, pub_key: 'TODO' })));
    assert.equal(p.decoded.value.additions.length, 4);
    assert.equal(p.decoded.value.height, k.chain.height);
    assert.equal(p.decoded.value.time, k.chain.time / nsPerSecond);
    assert.equal(p.packet.timeoutTimestamp, k.chain.time + 86_400n * nsPerSecond);
    assert.throws(() => inst.ibcChannelOpen!(ctx, { open_init: { channel: ch() } }), new ContractError('Contract already has an open IBC channel'));
    assert.throws(() => inst.ibcChannelConnect!(ctx, { open_ack: { channel: ch(), counterparty_version: VERSION } }), new ContractError('Contract already has an open IBC channel'));
  });

  it('ConverterApi: only virtual-staking may call; no channel yet is the storage error', () => {
    const k = new ConsumerKit({ open: false });
    const empty = { additions: [], removals: [k.vals[0]], updated: [], jailed: [], unjailed: [], tombstoned: [], slashed: [] };
    const exec = (sender: string) => () => k.chain.journal.atomic(() => k.chain.execute(sender, k.converter, { valset_update: empty }, []));
    assert.throws(exec(k.admin), new ContractError('Unauthorized'));
    assert.throws(exec(k.vs), new ContractError('cosmwasm_std::ibc::IbcChannel not found'));
  });
});

describe('V19 (converter multitest): price 0.5, discount 0.4', () => {
  it('stake 1000 + 4000, unstake 2000 → 300 / 600', () => {
    const k = new ConsumerKit({ discount: '0.4' });
    const u = k.chain.addr('u');
    k.stake(u, k.vals[1]!, 1000n);
    k.stake(u, k.vals[2]!, 4000n, 2n);
    const r = k.unstake(u, k.vals[2]!, 2000n);
    assert.equal(r.ack, SUCCESS_ACK);
    assert.equal(attrs(findEvent(r.events, 'wasm-mesh-unbond')).amount, '600');
    k.epoch();
    assert.deepEqual(k.chain.query(k.vs, { get_all_stake: {} }), { stakes: [[k.vals[1], '300'], [k.vals[2], '600']].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) });
    assert.deepEqual(k.chain.query(k.vs, { get_stake: { validator: k.vals[1] } }), { stake: '300' });
    assert.deepEqual(k.chain.query(k.vs, { get_stake: { validator: k.vals[0] } }), { stake: '0' });
  });

  it('stake 1000 + 4000, burn [val2] 2000 → 300 / 600', () => {
    const k = new ConsumerKit({ discount: '0.4' });
    const u = k.chain.addr('u');
    k.stake(u, k.vals[1]!, 1000n);
    k.stake(u, k.vals[2]!, 4000n, 2n);
    const r = k.recv({ kind: 'burn', value: { validators: [k.vals[2]!], burn: { denom: 'stake', amount: 2000n } } });
    assert.equal(r.ack, SUCCESS_ACK);
    assert.deepEqual(attrs(findEvent(r.events, 'wasm-mesh-burn')), { _contract_address: k.converter, validators: k.vals[2], amount: '600' });
    k.epoch();
    const stakes = (k.chain.query(k.vs, { get_all_stake: {} }) as { stakes: string[][] }).stakes;
    assert.deepEqual(Object.fromEntries(stakes), { [k.vals[1]!]: '300', [k.vals[2]!]: '600' });
  });
});

describe('V2 consumer side (downtime jail)', () => {
  it('epoch bonds 67 500 000; jail reports 4 500 000 stake → 9 999 999 provider units', () => {
    const { k, user } = staked([
      [1, 100n * M],
      [2, 50n * M],
    ]);
    const [v1, v2] = [k.vals[1]!, k.vals[2]!];
    assert.equal(k.totalDelegated(), 67_500_000n);
    assert.equal(k.shares(v1), '45.000000000000000000');
    assert.equal(k.shares(v2), '22.500000000000000000');
    assert.equal(k.tokens(v1), 46_000_000n);
    assert.equal(k.tokens(v2), 23_500_000n);
    assert.deepEqual(k.ms.delegationRecords(k.vs).map((r) => [r.delegator, r.validator, r.amount]).sort(), [
      [user, v1, 45_000_000n],
      [user, v2, 22_500_000n],
    ].sort());

    const b = k.jail(v1);
    assert.equal(k.tokens(v1), 41_400_000n);
    assert.ok(k.chain.staking.validator(v1)!.jailed);
    const ev = findEvent(b.endEvents, 'wasm-valset_update')!;
    const a = attrs(ev);
    assert.equal(a._contract_address, k.converter);
    assert.equal(a.amounts, '4500000stake');
    assert.equal(a.provider_amounts, '9999999stake');
    assert.equal(a.ratios, '0.100000000000000000');
    assert.equal(a.slashed, v1);
    assert.equal(a.jailed, v1);
    assert.equal(a.removals, v1);
    assert.equal(a.updated, v1);
    const [p] = k.pending();
    assert.ok(p && p.decoded.kind === 'valset_update');
    const s = p.decoded.value.slashed[0]!;
    assert.deepEqual({ ...s, slash_amount: { ...s.slash_amount } }, {
      address: v1,
      infraction_height: k.chain.height - 2n,
      infraction_time: 0n,
      power: 46n,
      slash_amount: { denom: 'stake', amount: 9_999_999n },
      slash_ratio: '0.100000000000000000',
    });
    assert.equal(p.packet.timeoutTimestamp, k.chain.time + 86_400n * nsPerSecond);
    k.ackAll();

    // next epoch applies the slash to the accounting; nothing is bonded or unbonded
    const e = k.epoch();
    assert.equal(findEvent(e.endEvents, 'instant_delegate'), undefined);
    assert.equal(findEvent(e.endEvents, 'instant_unbond'), undefined);
    assert.deepEqual(k.chain.query(k.vs, { get_stake: { validator: v1 } }), { stake: '40500000' });
    assert.equal(k.totalDelegated(), 67_500_000n); // the module total is not lowered by slashing
    // §7 item 11: delegation records are not reduced by the slash either
    assert.equal(k.ms.delegationRecords(k.vs).find((r) => r.validator === v1)!.amount, 45_000_000n);
  });
});

describe('V4 consumer side (some free collateral)', () => {
  it('share 6 700 730 → provider 14 890 511', () => {
    const { k } = staked([[1, 150n * M]]);
    const v1 = k.vals[1]!;
    assert.equal(k.totalDelegated(), 67_500_000n);
    assert.equal(k.shares(v1), '67.500000000000000000');
    assert.equal(k.tokens(v1), 68_500_000n);
    const b = k.jail(v1);
    assert.equal(k.tokens(v1), 61_700_000n); // power 68 × 10^6 × 0.1
    const a = attrs(findEvent(b.endEvents, 'wasm-valset_update'));
    assert.equal(a.amounts, '6700730stake');
    assert.equal(a.provider_amounts, '14890511stake');
  });
});

describe('V5 consumer side (double sign, tombstone)', () => {
  it('share 9 782 609 → 21 739 131; next epoch leaves 0.000000388888888889 shares', () => {
    const { k } = staked([
      [1, 100n * M],
      [2, 50n * M],
    ]);
    const v1 = k.vals[1]!;
    const b = k.doubleSign(v1, 100n);
    assert.equal(k.tokens(v1), 36_000_000n);
    assert.ok(k.chain.slashing.isTombstoned(v1));
    const [p] = k.pending();
    assert.ok(p && p.decoded.kind === 'valset_update');
    assert.deepEqual(p.decoded.value.tombstoned, [v1]);
    assert.deepEqual(p.decoded.value.jailed, [v1]);
    assert.equal(p.decoded.value.slashed[0]!.slash_amount.amount, 21_739_131n);
    const a = attrs(findEvent(b.endEvents, 'wasm-valset_update'));
    assert.equal(a.amounts, '9782609stake');
    assert.equal(a.provider_amounts, '21739131stake');
    assert.equal(a.tombstoned, v1);
    k.ackAll();

    const e = k.epoch();
    const unbond = attrs(findEvent(e.endEvents, 'instant_unbond'));
    assert.equal(unbond.validator, v1);
    assert.equal(unbond.amount, '35217391stake');
    assert.equal(k.shares(v1), '0.000000388888888889');
    assert.deepEqual(k.chain.query(k.vs, { get_stake: { validator: v1 } }), { stake: '0' });
    // the following epoch has nothing left to do for the tombstoned validator
    const e2 = k.epoch();
    assert.equal(findEvent(e2.endEvents, 'instant_unbond'), undefined);
    assert.equal(attrs(findEvent(e2.endEvents, 'scheduler_execution')).execution_success, 'true');
  });
});

describe('V8 consumer side (zero max cap)', () => {
  it('cap 0 → 2 internal_unstake (49 999 999, 19 999 999) + 1 distribute_batch; acks unbond everything', () => {
    const { k, user } = staked([
      [1, 50n * M],
      [2, 20n * M],
    ]);
    const [v1, v2] = [k.vals[1]!, k.vals[2]!];
    assert.equal(k.totalDelegated(), 31_500_000n);
    assert.equal(k.shares(v1), '22.500000000000000000');
    assert.equal(k.shares(v2), '9.000000000000000000');
    // fees accrue to the delegations (DefaultMsgFees in the e2e)
    k.chain.journal.atomic(() => k.chain.distribution.fundAndAllocateByPower(1_000_000n));

    k.setMaxCap(0n);
    assert.deepEqual(k.ms.maxCapLimit(k.vs).cap, { denom: 'stake', amount: '0' });
    assert.equal(k.pending().length, 0); // takes effect at the next epoch
    const b = k.epoch();
    assert.equal(attrs(findEvent(b.endEvents, 'scheduler_execution')).execution_success, 'true');
    const pending = k.pending();
    assert.equal(pending.length, 3);
    const kinds = pending.map((p) => p.decoded.kind).sort();
    assert.deepEqual(kinds, ['distribute_batch', 'internal_unstake', 'internal_unstake']);
    const unstakes = pending.flatMap((p) => (p.decoded.kind === 'internal_unstake' ? [p.decoded.value] : []));
    const byVal = Object.fromEntries(unstakes.map((u) => [u.validator, u]));
    assert.deepEqual(byVal[v1]!.normalize_amount, { denom: 'stake', amount: 22_500_000n });
    assert.deepEqual(byVal[v1]!.inverted_amount, { denom: 'stake', amount: 49_999_999n });
    assert.deepEqual(byVal[v2]!.normalize_amount, { denom: 'stake', amount: 9_000_000n });
    assert.deepEqual(byVal[v2]!.inverted_amount, { denom: 'stake', amount: 19_999_999n });
    assert.equal(byVal[v1]!.delegator, user);
    for (const p of pending) {
      const sec = p.decoded.kind === 'internal_unstake' || p.decoded.kind === 'distribute_batch' ? 3_600n : 0n;
      assert.equal(p.packet.timeoutTimestamp, k.chain.time + sec * nsPerSecond);
    }
    // converter attributes of internal_unstake: action, amount (consumer units), owner
    const iu = b.endEvents.filter((e) => e.type === 'wasm' && e.attributes.some((x) => x.value === 'internal_unstake'));
    assert.equal(iu.length, 2);

    const acks = k.ackAll();
    assert.equal(acks.filter((e) => e.type === 'instant_unbond').length, 2);
    assert.equal(k.totalDelegated(), 0n);
    assert.deepEqual(k.ms.delegationRecords(k.vs), []);
    // the next epoch finds no records: tasks deleted, epochs stop
    k.epoch();
    assert.equal(k.ms.nextScheduledTaskHeight(TaskType.handleEpoch, k.vs), undefined);
  });
});

describe('§7 item 10: consumer amounts are priced at each packet', () => {
  it('an unstake priced higher than the remaining request fails with an error ack and changes nothing', () => {
    const k = new ConsumerKit();
    const u = k.chain.addr('u');
    k.stake(u, k.vals[1]!, 100n * M); // 45M at price 0.5
    k.chain.journal.atomic(() => k.chain.execute(k.admin, k.priceFeed, { update_price: { native_per_foreign: '1' } }, []));
    const r = k.unstake(u, k.vals[1]!, 100n * M); // 90M > 45M
    assert.equal(r.ack, ERROR_ACK);
    assert.equal(findEvent(r.events, 'wasm-mesh-unbond'), undefined);
    assert.equal(findEvent(r.events, 'ibc_packet_received'), undefined); // dropped with the error ack (ibc-go v8.0.0)
    assert.equal(k.ms.delegationRecords(k.vs)[0]!.amount, 45n * M);
    k.epoch();
    assert.equal(k.totalDelegated(), 45n * M);
  });

  it('wrong denom and undecodable packets fail with the contract error in the ack', () => {
    const k = new ConsumerKit();
    const u = k.chain.addr('u');
    const r = k.recv({ kind: 'stake', value: { delegator: u, validator: k.vals[1]!, stake: { denom: 'uosmo', amount: 5n }, tx_id: 1n } });
    assert.equal(r.ack, JSON.stringify({ error: 'Sent wrong denom over IBC: uosmo, expected stake' }));
  });
});

describe('§7 item 11: internal_unstake beyond the provider stake', () => {
  it('error ack → mesh_ibc_error and no internal_unbond; re-sent every epoch while the cap is 0', () => {
    const { k } = staked([[1, 10n * M]]);
    k.setMaxCap(0n);
    k.epoch();
    const first = k.pending().filter((p) => p.decoded.kind === 'internal_unstake');
    assert.equal(first.length, 1);
    const ev = k.ackAll(ERROR_ACK);
    const err = findEvent(ev, 'wasm-mesh_ibc_error')!;
    assert.deepEqual(attrs(err), {
      _contract_address: k.converter,
      error: 'ABCI code: 5: error handling packet: see events for details',
      channel: k.channel,
      sequence: first[0]!.packet.sequence.toString(),
    });
    assert.equal(findEvent(ev, 'instant_unbond'), undefined);
    assert.equal(k.totalDelegated(), 4_500_000n);
    k.epoch();
    assert.equal(k.pending().filter((p) => p.decoded.kind === 'internal_unstake').length, 1);
  });
});

describe('rewards, transfer_rewards, timeouts, channel close', () => {
  it('epoch withdraws rewards and sends distribute_batch; transfer_rewards pays from the converter', () => {
    const { k } = staked([
      [1, 100n * M],
      [2, 50n * M],
    ]);
    k.chain.journal.atomic(() => k.chain.distribution.fundAndAllocateByPower(2_000_000n));
    const e = k.epoch();
    const batch = k.pending().find((p) => p.decoded.kind === 'distribute_batch');
    assert.ok(batch && batch.decoded.kind === 'distribute_batch');
    const total = batch.decoded.value.rewards.reduce((s, r) => s + r.reward, 0n);
    assert.ok(total > 0n);
    assert.equal(batch.decoded.value.denom, 'stake');
    assert.equal(k.chain.bank.balance(k.converter, 'stake'), total);
    assert.equal(e.endEvents.filter((x) => x.type === 'wasm-distribute_reward').length, batch.decoded.value.rewards.length);
    k.ackAll();

    const to = k.chain.addr('recipient');
    const r = k.recv({ kind: 'transfer_rewards', value: { rewards: { denom: 'stake', amount: 1000n }, recipient: to, tx_id: 9_223_372_036_854_775_809n } });
    assert.equal(r.ack, SUCCESS_ACK);
    assert.deepEqual(attrs(findEvent(r.events, 'wasm-mesh-transfer-rewards')), { _contract_address: k.converter, recipient: to, rewards: '1000' });
    assert.ok(findEvent(r.events, 'transfer'));
    assert.equal(k.chain.bank.balance(to, 'stake'), 1000n);
    const bad = k.recv({ kind: 'transfer_rewards', value: { rewards: { denom: 'uatom', amount: 1n }, recipient: to, tx_id: 1n } });
    assert.equal(bad.ack, JSON.stringify({ error: 'Sent wrong denom over IBC: uatom, expected stake' }));
    const tooMuch = k.recv({ kind: 'transfer_rewards', value: { rewards: { denom: 'stake', amount: 10n ** 12n }, recipient: to, tx_id: 2n } });
    assert.equal(tooMuch.ack, JSON.stringify({ error: 'ABCI code: 5: error handling packet: see events for details' }));
  });

  it('a timed-out packet is re-sent with the same bytes and a 24 h timeout', () => {
    const k = new ConsumerKit({ open: false });
    k.openChannel();
    const [p] = k.pending();
    // let the provider's clock pass the timeout, then MsgTimeout
    k.provider.produceBlock(p!.packet.timeoutTimestamp + 1n);
    k.chain.produceBlock(p!.packet.timeoutTimestamp + 2n);
    k.chain.journal.atomic(() => k.ibc.timeoutPacket(p!.packet, k.relayer));
    const [q] = k.pending();
    assert.ok(q);
    assert.notEqual(q.packet.sequence, p!.packet.sequence);
    assert.deepEqual(q.packet.data, p!.packet.data);
    assert.equal(q.packet.timeoutTimestamp, k.chain.time + 86_400n * nsPerSecond);
  });

  it('channel close unbonds every record and stops epochs (handle_close_channel)', () => {
    const { k, user } = staked([[1, 10n * M]]);
    const ev = k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
    assert.equal(attrs(findEvent(ev, 'instant_unbond')).amount, '4500000stake');
    assert.equal(attrs(findEvent(ev, 'update_delegation')).delegator, user);
    assert.equal(k.totalDelegated(), 0n);
    assert.equal(k.ms.nextScheduledTaskHeight(TaskType.handleEpoch, k.vs), undefined);
    assert.deepEqual(k.chain.query(k.vs, { get_all_stake: {} }), { stakes: [[k.vals[1], '0']] });
  });

  it('unknown provider packets are refused', () => {
    const k = new ConsumerKit();
    const r = k.ibc.recvPacket(
      sentBy(k.provider, {
        sequence: 99n,
        sourcePort: PROVIDER_PORT,
        sourceChannel: PROVIDER_CHANNEL,
        destinationPort: portOf(k.converter),
        destinationChannel: k.channel,
        data: new TextEncoder().encode('{"slash":{}}'),
        timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
        timeoutTimestamp: k.chain.time + 100n * nsPerSecond,
      }),
      k.relayer,
    );
    assert.match(new TextDecoder().decode(r.ack), /^\{"error":"Error parsing into type mesh_apis::ibc::packet::ProviderPacket: unknown variant `slash`/);
  });
});

describe('events of every converter / virtual-staking trigger (spec §1.0)', () => {
  const keys = (e: { type: string; attributes: Array<{ key: string }> } | undefined) => (e ? [e.type, ...e.attributes.map((a) => a.key)] : undefined);

  it('IBC receive: mesh-bond, mesh-unbond, mesh-burn, mesh-transfer-rewards', () => {
    const k = new ConsumerKit();
    const u = k.chain.addr('u');
    k.chain.bank.fund(k.converter, { denom: 'stake', amount: 10n });
    assert.deepEqual(keys(findEvent(k.stake(u, k.vals[1]!, 100n).events, 'wasm-mesh-bond')), ['wasm-mesh-bond', '_contract_address', 'validator', 'amount']);
    assert.deepEqual(keys(findEvent(k.unstake(u, k.vals[1]!, 10n).events, 'wasm-mesh-unbond')), ['wasm-mesh-unbond', '_contract_address', 'validator', 'amount']);
    const burn = k.recv({ kind: 'burn', value: { validators: [k.vals[1]!, k.vals[2]!], burn: { denom: 'stake', amount: 10n } } });
    const be = findEvent(burn.events, 'wasm-mesh-burn');
    assert.deepEqual(keys(be), ['wasm-mesh-burn', '_contract_address', 'validators', 'amount']);
    assert.equal(attrs(be).validators, `${k.vals[1]},${k.vals[2]}`);
    const tr = k.recv({ kind: 'transfer_rewards', value: { rewards: { denom: 'stake', amount: 5n }, recipient: u, tx_id: 7n } });
    assert.deepEqual(keys(findEvent(tr.events, 'wasm-mesh-transfer-rewards')), ['wasm-mesh-transfer-rewards', '_contract_address', 'recipient', 'rewards']);
    // virtual-staking itself emits nothing for bond/unbond/burn; x/meshsecurity emits update_delegation
    const stake = k.stake(u, k.vals[2]!, 1000n, 2n).events;
    const i = stake.findIndex((e) => e.type === 'execute');
    assert.deepEqual(stake.slice(i, i + 2).map((e) => e.type), ['execute', 'update_delegation']);
  });

  it('ConverterApi: distribute_reward(s), valset_update (contract order), internal_unstake', () => {
    const k = new ConsumerKit();
    k.chain.bank.fund(k.vs, { denom: 'stake', amount: 100n });
    const exec = (msg: unknown, funds: Array<{ denom: string; amount: bigint }> = []) => k.chain.journal.atomic(() => k.chain.execute(k.vs, k.converter, msg, funds)).events;
    const one = exec({ distribute_reward: { validator: k.vals[1] } }, [{ denom: 'stake', amount: 7n }]);
    assert.deepEqual(keys(findEvent(one, 'wasm-distribute_reward')), ['wasm-distribute_reward', '_contract_address', 'validator', 'amount']);
    assert.equal(k.pending().at(-1)!.decoded.kind, 'distribute');
    const many = exec({ distribute_rewards: { payments: [{ validator: k.vals[1], reward: '3' }, { validator: k.vals[2], reward: '4' }] } }, [{ denom: 'stake', amount: 7n }]);
    assert.deepEqual(many.filter((e) => e.type === 'wasm-distribute_reward').map((e) => attrs(e).amount), ['3', '4']);
    assert.throws(
      () => exec({ distribute_rewards: { payments: [{ validator: k.vals[1], reward: '3' }] } }, [{ denom: 'stake', amount: 7n }]),
      new ContractError("Sum of rewards (3) doesn't match funds sent (7)"),
    );
    assert.throws(() => exec({ distribute_reward: { validator: k.vals[1] } }), new ContractError('No funds sent'));

    const val = (a: string) => ({ address: a, commission: '0', max_commission: '0', max_change_rate: '0' });
    const v = k.vals;
    const slash = { address: v[3], infraction_height: 5, infraction_time: 0, power: 1, slash_amount: { denom: 'stake', amount: '45' }, slash_ratio: '0.100000000000000000' };
    const vu = exec({ valset_update: { additions: [val(v[0]!)], removals: [v[1]], updated: [val(v[2]!)], jailed: [v[1]], unjailed: [v[0]], tombstoned: [v[3]], slashed: [slash] } });
    const ve = findEvent(vu, 'wasm-valset_update');
    assert.deepEqual(keys(ve), ['wasm-valset_update', '_contract_address', 'additions', 'removals', 'updated', 'jailed', 'unjailed', 'tombstoned', 'slashed', 'ratios', 'amounts', 'provider_amounts']);
    assert.equal(attrs(ve).provider_amounts, '99stake'); // floor(floor(45 × 2) × 1.111…) = 99
    // nothing changed: the event is still emitted, without attributes and without a packet
    const before = k.pending().length;
    const empty = exec({ valset_update: { additions: [], removals: [], updated: [], jailed: [], unjailed: [], tombstoned: [], slashed: [] } });
    assert.deepEqual(keys(findEvent(empty, 'wasm-valset_update')), ['wasm-valset_update', '_contract_address']);
    assert.equal(k.pending().length, before);

    const iu = exec({ internal_unstake: { delegator: k.chain.addr('u'), validator: v[1], amount: { denom: 'stake', amount: '9000000' } } });
    assert.deepEqual(keys(findEvent(iu, 'wasm')), ['wasm', '_contract_address', 'action', 'amount', 'owner']);
    assert.deepEqual(attrs(findEvent(iu, 'wasm')), { _contract_address: k.converter, action: 'internal_unstake', amount: '9000000', owner: k.chain.addr('u') });
  });

  it('on chain, converter events under virtual-staking have sorted attributes; error ack; rewards_error', () => {
    const { k } = staked([
      [1, 10n * M],
      [2, 10n * M],
    ]);
    k.chain.journal.atomic(() => k.chain.distribution.fundAndAllocateByPower(1_000_000n));
    const e = k.epoch();
    assert.deepEqual(keys(findEvent(e.endEvents, 'wasm-distribute_reward'))?.filter((x) => x !== 'mode'), ['wasm-distribute_reward', '_contract_address', 'amount', 'validator']);
    const ack = k.ackAll('{"error":"boom"}');
    assert.deepEqual(keys(findEvent(ack, 'wasm-mesh_ibc_error')), ['wasm-mesh_ibc_error', '_contract_address', 'error', 'channel', 'sequence']);
    assert.equal(attrs(findEvent(ack, 'wasm-mesh_ibc_error')).error, 'boom');

    // a failed withdraw (delegation gone behind the contract's back) → wasm-rewards_error
    const v2 = k.vals[2]!;
    k.chain.journal.atomic(() => k.chain.staking.instantUndelegate(k.vs, v2, k.chain.staking.delegation(k.vs, v2)!.tokens));
    const e2 = k.epoch();
    const re = findEvent(e2.endEvents, 'wasm-rewards_error');
    assert.deepEqual(keys(re)?.filter((x) => x !== 'mode'), ['wasm-rewards_error', '_contract_address', 'error', 'target']);
    assert.deepEqual({ ...attrs(re), mode: undefined }, { _contract_address: k.vs, error: 'codespace: distribution, code: 5', target: v2, mode: undefined });
  });
});
