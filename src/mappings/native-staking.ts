// Native staking and its per-owner proxies (spec §1.2, §1.3): native-staking and the proxies emit no
// attributes of their own (spec §1.0), so this mapping works from the x/staking events of the
// proxies' delegations and from the vault events of the same message:
//  - a proxy's owner is learnt when the proxy first delegates: the proxy is instantiated by
//    native-staking `receive_stake` inside the owner's vault `stake_local` / `restake`, so the owner is
//    that vault event's `sender` (the proxy instantiate msg's `owner`, which no event shows);
//  - LocalStake (per owner and validator) follows x/staking `delegate` (stake), `unbond` (proxy `burn`,
//    a normal undelegation: spec §4.3.4) and `redelegate` (proxy `restake`) events whose delegator is a
//    known proxy; `native_unstake` (provider-module.ts) lowers it too.
//  LocalStake.amount is the principal (delegated − undelegated − burned), not the slashed token
//  value: provider slashes cut the delegation's shares' worth without any event per delegator.
//
// Replica namespaces: native_staking:proxy <proxy> → {owner, nativeStaking};
//                     native_staking:local_stake <proxy>/<validator> → bigint.
import { DecodeError, attr, requireAttr, requireCoin } from '../indexer/decode/attributes.ts';
import type { ChainEvent } from '../indexer/types.ts';
import type { Mapping, MappingContext } from './context.ts';

export const NS_PROXY = 'native_staking:proxy';
export const NS_LOCAL_STAKE = 'native_staking:local_stake';

export interface ProxyInfo {
  owner: string;
  nativeStaking: string | null;
}

interface KnownContract {
  kind: string;
  codeId?: number;
  label?: string;
  owner?: string;
}

const isProxy = (ctx: MappingContext, a: string | undefined): a is string => a !== undefined && ctx.contracts.kindOf(a) === 'native_staking_proxy';

/** The proxy a delegator-less staking event (redelegate, native_unstake) belongs to: the last proxy `execute` before it. */
export function proxyOfMessage(ctx: MappingContext): string | undefined {
  for (let i = ctx.position - 1; i >= 0; i--) {
    const e = ctx.siblings[i]!;
    if ((e.type === 'execute' || e.type === 'instantiate') && isProxy(ctx, attr(e, '_contract_address'))) return attr(e, '_contract_address');
  }
  return undefined;
}

/** Learns the owner of a proxy seen for the first time (see the header). */
function ensureProxy(ctx: MappingContext, proxy: string): ProxyInfo {
  const known = ctx.replica.get<ProxyInfo>(NS_PROXY, proxy);
  if (known) return known;
  let owner: string | undefined;
  let nativeStaking: string | null = null;
  let instantiatedHere = false;
  for (let i = ctx.position - 1; i >= 0; i--) {
    const e: ChainEvent = ctx.siblings[i]!;
    const a = attr(e, '_contract_address');
    if (e.type === 'instantiate' && a === proxy) instantiatedHere = true;
    if (e.type === 'execute' && a !== undefined && ctx.contracts.kindOf(a) === 'native_staking' && nativeStaking === null) nativeStaking = a;
    if (e.type === 'wasm' && a !== undefined && ctx.contracts.kindOf(a) === 'vault') {
      const action = attr(e, 'action');
      if (action === 'stake_local' || action === 'restake') {
        owner = attr(e, 'sender');
        break;
      }
    }
  }
  if (!instantiatedHere || owner === undefined) throw new DecodeError(`proxy ${proxy}: owner unknown (its instantiate was not seen with a vault stake_local/restake)`);
  const info: ProxyInfo = { owner, nativeStaking };
  ctx.replica.set(NS_PROXY, proxy, info);
  const c = ctx.replica.get<KnownContract>('contracts', proxy);
  ctx.contracts.add({ address: proxy, kind: 'native_staking_proxy', codeId: c?.codeId, label: c?.label, owner });
  ctx.out.upsert('Contract', {
    chainId: ctx.chainId,
    address: proxy,
    kind: 'native_staking_proxy',
    codeId: c?.codeId ?? null,
    label: c?.label ?? null,
    owner,
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
  });
  return info;
}

export function localStakeOf(ctx: Pick<MappingContext, 'replica'>, proxy: string, validator: string): bigint {
  return ctx.replica.get<bigint>(NS_LOCAL_STAKE, `${proxy}/${validator}`) ?? 0n;
}

/** Changes a proxy's local stake on one validator and writes LocalStake + DelegationEvent rows. */
export function changeLocalStake(ctx: MappingContext, proxy: string, validator: string, delta: bigint, kind: string, suffix?: string): void {
  const info = ensureProxy(ctx, proxy);
  const before = localStakeOf(ctx, proxy, validator);
  let after = before + delta;
  if (after < 0n) after = 0n; // slashed delegations return less than the principal
  if (after === 0n) ctx.replica.delete(NS_LOCAL_STAKE, `${proxy}/${validator}`);
  else ctx.replica.set(NS_LOCAL_STAKE, `${proxy}/${validator}`, after);
  ctx.out.upsert('LocalStake', {
    chainId: ctx.chainId,
    nativeStaking: info.nativeStaking ?? '',
    proxy,
    staker: info.owner,
    validator,
    amount: after,
    height: ctx.block.height,
    time: ctx.block.time,
  });
  ctx.out.insert('DelegationEvent', {
    id: ctx.rowId(suffix),
    chainId: ctx.chainId,
    contract: proxy,
    staker: info.owner,
    validator,
    kind,
    amount: delta < 0n ? -delta : delta,
    stakeLowAfter: after,
    stakeHighAfter: after,
    txId: null,
    status: null,
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
    msgIndex: ctx.msgIndex ?? null,
    eventIndex: ctx.event.index,
  });
}

function onDelegate(ctx: MappingContext): void {
  const delegator = attr(ctx.event, 'delegator') ?? proxyOfMessage(ctx);
  if (!isProxy(ctx, delegator)) return;
  const validator = requireAttr(ctx.event, 'validator');
  changeLocalStake(ctx, delegator, validator, requireCoin(ctx.event, 'amount').amount, 'local_stake');
}

/** A proxy's normal undelegation: only its `burn` (owner unstakes go through native_unstake, spec §3.2). */
function onUnbond(ctx: MappingContext): void {
  const delegator = attr(ctx.event, 'delegator');
  if (!isProxy(ctx, delegator)) return;
  const validator = requireAttr(ctx.event, 'validator');
  changeLocalStake(ctx, delegator, validator, -requireCoin(ctx.event, 'amount').amount, 'local_burn');
}

/** Proxy `restake` (owner redelegates): the stake moves between validators. */
function onRedelegate(ctx: MappingContext): void {
  const proxy = attr(ctx.event, 'delegator') ?? proxyOfMessage(ctx);
  if (!isProxy(ctx, proxy)) return;
  const src = requireAttr(ctx.event, 'source_validator');
  const dst = requireAttr(ctx.event, 'destination_validator');
  const amount = requireCoin(ctx.event, 'amount').amount;
  changeLocalStake(ctx, proxy, src, -amount, 'local_unstake', 'src');
  changeLocalStake(ctx, proxy, dst, amount, 'local_stake', 'dst');
}

export const nativeStakingMapping: Mapping = {
  source: 'module',
  handlers: { delegate: onDelegate, unbond: onUnbond, redelegate: onRedelegate },
};
