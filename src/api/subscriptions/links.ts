// Links from the subscription payloads to the explorer's own node types (src/api/modules/slash.ts and
// packet.ts): `SlashAdded.slash` is the full Slash with its cascade, `PacketUpdated.packet` the full
// Packet with both halves. Joined by the server only when the schema has those types, so the platform
// module stands alone (tests with other modules, builds without the explorer).
import type { ApiModule } from '../schema/module.ts';
import type { SubscriptionContext } from './module.ts';

export const LINKED_TYPES = ['Slash', 'Packet'] as const;

export const subscriptionLinksModule: ApiModule = {
  name: 'subscription-links',
  typeDefs: /* GraphQL */ `
    extend type SlashAdded {
      "The slash as the explorer shows it, with its whole cascade (as indexed when the event is sent)."
      slash: Slash
    }
    extend type PacketUpdated {
      "The packet as the explorer shows it, with both halves and its payload."
      packet: Packet
    }
  `,
  resolvers: {
    SlashAdded: { slash: (s: { id: string }, _: unknown, ctx: SubscriptionContext) => ctx.loaders.explorer.slashById.load(s.id) },
    PacketUpdated: { packet: (p: { id: string }, _: unknown, ctx: SubscriptionContext) => ctx.loaders.explorer.packetById.load(p.id) },
  },
};
