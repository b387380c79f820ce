// The decoded form of a block that flows from the fetcher through decoding to the mappings.
// Everything a mapping needs to locate a row (chain, height, time, tx hash, message and event
// index) travels with the event.

export interface EventAttribute {
  key: string;
  value: string;
}

export interface ChainEvent {
  type: string;
  attributes: EventAttribute[];
  /** Position in its list (tx events, or the block's begin/end events). */
  index: number;
  /** Message the event belongs to: `msg_index` (SDK 0.50) or the order of `message` events (0.47). */
  msgIndex?: number;
}

export interface DecodedMsg {
  typeUrl: string;
  /** cosmjs-types decoded message; undefined when the type is unknown or the bytes do not decode. */
  value?: Record<string, unknown>;
  /** For MsgExecuteContract / MsgInstantiateContract: the contract JSON message. */
  json?: unknown;
  error?: string;
}

export interface DecodedTx {
  hash: string;
  index: number;
  code: number;
  codespace: string;
  log: string;
  signer?: string;
  msgs: DecodedMsg[];
  events: ChainEvent[];
}

export interface DecodedBlock {
  chainId: string;
  height: number;
  /** Block time with nanoseconds (CometBFT keeps them; SQL keeps microseconds). */
  timeNs: bigint;
  time: Date;
  hash: string;
  txs: DecodedTx[];
  /** BeginBlock events (0.37 begin_block_events; 0.38 finalize events with mode=BeginBlock). */
  beginEvents: ChainEvent[];
  /** EndBlock events (0.37 end_block_events; 0.38 finalize events with mode=EndBlock). */
  endEvents: ChainEvent[];
  /** Problems met while decoding, for the dead-letter table. */
  problems: DecodeProblem[];
}

export interface DecodeProblem {
  kind: 'tx' | 'event' | 'block';
  reason: string;
  txHash?: string;
  msgIndex?: number;
  eventIndex?: number;
  raw?: string;
}

/** The contract kinds the mappings handle (spec §1). */
export type ContractKind = 'vault' | 'native_staking' | 'native_staking_proxy' | 'external_staking' | 'converter' | 'virtual_staking' | 'price_feed';

/** cw2 names → kinds (spec §0.3). */
export const KIND_BY_CW2_NAME: Record<string, ContractKind> = {
  'mesh-vault': 'vault',
  'mesh-native-staking': 'native_staking',
  'mesh-native-staking-proxy': 'native_staking_proxy',
  'mesh-external-staking': 'external_staking',
  'mesh-converter': 'converter',
  'mesh-virtual-staking': 'virtual_staking',
  'mesh-simple-price-feed': 'price_feed',
  'mesh-osmosis-price-feed': 'price_feed',
  'mesh-band-price-feed': 'price_feed',
};
