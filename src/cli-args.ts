// Integer arguments of the command lines (npm start, indexer, api, devnet:live): a commander parser
// that accepts only a whole number in range and names what it expected otherwise.
import { InvalidArgumentError } from 'commander';

export const intArg =
  (what: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (v: string): number => {
    const n = Number(v.trim());
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
