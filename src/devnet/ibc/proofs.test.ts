// What the devnet's light clients check in place of proofs: a packet received must be committed on its
// source, an acknowledgement must be the one the destination wrote, and each message must name the
// channel's counterparty, in ibc-go's order and with its registered errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chain } from '../chain/chain.ts';
import { ModuleError, nsPerSecond } from '../chain/types.ts';
import { ConsumerKit, PROVIDER_CHANNEL, PROVIDER_PORT, SUCCESS_ACK } from '../contracts/consumer.testkit.ts';
import { Workload } from '../workload/run.ts';
import { recvMsg, relayerTx } from '../workload/txs.ts';
import { ackWrittenBy, sentBy } from './counterparty.testkit.ts';
import { revisionOf } from './commitment.ts';
import { type Ibc, type Packet, portOf } from './ibc.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Go's %v of a 32-byte hash. */
const GO_HASH = String.raw`\[(?:\d{1,3} ){31}\d{1,3}\]`;

function fails(fn: () => unknown, codespace: string, code: number, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModuleError, String(e));
    assert.deepEqual([e.codespace, e.code], [codespace, code], e.message);
    assert.match(e.message, message);
    return true;
  });
}

/** A provider → converter packet on the kit's open channel. */
function providerPacket(k: ConsumerKit, sequence: bigint, over: Partial<Packet> = {}): Packet {
  return {
    sequence,
    sourcePort: PROVIDER_PORT,
    sourceChannel: PROVIDER_CHANNEL,
    destinationPort: portOf(k.converter),
    destinationChannel: k.channel,
    data: utf8('{"stake":{"delegator":"x","validator":"y","stake":{"denom":"stake","amount":"1"},"tx_id":1}}'),
    timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
    timeoutTimestamp: k.chain.time + 600n * nsPerSecond,
    ...over,
  };
}

const received = (k: ConsumerKit, p: Packet) => k.ibc.hasReceipt(p.destinationPort, p.destinationChannel, p.sequence);

describe('MsgRecvPacket: the source must have committed to the packet', () => {
  it('a packet the source never sent fails as an invalid proof and writes no receipt', () => {
    const k = new ConsumerKit();
    const p = providerPacket(k, 50n);
    fails(
      () => k.ibc.recvPacket(p, k.relayer),
      'commitment',
      2,
      /^receive packet verification failed: couldn't verify counterparty packet commitment: failed packet commitment verification for client \(07-tendermint-0\): the counterparty holds no commitment for packet sequence 50: invalid proof$/,
    );
    assert.equal(received(k, p), false);
  });

  it('a packet relayed with other data than the source committed fails; the committed one is received', () => {
    const k = new ConsumerKit();
    const p = sentBy(k.provider, providerPacket(k, 51n));
    fails(() => k.ibc.recvPacket({ ...p, data: utf8('{"forged":1}') }, k.relayer), 'commitment', 2, new RegExp(`: the counterparty committed ${GO_HASH}, not ${GO_HASH}: invalid proof$`));
    fails(() => k.ibc.recvPacket({ ...p, timeoutTimestamp: p.timeoutTimestamp + 1n }, k.relayer), 'commitment', 2, /invalid proof$/);
    assert.equal(received(k, p), false);
    const r = k.ibc.recvPacket(p, k.relayer);
    assert.ok(r.events.some((e) => e.type === 'recv_packet'));
    assert.equal(received(k, p), true);
  });

  it("a packet from another port or channel than the channel's counterparty is an invalid packet", () => {
    const k = new ConsumerKit();
    const p = sentBy(k.provider, providerPacket(k, 52n, { sourceChannel: 'channel-8' }));
    fails(() => k.ibc.recvPacket(p, k.relayer), 'channel', 13, /^receive packet verification failed: packet source channel doesn't match the counterparty's channel \(channel-8 ≠ channel-9\): invalid packet$/);
    const q = sentBy(k.provider, providerPacket(k, 53n, { sourcePort: 'wasm.other' }));
    fails(() => k.ibc.recvPacket(q, k.relayer), 'channel', 13, /packet source port doesn't match the counterparty's port \(wasm\.other ≠ wasm\.mesh1externalstaking\): invalid packet$/);
  });

  it('timeouts come before the proof: a passed timeout height or timestamp is a packet timeout (code 14)', () => {
    const k = new ConsumerKit();
    // chain id "consumer" has no revision suffix: revision 0
    const byHeight = sentBy(k.provider, providerPacket(k, 54n, { timeoutHeight: { revisionNumber: 0n, revisionHeight: 2n } }));
    fails(() => k.ibc.recvPacket(byHeight, k.relayer), 'channel', 14, new RegExp(`^receive packet verification failed: block height >= packet timeout height \\(0-${k.chain.height} >= 0-2\\): packet timeout$`));
    const byTime = providerPacket(k, 55n, { timeoutTimestamp: k.chain.time });
    fails(() => k.ibc.recvPacket(byTime, k.relayer), 'channel', 14, /^receive packet verification failed: block timestamp >= packet timeout timestamp \(\d+ >= \d+\): packet timeout$/);
    // a later revision's height is not reached yet
    const later = sentBy(k.provider, providerPacket(k, 56n, { timeoutHeight: { revisionNumber: 1n, revisionHeight: 2n } }));
    assert.ok(k.ibc.recvPacket(later, k.relayer).ack);
  });
});

