// Every scenario action: its fields (one table drives validation, execution and docs/scenarios.md)
// and what it does on the devnet: a user tx, a governance message, a validator event, relayer
// work or the passing of time.
import type { Chain, TxMsg, TxResult } from '../chain/chain.ts';
import { MSG } from '../chain/msgs.ts';
import type { Decimal } from '../../protocol/decimal.ts';
import type { Ibc } from '../ibc/ibc.ts';
import { portOf } from '../ibc/ibc.ts';
import { channelCloseConfirm, channelCloseInit, clientUpdate } from '../ibc/relayer-msgs.ts';
import { ADMIN, type Devnet, openChannel } from '../deploy.ts';
import { MSG_SET_MAX_CAP, MSG_SET_PRICE_FEED } from '../modules/meshsecurity.ts';
import { epochDue } from '../modules/meshsecurity.ts';
import { MODULE_NAME as PROVIDER_MODULE, type MeshSecurityProvider } from '../modules/meshsecurity-provider.ts';
import { type FieldSpec, ScenarioError } from './fields.ts';
import type { Names } from './resolve.ts';
import { jsonBase64, jsonUtf8 } from '../chain/utf8.ts';

/** What an action did: `error` is set when the chain rejected it (the tx failed). */
export interface ActionOutcome {
  error?: string;
  detail?: string;
}

export interface ActionDef {
  group: 'user' | 'validator' | 'governance' | 'relayer' | 'time' | 'chain';
  doc: string;
  fields: Record<string, FieldSpec>;
  run(ctx: ActionCtx, a: Record<string, any>): ActionOutcome;
}

export interface ActionCtx {
  devnet: Devnet;
  names: Names;
}

const F = {
  user: { type: 'string', required: true, doc: 'account name' } as FieldSpec,
  amount: { type: 'amount', required: true, doc: 'integer amount in the chain denom' } as FieldSpec,
  validator: { type: 'string', required: true, doc: 'validator name (or a literal valoper address)' } as FieldSpec,
  chain: { type: 'string', doc: 'chain id (optional when there is only one candidate)' } as FieldSpec,
  chainReq: { type: 'string', required: true, doc: 'chain id' } as FieldSpec,
  pairing: { type: 'string', doc: 'pairing name (optional when there is only one)' } as FieldSpec,
};

const coinJ = (amount: bigint, denom: string) => ({ denom, amount: amount.toString() });

function outcome(r: TxResult): ActionOutcome {
  return r.code === 0 ? {} : { error: r.error ?? r.log, detail: r.log };
}

function execute(ctx: ActionCtx, chain: Chain, sender: string, contract: string, msg: unknown, funds: Array<{ denom: string; amount: string }> = []): ActionOutcome {
  return outcome(ctx.devnet.world.tx(chain, sender, [{ typeUrl: MSG.executeContract, value: { sender, contract, msg: jsonUtf8(msg), funds } }]));
}

function tx(ctx: ActionCtx, chain: Chain, signer: string, msg: TxMsg): ActionOutcome {
  return outcome(ctx.devnet.world.tx(chain, signer, [msg]));
}

/**
 * Runs a validator event and reports what x/meshsecurityprovider only logs (a failed native-staking
 * `jailing` sudo, e.g. a rejected slash propagation) in the step's detail.
 */
function withProviderLog(chain: Chain, run: () => void): ActionOutcome {
  const log = chain.modules.has(PROVIDER_MODULE) ? chain.module<MeshSecurityProvider>(PROVIDER_MODULE).log : undefined;
  const before = log?.length ?? 0;
  run();
  const added = log?.slice(before) ?? [];
  return added.length > 0 ? { detail: `x/meshsecurityprovider logged: ${added.join('; ')}` } : {};
}

function proxyOf(ctx: ActionCtx, chain: Chain, user: string, name: string): string {
  const p = ctx.names.proxy(chain, user);
  if (!p) throw new ScenarioError(`user ${name} has no native staking proxy on ${chain.id} (stake_local first)`);
  return p;
}

