// converter (consumer, spec §1.5, §1.0 rows "converter"): receiving provider packets (`wasm-mesh-bond`
// / `-unbond` / `-burn` drive virtual-staking's bond requests; `wasm-mesh-transfer-rewards` pays a
// reward), reward distribution to the provider (`wasm-distribute_reward`), and the consumer's own
// validator-set reports (`wasm-valset_update`: ValidatorState rows, view 'consumer'; slashed entries →
// Slash rows kind 'cross' whose provider half is linked by id; the report also feeds virtual-staking's
// slash queue and inactive list, spec §4.5).
import { DecodeError, attr, parseCoin, requireAmount, requireAttr, requireContractAddress, splitList } from '../indexer/decode/attributes.ts';
import { Decimal } from '../protocol/decimal.ts';
import { decodeConsumerPacketAnyEra, decodeProviderPacketAnyEra } from '../protocol/codec/packets.ts';
import type { Mapping, MappingContext } from './context.ts';
import { CHANNEL_NS, type KnownChannel, contractOfPort, counterpartyChainOf, pairingId, receivedPacketId, recvSucceeded, sentPacket, sentPacketId } from './ibc.ts';
import { applyBond, applyBurn, applyUnbond, applyValsetReport, converterConfig } from './virtual-staking.ts';

/** Id of a consumer slash, shared with the provider half (spec §4.3.2): `<consumer chain>/<validator>/<consumer height>`. */
export const crossSlashId = (consumerChain: string, validator: string, consumerHeight: number | bigint): string => `${consumerChain}/${validator}/${consumerHeight}`;

/** The pairing id of a converter, from its (open) channel to an external-staking port. */
function pairingOfConverter(ctx: MappingContext, converter: string): string | null {
  const port = `wasm.${converter}`;
  for (const [, ch] of ctx.replica.entries<KnownChannel>(CHANNEL_NS, `${port}/`)) {
    const provider = counterpartyChainOf(ctx.replica, ch.connectionId);
    const ext = contractOfPort(ch.counterpartyPortId);
    if (provider !== undefined && ext !== undefined) return pairingId(provider, ext);
  }
  return null;
}

/** The provider packet received in this message, decoded (for tx ids and denoms the events leave out). */
function receivedPacket(ctx: MappingContext): ReturnType<typeof decodeProviderPacketAnyEra>['packet'] | undefined {
  const e = ctx.siblings.find((x) => x.type === 'recv_packet');
  const hex = e === undefined ? undefined : attr(e, 'packet_data_hex');
  if (hex === undefined) return undefined;
  try {
    return decodeProviderPacketAnyEra(Buffer.from(hex, 'hex').toString('utf8')).packet;
  } catch {
    return undefined;
  }
}

async function meshBond(ctx: MappingContext): Promise<void> {
  const converter = requireContractAddress(ctx.event);
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireAmount(ctx.event, 'amount');
  if (!recvSucceeded(ctx)) return;
  const { virtualStaking } = await converterConfig(ctx, converter);
  applyBond(ctx.replica, virtualStaking, validator, amount);
}

async function meshUnbond(ctx: MappingContext): Promise<void> {
  const converter = requireContractAddress(ctx.event);
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireAmount(ctx.event, 'amount');
  if (!recvSucceeded(ctx)) return;
  const { virtualStaking } = await converterConfig(ctx, converter);
  applyUnbond(ctx.replica, virtualStaking, validator, amount);
}

/** recv `burn` (spec §4.3.4): the converter stage of a burn; virtual-staking lowers its requests. */
async function meshBurn(ctx: MappingContext): Promise<void> {
  const converter = requireContractAddress(ctx.event);
  const validators = splitList(requireAttr(ctx.event, 'validators'));
  const amount = requireAmount(ctx.event, 'amount');
  if (!recvSucceeded(ctx)) return;
  const { virtualStaking } = await converterConfig(ctx, converter);
  applyBurn(ctx.replica, virtualStaking, validators, amount);
  ctx.out.insert('Burn', {
    id: ctx.rowId(),
    slashId: null,
    chainId: ctx.chainId,
    stage: 'converter',
    lienholder: null,
    staker: null,
    validators,
    amount,
    packetId: receivedPacketId(ctx),
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
  });
}

/** recv `transfer_rewards`: the converter pays the recipient on the consumer chain (spec §2.6 step 4). */
function meshTransferRewards(ctx: MappingContext): void {
  const converter = requireContractAddress(ctx.event);
  const recipient = requireAttr(ctx.event, 'recipient');
  const amount = requireAmount(ctx.event, 'rewards');
  if (!recvSucceeded(ctx)) return;
  const p = receivedPacket(ctx);
  const t = p?.kind === 'transfer_rewards' ? (p.value as { rewards: { denom: string }; tx_id?: bigint }) : undefined;
  ctx.out.insert('RewardEvent', {
    id: ctx.rowId(),
    chainId: ctx.chainId,
    contract: converter,
    kind: 'consumer_payout',
    validator: null,
    staker: null,
    recipient,
    amount,
    denom: t?.rewards.denom ?? null,
    txId: t?.tx_id ?? null,
    packetId: receivedPacketId(ctx),
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
    msgIndex: ctx.msgIndex ?? null,
    eventIndex: ctx.event.index,
  });
}