describe('MsgAcknowledgement: the ack must be the one the destination wrote', () => {
  /** A kit whose converter has sent its first packet (the valset), not yet acknowledged. */
  function sent(): { k: ConsumerKit; p: Packet } {
    const k = new ConsumerKit({ open: false });
    k.openChannel();
    const [first] = k.pending();
    assert.ok(first);
    return { k, p: first.packet };
  }
  const ack = (k: ConsumerKit, p: Packet, bytes: Uint8Array) => k.chain.journal.atomic(() => k.ibc.acknowledgePacket(p, bytes, k.relayer));

  it('an ack the destination never wrote, or another one, fails as an invalid proof and keeps the commitment', () => {
    const { k, p } = sent();
    fails(
      () => ack(k, p, utf8(SUCCESS_ACK)),
      'commitment',
      2,
      /^acknowledge packet verification failed: failed packet acknowledgement verification for client \(07-tendermint-0\): the counterparty wrote no acknowledgement for packet sequence 1: invalid proof$/,
    );
    ackWrittenBy(k.provider, p, utf8('{"error":"nope"}'));
    fails(() => ack(k, p, utf8(SUCCESS_ACK)), 'commitment', 2, /: the counterparty wrote another acknowledgement: invalid proof$/);
    assert.equal(k.pending().length, 1);
  });

  it('a packet that is not the one committed is an invalid packet; the right one is acknowledged once, then a NOOP', () => {
    const { k, p } = sent();
    ackWrittenBy(k.provider, p, utf8(SUCCESS_ACK));
    fails(() => ack(k, { ...p, data: utf8('{}') }, utf8(SUCCESS_ACK)), 'channel', 13, new RegExp(`^acknowledge packet verification failed: commitment bytes are not equal: got \\(${GO_HASH}\\), expected \\(${GO_HASH}\\): invalid packet$`));
    fails(() => ack(k, { ...p, destinationPort: 'wasm.other' }, utf8(SUCCESS_ACK)), 'channel', 13, /packet destination port doesn't match the counterparty's port \(wasm\.other ≠ wasm\.mesh1externalstaking\): invalid packet$/);
    assert.ok(ack(k, p, utf8(SUCCESS_ACK)).some((e) => e.type === 'acknowledge_packet'));
    assert.equal(k.pending().length, 0);
    assert.deepEqual(ack(k, p, utf8(SUCCESS_ACK)), []);
  });

  it('a closed channel takes no acknowledgements (channel state, code 5)', () => {
    const { k, p } = sent();
    ackWrittenBy(k.provider, p, utf8(SUCCESS_ACK));
    k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
    fails(() => ack(k, p, utf8(SUCCESS_ACK)), 'channel', 5, /^acknowledge packet verification failed: channel state is not OPEN \(got STATE_CLOSED\): invalid channel state$/);
  });
});

