// x/meshsecurityprovider (spec §3.2; sdk:x/meshsecurityprovider): the `{"provider":…}` custom messages
// of the vault and the native-staking proxies, MsgUpdateParams, and the slashing decorator that tells
// native-staking about provider jailing/tombstoning before the real slash.
import type { Chain } from '../chain/chain.ts';
import { validateAddress } from '../chain/address.ts';
import type { SlashingHooks } from '../chain/slashing.ts';
import { type Coin, type Event, ModuleError, attr, coinStr, coinsStr, event } from '../chain/types.ts';
import { JItem } from '../state/journal.ts';
import { ProviderMsg } from '../../protocol/codec/chain-msgs.ts';
import { CodecError, type Schema } from '../../protocol/codec/schema.ts';

export const MODULE_NAME = 'mesh-security-provider';
export const MSG_UPDATE_PARAMS = '/osmosis.meshsecurityprovider.MsgUpdateParams';

export interface ProviderParams {
  vaultAddress: string;
  nativeStakingAddress: string;
}

export interface ProviderOptions extends Partial<ProviderParams> {
  /**
   * Upstream restake validates the amount against the *vault's* delegation but undelegates the
   * user's (spec §7 Q16), so it can never succeed; `true` validates against the user's instead.
   */
  restakeValidatesUser?: boolean;
}

const unauthorized = () => new ModuleError('sdk', 4, 'contract has no permission for mesh security operations: unauthorized');
const invalidRequest = (ctx: string) => new ModuleError('sdk', 18, `${ctx}: invalid request`);
const invalidAddress = (ctx: string) => new ModuleError('sdk', 7, `${ctx}: invalid address`);
const jsonError = () => new ModuleError('sdk', 7, 'custom message: failed to unmarshal JSON bytes');
const unknownMsg = () => new ModuleError('wasm', 9, 'unknown message from the contract');

export class MeshSecurityProvider {
  readonly params: JItem<ProviderParams>;
  /** Sudo errors of the slashing decorator (logged, never failing the slash, as upstream). */
  readonly log: string[] = [];
  private readonly restakeValidatesUser: boolean;

  constructor(
    readonly chain: Chain,
    opts: ProviderOptions = {},
  ) {
    this.params = new JItem(chain.journal, { vaultAddress: opts.vaultAddress ?? '', nativeStakingAddress: opts.nativeStakingAddress ?? '' });
    this.restakeValidatesUser = opts.restakeValidatesUser ?? false;
  }

  private get denom(): string {
    return this.chain.params.bondDenom;
  }

  // ---- custom messages ----

