// x/bank: balances and the SDK 0.47/0.50 transfer events (cosmos-wire §3).
import { JMap, type Journal } from '../state/journal.ts';
import { type Coin, type Event, ModuleError, attr, coinsStr, event } from './types.ts';

export class Bank {
  /**
   * Balances by denom, then address. Keyed by the address alone, a lookup hashes a string that is
   * usually hashed already; a composite `address/denom` key is built and hashed afresh on every
   * read, several times the cost (bank reads are the devnet's most frequent store access).
   */
  private readonly balances = new Map<string, JMap<bigint>>();
  private readonly supply: JMap<bigint>;

  constructor(private readonly journal: Journal) {
    this.supply = new JMap(journal);
  }

  /** The denom's balances; made on first use (an empty map reads as no balances, at every height). */
  private ofDenom(denom: string): JMap<bigint> {
    let m = this.balances.get(denom);
    if (m === undefined) this.balances.set(denom, (m = new JMap(this.journal)));
    return m;
  }

  balance(address: string, denom: string): bigint {
    return this.balances.get(denom)?.get(address) ?? 0n;
  }

  /** Positive balances in denom order, as x/bank's AllBalances. */
  allBalances(address: string): Coin[] {
    const out: Coin[] = [];
    for (const denom of [...this.balances.keys()].sort()) {
      const amount = this.balances.get(denom)!.get(address);
      if (amount !== undefined && amount > 0n) out.push({ denom, amount });
    }
    return out;
  }

  totalSupply(denom: string): bigint {
    return this.supply.get(denom) ?? 0n;
  }

  private add(address: string, c: Coin): void {
    if (c.amount === 0n) return;
    const m = this.ofDenom(c.denom);
    m.set(address, (m.get(address) ?? 0n) + c.amount);
  }

  private sub(address: string, c: Coin): void {
    if (c.amount === 0n) return;
    const m = this.balances.get(c.denom); // a denom nobody holds fails below without making its map
    const have = m?.get(address) ?? 0n;
    if (have < c.amount) {
      throw new ModuleError('sdk', 5, `spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}: insufficient funds`);
    }
    m!.set(address, have - c.amount);
  }

  /** MsgSend / BankMsg::Send: returns the events, `message{sender}` included (callers drop it for sub-messages). */
  send(from: string, to: string, amount: readonly Coin[]): Event[] {
    const coins = amount.filter((c) => c.amount > 0n);
    if (coins.length === 0) return [];
    for (const c of coins) this.sub(from, c);
    for (const c of coins) this.add(to, c);
    return sendEvents(from, to, coinsStr(coins));
  }

  /**
   * SendCoinsFromModuleToModule (staking's pool moves, mint → fee collector, fee collector →
   * distribution): SendCoins' events, `message{sender}` included, and emitted for nothing too, with an
   * empty amount (subUnlockedCoins and addCoins emit whatever the coins are).
   */
  moduleSend(from: string, to: string, c: Coin): Event[] {
    if (c.amount > 0n) {
      this.sub(from, c);
      this.add(to, c);
    }
    return sendEvents(from, to, c.amount > 0n ? coinsStr([c]) : '');
  }

  /** Moves coins without events (the transfer half of DelegateCoins / UndelegateCoins, which emit their own). */
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

/** x/bank SendCoins' events, in its order (cosmos-wire §3). */
function sendEvents(from: string, to: string, amount: string): Event[] {
  return [
    event('coin_spent', attr('spender', from), attr('amount', amount)),
    event('coin_received', attr('receiver', to), attr('amount', amount)),
    event('transfer', attr('recipient', to), attr('sender', from), attr('amount', amount)),
    event('message', attr('sender', from)),
  ];
}
