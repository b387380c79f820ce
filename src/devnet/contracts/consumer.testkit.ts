// Test kit for the consumer side: a consumer chain set up like the SDK e2e tests (spec §6 common
// setup: 4 genesis validators of 10^6 tokens and 1 share, price 0.5, discount 0.1, max_retrieve 50,
// max cap 10^9) with x/meshsecurity, simple-price-feed, converter and virtual-staking, and a bare
// provider chain as the IBC counterparty. Provider packets are built and delivered by hand.
import type { BlockResult, ChainParams, Tx } from '../chain/chain.ts';
import { Chain } from '../chain/chain.ts';
import { LegacyDec } from '../chain/legacy-dec.ts';
import { installStandardMsgs } from '../chain/msgs.ts';
import { type Event, nsPerSecond } from '../chain/types.ts';
import { Ibc, type Packet, portOf } from '../ibc/ibc.ts';
import { ackWrittenBy, sentBy } from '../ibc/counterparty.testkit.ts';
import { MSG_SET_MAX_CAP, type MeshSecurity, TaskType, installMeshSecurity } from '../modules/meshsecurity.ts';
import { type ConsumerPacket, ProviderPacket, decodeConsumerPacket } from '../../protocol/codec/packets.ts';
import { encodeJson } from '../../protocol/codec/schema.ts';
import { converterCode } from './converter.ts';
import { simplePriceFeedCode } from './simple-price-feed.ts';
import { virtualStakingCode } from './virtual-staking.ts';

export const GENESIS = 1_767_225_600n * nsPerSecond;
export const BLOCK_NS = 5n * nsPerSecond;
export const SUCCESS_ACK = '{"result":"e30="}';
export const VERSION = '{"protocol":"mesh-security","version":"0.11.0"}';
export const PROVIDER_PORT = 'wasm.mesh1externalstaking';
export const PROVIDER_CHANNEL = 'channel-9';

export const chainParams = (chainId: string, prefix = 'mesh'): ChainParams => ({
  chainId,
  prefix,
  bondDenom: 'stake',
  unbondingTimeSec: 1_814_400n,
  maxValidators: 5,
  slashFractionDowntime: '0.1',
  slashFractionDoubleSign: '0.1',
  downtimeJailDurationSec: 600n,
  blockTimeNs: BLOCK_NS,
});

export interface KitOptions {
  price?: string;
  discount?: string;
  maxCap?: bigint;
  epochLength?: number;
  /** Open the channel (and ack the initial valset packet). Default true. */
  open?: boolean;
}

export class ConsumerKit {
  readonly chain: Chain;
  readonly provider: Chain;
  readonly ibc: Ibc;
  readonly ms: MeshSecurity;
  readonly vals: string[];
  readonly admin: string;
  readonly gov: string;
  readonly relayer: string;
  readonly priceFeed: string;
  readonly converter: string;
  readonly vs: string;
  channel = '';
  private seq = 0n;

  constructor(o: KitOptions = {}) {
    this.chain = new Chain(chainParams('consumer'), GENESIS);
    this.provider = new Chain(chainParams('provider'), GENESIS);
    const c = this.chain;
    installStandardMsgs(c);
    this.ibc = new Ibc(c, c.journal, 'v8');
    const pibc = new Ibc(this.provider, this.provider.journal, 'v8');
    this.ibc.addConnection({ connectionId: 'connection-0', clientId: '07-tendermint-0', counterpartyChainId: 'provider', counterpartyConnectionId: 'connection-0', counterpartyClientId: '07-tendermint-0', counterparty: () => this.provider });
    pibc.addConnection({ connectionId: 'connection-0', clientId: '07-tendermint-0', counterpartyChainId: 'consumer', counterpartyConnectionId: 'connection-0', counterpartyClientId: '07-tendermint-0', counterparty: () => this.chain });
    this.admin = c.addr('admin');
    this.gov = c.moduleAddr('gov');
    this.relayer = c.addr('relayer');
    this.vals = ['val0', 'val1', 'val2', 'val3'].map((n) => c.valoper(n));
    c.journal.atomic(() => {
      c.bank.fund(this.admin, { denom: 'stake', amount: 10n ** 15n });
      for (const [i, op] of this.vals.entries()) {
        c.staking.initGenesisValidator({ operator: op, delegator: c.addr(`val${i}`), tokens: 1_000_000n, shares: LegacyDec.ONE });
      }
    });
    this.ms = installMeshSecurity(c, { epochLength: o.epochLength ?? 100 });
    const pf = c.wasm.storeCode(simplePriceFeedCode);
    const vsCode = c.wasm.storeCode(virtualStakingCode);
    const conv = c.wasm.storeCode(converterCode);
    this.priceFeed = c.journal.atomic(() => c.instantiate(this.admin, pf, { native_per_foreign: o.price ?? '0.5' }, [], 'price feed').address);
    this.converter = c.journal.atomic(
      () =>
        c.instantiate(
          this.admin,
          conv,
          { price_feed: this.priceFeed, discount: o.discount ?? '0.1', remote_denom: 'stake', virtual_staking_code_id: vsCode, max_retrieve: 50, tombstoned_unbond_enable: true },
          [],
          'converter',
        ).address,
    );
    this.vs = (c.query(this.converter, { config: {} }) as { virtual_staking: string }).virtual_staking;
    this.block();
    if (o.open ?? true) {
      this.openChannel();
      this.ackAll();
    }
    this.setMaxCap(o.maxCap ?? 1_000_000_000n);
  }

