// The devnet's light clients: MsgUpdateClient's checks and errors in ibc-go's order (Header
// ValidateBasic, 02-client UpdateClient, 07-tendermint verifyHeader), UpdateState's no-op for a height
// already held, the pruning of the earliest expired consensus state, the height checks of a proof, and
// the relayers' update (clientUpdate).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { ModuleError } from '../chain/types.ts';
import { Journal } from '../state/journal.ts';
import { Workload } from '../workload/run.ts';
import type { Ibc } from './ibc.ts';
import { LightClients, TENDERMINT_HEADER, validateClientMessage } from './light-clients.ts';
import { clientUpdate } from './relayer-msgs.ts';

const S = 1_000_000_000n;
const GENESIS = 1_700_000_000n * S;
/** 30 s unbonding: a 20 s trusting period. */
const UNBONDING_SEC = 30n;

function header(h: bigint, trusted: bigint, opts: { chainId?: string; trustedRevision?: bigint; time?: bigint } = {}) {
  const time = opts.time ?? GENESIS + h * S;
  const value = Header.encode(
    Header.fromPartial({
      signedHeader: { header: { chainId: opts.chainId ?? 'prov-1', height: h, time: { seconds: time / S, nanos: Number(time % S) } } },
      trustedHeight: { revisionNumber: opts.trustedRevision ?? 1n, revisionHeight: trusted },
    }),
  ).finish();
  return { typeUrl: TENDERMINT_HEADER, value };
}

function setup() {
  const j = new Journal();
  const c = new LightClients(j);
  c.create('07-tendermint-0', 'prov-1', { height: 5n, time: GENESIS + 5n * S }, UNBONDING_SEC);
  return { j, c };
}

function fails(fn: () => unknown, codespace: string, code: number, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModuleError, String(e));
    assert.deepEqual([e.codespace, e.code, e.message], [codespace, code, message]);
    return true;
  });
}

const attrs = (events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>): Array<[string, Record<string, string>]> =>
  events.map((e) => [e.type, Object.fromEntries(e.attributes.map((a) => [a.key, a.value]))]);

