// The CometBFT event query language subset used by tx_search, block_search and websocket
// subscriptions (cosmos-wire §1.10): `key op operand` joined by AND; keys are `tm.event`,
// `tx.height`, `tx.hash`, `block.height` or `<event type>.<attribute key>`.
import type { Event } from '../chain/types.ts';

export type Op = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export interface Condition {
  key: string;
  op: Op;
  /** A quoted string operand, or a number operand kept as its text. */
  value?: string;
  numeric: boolean;
}

export class QueryParseError extends Error {}

const TOKEN = /\s*(?:(AND)\b|(CONTAINS|EXISTS)\b|(<=|>=|=|<|>)|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.\-/]*))/y;

export function parseQuery(q: string): Condition[] {
  const tokens: Array<{ kind: 'and' | 'word' | 'op' | 'str' | 'num'; text: string }> = [];
  TOKEN.lastIndex = 0;
  const src = q.trim();
  while (TOKEN.lastIndex < src.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m || m.index !== start) throw new QueryParseError(`failed to parse query ${JSON.stringify(q)}: unexpected input at ${start}`);
    if (m[1]) tokens.push({ kind: 'and', text: 'AND' });
    else if (m[2] || m[3]) tokens.push({ kind: 'op', text: (m[2] ?? m[3])! });
    else if (m[4] !== undefined) tokens.push({ kind: 'str', text: m[4].replace(/\\(.)/g, '$1') });
    else if (m[5]) tokens.push({ kind: 'num', text: m[5] });
    else tokens.push({ kind: 'word', text: m[6]! });
  }
  const conds: Condition[] = [];
  let i = 0;
  const fail = (): never => {
    throw new QueryParseError(`failed to parse query ${JSON.stringify(q)}`);
  };
  while (i < tokens.length) {
    const key = tokens[i++];
    const op = tokens[i++];
    if (key?.kind !== 'word' || op?.kind !== 'op') fail();
    if (op!.text === 'EXISTS') conds.push({ key: key!.text, op: 'EXISTS', numeric: false });
    else {
      const v = tokens[i++];
      if (v?.kind !== 'str' && v?.kind !== 'num') fail();
      conds.push({ key: key!.text, op: op!.text as Op, value: v!.text, numeric: v!.kind === 'num' });
    }
    if (i === tokens.length) break;
    // AND must join two conditions: a trailing one is an error (syntax/parser.go parseCond after TAnd)
    if (tokens[i++]!.kind !== 'and' || i === tokens.length) fail();
  }
  if (conds.length === 0) fail();
  return conds;
}

function test(c: Condition, actual: string): boolean {
  if (c.op === 'EXISTS') return true;
  const want = c.value!;
  if (c.op === 'CONTAINS') return actual.includes(want);
  if (c.numeric || c.op !== '=') {
    const a = Number(actual);
    const w = Number(want);
    if (Number.isNaN(a) || Number.isNaN(w)) return c.op === '=' && actual === want;
    switch (c.op) {
      case '=':
        return a === w;
      case '<':
        return a < w;
      case '<=':
        return a <= w;
      case '>':
        return a > w;
      case '>=':
        return a >= w;
    }
  }
  return actual === want;
}

/** Builtin composite keys (tm.event, tx.height, …) → their single value for the thing matched. */
export type Builtins = Record<string, string>;

/**
 * The (event type, attribute key) pairs a composite key can name. CometBFT indexes and matches
 * `type + "." + key` as one string, and either part may hold dots: `wasm.a.b` is attribute `a.b` of
 * `wasm` as well as `b` of `wasm.a`.
 */
export function keySplits(key: string): Array<[type: string, attr: string]> {
  const out: Array<[string, string]> = [];
  for (let dot = key.indexOf('.', 1); dot > 0 && dot < key.length - 1; dot = key.indexOf('.', dot + 1)) out.push([key.slice(0, dot), key.slice(dot + 1)]);
  return out;
}

/** Whether `key` names any (type, attribute key) pair: a dot with something on both sides. */
const composite = (key: string): boolean => {
  const dot = key.indexOf('.', 1);
  return dot > 0 && dot < key.length - 1;
};

/** Whether event `e` has an attribute under the composite key `key` (`e.type + "." + attribute key`). */
const under = (e: Event, key: string): string | undefined =>
  key.length > e.type.length + 1 && e.type !== '' && key.charCodeAt(e.type.length) === 0x2e && key.startsWith(e.type) ? key.slice(e.type.length + 1) : undefined;

/** `events` may be a function: it is called once, and only if a condition is not on a builtin key. */
export function matches(conds: Condition[], builtins: Builtins, events: Event[] | (() => Event[])): boolean {
  let evs = typeof events === 'function' ? undefined : events;
  return conds.every((c) => {
    if (c.key in builtins) return test(c, builtins[c.key]!);
    if (!composite(c.key)) return false; // matched per tx: no array of splits here
    evs ??= (events as () => Event[])();
    return evs.some((e) => {
      const attr = under(e, c.key);
      return attr !== undefined && e.attributes.some((a) => a.key === attr && test(c, a.value));
    });
  });
}

/** `type.key` → values, as CometBFT's event bus attaches to a pushed event (types/event_bus.go). */
export type EventsMap = Map<string, string[]>;

/** libs/pubsub/query Matches: each condition holds for some value of its key. */
export function matchesMap(conds: Condition[], events: EventsMap): boolean {
  return conds.every((c) => events.get(c.key)?.some((v) => test(c, v)) ?? false);
}

/** Height bounds a query puts on `key` (e.g. tx.height), to avoid scanning every block. */
export function heightRange(conds: Condition[], key: string): { min?: bigint; max?: bigint } {
  let min: bigint | undefined;
  let max: bigint | undefined;
  for (const c of conds) {
    if (c.key !== key || c.value === undefined || !/^-?\d+$/.test(c.value)) continue;
    const v = BigInt(c.value);
    const lo = c.op === '=' || c.op === '>=' ? v : c.op === '>' ? v + 1n : undefined;
    const hi = c.op === '=' || c.op === '<=' ? v : c.op === '<' ? v - 1n : undefined;
    if (lo !== undefined && (min === undefined || lo > min)) min = lo;
    if (hi !== undefined && (max === undefined || hi < max)) max = hi;
  }
  return { min, max };
}
