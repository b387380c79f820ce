// Field types of scenario files and their parsers. A parse error names the field; the caller
// adds the step, so every message reads like `step 4 (stake_remote): amount: …`.
import { Decimal } from '../../protocol/decimal.ts';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export type FieldType = 'amount' | 'int' | 'decimal' | 'string' | 'bool' | 'json' | 'seconds' | 'names';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  doc: string;
}

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : String(v));

/** Amounts are non-negative integers in the smallest unit: 100000000, "100000000" or "100_000_000". */
export function parseAmount(v: unknown, field: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'string' && /^[0-9][0-9_]*$/.test(v)) return BigInt(v.replaceAll('_', ''));
  throw new ScenarioError(`${field}: malformed amount ${describe(v)} (expected a non-negative integer, e.g. 100000000 or "100_000_000")`);
}

export function parseInt_(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
  throw new ScenarioError(`${field}: expected a non-negative integer, got ${describe(v)}`);
}

export function parseDecimal(v: unknown, field: string): Decimal {
  const s = typeof v === 'number' ? String(v) : v;
  try {
    return Decimal.parse(s);
  } catch (e) {
    throw new ScenarioError(`${field}: malformed decimal ${describe(v)} (${(e as Error).message})`);
  }
}

/** Durations: seconds as a number, or "90s", "15m", "2h", "21d". */
export function parseSeconds(v: unknown, field: string): bigint {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string') {
    const m = /^([0-9]+)(s|m|h|d)?$/.exec(v.trim());
    if (m) return BigInt(m[1]!) * { s: 1n, m: 60n, h: 3600n, d: 86400n }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  }
  throw new ScenarioError(`${field}: malformed duration ${describe(v)} (expected seconds, or e.g. "90s", "15m", "2h", "21d")`);
}

export function parseString(v: unknown, field: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new ScenarioError(`${field}: expected a non-empty string, got ${describe(v)}`);
}

export function parseBool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new ScenarioError(`${field}: expected true or false, got ${describe(v)}`);
}

export function parseNames(v: unknown, field: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new ScenarioError(`${field}: expected a name or a list of names, got ${describe(v)}`);
}

export function parseField(type: FieldType, v: unknown, field: string): unknown {
  switch (type) {
    case 'amount':
      return parseAmount(v, field);
    case 'int':
      return parseInt_(v, field);
    case 'decimal':
      return parseDecimal(v, field);
    case 'string':
      return parseString(v, field);
    case 'bool':
      return parseBool(v, field);
    case 'seconds':
      return parseSeconds(v, field);
    case 'names':
      return parseNames(v, field);
    case 'json':
      return v;
  }
}

/** Checks an object against field specs: unknown keys and missing required ones are errors. */
export function parseFields(raw: unknown, specs: Record<string, FieldSpec>, what: string): Record<string, unknown> {
  const obj: object = raw ?? {};
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new ScenarioError(`${what}: expected an object of arguments, got ${describe(obj)}`);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (!(k in specs)) {
      const known = Object.keys(specs);
      throw new ScenarioError(`${what}: unknown field ${JSON.stringify(k)}${known.length ? ` (expected one of: ${known.join(', ')})` : ' (it takes no arguments)'}`);
    }
  }
  for (const [k, spec] of Object.entries(specs)) {
    const v = (obj as Record<string, unknown>)[k];
    if (v === undefined || v === null) {
      if (spec.required) throw new ScenarioError(`${what}: missing field ${JSON.stringify(k)} (${spec.doc})`);
      continue;
    }
    out[k] = parseField(spec.type, v, k);
  }
  return out;
}
