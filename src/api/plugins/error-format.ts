// What a client sees of an error. Errors the API raises on purpose keep their code and message;
// anything else (a database that is down, a bug) becomes INTERNAL_SERVER_ERROR with a generic message
// and is logged here with its stack. A query cancelled by the statement timeout is QUERY_TIMEOUT.
// Stack traces and original messages only in development (`dev`).
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/** Codes a client may act on; their messages are written for clients. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_EXPENSIVE',
  'QUERY_TIMEOUT',
  'SERVER_BUSY',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'NOT_FOUND',
]);

export const INTERNAL_MESSAGE = 'Internal server error';

/** PostgreSQL's query_canceled, raised by statement_timeout. */
const PG_QUERY_CANCELED = '57014';

/** true when `err` (or anything in its cause chain) is PostgreSQL cancelling a statement on timeout. */
export function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e != null && i < 8; i++) {
    const o = e as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (o.code === PG_QUERY_CANCELED || o.originalCode === PG_QUERY_CANCELED) return true;
    // Prisma's driver adapter keeps only the message of the database error
    if (typeof o.message === 'string' && o.message.includes('canceling statement due to statement timeout')) return true;
    e = o.cause ?? o.originalError;
  }
  return false;
}

export interface ErrorFormatOptions {
  dev: boolean;
  statementTimeoutMs: number;
  log: (line: string) => void;
}

/** Apollo's `formatError` (also used for WebSocket operations). */
export function makeErrorFormatter(opts: ErrorFormatOptions): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (isStatementTimeout(original)) {
      return {
        message: `the query was cancelled by the ${opts.statementTimeoutMs} ms statement timeout: ask for less (a smaller page, a narrower range)`,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'QUERY_TIMEOUT' },
      };
    }
    // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; a limit keeps its own code
    const inner = (original as GraphQLError | undefined)?.originalError as GraphQLError | undefined;
    if (code === 'GRAPHQL_VALIDATION_FAILED' && inner?.extensions?.code === 'QUERY_TOO_EXPENSIVE') {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_EXPENSIVE' } };
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;
    const where = formatted.path ? ` at ${formatted.path.join('.')}` : '';
    opts.log(`internal error${where}: ${(original as Error)?.stack ?? String(original)}`);
    if (opts.dev) return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** The same rules for a GraphQLError outside Apollo (WebSocket operations). */
export function formatGraphQLError(err: GraphQLError, format: ReturnType<typeof makeErrorFormatter>): GraphQLFormattedError {
  return format(err.toJSON(), err);
}