describe('MsgTimeout: ibc-go v7/v8 order', () => {
  it('not yet timed out (14), then NOOP without a commitment, then a closed channel (5)', () => {
    const k = new ConsumerKit({ open: false });
    k.openChannel();
    const p = k.pending()[0]!.packet;
    const timeout = (q: Packet) => k.chain.journal.atomic(() => k.ibc.timeoutPacket(q, k.relayer));
    fails(() => timeout(p), 'channel', 14, /^timeout packet verification failed: packet timeout has not been reached for height or timestamp: packet timeout$/);
    k.provider.produceBlock(p.timeoutTimestamp + 1n);
    assert.deepEqual(timeout({ ...p, sequence: 77n }), [], 'no commitment: NOOP before the channel state is read');
    k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
    fails(() => timeout(p), 'channel', 5, /^timeout packet verification failed: channel state is not OPEN \(got STATE_CLOSED\): invalid channel state$/);
  });

  it('a packet that is not the one committed is an invalid packet', () => {
    const k = new ConsumerKit({ open: false });
    k.openChannel();
    const p = k.pending()[0]!.packet;
    k.provider.produceBlock(p.timeoutTimestamp + 1n);
    fails(
      () => k.chain.journal.atomic(() => k.ibc.timeoutPacket({ ...p, data: utf8('{}') }, k.relayer)),
      'channel',
      13,
      new RegExp(`^timeout packet verification failed: packet commitment bytes are not equal: got \\(${GO_HASH}\\), expected \\(${GO_HASH}\\): invalid packet$`),
    );
  });
});

describe('IBC revision numbers (ibc-go ParseChainID)', () => {
  it('the number after the last dash, when it has no leading zero; else 0', () => {
    assert.deepEqual(['osmo-devnet-1', 'juno-12', 'testing', 'chain-0', 'chain-01', 'a--1', 'consumer'].map(revisionOf), [1n, 12n, 0n, 0n, 0n, 0n, 0n]);
  });
});

describe('MsgRecvPacket in a relayer tx', () => {
  it("a forged packet fails the tx with the proof's error and changes nothing", () => {
    const w = new Workload({ seed: 8, invariants: false, drain: false });
    w.runFast(40);
    const [src, dest] = w.chains as [Chain, Chain];
    const ch = dest.module<Ibc>('ibc').allChannels().find((c) => c.state === 'STATE_OPEN' && c.counterpartyPortId.startsWith('wasm.'))!;
    const forged: Packet = {
      sequence: 1_000_000n,
      sourcePort: ch.counterpartyPortId,
      sourceChannel: ch.counterpartyChannelId,
      destinationPort: ch.portId,
      destinationChannel: ch.channelId,
      data: utf8('{}'),
      timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
      timeoutTimestamp: dest.time + 600n * nsPerSecond,
    };
    const world = w.devnet.world;
    const r = world.block(dest, [relayerTx(dest, world.relayerName, world.clientIdOn(dest, src), [recvMsg(forged)])]).txResults[0]!;
    assert.deepEqual([r.code, r.codespace], [2, 'commitment']);
    assert.match(r.log, /^failed to execute message; message index: 1: receive packet verification failed: couldn't verify counterparty packet commitment: failed packet commitment verification for client \(07-tendermint-\d+\): the counterparty holds no commitment for packet sequence 1000000: invalid proof$/);
    assert.equal(dest.module<Ibc>('ibc').hasReceipt(ch.portId, ch.channelId, forged.sequence), false);
  });
});
