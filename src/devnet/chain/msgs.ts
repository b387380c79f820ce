// Handlers for the standard tx messages a devnet chain accepts (wasm, bank, staking, slashing,
// IBC core). Mesh module messages are registered by src/devnet/modules/*. Values are the
// decoded proto fields in camelCase, as cosmjs-types names them.
import type { Chain, MsgHandler } from './chain.ts';
import { type Coin, ModuleError, attr, event } from './types.ts';
import type { Ibc, Packet } from '../ibc/ibc.ts';
import { unpackAny } from '../ibc/errors.ts';
import type { Height } from '../ibc/commitment.ts';
import { validateClientMessage } from '../ibc/light-clients.ts';
import { utf8Bytes } from './utf8.ts';

export const MSG = {
  executeContract: '/cosmwasm.wasm.v1.MsgExecuteContract',
  instantiateContract: '/cosmwasm.wasm.v1.MsgInstantiateContract',
  send: '/cosmos.bank.v1beta1.MsgSend',
  delegate: '/cosmos.staking.v1beta1.MsgDelegate',
  undelegate: '/cosmos.staking.v1beta1.MsgUndelegate',
  beginRedelegate: '/cosmos.staking.v1beta1.MsgBeginRedelegate',
  withdrawDelegatorReward: '/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward',
  unjail: '/cosmos.slashing.v1beta1.MsgUnjail',
  updateClient: '/ibc.core.client.v1.MsgUpdateClient',
  recvPacket: '/ibc.core.channel.v1.MsgRecvPacket',
  acknowledgement: '/ibc.core.channel.v1.MsgAcknowledgement',
  timeout: '/ibc.core.channel.v1.MsgTimeout',
  timeoutOnClose: '/ibc.core.channel.v1.MsgTimeoutOnClose',
  channelOpenInit: '/ibc.core.channel.v1.MsgChannelOpenInit',
  channelOpenTry: '/ibc.core.channel.v1.MsgChannelOpenTry',
  channelOpenAck: '/ibc.core.channel.v1.MsgChannelOpenAck',
  channelOpenConfirm: '/ibc.core.channel.v1.MsgChannelOpenConfirm',
  channelCloseInit: '/ibc.core.channel.v1.MsgChannelCloseInit',
  channelCloseConfirm: '/ibc.core.channel.v1.MsgChannelCloseConfirm',
} as const;

const str = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v === '') throw new ModuleError('sdk', 3, `invalid ${field}: expected a non-empty string`);
  return v;
};

const coins = (v: unknown): Coin[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ModuleError('sdk', 3, 'invalid coins');
  return v.map((c: { denom?: unknown; amount?: unknown }) => {
    if (typeof c.denom !== 'string' || !/^[0-9]+$/.test(String(c.amount))) throw new ModuleError('sdk', 10, `invalid coin: ${JSON.stringify(c)}`);
    return { denom: c.denom, amount: BigInt(c.amount as string) };
  });
};

const oneCoin = (v: unknown): Coin => {
  const [c] = coins([v]);
  return c!;
};

