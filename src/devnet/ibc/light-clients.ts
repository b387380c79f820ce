// The 07-tendermint light clients a chain runs, as far as the devnet keeps them (ibc-go v7/v8 02-client
// keeper UpdateClient, 07-tendermint Header.ValidateBasic / verifyHeader / UpdateState and the height
// checks of its proof verification): each client's consensus states by height and its latest height,
// so a relayer's MsgUpdateClient trusts a height the client holds and records a new one, and a proof
// names a height the client holds. Headers are checked for their heights only: the devnet's carry no
// commit or validator set (its proofs read the counterparty directly), and a client never expires or
// freezes.
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { type Event, ModuleError, attr, event } from '../chain/types.ts';
import { JMap, type Journal, key, u64Key } from '../state/journal.ts';
import { type Height, heightGte, revisionOf } from './commitment.ts';

export const TENDERMINT_HEADER = '/ibc.lightclients.tendermint.v1.Header';

interface ClientParams {
  /** The counterparty's IBC revision: every consensus height of the client has it. */
  revision: bigint;
  /** Consensus states older than this (ns, by their header time) may be pruned, as ibc-go does. */
  trustingPeriodNs: bigint;
}

/** A height as ibc-go's errors print it with %s ("1-9") and with %d ("{1 9}"). */
const text = (h: Height): string => `${h.revisionNumber}-${h.revisionHeight}`;
const goStruct = (h: Height): string => `{${h.revisionNumber} ${h.revisionHeight}}`;

const clientMessageOf = (any: { typeUrl: string; value: Uint8Array }) => (any.typeUrl === TENDERMINT_HEADER ? Header.decode(any.value) : undefined);

/**
 * The stateless checks of MsgUpdateClient.ValidateBasic on a tendermint header (07-tendermint
 * Header.ValidateBasic), which run before the ante handler: a signed header and header, and a trusted
 * height below the header's. The commit and validator set checks are left out (the devnet's headers
 * have none). Other client message types are not modelled here.
 */
export function validateClientMessage(any: { typeUrl: string; value: Uint8Array }): void {
  const msg = clientMessageOf(any);
  if (msg) validateHeader(msg);
}

function validateHeader(msg: Header): void {
  if (!msg.signedHeader) throw new ModuleError('client', 12, 'tendermint signed header cannot be nil: invalid client header');
  const header = msg.signedHeader.header;
  if (!header) throw new ModuleError('client', 12, 'tendermint header cannot be nil: invalid client header');
  const h = { revisionNumber: revisionOf(header.chainId), revisionHeight: header.height };
  const trusted = msg.trustedHeight ?? { revisionNumber: 0n, revisionHeight: 0n };
  if (heightGte(trusted, h)) throw new ModuleError('07-tendermint', 5, `TrustedHeight ${goStruct(trusted)} must be less than header height ${goStruct(h)}: invalid header height`);
}

export class LightClients {
  private readonly params = new Map<string, ClientParams>();
  /** clientId ‖ height → the consensus state's timestamp (ns). */
  private readonly states: JMap<bigint>;
  /** clientId → the client state's latest height. */
  private readonly latest: JMap<bigint>;
  /** clientId → its earliest consensus height still stored (what ibc-go's pruning looks at). */
  private readonly earliest: JMap<bigint>;

  constructor(journal: Journal) {
    this.states = new JMap(journal);
    this.latest = new JMap(journal);
    this.earliest = new JMap(journal);
  }

  /**
   * Genesis: a client of a counterparty chain, with one consensus state, its latest block. A contract
   * test kit may connect chains before their first block: that client has height 0, which no update
   * or proof can trust (World.connect produces a block first). The trusting period is Hermes's
   * default, 2/3 of the counterparty's unbonding time.
   */
  create(clientId: string, counterpartyChainId: string, at: { height: bigint; time: bigint }, unbondingTimeSec: bigint): void {
    this.params.set(clientId, { revision: revisionOf(counterpartyChainId), trustingPeriodNs: (unbondingTimeSec * 2n * 1_000_000_000n) / 3n });
    this.states.set(key(clientId, u64Key(at.height)), at.time);
    this.latest.set(clientId, at.height);
    this.earliest.set(clientId, at.height);
  }

  /** The client's latest consensus height (revision height), or undefined for no such client. */
  latestHeight(clientId: string): bigint | undefined {
    return this.latest.get(clientId);
  }

  hasConsensusState(clientId: string, h: bigint): boolean {
    return this.states.has(key(clientId, u64Key(h)));
  }

  /** The consensus state's time at a height; never at height 0, which ibc-go never stores. */
  private stateAt(clientId: string, h: Height): bigint | undefined {
    const p = this.params.get(clientId);
    return p && h.revisionNumber === p.revision && h.revisionHeight > 0n ? this.states.get(key(clientId, u64Key(h.revisionHeight))) : undefined;
  }

