// x/wasm: code and contract registry plus the wasmd event rules for contract responses
// (cosmos-wire §4.1–4.2): `wasm` with `_contract_address` first, custom `wasm-*` events, then
// sub-messages depth-first; events of wasm sub-messages get their attributes sorted by key.
import { contractAddress } from './address.ts';
import type { ContractCode, ContractInstance } from './contract.ts';
import { JMap, type Journal } from '../state/journal.ts';
import { type Attribute, ContractError, type Event, type Response, attr, event } from './types.ts';

export interface ContractInfo {
  address: string;
  codeId: number;
  label: string;
  admin?: string;
  creator: string;
  instance: ContractInstance;
}

export class Wasm {
  private readonly codes = new Map<number, ContractCode>();
  private readonly contracts: JMap<ContractInfo>;
  private instanceCounter = 0n;

  constructor(
    private readonly journal: Journal,
    private readonly prefix: string,
  ) {
    this.contracts = new JMap(journal);
  }

  storeCode(code: ContractCode): number {
    const id = this.codes.size + 1;
    this.codes.set(id, code);
    return id;
  }

  code(codeId: number): ContractCode {
    const c = this.codes.get(codeId);
    if (!c) throw new ContractError(`no such code: ${codeId}`);
    return c;
  }

  codeIdOf(name: string): number | undefined {
    for (const [id, c] of this.codes) if (c.name === name) return id;
    return undefined;
  }

  /** Reserves the next classic contract address (instance ids are global per chain, like wasmd's sequence). */
  nextAddress(codeId: number): string {
    const id = ++this.instanceCounter;
    const undoId = id - 1n;
    this.journal.record(() => {
      this.instanceCounter = undoId;
    });
    return contractAddress(this.prefix, BigInt(codeId), id);
  }

  register(info: ContractInfo): void {
    this.contracts.set(info.address, info);
  }

  contract(address: string): ContractInfo {
    const c = this.contracts.get(address);
    if (!c) throw new ContractError(`No such contract: ${address}`);
    return c;
  }

  tryContract(address: string): ContractInfo | undefined {
    return this.contracts.get(address);
  }

  allContracts(): ContractInfo[] {
    return this.contracts.values();
  }
}

/** wasmd handleContractResponse: the contract's own events (before its sub-messages). */
export function contractResponseEvents(address: string, res: Response): Event[] {
  const out: Event[] = [];
  const ca = attr('_contract_address', address);
  if (res.attributes.length > 0) out.push({ type: 'wasm', attributes: checkAttributes(ca, res.attributes) });
  for (const e of res.events) {
    const t = e.type.trim();
    if (t.length <= 2) throw new ContractError(`Event type too short: ${t}`);
    out.push({ type: `wasm-${t}`, attributes: checkAttributes(ca, e.attributes) });
  }
  return out;
}

/** `first`, then the contract's attributes checked and trimmed, in an array of exactly that length (blocks are kept). */
function checkAttributes(first: Attribute, attrs: readonly Attribute[]): Attribute[] {
  const out = new Array<Attribute>(attrs.length + 1);
  out[0] = first;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i]!;
    const k = a.key.trim();
    if (k === '') throw new ContractError('Empty attribute key');
    if (k.startsWith('_')) throw new ContractError(`Attribute key starts with reserved prefix _: ${k}`);
    const v = a.value.trim();
    // attributes are never mutated: reuse the contract's own when trimming changed nothing
    out[i + 1] = k === a.key && v === a.value ? a : { key: k, value: v };
  }
  return out;
}

/** The in-place sort wasmd applies to events of wasm sub-messages (byte order, stable). */
export function sortAttributes(events: Event[]): Event[] {
  return events.map((e) => ({ type: e.type, attributes: sortedByKey(e.attributes) }));
}

/** A sorted copy; insertion sort (stable), since an event has a handful of attributes and Array#sort allocates. */
function sortedByKey(attrs: readonly Attribute[]): Attribute[] {
  const out = attrs.slice();
  for (let i = 1; i < out.length; i++) {
    const a = out[i]!;
    let j = i - 1;
    while (j >= 0 && out[j]!.key > a.key) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = a;
  }
  return out;
}

export const entryPointEvent = (type: 'execute' | 'sudo' | 'reply' | 'migrate', address: string): Event =>
  event(type, attr('_contract_address', address));
