// Types every module shares. Conventions (issue 5): amounts are String (Uint128 in decimal), times are
// ISO-8601 String, heights Int.
export const baseTypeDefs = /* GraphQL */ `
  type Query {
    "The API's version."
    apiVersion: String!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  enum OrderDirection {
    ASC
    DESC
  }

  "A height/time range filter; either bound may be omitted."
  input HeightRange {
    from: Int
    to: Int
  }

  "An amount that is not settled yet: low if every pending change fails, high if every one succeeds (spec §4.1)."
  type AmountRange {
    low: String!
    high: String!
  }

  enum SlashKind {
    "A provider validator, slashed on the provider (spec §4.3.1)."
    NATIVE
    "A consumer validator, slashed on the consumer and reported to the provider (spec §4.3.2)."
    CROSS
  }

  "How a staker's slash reached their vault position (spec §4.3.3)."
  enum SlashPropagation {
    "The staker's free collateral covered the slash."
    NONE
    "Case A of spec §4.3.3: liens above the new collateral are clamped and burned."
    LIENS_ADJUSTMENT
    "Case B of spec §4.3.3: every lien is cut by the same amount and burned."
    TOTAL_SLASHABLE_ADJUSTMENT
  }

  "An ISO-8601 time range filter; either bound may be omitted."
  input TimeRange {
    from: String
    to: String
  }
`;

export const baseResolvers = {
  Query: { apiVersion: () => '1' },
};