  dispatch(sender: string, msg: unknown): Event[] {
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) throw jsonError();
    const m = msg as Record<string, unknown>;
    // Go decodes into a struct of optional pointers: the first non-nil one in the handler's order wins.
    const V = ProviderMsg.variants;
    if (m.bond != null) return this.bond(sender, goDecode(V.bond, m.bond));
    if (m.unbond != null) return this.unbond(sender, goDecode(V.unbond, m.unbond));
    if (m.unstake != null) return this.unstake(goDecode(V.unstake, m.unstake));
    if (m.restake != null) return this.restake(sender, goDecode(V.restake, m.restake));
    throw unknownMsg();
  }

  private isVault(actor: string): void {
    if (actor !== this.params.get().vaultAddress) throw unauthorized();
  }

  /** vault → bank DelegateCoins(delegator → vault): the user's tokens become the vault's (spec §3.2). */
  bond(actor: string, msg: { delegator: string; amount: Coin }): Event[] {
    this.isVault(actor);
    const coin = sdkCoin(msg.amount);
    const del = this.account(msg.delegator);
    const events = this.delegateCoins(del, actor, coin);
    events.push(event('vault_bond', attr('module', MODULE_NAME), attr('amount', coinStr(coin)), attr('delegator', del)));
    return events;
  }

  /** vault → bank UndelegateCoins(vault → delegator). */
  unbond(actor: string, msg: { delegator: string; amount: Coin }): Event[] {
    this.isVault(actor);
    const coin = sdkCoin(msg.amount);
    const del = this.account(msg.delegator);
    const events = this.undelegateCoins(actor, del, coin);
    events.push(event('vault_unbond', attr('module', MODULE_NAME), attr('amount', coinStr(coin)), attr('delegator', del)));
    return events;
  }

  /**
   * Any contract; `delegator` is the proxy's OWNER. Undelegates from the owner's proxy: normal
   * unbonding if the validator is bonded, otherwise instantly back to the proxy.
   */
  unstake(msg: { delegator: string; validator: string; amount: Coin }): Event[] {
    const { delegator, validator } = msg;
    const native = this.params.get().nativeStakingAddress;
    if (!validateAddress(native, this.chain.params.prefix)) throw invalidAddress('native staking contract not able to get');
    let proxy: string | undefined;
    try {
      proxy = (this.chain.query(native, { proxy_by_owner: { owner: delegator } }) as { proxy?: unknown }).proxy as string | undefined;
    } catch {
      proxy = undefined;
    }
    if (typeof proxy !== 'string' || proxy === '') throw unauthorized();
    if (!validateAddress(proxy, this.chain.params.prefix)) throw invalidAddress('native staking proxy contract not able to get');
    const coin = sdkCoin(msg.amount);
    const events = this.undelegateFromProxy(proxy, validator, coin);
    events.push(event('native_unstake', attr('module', MODULE_NAME), attr('amount', coinStr(coin)), attr('validator', validator)));
    return events;
  }

  private undelegateFromProxy(proxy: string, validator: string, coin: Coin): Event[] {
    if (coin.amount <= 0n) throw invalidRequest('amount');
    if (coin.denom !== this.denom) throw invalidRequest(`invalid coin denomination: got ${coin.denom}, expected ${this.denom}`);
    const staking = this.chain.staking;
    const v = staking.validator(validator);
    if (!v) throw new ModuleError('sdk', 38, `can not found validator with address: ${validator}: not found`);
    try {
      staking.validateUnbondAmount(proxy, validator, coin.amount);
    } catch (e) {
      if (e instanceof ModuleError && e.codespace === 'staking' && e.code === 19) return []; // ErrNoDelegation: no-op
      throw e;
    }
    if (v.status === 'bonded') {
      // Keeper.Undelegate: the `unbond` event belongs to the staking msg server, not to the keeper call.
      return staking.undelegate(proxy, validator, coin.amount, this.chain.time, this.chain.height).events.filter((e) => e.type !== 'unbond');
    }
    return staking.instantUndelegate(proxy, validator, coin.amount).events;
  }

  /**
   * vault: instant-undelegate the user's delegation and move the tokens into the vault; event
   * `vault_unbond` (sic). The amount is validated against the vault's delegation upstream (§7 Q16).
   */
  restake(actor: string, msg: { delegator: string; validator: string; amount: Coin }): Event[] {
    this.isVault(actor);
    const coin = sdkCoin(msg.amount);
    const del = this.account(msg.delegator);
    const val = msg.validator;
    const staking = this.chain.staking;
    const shares = staking.validateUnbondAmount(this.restakeValidatesUser ? del : actor, val, coin.amount);
    const { events, returned } = staking.instantUndelegateShares(del, val, shares);
    if (returned !== coin.amount) throw new ModuleError('undefined', 1, 'Delegation has been slashed');
    events.push(...this.delegateCoins(del, actor, coin));
    events.push(event('vault_unbond', attr('module', MODULE_NAME), attr('amount', coinStr(coin)), attr('delegator', del)));
    return events;
  }

  // ---- bank DelegateCoins / UndelegateCoins (coin_spent + coin_received, no transfer event) ----

  private delegateCoins(from: string, to: string, c: Coin): Event[] {
    const have = this.chain.bank.balance(from, c.denom);
    if (have < c.amount) throw new ModuleError('sdk', 5, `failed to delegate; ${coinStr({ denom: c.denom, amount: have })} is smaller than ${coinStr(c)}: insufficient funds`);
    if (c.amount > 0n) this.chain.bank.moveSilently(from, to, c);
    const s = coinsStr(c.amount > 0n ? [c] : []);
    return [event('coin_spent', attr('spender', from), attr('amount', s)), event('coin_received', attr('receiver', to), attr('amount', s))];
  }

  private undelegateCoins(from: string, to: string, c: Coin): Event[] {
    const have = this.chain.bank.balance(from, c.denom);
    if (have < c.amount) throw new ModuleError('sdk', 5, `spendable balance ${coinStr({ denom: c.denom, amount: have })} is smaller than ${coinStr(c)}: insufficient funds`);
    if (c.amount > 0n) this.chain.bank.moveSilently(from, to, c);
    const s = coinsStr(c.amount > 0n ? [c] : []);
    return [event('coin_spent', attr('spender', from), attr('amount', s)), event('coin_received', attr('receiver', to), attr('amount', s))];
  }

  // ---- slashing decorator ----

  /** SlashWithInfractionReason: sudo `jailing` to native-staking BEFORE the real slash; errors are only logged. */
  readonly slashingHooks: SlashingHooks = {
    beforeSlash: (op, info) => {
      const native = this.params.get().nativeStakingAddress;
      if (native === '') {
        this.log.push(`no native staking contract: jailing of ${op} not forwarded`);
        return [];
      }
      const msg = info.doubleSign ? { jailing: { jailed: null, tombstoned: [op] } } : { jailing: { jailed: [op], tombstoned: null } };
      try {
        return this.chain.journal.atomic(() => this.chain.sudo(native, msg).events);
      } catch (e) {
        this.log.push(`native staking jailing sudo failed: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
    },
  };

  // ---- MsgUpdateParams ----

  updateParams(signer: string, value: Record<string, unknown>): { events: Event[] } {
    const authority = this.chain.moduleAddr('gov');
    if (signer !== value.authority) throw new ModuleError('sdk', 4, 'signer does not match authority: unauthorized');
    if (value.authority !== authority) {
      throw new ModuleError('gov', 13, `invalid authority; expected ${authority}, got ${String(value.authority)}: expected gov account as only signer for proposal message`);
    }
    const p = (value.params ?? {}) as Record<string, unknown>;
    this.params.set({ vaultAddress: String(p.vaultAddress ?? p.vault_address ?? ''), nativeStakingAddress: String(p.nativeStakingAddress ?? p.native_staking_address ?? '') });
    return { events: [] };
  }

  // ---- decoding helpers ----

  private account(a: unknown): string {
    const s = String(a);
    if (!validateAddress(s, this.chain.params.prefix)) throw new ModuleError('sdk', 7, `decoding bech32 failed: invalid address ${s}: invalid address`);
    return s;
  }
}

/** Go's json.Unmarshal of a custom message (unknown fields ignored, by the codec's `goReads`). */
function goDecode<T>(schema: Schema<T>, raw: unknown): T {
  try {
    return schema.decode(raw);
  } catch (e) {
    if (e instanceof CodecError) throw jsonError();
    throw e;
  }
}

/** wasmkeeper.ConvertWasmCoinToSdkCoin: the denom must be a valid SDK denom. */
function sdkCoin(c: Coin): Coin {
  if (!/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(c.denom)) throw new ModuleError('sdk', 10, `invalid denom: ${c.denom}: invalid coins`);
  return c;
}

/**
 * Installs the module: `provider` custom messages, MsgUpdateParams (gov authority) and the slashing
 * decorator, composed with any decorators already installed (e.g. x/meshsecurity on a chain that
 * is both provider and consumer).
 */
export function installMeshSecurityProvider(chain: Chain, params: ProviderOptions = {}): MeshSecurityProvider {
  const m = new MeshSecurityProvider(chain, params);
  chain.modules.set(MODULE_NAME, m);
  chain.customMsgHandlers.set('provider', (_c, sender, msg) => m.dispatch(sender, msg));
  chain.msgHandlers.set(MSG_UPDATE_PARAMS, (_c, signer, value) => m.updateParams(signer, value));
  chain.slashing.addHooks(m.slashingHooks); // appended: other decorators (x/meshsecurity) stay
  return m;
}
