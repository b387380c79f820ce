// What the devnet's light clients check in place of proofs: a packet received must be committed on its
// source, an acknowledgement must be the one the destination wrote, a timeout needs no receipt there
// (and, on close, the destination's end closed), and each message must name the channel's
// counterparty. In ibc-go v7/v8's order and with its registered errors: each ordering test makes two
// checks fail at once and expects the one ibc-go runs first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chain, TxMsg } from '../chain/chain.ts';
import { MSG } from '../chain/msgs.ts';
import { ModuleError, nsPerSecond } from '../chain/types.ts';
import { ConsumerKit, PROVIDER_CHANNEL, PROVIDER_PORT, SUCCESS_ACK } from '../contracts/consumer.testkit.ts';
import { runScenario, parseScenario } from '../scenario/runner.ts';
import { Workload } from '../workload/run.ts';
import type { World } from '../world.ts';
import { relayerTx } from '../workload/txs.ts';
import { revisionOf } from './commitment.ts';
import { ackWrittenBy, counterpartyEnd, packetInto, receivedBy, sentBy } from './counterparty.testkit.ts';
import { type Ibc, type Packet, portOf, sentKey } from './ibc.ts';
import { channelCloseConfirm, channelOpenTry, recvPacket } from './relayer-msgs.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Go's %v of a 32-byte hash. */
const GO_HASH = String.raw`\[(?:\d{1,3} ){31}\d{1,3}\]`;
/** Go's time.Time String() of a whole second in UTC, written independently of the code under test. */
const goSecond = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString().replace('T', ' ').replace('.000Z', ' +0000 UTC');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

