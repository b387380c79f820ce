// The CosmWasm / Cosmos SDK shapes the simulated chains pass around: events, coins, contract
// responses and the messages contracts can send (cosmwasm_std::CosmosMsg, mesh custom messages).

export interface Attribute {
  key: string;
  value: string;
}

export interface Event {
  type: string;
  attributes: Attribute[];
}

export interface Coin {
  denom: string;
  amount: bigint;
}

export const coin = (amount: bigint | number, denom: string): Coin => ({ denom, amount: BigInt(amount) });
/** A Coin as an SDK/CosmWasm attribute string: amount followed directly by denom ("100uosmo"). */
export const coinStr = (c: Coin): string => `${c.amount}${c.denom}`;
export const coinsStr = (cs: readonly Coin[]): string => cs.map(coinStr).join(',');
export const coinJson = (c: Coin): { denom: string; amount: string } => ({ denom: c.denom, amount: c.amount.toString() });

export const attr = (key: string, value: string | bigint | number | boolean): Attribute => ({ key, value: String(value) });
export const event = (type: string, ...attributes: Attribute[]): Event => ({ type, attributes });

/**
 * `attrs` and then `a`, in a new array of exactly that length. Blocks are kept in memory, and push,
 * spread and concat all cost more: the first two leave room for ~16 more elements, concat is slow.
 */
export function withAttribute(attrs: readonly Attribute[], a: Attribute): Attribute[] {
  const n = attrs.length;
  const out = new Array<Attribute>(n + 1);
  for (let i = 0; i < n; i++) out[i] = attrs[i]!;
  out[n] = a;
  return out;
}

export type ReplyOn = 'never' | 'success' | 'error' | 'always';

export interface SubMsg {
  id: number;
  msg: CosmosMsg;
  replyOn: ReplyOn;
  /** Opaque payload handed back in the reply (CosmWasm 2 `payload`). */
  payload?: unknown;
}

export interface IbcTimeout {
  /** Nanoseconds since the Unix epoch; the mesh contracts only use timestamp timeouts (spec §2.4). */
  timestamp: bigint;
}

export type CosmosMsg =
  | { kind: 'wasm_execute'; contract: string; msg: unknown; funds: Coin[] }
  | { kind: 'wasm_instantiate'; codeId: number; msg: unknown; funds: Coin[]; label: string; admin?: string }
  | { kind: 'bank_send'; to: string; amount: Coin[] }
  | { kind: 'staking_delegate'; validator: string; amount: Coin }
  | { kind: 'staking_undelegate'; validator: string; amount: Coin }
  | { kind: 'staking_redelegate'; src: string; dst: string; amount: Coin }
  | { kind: 'distribution_withdraw'; validator: string }
  | { kind: 'distribution_set_withdraw_address'; address: string }
  | { kind: 'gov_vote'; proposalId: bigint; vote: unknown }
  | { kind: 'gov_vote_weighted'; proposalId: bigint; options: unknown }
  | { kind: 'ibc_send_packet'; channelId: string; data: Uint8Array; timeout: IbcTimeout }
  | { kind: 'ibc_close_channel'; channelId: string }
  /** Custom chain messages: `{"virtual_stake":…}` (x/meshsecurity) or `{"provider":…}` (x/meshsecurityprovider). */
  | { kind: 'custom'; msg: Record<string, unknown> };

export interface Response {
  attributes: Attribute[];
  /** Custom events, type without the `wasm-` prefix (wasmd adds it). */
  events: Event[];
  messages: SubMsg[];
  data?: Uint8Array;
}

export interface IbcReceiveResponse extends Response {
  /** Raw acknowledgement bytes (the contract's success ack). */
  acknowledgement: Uint8Array;
}

export const emptyResponse = (): Response => ({ attributes: [], events: [], messages: [] });

/** Small builder so contracts read like their Rust originals. */
export class ResponseBuilder implements Response {
  attributes: Attribute[] = [];
  events: Event[] = [];
  messages: SubMsg[] = [];
  data?: Uint8Array;

  attr(key: string, value: string | bigint | number | boolean): this {
    this.attributes.push(attr(key, value));
    return this;
  }

  event(type: string, ...attributes: Attribute[]): this {
    this.events.push({ type, attributes });
    return this;
  }

  addEvent(e: Event): this {
    this.events.push(e);
    return this;
  }

  msg(msg: CosmosMsg): this {
    this.messages.push({ id: 0, msg, replyOn: 'never' });
    return this;
  }

  submsg(id: number, msg: CosmosMsg, replyOn: ReplyOn, payload?: unknown): this {
    this.messages.push({ id, msg, replyOn, payload });
    return this;
  }

  setData(data: Uint8Array): this {
    this.data = data;
    return this;
  }
}

export interface BlockInfo {
  height: bigint;
  /** Nanoseconds since the Unix epoch. */
  time: bigint;
  chainId: string;
}

export interface MessageInfo {
  sender: string;
  funds: Coin[];
}

/** An error a contract returns; `message` is the Display text of the contract's error enum. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}

/** An SDK module error with codespace and ABCI code (e.g. meshsecurity/2 "max cap exceeded"). */
export class ModuleError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ModuleError';
  }
}

export const nsPerSecond = 1_000_000_000n;
