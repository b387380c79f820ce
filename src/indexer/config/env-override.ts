// RPC endpoints from the environment, applied after loadProject(): a deployment (docker-compose.yml,
// docs/deploy.md) points a chain at its nodes without editing project.yaml.
//
//   MESH_RPC_<chain id upper-cased, every non-alphanumeric as _>=url1,url2   (failover in order)
//   e.g. osmo-devnet-1 → MESH_RPC_OSMO_DEVNET_1
//
// An empty variable counts as unset. A variable naming no chain of the project is reported back (the
// caller warns): a compose file may carry defaults for chains a custom project.yaml does not have.
import { type Project, ProjectError } from './project.ts';

export const RPC_ENV_PREFIX = 'MESH_RPC_';

/** The variable that overrides `chainId`'s RPC endpoints. */
export function rpcEnvName(chainId: string): string {
  return RPC_ENV_PREFIX + chainId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export interface RpcOverride {
  chainId: string;
  variable: string;
  rpc: string[];
}

export interface RpcEnvResult {
  project: Project;
  /** The chains whose endpoints came from the environment. */
  applied: RpcOverride[];
  /** MESH_RPC_* variables set to something that match no chain of the project. */
  unmatched: string[];
}

/** Replaces each chain's `rpc` by its MESH_RPC_* variable when set; bad URLs throw, all listed at once. */
export function applyRpcEnv(project: Project, env: Readonly<Record<string, string | undefined>> = process.env): RpcEnvResult {
  const problems: string[] = [];
  const byVariable = new Map<string, string[]>();
  for (const c of project.chains) byVariable.set(rpcEnvName(c.id), [...(byVariable.get(rpcEnvName(c.id)) ?? []), c.id]);

  const applied: RpcOverride[] = [];
  const chains = project.chains.map((chain) => {
    const variable = rpcEnvName(chain.id);
    const value = env[variable]?.trim();
    if (!value) return chain;
    const sharing = byVariable.get(variable)!;
    if (sharing.length > 1) {
      problems.push(`${variable}: ambiguous, chains ${sharing.join(' and ')} both map to it; set their rpc in the project file`);
      return chain;
    }
    const rpc = value.split(',').map((u) => u.trim()).filter((u) => u !== '');
    const bad = rpc.filter((u) => !isHttpUrl(u));
    if (bad.length) {
      problems.push(`${variable}: not an http(s) URL: ${bad.map((u) => JSON.stringify(u)).join(', ')}`);
      return chain;
    }
    applied.push({ chainId: chain.id, variable, rpc });
    return { ...chain, rpc };
  });
  if (problems.length) throw new ProjectError('environment', problems);

  const unmatched = Object.keys(env)
    .filter((k) => k.startsWith(RPC_ENV_PREFIX) && env[k]?.trim() && !byVariable.has(k))
    .sort();
  return { project: { ...project, chains }, applied, unmatched };
}

function isHttpUrl(u: string): boolean {
  if (!/^https?:\/\/[^\s]+$/.test(u)) return false;
  try {
    return new URL(u).hostname !== '';
  } catch {
    return false;
  }
}
