// GraphQL errors the API raises on purpose. Every one carries a code in `extensions.code`, so clients
// can tell their own mistakes (BAD_USER_INPUT) from ours.
import { GraphQLError } from 'graphql';

/** The client sent something malformed or out of range: an address, a cursor, a range, a page size. */
export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
}

/** A query that is valid but would cost more than the server allows (depth, cost, rate). */
export function tooExpensive(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_EXPENSIVE' } });
}