type Build = (a: Record<string, any>, chain: Chain, ctx: ActionCtx) => unknown;

/** A provider user's action on one of their provider contracts (the vault, or their proxy). */
function onProvider(contractOf: (ctx: ActionCtx, chain: Chain, user: string, name: string) => string) {
  return (build: Build, doc: string, fields: Record<string, FieldSpec>): ActionDef => ({
    group: 'user',
    doc,
    fields: { user: F.user, chain: F.chain, ...fields },
    run(ctx, a) {
      const chain = ctx.names.providerChain(a.chain);
      const user = ctx.names.user(chain, a.user);
      return execute(ctx, chain, user, contractOf(ctx, chain, user, a.user), build(a, chain, ctx));
    },
  });
}

const vaultAction = onProvider((ctx, chain) => ctx.names.vault(chain));
/** Action by the owner on their native-staking proxy. */
const proxyAction = onProvider((ctx, chain, user, name) => proxyOf(ctx, chain, user, name));

/** Provider-side user action on a pairing's external staking contract. */
function externalAction(build: (a: Record<string, any>, ctx: ActionCtx, chainOf: { provider: Chain; consumer: Chain }) => unknown, doc: string, fields: Record<string, FieldSpec>): ActionDef {
  return {
    group: 'user',
    doc,
    fields: { user: F.user, pairing: F.pairing, ...fields },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      return execute(ctx, p.provider, ctx.names.user(p.provider, a.user), p.externalStaking, build(a, ctx, p));
    },
  };
}

const denom = (chain: Chain): string => chain.params.bondDenom;

/** A plain x/staking message from an account. */
function stakingAction(typeUrl: string, doc: string): ActionDef {
  return {
    group: 'user',
    doc,
    fields: { chain: F.chainReq, user: F.user, validator: F.validator, amount: F.amount },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const u = ctx.names.user(c, a.user);
      return tx(ctx, c, u, { typeUrl, value: { delegatorAddress: u, validatorAddress: ctx.names.validator(c, a.validator), amount: coinJ(a.amount, denom(c)) } });
    },
  };
}