describe('a message naming a channel this chain never created', () => {
  it('fails first at the capability lookup (capability 7), packet or handshake', () => {
    const k = new ConsumerKit();
    const port = portOf(k.converter);
    const notFound = /^could not retrieve module from port-id: capabilities\/ports\/wasm\.[a-z0-9]+\/channels\/channel-99: capability not found$/;
    const p = { ...providerPacket(k, 1n), destinationChannel: 'channel-99' };
    fails(() => k.ibc.recvPacket(p, k.relayer), 'capability', 7, notFound);
    const back = { ...p, sourcePort: port, sourceChannel: 'channel-99', destinationPort: p.sourcePort, destinationChannel: p.sourceChannel };
    fails(() => k.ibc.acknowledgePacket(back, utf8(SUCCESS_ACK), k.relayer), 'capability', 7, notFound);
    fails(() => k.ibc.timeoutPacket(back, k.relayer), 'capability', 7, notFound);
    fails(() => k.ibc.openAck(port, 'channel-99', 'channel-1', 'v'), 'capability', 7, notFound);
    fails(() => k.ibc.closeInit(port, 'channel-99'), 'capability', 7, notFound);
  });
});

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

  it('a packet relayed with other data or timeouts than the source committed fails; the committed one is received', () => {
    const k = new ConsumerKit();
    const p = sentBy(k.provider, providerPacket(k, 51n));
    fails(() => k.ibc.recvPacket({ ...p, data: utf8('{"forged":1}') }, k.relayer), 'commitment', 2, new RegExp(`: the counterparty committed ${GO_HASH}, not ${GO_HASH}: invalid proof$`));
    fails(() => k.ibc.recvPacket({ ...p, timeoutTimestamp: p.timeoutTimestamp + 1n }, k.relayer), 'commitment', 2, /invalid proof$/);
    assert.equal(received(k, p), false);
    const r = k.ibc.recvPacket(p, k.relayer);
    assert.ok(r.events.some((e) => e.type === 'recv_packet'));
    assert.equal(received(k, p), true);
  });

  it("the channel's counterparty is checked before the proof: another port or channel is an invalid packet", () => {
    const k = new ConsumerKit();
    // never committed either: the port and channel checks must come first
    fails(
      () => k.ibc.recvPacket(providerPacket(k, 52n, { sourceChannel: 'channel-8' }), k.relayer),
      'channel',
      13,
      /^receive packet verification failed: packet source channel doesn't match the counterparty's channel \(channel-8 ≠ channel-9\): invalid packet$/,
    );
    fails(() => k.ibc.recvPacket(providerPacket(k, 53n, { sourcePort: 'wasm.other' }), k.relayer), 'channel', 13, /packet source port doesn't match the counterparty's port \(wasm\.other ≠ wasm\.mesh1externalstaking\): invalid packet$/);
  });

  it('timeouts are checked before the proof: a passed height or timestamp is a packet timeout (14)', () => {
    const k = new ConsumerKit();
    // chain id "consumer" has no revision suffix: revision 0; neither packet was committed
    fails(
      () => k.ibc.recvPacket(providerPacket(k, 54n, { timeoutHeight: { revisionNumber: 0n, revisionHeight: 2n } }), k.relayer),
      'channel',
      14,
      new RegExp(`^receive packet verification failed: block height >= packet timeout height \\(0-${k.chain.height} >= 0-2\\): packet timeout$`),
    );
    const now = goSecond(k.chain.time);
    fails(() => k.ibc.recvPacket(providerPacket(k, 55n, { timeoutTimestamp: k.chain.time }), k.relayer), 'channel', 14, new RegExp(`^receive packet verification failed: block timestamp >= packet timeout timestamp \\(${escape(now)} >= ${escape(now)}\\): packet timeout$`));
    // a later revision's height is not reached yet; a zero height with a revision is a real timeout height
    assert.ok(k.ibc.recvPacket(sentBy(k.provider, providerPacket(k, 56n, { timeoutHeight: { revisionNumber: 1n, revisionHeight: 2n } })), k.relayer).ack);
    fails(() => k.ibc.recvPacket(providerPacket(k, 57n, { timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n }, timeoutTimestamp: k.chain.time }), k.relayer), 'channel', 14, /timestamp/);
    assert.ok(k.ibc.recvPacket(sentBy(k.provider, providerPacket(k, 58n, { timeoutHeight: { revisionNumber: 1n, revisionHeight: 0n } })), k.relayer).ack);
  });

  it('the receipt is read last: a received packet relayed again is a NOOP only if every check before passes', () => {
    const k = new ConsumerKit();
    const p = sentBy(k.provider, providerPacket(k, 59n));
    k.ibc.recvPacket(p, k.relayer);
    assert.deepEqual(k.ibc.recvPacket(p, k.relayer).events, []);
    fails(() => k.ibc.recvPacket({ ...p, sourceChannel: 'channel-8' }, k.relayer), 'channel', 13, /invalid packet$/);
    // once the source no longer holds the commitment (acknowledged there), the proof fails first
    k.provider.module<Ibc>('ibc').commitments.delete(sentKey(p));
    fails(() => k.ibc.recvPacket(p, k.relayer), 'commitment', 2, /holds no commitment for packet sequence 59: invalid proof$/);
  });
});

/** A kit whose converter has sent its first packet (the valset), not yet acknowledged. */
function sent(): { k: ConsumerKit; p: Packet } {
  const k = new ConsumerKit({ open: false });
  k.openChannel();
  const [first] = k.pending();
  assert.ok(first);
  return { k, p: first.packet };
}

