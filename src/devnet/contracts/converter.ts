// mesh-converter (spec §1.5, §2; ms:contracts/consumer/converter/src/{contract,ibc}.rs): the consumer end
// of the control channel. Prices provider stake into consumer tokens for virtual-staking, reports
// validator-set changes and slashes (inverse price) and reward amounts, pays out rewards.
import type { ChannelCloseMsg, ChannelConnectMsg, ChannelOpenMsg, ContractCode, ContractInstance, Ctx, IbcChannel, IbcPacket, Reply } from '../chain/contract.ts';
import {
  type Coin,
  ContractError,
  type CosmosMsg,
  type IbcReceiveResponse,
  type MessageInfo,
  ResponseBuilder,
  attr,
  nsPerSecond,
} from '../chain/types.ts';
import { JItem } from '../state/journal.ts';
import { Decimal } from '../../protocol/decimal.ts';
import { PriceError, invertAmount, normalizeAmount, priceAdjustment } from '../../protocol/price.ts';
import { AckWrapper, SUCCESS_ACK_JSON } from '../../protocol/codec/acks.ts';
import { ExecuteMsg, InstantiateMsg, QueryMsg, type ValidatorSlashInfo } from '../../protocol/codec/converter.ts';
import { ChannelVersion, ConsumerPacket, MESH_PROTOCOL, MESH_PROTOCOL_VERSION, ProviderPacket } from '../../protocol/codec/packets.ts';
import { PriceResponse } from '../../protocol/codec/price-feed.ts';
import { encodeJson } from '../../protocol/codec/schema.ts';
import * as vsCodec from '../../protocol/codec/virtual-staking.ts';
import { utf8Bytes } from '../chain/utf8.ts';
import { CONTRACT_VERSION, mustPay, nonpayable, parseMsg } from './cw-std.ts';

const CRATE = 'mesh_converter';
export const REPLY_ID_INSTANTIATE = 1;
/** Supported and minimum control-channel version (spec §2.1). */
const SUPPORTED_VERSION = MESH_PROTOCOL_VERSION;
const MIN_VERSION = MESH_PROTOCOL_VERSION;

// Timeouts, seconds from the block time (spec §2.4).
export const VALIDATOR_TIMEOUT_SEC = 86_400n;
export const REWARD_TIMEOUT_SEC = 3_600n;
export const INTERNAL_UNSTAKE_TIMEOUT_SEC = 3_600n;

// ContractError Display texts (errors.md §8.1).
const E = {
  unauthorized: 'Unauthorized',
  channelOpen: 'Contract already has an open IBC channel',
  openTry: "You must start the channel handshake on this side, it doesn't support OpenTry",
  invalidDiscount: 'Invalid discount, must be between 0.0 and 1.0',
  wrongDenom: (sent: string, expected: string) => `Sent wrong denom over IBC: ${sent}, expected ${expected}`,
  invalidDenom: (d: string) => `Invalid denom: ${d}`,
  invalidReplyId: (id: number) => `Invalid reply id: ${id}`,
  rewardsSum: (sum: bigint, sent: bigint) => `Sum of rewards (${sum}) doesn't match funds sent (${sent})`,
  // StdError::NotFound of an Item never saved (cosmwasm-std 1.x type paths).
  noChannel: 'cosmwasm_std::ibc::IbcChannel not found',
  noVirtualStake: 'cosmwasm_std::addresses::Addr not found',
  channelOrder: 'Channel must be unordered',
};

// ---- control-channel version negotiation (ms:packages/apis/src/ibc/version.rs) ----------

interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  text: string;
}

function parseSemver(s: string): SemVer {
  const m = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(s);
  if (!m) throw new ContractError(`Invalid version: ${s}`);
  return { major: BigInt(m[1]!), minor: BigInt(m[2]!), patch: BigInt(m[3]!), pre: m[4] ?? '', text: s };
}

function cmpSemver(a: SemVer, b: SemVer): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1; // a release sorts after its pre-releases
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

function checkProtocol(v: ChannelVersion): SemVer {
  if (v.protocol !== MESH_PROTOCOL) throw new ContractError(`Invalid protocol name: ${v.protocol}`);
  return parseSemver(v.version);
}

