// Invariants the workload checks while it runs:
//   * after every block of a provider chain, for every user of its vault:
//     collateral ≥ max(max_lien.h, total_slashable.h)   (spec §4.2, the vault's own `verify_collateral`);
//   * at the end, after a final drain (relay + timeouts): every packet acknowledged or timed out.
// The per-block check reads the vault's state directly. UserInfo values are immutable (journal.ts: a
// write replaces the value), so a user whose UserInfo object is the one already checked cannot have
// changed: only changed users are re-checked, which is equivalent to checking all of them.
import type { UserInfo } from '../../protocol/vault.ts';
import { freeCollateral, usedCollateral, verifyCollateral } from '../../protocol/vault.ts';
import type { Chain } from '../chain/chain.ts';
import type { Devnet } from '../deploy.ts';
import type { Ibc } from '../ibc/ibc.ts';
import type { JMap } from '../state/journal.ts';

export interface InvariantFailure {
  chain: string;
  height: bigint;
  /** The vault user (bech32), when the failure is about one user. */
  user?: string;
  message: string;
}

/** The part of the vault contract instance the checker reads. */
interface VaultState {
  users: JMap<UserInfo>;
}

export function vaultState(chain: Chain, vault: string): VaultState {
  return chain.wasm.contract(vault).instance as unknown as VaultState;
}

const show = (u: UserInfo): string =>
  `collateral ${u.collateral}, max_lien {l:${u.maxLien.l}, h:${u.maxLien.h}}, total_slashable {l:${u.totalSlashable.l}, h:${u.totalSlashable.h}}`;

export class InvariantChecker {
  readonly failures: InvariantFailure[] = [];
  /** Users checked, summed over blocks (how much work the incremental check did). */
  checkedUsers = 0;
  private readonly vaults = new Map<Chain, { vault: string; state: VaultState; seen: Map<string, UserInfo> }>();

  constructor(
    readonly devnet: Devnet,
    /** Stop collecting after this many failures (a broken invariant tends to repeat every block). */
    readonly maxFailures = 1000,
  ) {
    for (const [chainId, p] of devnet.providers) {
      const chain = devnet.world.chain(chainId);
      this.vaults.set(chain, { vault: p.vault, state: vaultState(chain, p.vault), seen: new Map() });
    }
  }

  private fail(f: InvariantFailure): void {
    if (this.failures.length < this.maxFailures) this.failures.push(f);
  }

  /** Checks the vault of `chain` (if it has one) after its latest block; returns the new failures. */
  afterBlock(chain: Chain): InvariantFailure[] {
    const v = this.vaults.get(chain);
    if (!v) return [];
    const before = this.failures.length;
    for (const [user, info] of v.state.users.unordered()) {
      if (v.seen.get(user) === info) continue;
      v.seen.set(user, info);
      this.checkedUsers++;
      if (!verifyCollateral(info)) {
        this.fail({ chain: chain.id, height: chain.height, user, message: `collateral < max(max_lien.h, total_slashable.h): ${show(info)} (used.h ${usedCollateral(info).h})` });
      }
    }
    return this.failures.slice(before);
  }

  /**
   * Full check of every user of every vault through the vault's smart queries (`account_details`),
   * the way a client sees it; also cross-checks the direct state read.
   */
  checkAllByQuery(): InvariantFailure[] {
    const before = this.failures.length;
    for (const [chain, v] of this.vaults) {
      for (const [user, info] of v.state.users.unordered()) {
        const r = chain.query(v.vault, { account_details: { account: user } }) as {
          bonded: string;
          free: { l: string; h: string };
          max_lien: { l: string; h: string };
          total_slashable: { l: string; h: string };
        };
        const collateral = BigInt(r.bonded);
        const used = BigInt(r.max_lien.h) > BigInt(r.total_slashable.h) ? BigInt(r.max_lien.h) : BigInt(r.total_slashable.h);
        if (collateral < used) this.fail({ chain: chain.id, height: chain.height, user, message: `account_details: bonded ${collateral} < max(max_lien.h, total_slashable.h) ${used}` });
        if (collateral !== info.collateral || BigInt(r.free.l) !== freeCollateral(info).l) {
          this.fail({ chain: chain.id, height: chain.height, user, message: `account_details disagrees with the vault state: ${JSON.stringify(r)} vs ${show(info)}` });
        }
      }
    }
    return this.failures.slice(before);
  }

  /** Every packet acknowledged or timed out: no chain holds a packet commitment any more. */
  checkSettled(stuck: ReadonlyMap<string, string> = new Map()): InvariantFailure[] {
    const before = this.failures.length;
    for (const chain of this.devnet.world.chains.values()) {
      for (const p of chain.module<Ibc>('ibc').pendingCommitments()) {
        const k = `${chain.id}/${p.sourcePort}/${p.sourceChannel}/${p.sequence}`;
        const why = stuck.get(k);
        this.fail({
          chain: chain.id,
          height: chain.height,
          message: `packet ${p.sourceChannel}#${p.sequence} from ${p.sourcePort} neither acknowledged nor timed out${why ? ` (relayer: ${why})` : ''}: ${Buffer.from(p.data).toString('utf8').slice(0, 200)}`,
        });
      }
    }
    return this.failures.slice(before);
  }
}
