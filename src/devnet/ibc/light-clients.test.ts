// MsgUpdateClient on the devnet's light clients: ibc-go's checks and errors in its order (02-client
// UpdateClient, 07-tendermint verifyHeader), UpdateState's no-op for a height already held, and the
// pruning of the earliest expired consensus state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { ModuleError } from '../chain/types.ts';
import { Journal } from '../state/journal.ts';
import { LightClients, TENDERMINT_HEADER } from './light-clients.ts';

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

const attrs = (events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>) =>
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

  it("refuses, in ibc-go's order: an unknown client, another message type, a trusted height the client does not hold, another revision, a header not above the trusted height", () => {
    const { c } = setup();
    const now = GENESIS + 10n * S;
    fails(() => c.update('07-tendermint-7', header(9n, 5n), now), 'client', 4, 'cannot update client with ID 07-tendermint-7: light client not found');
    fails(() => c.update('07-tendermint-0', { typeUrl: '/ibc.lightclients.tendermint.v1.Misbehaviour', value: new Uint8Array() }, now), 'client', 10, 'invalid client type');
    fails(() => c.update('07-tendermint-0', { typeUrl: TENDERMINT_HEADER, value: new Uint8Array() }, now), 'client', 12, 'tendermint signed header cannot be nil: invalid client header');
    // the trusted height is checked before the header's own height and revision
    fails(() => c.update('07-tendermint-0', header(3n, 4n, { chainId: 'prov-2' }), now), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 1-4: consensus state not found');
    fails(() => c.update('07-tendermint-0', header(9n, 5n, { trustedRevision: 2n }), now), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 2-5: consensus state not found');
    fails(() => c.update('07-tendermint-0', header(3n, 5n, { chainId: 'prov-2' }), now), '07-tendermint', 5, 'header height revision 2 does not match trusted header revision 1: invalid header height');
    fails(() => c.update('07-tendermint-0', header(5n, 5n), now), 'client', 12, 'header height ≤ consensus state height (1-5 ≤ 1-5): invalid client header');
    assert.equal(c.latestHeight('07-tendermint-0'), 5n);
  });

  it('a height the client already holds is a no-op that still emits update_client; a height below the latest is filled in', () => {
    const { c } = setup();
    c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
    // a second relayer tx in the same block, built before the first was delivered
    const again = c.update('07-tendermint-0', header(9n, 5n, { time: GENESIS }), GENESIS + 10n * S);
    assert.equal(attrs(again)[0]![1].consensus_height, '1-9');
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
    c.update('07-tendermint-0', header(7n, 5n), GENESIS + 11n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 7n), true);
    assert.equal(c.latestHeight('07-tendermint-0'), 9n);
  });

  it("an update prunes the earliest consensus state once it is older than the trusting period (2/3 of the counterparty's unbonding), never the latest", () => {
    const { c } = setup();
    c.update('07-tendermint-0', header(8n, 5n), GENESIS + 9n * S);
    c.update('07-tendermint-0', header(12n, 8n), GENESIS + 13n * S);
    // height 5's state (time +5 s) expires at +25 s: not yet at +24 s
    c.update('07-tendermint-0', header(20n, 12n), GENESIS + 24n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 5n), true);
    c.update('07-tendermint-0', header(26n, 20n), GENESIS + 25n * S);
    assert.equal(c.hasConsensusState('07-tendermint-0', 5n), false);
    // one per update: height 8 (expired since +28 s) goes with the next one
    c.update('07-tendermint-0', header(60n, 26n), GENESIS + 61n * S);
    assert.deepEqual([5n, 8n, 12n, 20n, 26n, 60n].map((h) => c.hasConsensusState('07-tendermint-0', h)), [false, false, true, true, true, true]);
    fails(() => c.update('07-tendermint-0', header(61n, 8n), GENESIS + 62n * S), 'client', 7, 'could not get trusted consensus state from clientStore for Header at TrustedHeight: 1-8: consensus state not found');
    // the latest is kept however old (the devnet's relayer would have refreshed it), and only one goes
    // per update
    const { c: lone } = setup();
    lone.update('07-tendermint-0', header(6n, 5n), GENESIS + 1_000n * S);
    assert.equal(lone.hasConsensusState('07-tendermint-0', 5n), true);
    lone.update('07-tendermint-0', header(7n, 6n), GENESIS + 2_000n * S);
    assert.deepEqual([5n, 6n, 7n].map((h) => lone.hasConsensusState('07-tendermint-0', h)), [false, true, true]);
  });

  it('a reverted tx takes its update back', () => {
    const { j, c } = setup();
    assert.throws(() =>
      j.atomic(() => {
        c.update('07-tendermint-0', header(9n, 5n), GENESIS + 10n * S);
        throw new Error('a later message failed');
      }),
    );
    assert.equal(c.latestHeight('07-tendermint-0'), 5n);
    assert.equal(c.hasConsensusState('07-tendermint-0', 9n), false);
  });
});