  /**
   * MsgUpdateClient once ValidateBasic passed (validateClientMessage): the client, the trusted
   * consensus state, the revision, then UpdateState. Returns the events; `now` is the block time.
   */
  update(clientId: string, clientMessage: { typeUrl: string; value: Uint8Array }, now: bigint): Event[] {
    const p = this.params.get(clientId);
    const latest = this.latest.get(clientId);
    if (!p || latest === undefined) throw new ModuleError('client', 4, `cannot update client with ID ${clientId}: light client not found`);
    const msg = clientMessageOf(clientMessage);
    // misbehaviour is not modelled: only headers
    if (!msg) throw new ModuleError('client', 10, 'invalid client type');
    validateHeader(msg); // again for callers that skip ValidateBasic (unit tests)
    const header = msg.signedHeader!.header!;
    const trusted = msg.trustedHeight!;
    if (this.stateAt(clientId, trusted) === undefined) {
      throw new ModuleError('client', 7, `could not get trusted consensus state from clientStore for Header at TrustedHeight: ${text(trusted)}: consensus state not found`);
    }
    const revision = revisionOf(header.chainId);
    if (revision !== trusted.revisionNumber) {
      throw new ModuleError('07-tendermint', 5, `header height revision ${revision} does not match trusted header revision ${trusted.revisionNumber}: invalid header height`);
    }
    // (verifyHeader's "header height ≤ consensus state height" cannot fail after ValidateBasic)
    const h = header.height;
    this.pruneOldest(clientId, p, trusted.revisionHeight, now);
    // UpdateState: a height already held is a no-op (a relayer's duplicate carries the same header)
    if (!this.hasConsensusState(clientId, h)) {
      const time = header.time ? header.time.seconds * 1_000_000_000n + BigInt(header.time.nanos) : 0n;
      this.states.set(key(clientId, u64Key(h)), time);
      if (h > latest) this.latest.set(clientId, h);
      if (h < this.earliest.get(clientId)!) this.earliest.set(clientId, h);
    }
    const consensusHeight = text({ revisionNumber: revision, revisionHeight: h });
    const any = Buffer.from(Any.encode(Any.fromPartial(clientMessage)).finish()).toString('hex');
    return [
      event('update_client', attr('client_id', clientId), attr('client_type', '07-tendermint'), attr('consensus_height', consensusHeight), attr('consensus_heights', consensusHeight), attr('header', any)),
      event('message', attr('module', 'ibc_client')),
    ];
  }

  /**
   * ibc-go's pruneOldestConsensusState: the earliest consensus state goes if it has expired. Unlike
   * ibc-go, whose client would expire instead, the devnet keeps the state the message trusts and
   * those above it: txs of one block were built trusting the same height.
   */
  private pruneOldest(clientId: string, p: ClientParams, trusted: bigint, now: bigint): void {
    const first = this.earliest.get(clientId)!;
    if (first >= trusted) return;
    const time = this.states.get(key(clientId, u64Key(first)))!;
    if (time + p.trustingPeriodNs > now) return; // IsExpired: expiry not after now
    this.states.delete(key(clientId, u64Key(first)));
    // the trusted height is held, so the walk ends there at the latest
    let next = first + 1n;
    while (!this.hasConsensusState(clientId, next)) next++;
    this.earliest.set(clientId, next);
  }

  /**
   * What 07-tendermint's verifyMembership / verifyNonMembership check of a proof's height before the
   * proof itself: the client has been updated to it, and holds a consensus state there.
   */
  verifyProofHeight(clientId: string, proofHeight: Height): void {
    const p = this.params.get(clientId);
    const latest = this.latest.get(clientId);
    if (!p || latest === undefined) throw new ModuleError('client', 4, `clientID (${clientId}): light client not found`);
    const latestHeight = { revisionNumber: p.revision, revisionHeight: latest };
    if (!heightGte(latestHeight, proofHeight)) {
      throw new ModuleError('ibc', 9, `client state height < proof height (${goStruct(latestHeight)} < ${goStruct(proofHeight)}), please ensure the client has been updated: invalid height`);
    }
    if (this.stateAt(clientId, proofHeight) === undefined) throw new ModuleError('client', 7, 'please ensure the proof was constructed against a height that exists on the client: consensus state not found');
  }

  /** The counterparty's time at a height the client holds (connection keeper GetTimestampAtHeight), ns. */
  timestampAt(clientId: string, h: Height): bigint {
    if (!this.params.has(clientId)) throw new ModuleError('client', 4, `clientID (${clientId}): light client not found`);
    const t = this.stateAt(clientId, h);
    if (t === undefined) throw new ModuleError('client', 7, `height (${text(h)}): consensus state not found`);
    return t;
  }
}
