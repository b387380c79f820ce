// Builds a devnet from a deployment config: chains with their modules, the Mesh Security
// contracts instantiated by real txs (so an indexer sees them), and one IBC channel per pairing,
// opened by the relayer with the handshake of spec §2.1.
import type { Chain, TxMsg, TxResult } from './chain/chain.ts';
import { MSG } from './chain/msgs.ts';
import type { Ibc } from './ibc/ibc.ts';
import { portOf } from './ibc/ibc.ts';
import { channelOpenAck, channelOpenConfirm, channelOpenInit, channelOpenTry, clientUpdate } from './ibc/relayer-msgs.ts';
import { nsPerSecond } from './chain/types.ts';
import type { ChainConfig, DeploymentConfig, PairingConfig } from './scenario/config.ts';
import { World } from './world.ts';
import { externalStakingCode } from './contracts/external-staking.ts';
import { converterCode } from './contracts/converter.ts';
import { nativeStakingCode } from './contracts/native-staking.ts';
import { nativeStakingProxyCode } from './contracts/native-staking-proxy.ts';
import { simplePriceFeedCode } from './contracts/simple-price-feed.ts';
import { vaultCode } from './contracts/vault.ts';
import { virtualStakingCode } from './contracts/virtual-staking.ts';
import { installMeshSecurity, MSG_SET_MAX_CAP } from './modules/meshsecurity.ts';
import { installMeshSecurityProvider, MSG_UPDATE_PARAMS } from './modules/meshsecurity-provider.ts';
import { jsonBase64, jsonUtf8 } from './chain/utf8.ts';

/** The channel version both sides negotiate (spec §2.1). */
export const MESH_CHANNEL_VERSION = JSON.stringify({ protocol: 'mesh-security', version: '0.11.0' });
export const ADMIN = 'admin';

export interface ProviderDeployment {
  vault: string;
  nativeStaking: string;
}

export interface PairingDeployment {
  config: PairingConfig;
  provider: Chain;
  consumer: Chain;
  providerConnection: string;
  consumerConnection: string;
  externalStaking: string;
  converter: string;
  virtualStaking: string;
  priceFeed: string;
  providerChannel?: string;
  consumerChannel?: string;
}

export interface Devnet {
  world: World;
  config: DeploymentConfig;
  providers: Map<string, ProviderDeployment>;
  pairings: Map<string, PairingDeployment>;
}


export class DeployError extends Error {}

function must(r: TxResult, what: string): TxResult {
  if (r.code !== 0) throw new DeployError(`${what} failed: ${r.log}`);
  return r;
}

/** The address a MsgInstantiateContract created (the `instantiate` event of its top-level contract). */
function instantiated(r: TxResult): string {
  const e = r.events.find((x) => x.type === 'instantiate');
  const a = e?.attributes.find((x) => x.key === '_contract_address');
  if (!a) throw new DeployError('instantiate produced no contract address');
  return a.value;
}

function instantiate(world: World, chain: Chain, codeId: number, msg: unknown, label: string): string {
  const admin = chain.addr(ADMIN);
  const r = world.tx(chain, admin, [{ typeUrl: MSG.instantiateContract, value: { sender: admin, admin, codeId: BigInt(codeId), label, msg: jsonUtf8(msg), funds: [] } }]);
  return instantiated(must(r, `instantiate ${label} on ${chain.id}`));
}

function gov(world: World, chain: Chain, msg: TxMsg, what: string): void {
  must(world.tx(chain, chain.moduleAddr('gov'), [msg]), what);
}

export function chainParams(c: ChainConfig) {
  return {
    chainId: c.id,
    prefix: c.prefix,
    bondDenom: c.denom,
    unbondingTimeSec: c.unbondingTimeSec,
    maxValidators: c.maxValidators,
    powerReduction: c.powerReduction,
    slashFractionDowntime: c.slashFractionDowntime.toFixed18(),
    slashFractionDoubleSign: c.slashFractionDoubleSign.toFixed18(),
    downtimeJailDurationSec: c.downtimeJailDurationSec,
    blockTimeNs: c.blockTimeSec * nsPerSecond,
    sdkVersion: c.sdkVersion,
    txFee: c.txFee,
    blockReward: c.blockReward,
  };
}

