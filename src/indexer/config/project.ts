// project.yaml: chains (id, RPC endpoints with failover, start height, bech32 prefix), the Mesh
// Security contracts on each (by address, or discovered from instantiate events by code id) and
// pairings. Every problem is reported with its path, all at once.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ContractKind } from '../types.ts';

export interface ChainProject {
  id: string;
  bech32Prefix: string;
  rpc: string[];
  startHeight: number;
  codeIds: Map<number, ContractKind>;
  contracts: Array<{ address: string; kind: ContractKind }>;
}

export interface Project {
  name: string;
  chains: ChainProject[];
  pairings: Array<{ id: string; provider: string; consumer: string }>;
}

export const CONTRACT_KINDS: readonly ContractKind[] = ['vault', 'native_staking', 'native_staking_proxy', 'external_staking', 'converter', 'virtual_staking', 'price_feed'];

export class ProjectError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`);
    this.name = 'ProjectError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseProject(text: string, source = 'project.yaml'): Project {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ProjectError(source, [`not valid YAML: ${(e as Error).message}`]);
  }
  const problems: string[] = [];
  const p = (path: string, msg: string) => problems.push(`${path}: ${msg}`);
  const known = (o: Obj, keys: string[], path: string) => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) p(`${path}.${k}`, `unknown key (expected one of: ${keys.join(', ')})`);
  };
  if (!isObj(doc)) throw new ProjectError(source, ['expected a mapping with `chains`']);
  known(doc, ['name', 'chains', 'pairings'], '$');
  const chains: ChainProject[] = [];
  if (!Array.isArray(doc.chains) || doc.chains.length === 0) p('chains', 'expected a non-empty list');
  else
    doc.chains.forEach((c, i) => {
      const path = `chains[${i}]`;
      if (!isObj(c)) return p(path, 'expected a mapping');
      known(c, ['id', 'bech32_prefix', 'rpc', 'start_height', 'code_ids', 'contracts'], path);
      const id = typeof c.id === 'string' && c.id ? c.id : (p(`${path}.id`, 'expected a chain id'), '');
      const prefix = typeof c.bech32_prefix === 'string' && /^[a-z]+$/.test(c.bech32_prefix) ? c.bech32_prefix : (p(`${path}.bech32_prefix`, 'expected a lower-case bech32 prefix'), '');
      const rpc = (Array.isArray(c.rpc) ? c.rpc : typeof c.rpc === 'string' ? [c.rpc] : []).filter((u): u is string => typeof u === 'string');
      if (rpc.length === 0) p(`${path}.rpc`, 'expected one or more RPC URLs');
      for (const u of rpc) if (!/^https?:\/\/[^\s]+$/.test(u)) p(`${path}.rpc`, `not an http(s) URL: ${JSON.stringify(u)}`);
      const start = c.start_height ?? 1;
      if (typeof start !== 'number' || !Number.isInteger(start) || start < 1) p(`${path}.start_height`, 'expected a height ≥ 1');
      const codeIds = new Map<number, ContractKind>();
      if (c.code_ids !== undefined) {
        if (!isObj(c.code_ids)) p(`${path}.code_ids`, 'expected a mapping kind → code id');
        else
          for (const [kind, v] of Object.entries(c.code_ids)) {
            if (!CONTRACT_KINDS.includes(kind as ContractKind)) p(`${path}.code_ids.${kind}`, `unknown contract kind (kinds: ${CONTRACT_KINDS.join(', ')})`);
            for (const n of Array.isArray(v) ? v : [v]) {
              if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) p(`${path}.code_ids.${kind}`, 'expected a code id or a list of code ids');
              else codeIds.set(n, kind as ContractKind);
            }
          }
      }
      const contracts: ChainProject['contracts'] = [];
      if (c.contracts !== undefined && !Array.isArray(c.contracts)) p(`${path}.contracts`, 'expected a list of {kind, address}');
      else
        (c.contracts ?? []).forEach((k: unknown, j: number) => {
          const kp = `${path}.contracts[${j}]`;
          if (!isObj(k) || typeof k.address !== 'string' || !CONTRACT_KINDS.includes(k.kind as ContractKind)) return p(kp, `expected {kind: one of ${CONTRACT_KINDS.join('|')}, address}`);
          if (prefix && !k.address.startsWith(`${prefix}1`)) p(`${kp}.address`, `does not carry the chain's prefix ${prefix}`);
          contracts.push({ address: k.address, kind: k.kind as ContractKind });
        });
      if (codeIds.size === 0 && contracts.length === 0) p(path, 'names no contracts: give code_ids or contracts');
      if (chains.some((x) => x.id === id)) p(`${path}.id`, `duplicate chain ${id}`);
      chains.push({ id, bech32Prefix: prefix, rpc, startHeight: typeof start === 'number' ? start : 1, codeIds, contracts });
    });
  const pairings: Project['pairings'] = [];
  if (doc.pairings !== undefined && !Array.isArray(doc.pairings)) p('pairings', 'expected a list');
  else
    (doc.pairings ?? []).forEach((x: unknown, i: number) => {
      const path = `pairings[${i}]`;
      if (!isObj(x) || typeof x.id !== 'string' || typeof x.provider !== 'string' || typeof x.consumer !== 'string') return p(path, 'expected {id, provider, consumer}');
      for (const role of ['provider', 'consumer'] as const) if (!chains.some((c) => c.id === x[role])) p(`${path}.${role}`, `unknown chain ${x[role] as string}`);
      pairings.push({ id: x.id, provider: x.provider, consumer: x.consumer });
    });
  if (problems.length) throw new ProjectError(source, problems);
  return { name: typeof doc.name === 'string' ? doc.name : 'mesh', chains, pairings };
}

export function loadProject(path = 'project.yaml'): Project {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProjectError(path, [`cannot read: ${(e as Error).message}`]);
  }
  return parseProject(text, path);
}