// Upstream builds both errors with the proposed version twice (errors.md §2 "quirk").
const tooOld = (v: SemVer) => new ContractError(`Proposed version ${v.text} older than min supported ${v.text}`);
const tooNew = (v: SemVer) => new ContractError(`Proposed version ${v.text} has breaking changes ahead of supported ${v.text}`);

/** ProtocolVersion::build_response: the version to answer OpenInit/OpenTry with. */
export function buildVersionResponse(proposed: ChannelVersion): string {
  const p = checkProtocol(proposed);
  const supported = parseSemver(SUPPORTED_VERSION);
  const min = parseSemver(MIN_VERSION);
  if (cmpSemver(p, min) < 0) throw tooOld(p);
  if (p.major > supported.major) throw tooNew(p);
  const version = cmpSemver(p, supported) <= 0 ? p.text : supported.text;
  return encodeJson(ChannelVersion, { protocol: MESH_PROTOCOL, version });
}

/** ProtocolVersion::verify_compatibility: the counterparty version at OpenAck. */
export function verifyVersionCompatibility(proposed: ChannelVersion): void {
  const p = checkProtocol(proposed);
  if (cmpSemver(p, parseSemver(MIN_VERSION)) < 0) throw tooOld(p);
  if (cmpSemver(p, parseSemver(SUPPORTED_VERSION)) > 0) throw tooNew(p);
}

// ---- the contract -----------------------------------------------------------------------

interface Config {
  priceFeed: string;
  /** 1 − discount */
  priceAdjustment: Decimal;
  /** The consumer's bonded denom. */
  localDenom: string;
  remoteDenom: string;
}

const SUCCESS_ACK = utf8Bytes(SUCCESS_ACK_JSON);

class Converter implements ContractInstance {
  constructor(
    private readonly config: JItem<Config>,
    private readonly virtualStake: JItem<string | undefined>,
    private readonly channel: JItem<IbcChannel | undefined>,
  ) {}

  private vs(): string {
    const v = this.virtualStake.get();
    if (v === undefined) throw new ContractError(E.noVirtualStake);
    return v;
  }

  private ibcChannel(): IbcChannel {
    const c = this.channel.get();
    if (!c) throw new ContractError(E.noChannel);
    return c;
  }

  private ensureAuthorized(info: MessageInfo): void {
    if (info.sender !== this.vs()) throw new ContractError(E.unauthorized);
  }

  private price(ctx: Ctx): Decimal {
    return PriceResponse.decode(ctx.querier.wasmSmart(this.config.get().priceFeed, { price: {} })).native_per_foreign;
  }

  /** Provider → consumer amount (spec §4.4). */
  private normalize(ctx: Ctx, amount: Coin): Coin {
    const cfg = this.config.get();
    if (amount.denom !== cfg.remoteDenom) throw new ContractError(E.wrongDenom(amount.denom, cfg.remoteDenom));
    return { denom: cfg.localDenom, amount: normalizeAmount(amount.amount, this.price(ctx), cfg.priceAdjustment) };
  }

  /** Consumer → provider amount (spec §4.4). */
  private invert(ctx: Ctx, amount: Coin): Coin {
    const cfg = this.config.get();
    if (amount.denom !== cfg.localDenom) throw new ContractError(E.wrongDenom(amount.denom, cfg.localDenom));
    try {
      return { denom: cfg.remoteDenom, amount: invertAmount(amount.amount, this.price(ctx), cfg.priceAdjustment) };
    } catch (e) {
      if (e instanceof PriceError) throw new ContractError(e.message);
      throw e;
    }
  }

  private sendPacket(ctx: Ctx, packet: ConsumerPacket, timeoutSec: bigint): CosmosMsg {
    return {
      kind: 'ibc_send_packet',
      channelId: this.ibcChannel().endpoint.channel_id,
      data: utf8Bytes(encodeJson(ConsumerPacket, packet)),
      timeout: { timestamp: ctx.env.block.time + timeoutSec * nsPerSecond },
    };
  }

  private callVirtualStaking(msg: vsCodec.ExecuteMsg): CosmosMsg {
    return { kind: 'wasm_execute', contract: this.vs(), msg: vsCodec.ExecuteMsg.encode(msg), funds: [] };
  }

  // ---- ConverterApi (called by virtual-staking) ----

