// Tx builders for the workload: the same messages the scenario ACTIONS send (src/devnet/scenario/
// actions.ts), but returned as txs so that many of them go into ONE block (`world.block(chain, txs)`)
// instead of one block per action.
import type { Chain, Tx, TxMsg } from '../chain/chain.ts';
import { MSG } from '../chain/msgs.ts';
import { type Ibc, portOf } from '../ibc/ibc.ts';
import { channelCloseConfirm, clientUpdate } from '../ibc/relayer-msgs.ts';
import { ADMIN, type PairingDeployment } from '../deploy.ts';
import { MSG_SET_MAX_CAP } from '../modules/meshsecurity.ts';
import { jsonBase64, jsonUtf8 } from '../chain/utf8.ts';

const coin = (amount: bigint, denom: string) => ({ denom, amount: amount.toString() });

/** MsgExecuteContract in a tx of its own signer. */
export function execTx(sender: string, contract: string, msg: unknown, funds: Array<{ denom: string; amount: string }> = []): Tx {
  return { signer: sender, msgs: [{ typeUrl: MSG.executeContract, value: { sender, contract, msg: jsonUtf8(msg), funds } }] };
}

const denom = (c: Chain): string => c.params.bondDenom;

// ---- vault (provider) ---------------------------------------------------------------------

export const bondTx = (c: Chain, vault: string, user: string, amount: bigint): Tx => execTx(user, vault, { bond: { amount: coin(amount, denom(c)) } });
export const unbondTx = (c: Chain, vault: string, user: string, amount: bigint): Tx => execTx(user, vault, { unbond: { amount: coin(amount, denom(c)) } });

export const stakeLocalTx = (c: Chain, vault: string, user: string, valoper: string, amount: bigint): Tx =>
  execTx(user, vault, { stake_local: { amount: coin(amount, denom(c)), msg: jsonBase64({ validator: valoper }) } });

export const stakeRemoteTx = (p: PairingDeployment, vault: string, user: string, valoper: string, amount: bigint): Tx =>
  execTx(user, vault, { stake_remote: { contract: p.externalStaking, amount: coin(amount, denom(p.provider)), msg: jsonBase64({ validator: valoper }) } });

// ---- external staking (provider) ----------------------------------------------------------

export const unstakeTx = (p: PairingDeployment, user: string, valoper: string, amount: bigint): Tx =>
  execTx(user, p.externalStaking, { unstake: { validator: valoper, amount: coin(amount, denom(p.provider)) } });

export const withdrawUnbondedTx = (p: PairingDeployment, user: string): Tx => execTx(user, p.externalStaking, { withdraw_unbonded: {} });

export const withdrawRewardsTx = (p: PairingDeployment, user: string, valoper: string, recipient: string): Tx =>
  execTx(user, p.externalStaking, { withdraw_rewards: { validator: valoper, remote_recipient: recipient } });

// ---- native staking proxy (provider) ------------------------------------------------------

export const proxyUnstakeTx = (c: Chain, proxy: string, owner: string, valoper: string, amount: bigint): Tx =>
  execTx(owner, proxy, { unstake: { validator: valoper, amount: coin(amount, denom(c)) } });
export const proxyReleaseTx = (proxy: string, owner: string): Tx => execTx(owner, proxy, { release_unbonded: {} });
export const proxyWithdrawRewardsTx = (proxy: string, owner: string): Tx => execTx(owner, proxy, { withdraw_rewards: {} });

// ---- plain SDK ----------------------------------------------------------------------------

export const sendTx = (c: Chain, from: string, to: string, amount: bigint): Tx => ({
  signer: from,
  msgs: [{ typeUrl: MSG.send, value: { fromAddress: from, toAddress: to, amount: [coin(amount, denom(c))] } }],
});

export const unjailTx = (c: Chain, validatorName: string): Tx => ({
  signer: c.addr(validatorName),
  msgs: [{ typeUrl: MSG.unjail, value: { validatorAddr: c.valoper(validatorName) } }],
});

// ---- governance and price feed (consumer) -------------------------------------------------

export function setMaxCapTx(p: PairingDeployment, amount: bigint): Tx {
  const authority = p.consumer.moduleAddr('gov');
  return { signer: authority, msgs: [{ typeUrl: MSG_SET_MAX_CAP, value: { authority, contract: p.virtualStaking, maxCap: coin(amount, denom(p.consumer)) } }] };
}

export const setPriceTx = (p: PairingDeployment, price: string): Tx => execTx(p.consumer.addr(ADMIN), p.priceFeed, { update_price: { native_per_foreign: price } });

// ---- relayer ------------------------------------------------------------------------------

/**
 * A relayer tx as Hermes sends it: MsgUpdateClient with the counterparty's latest header (unless the
 * client has it), then the packet messages (relayer-msgs.ts), built for `signer` with proofs from that
 * same height.
 */
export function relayerTx(chain: Chain, relayer: string, clientId: string, counterparty: Chain, msgs: (signer: string) => TxMsg[]): Tx {
  const signer = chain.addr(relayer);
  return { signer, msgs: [...clientUpdate(chain, signer, clientId, counterparty), ...msgs(signer)] };
}

/** MsgChannelCloseInit on the provider (external staking's end), sent by the relayer account. */
export function closeInitTx(p: PairingDeployment, relayer: string): Tx {
  const signer = p.provider.addr(relayer);
  return { signer, msgs: [{ typeUrl: MSG.channelCloseInit, value: { portId: portOf(p.externalStaking), channelId: p.providerChannel!, signer } }] };
}

/** MsgChannelCloseConfirm on the consumer (the converter's end). */
export function closeConfirmTx(p: PairingDeployment, relayer: string): Tx {
  const signer = p.consumer.addr(relayer);
  const clientId = p.consumer.module<Ibc>('ibc').clientOf(p.consumerConnection);
  return { signer, msgs: [...clientUpdate(p.consumer, signer, clientId, p.provider), channelCloseConfirm(portOf(p.converter), p.consumerChannel!, signer, p.provider)] };
}
