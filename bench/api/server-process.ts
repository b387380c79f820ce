// Starts bench/api/server-child.ts (the API server) in a child process, talks to it over its
// stdin/stdout (one JSON line per answer) and stops it again.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  graphqlUrl: string;
  pid: number;
  /** Starts the server's CPU profiler. */
  profileStart(): Promise<void>;
  /** Stops it and writes the .cpuprofile to `file`. */
  profileStop(file: string): Promise<void>;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/** `nodeEnv`: NODE_ENV of the server ('' = unset, as in development). */
export async function startServerProcess(o: { root: string; databaseUrl: string; nodeEnv: string; responseCache: boolean }): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_API_DATABASE_URL: o.databaseUrl, NODE_ENV: o.nodeEnv, BENCH_API_RESPONSE_CACHE: o.responseCache ? 'on' : 'off' };
  if (!o.nodeEnv) delete env.NODE_ENV;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(o.root, 'bench/api/server-child.ts')], {
    cwd: o.root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  child.stdin!.on('error', () => {});
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const waiting: Array<(answer: Record<string, unknown>) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    waiting.shift()?.(JSON.parse(line) as Record<string, unknown>);
  });
  const answer = (what: string, timeoutMs: number): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`API server: no answer to ${what} within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
      waiting.push((a) => {
        clearTimeout(timer);
        if (typeof a.error === 'string') reject(new Error(`API server: ${what}: ${a.error}`));
        else resolve(a);
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`API server exited (code ${code}) while waiting for ${what}:\n${stderr}`));
      });
    });
  const ask = (cmd: string, timeoutMs = 30_000) => {
    const a = answer(cmd, timeoutMs);
    child.stdin!.write(`${cmd}\n`);
    return a;
  };
  const graphqlUrl = (await answer('start-up', 60_000)).graphqlUrl as string;
  return {
    graphqlUrl,
    pid: child.pid!,
    profileStart: async () => void (await ask('profile-start')),
    profileStop: async (file) => void (await ask(`profile-stop ${file}`)),
    stop: async () => {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}
