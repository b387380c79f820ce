// GraphQL subscriptions (issue 5, "Realtime"), fed by the indexer's commits through the CommitHub:
// served over WebSocket (graphql-ws) on the /graphql path. Payloads are flat and self-contained
// (ids, chain, heights, time, key amounts), so a client can follow up with `packet(id)`, `slash(id)`
// or `account(address)` for the full picture.
import { type ApiContext, createContext } from '../context.ts';
import { parseAddress } from '../validate.ts';
import type { CommitHub } from './hub.ts';

export interface SubscriptionContext extends ApiContext {
  commits: CommitHub;
}

export const subscriptionTypeDefs = /* GraphQL */ `
  type Subscription {
    "Slashes as the indexer commits them, on every chain or only on chainId."
    slashAdded(chainId: String): SlashAdded!
    "IBC packets whose send, receive, acknowledgement or timeout the indexer has just committed."
    packetUpdated(pairingId: String): PacketUpdated!
    "What the indexer has just committed about an account: its vault position, liens, and lien, delegation and reward history rows."
    accountChanged(address: String!): AccountChanged!
  }

  "A slash recorded on a chain (consumer jailing/tombstoning, or a native slash on a provider)."
  type SlashAdded {
    id: ID!
    chainId: String!
    validator: String!
    kind: String!
    pairingId: String
    infractionHeight: Int
    "Slash ratio as a decimal string."
    ratio: String
    tombstoned: Boolean!
    consumerAmount: String
    providerAmount: String
    height: Int!
    time: String!
    txHash: String
  }

  enum PacketStage {
    SEND
    RECEIVE
    ACKNOWLEDGEMENT
    TIMEOUT
  }

  "A packet that one chain's commit sent, received, acknowledged or timed out."
  type PacketUpdated {
    "<source chain>/<source port>/<source channel>/<sequence>"
    id: ID!
    pairingId: String
    kind: String!
    sequence: String!
    sourceChainId: String!
    sourceChannel: String!
    destChainId: String
    destChannel: String
    "pending | received | acknowledged | error | timed_out, as stored when the event was sent (a later commit may have moved it on)."
    outcome: String!
    "The chain whose commit this is, and the packet's stages in it."
    chainId: String!
    stages: [PacketStage!]!
    "Height and time of the latest of those stages."
    height: Int!
    time: String
    sendHeight: Int
    recvHeight: Int
    ackHeight: Int
    timeoutHeight: Int
    recvSuccess: Boolean
    ackError: String
    latencyMs: Int
  }

  enum AccountChangeSource {
    VAULT_POSITION
    LIEN
    LIEN_EVENT
    DELEGATION_EVENT
    REWARD_EVENT
  }

  "One row about the account in a commit."
  type AccountChange {
    source: AccountChangeSource!
    "History rows: their id. Vault position: the vault; lien: the lien holder."
    id: String!
    "The event kind (history rows)."
    kind: String
    "Collateral (vault position), the lien's high amount (lien), or the event amount."
    amount: String
    "The vault, lien holder or validator the row is about."
    counterparty: String
    height: Int!
    time: String
    txHash: String
  }

  "Everything one commit of one chain recorded about an account."
  type AccountChanged {
    address: String!
    chainId: String!
    fromHeight: Int!
    toHeight: Int!
    time: String
    changes: [AccountChange!]!
  }
`;

/**
 * Each event is resolved with fresh DataLoaders: a subscription's context lives as long as the
 * subscription, and loaders cache rows for their context's lifetime (events of one subscription are
 * executed one after another, so swapping them here is safe).
 */
const fresh = (payload: unknown, _args: unknown, ctx: SubscriptionContext) => {
  ctx.loaders = createContext(ctx).loaders;
  return payload;
};

export const subscriptionResolvers = {
  Subscription: {
    slashAdded: {
      subscribe: (_: unknown, args: { chainId?: string | null }, ctx: SubscriptionContext) => ctx.commits.subscribeSlashes(args.chainId ?? null),
      resolve: fresh,
    },
    packetUpdated: {
      subscribe: (_: unknown, args: { pairingId?: string | null }, ctx: SubscriptionContext) => ctx.commits.subscribePackets(args.pairingId ?? null),
      resolve: fresh,
    },
    accountChanged: {
      subscribe: (_: unknown, args: { address: string }, ctx: SubscriptionContext) => ctx.commits.subscribeAccount(parseAddress(args.address)),
      resolve: fresh,
    },
  },
};
