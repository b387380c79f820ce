// The executable schema: base types plus every module's SDL and resolvers.
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { API_MODULES } from '../modules/index.ts';
import { baseResolvers, baseTypeDefs } from './base.ts';
import type { ApiModule } from './module.ts';

export function buildSchema(modules: readonly ApiModule[] = API_MODULES): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [baseTypeDefs, ...modules.map((m) => m.typeDefs)],
    resolvers: [baseResolvers, ...modules.map((m) => m.resolvers)],
  });
}
