// Reads a V8 CPU profile (.cpuprofile) and sums self time per package / source file and per function,
// so the report can say where the API server's CPU goes. Every sample counts the same: on a busy
// machine a sample's time delta includes the time the process was not running at all (descheduled
// right after a socket write, say), which would bill wall time to whatever ran last.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface ProfileSummary {
  samples: number;
  /** Samples not idle. */
  busy: number;
  /** Self samples by package (node_modules), project file (src/…), node core or V8 bucket, as a share of `busy`, largest first. */
  byOwner: Array<[string, number]>;
  /** Self samples by function, as a share of `busy`, largest first. */
  byFunction: Array<[string, number]>;
}

/** Who a frame belongs to: a package name, a project file, node core, or V8's own buckets. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = url.lastIndexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const bench = url.lastIndexOf('/bench/');
  return bench >= 0 ? url.slice(bench + 1) : url;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // the first sample stands for the profiler's own start-up (the inspector call that started it)
  for (const id of p.samples.slice(1)) self.set(id, (self.get(id) ?? 0) + 1);
  const owners = new Map<string, number>();
  const fns = new Map<string, number>();
  let samples = 0;
  let idle = 0;
  for (const [id, n] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    samples += n;
    if (functionName === '(idle)') {
      idle += n;
      continue;
    }
    const owner = ownerOf(url, functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + n);
    const fn = `${functionName || '(anonymous)'} ${url ? `${owner}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + n);
  }
  const busy = samples - idle;
  const sorted = (m: Map<string, number>): Array<[string, number]> =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => [k, n / Math.max(1, busy)]);
  return { samples, busy, byOwner: sorted(owners), byFunction: sorted(fns) };
}
