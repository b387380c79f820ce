// The 07-tendermint light clients a chain runs, as far as the devnet keeps them (ibc-go 02-client
// keeper UpdateClient, 07-tendermint verifyHeader / UpdateState): each client's consensus states by
// height and its latest height, so a relayer's MsgUpdateClient trusts a height the client really holds
// and records a new one. Headers are checked for their heights only: the devnet's carry no commit or
// validator set (its proofs read the counterparty directly), and a client never expires or freezes.
import { Any } from 'cosmjs-types/google/protobuf/any';
import { Header } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { type Event, ModuleError, attr, event } from '../chain/types.ts';
import { JMap, type Journal, key, u64Key } from '../state/journal.ts';
import { revisionOf } from './commitment.ts';

export const TENDERMINT_HEADER = '/ibc.lightclients.tendermint.v1.Header';

interface ClientParams {
  /** The counterparty's IBC revision: every consensus height of the client has it. */
  revision: bigint;
  /** Consensus states older than this (ns, by their header time) may be pruned, as ibc-go does. */
  trustingPeriodNs: bigint;
}

const height = (revision: bigint, h: bigint): string => `${revision}-${h}`;

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
   * Genesis: a client of a counterparty chain, with one consensus state (its latest block). The
   * trusting period is Hermes's default, 2/3 of the counterparty's unbonding time.
   */
  create(clientId: string, counterpartyChainId: string, at: { height: bigint; time: bigint }, unbondingTimeSec: bigint): void {
    this.params.set(clientId, { revision: revisionOf(counterpartyChainId), trustingPeriodNs: (unbondingTimeSec * 2n * 1_000_000_000n) / 3n });
    const h = at.height > 0n ? at.height : 1n;
    this.states.set(key(clientId, u64Key(h)), at.time);
    this.latest.set(clientId, h);
    this.earliest.set(clientId, h);
  }

  /** The client's latest consensus height (revision height), or undefined for no such client. */
  latestHeight(clientId: string): bigint | undefined {
    return this.latest.get(clientId);
  }

  hasConsensusState(clientId: string, h: bigint): boolean {
    return this.states.has(key(clientId, u64Key(h)));
  }

  /** MsgUpdateClient (ibc-go v7/v8): checks, updates the client, returns the events. `now` is the block time. */
  update(clientId: string, clientMessage: { typeUrl: string; value: Uint8Array }, now: bigint): Event[] {
    const p = this.params.get(clientId);
    const latest = this.latest.get(clientId);
    if (!p || latest === undefined) throw new ModuleError('client', 4, `cannot update client with ID ${clientId}: light client not found`);
    // misbehaviour is not modelled: only headers
    if (clientMessage.typeUrl !== TENDERMINT_HEADER) throw new ModuleError('client', 10, 'invalid client type');
    const msg = Header.decode(clientMessage.value);
    const header = msg.signedHeader?.header;
    if (!header) throw new ModuleError('client', 12, 'tendermint signed header cannot be nil: invalid client header');
    const trusted = msg.trustedHeight ?? { revisionNumber: 0n, revisionHeight: 0n };
    const trustedText = height(trusted.revisionNumber, trusted.revisionHeight);
    // verifyHeader: the trusted consensus state, the revision, then the header's height
    if (trusted.revisionNumber !== p.revision || !this.hasConsensusState(clientId, trusted.revisionHeight)) {
      throw new ModuleError('client', 7, `could not get trusted consensus state from clientStore for Header at TrustedHeight: ${trustedText}: consensus state not found`);
    }
    const revision = revisionOf(header.chainId);
    if (revision !== trusted.revisionNumber) {
      throw new ModuleError('07-tendermint', 5, `header height revision ${revision} does not match trusted header revision ${trusted.revisionNumber}: invalid header height`);
    }
    const h = header.height;
    if (h <= trusted.revisionHeight) {
      throw new ModuleError('client', 12, `header height ≤ consensus state height (${height(revision, h)} ≤ ${trustedText}): invalid client header`);
    }
    // UpdateState: prune the earliest consensus state if expired (the devnet keeps the latest: its
    // relayer would refresh the client, as Hermes does), then a no-op for a height already held
    this.pruneOldest(clientId, p, latest, now);
    if (!this.hasConsensusState(clientId, h)) {
      const time = header.time ? header.time.seconds * 1_000_000_000n + BigInt(header.time.nanos) : 0n;
      this.states.set(key(clientId, u64Key(h)), time);
      if (h > latest) this.latest.set(clientId, h);
      if (h < this.earliest.get(clientId)!) this.earliest.set(clientId, h);
    }
    const consensusHeight = height(revision, h);
    const any = Buffer.from(Any.encode(Any.fromPartial(clientMessage)).finish()).toString('hex');
    return [
      event('update_client', attr('client_id', clientId), attr('client_type', '07-tendermint'), attr('consensus_height', consensusHeight), attr('consensus_heights', consensusHeight), attr('header', any)),
      event('message', attr('module', 'ibc_client')),
    ];
  }

  private pruneOldest(clientId: string, p: ClientParams, latest: bigint, now: bigint): void {
    const first = this.earliest.get(clientId)!;
    if (first >= latest) return;
    const time = this.states.get(key(clientId, u64Key(first)))!;
    if (time + p.trustingPeriodNs > now) return; // IsExpired: expiry not after now
    this.states.delete(key(clientId, u64Key(first)));
    let next = first + 1n;
    while (!this.hasConsensusState(clientId, next)) next++;
    this.earliest.set(clientId, next);
  }
}