  execute(ctx: Ctx, info: MessageInfo, raw: unknown) {
    const msg = parseMsg(ExecuteMsg, raw, `${CRATE}::contract::sv::ContractExecMsg`);
    const res = new ResponseBuilder();
    switch (msg.kind) {
      case 'distribute_reward': {
        this.ensureAuthorized(info);
        const denom = this.config.get().localDenom;
        mustPay(info, denom);
        const rewards = info.funds[0]!;
        res.event('distribute_reward', attr('validator', msg.value.validator), attr('amount', rewards.amount));
        return res.msg(this.sendPacket(ctx, { kind: 'distribute', value: { validator: msg.value.validator, rewards } }, REWARD_TIMEOUT_SEC));
      }
      case 'distribute_rewards': {
        this.ensureAuthorized(info);
        const denom = this.config.get().localDenom;
        const { payments } = msg.value;
        const sum = payments.reduce((s, p) => s + p.reward, 0n);
        const sent = mustPay(info, denom);
        if (sum !== sent) throw new ContractError(E.rewardsSum(sum, sent));
        for (const p of payments) res.event('distribute_reward', attr('validator', p.validator), attr('amount', p.reward));
        return res.msg(this.sendPacket(ctx, { kind: 'distribute_batch', value: { rewards: payments, denom } }, REWARD_TIMEOUT_SEC));
      }
      case 'valset_update':
        return this.valsetUpdate(ctx, info, msg.value);
      case 'internal_unstake': {
        const { delegator, validator, amount } = msg.value;
        if (info.sender !== this.vs()) throw new ContractError(E.unauthorized);
        res.attr('action', 'internal_unstake').attr('amount', amount.amount).attr('owner', delegator);
        this.ibcChannel();
        // recalculated with the current price (spec §7 item 9)
        const inverted = this.invert(ctx, amount);
        const packet: ConsumerPacket = { kind: 'internal_unstake', value: { delegator, validator, normalize_amount: amount, inverted_amount: inverted } };
        return res.msg(this.sendPacket(ctx, packet, INTERNAL_UNSTAKE_TIMEOUT_SEC));
      }
    }
  }

  /** Forwards a valset report; slash amounts go out in provider units (spec §1.5, §4.3.2 step 3). */
  private valsetUpdate(ctx: Ctx, info: MessageInfo, v: Extract<ExecuteMsg, { kind: 'valset_update' }>['value']) {
    this.ensureAuthorized(info);
    this.ibcChannel();
    const res = new ResponseBuilder();
    const attrs = [];
    const join = (xs: string[]) => xs.join(',');
    if (v.additions.length > 0) attrs.push(attr('additions', join(v.additions.map((a) => a.address))));
    if (v.removals.length > 0) attrs.push(attr('removals', join(v.removals)));
    if (v.updated.length > 0) attrs.push(attr('updated', join(v.updated.map((a) => a.address))));
    if (v.jailed.length > 0) attrs.push(attr('jailed', join(v.jailed)));
    if (v.unjailed.length > 0) attrs.push(attr('unjailed', join(v.unjailed)));
    if (v.tombstoned.length > 0) attrs.push(attr('tombstoned', join(v.tombstoned)));
    let slashed: ValidatorSlashInfo[] = v.slashed;
    if (slashed.length > 0) {
      const coins = (s: ValidatorSlashInfo[]) => join(s.map((x) => `${x.slash_amount.amount}${x.slash_amount.denom}`));
      attrs.push(attr('slashed', join(slashed.map((s) => s.address))));
      attrs.push(attr('ratios', join(slashed.map((s) => s.slash_ratio))));
      attrs.push(attr('amounts', coins(slashed)));
      slashed = slashed.map((s) => ({ ...s, slash_amount: this.invert(ctx, s.slash_amount) }));
      attrs.push(attr('provider_amounts', coins(slashed)));
    }
    if (attrs.length > 0) {
      const packet: ConsumerPacket = {
        kind: 'valset_update',
        value: {
          height: ctx.env.block.height,
          time: ctx.env.block.time / nsPerSecond,
          // pub_key is not available to CosmWasm (spec §2.2)
          additions: v.additions.map((a) => ({ valoper: a.address, pub_key: 'TODO' })),
          removals: v.removals,
          updated: v.updated.map((a) => ({ valoper: a.address, pub_key: 'TODO' })),
          jailed: v.jailed,
          unjailed: v.unjailed,
          tombstoned: v.tombstoned,
          slashed,
        },
      };
      res.msg(this.sendPacket(ctx, packet, VALIDATOR_TIMEOUT_SEC));
    }
    // the event is emitted even when nothing changed
    return res.event('valset_update', ...attrs);
  }

