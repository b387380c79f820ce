// Dispatch: every event of a decoded block goes, in chain order, to the mapping of its source —
// the kind of the contract in `_contract_address` for wasm events, the module or IBC for the rest.
// Failed txs carry no message events (their state changes were reverted), so only ante events of
// them are seen and none is routed.
import { DecodeError, contractAddress } from './decode/attributes.ts';
import type { ContractRegistry, Handler, Mapping, MappingContext } from '../mappings/context.ts';
import type { Replica } from '../mappings/replica.ts';
import type { WriteBuffer } from './store/buffer.ts';
import type { ChainEvent, ContractKind, DecodedBlock, DecodedTx } from './types.ts';

export interface RouteTargets {
  replica: Replica;
  contracts: ContractRegistry;
  out: WriteBuffer;
  mappings: readonly Mapping[];
  /** Smart queries at a height (the chain's RPC; the devnet directly in tests). */
  query: (contract: string, msg: unknown, height: number) => Promise<unknown>;
}

/**
 * Handler table: source → event key → handlers, built once. Several mappings may take the same
 * chain event (a channel close concerns the IBC mapping and external staking); they run in the
 * order the mappings are listed.
 */
export class Router {
  private readonly table = new Map<string, Map<string, Handler[]>>();

  constructor(mappings: readonly Mapping[]) {
    for (const m of mappings) {
      let t = this.table.get(m.source);
      if (!t) this.table.set(m.source, (t = new Map()));
      for (const [k, h] of Object.entries(m.handlers)) t.set(k, [...(t.get(k) ?? []), h]);
    }
  }

  /** A kind's own handlers for an event type. */
  kindHandlers(kind: ContractKind, type: string): Handler[] {
    return this.table.get(kind)?.get(type) ?? [];
  }

  /** The handlers of an event: its contract kind's, else the module's and IBC's. */
  handlersFor(e: ChainEvent, kind: ContractKind | undefined): Handler[] {
    if (kind !== undefined) {
      const key = e.type === 'wasm' ? `wasm:${e.attributes.find((a) => a.key === 'action')?.value ?? ''}` : e.type;
      const own = this.table.get(kind);
      const hs = own?.get(key) ?? own?.get(e.type);
      if (hs) return hs;
    }
    return [...(this.table.get('module')?.get(e.type) ?? []), ...(this.table.get('ibc')?.get(e.type) ?? [])];
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

async function mapEvents(block: DecodedBlock, tx: DecodedTx | undefined, events: readonly ChainEvent[], router: Router, t: RouteTargets): Promise<void> {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const address = contractAddress(e);
    const handlers = router.handlersFor(e, address === undefined ? undefined : t.contracts.kindOf(address));
    if (handlers.length === 0) continue;
    const msgIndex = e.msgIndex;
    const ctx: MappingContext = {
      chainId: block.chainId,
      block,
      tx,
      msg: msgIndex === undefined ? undefined : tx?.msgs[msgIndex],
      msgIndex,
      event: e,
      siblings: events,
      position: i,
      replica: t.replica,
      contracts: t.contracts,
      out: t.out,
      rowId: (suffix) => [block.chainId, block.height, tx?.index ?? (events === block.beginEvents ? 'begin' : 'end'), msgIndex ?? '-', e.index, ...(suffix === undefined ? [] : [suffix])].join('/'),
      deadLetter: (kind, reason, raw) =>
        t.out.deadLetter({ chainId: block.chainId, height: block.height, kind, reason: `${e.type}: ${reason}`, txHash: tx?.hash ?? null, msgIndex: msgIndex ?? null, eventIndex: e.index, raw: raw ?? JSON.stringify(e.attributes), createdAt: block.time }),
      query: (contract, msg) => t.query(contract, msg, block.height),
    };
    // A contract discovered by this `instantiate` also gets it in its own kind's mapping (its config).
    const discovered = () => {
      const kind = e.type === 'instantiate' && address !== undefined ? t.contracts.kindOf(address) : undefined;
      return kind === undefined ? [] : router.kindHandlers(kind, 'instantiate').filter((h) => !handlers.includes(h));
    };
    for (const run of [handlers, discovered]) {
      for (const handler of typeof run === 'function' ? run() : run) {
        try {
          const r = handler(ctx);
          if (r) await r; // most handlers are synchronous; only lookups wait
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
          ctx.deadLetter('event', err.message);
        }
      }
    }
  }
}
