// Query shape limits (issue 5, "Limits and safety"): depth, cost, aliases, directives and tokens, checked
// before anything executes. graphql-armor supplies the validation rules; a rejected document is a
// QUERY_TOO_EXPENSIVE error (HTTP 400), never an execution. Tokens are counted by graphql-js's own
// parser (`parseOptions.maxTokens`), which aborts before building a huge AST. Outside development,
// "Did you mean …" suggestions are masked so the schema cannot be probed field by field.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';

export interface QueryLimits {
  /** Deepest selection (fields nested in fields; introspection is exempt). */
  maxDepth: number;
  /** graphql-armor cost: objects cost 2, scalars 1, multiplied by 1.5 per level of depth. */
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens in the document. */
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
};

export interface QueryLimitProtection {
  /** Apollo plugins (suggestion masking outside dev). */
  plugins: ApolloServerPlugin[];
  /** Validation rules for every operation (HTTP and WebSocket alike). */
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

function reject(ctx: ValidationContext | null, error: GraphQLError): void {
  // graphql-armor words its limits as syntax errors; they are not
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'QUERY_TOO_EXPENSIVE' } }));
}

export function queryLimits(opts: { dev: boolean; limits?: Partial<QueryLimits> }): QueryLimitProtection {
  const l = { ...DEFAULT_QUERY_LIMITS, ...opts.limits };
  const onRejection = { exposeLimits: true, propagateOnRejection: false, onReject: [reject] };
  const armor = new ApolloArmor({
    maxDepth: { n: l.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...onRejection },
    costLimit: { maxCost: l.maxCost, ignoreIntrospection: true, ...onRejection },
    maxAliases: { n: l.maxAliases, ...onRejection },
    maxDirectives: { n: l.maxDirectives, ...onRejection },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !opts.dev },
  }).protect();
  // graphql-armor is typed against Apollo's CommonJS build; the plugin objects are the same
  return { plugins: armor.plugins as unknown as ApolloServerPlugin[], validationRules: armor.validationRules, parseOptions: { maxTokens: l.maxTokens } };
}
