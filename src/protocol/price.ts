// Converter price normalisation (spec §4.4, ms:contracts/consumer/converter/src/contract.rs):
// provider → consumer uses the price and the discount adjustment, consumer → provider their
// truncated inverses, each step floored (Uint128 × Decimal), so round trips lose a unit.
import { Decimal, mulFloor } from './decimal.ts';

/** ContractError::InvalidDiscount (converter). */
export const INVALID_DISCOUNT = 'Invalid discount, must be between 0.0 and 1.0';
/** ContractError::InvalidPrice (converter): the variant exists upstream, its text was not found (errors.md §8.1). */
export const INVALID_PRICE = 'Invalid price, must be greater than 0.0';

export class PriceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceError';
  }
}

/** adj = 1 − discount; instantiate rejects discount ≥ 1 (spec §1.5). */
export function priceAdjustment(discount: Decimal): Decimal {
  if (discount.cmp(Decimal.one) >= 0) throw new PriceError(INVALID_DISCOUNT);
  return Decimal.one.sub(discount);
}

/** Provider → consumer (stake, unstake, burn): floor(floor(a × price) × adj) (spec §4.4). */
export function normalizeAmount(amount: bigint, price: Decimal, adjustment: Decimal): bigint {
  return mulFloor(mulFloor(amount, price), adjustment);
}

/**
 * Consumer → provider (slash amounts, internal_unstake `inverted_amount`):
 * floor(floor(a × inv(price)) × inv(adj)), inv() truncating to 18 digits (spec §4.4).
 */
export function invertAmount(amount: bigint, price: Decimal, adjustment: Decimal): bigint {
  const invPrice = price.inv();
  if (!invPrice) throw new PriceError(INVALID_PRICE);
  const invAdj = adjustment.inv();
  if (!invAdj) throw new PriceError(INVALID_DISCOUNT);
  return mulFloor(mulFloor(amount, invPrice), invAdj);
}
