// One LISTEN connection per API server on the indexer's commit channel. When the connection drops
// (database restart, pg_terminate_backend, network), it reconnects with backoff and reports it, so the
// hub can catch up on commits made while it was away (notifications are not queued for absent
// listeners).
import pg from 'pg';
import { COMMIT_CHANNEL, type Commit, parseCommit } from './commit.ts';

export interface CommitListenerOptions {
  url: string;
  /** libpq options (statement timeout, read-only). */
  options?: string;
  channel?: string;
  onCommit(commit: Commit): void;
  /** After every successful LISTEN; `first` is false after a reconnect. */
  onListening?(first: boolean): void;
  log(line: string): void;
  /** Backoff bounds for reconnecting, ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class CommitListener {
  private client: pg.Client | null = null;
  private closed = false;
  private connected = false;
  private everConnected = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private firstListen!: () => void;
  /** Resolves once the first LISTEN is in place. */
  readonly listening: Promise<void> = new Promise((resolve) => (this.firstListen = resolve));

  constructor(private readonly opts: CommitListenerOptions) {}

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.connectSafely();
  }

  /** connect() never rejects on purpose; anything unforeseen still only schedules a retry. */
  private connectSafely(): void {
    this.connect().catch((err) => {
      this.opts.log(`commit listener: ${(err as Error).message}`);
      this.schedule();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) await c.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.opts.url,
      application_name: 'mesh-api-listen',
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      ...(this.opts.options ? { options: this.opts.options } : {}),
    });
    this.client = client;
    let lost = false;
    const onLost = (why: string) => {
      if (lost) return;
      lost = true;
      this.connected = false;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (!this.closed) {
        this.opts.log(`commit listener: connection lost (${why}); reconnecting`);
        this.schedule();
      }
    };
    client.on('error', (err) => onLost(err.message));
    client.on('end', () => onLost('connection ended'));
    client.on('notification', (n) => {
      if (n.channel !== (this.opts.channel ?? COMMIT_CHANNEL)) return;
      const c = parseCommit(n.payload ?? '');
      if (typeof c === 'string') this.opts.log(`commit listener: ignoring a malformed ${n.channel} notification: ${c}`);
      else this.opts.onCommit(c);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.opts.channel ?? COMMIT_CHANNEL)}`);
    } catch (err) {
      onLost((err as Error).message);
      return;
    }
    if (this.closed || lost) return;
    this.connected = true;
    this.attempt = 0;
    const first = !this.everConnected;
    this.everConnected = true;
    if (first) this.firstListen();
    this.opts.onListening?.(first);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const min = this.opts.minBackoffMs ?? 100;
    const max = this.opts.maxBackoffMs ?? 5000;
    const delay = Math.min(max, min * 2 ** this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connectSafely();
    }, delay);
    this.timer.unref();
  }
}
