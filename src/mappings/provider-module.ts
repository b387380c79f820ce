// x/meshsecurityprovider events (spec §3.2): `vault_bond` / `vault_unbond` accompany the vault's
// bond / unbond / restake (the vault mapping reads them to tell bond from unbond, spec §1.0 caveats —
// nothing to replicate here besides checking they decode), and `native_unstake` is a proxy owner's
// unstake: the module undelegates from the owner's proxy (instant when the validator is not bonded)
// and emits no x/staking `unbond` event for it, so the local stake is lowered here.
import { requireAttr, requireCoin } from '../indexer/decode/attributes.ts';
import type { Mapping, MappingContext } from './context.ts';
import { changeLocalStake, proxyOfMessage } from './native-staking.ts';
import { DecodeError } from '../indexer/decode/attributes.ts';

function checkVaultEvent(ctx: MappingContext): void {
  requireAttr(ctx.event, 'delegator');
  requireCoin(ctx.event, 'amount');
}

function onNativeUnstake(ctx: MappingContext): void {
  const amount = requireCoin(ctx.event, 'amount').amount;
  const validator = requireAttr(ctx.event, 'validator');
  // the owner executed its proxy's `unstake`; the custom message runs inside that execution
  const proxy = proxyOfMessage(ctx);
  if (proxy === undefined) throw new DecodeError('native_unstake: no native-staking proxy execution in this message');
  changeLocalStake(ctx, proxy, validator, -amount, 'local_unstake');
}

export const providerModuleMapping: Mapping = {
  source: 'module',
  handlers: { vault_bond: checkVaultEvent, vault_unbond: checkVaultEvent, native_unstake: onNativeUnstake },
};
