// x/bank: balances and the SDK 0.47/0.50 transfer events (cosmos-wire §3).
import { JMap, type Journal, key } from '../state/journal.ts';
import { type Coin, type Event, ModuleError, attr, coinsStr, event } from './types.ts';

export class Bank {
  private readonly balances: JMap<bigint>;
  private readonly supply: JMap<bigint>;

  constructor(journal: Journal) {
    this.balances = new JMap(journal);
    this.supply = new JMap(journal);
  }

  balance(address: string, denom: string): bigint {
    return this.balances.get(key(address, denom)) ?? 0n;
  }

  allBalances(address: string): Coin[] {
    const prefix = address + '\u0000';
    return this.balances
      .entries({ prefix })
      .filter(([, a]) => a > 0n)
      .map(([k, amount]) => ({ denom: k.slice(prefix.length), amount }));
  }

  totalSupply(denom: string): bigint {
    return this.supply.get(denom) ?? 0n;
  }

  private add(address: string, c: Coin): void {
    if (c.amount === 0n) return;
    const k = key(address, c.denom);
    this.balances.set(k, (this.balances.get(k) ?? 0n) + c.amount);
  }

  private sub(address: string, c: Coin): void {
    if (c.amount === 0n) return;
    const k = key(address, c.denom);
    const have = this.balances.get(k) ?? 0n;
    if (have < c.amount) {
      throw new ModuleError('sdk', 5, `spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}: insufficient funds`);
    }
    this.balances.set(k, have - c.amount);
  }

  /** MsgSend / BankMsg::Send: returns the events, `message{sender}` included (callers drop it for sub-messages). */
  send(from: string, to: string, amount: readonly Coin[]): Event[] {
    const coins = amount.filter((c) => c.amount > 0n);
    if (coins.length === 0) return [];
    for (const c of coins) this.sub(from, c);
    for (const c of coins) this.add(to, c);
    const s = coinsStr(coins);
    return [
      event('coin_spent', attr('spender', from), attr('amount', s)),
      event('coin_received', attr('receiver', to), attr('amount', s)),
      event('transfer', attr('recipient', to), attr('sender', from), attr('amount', s)),
      event('message', attr('sender', from)),
    ];
  }

  /** Moves coins without events (module-internal bookkeeping such as bonded/not-bonded pools). */
  moveSilently(from: string, to: string, c: Coin): void {
    this.sub(from, c);
    this.add(to, c);
  }

  mint(moduleAddress: string, c: Coin): Event[] {
    this.add(moduleAddress, c);
    this.supply.set(c.denom, this.totalSupply(c.denom) + c.amount);
    const s = coinsStr([c]);
    return [
      event('coin_received', attr('receiver', moduleAddress), attr('amount', s)),
      event('coinbase', attr('minter', moduleAddress), attr('amount', s)),
    ];
  }

  burn(moduleAddress: string, c: Coin): Event[] {
    this.sub(moduleAddress, c);
    this.supply.set(c.denom, this.totalSupply(c.denom) - c.amount);
    const s = coinsStr([c]);
    return [event('coin_spent', attr('spender', moduleAddress), attr('amount', s)), event('burn', attr('burner', moduleAddress), attr('amount', s))];
  }

  /** Genesis allocation. */
  fund(address: string, c: Coin): void {
    this.add(address, c);
    this.supply.set(c.denom, this.totalSupply(c.denom) + c.amount);
  }
}