describe('light clients (MsgUpdateClient)', () => {
  it('a header above the trusted height is stored, moves the latest height, and is told in update_client', () => {
    const { c } = setup();
    const msg = header(9n, 5n);
    const events = c.update('07-tendermint-0', msg, GENESIS + 10n * S);
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
    assert.equal(c.hasConsensusState('07-tendermint-0', 9n), true);
    assert.deepEqual(attrs(events), [
      ['update_client', { client_id: '07-tendermint-0', client_type: '07-tendermint', consensus_height: '1-9', consensus_heights: '1-9', header: Buffer.from(Any.encode(msg).finish()).toString('hex') }],
      ['message', { module: 'ibc_client' }],
    ]);
  });

  it('ValidateBasic (before any state): a signed header, a header, and a trusted height below the header (revision first)', () => {
    const bare = (h: Header) => ({ typeUrl: TENDERMINT_HEADER, value: Header.encode(h).finish() });
    fails(() => validateClientMessage(bare(Header.fromPartial({}))), 'client', 12, 'tendermint signed header cannot be nil: invalid client header');
    fails(() => validateClientMessage(bare(Header.fromPartial({ signedHeader: { header: undefined } }))), 'client', 12, 'tendermint header cannot be nil: invalid client header');
    fails(() => validateClientMessage(header(5n, 5n)), '07-tendermint', 5, 'TrustedHeight {1 5} must be less than header height {1 5}: invalid header height');
    fails(() => validateClientMessage(header(3n, 5n, { chainId: 'prov-1', trustedRevision: 2n })), '07-tendermint', 5, 'TrustedHeight {2 5} must be less than header height {1 3}: invalid header height');
    validateClientMessage(header(3n, 5n, { chainId: 'prov-2' }));
    validateClientMessage({ typeUrl: '/ibc.lightclients.tendermint.v1.Misbehaviour', value: new Uint8Array() });
  });

  it("refuses, in ibc-go's order: an unknown client, another message type, a trusted height the client does not hold, then another revision", () => {
    const { c } = setup();
    const now = GENESIS + 10n * S;
    fails(() => c.update('07-tendermint-7', header(9n, 5n), now), 'client', 4, 'cannot update client with ID 07-tendermint-7: light client not found');
    fails(() => c.update('07-tendermint-0', { typeUrl: '/ibc.lightclients.tendermint.v1.Misbehaviour', value: new Uint8Array() }, now), 'client', 10, 'invalid client type');
    // the trusted height is checked before the header's revision
    fails(() => c.update('07-tendermint-0', header(3n, 4n, { chainId: 'prov-2' }), now), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 1-4: consensus state not found');
    fails(() => c.update('07-tendermint-0', header(9n, 5n, { chainId: 'prov-2', trustedRevision: 2n }), now), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 2-5: consensus state not found');
    fails(() => c.update('07-tendermint-0', header(3n, 5n, { chainId: 'prov-2' }), now), '07-tendermint', 5, 'header height revision 2 does not match trusted header revision 1: invalid header height');
    assert.equal(c.latestHeight('07-tendermint-0'), 5n);
  });

  it('the same header again is a no-op that still emits update_client; a height below the latest is filled in', () => {
    const { c } = setup();
    c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
    // a second relayer tx in the same block, built before the first was delivered: the same header
    const again = c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
    assert.equal(attrs(again)[0]![1].consensus_height, '1-9');
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
    c.update('07-tendermint-0', header(7n, 5n), GENESIS + 11n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 7n), true);
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
  });

  it("an update prunes the earliest consensus state once it is older than the trusting period (2/3 of the counterparty's unbonding), one per update, never the trusted one", () => {
    const { c } = setup();
    c.update('07-tendermint-0', header(8n, 5n), GENESIS + 9n * S);
    c.update('07-tendermint-0', header(12n, 8n), GENESIS + 13n * S);
    // height 5's state (time +5 s) expires at +25 s: not yet at +24 s
    c.update('07-tendermint-0', header(20n, 12n), GENESIS + 24n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 5n), true);
    c.update('07-tendermint-0', header(26n, 20n), GENESIS + 25n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 5n), false);
    // height 8 (expired since +28 s) goes with the next update
    c.update('07-tendermint-0', header(60n, 26n), GENESIS + 61n * S);
    assert.deepEqual([5n, 8n, 12n, 20n, 26n, 60n].map((h) => c.hasConsensusState('07-tendermint-0', h)), [false, false, true, true, true, true]);
    fails(() => c.update('07-tendermint-0', header(61n, 8n), GENESIS + 62n * S), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 1-8: consensus state not found');
    // three txs of one block trusting 12, all states long expired: 12 stays for each of them
    for (let i = 0; i < 3; i++) c.update('07-tendermint-0', header(70n, 12n), GENESIS + 1_000n * S);
    assert.deepEqual([12n, 20n, 26n, 60n, 70n].map((h) => c.hasConsensusState('07-tendermint-0', h)), [true, true, true, true, true]);
    // the next block's txs trust 70: 12 goes
    c.update('07-tendermint-0', header(71n, 70n), GENESIS + 1_001n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 12n), false);
  });

  it('a reverted tx takes its update back, a prune included', () => {
    const { j, c } = setup();
    c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
    assert.throws(() =>
      j.atomic(() => {
        c.update('07-tendermint-0', header(40n, 9n), GENESIS + 41n * S);
        assert.equal(c.hasConsensusState('07-tendermint-0', 5n), false, 'pruned inside the tx');
        throw new Error('a later message failed');
      }),
    );
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
    assert.deepEqual([5n, 9n, 40n].map((h) => c.hasConsensusState('07-tendermint-0', h)), [true, true, false]);
  });

  it('a client made before its counterparty has a block (a contract kit) holds height 0, which no update or proof can name', () => {
    const c = new LightClients(new Journal());
    c.create('07-tendermint-0', 'prov-1', { height: 0n, time: GENESIS }, UNBONDING_SEC);
    assert.equal(c.latestHeight('07-tendermint-0'), 0n);
    fails(() => c.update('07-tendermint-0', header(1n, 0n), GENESIS + 2n * S), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 1-0: consensus state not found');
    fails(() => c.verifyProofHeight('07-tendermint-0', { revisionNumber: 1n, revisionHeight: 0n }), 'client', 7, 'please ensure the proof was constructed against a height that exists on the client: consensus state not found');
  });
});