describe('MsgAcknowledgement: the ack must be the one the destination wrote', () => {
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

  it('before the proof: the destination port, then the commitment; the right ack is taken once, then a NOOP', () => {
    const { k, p } = sent();
    // no ack written yet: these must fail on their own checks, not on the proof
    fails(() => ack(k, { ...p, destinationPort: 'wasm.other' }, utf8(SUCCESS_ACK)), 'channel', 13, /^acknowledge packet verification failed: packet destination port doesn't match the counterparty's port \(wasm\.other ≠ wasm\.mesh1externalstaking\): invalid packet$/);
    fails(() => ack(k, { ...p, data: utf8('{}') }, utf8(SUCCESS_ACK)), 'channel', 13, new RegExp(`^acknowledge packet verification failed: commitment bytes are not equal: got \\(${GO_HASH}\\), expected \\(${GO_HASH}\\): invalid packet$`));
    assert.deepEqual(ack(k, { ...p, sequence: 99n }, utf8(SUCCESS_ACK)), [], 'no commitment: a NOOP before the proof');
    ackWrittenBy(k.provider, p, utf8(SUCCESS_ACK));
    assert.ok(ack(k, p, utf8(SUCCESS_ACK)).some((e) => e.type === 'acknowledge_packet'));
    assert.equal(k.pending().length, 0);
    assert.deepEqual(ack(k, p, utf8(SUCCESS_ACK)), []);
  });

  it('a closed channel takes no acknowledgements (channel state, code 5), even for a packet it no longer holds', () => {
    const { k, p } = sent();
    ackWrittenBy(k.provider, p, utf8(SUCCESS_ACK));
    k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
    fails(() => ack(k, p, utf8(SUCCESS_ACK)), 'channel', 5, /^acknowledge packet verification failed: channel state is not OPEN \(got STATE_CLOSED\): invalid channel state$/);
    fails(() => ack(k, { ...p, sequence: 99n }, utf8(SUCCESS_ACK)), 'channel', 5, /invalid channel state$/);
  });
});

describe('MsgTimeout: ibc-go v7/v8 order', () => {
  const timeout = (k: ConsumerKit, q: Packet) => k.chain.journal.atomic(() => k.ibc.timeoutPacket(q, k.relayer));

  it('not yet timed out (14) before anything about the commitment', () => {
    const { k, p } = sent();
    fails(() => timeout(k, { ...p, data: utf8('{}') }), 'channel', 14, /^timeout packet verification failed: packet timeout has not been reached for height or timestamp: packet timeout$/);
  });

  it('on a closed channel: no commitment is still a NOOP, a forged packet fails on the state first (5)', () => {
    const { k, p } = sent();
    k.provider.produceBlock(p.timeoutTimestamp + 1n);
    k.chain.journal.atomic(() => k.ibc.closeInit(portOf(k.converter), k.channel));
    assert.deepEqual(timeout(k, { ...p, sequence: 77n }), [], 'no commitment: a NOOP before the channel state is read');
    fails(() => timeout(k, { ...p, data: utf8('{}') }), 'channel', 5, /^timeout packet verification failed: channel state is not OPEN \(got STATE_CLOSED\): invalid channel state$/);
    fails(() => timeout(k, p), 'channel', 5, /invalid channel state$/);
  });

  it('a packet that is not the one committed is an invalid packet, before the receipt is read', () => {
    const { k, p } = sent();
    k.provider.produceBlock(p.timeoutTimestamp + 1n);
    receivedBy(k.provider, p);
    fails(() => timeout(k, { ...p, data: utf8('{}') }), 'channel', 13, new RegExp(`^timeout packet verification failed: packet commitment bytes are not equal: got \\(${GO_HASH}\\), expected \\(${GO_HASH}\\): invalid packet$`));
  });

  it('a packet the destination received cannot time out (receipt absence fails as an invalid proof)', () => {
    const { k, p } = sent();
    k.provider.produceBlock(p.timeoutTimestamp + 1n);
    receivedBy(k.provider, p);
    fails(() => timeout(k, p), 'commitment', 2, /^timeout packet verification failed: failed packet receipt absence verification for client \(07-tendermint-0\): the counterparty holds a receipt for packet sequence 1: invalid proof$/);
    assert.equal(k.pending().length, 1);
  });
});