  query(_ctx: Ctx, raw: unknown): unknown {
    parseMsg(QueryMsg, raw, `${CRATE}::contract::sv::ContractQueryMsg`);
    const cfg = this.config.get();
    return { adjustment: cfg.priceAdjustment.toString(), price_feed: cfg.priceFeed, virtual_staking: this.vs() };
  }

  reply(_ctx: Ctx, reply: Reply) {
    if (reply.id !== REPLY_ID_INSTANTIATE) throw new ContractError(E.invalidReplyId(reply.id));
    if (!('ok' in reply.result)) throw new ContractError(`Failure response from sub-message: ${reply.result.err}`);
    // The framework hands back events rather than MsgInstantiateContractResponse bytes: take the
    // address from the `instantiate` event (what parse_instantiate_response_data would return).
    const ev = reply.result.ok.events.find((e) => e.type === 'instantiate');
    const address = ev?.attributes.find((a) => a.key === '_contract_address')?.value;
    if (!address) throw new ContractError('Invalid reply from sub-message: Missing contract address');
    this.virtualStake.set(address);
    return new ResponseBuilder();
  }

  // ---- IBC (spec §2.1, §2.5) ----

  ibcChannelOpen(_ctx: Ctx, msg: ChannelOpenMsg): string | undefined {
    if (this.channel.get()) throw new ContractError(E.channelOpen);
    if ('open_try' in msg) throw new ContractError(E.openTry);
    const { channel } = msg.open_init;
    if (channel.order !== 'ORDER_UNORDERED') throw new ContractError(E.channelOrder);
    if (channel.version === '') return encodeJson(ChannelVersion, { protocol: MESH_PROTOCOL, version: SUPPORTED_VERSION });
    return buildVersionResponse(parseMsg(ChannelVersion, utf8Bytes(channel.version), 'mesh_apis::ibc::version::ProtocolVersion'));
  }

  ibcChannelConnect(ctx: Ctx, msg: ChannelConnectMsg) {
    if (this.channel.get()) throw new ContractError(E.channelOpen);
    if ('open_confirm' in msg) throw new ContractError(E.openTry);
    const { channel, counterparty_version } = msg.open_ack;
    verifyVersionCompatibility(parseMsg(ChannelVersion, utf8Bytes(counterparty_version), 'mesh_apis::ibc::version::ProtocolVersion'));
    this.channel.set(channel);
    // the initial validator set: every bonded validator as an addition (spec §2.1 OpenAck)
    const additions = ctx.querier.allValidators().map((v) => ({ valoper: v.address, pub_key: 'TODO' }));
    const packet: ConsumerPacket = {
      kind: 'valset_update',
      value: { height: ctx.env.block.height, time: ctx.env.block.time / nsPerSecond, additions, removals: [], updated: [], jailed: [], unjailed: [], tombstoned: [], slashed: [] },
    };
    return new ResponseBuilder().msg(this.sendPacket(ctx, packet, VALIDATOR_TIMEOUT_SEC));
  }

  /** Any close: virtual-staking unbonds everything and stops its epochs; the channel stays stored. */
  ibcChannelClose(_ctx: Ctx, _msg: ChannelCloseMsg) {
    return new ResponseBuilder().msg(this.callVirtualStaking({ kind: 'handle_close_channel', value: {} }));
  }

