// Pure linking of a slash's burns to what they caused downstream (spec §4.3.3–4.3.4). The vault's
// Burn rows name staker, lien holder and amount but not the rows that carried them out, so they are
// matched by where they happened (same chain, height and tx) and in event order:
//  - an external-staking burn → that contract's `burn_virtual_stake` call for the same staker (its
//    per-validator DelegationEvent `burn` rows, distribute_burn of §4.3.5) → the `burn` packet the call
//    sent (calls and burn packets from that port, both in chain order: the n-th call sent the n-th packet);
//  - a native-staking burn → the proxy's undelegations (DelegationEvent `local_burn`) of the staker.
// The vault runs the burns of one slash event in order and each call sends exactly one packet, so the
// order-based match is exact; amounts are only used to take the right number of rows.

export interface VaultBurn {
  id: string;
  staker: string | null;
  amount: bigint;
}

export interface BurnRow {
  staker: string;
  validator: string | null;
  amount: bigint;
  msgIndex: number | null;
  eventIndex: number | null;
}

export interface BurnPacket {
  id: string;
  sequence: bigint;
}

export interface BurnLink {
  validatorBurns: Array<{ validator: string; amount: bigint }>;
  packetId: string | null;
}

/** (message, event) position of a row id `chain/height/tx/msg/event/…` (src/indexer/route.ts rowId). */
export function eventPosition(rowId: string): [number, number] {
  const parts = rowId.split('/');
  const msg = parts[3] === '-' ? -1 : Number(parts[3]);
  const ev = Number(parts[4]);
  return [Number.isFinite(msg) ? msg : -1, Number.isFinite(ev) ? ev : -1];
}

const cmpPos = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];
const posOf = (r: BurnRow): [number, number] => [r.msgIndex ?? -1, r.eventIndex ?? -1];

/** Rows grouped by the event that wrote them (one group per call), in chain order. */
function calls(rows: readonly BurnRow[]): BurnRow[][] {
  const m = new Map<string, BurnRow[]>();
  for (const r of [...rows].sort((a, b) => cmpPos(posOf(a), posOf(b)))) {
    const k = `${r.msgIndex}/${r.eventIndex}`;
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(r);
  }
  return [...m.values()];
}

/**
 * Links the vault burns of one lien holder at one (chain, height, tx) to the rows (`burn` rows of
 * external staking, or `local_burn` rows of native staking) and, for external staking, to the burn
 * packets sent from its port there. `vaultBurns` may come in any order.
 */
export function linkBurns(vaultBurns: readonly VaultBurn[], rows: readonly BurnRow[], packets: readonly BurnPacket[] | null): Map<string, BurnLink> {
  const out = new Map<string, BurnLink>();
  const groups = calls(rows);
  const packetOf = new Map<BurnRow[], string>();
  if (packets !== null) {
    const sorted = [...packets].sort((a, b) => (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0));
    if (sorted.length === groups.length) groups.forEach((g, i) => packetOf.set(g, sorted[i]!.id));
  }
  const used = new Set<BurnRow[]>();
  const ordered = [...vaultBurns].sort((a, b) => cmpPos(eventPosition(a.id), eventPosition(b.id)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const b of ordered) {
    const taken: BurnRow[][] = [];
    let sum = 0n;
    for (const g of groups) {
      if (sum >= b.amount) break;
      if (used.has(g) || g[0]!.staker !== b.staker) continue;
      used.add(g);
      taken.push(g);
      sum += g.reduce((s, r) => s + r.amount, 0n);
    }
    const validatorBurns = taken.flat().map((r) => ({ validator: r.validator ?? '', amount: r.amount }));
    out.set(b.id, { validatorBurns, packetId: taken.length === 1 ? (packetOf.get(taken[0]!) ?? null) : null });
  }
  return out;
}