describe('light clients (proof heights)', () => {
  it('a proof height above the latest, then one the client does not hold, fail as verifyMembership does; the time at a held height', () => {
    const { c } = setup();
    c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
    const h = (revisionHeight: bigint, revisionNumber = 1n) => ({ revisionNumber, revisionHeight });
    fails(() => c.verifyProofHeight('07-tendermint-0', h(12n)), 'ibc', 9, 'client state height < proof height ({1 9} < {1 12}), please ensure the client has been updated: invalid height');
    fails(() => c.verifyProofHeight('07-tendermint-0', h(1n, 2n)), 'ibc', 9, 'client state height < proof height ({1 9} < {2 1}), please ensure the client has been updated: invalid height');
    fails(() => c.verifyProofHeight('07-tendermint-0', h(7n)), 'client', 7, 'please ensure the proof was constructed against a height that exists on the client: consensus state not found');
    c.verifyProofHeight('07-tendermint-0', h(9n));
    c.verifyProofHeight('07-tendermint-0', h(5n));
    assert.equal(c.timestampAt('07-tendermint-0', h(9n)), GENESIS + 9n * S);
    fails(() => c.timestampAt('07-tendermint-0', h(8n)), 'client', 7, 'height (1-8): consensus state not found');
  });
});

describe('relayers (clientUpdate)', () => {
  it("updates the client to the counterparty's latest height, trusting its latest; nothing when the client has it", () => {
    const w = new Workload({ seed: 3, invariants: false, drain: false, topologyOptions: { users: 10 } });
    w.runFast(3);
    const [a, b] = w.chains as [import('../chain/chain.ts').Chain, import('../chain/chain.ts').Chain];
    const world = w.devnet.world;
    // the client under a's end of its first channel to b (each connection between them has its own)
    const ibc = a.module<Ibc>('ibc');
    const ch = ibc.allChannels().find((c) => ibc.connections.get(c.connectionId)!.counterpartyChainId === b.id)!;
    const clientId = ibc.clientOfEnd(ch.portId, ch.channelId);
    const clients = ibc.clients;
    const signer = a.addr(world.relayerName);
    world.block(b);
    const latest = clients.latestHeight(clientId)!;
    assert.ok(latest < b.height);
    const [m, ...rest] = clientUpdate(a, signer, clientId, b);
    assert.equal(rest.length, 0);
    const h = Header.decode((m!.value.clientMessage as { value: Uint8Array }).value);
    assert.deepEqual([h.signedHeader!.header!.height, h.trustedHeight!.revisionHeight], [b.height, latest]);
    const r = world.block(a, [{ signer, msgs: [m!] }]).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(clients.latestHeight(clientId), b.height);
    assert.deepEqual(clientUpdate(a, signer, clientId, b), []);
  });

  it('regression: World.clientIdOn refuses to pick one of two clients of the same chain (it used to return the first)', () => {
    const w = new Workload({ seed: 3, invariants: false, drain: false, topologyOptions: { users: 10 } });
    const [a, b] = w.chains as [import('../chain/chain.ts').Chain, import('../chain/chain.ts').Chain];
    assert.throws(() => w.devnet.world.clientIdOn(a, b), { message: `${a.id} has 2 clients of ${b.id} (07-tendermint-0, 07-tendermint-1): name the connection or channel` });
  });
});