  ibcPacketReceive(ctx: Ctx, packet: IbcPacket): IbcReceiveResponse {
    const p = parseMsg(ProviderPacket, packet.data, 'mesh_apis::ibc::packet::ProviderPacket');
    const res = new ResponseBuilder();
    switch (p.kind) {
      case 'stake': {
        const { delegator, validator, stake } = p.value;
        const amount = this.normalize(ctx, stake);
        res.event('mesh-bond', attr('validator', validator), attr('amount', amount.amount));
        res.msg(this.callVirtualStaking({ kind: 'bond', value: { delegator, validator, amount } }));
        break;
      }
      case 'unstake': {
        const { delegator, validator, unstake } = p.value;
        const amount = this.normalize(ctx, unstake);
        res.event('mesh-unbond', attr('validator', validator), attr('amount', amount.amount));
        res.msg(this.callVirtualStaking({ kind: 'unbond', value: { delegator, validator, amount } }));
        break;
      }
      case 'burn': {
        const { validators, burn } = p.value;
        const amount = this.normalize(ctx, burn);
        res.event('mesh-burn', attr('validators', validators.join(',')), attr('amount', amount.amount));
        res.msg(this.callVirtualStaking({ kind: 'burn', value: { validators, amount } }));
        break;
      }
      case 'transfer_rewards': {
        // paid from the converter's balance on the consumer chain (spec §2.6)
        const { rewards, recipient } = p.value;
        const to = ctx.api.addrValidate(recipient);
        const cfg = this.config.get();
        if (rewards.denom !== cfg.localDenom) throw new ContractError(E.wrongDenom(rewards.denom, cfg.localDenom));
        res.event('mesh-transfer-rewards', attr('recipient', to), attr('rewards', rewards.amount));
        res.msg({ kind: 'bank_send', to, amount: [rewards] });
        break;
      }
    }
    return { ...res, acknowledgement: SUCCESS_ACK };
  }

  ibcPacketAck(_ctx: Ctx, ack: Uint8Array, packet: IbcPacket) {
    const a = parseMsg(AckWrapper, ack, 'mesh_apis::ibc::AckWrapper');
    const res = new ResponseBuilder();
    if (a.kind === 'result') {
      const original = parseMsg(ConsumerPacket, packet.data, 'mesh_apis::ibc::packet::ConsumerPacket');
      if (original.kind === 'internal_unstake') {
        // the provider released the stake: unbond it here now (spec §2.5)
        const { delegator, validator, normalize_amount } = original.value;
        res.msg(this.callVirtualStaking({ kind: 'internal_unbond', value: { delegator, validator, amount: normalize_amount } }));
      }
      return res;
    }
    return res.event('mesh_ibc_error', attr('error', a.value), attr('channel', packet.src.channel_id), attr('sequence', packet.sequence));
  }

  /** Re-sends the same bytes with the 24 h validator timeout (spec §2.4). */
  ibcPacketTimeout(ctx: Ctx, packet: IbcPacket) {
    return new ResponseBuilder().msg({
      kind: 'ibc_send_packet',
      channelId: packet.src.channel_id,
      data: packet.data,
      timeout: { timestamp: ctx.env.block.time + VALIDATOR_TIMEOUT_SEC * nsPerSecond },
    });
  }
}

export const converterCode: ContractCode = {
  name: 'mesh-converter',
  version: CONTRACT_VERSION,
  instantiate(ctx, info, raw) {
    const msg = parseMsg(InstantiateMsg, raw, `${CRATE}::contract::sv::InstantiateMsg`);
    nonpayable(info);
    if (msg.discount.cmp(Decimal.one) >= 0) throw new ContractError(E.invalidDiscount);
    if (msg.remote_denom === '') throw new ContractError(E.invalidDenom(msg.remote_denom));
    const config = new JItem<Config>(ctx.journal, {
      priceFeed: ctx.api.addrValidate(msg.price_feed),
      priceAdjustment: priceAdjustment(msg.discount),
      localDenom: ctx.querier.bondedDenom(),
      remoteDenom: msg.remote_denom,
    });
    if (msg.admin !== undefined) ctx.api.addrValidate(msg.admin);
    const init = vsCodec.InstantiateMsg.encode({ max_retrieve: msg.max_retrieve, tombstoned_unbond_enable: msg.tombstoned_unbond_enable });
    const response = new ResponseBuilder().submsg(
      REPLY_ID_INSTANTIATE,
      {
        kind: 'wasm_instantiate',
        codeId: Number(msg.virtual_staking_code_id),
        msg: init,
        funds: [],
        label: `Virtual Staking: ${msg.remote_denom}`,
        ...(msg.admin !== undefined ? { admin: msg.admin } : {}),
      },
      'success',
    );
    const instance = new Converter(config, new JItem<string | undefined>(ctx.journal, undefined), new JItem<IbcChannel | undefined>(ctx.journal, undefined));
    return { instance, response };
  },
};

