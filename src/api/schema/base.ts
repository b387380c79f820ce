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

  "An ISO-8601 time range filter; either bound may be omitted."
  input TimeRange {
    from: String
    to: String
  }
`;

export const baseResolvers = {
  Query: { apiVersion: () => '1' },
};
