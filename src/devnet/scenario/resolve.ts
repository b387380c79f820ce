// Turns the names a scenario uses (users, validators, contracts, pairings) into chain addresses.
// In JSON arguments, "@name" is a reference: "@alice", "@val1", "@vault", "@converter:main",
// "@proxy:alice"; "@@x" is the literal string "@x".
import type { Chain } from '../chain/chain.ts';
import type { Devnet, PairingDeployment } from '../deploy.ts';
import { ScenarioError } from './fields.ts';

export class Names {
  constructor(readonly devnet: Devnet) {}

  chain(id: string): Chain {
    const c = this.devnet.world.chains.get(id);
    if (!c) throw new ScenarioError(`unknown chain ${JSON.stringify(id)} (chains: ${[...this.devnet.world.chains.keys()].join(', ')})`);
    return c;
  }

  /** The chain an action runs on: given, or the only provider chain. */
  providerChain(id: unknown): Chain {
    if (typeof id === 'string') {
      const c = this.chain(id);
      if (!this.devnet.providers.has(id)) throw new ScenarioError(`chain ${JSON.stringify(id)} runs no vault (it is not a provider in any pairing)`);
      return c;
    }
    const ids = [...this.devnet.providers.keys()];
    if (ids.length === 1) return this.chain(ids[0]!);
    throw new ScenarioError(`say which provider chain: \`chain\` is one of ${ids.join(', ')}`);
  }

  anyChain(id: unknown): Chain {
    if (typeof id === 'string') return this.chain(id);
    const ids = [...this.devnet.world.chains.keys()];
    if (ids.length === 1) return this.chain(ids[0]!);
    throw new ScenarioError(`say which chain: \`chain\` is one of ${ids.join(', ')}`);
  }

  pairing(name: unknown): PairingDeployment {
    if (typeof name === 'string') {
      const p = this.devnet.pairings.get(name);
      if (!p) throw new ScenarioError(`unknown pairing ${JSON.stringify(name)} (pairings: ${[...this.devnet.pairings.keys()].join(', ') || 'none'})`);
      return p;
    }
    const all = [...this.devnet.pairings.values()];
    if (all.length === 1) return all[0]!;
    throw new ScenarioError(all.length === 0 ? 'the scenario has no pairings' : `say which pairing: \`pairing\` is one of ${[...this.devnet.pairings.keys()].join(', ')}`);
  }

  private chainConfig(chain: Chain) {
    return this.devnet.config.chains.find((c) => c.id === chain.id)!;
  }

  /** A declared account (or validator operator) on `chain`; literal bech32 addresses pass through. */
  user(chain: Chain, name: string): string {
    if (name.startsWith(`${chain.params.prefix}1`) && name.length > 30) return name;
    const cfg = this.chainConfig(chain);
    if (name === 'admin' || name === this.devnet.world.relayerName || cfg.accounts.some((a) => a.name === name) || cfg.validators.some((v) => v.name === name)) {
      return chain.addr(name);
    }
    throw new ScenarioError(`unknown user ${JSON.stringify(name)} on chain ${chain.id} (declare it under chains.${chain.id}.accounts)`);
  }

  /** A declared validator's operator address; literal valoper addresses pass through (to test unknown validators). */
  validator(chain: Chain, name: string): string {
    if (name.startsWith(`${chain.params.prefix}valoper1`)) return name;
    const cfg = this.chainConfig(chain);
    if (cfg.validators.some((v) => v.name === name) || this.created.has(`${chain.id}/${name}`)) return chain.valoper(name);
    throw new ScenarioError(`unknown validator ${JSON.stringify(name)} on chain ${chain.id} (validators: ${cfg.validators.map((v) => v.name).join(', ')})`);
  }

  /** Validators created by a `create_validator` step. */
  readonly created = new Set<string>();

  vault(chain: Chain): string {
    const p = this.devnet.providers.get(chain.id);
    if (!p) throw new ScenarioError(`chain ${chain.id} runs no vault`);
    return p.vault;
  }

  proxy(chain: Chain, owner: string): string | undefined {
    const p = this.devnet.providers.get(chain.id);
    if (!p) return undefined;
    const r = chain.query(p.nativeStaking, { proxy_by_owner: { owner } }) as { proxy?: string } | undefined;
    return r?.proxy;
  }

  /** Resolves one "@…" reference on `chain`; "@name@other-chain" resolves it on another chain. */
  ref(chain: Chain, ref: string): string {
    const at = ref.lastIndexOf('@');
    if (at > 0) return this.ref(this.chain(ref.slice(at + 1)), ref.slice(0, at));
    const [kind, arg] = ref.split(':', 2) as [string, string | undefined];
    const pairingOn = (role: 'provider' | 'consumer') => {
      const p = this.pairing(arg ?? this.onlyPairingOn(chain, role));
      return p;
    };
    switch (kind) {
      case 'vault':
        return this.vault(chain);
      case 'native_staking': {
        const p = this.devnet.providers.get(chain.id);
        if (!p) throw new ScenarioError(`chain ${chain.id} runs no native staking`);
        return p.nativeStaking;
      }
      case 'external_staking':
        return pairingOn('provider').externalStaking;
      case 'converter':
        return pairingOn('consumer').converter;
      case 'virtual_staking':
        return pairingOn('consumer').virtualStaking;
      case 'price_feed':
        return pairingOn('consumer').priceFeed;
      case 'proxy': {
        if (!arg) throw new ScenarioError('@proxy needs an owner: "@proxy:alice"');
        const proxy = this.proxy(chain, this.user(chain, arg));
        if (!proxy) throw new ScenarioError(`user ${arg} has no native staking proxy on ${chain.id} yet`);
        return proxy;
      }
      case 'gov':
        return chain.moduleAddr('gov');
      case 'valoper':
        if (!arg) throw new ScenarioError('@valoper needs a validator name');
        return this.validator(chain, arg);
      default: {
        if (arg !== undefined) throw new ScenarioError(`unknown reference "@${ref}"`);
        const cfg = this.chainConfig(chain);
        if (cfg.accounts.some((a) => a.name === kind) || kind === 'admin' || kind === this.devnet.world.relayerName) return chain.addr(kind);
        if (cfg.validators.some((v) => v.name === kind) || this.created.has(`${chain.id}/${kind}`)) return chain.valoper(kind);
        throw new ScenarioError(`unknown reference "@${ref}" on chain ${chain.id}`);
      }
    }
  }

  private onlyPairingOn(chain: Chain, role: 'provider' | 'consumer'): string {
    const ps = [...this.devnet.pairings.values()].filter((p) => p[role].id === chain.id);
    if (ps.length === 1) return ps[0]!.config.name;
    throw new ScenarioError(ps.length === 0 ? `chain ${chain.id} is not a ${role} in any pairing` : `say which pairing, e.g. "@x:${ps[0]!.config.name}"`);
  }

  /** Replaces every "@ref" string inside a JSON value. */
  resolveJson(chain: Chain, v: unknown): unknown {
    if (typeof v === 'string') {
      if (v.startsWith('@@')) return v.slice(1);
      if (v.startsWith('@')) return this.ref(chain, v.slice(1));
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => this.resolveJson(chain, x));
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.resolveJson(chain, x)]));
    return v;
  }
}