/** The message body a contract receives: MsgExecuteContract.msg is raw JSON bytes (cosmos-wire §2.2). */
export const contractMsg = (v: unknown): unknown => (v instanceof Uint8Array ? JSON.parse(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8')) : v);

const ibcOf = (chain: Chain): Ibc => chain.module<Ibc>('ibc');

const bytes = (v: unknown): Uint8Array => {
  if (!(v instanceof Uint8Array)) throw new ModuleError('sdk', 3, 'invalid bytes field');
  return v;
};

/** cosmjs-types Packet → the IBC module's Packet (same field names). */
export function packetFromMsg(v: unknown): Packet {
  const p = v as Packet | undefined;
  if (!p || typeof p.sourcePort !== 'string' || typeof p.sequence !== 'bigint' || !(p.data instanceof Uint8Array)) throw new ModuleError('channel', 13, 'packet fields are missing or mistyped: invalid packet');
  return p;
}

/** A message's proof height (cosmjs-types Height); absent reads as zero, a height no client holds. */
function heightFromMsg(v: unknown): Height {
  const h = v as Partial<Height> | undefined;
  return { revisionNumber: typeof h?.revisionNumber === 'bigint' ? h.revisionNumber : 0n, revisionHeight: typeof h?.revisionHeight === 'bigint' ? h.revisionHeight : 0n };
}

const ORDERING = { 1: 'ORDER_UNORDERED', 2: 'ORDER_ORDERED' } as const;

/** cosmjs-types Channel of a handshake message. */
function channelOf(v: unknown): { connectionId: string; counterpartyPortId: string; counterpartyChannelId: string; version: string; ordering: 'ORDER_UNORDERED' | 'ORDER_ORDERED' } {
  const c = v as { ordering?: number; counterparty?: { portId?: string; channelId?: string }; connectionHops?: string[]; version?: string } | undefined;
  const ordering = ORDERING[(c?.ordering ?? 0) as 1 | 2];
  if (!c || !ordering) throw new ModuleError('channel', 6, 'channel ordering must be ORDER_UNORDERED or ORDER_ORDERED: invalid channel ordering');
  return {
    connectionId: str(c.connectionHops?.[0], 'connection hop'),
    counterpartyPortId: str(c.counterparty?.portId, 'counterparty port'),
    counterpartyChannelId: c.counterparty?.channelId ?? '',
    version: c.version ?? '',
    ordering,
  };
}

const handlers: Record<string, MsgHandler> = {
  [MSG.executeContract]: (chain, signer, v) => {
    if (v.sender !== signer) throw new ModuleError('sdk', 4, 'signer does not match sender: unauthorized');
    return chain.execute(signer, str(v.contract, 'contract'), contractMsg(v.msg), coins(v.funds));
  },
  [MSG.instantiateContract]: (chain, signer, v) => {
    const r = chain.instantiate(signer, Number(v.codeId), contractMsg(v.msg), coins(v.funds), String(v.label ?? ''), v.admin ? String(v.admin) : undefined);
    return { events: r.events, data: utf8Bytes(r.address) };
  },
  [MSG.send]: (chain, signer, v) => {
    if (v.fromAddress !== signer) throw new ModuleError('sdk', 4, 'signer does not match from_address: unauthorized');
    return { events: chain.bank.send(signer, str(v.toAddress, 'to_address'), coins(v.amount)) };
  },
  [MSG.delegate]: (chain, signer, v) => ({ events: chain.staking.delegate(signer, str(v.validatorAddress, 'validator'), oneCoin(v.amount).amount) }),
  [MSG.undelegate]: (chain, signer, v) => ({
    events: chain.staking.undelegate(signer, str(v.validatorAddress, 'validator'), oneCoin(v.amount).amount, chain.time, chain.height).events,
  }),
  [MSG.beginRedelegate]: (chain, signer, v) => ({
    events: chain.staking.redelegate(signer, str(v.validatorSrcAddress, 'src'), str(v.validatorDstAddress, 'dst'), oneCoin(v.amount).amount, chain.time, chain.height).events,
  }),
  [MSG.withdrawDelegatorReward]: (chain, signer, v) => ({ events: chain.distribution.withdraw(signer, str(v.validatorAddress, 'validator')).events }),
  [MSG.unjail]: (chain, _signer, v) => ({ events: chain.slashing.unjail(str(v.validatorAddr, 'validator'), chain.time) }),
  [MSG.updateClient]: (chain, _s, v) => ({
    events: ibcOf(chain).clients.update(str(v.clientId, 'client_id'), v.clientMessage as { typeUrl: string; value: Uint8Array }, chain.time),
  }),
  [MSG.recvPacket]: (chain, signer, v) => ({ events: ibcOf(chain).recvPacket(packetFromMsg(v.packet), signer, heightFromMsg(v.proofHeight)).events }),
  [MSG.acknowledgement]: (chain, signer, v) => ({ events: ibcOf(chain).acknowledgePacket(packetFromMsg(v.packet), bytes(v.acknowledgement), signer, heightFromMsg(v.proofHeight)) }),
  [MSG.timeout]: (chain, signer, v) => ({ events: ibcOf(chain).timeoutPacket(packetFromMsg(v.packet), signer, heightFromMsg(v.proofHeight)) }),
  [MSG.timeoutOnClose]: (chain, signer, v) => ({ events: ibcOf(chain).timeoutOnClose(packetFromMsg(v.packet), signer, heightFromMsg(v.proofHeight)) }),
  [MSG.channelOpenInit]: (chain, _s, v) => {
    const ch = channelOf(v.channel);
    const r = ibcOf(chain).openInit(str(v.portId, 'port_id'), ch.connectionId, ch.counterpartyPortId, ch.version, ch.ordering);
    return { events: r.events, data: utf8Bytes(r.channelId) };
  },
  [MSG.channelOpenTry]: (chain, _s, v) => {
    const ch = channelOf(v.channel);
    const r = ibcOf(chain).openTry(str(v.portId, 'port_id'), ch.connectionId, ch.counterpartyPortId, str(ch.counterpartyChannelId, 'counterparty channel'), String(v.counterpartyVersion ?? ''), ch.ordering, heightFromMsg(v.proofHeight));
    return { events: r.events, data: utf8Bytes(r.channelId) };
  },
  [MSG.channelOpenAck]: (chain, _s, v) => ({
    events: ibcOf(chain).openAck(str(v.portId, 'port_id'), str(v.channelId, 'channel_id'), str(v.counterpartyChannelId, 'counterparty channel'), String(v.counterpartyVersion ?? ''), heightFromMsg(v.proofHeight)),
  }),
  [MSG.channelOpenConfirm]: (chain, _s, v) => ({ events: ibcOf(chain).openConfirm(str(v.portId, 'port_id'), str(v.channelId, 'channel_id'), heightFromMsg(v.proofHeight)) }),
  [MSG.channelCloseInit]: (chain, _s, v) => ({ events: ibcOf(chain).closeInit(str(v.portId, 'port_id'), str(v.channelId, 'channel_id')) }),
  [MSG.channelCloseConfirm]: (chain, _s, v) => ({ events: ibcOf(chain).closeConfirm(str(v.portId, 'port_id'), str(v.channelId, 'channel_id'), heightFromMsg(v.proofHeight)) }),
};

/** Messages' ValidateBasic checks (see Chain.msgValidators). */
const validators: Record<string, (v: Record<string, unknown>) => void> = {
  // ibc-go MsgUpdateClient.ValidateBasic unpacks the client message (clienttypes.UnpackClientMessage)
  [MSG.updateClient]: (v) => {
    if (!v.clientMessage) throw unpackAny('protobuf Any message cannot be nil');
    validateClientMessage(v.clientMessage as { typeUrl: string; value: Uint8Array });
  },
};

export function installStandardMsgs(chain: Chain): void {
  for (const [typeUrl, h] of Object.entries(handlers)) chain.msgHandlers.set(typeUrl, h);
  for (const [typeUrl, check] of Object.entries(validators)) chain.msgValidators.set(typeUrl, check);
}