export function deploy(config: DeploymentConfig): Devnet {
  const world = new World(config.genesisTime);
  const providers = new Map<string, ProviderDeployment>();
  const pairings = new Map<string, PairingDeployment>();

  for (const c of config.chains) {
    const chain = world.addChain({
      params: chainParams(c),
      ibcGo: c.ibcGo,
      validators: c.validators,
      accounts: [...c.accounts, { name: ADMIN, balance: 10n ** 15n }],
    });
    for (const code of [vaultCode, nativeStakingCode, nativeStakingProxyCode, externalStakingCode, converterCode, virtualStakingCode, simplePriceFeedCode]) {
      chain.wasm.storeCode(code);
    }
    if (c.consumer) installMeshSecurity(chain, { epochLength: c.consumer.epochLength, totalContractsMaxCap: { denom: c.denom, amount: c.consumer.totalContractsMaxCap }, maxGasEndBlocker: c.consumer.maxGasEndBlocker, delegatorPrefix: c.consumer.delegatorPrefix });
    if (c.provider) {
      installMeshSecurityProvider(chain);
      const nativeInit = {
        denom: c.denom,
        proxy_code_id: chain.wasm.codeIdOf(nativeStakingProxyCode.name),
        slash_ratio_dsign: c.provider.slashRatioDsign.toString(),
        slash_ratio_offline: c.provider.slashRatioOffline.toString(),
      };
      const vault = instantiate(world, chain, chain.wasm.codeIdOf(vaultCode.name)!, { denom: c.denom, local_staking: { code_id: chain.wasm.codeIdOf(nativeStakingCode.name), msg: jsonBase64(nativeInit), label: 'Mesh Security Local Staking' } }, 'Mesh Security Vault');
      const cfg = chain.query(vault, { config: {} }) as { local_staking?: string | null };
      if (!cfg.local_staking) throw new DeployError(`vault on ${chain.id} did not record its local staking contract`);
      gov(world, chain, { typeUrl: MSG_UPDATE_PARAMS, value: { authority: chain.moduleAddr('gov'), params: { vaultAddress: vault, nativeStakingAddress: cfg.local_staking } } }, `set x/meshsecurityprovider params on ${chain.id}`);
      providers.set(c.id, { vault, nativeStaking: cfg.local_staking });
    }
  }

  for (const p of config.pairings) {
    const provider = world.chain(p.provider);
    const consumer = world.chain(p.consumer);
    const { aConnection: providerConnection, bConnection: consumerConnection } = world.connect(provider, consumer);
    const priceFeed = instantiate(world, consumer, consumer.wasm.codeIdOf(simplePriceFeedCode.name)!, { native_per_foreign: p.price.toString(), owner: consumer.addr(ADMIN) }, `Price feed for ${p.name}`);
    const converter = instantiate(
      world,
      consumer,
      consumer.wasm.codeIdOf(converterCode.name)!,
      {
        price_feed: priceFeed,
        discount: p.discount.toString(),
        remote_denom: provider.params.bondDenom,
        virtual_staking_code_id: consumer.wasm.codeIdOf(virtualStakingCode.name),
        tombstoned_unbond_enable: p.tombstonedUnbondEnable,
        admin: consumer.addr(ADMIN),
        max_retrieve: p.maxRetrieve,
      },
      `Converter for ${p.name}`,
    );
    const { virtual_staking: virtualStaking } = consumer.query(converter, { config: {} }) as { virtual_staking: string };
    const externalStaking = instantiate(
      world,
      provider,
      provider.wasm.codeIdOf(externalStakingCode.name)!,
      {
        denom: provider.params.bondDenom,
        rewards_denom: consumer.params.bondDenom,
        vault: providers.get(p.provider)!.vault,
        unbonding_period: Number(p.unbondingPeriodSec),
        remote_contact: { connection_id: providerConnection, port_id: portOf(converter) },
        slash_ratio: { double_sign: p.slashRatioDoubleSign.toString(), offline: p.slashRatioOffline.toString() },
      },
      `External staking for ${p.name}`,
    );
    gov(world, consumer, { typeUrl: MSG_SET_MAX_CAP, value: { authority: consumer.moduleAddr('gov'), contract: virtualStaking, maxCap: { denom: consumer.params.bondDenom, amount: p.maxCap.toString() } } }, `set max cap for ${p.name}`);
    const d: PairingDeployment = { config: p, provider, consumer, providerConnection, consumerConnection, externalStaking, converter, virtualStaking, priceFeed };
    pairings.set(p.name, d);
    if (p.open) openChannel(world, d);
  }
  return { world, config, providers, pairings };
}

/** Relayer-driven handshake: OpenInit on the converter, OpenTry on external staking, Ack, Confirm. */
export function openChannel(world: World, d: PairingDeployment): void {
  const { provider, consumer } = d;
  const rc = consumer.addr(world.relayerName);
  const rp = provider.addr(world.relayerName);
  const convPort = portOf(d.converter);
  const extPort = portOf(d.externalStaking);
  const init = must(world.tx(consumer, rc, [channelOpenInit(convPort, d.consumerConnection, extPort, MESH_CHANNEL_VERSION, rc)]), `channel open init for ${d.config.name}`);
  const consumerChannel = new TextDecoder().decode(init.data![0]);
  const consumerVersion = consumer.module<Ibc>('ibc').channel(convPort, consumerChannel).version;
  // each step proves the other end's last one: the relayer updates the client to that header first
  const onProvider = provider.module<Ibc>('ibc').clientOf(d.providerConnection);
  const onConsumer = consumer.module<Ibc>('ibc').clientOf(d.consumerConnection);
  const tr = must(
    world.tx(provider, rp, [...clientUpdate(provider, rp, onProvider, consumer), channelOpenTry(extPort, d.providerConnection, convPort, consumerChannel, consumerVersion, rp, consumer)]),
    `channel open try for ${d.config.name}`,
  );
  const providerChannel = new TextDecoder().decode(tr.data!.at(-1)); // the OpenTry's, after the update's
  const providerVersion = provider.module<Ibc>('ibc').channel(extPort, providerChannel).version;
  must(world.tx(consumer, rc, [...clientUpdate(consumer, rc, onConsumer, provider), channelOpenAck(convPort, consumerChannel, providerChannel, providerVersion, rc, provider)]), `channel open ack for ${d.config.name}`);
  must(world.tx(provider, rp, [...clientUpdate(provider, rp, onProvider, consumer), channelOpenConfirm(extPort, providerChannel, rp, consumer)]), `channel open confirm for ${d.config.name}`);
  d.consumerChannel = consumerChannel;
  d.providerChannel = providerChannel;
  // OpenAck sent the initial validator set (spec §2.1); deliver it so stakes can start.
  world.relay({ filter: (r) => r.source === consumer && r.packet.sourcePort === convPort });
}