export const ACTIONS: Record<string, ActionDef> = {
  // ---- provider users: vault ------------------------------------------------------------
  bond: vaultAction((a, c) => ({ bond: { amount: coinJ(a.amount, denom(c)) } }), 'Vault `bond`: lock collateral (spec §1.1).', { amount: F.amount }),
  unbond: vaultAction((a, c) => ({ unbond: { amount: coinJ(a.amount, denom(c)) } }), 'Vault `unbond`: release free collateral.', { amount: F.amount }),
  stake_local: vaultAction(
    (a, c, ctx) => ({ stake_local: { amount: coinJ(a.amount, denom(c)), msg: jsonBase64({ validator: ctx.names.validator(c, a.validator) }) } }),
    'Vault `stake_local`: lien to native staking, delegated by the user’s proxy.',
    { amount: F.amount, validator: F.validator },
  ),
  stake_remote: {
    group: 'user',
    doc: 'Vault `stake_remote`: cross-stake to a consumer validator through the pairing’s external staking (needs `relay` to commit).',
    fields: { user: F.user, pairing: F.pairing, validator: F.validator, amount: F.amount },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      const msg = { stake_remote: { contract: p.externalStaking, amount: coinJ(a.amount, denom(p.provider)), msg: jsonBase64({ validator: ctx.names.validator(p.consumer, a.validator) }) } };
      return execute(ctx, p.provider, ctx.names.user(p.provider, a.user), ctx.names.vault(p.provider), msg);
    },
  },
  restake: vaultAction(
    (a, c, ctx) => ({ restake: { amount: coinJ(a.amount, denom(c)), validator: ctx.names.validator(c, a.validator) } }),
    'Vault `restake`: move an existing delegation of the user into the vault (spec §1.1, §7 Q16).',
    { amount: F.amount, validator: F.validator },
  ),

  // ---- provider users: external staking -------------------------------------------------
  unstake: externalAction(
    (a, ctx, p) => ({ unstake: { validator: ctx.names.validator(p.consumer, a.validator), amount: coinJ(a.amount, denom(p.provider)) } }),
    'External staking `unstake` (needs `relay`; releasable after the unbonding period).',
    { validator: F.validator, amount: F.amount },
  ),
  withdraw_unbonded: externalAction(() => ({ withdraw_unbonded: {} }), 'External staking `withdraw_unbonded`: release matured unbonds back to the vault.', {}),
  withdraw_rewards: externalAction(
    (a, ctx, p) => ({ withdraw_rewards: { validator: ctx.names.validator(p.consumer, a.validator), remote_recipient: ctx.names.user(p.consumer, a.recipient) } }),
    'External staking `withdraw_rewards`: pay pending rewards to a consumer-chain account (needs `relay`).',
    { validator: F.validator, recipient: { type: 'string', required: true, doc: 'consumer-chain account name' } },
  ),

  // ---- provider users: native staking proxy ---------------------------------------------
  unstake_local: proxyAction(
    (a, c, ctx) => ({ unstake: { validator: ctx.names.validator(c, a.validator), amount: coinJ(a.amount, denom(c)) } }),
    'Proxy `unstake`: undelegate locally staked tokens (instant if the validator is not bonded).',
    { validator: F.validator, amount: F.amount },
  ),
  release_unbonded: proxyAction(() => ({ release_unbonded: {} }), 'Proxy `release_unbonded`: return unbonded tokens to the vault (lien released).', {}),
  redelegate_local: proxyAction(
    (a, c, ctx) => ({ restake: { src_validator: ctx.names.validator(c, a.from), dst_validator: ctx.names.validator(c, a.to), amount: coinJ(a.amount, denom(c)) } }),
    'Proxy `restake`: redelegate between provider validators.',
    { from: F.validator, to: F.validator, amount: F.amount },
  ),
  withdraw_local_rewards: proxyAction(() => ({ withdraw_rewards: {} }), 'Proxy `withdraw_rewards`: provider staking rewards go to the owner.', {}),
  vote: proxyAction(
    (a) => ({ vote: { proposal_id: a.proposal_id, vote: a.option } }),
    'Proxy `vote` on a governance proposal.',
    { proposal_id: { type: 'int', required: true, doc: 'proposal id' }, option: { type: 'string', required: true, doc: 'yes | no | abstain | no_with_veto' } },
  ),

  // ---- any chain: plain SDK --------------------------------------------------------------
  send: {
    group: 'user',
    doc: 'Bank `MsgSend` of the chain denom (or `denom`).',
    fields: { chain: F.chainReq, from: F.user, to: F.user, amount: F.amount, denom: { type: 'string', doc: 'denom (default: bond denom)' } },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const from = ctx.names.user(c, a.from);
      return tx(ctx, c, from, { typeUrl: MSG.send, value: { fromAddress: from, toAddress: ctx.names.user(c, a.to), amount: [coinJ(a.amount, a.denom ?? denom(c))] } });
    },
  },
  delegate: stakingAction(MSG.delegate, 'x/staking `MsgDelegate` from an account (outside Mesh Security).'),
  undelegate: stakingAction(MSG.undelegate, 'x/staking `MsgUndelegate`.'),
  execute: {
    group: 'user',
    doc: 'Any contract message: `contract` and `msg` may use "@" references (e.g. "@vault", "@alice").',
    fields: {
      chain: F.chainReq,
      sender: F.user,
      contract: { type: 'string', required: true, doc: 'contract reference or address' },
      msg: { type: 'json', required: true, doc: 'the execute message' },
      funds: { type: 'amount', doc: 'funds in the bond denom' },
    },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const contract = String(ctx.names.resolveJson(c, a.contract));
      const funds = a.funds ? [coinJ(a.funds, denom(c))] : [];
      return execute(ctx, c, ctx.names.user(c, a.sender), contract, ctx.names.resolveJson(c, a.msg), funds);
    },
  },

  // ---- validators ------------------------------------------------------------------------
  jail: {
    group: 'validator',
    doc: 'Downtime: after missing blocks, the validator is slashed (downtime fraction of its last power) and jailed in a BeginBlock. Errors that x/meshsecurityprovider only logs (a failed native-staking `jailing`) appear in the step’s detail.',
    fields: { chain: F.chainReq, validator: F.validator },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const v = ctx.names.validator(c, a.validator);
      // The missed-blocks window spans blocks, so the power CometBFT reports is that of a completed block
      // (the SDK e2e tests commit 100 blocks first).
      ctx.devnet.world.block(c);
      c.scheduleBegin(() => c.slashing.jailForDowntime(v, c.time, c.height));
      return withProviderLog(c, () => ctx.devnet.world.block(c));
    },
  },
  tombstone: {
    group: 'validator',
    doc: 'Double sign: evidence of `power` (default: current power) slashes at the double-sign fraction, jails and tombstones (logged x/meshsecurityprovider errors in the detail, as for `jail`).',
    fields: { chain: F.chainReq, validator: F.validator, power: { type: 'int', doc: 'evidence power (default current power)' }, infraction_height: { type: 'int', doc: 'default: current height' } },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const v = ctx.names.validator(c, a.validator);
      const power = a.power !== undefined ? BigInt(a.power) : c.staking.power(v);
      c.scheduleBegin(() => c.slashing.doubleSign(v, power, a.infraction_height !== undefined ? BigInt(a.infraction_height) : c.height, c.time, c.height));
      return withProviderLog(c, () => ctx.devnet.world.block(c));
    },
  },
  unjail: {
    group: 'validator',
    doc: 'x/slashing `MsgUnjail` from the validator operator.',
    fields: { chain: F.chainReq, validator: F.validator },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const v = ctx.names.validator(c, a.validator);
      return tx(ctx, c, c.addr(a.validator), { typeUrl: MSG.unjail, value: { validatorAddr: v } });
    },
  },
  create_validator: {
    group: 'validator',
    doc: 'A declared account becomes a validator with a self bond (joins the active set at end of block).',
    fields: { chain: F.chainReq, name: F.user, stake: F.amount },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      const op = ctx.names.user(c, a.name);
      ctx.names.created.add(`${c.id}/${a.name}`);
      try {
        c.journal.atomic(() => c.staking.createValidator(c.valoper(a.name), op, a.stake));
      } catch (e) {
        return { error: (e as Error).message };
      }
      ctx.devnet.world.block(c);
      return {};
    },
  },

  // ---- governance ------------------------------------------------------------------------
  set_max_cap: {
    group: 'governance',
    doc: 'Governance `MsgSetVirtualStakingMaxCap` for the pairing’s virtual staking contract (0 allowed).',
    fields: { pairing: F.pairing, amount: F.amount },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      const authority = p.consumer.moduleAddr('gov');
      return tx(ctx, p.consumer, authority, { typeUrl: MSG_SET_MAX_CAP, value: { authority, contract: p.virtualStaking, maxCap: coinJ(a.amount, denom(p.consumer)) } });
    },
  },
  set_price_feed_epochs: {
    group: 'governance',
    doc: 'Governance `MsgSetPriceFeedContract`: run the pairing price feed’s `handle_epoch` every epoch.',
    fields: { pairing: F.pairing },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      const authority = p.consumer.moduleAddr('gov');
      return tx(ctx, p.consumer, authority, { typeUrl: MSG_SET_PRICE_FEED, value: { authority, contract: p.priceFeed } });
    },
  },
  set_price: {
    group: 'governance',
    doc: 'Price feed owner sets `native_per_foreign` (consumer tokens per provider token).',
    fields: { pairing: F.pairing, price: { type: 'decimal', required: true, doc: 'decimal, e.g. "0.5"' } },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      return execute(ctx, p.consumer, p.consumer.addr(ADMIN), p.priceFeed, { update_price: { native_per_foreign: (a.price as Decimal).toString() } });
    },
  },

  // ---- chain and time --------------------------------------------------------------------
  epoch: {
    group: 'chain',
    doc: 'Produce consumer blocks until the pairing’s virtual staking epoch (`handle_epoch`) has run.',
    fields: { pairing: F.pairing },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      const due = epochDue(p.consumer, p.virtualStaking);
      if (due === undefined) return { error: `no epoch is scheduled for ${p.config.name} (max cap never set, or epochs stopped)` };
      while (p.consumer.height < due) ctx.devnet.world.block(p.consumer);
      return { detail: `epoch ran at height ${p.consumer.height}` };
    },
  },
  distribute_rewards: {
    group: 'chain',
    doc: 'Staking rewards: `amount` is minted and allocated to bonded validators by power (or to one `validator`).',
    fields: { chain: F.chainReq, amount: F.amount, validator: { type: 'string', doc: 'one validator (default: all by power)' } },
    run(ctx, a) {
      const c = ctx.names.chain(a.chain);
      try {
        c.journal.atomic(() => {
          if (a.validator) c.distribution.fundAndAllocate(ctx.names.validator(c, a.validator), a.amount);
          else c.distribution.fundAndAllocateByPower(a.amount);
        });
      } catch (e) {
        return { error: (e as Error).message };
      }
      return {};
    },
  },
  advance_time: {
    group: 'time',
    doc: 'Move the shared clock forward (the next block on every chain is at least this much later).',
    fields: { seconds: { type: 'seconds', required: true, doc: 'seconds, or "15m", "21d", …' } },
    run(ctx, a) {
      ctx.devnet.world.advanceTime(a.seconds);
      return {};
    },
  },
  advance_blocks: {
    group: 'time',
    doc: 'Produce empty blocks on one chain (or on every chain).',
    fields: { blocks: { type: 'int', required: true, doc: 'number of blocks' }, chain: F.chain },
    run(ctx, a) {
      const chains = a.chain ? [ctx.names.chain(a.chain)] : [...ctx.devnet.world.chains.values()];
      for (let i = 0; i < a.blocks; i++) for (const c of chains) ctx.devnet.world.block(c);
      return {};
    },
  },

  // ---- relayer ---------------------------------------------------------------------------
  relay: {
    group: 'relayer',
    doc: 'Deliver every pending packet and acknowledgement (both directions) and time out expired packets, until nothing is pending.',
    fields: { pairing: F.pairing },
    run(ctx, a) {
      const filter = a.pairing ? pairingFilter(ctx, a.pairing) : undefined;
      const r = ctx.devnet.world.relay({ filter, timeouts: true });
      return { detail: `received ${r.received}, acknowledged ${r.acknowledged}, timed out ${r.timedOut}`, error: r.failed?.length ? r.failed.map((f) => `${f.chain}: ${f.log}`).join('; ') : undefined };
    },
  },
  timeout: {
    group: 'relayer',
    doc: 'Let pending packets time out: the clock moves past their timeout and the relayer sends `MsgTimeout`.',
    fields: { pairing: F.pairing, direction: { type: 'string', doc: 'to_consumer | to_provider (default both)' }, sequence: { type: 'int', doc: 'only this packet sequence' } },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      if (a.direction !== undefined && a.direction !== 'to_consumer' && a.direction !== 'to_provider') throw new ScenarioError('direction: expected to_consumer or to_provider');
      const refs = ctx.devnet.world.unreceivedPackets(pairingFilter(ctx, p.config.name)).filter(
        (r) => (a.direction === undefined || (a.direction === 'to_consumer') === (r.source === p.provider)) && (a.sequence === undefined || r.packet.sequence === BigInt(a.sequence)),
      );
      if (refs.length === 0) return { error: 'no pending packet to time out' };
      const latest = refs.reduce((m, r) => (r.packet.timeoutTimestamp > m ? r.packet.timeoutTimestamp : m), 0n);
      if (ctx.devnet.world.now < latest) ctx.devnet.world.now = latest;
      const r = ctx.devnet.world.timeoutPackets(refs);
      return { detail: `timed out ${r.timedOut}`, error: r.failed?.length ? r.failed.map((f) => f.log).join('; ') : undefined };
    },
  },
  close_channel: {
    group: 'relayer',
    doc: 'Close the pairing’s channel: `MsgChannelCloseInit` on `side` (default provider), then the relayer’s `CloseConfirm` on the other.',
    fields: { pairing: F.pairing, side: { type: 'string', doc: 'provider | consumer (default provider)' } },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      if (!p.providerChannel || !p.consumerChannel) return { error: `pairing ${p.config.name} has no open channel` };
      const side = a.side ?? 'provider';
      if (side !== 'provider' && side !== 'consumer') throw new ScenarioError('side: expected provider or consumer');
      const [initChain, initPort, initChan, otherChain, otherPort, otherChan, otherConnection] =
        side === 'provider'
          ? [p.provider, portOf(p.externalStaking), p.providerChannel, p.consumer, portOf(p.converter), p.consumerChannel, p.consumerConnection]
          : [p.consumer, portOf(p.converter), p.consumerChannel, p.provider, portOf(p.externalStaking), p.providerChannel, p.providerConnection];
      const relayer = (c: Chain) => c.addr(ctx.devnet.world.relayerName);
      const r1 = tx(ctx, initChain, relayer(initChain), channelCloseInit(initPort, initChan, relayer(initChain)));
      if (r1.error) return r1;
      // the confirm proves the closed end: the relayer updates the client to that header first
      const world = ctx.devnet.world;
      const update = clientUpdate(otherChain, relayer(otherChain), otherChain.module<Ibc>('ibc').clientOf(otherConnection), initChain);
      const r2 = outcome(world.tx(otherChain, relayer(otherChain), [...update, channelCloseConfirm(otherPort, otherChan, relayer(otherChain), initChain)]));
      return r2.error ? { detail: `close confirm on ${otherChain.id} failed: ${r2.error}` } : {};
    },
  },
  open_channel: {
    group: 'relayer',
    doc: 'Open the pairing’s channel (for pairings declared with `open: false`).',
    fields: { pairing: F.pairing },
    run(ctx, a) {
      const p = ctx.names.pairing(a.pairing);
      if (p.providerChannel) return { error: `pairing ${p.config.name} already has a channel` };
      try {
        openChannel(ctx.devnet.world, p);
      } catch (e) {
        return { error: (e as Error).message };
      }
      return {};
    },
  },
};

function pairingFilter(ctx: ActionCtx, name: string) {
  const p = ctx.names.pairing(name);
  const ports = new Set([portOf(p.externalStaking), portOf(p.converter)]);
  return (r: { packet: { sourcePort: string } }) => ports.has(r.packet.sourcePort);
}

/** Packets of a pairing that are neither acknowledged nor timed out, for queries. */
export function pendingPackets(ctx: ActionCtx, pairing?: string) {
  const filter = pairing ? pairingFilter(ctx, pairing) : undefined;
  const out: Array<{ source: string; sequence: string; data: string; received: boolean }> = [];
  for (const c of ctx.devnet.world.chains.values()) {
    for (const p of c.module<Ibc>('ibc').pendingCommitments()) {
      if (filter && !filter({ packet: p })) continue;
      const dest = ctx.devnet.world.counterpartyOf(c, p);
      out.push({ source: c.id, sequence: p.sequence.toString(), data: Buffer.from(p.data).toString('utf8'), received: dest.module<Ibc>('ibc').hasReceipt(p.destinationPort, p.destinationChannel, p.sequence) });
    }
  }
  return out;
}
