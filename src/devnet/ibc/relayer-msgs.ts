// The IBC messages a relayer sends, shaped like their cosmjs-types messages so they encode into
// real TxRaw bytes. Proofs are empty: the devnet's light clients read the counterparty directly.
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { TxMsg } from '../chain/chain.ts';
import type { Chain } from '../chain/chain.ts';
import { MSG } from '../chain/msgs.ts';
import { heightOf, revisionOf } from './commitment.ts';
import type { Ibc, Packet } from './ibc.ts';
import { TENDERMINT_HEADER } from './light-clients.ts';

/** ibc-go channel enums (cosmjs-types numbering). */
export const CHANNEL_STATE = { STATE_INIT: 1, STATE_TRYOPEN: 2, STATE_OPEN: 3, STATE_CLOSED: 4 } as const;
export const ORDER_UNORDERED = 1;

const empty = new Uint8Array();

/** MsgUpdateClient to the counterparty's latest header, trusting the client's consensus state at `trusted`. */
export function updateClient(signer: string, clientId: string, counterparty: Chain, trusted: bigint): TxMsg {
  const header = Header.fromPartial({
    signedHeader: { header: { chainId: counterparty.id, height: counterparty.height, time: { seconds: counterparty.time / 1_000_000_000n, nanos: Number(counterparty.time % 1_000_000_000n) } } },
    trustedHeight: { revisionNumber: revisionOf(counterparty.id), revisionHeight: trusted },
  });
  const clientMessage = Any.fromPartial({ typeUrl: TENDERMINT_HEADER, value: Header.encode(header).finish() });
  return { typeUrl: MSG.updateClient, value: { clientId, clientMessage, signer } };
}

/**
 * What a relayer puts before its packet messages on `chain`: an update of its client of `counterparty`
 * to the counterparty's latest header, trusting the client's latest consensus state; nothing when the
 * client already holds that height (Hermes skips the update then).
 */
export function clientUpdate(chain: Chain, signer: string, clientId: string, counterparty: Chain): TxMsg[] {
  const latest = chain.module<Ibc>('ibc').clients.latestHeight(clientId);
  if (latest !== undefined && latest >= counterparty.height) return [];
  return [updateClient(signer, clientId, counterparty, latest ?? 0n)];
}

export const recvPacket = (packet: Packet, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.recvPacket,
  value: { packet, proofCommitment: empty, proofHeight: heightOf(proofFrom), signer },
});

export const acknowledgement = (packet: Packet, ack: Uint8Array, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.acknowledgement,
  value: { packet, acknowledgement: ack, proofAcked: empty, proofHeight: heightOf(proofFrom), signer },
});

export const timeout = (packet: Packet, signer: string, proofFrom: Chain, nextSequenceRecv: bigint): TxMsg => ({
  typeUrl: MSG.timeout,
  value: { packet, proofUnreceived: empty, proofHeight: heightOf(proofFrom), nextSequenceRecv, signer },
});

/** For a packet whose destination channel end is closed (the timeout need not have passed). */
export const timeoutOnClose = (packet: Packet, signer: string, proofFrom: Chain, nextSequenceRecv: bigint): TxMsg => ({
  typeUrl: MSG.timeoutOnClose,
  value: { packet, proofUnreceived: empty, proofClose: empty, proofHeight: heightOf(proofFrom), nextSequenceRecv, signer },
});

export const channelOpenInit = (portId: string, connectionId: string, counterpartyPortId: string, version: string, signer: string): TxMsg => ({
  typeUrl: MSG.channelOpenInit,
  value: {
    portId,
    channel: { state: CHANNEL_STATE.STATE_INIT, ordering: ORDER_UNORDERED, counterparty: { portId: counterpartyPortId, channelId: '' }, connectionHops: [connectionId], version },
    signer,
  },
});

export const channelOpenTry = (portId: string, connectionId: string, counterpartyPortId: string, counterpartyChannelId: string, counterpartyVersion: string, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.channelOpenTry,
  value: {
    portId,
    previousChannelId: '',
    channel: { state: CHANNEL_STATE.STATE_TRYOPEN, ordering: ORDER_UNORDERED, counterparty: { portId: counterpartyPortId, channelId: counterpartyChannelId }, connectionHops: [connectionId], version: '' },
    counterpartyVersion,
    proofInit: empty,
    proofHeight: heightOf(proofFrom),
    signer,
  },
});

export const channelOpenAck = (portId: string, channelId: string, counterpartyChannelId: string, counterpartyVersion: string, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.channelOpenAck,
  value: { portId, channelId, counterpartyChannelId, counterpartyVersion, proofTry: empty, proofHeight: heightOf(proofFrom), signer },
});

export const channelOpenConfirm = (portId: string, channelId: string, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.channelOpenConfirm,
  value: { portId, channelId, proofAck: empty, proofHeight: heightOf(proofFrom), signer },
});

export const channelCloseInit = (portId: string, channelId: string, signer: string): TxMsg => ({ typeUrl: MSG.channelCloseInit, value: { portId, channelId, signer } });

export const channelCloseConfirm = (portId: string, channelId: string, signer: string, proofFrom: Chain): TxMsg => ({
  typeUrl: MSG.channelCloseConfirm,
  value: { portId, channelId, proofInit: empty, proofHeight: heightOf(proofFrom), signer },
});
