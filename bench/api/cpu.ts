// CPU accounting from /proc while a scenario runs: the API server process, the PostgreSQL server
// (postmaster and its backends), this process, and the whole machine (other work included).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SEC = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/**
 * utime + stime of a process in seconds, cutime + cstime (its exited, waited-for children), and its
 * parent pid; undefined when it is gone.
 */
function procCpu(pid: number): { secs: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may contain spaces) start at state = field 3
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { secs: (Number(f[11]) + Number(f[12])) / TICKS_PER_SEC, children: (Number(f[13]) + Number(f[14])) / TICKS_PER_SEC, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the machine (all cores). */
function machine(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = cpu[3]! + cpu[4]!;
  return { busy: (total - idle) / TICKS_PER_SEC, total: total / TICKS_PER_SEC };
}

/** CPU of the whole server ever: the postmaster, its exited backends (reaped: cutime) and the live ones. */
function postgresSecs(postmasterPid: number | undefined): number {
  if (!postmasterPid) return NaN;
  const pm = procCpu(postmasterPid);
  if (!pm) return NaN;
  let secs = pm.secs + pm.children;
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const p = procCpu(pid);
    if (p && p.ppid === postmasterPid) secs += p.secs;
  }
  return secs;
}

export interface CpuSample {
  at: number;
  server: number;
  postgres: number;
  self: number;
  machine: { busy: number; total: number };
}

export interface CpuUse {
  /** Cores used (CPU seconds per wall second) over the interval. */
  server: number;
  postgres: number;
  client: number;
  /** Everything else on the machine (other users' tests included). */
  other: number;
  /** Busy share of all cores, 0..1. */
  machineBusy: number;
}

export function sampleCpu(serverPid: number, postmasterPid: number | undefined): CpuSample {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    server: procCpu(serverPid)?.secs ?? NaN,
    postgres: postgresSecs(postmasterPid),
    self: (self.user + self.system) / 1e6,
    machine: machine(),
  };
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuUse {
  const wall = (b.at - a.at) / 1000;
  const server = (b.server - a.server) / wall;
  const postgres = (b.postgres - a.postgres) / wall;
  const client = (b.self - a.self) / wall;
  const busy = (b.machine.busy - a.machine.busy) / wall;
  return {
    server,
    postgres,
    client,
    other: busy - server - (Number.isNaN(postgres) ? 0 : postgres) - client,
    machineBusy: (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total),
  };
}

/** The 1-minute load average and the number of cores. */
export function loadAverage(): { load1: number; cores: number } {
  const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const cores = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  return { load1, cores };
}