/** `distribute_reward(s)` from virtual-staking: one event per validator, then one packet (spec §2.6). */
function distributeReward(ctx: MappingContext): void {
  const converter = requireContractAddress(ctx.event);
  const validator = requireAttr(ctx.event, 'validator');
  const amount = requireAmount(ctx.event, 'amount');
  const send = sentPacket(ctx, `wasm.${converter}`);
  let denom: string | null = null;
  if (send !== undefined) {
    try {
      const p = decodeConsumerPacketAnyEra(Buffer.from(attr(send, 'packet_data_hex') ?? '', 'hex').toString('utf8')).packet;
      if (p.kind === 'distribute') denom = (p.value as { rewards: { denom: string } }).rewards.denom;
      else if (p.kind === 'distribute_batch') denom = (p.value as { denom: string }).denom;
    } catch {
      /* the packet half dead-letters it */
    }
  }
  ctx.out.insert('RewardEvent', {
    id: ctx.rowId(),
    chainId: ctx.chainId,
    contract: converter,
    kind: 'consumer_distribution',
    validator,
    staker: null,
    recipient: null,
    amount,
    denom,
    txId: null,
    packetId: sentPacketId(ctx, `wasm.${converter}`),
    height: ctx.block.height,
    time: ctx.block.time,
    txHash: ctx.tx?.hash ?? null,
    msgIndex: ctx.msgIndex ?? null,
    eventIndex: ctx.event.index,
  });
}

const STATES: Array<[string, string]> = [
  ['additions', 'active'],
  ['removals', 'unbonded'],
  ['updated', 'updated'],
  ['jailed', 'jailed'],
  ['unjailed', 'unjailed'],
  ['tombstoned', 'tombstoned'],
];

/**
 * The converter's `valset_update` (forwarded by virtual-staking from x/meshsecurity's report,
 * spec §1.5): consumer ValidatorState rows, cross Slash rows (amounts in consumer and provider
 * units, spec §4.4), and virtual-staking's slash queue / inactive list (spec §4.5).
 */
async function valsetUpdate(ctx: MappingContext): Promise<void> {
  const converter = requireContractAddress(ctx.event);
  const lists = Object.fromEntries(STATES.map(([k]) => [k, splitList(attr(ctx.event, k))])) as Record<string, string[]>;
  const slashed = splitList(attr(ctx.event, 'slashed'));
  const ratios = splitList(attr(ctx.event, 'ratios'));
  const amounts = splitList(attr(ctx.event, 'amounts')).map((c) => parseCoin(c));
  const providerAmounts = splitList(attr(ctx.event, 'provider_amounts')).map((c) => parseCoin(c));
  if (amounts.length !== slashed.length || providerAmounts.length !== slashed.length || ratios.length !== slashed.length) {
    throw new DecodeError(`wasm-valset_update: ${slashed.length} slashed validators but ${amounts.length} amounts, ${providerAmounts.length} provider amounts, ${ratios.length} ratios`);
  }
  for (const r of ratios) {
    try {
      Decimal.parse(r);
    } catch {
      throw new DecodeError(`wasm-valset_update: ratio is not a decimal: "${r}"`);
    }
  }
  // The packet the report sends carries each slash's infraction height (spec §2.2).
  const send = sentPacket(ctx, `wasm.${converter}`);
  let infraction: Array<bigint | undefined> = [];
  if (send !== undefined) {
    try {
      const p = decodeConsumerPacketAnyEra(Buffer.from(attr(send, 'packet_data_hex') ?? '', 'hex').toString('utf8')).packet;
      if (p.kind === 'valset_update' && 'slashed' in p.value) infraction = p.value.slashed.map((s) => s.infraction_height);
    } catch {
      /* the packet half dead-letters it */
    }
  }
  const { virtualStaking } = await converterConfig(ctx, converter);
  const tombstoned = new Set(lists.tombstoned);
  applyValsetReport(ctx.replica, virtualStaking, {
    additions: lists.additions!,
    removals: lists.removals!,
    tombstoned: lists.tombstoned!,
    // is_tombstoned is not in the event: a double-sign slash comes with its tombstoning in the same report
    slashed: slashed.map((address, i) => ({ address, slashAmount: amounts[i]!.amount, isTombstoned: tombstoned.has(address) })),
  });
  const pairing = pairingOfConverter(ctx, converter);
  for (const [key, state] of STATES) {
    for (const validator of lists[key]!) {
      ctx.out.insert('ValidatorState', {
        id: ctx.rowId(`${state}/${validator}`),
        chainId: ctx.chainId,
        view: 'consumer',
        pairingId: pairing,
        validator,
        state,
        startHeight: ctx.block.height,
        startTime: ctx.block.time,
        height: ctx.block.height,
        time: ctx.block.time,
        txHash: ctx.tx?.hash ?? null,
      });
    }
  }
  const packet = send === undefined ? null : sentPacketId(ctx, `wasm.${converter}`);
  slashed.forEach((validator, i) => {
    const h = infraction[i];
    ctx.out.merge('Slash', {
      id: crossSlashId(ctx.chainId, validator, ctx.block.height),
      chainId: ctx.chainId,
      validator,
      kind: 'cross',
      pairingId: pairing,
      infractionHeight: h === undefined ? null : Number(h),
      ratio: Decimal.parse(ratios[i]!).toString(),
      tombstoned: tombstoned.has(validator),
      consumerAmount: amounts[i]!.amount,
      providerAmount: providerAmounts[i]!.amount,
      providerChainId: null,
      providerHeight: null,
      providerTime: null,
      providerTxHash: null,
      packetId: packet,
      height: ctx.block.height,
      time: ctx.block.time,
      txHash: ctx.tx?.hash ?? null,
    });
  });
}

export const converterMapping: Mapping = {
  source: 'converter',
  handlers: {
    'wasm-mesh-bond': meshBond,
    'wasm-mesh-unbond': meshUnbond,
    'wasm-mesh-burn': meshBurn,
    'wasm-mesh-transfer-rewards': meshTransferRewards,
    'wasm-distribute_reward': distributeReward,
    'wasm-valset_update': valsetUpdate,
  },
};

