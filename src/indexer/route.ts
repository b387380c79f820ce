// Dispatch: every event of a decoded block goes, in chain order, to the mapping of its source —
// the kind of the contract in `_contract_address` for wasm events, the module or IBC for the rest.
// Failed txs carry no message events (their state changes were reverted), so only ante events of
// them are seen and none is routed.
import { DecodeError, attr, contractAddress } from './decode/attributes.ts';
import type { ContractRegistry, Handler, Mapping, MappingContext } from '../mappings/context.ts';
import { rawJson } from './rpc/raw-block.ts';
import type { Replica } from '../mappings/replica.ts';
import type { WriteBuffer } from './store/buffer.ts';
import type { ChainEvent, ContractKind, DecodedBlock, DecodedMsg, DecodedTx } from './types.ts';

export interface RouteTargets {
  replica: Replica;
  contracts: ContractRegistry;
  out: WriteBuffer;
  mappings: readonly Mapping[];
  /** Smart queries at a height (the chain's RPC; the devnet directly in tests). */
  query: (contract: string, msg: unknown, height: number) => Promise<unknown>;
  /** Asked between txs; a promise it returns is awaited first (lets other I/O of the thread run). */
  pause?: () => Promise<void> | undefined;
}

const NO_HANDLERS: readonly Handler[] = [];

/**
 * Handler table: source → event key → handlers, built once. Several mappings may take the same
 * chain event (a channel close concerns the IBC mapping and external staking); they run in the
 * order the mappings are listed.
 */
export class Router {
  private readonly table = new Map<string, Map<string, Handler[]>>();
  /** Module handlers then IBC handlers per event type: the handlers of an event of no known contract. */
  private readonly chain = new Map<string, readonly Handler[]>();

  constructor(mappings: readonly Mapping[]) {
    for (const m of mappings) {
      let t = this.table.get(m.source);
      if (!t) this.table.set(m.source, (t = new Map()));
      for (const [k, h] of Object.entries(m.handlers)) t.set(k, [...(t.get(k) ?? []), h]);
    }
    const types = new Set([...(this.table.get('module')?.keys() ?? []), ...(this.table.get('ibc')?.keys() ?? [])]);
    for (const type of types) this.chain.set(type, [...(this.table.get('module')?.get(type) ?? []), ...(this.table.get('ibc')?.get(type) ?? [])]);
  }

  /** A kind's own handlers for an event type. */
  kindHandlers(kind: ContractKind, type: string): readonly Handler[] {
    return this.table.get(kind)?.get(type) ?? NO_HANDLERS;
  }

  /** The handlers of an event: its contract kind's, else the module's and IBC's. */
  handlersFor(e: ChainEvent, kind: ContractKind | undefined): readonly Handler[] {
    if (kind !== undefined) {
      const own = this.table.get(kind);
      if (own) {
        const hs = (e.type === 'wasm' ? own.get(`wasm:${attr(e, 'action') ?? ''}`) : undefined) ?? own.get(e.type);
        if (hs) return hs;
      }
    }
    return this.chain.get(e.type) ?? NO_HANDLERS;
  }
}

/** Maps one block into the replica and the write buffer. */
export async function mapBlock(block: DecodedBlock, router: Router, t: RouteTargets): Promise<void> {
  for (const p of block.problems) {
    t.out.deadLetter({ chainId: block.chainId, height: block.height, kind: p.kind, reason: p.reason, txHash: p.txHash ?? null, msgIndex: p.msgIndex ?? null, eventIndex: p.eventIndex ?? null, raw: p.raw ?? null, createdAt: block.time });
  }
  await mapEvents(block, undefined, block.beginEvents, router, t);
  for (const tx of block.txs) {
    if (tx.code !== 0) continue;
    const paused = t.pause?.();
    if (paused) await paused;
    // Group the tx's events per message so handlers can look around their message.
    const byMsg = new Map<number, ChainEvent[]>();
    for (const e of tx.events) {
      if (e.msgIndex === undefined) continue;
      let l = byMsg.get(e.msgIndex);
      if (!l) byMsg.set(e.msgIndex, (l = []));
      l.push(e);
    }
    for (const [, events] of [...byMsg].sort((a, b) => a[0] - b[0])) await mapEvents(block, tx, events, router, t);
  }
  await mapEvents(block, undefined, block.endEvents, router, t);
}

/** What a handler sees of one event (a class: no closures made per event). */
class EventContext implements MappingContext {
  readonly chainId: string;
  readonly msg: DecodedMsg | undefined;
  readonly msgIndex: number | undefined;
  readonly replica: Replica;
  readonly contracts: ContractRegistry;
  readonly out: WriteBuffer;

  constructor(
    readonly block: DecodedBlock,
    readonly tx: DecodedTx | undefined,
    readonly event: ChainEvent,
    readonly siblings: readonly ChainEvent[],
    readonly position: number,
    private readonly t: RouteTargets,
  ) {
    this.chainId = block.chainId;
    this.msgIndex = event.msgIndex;
    this.msg = event.msgIndex === undefined ? undefined : tx?.msgs[event.msgIndex];
    this.replica = t.replica;
    this.contracts = t.contracts;
    this.out = t.out;
  }

  rowId(suffix?: string): string {
    const { block, tx, event } = this;
    const where = tx?.index ?? (this.siblings === block.beginEvents ? 'begin' : 'end');
    const id = `${block.chainId}/${block.height}/${where}/${this.msgIndex ?? '-'}/${event.index}`;
    return suffix === undefined ? id : `${id}/${suffix}`;
  }

  deadLetter(kind: 'event' | 'packet' | 'ack', reason: string, raw?: string): void {
    const { block, tx, event } = this;
    this.out.deadLetter({ chainId: block.chainId, height: block.height, kind, reason: `${event.type}: ${reason}`, txHash: tx?.hash ?? null, msgIndex: this.msgIndex ?? null, eventIndex: event.index, raw: raw ?? rawJson(event.attributes), createdAt: block.time });
  }

  query(contract: string, msg: unknown): Promise<unknown> {
    return this.t.query(contract, msg, this.block.height);
  }
}

async function runHandlers(handlers: readonly Handler[], ctx: EventContext, skip?: readonly Handler[]): Promise<void> {
  for (const handler of handlers) {
    if (skip?.includes(handler)) continue;
    try {
      const r = handler(ctx);
      if (r) await r; // most handlers are synchronous; only lookups wait
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      ctx.deadLetter('event', err.message);
    }
  }
}

async function mapEvents(block: DecodedBlock, tx: DecodedTx | undefined, events: readonly ChainEvent[], router: Router, t: RouteTargets): Promise<void> {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const address = contractAddress(e);
    const handlers = router.handlersFor(e, address === undefined ? undefined : t.contracts.kindOf(address));
    if (handlers.length === 0) continue;
    const ctx = new EventContext(block, tx, e, events, i, t);
    await runHandlers(handlers, ctx);
    // A contract discovered by this `instantiate` also gets it in its own kind's mapping (its config).
    const kind = e.type === 'instantiate' && address !== undefined ? t.contracts.kindOf(address) : undefined;
    if (kind !== undefined) await runHandlers(router.kindHandlers(kind, 'instantiate'), ctx, handlers);
  }
}
