// x/mint's BeginBlocker (cosmos/cosmos-sdk x/mint/abci.go): mints the block provision into the mint
// module account, sends it to the fee collector (x/distribution pays it out in the same BeginBlock,
// with the fees), and emits `mint`. The devnet's provision is a fixed amount a block (the chain's
// blockReward, plus any extra the workload schedules), so the minter's annual provisions are that
// amount × blocks per year and its inflation their share of the supply: a minter whose rate gave
// exactly this provision (Minter.BlockProvision).
import { moduleAccountAddress } from './address.ts';
import type { Bank } from './bank.ts';
import { LegacyDec } from './legacy-dec.ts';
import type { Staking } from './staking.ts';
import { type Event, attr, event } from './types.ts';

/** x/mint's default `blocks_per_year` (x/mint/types/params.go). */
export const BLOCKS_PER_YEAR = 6_311_520n;

export class Mint {
  readonly moduleAddress: string;
  /** Minted on top of the next block's provision (a reward burst the workload schedules). */
  private extra = 0n;

  constructor(
    private readonly bank: Bank,
    private readonly staking: Staking,
    prefix: string,
    private readonly feeCollector: string,
  ) {
    this.moduleAddress = moduleAccountAddress(prefix, 'mint');
  }

  /** Adds `amount` to the next block's provision. */
  addToNextProvision(amount: bigint): void {
    if (amount > 0n) this.extra += amount;
  }

  /**
   * BeginBlocker. A chain with no block reward and no extra has no x/mint here: nothing, not the zero
   * mint and its empty-amount events that x/mint itself would emit every block.
   */
  beginBlock(blockReward: bigint): Event[] {
    const amount = blockReward + this.extra;
    if (amount <= 0n) return [];
    const denom = this.staking.bondDenom;
    // the minter's figures are taken before the mint, on the supply it mints into
    const supply = this.bank.totalSupply(denom);
    const bondedRatio = supply > 0n ? LegacyDec.fromInt(this.staking.totalBondedTokens()).quoInt(supply) : LegacyDec.ZERO;
    const annual = LegacyDec.fromInt(amount * BLOCKS_PER_YEAR);
    const inflation = supply > 0n ? annual.quoInt(supply) : LegacyDec.ZERO;
    const coin = { denom, amount };
    const events = [
      ...this.bank.mint(this.moduleAddress, coin),
      ...this.bank.moduleSend(this.moduleAddress, this.feeCollector, coin),
      event('mint', attr('bonded_ratio', bondedRatio.toString()), attr('inflation', inflation.toString()), attr('annual_provisions', annual.toString()), attr('amount', amount.toString())),
    ];
    // only once minted: a block scope that throws leaves the burst for the next block
    this.extra = 0n;
    return events;
  }
}
