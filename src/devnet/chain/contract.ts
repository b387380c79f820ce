// The contract interface the simulated wasm module runs: the CosmWasm entry points, with JSON
// messages in and Response values out. Contract code lives in src/devnet/contracts/.
import type { Journal } from '../state/journal.ts';
import type { BlockInfo, Coin, IbcReceiveResponse, MessageInfo, Response } from './types.ts';

export interface ContractEnv {
  block: BlockInfo;
  contract: { address: string };
}

/** cosmwasm_std::Validator as the staking querier returns it. */
export interface QueryValidator {
  address: string;
  commission: string;
  max_commission: string;
  max_change_rate: string;
}

export interface QueryDelegation {
  delegator: string;
  validator: string;
  amount: Coin;
}

/** What a contract may ask the chain: other contracts, bank, staking and the mesh custom queries. */
export interface Querier {
  wasmSmart(contract: string, msg: unknown): any;
  balance(address: string, denom: string): Coin;
  bondedDenom(): string;
  /** AllValidators: the bonded set. */
  allValidators(): QueryValidator[];
  validator(address: string): QueryValidator | undefined;
  delegation(delegator: string, validator: string): QueryDelegation | undefined;
  allDelegations(delegator: string): QueryDelegation[];
  custom(query: Record<string, unknown>): any;
}

export interface Api {
  addrValidate(address: string): string;
  prefix: string;
}

export interface Ctx {
  env: ContractEnv;
  querier: Querier;
  api: Api;
  journal: Journal;
  chainId: string;
}

export interface Reply {
  id: number;
  payload?: unknown;
  result: { ok: { events: import('./types.ts').Event[]; data?: Uint8Array } } | { err: string };
}

export interface IbcEndpoint {
  port_id: string;
  channel_id: string;
}

export interface IbcChannel {
  endpoint: IbcEndpoint;
  counterparty_endpoint: IbcEndpoint;
  order: 'ORDER_UNORDERED' | 'ORDER_ORDERED';
  version: string;
  connection_id: string;
}

export interface IbcPacket {
  data: Uint8Array;
  src: IbcEndpoint;
  dest: IbcEndpoint;
  sequence: bigint;
  timeout: { timestamp: bigint };
}

export type ChannelOpenMsg =
  | { open_init: { channel: IbcChannel } }
  | { open_try: { channel: IbcChannel; counterparty_version: string } };

export type ChannelConnectMsg =
  | { open_ack: { channel: IbcChannel; counterparty_version: string } }
  | { open_confirm: { channel: IbcChannel } };

export type ChannelCloseMsg = { close_init: { channel: IbcChannel } } | { close_confirm: { channel: IbcChannel } };

export interface ContractInstance {
  execute(ctx: Ctx, info: MessageInfo, msg: unknown): Response;
  query(ctx: Ctx, msg: unknown): unknown;
  sudo?(ctx: Ctx, msg: unknown): Response;
  reply?(ctx: Ctx, reply: Reply): Response;
  /** Returns the version to use (None in Rust → undefined: accept the proposed one). */
  ibcChannelOpen?(ctx: Ctx, msg: ChannelOpenMsg): string | undefined;
  ibcChannelConnect?(ctx: Ctx, msg: ChannelConnectMsg): Response;
  ibcChannelClose?(ctx: Ctx, msg: ChannelCloseMsg): Response;
  ibcPacketReceive?(ctx: Ctx, packet: IbcPacket, relayer: string): IbcReceiveResponse;
  ibcPacketAck?(ctx: Ctx, ack: Uint8Array, packet: IbcPacket, relayer: string): Response;
  ibcPacketTimeout?(ctx: Ctx, packet: IbcPacket, relayer: string): Response;
}

/** Code uploaded to a chain: cw2 name/version and an instantiate that builds the instance. */
export interface ContractCode {
  name: string;
  version: string;
  instantiate(ctx: Ctx, info: MessageInfo, msg: unknown): { instance: ContractInstance; response: Response };
}
