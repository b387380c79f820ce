// x/meshsecurity on the consumer (spec §3.1): max caps (`max_cap_limit_updated` → MaxCap rows, the
// replica keeps the cap each contract's epoch reads), the scheduler (`scheduler_execution` of a
// virtual-staking contract's epoch task → the rebalance of spec §4.5), and the instant bonds and
// unbonds (`instant_delegate` / `instant_unbond` → VirtualStake rows with the contract's `bonded`
// after them). Module events carry no `_contract_address`, so they are routed by type.
import { DecodeError, attr, requireAttr, requireCoin } from '../indexer/decode/attributes.ts';
import type { ChainEvent } from '../indexer/types.ts';
import type { Mapping, MappingContext } from './context.ts';
import { MAX_CAP_NS, applyCloseChannel, applyEpoch, applyUnbond, bondedOf, converterOf, vsState } from './virtual-staking.ts';

const isCloseEvent = (e: ChainEvent) => e.type === 'channel_close_init' || e.type === 'channel_close_confirm';

function maxCapLimitUpdated(ctx: MappingContext): void {
  const contract = requireAttr(ctx.event, 'virtual_staking_contract');
  const cap = requireCoin(ctx.event, 'amount');
  ctx.replica.set<bigint>(MAX_CAP_NS, contract, cap.amount);
  ctx.out.insert('MaxCap', { id: ctx.rowId(), chainId: ctx.chainId, contract, cap: cap.amount, denom: cap.denom, height: ctx.block.height, time: ctx.block.time, txHash: ctx.tx?.hash ?? null });
}

/**
 * What the instant unbond at `position` took off the contract's delegated total: the tokens that came
 * back, which x/meshsecurity moves from the contract to itself and burns just before the event (a
 * `burn`, and before it the contract's `transfer` to the burner); 0 when nothing came back (no burn
 * right before). After a slash it is less than the amount asked, which the event carries.
 */
export function returnedBy(siblings: readonly ChainEvent[], position: number, contract: string): bigint {
  const burn = siblings[position - 1];
  if (burn?.type !== 'burn') return 0n;
  const burner = attr(burn, 'burner');
  for (let i = position - 2; i >= 0; i--) {
    const e = siblings[i]!;
    if (e.type === 'instant_unbond' || e.type === 'instant_delegate' || e.type === 'scheduler_execution') break;
    if (e.type === 'transfer' && attr(e, 'sender') === contract && attr(e, 'recipient') === burner) return requireCoin(e, 'amount').amount;
  }
  return 0n;
}

function virtualStakeRow(ctx: MappingContext, vs: string, kind: 'bond' | 'unbond', validator: string, amount: bigint, at: number, suffix?: string): void {
  ctx.out.insert('VirtualStake', {
    id: ctx.rowId(suffix),
    chainId: ctx.chainId,
    virtualStaking: vs,
    validator,
    kind,
    amount,
    returned: kind === 'unbond' ? returnedBy(ctx.siblings, at, vs) : null,
    bondedAfter: bondedOf(vsState(ctx.replica, vs), validator),
    height: ctx.block.height,
    time: ctx.block.time,
  });
}

/** Start of the scheduler run that ends at `position` (events since the previous `scheduler_execution`). */
function runStart(siblings: readonly ChainEvent[], position: number): number {
  let i = position - 1;
  while (i >= 0 && siblings[i]!.type !== 'scheduler_execution') i--;
  return i + 1;
}

/**
 * A scheduled task ran (EndBlocker, spec §3.1). For a virtual-staking contract, valset tasks run
 * first and always reach the converter's `valset_update` (its `wasm-valset_update` is in the run);
 * an epoch run does not. A failed run changed nothing (its events are discarded).
 */
function schedulerExecution(ctx: MappingContext): void {
  const contract = requireAttr(ctx.event, 'virtual_staking_contract');
  const ok = requireAttr(ctx.event, 'execution_success');
  if (ok !== 'true' && ok !== 'false') throw new DecodeError(`scheduler_execution.execution_success is not a boolean: "${ok}"`);
  if (ok !== 'true' || ctx.contracts.kindOf(contract) !== 'virtual_staking') return;
  const start = runStart(ctx.siblings, ctx.position);
  const run = ctx.siblings.slice(start, ctx.position);
  const converter = converterOf(ctx.replica, contract);
  const isValsetRun = run.some((e) => e.type === 'wasm-valset_update' && (converter === undefined ? ctx.contracts.kindOf(attr(e, '_contract_address') ?? '') === 'converter' : attr(e, '_contract_address') === converter));
  if (isValsetRun) return;
  // Decode the run's instant bonds before changing the replica.
  const moves = run.flatMap((e, j) =>
    (e.type === 'instant_delegate' && attr(e, 'delegator') === contract) || (e.type === 'instant_unbond' && attr(e, 'sender') === contract)
      ? [{ e, at: start + j, kind: e.type === 'instant_delegate' ? ('bond' as const) : ('unbond' as const), validator: requireAttr(e, 'validator'), amount: requireCoin(e, 'amount').amount }]
      : [],
  );
  if (!applyEpoch(ctx.replica, contract)) return;
  for (const m of moves) virtualStakeRow(ctx, contract, m.kind, m.validator, m.amount, m.at, `instant/${m.e.index}`);
}

/** Epoch bonds are written at the run's `scheduler_execution`; nothing else bonds virtually. */
function instantDelegate(ctx: MappingContext): void {
  requireAttr(ctx.event, 'validator');
  requireCoin(ctx.event, 'amount');
}

/**
 * Outside the EndBlocker an instant unbond is a virtual-staking `internal_unbond` (ack of an
 * internal_unstake, spec §2.5) or a channel close (`handle_close_channel`, all to 0 — the close
 * itself is applied by the IBC mapping). Epoch unbonds are written at `scheduler_execution`.
 */
function instantUnbond(ctx: MappingContext): void {
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireCoin(ctx.event, 'amount').amount;
  const vs = requireAttr(ctx.event, 'sender');
  if (ctx.tx === undefined || ctx.contracts.kindOf(vs) !== 'virtual_staking') return;
  // the close event follows the callback's events: apply the (idempotent) close here already
  if (ctx.siblings.some(isCloseEvent)) applyCloseChannel(ctx.replica, vs);
  else applyUnbond(ctx.replica, vs, validator, amount, { internal: true });
  virtualStakeRow(ctx, vs, 'unbond', validator, amount, ctx.position);
}

export const meshSecurityModuleMapping: Mapping = {
  source: 'module',
  handlers: {
    max_cap_limit_updated: maxCapLimitUpdated,
    scheduler_execution: schedulerExecution,
    instant_delegate: instantDelegate,
    instant_unbond: instantUnbond,
  },
};

/** The replicated max cap of a contract (what `max_cap_limit` answers as `cap`). */
export const replicatedMaxCap = (replica: MappingContext['replica'], contract: string): bigint | undefined => replica.get<bigint>(MAX_CAP_NS, contract);
