// A feature of the API: its SDL (`extend type Query { ... }`) and resolvers. src/api/modules/index.ts
// lists them; the schema is their union over base.ts.
export interface ApiModule {
  name: string;
  typeDefs: string;
  // biome-ignore lint: resolver maps are shaped by the SDL
  resolvers: Record<string, any>;
}
