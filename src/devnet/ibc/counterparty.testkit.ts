// For contract test kits whose IBC counterparty is a bare chain: writes what its IBC module would hold
// had it sent a packet or acknowledged one, since the devnet's light clients read the counterparty's
// store in place of proofs (ibc.ts) and refuse packets and acks it never committed to.
import type { Chain } from '../chain/chain.ts';
import { key } from '../state/journal.ts';
import { type ChannelEnd, type Ibc, type Packet, receivedKey, sentKey } from './ibc.ts';

/** The counterparty's commitment to `p`, as its SendPacket writes it. Returns `p`. */
export function sentBy(counterparty: Chain, p: Packet): Packet {
  counterparty.module<Ibc>('ibc').commitments.set(sentKey(p), p);
  return p;
}

/** The counterparty's acknowledgement of `p`, as its WriteAcknowledgement stores it. */
export function ackWrittenBy(counterparty: Chain, p: Packet, ack: Uint8Array): void {
  counterparty.module<Ibc>('ibc').acks.set(receivedKey(p), ack);
}

/** The counterparty's receipt of `p`, as its RecvPacket writes it. */
export function receivedBy(counterparty: Chain, p: Packet): void {
  counterparty.module<Ibc>('ibc').receipts.set(receivedKey(p), p.timeoutTimestamp);
}

/** The counterparty's channel end facing `ours`, in `state`. */
export function counterpartyEnd(counterparty: Chain, ours: ChannelEnd, state: ChannelEnd['state']): void {
  const end: ChannelEnd = {
    ...ours,
    portId: ours.counterpartyPortId,
    channelId: ours.counterpartyChannelId,
    counterpartyPortId: ours.portId,
    counterpartyChannelId: ours.channelId,
    state,
  };
  counterparty.module<Ibc>('ibc').channels.set(key(end.portId, end.channelId), end);
}

/** A packet into `ours` (a channel end on the receiving chain) from its counterparty; no timeout height. */
export function packetInto(ours: ChannelEnd, sequence: bigint, data: Uint8Array, timeoutTimestamp: bigint): Packet {
  return {
    sequence,
    sourcePort: ours.counterpartyPortId,
    sourceChannel: ours.counterpartyChannelId,
    destinationPort: ours.portId,
    destinationChannel: ours.channelId,
    data,
    timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
    timeoutTimestamp,
  };
}