describe('MsgTimeoutOnClose: the destination end is closed, timeout reached or not', () => {
  const onClose = (k: ConsumerKit, q: Packet) => k.chain.journal.atomic(() => k.ibc.timeoutOnClose(q, k.relayer));
  const ours = (k: ConsumerKit) => k.ibc.channel(portOf(k.converter), k.channel);

  it("fails while the destination's end is open or missing; once it is closed the packet times out before its timeout", () => {
    const { k, p } = sent();
    fails(() => onClose(k, p), 'commitment', 2, /^timeout on close packet verification failed: failed channel state verification for client \(07-tendermint-0\): the counterparty's channel end is missing, not STATE_CLOSED: invalid proof$/);
    counterpartyEnd(k.provider, ours(k), 'STATE_OPEN');
    fails(() => onClose(k, p), 'commitment', 2, /channel end is STATE_OPEN, not STATE_CLOSED: invalid proof$/);
    counterpartyEnd(k.provider, ours(k), 'STATE_CLOSED');
    assert.ok(k.chain.time < p.timeoutTimestamp);
    const events = onClose(k, p);
    assert.ok(events.some((e) => e.type === 'timeout_packet'));
    // the converter re-sends its valset on a timeout (its own end is still open)
    assert.deepEqual(
      k.pending().map((x) => x.packet.sequence),
      [2n],
    );
    assert.deepEqual(onClose(k, p), [], 'a second one is a NOOP');
  });

  it('the commitment before the closed end, the receipt after it', () => {
    const { k, p } = sent();
    fails(() => onClose(k, { ...p, data: utf8('{}') }), 'channel', 13, /^timeout on close packet verification failed: packet commitment bytes are not equal/);
    counterpartyEnd(k.provider, ours(k), 'STATE_CLOSED');
    receivedBy(k.provider, p);
    fails(() => onClose(k, p), 'commitment', 2, /failed packet receipt absence verification for client \(07-tendermint-0\): the counterparty holds a receipt for packet sequence 1: invalid proof$/);
  });
});

describe('proof heights in messages (the client must hold them)', () => {
  it("ack, timeout, timeout-on-close, open-try and close-confirm messages check their proof height against the packet's client", () => {
    // the kit's clients were made before any counterparty block: at height 0, behind every proof
    const { k, p } = sent();
    const h = { revisionNumber: 0n, revisionHeight: k.provider.height };
    const behind = `client state height < proof height ({0 0} < {0 ${k.provider.height}}), please ensure the client has been updated: invalid height`;
    const signer = k.relayer;
    const none = new Uint8Array();
    const cases: Array<[string, TxMsg, number, string, string]> = [
      ['ack', { typeUrl: MSG.acknowledgement, value: { packet: p, acknowledgement: utf8(SUCCESS_ACK), proofAcked: none, proofHeight: h, signer } }, 9, 'ibc', `acknowledge packet verification failed: failed packet acknowledgement verification for client (07-tendermint-0): ${behind}`],
      // MsgTimeout reads the counterparty's time at the proof height before anything is proven
      ['timeout', { typeUrl: MSG.timeout, value: { packet: p, proofUnreceived: none, proofHeight: h, nextSequenceRecv: p.sequence, signer } }, 7, 'client', `timeout packet verification failed: height (0-${k.provider.height}): consensus state not found`],
      ['timeout on close', { typeUrl: MSG.timeoutOnClose, value: { packet: p, proofUnreceived: none, proofClose: none, proofHeight: h, nextSequenceRecv: p.sequence, signer } }, 9, 'ibc', `timeout on close packet verification failed: failed channel state verification for client (07-tendermint-0): ${behind}`],
      ['open try', channelOpenTry(portOf(k.converter), 'connection-0', PROVIDER_PORT, PROVIDER_CHANNEL, 'v', signer, k.provider), 9, 'ibc', `channel handshake open try failed: failed channel state verification for client (07-tendermint-0): ${behind}`],
      ['close confirm', channelCloseConfirm(portOf(k.converter), k.channel, signer, k.provider), 9, 'ibc', `channel handshake close confirm failed: failed channel state verification for client (07-tendermint-0): ${behind}`],
    ];
    for (const [what, msg, code, codespace, log] of cases) {
      const r = k.block([{ signer, msgs: [msg] }]).txResults[0]!;
      assert.deepEqual([r.code, r.codespace, r.log], [code, codespace, `failed to execute message; message index: 0: ${log}`], what);
    }
    assert.equal(k.pending().length, 1, 'the packet is still pending');
    assert.equal(k.ibc.channel(portOf(k.converter), k.channel).state, 'STATE_OPEN');
  });
});

describe('IBC revision numbers (ibc-go ParseChainID)', () => {
  it('the number after the last dash, when it has no leading zero; else 0', () => {
    assert.deepEqual(['osmo-devnet-1', 'juno-12', 'testing', 'chain-0', 'chain-01', 'a--1', 'consumer'].map(revisionOf), [1n, 12n, 0n, 0n, 0n, 0n, 0n]);
  });
});

/** A seed-8 workload after 40 rounds, and a packet from the chain produced last that the other has not received. */
function unreceived(): { dest: Chain; src: Chain; world: World; destIbc: Ibc; pending: Packet } {
  const w = new Workload({ seed: 8, invariants: false, drain: false });
  w.runFast(40);
  const [dest, src] = w.chains as [Chain, Chain];
  const destIbc = dest.module<Ibc>('ibc');
  const pending = src.module<Ibc>('ibc').pendingCommitments().find((p) => !destIbc.hasReceipt(p.destinationPort, p.destinationChannel, p.sequence));
  assert.ok(pending, 'a packet from src that dest has not received');
  return { dest, src, world: w.devnet.world, destIbc, pending };
}

describe('in relayer txs', () => {
  it("a forged MsgRecvPacket fails the tx with the proof's error and changes nothing", () => {
    const w = new Workload({ seed: 8, invariants: false, drain: false });
    w.runFast(40);
    const [src, dest] = w.chains as [Chain, Chain];
    const ch = dest.module<Ibc>('ibc').allChannels().find((c) => c.state === 'STATE_OPEN' && c.counterpartyPortId.startsWith('wasm.'))!;
    const forged = packetInto(ch, 1_000_000n, utf8('{}'), dest.time + 600n * nsPerSecond);
    const world = w.devnet.world;
    const clientId = dest.module<Ibc>('ibc').clientOfEnd(ch.portId, ch.channelId);
    world.block(src); // a header dest's client does not have yet: the tx updates it first
    const r = world.block(dest, [relayerTx(dest, world.relayerName, clientId, src, (signer) => [recvPacket(forged, signer, src)])]).txResults[0]!;
    assert.deepEqual([r.code, r.codespace], [2, 'commitment']);
    assert.match(r.log, /^failed to execute message; message index: 1: receive packet verification failed: couldn't verify counterparty packet commitment: failed packet commitment verification for client \(07-tendermint-\d+\): the counterparty holds no commitment for packet sequence 1000000: invalid proof$/);
    assert.ok(r.log.includes(`(${clientId})`), r.log);
    assert.equal(dest.module<Ibc>('ibc').hasReceipt(ch.portId, ch.channelId, forged.sequence), false);
  });

  it("a proof height the packet's client has not been updated to, or does not hold, fails as 07-tendermint's verifyMembership does", () => {
    const { dest, src, world, destIbc, pending } = unreceived();
    const clientId = destIbc.clientOfEnd(pending.destinationPort, pending.destinationChannel);
    const latest = destIbc.clients.latestHeight(clientId)!;
    const signer = dest.addr(world.relayerName);
    const rev = revisionOf(src.id);
    const prefix = `failed to execute message; message index: 0: receive packet verification failed: couldn't verify counterparty packet commitment: failed packet commitment verification for client (${clientId}): `;
    // no update first: the proof names src's latest height, above the client's
    world.block(src);
    const behind = world.block(dest, [{ signer, msgs: [recvPacket(pending, signer, src)] }]).txResults[0]!;
    assert.deepEqual([behind.code, behind.codespace, behind.log], [9, 'ibc', `${prefix}client state height < proof height ({${rev} ${latest}} < {${rev} ${src.height}}), please ensure the client has been updated: invalid height`]);
    // a height below the latest that the client skipped
    const skipped = { ...recvPacket(pending, signer, src) };
    skipped.value = { ...skipped.value, proofHeight: { revisionNumber: rev, revisionHeight: latest - 1n } };
    assert.equal(destIbc.clients.hasConsensusState(clientId, latest - 1n), false);
    const unheld = world.block(dest, [{ signer, msgs: [skipped] }]).txResults[0]!;
    assert.deepEqual([unheld.code, unheld.codespace, unheld.log], [7, 'client', `${prefix}please ensure the proof was constructed against a height that exists on the client: consensus state not found`]);
    assert.equal(destIbc.hasReceipt(pending.destinationPort, pending.destinationChannel, pending.sequence), false);
  });

  it('a MsgUpdateClient without a client message fails its ValidateBasic (ibc 14): before the ante handler, no events, no gas, no fee', () => {
    const { dest, src, world, destIbc, pending } = unreceived();
    const signer = dest.addr(world.relayerName);
    const bare = { typeUrl: MSG.updateClient, value: { clientId: destIbc.clientOfEnd(pending.destinationPort, pending.destinationChannel), signer } };
    const before = dest.bank.balance(signer, dest.params.bondDenom);
    const r = world.block(dest, [{ signer, msgs: [bare, recvPacket(pending, signer, src)] }]).txResults[0]!;
    assert.deepEqual([r.code, r.codespace, r.log], [14, 'ibc', 'protobuf Any message cannot be nil: failed unpacking protobuf message from Any']);
    assert.deepEqual([r.events, r.gasWanted, r.gasUsed], [[], 0n, 0n]);
    assert.equal(dest.bank.balance(signer, dest.params.bondDenom), before, 'no fee taken');
    assert.equal(destIbc.hasReceipt(pending.destinationPort, pending.destinationChannel, pending.sequence), false);
  });

  it('a stake in flight when the consumer closes the channel is timed out with MsgTimeoutOnClose', () => {
    // The converter closes its end; external staking refuses CloseConfirm (spec §2.1), so the provider's
    // end stays open and MsgTimeout would wait for the timeout: the closed destination end settles it now.
    const chains = {
      provider: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val0', stake: 1000000 }], accounts: { alice: 1000000000 } },
      consumer: { prefix: 'mesh', denom: 'stake', validators: [{ name: 'val1', stake: 1000000 }], consumer: { epoch_length: 10 } },
    };
    const run = runScenario(
      parseScenario({
        name: 'close with a packet in flight',
        chains,
        pairings: { main: { provider: 'provider', consumer: 'consumer' } },
        steps: [{ bond: { user: 'alice', amount: 100000000 } }, { stake_remote: { user: 'alice', validator: 'val1', amount: 50000000 } }, { close_channel: { pairing: 'main', side: 'consumer' } }, { timeout: { pairing: 'main' } }],
      }),
    );
    assert.deepEqual(
      run.results.map((r) => [r.ok, r.message]),
      run.results.map((r) => [true, r.message]),
    );
    const provider = [...run.devnet.world.chains.values()].find((c) => c.id === 'provider')!;
    const last = provider.blocks.at(-1)!;
    assert.deepEqual(
      last.txs.flatMap((t) => t.msgs.map((m) => m.typeUrl)),
      ['/ibc.core.client.v1.MsgUpdateClient', '/ibc.core.channel.v1.MsgTimeoutOnClose'],
    );
    assert.equal(last.txResults[0]!.code, 0, last.txResults[0]!.log);
    assert.ok(last.txResults[0]!.events.some((e) => e.type === 'timeout_packet'));
    assert.equal(provider.module<Ibc>('ibc').pendingCommitments().length, 0);
  });
});
