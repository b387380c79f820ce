// The API server alone in its process, for the bench: `node --import tsx bench/api/server-child.ts`
// with BENCH_API_DATABASE_URL set (and BENCH_API_RESPONSE_CACHE=off to turn the response cache off). Prints one JSON line {"graphqlUrl": …} on stdout when listening.
// Commands on stdin, one per line, each answered with one JSON line on stdout:
//   `profile-start`        starts V8's CPU profiler (the same sampler as --cpu-prof, but only over
//                          the window the bench asks for, not start-up and module compilation);
//   `profile-stop <file>`  stops it and writes the .cpuprofile to <file>.
// Closes and exits on SIGTERM or when stdin closes (the bench process is gone).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { startApiServer } from '../../src/api/server.ts';

const databaseUrl = process.env.BENCH_API_DATABASE_URL;
if (!databaseUrl) {
  console.error('BENCH_API_DATABASE_URL is not set');
  process.exit(2);
}
// BENCH_API_RESPONSE_CACHE=off measures every request through Apollo, the resolvers and the database
const api = await startApiServer({ databaseUrl, host: '127.0.0.1', port: 0, responseCache: process.env.BENCH_API_RESPONSE_CACHE !== 'off' });
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ graphqlUrl: api.graphqlUrl });

let closing = false;
const stop = async (): Promise<void> => {
  if (closing) return;
  closing = true;
  await api.close().catch((e: unknown) => console.error(`close failed: ${e instanceof Error ? e.message : String(e)}`));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());

let session: Session | undefined;
const lines = createInterface({ input: process.stdin });
lines.on('close', () => void stop());
lines.on('line', (line) => {
  const [cmd, file] = line.trim().split(/\s+/, 2);
  void (async () => {
    try {
      if (cmd === 'profile-start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        say({ profiling: true });
      } else if (cmd === 'profile-stop' && session && file) {
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        session = undefined;
        writeFileSync(file, JSON.stringify(profile));
        say({ profile: file });
      } else {
        say({ error: `unknown command ${JSON.stringify(line)}` });
      }
    } catch (e) {
      say({ error: e instanceof Error ? e.message : String(e) });
    }
  })();
});
