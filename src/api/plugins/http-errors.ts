// Requests that never reach GraphQL execution still get a GraphQL-shaped answer
// (`{"errors":[{"message","extensions":{"code"}}]}`) with the 4xx status the GraphQL-over-HTTP spec
// asks for: malformed JSON (400), a body over the size limit (413), a POST that is not JSON (415),
// an unknown path (404). Only our own faults are 5xx, with a generic message.
import type { ApolloServerPlugin } from '@apollo/server';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { INTERNAL_MESSAGE } from './error-format.ts';

/** Sends `{"errors":[…]}` as JSON with `status`. */
export function sendGraphQLError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).set(headers).type('application/json').send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** POST bodies must be JSON (GraphQL-over-HTTP §"Media types"); anything else is 415 before parsing. */
export function requireJsonPost(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const type = req.headers['content-type'];
    if (!type) return sendGraphQLError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'POST requests need "Content-Type: application/json"');
    if (!req.is('application/json')) {
      return sendGraphQLError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Type "${type.slice(0, 100)}": send "application/json"`);
    }
    next();
  };
}

/** JSON body parser with a size limit; `req.body` is always set afterwards (Apollo requires it). */
export function jsonBody(limit: string | number): RequestHandler[] {
  return [
    express.json({ limit, strict: true }),
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
  ];
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  length?: number;
}

/** Turns body-parser failures into GraphQL errors; logs and hides anything unexpected. */
export function httpErrorHandler(opts: { bodyLimit: string | number; log: (line: string) => void; onError?: (code: string) => void }): ErrorRequestHandler {
  return (err: BodyParserError, _req, res, _next) => {
    const reply = (status: number, code: string, message: string) => {
      opts.onError?.(code);
      sendGraphQLError(res, status, code, message);
    };
    switch (err?.type) {
      case 'entity.too.large':
        return reply(413, 'PAYLOAD_TOO_LARGE', `request body of ${err.length ?? '?'} bytes is over the ${opts.bodyLimit} limit`);
      case 'entity.parse.failed':
        return reply(400, 'BAD_REQUEST', `malformed JSON body: ${err.message.slice(0, 200)}`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return reply(415, 'UNSUPPORTED_MEDIA_TYPE', err.message.slice(0, 200));
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
        return reply(400, 'BAD_REQUEST', err.message.slice(0, 200));
    }
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      return reply(err.status, 'BAD_REQUEST', String(err.message).slice(0, 200));
    }
    opts.log(`internal error in HTTP handling: ${err?.stack ?? String(err)}`);
    reply(500, 'INTERNAL_SERVER_ERROR', INTERNAL_MESSAGE);
  };
}

/** Any path the server does not serve. */
export function notFound(): RequestHandler {
  return (req, res) => sendGraphQLError(res, 404, 'NOT_FOUND', `no route for ${req.method} ${req.path.slice(0, 200)}`);
}

/** Apollo plugin: a subscription sent over HTTP is a 400 pointing at the WebSocket endpoint. */
export function subscriptionsOverHttpRefused(path: string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(`subscriptions are served over WebSocket (graphql-transport-ws) at ${path}`, {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
