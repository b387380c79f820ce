// What a mapping sees and may do. Mappings are pure with respect to I/O: they read the decoded
// block, update the chain's replicated contract state (src/protocol rules) and emit rows into the
// write buffer; the indexer core persists both in one transaction with the cursor.
import type { WriteBuffer } from '../indexer/store/buffer.ts';
import type { ChainEvent, ContractKind, DecodedBlock, DecodedMsg, DecodedTx } from '../indexer/types.ts';
import type { Replica } from './replica.ts';

/** Contracts known on one chain: configured in project.yaml or discovered from `instantiate` events. */
export interface ContractRegistry {
  kindOf(address: string): ContractKind | undefined;
  /** Records a contract (from an instantiate event or config); emits its Contract row. */
  add(c: { address: string; kind: ContractKind; codeId?: number; label?: string; owner?: string }): void;
  /** Kind of a code id (project.yaml `code_ids`), for instantiate discovery. */
  kindOfCode(codeId: number): ContractKind | undefined;
  all(kind?: ContractKind): string[];
}

export interface MappingContext {
  readonly chainId: string;
  readonly block: DecodedBlock;
  /** The tx being mapped; undefined for begin/end block events. */
  readonly tx?: DecodedTx;
  /** The message the event belongs to (its decoded body: `msg.json` for contract calls). */
  readonly msg?: DecodedMsg;
  readonly msgIndex?: number;
  /** The event being mapped, and all events of the same message (or block phase) for look-around. */
  readonly event: ChainEvent;
  readonly siblings: readonly ChainEvent[];
  /** Position of `event` in `siblings`. */
  readonly position: number;
  readonly replica: Replica;
  readonly contracts: ContractRegistry;
  readonly out: WriteBuffer;
  /** A deterministic id for a history row of this event: chain/height/tx/msg/event[/suffix]. */
  rowId(suffix?: string): string;
  /** Keeps input that does not decode (with its location) and lets indexing go on. */
  deadLetter(kind: 'event' | 'packet' | 'ack', reason: string, raw?: string): void;
  /**
   * A smart query at this block's height, for the rare facts no event carries (e.g. how much a
   * native slash took: spec §4.3.1 reads delegations the events do not show). Use sparingly.
   */
  query(contract: string, msg: unknown): Promise<unknown>;
}

export type Handler = (ctx: MappingContext) => void | Promise<void>;

/**
 * A mapping handles the events of one contract kind, module or IBC. `wasm` events are matched by
 * their `action` attribute (key `wasm:<action>`), custom events by their type (`wasm-valset_update`),
 * module and IBC events by type. Handlers run in chain order; a handler that throws a DecodeError
 * dead-letters the event and indexing continues with the next one — so decode and check everything
 * before changing the replica.
 */
export interface Mapping {
  /** Contract kind whose `_contract_address` events it takes, or 'module' / 'ibc' for chain events. */
  readonly source: ContractKind | 'module' | 'ibc';
  readonly handlers: Readonly<Record<string, Handler>>;
}
