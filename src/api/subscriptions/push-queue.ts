// A bounded async iterator fed by push(): one per subscriber. A subscriber that falls `limit` events
// behind is ended (its client sees the subscription complete) rather than buffering without bound.

export class PushQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiters: Array<(r: IteratorResult<T>) => void> = [];
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly onClose: (reason: 'returned' | 'overflow') => void,
  ) {}

  get done(): boolean {
    return this.closed;
  }

  /** Delivers `value`; false when the queue is closed (or just closed on overflow). */
  push(value: T): boolean {
    if (this.closed) return false;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter({ value, done: false });
      return true;
    }
    if (this.items.length >= this.limit) {
      this.close('overflow');
      return false;
    }
    this.items.push(value);
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.items.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close('returned');
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.close('returned');
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(reason: 'returned' | 'overflow'): void {
    if (this.closed) return;
    this.closed = true;
    // buffered items are dropped: the subscriber left, or is too far behind to catch up
    this.items.length = 0;
    for (const w of this.waiters.splice(0)) w({ value: undefined, done: true });
    this.onClose(reason);
  }
}
