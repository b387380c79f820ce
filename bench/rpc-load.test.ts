// The serving benchmark's load generator (rpc-load.ts) speaks HTTP/1.1 itself: it must count what a
// server really sent and turn every bad answer into a counted error, never a hang or a crash.
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createNetServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { BlockStore } from '../src/devnet/node/block-store.ts';
import { startRpcServer } from '../src/devnet/rpc/server.ts';
import { Workload } from '../src/devnet/workload/run.ts';
import { runLoad } from './devnet.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A JSON-RPC result of about `size` bytes, written in pieces of 7 KiB (many reads on the client). */
function bigResult(res: ServerResponse, size: number, headers: Record<string, string> = {}): number {
  const body = Buffer.from(`{"jsonrpc":"2.0","id":-1,"result":{"pad":"${'x'.repeat(size)}"}}`);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers });
  for (let i = 0; i < body.length; i += 7 * 1024) res.write(body.subarray(i, i + 7 * 1024));
  res.end();
  return body.length;
}

/** A TCP server that calls `answer` for each request it reads (its first line, its number on the connection). */
async function rawServe(answer: (socket: Socket, request: string, n: number) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    let n = 0;
    socket.on('data', (c: Buffer) => {
      buf += c.toString('latin1');
      let i;
      while ((i = buf.indexOf('\r\n\r\n')) >= 0) {
        answer(socket, buf.slice(0, buf.indexOf('\r\n')), ++n);
        buf = buf.slice(i + 4);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const fixed = (status: number, body: string) => (_q: IncomingMessage, res: ServerResponse) => res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)) }).end(body);

describe('rpc-load', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of closers) await c();
  });

  test("counts pairs and every body byte (as node:http's client did)", async () => {
    const sizes = new Map<string, number>();
    const s = await serve((req, res) => {
      const path = req.url!.split('?')[0]!;
      sizes.set(path, bigResult(res, path === '/block' ? 100_000 : 250_000));
    });
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 5, 4, 200);
    assert.equal(r.errors, 0, r.firstError);
    assert.equal(r.pairs, 200);
    assert.equal(r.bytes, r.pairs * (sizes.get('/block')! + sizes.get('/block_results')!));
    assert.ok(r.clientCpu > 0);
  });

  test('an HTTP error, a body that is no JSON-RPC result, or no Content-Length is an error, not a pair', async () => {
    for (const [what, handler, expected] of [
      ['HTTP 500', fixed(500, '{"jsonrpc":"2.0","id":-1,"result":{}}'), /HTTP 500/],
      ['an error envelope', fixed(200, '{"jsonrpc":"2.0","id":-1,"error":{"code":-32603}}'), /HTTP 200 for \/block.*"error"/],
      [
        'chunked encoding',
        (_q: IncomingMessage, res: ServerResponse) => {
          res.writeHead(200);
          res.write('{"jsonrpc":"2.0","id":-1,');
          res.end('"result":{}}');
        },
        /without Content-Length/,
      ],
    ] as const) {
      const s = await serve(handler);
      closers.push(s.close);
      const r = await runLoad(s.url, 10, 3, 2, 20);
      assert.equal(r.pairs, 0, what);
      assert.equal(r.errors, 20, what);
      assert.match(r.firstError ?? '', expected, what);
    }
  });

  test('a server that closes every connection after its answer still gets every pair', async () => {
    const s = await serve((_q, res) => bigResult(res, 1_000, { Connection: 'close' }));
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 5, 3, 30);
    assert.equal(r.errors, 0, r.firstError);
    assert.equal(r.pairs, 30);
  });

  test('answers cut anywhere, the header included', async () => {
    const body = '{"jsonrpc":"2.0","id":-1,"result":{"block":{}}}';
    const bytes = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const s = await rawServe((socket) => {
      // the answer in 7-byte pieces, each its own write a moment apart
      let i = 0;
      const next = () => {
        if (socket.destroyed) return;
        socket.write(bytes.subarray(i, i + 7));
        i += 7;
        if (i < bytes.length) setTimeout(next, 1);
      };
      next();
    });
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 5, 2, 20);
    assert.equal(r.errors, 0, r.firstError);
    assert.deepEqual([r.pairs, r.bytes], [20, 40 * body.length]);
  });

  test('an HTTP/1.0 answer ends its connection: the next request goes on a new one', async () => {
    const body = '{"jsonrpc":"2.0","id":-1,"result":{}}';
    // answers the first request of each connection only, and leaves the connection open
    const s = await rawServe((socket, _request, n) => {
      if (n === 1) socket.write(`HTTP/1.0 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 3, 2, 20);
    assert.equal(r.errors, 0, r.firstError);
    assert.equal(r.pairs, 20);
  });

  test('a kept-alive connection the server drops as the next request arrives: the request is sent again on a new one', async () => {
    const body = '{"jsonrpc":"2.0","id":-1,"result":{}}';
    // a server closing idle connections: the third request on a connection finds it gone
    const s = await rawServe((socket, _request, n) => {
      if (n === 3) socket.destroy();
      else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 5, 3, 30);
    assert.equal(r.errors, 0, r.firstError);
    assert.equal(r.pairs, 30);
    // 60 requests over 6 connections, every third on a connection dropped and sent again
    assert.ok(r.retries >= 15, `${r.retries} retries`);
  });

  test('a kept-alive connection closed in the middle of an answer: an error, not sent again', async () => {
    const body = '{"jsonrpc":"2.0","id":-1,"result":{}}';
    const s = await rawServe((socket, _request, n) => {
      if (n === 2) socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    closers.push(s.close);
    const r = await runLoad(s.url, 10, 3, 1, 4);
    assert.equal(r.retries, 0);
    assert.ok(r.errors >= 1, `${r.errors} errors`);
    assert.match(r.firstError ?? '', /connection closed by the server/);
  });

  test('a server that never answers, or whose answer trickles in slower than the request timeout: errors, and the run ends on time', async () => {
    const silent = await serve(() => {});
    const trickling = await rawServe((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"result":');
      const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write(' ')), 300);
      socket.on('close', () => clearInterval(t));
    });
    closers.push(silent.close, trickling.close);
    for (const s of [silent, trickling]) {
      const t = performance.now();
      const r = await runLoad(s.url, 10, 1, 2, 1_000);
      assert.deepEqual([r.pairs, r.errors], [0, 2]);
      assert.match(r.firstError ?? '', /no full answer within 1000 ms/);
      assert.ok(performance.now() - t < 8_000);
    }
  });

  test("reads the devnet's RPC server: block and block_results pairs, no errors", async () => {
    const w = new Workload({ seed: 3, blocks: 4, invariants: false, drain: false });
    w.runFast(4);
    const server = await startRpcServer(new BlockStore(w.chains[0]!), { host: '127.0.0.1' });
    closers.push(() => server.close());
    const r = await runLoad(server.url, Number(w.chains[0]!.height), 5, 4, 100);
    assert.equal(r.errors, 0, r.firstError);
    assert.equal(r.pairs, 100);
  });
});
