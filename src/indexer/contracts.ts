// The contracts the indexer knows on one chain: configured addresses (project.yaml) plus those
// discovered from `instantiate` events whose code id project.yaml maps to a kind. The replica keeps
// them, so a restart knows every contract it had discovered.
import type { ContractRegistry } from '../mappings/context.ts';
import type { Replica } from '../mappings/replica.ts';
import type { ContractKind } from './types.ts';

const NS = 'contracts';

interface Known {
  kind: ContractKind;
  codeId?: number;
  label?: string;
  owner?: string;
}

export class Contracts implements ContractRegistry {
  constructor(
    private readonly replica: Replica,
    private readonly codeKinds: ReadonlyMap<number, ContractKind>,
  ) {}

  kindOf(address: string): ContractKind | undefined {
    return this.replica.get<Known>(NS, address)?.kind;
  }

  kindOfCode(codeId: number): ContractKind | undefined {
    return this.codeKinds.get(codeId);
  }

  add(c: { address: string; kind: ContractKind; codeId?: number; label?: string; owner?: string }): void {
    const prev = this.replica.get<Known>(NS, c.address);
    if (prev && prev.kind === c.kind && prev.owner === c.owner) return;
    this.replica.set<Known>(NS, c.address, { kind: c.kind, codeId: c.codeId, label: c.label, owner: c.owner });
  }

  all(kind?: ContractKind): string[] {
    return this.replica
      .entries<Known>(NS)
      .filter(([, k]) => kind === undefined || k.kind === kind)
      .map(([a]) => a);
  }
}