  block(txs: Tx[] = []): BlockResult {
    const r = this.chain.produceBlock(this.chain.time + BLOCK_NS, txs);
    this.provider.produceBlock(this.chain.time);
    return r;
  }

  setMaxCap(amount: bigint): BlockResult {
    const msg = { typeUrl: MSG_SET_MAX_CAP, value: { authority: this.gov, contract: this.vs, maxCap: { denom: 'stake', amount: amount.toString() } } };
    const r = this.block([{ signer: this.gov, msgs: [msg] }]);
    if (r.txResults[0]!.code !== 0) throw new Error(r.txResults[0]!.log);
    return r;
  }

  /** OpenInit + OpenAck on the converter's port (the provider side is not simulated). */
  openChannel(version = VERSION): Event[] {
    return this.chain.journal.atomic(() => {
      const { channelId, events } = this.ibc.openInit(portOf(this.converter), 'connection-0', PROVIDER_PORT, version);
      this.channel = channelId;
      return [...events, ...this.ibc.openAck(portOf(this.converter), channelId, PROVIDER_CHANNEL, version)];
    });
  }

  /** Delivers a provider packet to the converter (MsgRecvPacket). */
  recv(p: ProviderPacket): { events: Event[]; ack: string } {
    const packet: Packet = {
      sequence: ++this.seq,
      sourcePort: PROVIDER_PORT,
      sourceChannel: PROVIDER_CHANNEL,
      destinationPort: portOf(this.converter),
      destinationChannel: this.channel,
      data: new TextEncoder().encode(encodeJson(ProviderPacket, p)),
      timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
      timeoutTimestamp: this.chain.time + 600n * nsPerSecond,
    };
    const r = this.ibc.recvPacket(sentBy(this.provider, packet), this.relayer);
    return { events: r.events, ack: new TextDecoder().decode(r.ack) };
  }

  stake(delegator: string, validator: string, amount: bigint, txId = 1n) {
    return this.recv({ kind: 'stake', value: { delegator, validator, stake: { denom: 'stake', amount }, tx_id: txId } });
  }

  unstake(delegator: string, validator: string, amount: bigint, txId = 9_223_372_036_854_775_808n) {
    return this.recv({ kind: 'unstake', value: { delegator, validator, unstake: { denom: 'stake', amount }, tx_id: txId } });
  }

  /** Packets the converter sent and nobody acknowledged yet. */
  pending(): Array<{ packet: Packet; decoded: ConsumerPacket }> {
    return this.ibc.pendingCommitments().map((packet) => ({ packet, decoded: decodeConsumerPacket(packet.data) }));
  }

  /** Acknowledges every pending packet with `ack` (MsgAcknowledgement). */
  ackAll(ack = SUCCESS_ACK): Event[] {
    const events: Event[] = [];
    for (const { packet } of this.pending()) {
      const bytes = new TextEncoder().encode(ack);
      ackWrittenBy(this.provider, packet, bytes);
      events.push(...this.chain.journal.atomic(() => this.ibc.acknowledgePacket(packet, bytes, this.relayer)));
    }
    return events;
  }

  /** Like the e2e ExecNewEpoch: produce blocks until the next handle_epoch task has run. */
  epoch(): BlockResult {
    const due = this.ms.nextScheduledTaskHeight(TaskType.handleEpoch, this.vs);
    if (due === undefined) throw new Error('no epoch scheduled');
    let r = this.block();
    while (this.chain.height < due) r = this.block();
    return r;
  }

  /** e2e jailValidator: let the new powers settle, then a downtime slash + jail in BeginBlock. */
  jail(op: string, settle = 3): BlockResult {
    for (let i = 0; i < settle; i++) this.block();
    this.chain.scheduleBegin(() => this.chain.slashing.jailForDowntime(op, this.chain.time, this.chain.height));
    return this.block();
  }

  /** e2e tombstoneValidator: equivocation evidence with `power` at the current height. */
  doubleSign(op: string, power = 100n, settle = 3): BlockResult {
    for (let i = 0; i < settle; i++) this.block();
    this.chain.scheduleBegin(() => this.chain.slashing.doubleSign(op, power, this.chain.height, this.chain.time, this.chain.height));
    return this.block();
  }

  totalDelegated(): bigint {
    return this.ms.totalDelegated(this.vs).amount;
  }

  shares(validator: string): string | undefined {
    return this.chain.staking.delegation(this.vs, validator)?.shares.toString();
  }

  tokens(validator: string): bigint {
    return this.chain.staking.validator(validator)!.tokens;
  }
}

/** Type and attribute keys of events, for order assertions. */
export const shape = (events: Event[]): Array<[string, string[]]> => events.map((e) => [e.type, e.attributes.map((a) => a.key)]);
export const attrs = (e: Event | undefined): Record<string, string> => Object.fromEntries((e?.attributes ?? []).map((a) => [a.key, a.value]));
export const findEvent = (events: Event[], type: string): Event | undefined => events.find((e) => e.type === type);
