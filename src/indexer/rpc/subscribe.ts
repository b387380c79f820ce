// New-block notifications: a websocket subscription to tm.event='NewBlock' (CometBFT `subscribe`),
// with `status` polling whenever the websocket is not subscribed (connecting, failed, closed), and
// reconnects with backoff. Heights are reported only when they grow. We use `ws` directly rather
// than cosmjs's WebsocketClient: that one reconnects its socket but does not re-send subscriptions.
import WebSocket from 'ws';
import { rfc3339ToNs } from './raw-block.ts';

/** A tip seen: its height and, when the source tells, its block time (ns since the epoch). */
export interface HeadSeen {
  height: number;
  timeNs?: bigint;
}

export interface HeadWatchOptions {
  /** The websocket URL to use now (follows the transport's preferred endpoint). */
  wsUrl: () => string;
  /** The node's latest height, with its block time when known (a `status` call). */
  poll: () => Promise<number | HeadSeen>;
  /** Polling period while the websocket is down (default 500 ms). */
  pollMs?: number;
  /** With the websocket up but silent this long, poll once; if the chain moved, reconnect (default 10 s). */
  idleMs?: number;
  /** First reconnect delay, doubling to 30 s (default 250 ms). */
  reconnectMs?: number;
  log?: (msg: string) => void;
}

const QUERY = "tm.event='NewBlock'";
const SUB_ID = 'indexer-new-block';

/** Calls `onHeight(h, timeNs)` whenever the tip grows; returns the function that stops watching. */
export function watchNewBlocks(onHeight: (height: number, timeNs?: bigint) => void, opts: HeadWatchOptions): () => void {
  const pollMs = opts.pollMs ?? 500;
  const idleMs = opts.idleMs ?? 10_000;
  const log = opts.log ?? (() => undefined);
  let best = 0;
  let stopped = false;
  let ws: WebSocket | undefined;
  let subscribed = false;
  let lastEventAt = Date.now();
  let failures = 0;
  let polling: ReturnType<typeof setInterval> | undefined;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  let pollBusy = false;

  const emit = (h: number, timeNs?: bigint) => {
    if (stopped || !(h > best)) return;
    best = h;
    onHeight(h, timeNs);
  };
  const timeOf = (t: unknown): bigint | undefined => {
    try {
      return typeof t === 'string' ? rfc3339ToNs(t) : undefined;
    } catch {
      return undefined;
    }
  };

  /** One status poll; resolves to whether the tip moved. */
  const pollOnce = async (): Promise<boolean> => {
    if (pollBusy) return false;
    pollBusy = true;
    try {
      const before = best;
      const seen = await opts.poll();
      if (typeof seen === 'number') emit(seen);
      else emit(seen.height, seen.timeNs);
      return best > before;
    } catch (e) {
      if (!stopped) log(`head poll failed: ${(e as Error).message}`);
      return false;
    } finally {
      pollBusy = false;
    }
  };

  const startPolling = () => {
    if (polling || stopped) return;
    polling = setInterval(() => void pollOnce(), pollMs);
    void pollOnce();
  };
  const stopPolling = () => {
    if (polling) clearInterval(polling);
    polling = undefined;
  };

  const connect = () => {
    reconnect = undefined;
    if (stopped) return;
    let url: string;
    try {
      url = opts.wsUrl();
    } catch (e) {
      log(`websocket: ${(e as Error).message}`);
      return scheduleReconnect();
    }
    const sock = new WebSocket(url, { handshakeTimeout: 5_000, maxPayload: 256 * 1024 * 1024 });
    ws = sock;
    sock.on('open', () => sock.send(JSON.stringify({ jsonrpc: '2.0', id: SUB_ID, method: 'subscribe', params: { query: QUERY } })));
    sock.on('message', (data) => {
      let msg: any;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      // CometBFT pushes events with the subscribe id (older releases append "#event")
      if (typeof msg?.id !== 'string' || !msg.id.startsWith(SUB_ID)) return;
      if (msg.error) {
        log(`websocket subscribe failed: ${JSON.stringify(msg.error)}`);
        return void sock.terminate();
      }
      const header = msg.result?.data?.value?.block?.header;
      if (header?.height !== undefined) {
        lastEventAt = Date.now();
        return emit(Number(header.height), timeOf(header.time));
      }
      if (!subscribed) {
        subscribed = true;
        failures = 0;
        lastEventAt = Date.now();
        stopPolling();
        void pollOnce(); // blocks committed while we were connecting
      }
    });
    sock.on('error', (e) => log(`websocket ${url}: ${e.message}`));
    sock.on('close', () => {
      if (ws === sock) ws = undefined;
      subscribed = false;
      if (stopped) return;
      startPolling();
      scheduleReconnect();
    });
  };

  const scheduleReconnect = () => {
    if (stopped || reconnect) return;
    reconnect = setTimeout(connect, Math.min(30_000, (opts.reconnectMs ?? 250) * 2 ** failures++));
  };

  // A subscription can go quiet without closing (proxy, node restart behind a load balancer).
  const watchdog = setInterval(
    () => {
      if (!subscribed || Date.now() - lastEventAt < idleMs) return;
      lastEventAt = Date.now();
      void pollOnce().then((moved) => {
        if (moved && ws && !stopped) {
          log('websocket silent while the chain advanced: reconnecting');
          ws.terminate();
        }
      });
    },
    Math.max(50, idleMs / 2),
  );

  startPolling();
  connect();

  return () => {
    stopped = true;
    stopPolling();
    clearInterval(watchdog);
    if (reconnect) clearTimeout(reconnect);
    ws?.terminate();
  };
}
