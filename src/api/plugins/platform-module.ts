// The schema part the platform owns: the @expensive directive modules use to mark costly fields, and
// the Subscription type with its payloads. Listed in src/api/modules/index.ts like any module.
import type { ApiModule } from '../schema/module.ts';
import { subscriptionResolvers, subscriptionTypeDefs } from '../subscriptions/module.ts';
import { expensiveTypeDefs } from './expensive.ts';

export const platformModule: ApiModule = {
  name: 'platform',
  typeDefs: expensiveTypeDefs + subscriptionTypeDefs,
  resolvers: subscriptionResolvers,
};
