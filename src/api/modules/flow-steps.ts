// Pure parts of flow(txHash): one-line descriptions of packets and of the rows a step wrote, which
// rows belong to which packet in a relayer tx that handled several, and the final order of steps.

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const coin = (v: unknown): string => {
  const c = obj(v);
  return c ? `${String(c.amount ?? '?')}${String(c.denom ?? '')}` : String(v ?? '?');
};
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(obj(x)?.valoper ?? obj(x)?.address ?? obj(x)?.validator ?? '?'))) : []);

/** The packet's variant body: `{"<kind>": {…}}` (spec §2.2). */
export function packetBody(payload: unknown, kind: string): Json | undefined {
  return obj(obj(payload)?.[kind]);
}

/**
 * One line saying what a packet asks for (spec §2.2 shapes; other eras and unknown kinds by name only).
 * `txId` is the packet's tx_id read exactly (u64 ids ≥ 2^53, spec §4.9, do not survive a JS number).
 */
export function describePacket(kind: string, payload: unknown, txId: string | null = null): string {
  const b = packetBody(payload, kind);
  if (!b) return `${kind} packet`;
  const tx = txId !== null ? ` (tx_id ${txId})` : '';
  switch (kind) {
    case 'stake':
      return `stake ${coin(b.stake)} of ${String(b.delegator)} on ${String(b.validator)}${tx}`;
    case 'unstake':
      return `unstake ${coin(b.unstake)} of ${String(b.delegator)} from ${String(b.validator)}${tx}`;
    case 'burn':
      return `burn ${coin(b.burn)} over ${list(b.validators).join(', ')}`;
    case 'transfer_rewards':
      return `transfer_rewards ${coin(b.rewards)} to ${String(b.recipient)}${tx}`;
    case 'internal_unstake':
      return `internal_unstake of ${String(b.delegator)} on ${String(b.validator)}: ${coin(b.normalize_amount)} consumer, ${coin(b.inverted_amount)} provider`;
    case 'distribute':
      return `distribute ${coin(b.rewards)} to the stakers of ${String(b.validator)}`;
    case 'distribute_batch':
      return `distribute_batch to ${Array.isArray(b.rewards) ? b.rewards.length : 0} validators in ${String(b.denom ?? '')}`;
    case 'valset_update': {
      const parts = ['additions', 'removals', 'updated', 'jailed', 'unjailed', 'tombstoned', 'slashed'].map((k) => [k, list(b[k]).length] as const).filter(([, n]) => n > 0);
      return `valset_update of consumer height ${String(b.height ?? '?')}${parts.length ? `: ${parts.map(([k, n]) => `${n} ${k}`).join(', ')}` : ''}`;
    }
    default:
      return `${kind} packet`;
  }
}

/** A row the indexer wrote at a step (history, pending tx, burn, slash, state), in a common shape. */
export interface Effect {
  table: string;
  id: string;
  kind: string;
  staker: string | null;
  counterparty: string | null;
  validator: string | null;
  amount: string | null;
  txId: string | null;
  status: string | null;
  packetId: string | null;
}

/**
 * The rows of a relayer step that belong to `packet`: those carrying its tx_id (stake, unstake,
 * transfer_rewards: `txId`, read exactly from the stored JSON), or its packet id (converter burns and payouts, reward distributions, slashes).
 * When the tx handled only this packet, every row of it belongs to it.
 */
export function effectsOfPacket(all: readonly Effect[], packet: { id: string; txId: string | null }, soleHandler: boolean): Effect[] {
  if (soleHandler) return [...all];
  return all.filter((e) => e.packetId === packet.id || (packet.txId !== null && e.txId === packet.txId));
}

/** One line for what a step's rows say happened, e.g. "lien stake_remote 100; delegation stake 100 (pending)". */
export function describeEffects(effects: readonly Effect[]): string {
  const short: Record<string, string> = { lien_events: 'lien', delegation_events: 'delegation', reward_events: 'reward', pending_txs: 'pending tx', unbondings: 'unbonding', burns: 'burn', slashes: 'slash', validator_states: 'validator' };
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of effects) {
    const s = `${short[e.table] ?? e.table} ${e.kind}${e.amount !== null ? ` ${e.amount}` : ''}${e.status ? ` (${e.status})` : ''}`;
    if (!seen.has(s)) seen.add(s), parts.push(s);
  }
  return parts.length > 8 ? `${parts.slice(0, 8).join('; ')}; … ${parts.length - 8} more` : parts.join('; ');
}

export interface DraftStep {
  key: string;
  parent: string | null;
  time: Date;
  depth: number;
}

/**
 * Steps in the order things happened: by time, a cause before its effects at the same time (depth),
 * then in discovery order. Returns each step's final index and its parent's.
 */
export function orderSteps<T extends DraftStep>(steps: readonly T[]): Array<T & { index: number; parentIndex: number | null }> {
  const sorted = steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.time.getTime() - b.s.time.getTime() || a.s.depth - b.s.depth || a.i - b.i);
  const indexOf = new Map(sorted.map(({ s }, i) => [s.key, i] as const));
  return sorted.map(({ s }, index) => ({ ...s, index, parentIndex: s.parent === null ? null : (indexOf.get(s.parent) ?? null) }));
}
